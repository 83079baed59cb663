"""Pure rules of the verkennend onderzoek (VO) and, as a case of its own, the voorwaarden."""

from services.onderzoek.domain.opening import vo_id_for
from services.onderzoek.domain.regels import (
    BEOORDEEL_TOETS,
    CATEGORY,
    CONCLUDEER,
    LEG_GESPREK_VAST,
    LEG_GGZ_CONSULTATIE_VAST,
    LEG_LEEFGEBIED_VAST,
    LEG_OCO_WIJZING_VAST,
    LEG_RAPPORT_VAST,
    LEG_VOORWAARDE_AFGEROND,
    MELD_ONTBREKENDE_VOORWAARDEN,
    OPEN_VERKENNEND_ONDERZOEK,
    REGISTREER_OVJ_REACTIE,
    SIGNALEER_NADERENDE_TERMIJN,
    SIGNALEER_TERMIJN_VERSTREKEN,
    VOORWAARDEN_CATEGORY,
    WIJS_CONSULENT_TOE,
    WIJS_VOORWAARDEN_TOE,
    make_rulebook,
    make_voorwaarden_rulebook,
)
from services.onderzoek.domain.state import Onderzoek, evolve
from services.onderzoek.domain.uit_triage import open_uit_triage
from services.onderzoek.domain.voorwaarden import VoorwaardenVerzoek

__all__ = [
    "BEOORDEEL_TOETS",
    "CATEGORY",
    "CONCLUDEER",
    "LEG_GESPREK_VAST",
    "LEG_GGZ_CONSULTATIE_VAST",
    "LEG_LEEFGEBIED_VAST",
    "LEG_OCO_WIJZING_VAST",
    "LEG_RAPPORT_VAST",
    "LEG_VOORWAARDE_AFGEROND",
    "MELD_ONTBREKENDE_VOORWAARDEN",
    "OPEN_VERKENNEND_ONDERZOEK",
    "REGISTREER_OVJ_REACTIE",
    "SIGNALEER_NADERENDE_TERMIJN",
    "SIGNALEER_TERMIJN_VERSTREKEN",
    "VOORWAARDEN_CATEGORY",
    "WIJS_CONSULENT_TOE",
    "WIJS_VOORWAARDEN_TOE",
    "Onderzoek",
    "VoorwaardenVerzoek",
    "evolve",
    "make_rulebook",
    "make_voorwaarden_rulebook",
    "open_uit_triage",
    "vo_id_for",
]
