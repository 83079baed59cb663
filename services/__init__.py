"""The five Wvggz procedures, each an independent service process."""
