"""Meldpunt: anyone reports a worrying person; triage decides what follows."""
