"""Every command on a crisismaatregel case, declared once: who may give it, when, and its rule.

A case is the stream `crisismaatregel-<crisis_id>` (`make_rulebook`); each gemeente's mandate
register has its own rulebook (`mandaatregels`). The kernel checks role and gemeente; `toegang`
adds the person and the mandate (FORBIDDEN, audited), `fase` the phase of the case (NOT_FOUND,
RULE_VIOLATED).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from wvggz_contracts.commands import Rol
from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    BesluitUitkomst,
    HeropenMedischeVerklaring,
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
    LegTijdelijkeZorgVast,
    MeldCrisis,
    NeemBesluit,
    OndertekenMedischeVerklaring,
    Ontvanger,
    RegistreerAdvocaat,
    RegistreerOvjGegevens,
    RegistreerRechterlijkeBeslissing,
    RegistreerVerzoekVoortzetting,
    RegistreerVerzoekZorgmachtiging,
    SignaleerBesluitTermijnVerstreken,
    SignaleerEindeMaatregel,
    SignaleerNaderendBesluit,
    StartCrisisUitTriage,
    StelIntegraalAdviesSamen,
    StelMedischeVerklaringOp,
    VraagOvjGegevensOp,
)

from kernel.decider import Command, violated
from kernel.rules import Rulebook, rule
from services.crisis.domain import (
    advies,
    afschriften,
    besluit,
    horen,
    start,
    termijnbewaking,
    toegang,
    verklaring,
    verloop,
    voorbereiding,
)
from services.crisis.domain.mandaat import HOORMANDAAT, LOCO_REGISTRATIE
from services.crisis.domain.parameters import RECHTSGRONDEN, Parameters
from services.crisis.domain.state import Crisis, evolve, gemeld
from services.crisis.domain.termijnen import Termijnregels

CATEGORY = "crisismaatregel"
"""Stream category of a case: `crisismaatregel-<crisis_id>`."""

MELD_CRISIS = "meld-crisis"
START_CRISIS_UIT_TRIAGE = "start-crisis-uit-triage"
LEG_TIJDELIJKE_ZORG_VAST = "leg-tijdelijke-zorg-vast"
VRAAG_OVJ_GEGEVENS_OP = "vraag-ovj-gegevens-op"
REGISTREER_OVJ_GEGEVENS = "registreer-ovj-gegevens"
STEL_MEDISCHE_VERKLARING_OP = "stel-medische-verklaring-op"
ONDERTEKEN_MEDISCHE_VERKLARING = "onderteken-medische-verklaring"
HEROPEN_MEDISCHE_VERKLARING = "heropen-medische-verklaring"
LEG_HOORVERSLAG_VAST = "leg-hoorverslag-vast"
LEG_HOREN_ONMOGELIJK_VAST = "leg-horen-onmogelijk-vast"
STEL_INTEGRAAL_ADVIES_SAMEN = "stel-integraal-advies-samen"
NEEM_BESLUIT = "neem-besluit"
REGISTREER_ADVOCAAT = "registreer-advocaat"
REGISTREER_VERZOEK_VOORTZETTING = "registreer-verzoek-voortzetting"
REGISTREER_RECHTERLIJKE_BESLISSING = "registreer-rechterlijke-beslissing"
REGISTREER_VERZOEK_ZORGMACHTIGING = "registreer-verzoek-zorgmachtiging"
BEEINDIG_CRISISMAATREGEL = "beeindig-crisismaatregel"
SIGNALEER_NADEREND_BESLUIT = "signaleer-naderend-besluit"
SIGNALEER_BESLUIT_TERMIJN_VERSTREKEN = "signaleer-besluit-termijn-verstreken"
SIGNALEER_EINDE_MAATREGEL = "signaleer-einde-maatregel"

CRISISDIENST = frozenset({Rol.CRISISDIENST})
CRISISTEAM = frozenset({Rol.CRISISDIENST, Rol.PSYCHIATER})
PSYCHIATER = frozenset({Rol.PSYCHIATER})
OVJ = frozenset({Rol.OVJ_KOPPELING})
BEHEER = frozenset({Rol.FUNCTIONEEL_BEHEER})
SYSTEEM = frozenset({Rol.SYSTEEM})


# Phase guards of a crisis case (a command that starts one needs none: its rule refuses a repeat).


def bestaand(state: Crisis, _command: Command[Any]) -> None:
    """Any phase of a started case: the advocaat's copy, and the signals (no-ops once moot)."""
    gemeld(state)


