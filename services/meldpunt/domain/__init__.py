"""Pure rules of a melding: registration, handover, triage and the letters to the melder."""

from services.meldpunt.domain.regels import (
    OVERDRAAG_MELDING,
    REGISTREER_MELDING,
    REGISTREER_VO_AFSLUITING,
    ROND_TRIAGE_AF,
    make_rulebook,
    melding_id_for,
)
from services.meldpunt.domain.registratie import MAX_SAMENHANG, SAMENHANG
from services.meldpunt.domain.state import Melding
from services.meldpunt.domain.triage import passende_uitkomsten
from services.meldpunt.domain.vo_afsluiting import uit_vo_afgesloten

__all__ = [
    "MAX_SAMENHANG",
    "OVERDRAAG_MELDING",
    "REGISTREER_MELDING",
    "REGISTREER_VO_AFSLUITING",
    "ROND_TRIAGE_AF",
    "SAMENHANG",
    "Melding",
    "make_rulebook",
    "melding_id_for",
    "passende_uitkomsten",
    "uit_vo_afgesloten",
]
