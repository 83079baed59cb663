"""Every onderzoek command, declared once: who may give it, on which case, when, and its rule.

Two kinds of case, two rulebooks: the verkennend onderzoek (`make_rulebook`) and the request
for essentiële voorwaarden (`make_voorwaarden_rulebook`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wvggz_contracts.commands import Rol
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

from kernel.decider import Command, violated
from kernel.rules import Rulebook, rule
from services.onderzoek.domain import conclusie, ovj, stappen, termijnbewaking, toetsen, voorwaarden
from services.onderzoek.domain.opening import open_onderzoek, vo_id_for
from services.onderzoek.domain.parameters import Parameters
from services.onderzoek.domain.state import Onderzoek, evolve, geopend
from services.onderzoek.domain.voorwaarden import VoorwaardenVerzoek, geregistreerd

CATEGORY = "verkennend-onderzoek"
"""Stream category of a VO: `verkennend-onderzoek-<vo_id>`."""

VOORWAARDEN_CATEGORY = "voorwaarden"
"""Stream category of a request for essentiële voorwaarden: `voorwaarden-<verzoek_id>`."""

OPEN_VERKENNEND_ONDERZOEK = "open-verkennend-onderzoek"
WIJS_CONSULENT_TOE = "wijs-consulent-toe"
LEG_GESPREK_VAST = "leg-gesprek-vast"
LEG_OCO_WIJZING_VAST = "leg-oco-wijzing-vast"
LEG_GGZ_CONSULTATIE_VAST = "leg-ggz-consultatie-vast"
BEOORDEEL_TOETS = "beoordeel-toets"
LEG_LEEFGEBIED_VAST = "leg-leefgebied-vast"
LEG_RAPPORT_VAST = "leg-rapport-vast"
CONCLUDEER = "concludeer"
REGISTREER_OVJ_REACTIE = "registreer-ovj-reactie"
SIGNALEER_NADERENDE_TERMIJN = "signaleer-naderende-termijn"
SIGNALEER_TERMIJN_VERSTREKEN = "signaleer-termijn-verstreken"
MELD_ONTBREKENDE_VOORWAARDEN = "meld-ontbrekende-voorwaarden"
WIJS_VOORWAARDEN_TOE = "wijs-voorwaarden-toe"
LEG_VOORWAARDE_AFGEROND = "leg-voorwaarde-afgerond"

CONSULENT = frozenset({Rol.CONSULENT})
SYSTEEM = frozenset({Rol.SYSTEEM})
TOEWIJZERS = frozenset({Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER})


def lopend(state: Onderzoek, _command: Command[Any]) -> None:
    """A step of an open VO: an unknown VO is NOT_FOUND, a closed one takes no more steps."""
    geopend(state)
    if not state.open:
        raise violated("het onderzoek is afgesloten")


def bestaand(state: Onderzoek, _command: Command[Any]) -> None:
    """Also after closing: the OvJ answers after it, and a late signal records nothing."""
    geopend(state)


def verzoek_loopt(state: VoorwaardenVerzoek, _command: Command[Any]) -> None:
    """A step of a request: an unknown one is NOT_FOUND, a completed one takes no more steps."""
    geregistreerd(state)
    if state.klaar:
        raise violated("het voorwaardenverzoek is afgerond")


def make_rulebook(
    regio: frozenset[str],
    waarschuwing_dagen: int = 10,
    ggz_budget_uren: Decimal | float = Decimal(2),
) -> Rulebook[Onderzoek]:
    """The VO's rules for a region, with its warning moment and GGZ budget (in hours)."""
    parameters = Parameters(
        regio=regio,
        waarschuwing_dagen=waarschuwing_dagen,
        ggz_budget_uren=Decimal(str(ggz_budget_uren)),
    )
    # Any consulent of the VO's gemeente may record steps, not only the assigned one: colleagues
    # stand in during absence, and the 14-day term cannot wait for one person.
    return Rulebook(
        category=CATEGORY,
        zaak="een verkennend onderzoek",
        fase_van=lambda state: state.fase,
        resource="verkennende-onderzoeken",
        initial_state=Onderzoek(),
        evolve=evolve,
        gemeente_of=lambda state: state.gemeente,
        rules=(
            rule(
                name=OPEN_VERKENNEND_ONDERZOEK,
                payload=OpenVerkennendOnderzoek,
                description="Open het verkennend onderzoek voor een melding die triage daarheen"
                " stuurde.",
                rollen=SYSTEEM,
                handeling="een verkennend onderzoek openen",
                case_id=lambda command: vo_id_for(command.payload.melding_id),
                decide=lambda state, command: open_onderzoek(state, command, parameters),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=WIJS_CONSULENT_TOE,
                payload=WijsConsulentToe,
                description="Wijs een consulent toe aan een verkennend onderzoek.",
                rollen=TOEWIJZERS,
                handeling="een consulent toewijzen",
                case_id=lambda command: command.payload.vo_id,
                decide=stappen.wijs_consulent_toe,
                fase=lopend,
            ),
            rule(
                name=LEG_GESPREK_VAST,
                payload=LegGesprekVast,
                description="Leg het gesprek met de betrokkene vast, of waarom het er niet was.",
                rollen=CONSULENT,
                handeling="een gesprek vastleggen",
                case_id=lambda command: command.payload.vo_id,
                decide=stappen.leg_gesprek_vast,
                fase=lopend,
            ),
            rule(
                name=LEG_OCO_WIJZING_VAST,
                payload=LegOcoWijzingVast,
                description="Leg vast dat de betrokkene op onafhankelijke cliëntondersteuning is"
                " gewezen.",
                rollen=CONSULENT,
                handeling="de wijzing op cliëntondersteuning vastleggen",
                case_id=lambda command: command.payload.vo_id,
                decide=stappen.leg_oco_wijzing_vast,
                fase=lopend,
            ),
            rule(
                name=LEG_GGZ_CONSULTATIE_VAST,
                payload=LegGgzConsultatieVast,
                description="Leg een consultatie van GGZ-expertise vast, tegen het budget van het"
                " onderzoek.",
                rollen=frozenset({Rol.CONSULENT, Rol.GGZ_CONSULTANT}),
                handeling="een GGZ-consultatie vastleggen",
                case_id=lambda command: command.payload.vo_id,
                decide=lambda state, command: stappen.leg_ggz_consultatie_vast(
                    state, command, parameters
                ),
                fase=lopend,
            ),
            rule(
                name=BEOORDEEL_TOETS,
                payload=BeoordeelToets,
                description="Beoordeel de volgende kernvraag; niet aannemelijk sluit het"
                " onderzoek.",
                rollen=CONSULENT,
                handeling="een toets beoordelen",
                case_id=lambda command: command.payload.vo_id,
                decide=toetsen.beoordeel_toets,
                fase=lopend,
            ),
            rule(
                name=LEG_LEEFGEBIED_VAST,
                payload=LegLeefgebiedVast,
                description="Leg vast hoe een van de vier leefgebieden ervoor staat.",
                rollen=CONSULENT,
                handeling="een leefgebied vastleggen",
                case_id=lambda command: command.payload.vo_id,
                decide=stappen.leg_leefgebied_vast,
                fase=lopend,
            ),
            rule(
                name=LEG_RAPPORT_VAST,
                payload=LegRapportVast,
                description="Leg het rapport van het verkennend onderzoek vast.",
                rollen=CONSULENT,
                handeling="het rapport vastleggen",
                case_id=lambda command: command.payload.vo_id,
                decide=stappen.leg_rapport_vast,
                fase=lopend,
            ),
            rule(
                name=CONCLUDEER,
                payload=Concludeer,
                description="Dien de aanvraag bij de officier van justitie in, of leg vast"
                " waarom niet.",
                rollen=CONSULENT,
                handeling="het onderzoek concluderen",
                case_id=lambda command: command.payload.vo_id,
                decide=conclusie.concludeer,
                fase=lopend,
            ),
            rule(
                name=REGISTREER_OVJ_REACTIE,
                payload=RegistreerOvjReactie,
                description="Registreer of de officier van justitie een verzoekschrift"
                " voorbereidt.",
                rollen=frozenset({Rol.OVJ_KOPPELING}),
                handeling="de reactie van de officier registreren",
                case_id=lambda command: command.payload.vo_id,
                decide=ovj.registreer_ovj_reactie,
                fase=bestaand,
            ),
            rule(
                name=SIGNALEER_NADERENDE_TERMIJN,
                payload=SignaleerNaderendeTermijn,
                description="Termijnbewaking: het waarschuwingsmoment van een onderzoek is"
                " bereikt.",
                rollen=SYSTEEM,
                handeling="een naderende termijn signaleren",
                case_id=lambda command: command.payload.vo_id,
                decide=termijnbewaking.signaleer_naderende_termijn,
                fase=bestaand,
            ),
            rule(
                name=SIGNALEER_TERMIJN_VERSTREKEN,
                payload=SignaleerTermijnVerstreken,
                description="Termijnbewaking: de termijn van een onderzoek is verstreken.",
                rollen=SYSTEEM,
                handeling="een verstreken termijn signaleren",
                case_id=lambda command: command.payload.vo_id,
                decide=termijnbewaking.signaleer_termijn_verstreken,
                fase=bestaand,
            ),
        ),
    )


