"""Specs of the onderzoek service."""
