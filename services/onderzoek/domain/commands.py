"""The commands the onderzoek service accepts: subject name, payload and target case of each."""

from __future__ import annotations

from typing import Any

from wvggz_contracts.onderzoek import (
    BeoordeelToets,
    Concludeer,
    LegGesprekVast,
    LegGgzConsultatieVast,
    LegLeefgebiedVast,
    LegOcoWijzingVast,
    LegRapportVast,
    LegVoorwaardeAfgerond,
    MeldOntbrekendeVoorwaarden,
    OpenVerkennendOnderzoek,
    RegistreerOvjReactie,
    SignaleerNaderendeTermijn,
    SignaleerTermijnVerstreken,
    WijsConsulentToe,
    WijsVoorwaardenToe,
)

from kernel.decider import CommandSpec
from services.onderzoek.domain.opening import vo_id_for

OPEN_VERKENNEND_ONDERZOEK = CommandSpec(
    name="open-verkennend-onderzoek",
    payload=OpenVerkennendOnderzoek,
    case_id=lambda c: vo_id_for(c.payload.melding_id),
    description="Open het verkennend onderzoek voor een melding die triage daarheen stuurde.",
)
WIJS_CONSULENT_TOE = CommandSpec(
    name="wijs-consulent-toe",
    payload=WijsConsulentToe,
    case_id=lambda c: c.payload.vo_id,
    description="Wijs een consulent toe aan een verkennend onderzoek.",
)
LEG_GESPREK_VAST = CommandSpec(
    name="leg-gesprek-vast",
    payload=LegGesprekVast,
    case_id=lambda c: c.payload.vo_id,
    description="Leg het gesprek met de betrokkene vast, of waarom het er niet was.",
)
LEG_OCO_WIJZING_VAST = CommandSpec(
    name="leg-oco-wijzing-vast",
    payload=LegOcoWijzingVast,
    case_id=lambda c: c.payload.vo_id,
    description="Leg vast dat de betrokkene op onafhankelijke cliëntondersteuning is gewezen.",
)
LEG_GGZ_CONSULTATIE_VAST = CommandSpec(
    name="leg-ggz-consultatie-vast",
    payload=LegGgzConsultatieVast,
    case_id=lambda c: c.payload.vo_id,
    description="Leg een consultatie van GGZ-expertise vast, tegen het budget van het onderzoek.",
)
BEOORDEEL_TOETS = CommandSpec(
    name="beoordeel-toets",
    payload=BeoordeelToets,
    case_id=lambda c: c.payload.vo_id,
    description="Beoordeel de volgende kernvraag; niet aannemelijk sluit het onderzoek.",
)
LEG_LEEFGEBIED_VAST = CommandSpec(
    name="leg-leefgebied-vast",
    payload=LegLeefgebiedVast,
    case_id=lambda c: c.payload.vo_id,
    description="Leg vast hoe een van de vier leefgebieden ervoor staat.",
)
LEG_RAPPORT_VAST = CommandSpec(
    name="leg-rapport-vast",
    payload=LegRapportVast,
    case_id=lambda c: c.payload.vo_id,
    description="Leg het rapport van het verkennend onderzoek vast.",
)
CONCLUDEER = CommandSpec(
    name="concludeer",
    payload=Concludeer,
    case_id=lambda c: c.payload.vo_id,
    description="Dien de aanvraag bij de officier van justitie in, of leg vast waarom niet.",
)
REGISTREER_OVJ_REACTIE = CommandSpec(
    name="registreer-ovj-reactie",
    payload=RegistreerOvjReactie,
    case_id=lambda c: c.payload.vo_id,
    description="Registreer of de officier van justitie een verzoekschrift voorbereidt.",
)
SIGNALEER_NADERENDE_TERMIJN = CommandSpec(
    name="signaleer-naderende-termijn",
    payload=SignaleerNaderendeTermijn,
    case_id=lambda c: c.payload.vo_id,
    description="Termijnbewaking: het waarschuwingsmoment van een onderzoek is bereikt.",
)
SIGNALEER_TERMIJN_VERSTREKEN = CommandSpec(
    name="signaleer-termijn-verstreken",
    payload=SignaleerTermijnVerstreken,
    case_id=lambda c: c.payload.vo_id,
    description="Termijnbewaking: de termijn van een onderzoek is verstreken.",
)
MELD_ONTBREKENDE_VOORWAARDEN = CommandSpec(
    name="meld-ontbrekende-voorwaarden",
    payload=MeldOntbrekendeVoorwaarden,
    case_id=lambda c: c.payload.verzoek_id,
    description="Meld namens een zorgverantwoordelijke dat essentiële voorwaarden ontbreken.",
)
WIJS_VOORWAARDEN_TOE = CommandSpec(
    name="wijs-voorwaarden-toe",
    payload=WijsVoorwaardenToe,
    case_id=lambda c: c.payload.verzoek_id,
    description="Wijs een consulent toe aan een verzoek om essentiële voorwaarden.",
)
LEG_VOORWAARDE_AFGEROND = CommandSpec(
    name="leg-voorwaarde-afgerond",
    payload=LegVoorwaardeAfgerond,
    case_id=lambda c: c.payload.verzoek_id,
    description="Leg vast dat de ondersteuning voor een leefgebied geregeld is.",
)

COMMANDS: tuple[CommandSpec[Any], ...] = (
    OPEN_VERKENNEND_ONDERZOEK,
    WIJS_CONSULENT_TOE,
    LEG_GESPREK_VAST,
    LEG_OCO_WIJZING_VAST,
    LEG_GGZ_CONSULTATIE_VAST,
    BEOORDEEL_TOETS,
    LEG_LEEFGEBIED_VAST,
    LEG_RAPPORT_VAST,
    CONCLUDEER,
    REGISTREER_OVJ_REACTIE,
    SIGNALEER_NADERENDE_TERMIJN,
    SIGNALEER_TERMIJN_VERSTREKEN,
)
"""The commands of the VO decider (`make_decider`)."""

VOORWAARDEN_COMMANDS: tuple[CommandSpec[Any], ...] = (
    MELD_ONTBREKENDE_VOORWAARDEN,
    WIJS_VOORWAARDEN_TOE,
    LEG_VOORWAARDE_AFGEROND,
)
"""The commands of the essentiële-voorwaarden decider (`make_voorwaarden_decider`)."""