def make_voorwaarden_rulebook(regio: frozenset[str]) -> Rulebook[VoorwaardenVerzoek]:
    """The rules of a request for essentiële voorwaarden, for a region of gemeenten."""
    return Rulebook(
        category=VOORWAARDEN_CATEGORY,
        zaak="een voorwaardenverzoek",
        resource="voorwaardenverzoeken",
        initial_state=VoorwaardenVerzoek(),
        evolve=voorwaarden.evolve,
        gemeente_of=lambda state: state.gemeente,
        rules=(
            rule(
                name=MELD_ONTBREKENDE_VOORWAARDEN,
                payload=MeldOntbrekendeVoorwaarden,
                description="Meld namens een zorgverantwoordelijke dat essentiële voorwaarden"
                " ontbreken.",
                rollen=TOEWIJZERS,
                handeling="ontbrekende voorwaarden melden",
                case_id=lambda command: command.payload.verzoek_id,
                decide=lambda state, command: voorwaarden.registreer(state, command, regio),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=WIJS_VOORWAARDEN_TOE,
                payload=WijsVoorwaardenToe,
                description="Wijs een consulent toe aan een verzoek om essentiële voorwaarden.",
                rollen=TOEWIJZERS,
                handeling="een voorwaardenverzoek toewijzen",
                case_id=lambda command: command.payload.verzoek_id,
                decide=voorwaarden.wijs_toe,
                fase=verzoek_loopt,
            ),
            rule(
                name=LEG_VOORWAARDE_AFGEROND,
                payload=LegVoorwaardeAfgerond,
                description="Leg vast dat de ondersteuning voor een leefgebied geregeld is.",
                rollen=CONSULENT,
                handeling="een voorwaarde afronden",
                case_id=lambda command: command.payload.verzoek_id,
                decide=voorwaarden.rond_af,
                fase=verzoek_loopt,
            ),
        ),
    )
