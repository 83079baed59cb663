"""Overleg: periodiek regio-overleg (art. 8:31) en regionale doorzettingsmacht."""
