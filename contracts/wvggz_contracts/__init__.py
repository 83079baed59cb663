"""Contracts of the regional Wvggz platform: envelope, events, commands, subjects."""
