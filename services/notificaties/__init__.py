"""Notificaties: brieven, afschriften en leveringen aan ketenpartners, met verstrekkingenlog."""
