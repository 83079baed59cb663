"""Pure rules of the verkennend onderzoek (VO) and, as a case of its own, the voorwaarden."""

from services.onderzoek.domain.commands import (
    BEOORDEEL_TOETS,
    COMMANDS,
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
    VOORWAARDEN_COMMANDS,
    WIJS_CONSULENT_TOE,
    WIJS_VOORWAARDEN_TOE,
)
from services.onderzoek.domain.decider import make_decider
from services.onderzoek.domain.opening import vo_id_for
from services.onderzoek.domain.state import Onderzoek, evolve
from services.onderzoek.domain.voorwaarden import VoorwaardenVerzoek, make_voorwaarden_decider

__all__ = [
    "BEOORDEEL_TOETS",
    "COMMANDS",
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
    "VOORWAARDEN_COMMANDS",
    "WIJS_CONSULENT_TOE",
    "WIJS_VOORWAARDEN_TOE",
    "Onderzoek",
    "VoorwaardenVerzoek",
    "evolve",
    "make_decider",
    "make_voorwaarden_decider",
    "vo_id_for",
]
