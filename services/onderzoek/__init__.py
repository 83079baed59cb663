"""Onderzoek: verkennend onderzoek (VO) en aanvraag aan de officier van justitie."""
