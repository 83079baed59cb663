"""Regionale doorzettingsmacht: the directory of overlegtafels and the escalation ladder."""
