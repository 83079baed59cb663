"""Pure rules of a melding: registration, handover, triage and the letters to the melder."""

from services.meldpunt.domain.commands import (
    COMMANDS,
    OVERDRAAG_MELDING,
    REGISTREER_MELDING,
    REGISTREER_VO_AFSLUITING,
    ROND_TRIAGE_AF,
    melding_id_for,
)
from services.meldpunt.domain.decider import make_decider
from services.meldpunt.domain.state import Melding
from services.meldpunt.domain.triage import passende_uitkomsten

__all__ = [
    "COMMANDS",
    "OVERDRAAG_MELDING",
    "REGISTREER_MELDING",
    "REGISTREER_VO_AFSLUITING",
    "ROND_TRIAGE_AF",
    "Melding",
    "make_decider",
    "melding_id_for",
    "passende_uitkomsten",
]