def lopend(state: Crisis, _command: Command[Any]) -> None:
    """While the case awaits a decision or its measure runs."""
    gemeld(state)
    if not state.open:
        raise violated("de crisiszaak is afgesloten")


def voor_besluit(state: Crisis, command: Command[Any]) -> None:
    """Preparing the decision: refused once the burgemeester decided."""
    lopend(state, command)
    if state.besloten:
        raise violated("de burgemeester heeft al besloten over deze crisismaatregel")


def lopend_of_verlopen(state: Crisis, _command: Command[Any]) -> None:
    """Also after an expiry the watcher recorded: a fact from before it may still be registered
    (the rule checks its moment)."""
    gemeld(state)
    if not state.open and not state.verlopen:
        raise violated("de crisiszaak is afgesloten")


def make_rulebook(
    regio: frozenset[str],
    besluit_binnen: timedelta = timedelta(hours=18),
    waarschuwing_na: timedelta = timedelta(hours=12),
    termijnregels: Termijnregels | None = None,
    rechtsgronden: Mapping[tuple[BesluitUitkomst, Ontvanger], str] | None = None,
) -> Rulebook[Crisis]:
    """The crisis rules for a region: the decision norm, its warning and the term rules."""
    parameters = Parameters(
        regio=regio,
        besluit_binnen=besluit_binnen,
        waarschuwing_na=waarschuwing_na,
        termijnregels=termijnregels or Termijnregels(),
        rechtsgronden={**RECHTSGRONDEN, **(rechtsgronden or {})},
    )
    return Rulebook(
        category=CATEGORY,
        zaak="een crisiszaak",
        fase_van=lambda state: state.fase,
        resource="crisiszaken",
        initial_state=Crisis(),
        evolve=evolve,
        gemeente_of=lambda state: state.gemeente,
        rules=(
            rule(
                name=MELD_CRISIS,
                payload=MeldCrisis,
                description="Registreer een crisis gemeld door politie of zorgverantwoordelijke.",
                rollen=CRISISDIENST,
                handeling="een crisis melden",
                case_id=lambda command: command.payload.crisis_id,
                decide=lambda state, command: start.meld_crisis(command, state, parameters),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=START_CRISIS_UIT_TRIAGE,
                payload=StartCrisisUitTriage,
                description="Start een crisiszaak voor een melding die de triage als crisis"
                " afrondde.",
                rollen=SYSTEEM,
                handeling="een crisiszaak uit triage starten",
                case_id=lambda command: start.crisis_id_for(command.payload.melding_id),
                decide=lambda state, command: start.start_uit_triage(command, state, parameters),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=LEG_TIJDELIJKE_ZORG_VAST,
                payload=LegTijdelijkeZorgVast,
                description="Leg tijdelijke verplichte zorg vóór het besluit vast (art. 7:3"
                " Wvggz).",
                rollen=CRISISTEAM,
                handeling="tijdelijke verplichte zorg vastleggen",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                decide=lambda state, command: voorbereiding.leg_tijdelijke_zorg_vast(
                    command, state
                ),
            ),
            rule(
                name=VRAAG_OVJ_GEGEVENS_OP,
                payload=VraagOvjGegevensOp,
                description="Vraag de officier om gegevens over eerdere maatregelen en"
                " machtigingen.",
                rollen=CRISISTEAM,
                handeling="gegevens bij de officier opvragen",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                decide=lambda state, command: voorbereiding.vraag_ovj_gegevens_op(command, state),
            ),
            rule(
                name=REGISTREER_OVJ_GEGEVENS,
                payload=RegistreerOvjGegevens,
                description="Registreer de gegevens van de officier.",
                rollen=OVJ,
                handeling="gegevens van de officier registreren",
                case_id=lambda command: command.payload.crisis_id,
                fase=lopend,
                decide=lambda state, command: voorbereiding.registreer_ovj_gegevens(command, state),
            ),
            rule(
                name=STEL_MEDISCHE_VERKLARING_OP,
                payload=StelMedischeVerklaringOp,
                description="Stel als onafhankelijk psychiater de medische verklaring op.",
                rollen=PSYCHIATER,
                handeling="een medische verklaring opstellen",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                toegang=toegang.eigen_verklaring,
                decide=lambda state, command: verklaring.stel_medische_verklaring_op(
                    command, state
                ),
            ),
            rule(
                name=ONDERTEKEN_MEDISCHE_VERKLARING,
                payload=OndertekenMedischeVerklaring,
                description="Onderteken de opgestelde medische verklaring.",
                rollen=PSYCHIATER,
                handeling="een medische verklaring ondertekenen",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                toegang=toegang.eigen_ondertekening,
                decide=lambda state, command: verklaring.onderteken_medische_verklaring(
                    command, state
                ),
            ),
            rule(
                name=HEROPEN_MEDISCHE_VERKLARING,
                payload=HeropenMedischeVerklaring,
                description="Heropen de medische verklaring zolang het horen niet is vastgelegd.",
                rollen=CRISISTEAM,
                handeling="een medische verklaring heropenen",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                decide=lambda state, command: verklaring.heropen_medische_verklaring(
                    command, state
                ),
            ),
            rule(
                name=LEG_HOORVERSLAG_VAST,
                payload=LegHoorverslagVast,
                description="Leg als hoorder van een gemandateerde partij het hoorverslag vast.",
                rollen=frozenset({Rol.HOORDER}),
                handeling="een hoorverslag vastleggen",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                toegang=toegang.gemandateerde_hoorder,
                lookups=(HOORMANDAAT,),
                decide=lambda state, command: horen.leg_hoorverslag_vast(command, state),
            ),
            rule(
                name=LEG_HOREN_ONMOGELIJK_VAST,
                payload=LegHorenOnmogelijkVast,
                description="Leg als hoorder van een gemandateerde partij vast waarom de"
                " betrokkene niet gehoord kon worden.",
                rollen=frozenset({Rol.HOORDER, Rol.CRISISDIENST}),
                handeling="vastleggen dat horen onmogelijk is",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                toegang=toegang.gemandateerde_hoorder_onmogelijk,
                lookups=(HOORMANDAAT,),
                decide=lambda state, command: horen.leg_horen_onmogelijk_vast(command, state),
            ),
            rule(
                name=STEL_INTEGRAAL_ADVIES_SAMEN,
                payload=StelIntegraalAdviesSamen,
                description="Stel het integraal advies aan de burgemeester samen.",
                rollen=frozenset({Rol.CRISISDIENST, Rol.HOORDER, Rol.FUNCTIONEEL_BEHEER}),
                handeling="het integraal advies samenstellen",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                decide=lambda state, command: advies.stel_integraal_advies_samen(command, state),
            ),
            rule(
                name=NEEM_BESLUIT,
                payload=NeemBesluit,
                description="Neem als (loco-)burgemeester het besluit over de crisismaatregel.",
                rollen=frozenset({Rol.BURGEMEESTER, Rol.LOCO_BURGEMEESTER}),
                handeling="over een crisismaatregel besluiten",
                case_id=lambda command: command.payload.crisis_id,
                fase=voor_besluit,
                toegang=toegang.geregistreerde_loco,
                lookups=(LOCO_REGISTRATIE,),
                decide=lambda state, command: besluit.neem_besluit(command, state, parameters),
            ),
            rule(
                name=REGISTREER_ADVOCAAT,
                payload=RegistreerAdvocaat,
                description="Registreer de toegewezen advocaat.",
                rollen=frozenset({Rol.FUNCTIONEEL_BEHEER, Rol.SYSTEEM}),
                handeling="een toegewezen advocaat registreren",
                case_id=lambda command: command.payload.crisis_id,
                fase=bestaand,
                decide=lambda state, command: afschriften.registreer_advocaat(
                    command, state, parameters
                ),
            ),
            rule(
                name=REGISTREER_VERZOEK_VOORTZETTING,
                payload=RegistreerVerzoekVoortzetting,
                description="Registreer het verzoek van de officier om een machtiging tot"
                " voortzetting.",
                rollen=OVJ,
                handeling="een verzoek tot voortzetting registreren",
                case_id=lambda command: command.payload.crisis_id,
                fase=lopend_of_verlopen,
                decide=lambda state, command: verloop.registreer_verzoek_voortzetting(
                    command, state, parameters
                ),
            ),
            rule(
                name=REGISTREER_RECHTERLIJKE_BESLISSING,
                payload=RegistreerRechterlijkeBeslissing,
                description="Registreer de beslissing van de rechter op een verzoek van de"
                " officier.",
                rollen=OVJ,
                handeling="een rechterlijke beslissing registreren",
                case_id=lambda command: command.payload.crisis_id,
                fase=lopend_of_verlopen,
                decide=lambda state, command: verloop.registreer_rechterlijke_beslissing(
                    command, state, parameters
                ),
            ),
            rule(
                name=REGISTREER_VERZOEK_ZORGMACHTIGING,
                payload=RegistreerVerzoekZorgmachtiging,
                description="Registreer het verzoek om een zorgmachtiging tijdens de voortzetting.",
                rollen=OVJ,
                handeling="een verzoek tot zorgmachtiging registreren",
                case_id=lambda command: command.payload.crisis_id,
                fase=lopend_of_verlopen,
                decide=lambda state, command: verloop.registreer_verzoek_zorgmachtiging(
                    command, state, parameters
                ),
            ),
            rule(
                name=BEEINDIG_CRISISMAATREGEL,
                payload=BeeindigCrisismaatregel,
                description="Beëindig de crisismaatregel namens de geneesheer-directeur.",
                rollen=BEHEER,
                handeling="de crisismaatregel namens de geneesheer-directeur beëindigen",
                case_id=lambda command: command.payload.crisis_id,
                fase=lopend,
                decide=lambda state, command: verloop.beeindig_crisismaatregel(command, state),
            ),
            rule(
                name=SIGNALEER_NADEREND_BESLUIT,
                payload=SignaleerNaderendBesluit,
                description="Termijnbewaking: het waarschuwingsmoment vóór de besluittermijn is"
                " bereikt.",
                rollen=SYSTEEM,
                handeling="een naderende besluittermijn signaleren",
                case_id=lambda command: command.payload.crisis_id,
                fase=bestaand,
                decide=lambda state, command: termijnbewaking.signaleer_naderend_besluit(
                    command, state
                ),
            ),
            rule(
                name=SIGNALEER_BESLUIT_TERMIJN_VERSTREKEN,
                payload=SignaleerBesluitTermijnVerstreken,
                description="Termijnbewaking: de besluittermijn is verstreken.",
                rollen=SYSTEEM,
                handeling="een verstreken besluittermijn signaleren",
                case_id=lambda command: command.payload.crisis_id,
                fase=bestaand,
                decide=lambda state, command: termijnbewaking.signaleer_besluit_termijn_verstreken(
                    command, state
                ),
            ),
            rule(
                name=SIGNALEER_EINDE_MAATREGEL,
                payload=SignaleerEindeMaatregel,
                description="Termijnbewaking: het einde van de crisismaatregel is bereikt.",
                rollen=SYSTEEM,
                handeling="het einde van de maatregel signaleren",
                case_id=lambda command: command.payload.crisis_id,
                fase=bestaand,
                decide=lambda state, command: termijnbewaking.signaleer_einde_maatregel(
                    command, state
                ),
            ),
        ),
    )
