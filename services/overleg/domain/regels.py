"""Every regio-overleg command, declared once: the secretariaat runs the overleg, functioneel
beheer may set it up and register hours, the platform signals what is missing."""

from __future__ import annotations

from wvggz_contracts.commands import Rol
from wvggz_contracts.overleg import (
    EscaleerAgendapunt,
    LegAfspraakVast,
    LegVerslagVast,
    PlanVergadering,
    RegistreerUren,
    SignaleerOntbrekendClientenperspectief,
    SignaleerOntbrekendOverleg,
    StelOverlegIn,
    WijzigAfspraakStatus,
    WijzigDeelnemers,
    ZetOpAgenda,
)

from kernel.rules import Rulebook, rule
from services.overleg.domain.overleg import (
    RegioOverleg,
    agendeer,
    bestaat,
    escaleer,
    evolve,
    gemeente_of,
    houd,
    plan,
    registreer_uren,
    signaleer_clientenperspectief,
    signaleer_overleg,
    spreek_af,
    stel_in,
    wijzig_deelnemers,
    wijzig_status,
)

CATEGORY = "regio-overleg"
"""Stream category of a regio-overleg: `regio-overleg-<overleg_id>`."""

SECRETARIAAT = frozenset({Rol.SECRETARIAAT})
INRICHTING = frozenset({Rol.SECRETARIAAT, Rol.FUNCTIONEEL_BEHEER})
SYSTEEM = frozenset({Rol.SYSTEEM})

SIGNALEER_OVERLEG = "signaleer-ontbrekend-overleg"
SIGNALEER_CLIENTENPERSPECTIEF = "signaleer-ontbrekend-clientenperspectief"


def make_rulebook(regio: frozenset[str]) -> Rulebook[RegioOverleg]:
    """The regio-overleg's rules for the gemeenten of a region."""
    return Rulebook(
        category=CATEGORY,
        zaak="een regio-overleg",
        resource="regio-overleggen",
        fase_van=lambda state: state.fase,
        initial_state=RegioOverleg(),
        evolve=evolve,
        gemeente_of=gemeente_of,
        rules=(
            rule(
                name="stel-overleg-in",
                payload=StelOverlegIn,
                description="Stel het regio-overleg (art. 8:31 Wvggz) van de regio in.",
                rollen=INRICHTING,
                handeling="een regio-overleg instellen",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: stel_in(command, state, regio),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name="wijzig-deelnemers",
                payload=WijzigDeelnemers,
                description="Leg de samenstelling van het regio-overleg opnieuw vast.",
                rollen=INRICHTING,
                handeling="de deelnemers wijzigen",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda _state, command: wijzig_deelnemers(command, regio),
                fase=bestaat,
            ),
            rule(
                name="plan-vergadering",
                payload=PlanVergadering,
                description="Plan een vergadering van het regio-overleg.",
                rollen=SECRETARIAAT,
                handeling="een vergadering plannen",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: plan(command, state),
                fase=bestaat,
            ),
            rule(
                name="zet-op-agenda",
                payload=ZetOpAgenda,
                description="Zet een punt op de agenda van een geplande vergadering.",
                rollen=SECRETARIAAT,
                handeling="de agenda opstellen",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: agendeer(command, state),
                fase=bestaat,
            ),
            rule(
                name="leg-verslag-vast",
                payload=LegVerslagVast,
                description="Leg het verslag van een gehouden vergadering vast.",
                rollen=SECRETARIAAT,
                handeling="een verslag vastleggen",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: houd(command, state),
                fase=bestaat,
            ),
            rule(
                name="leg-afspraak-vast",
                payload=LegAfspraakVast,
                description="Leg een afspraak (actie) van een vergadering vast.",
                rollen=SECRETARIAAT,
                handeling="een afspraak vastleggen",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: spreek_af(command, state),
                fase=bestaat,
            ),
            rule(
                name="wijzig-afspraak-status",
                payload=WijzigAfspraakStatus,
                description="Werk de status van een afspraak bij; gereed haalt haar van de agenda.",
                rollen=SECRETARIAAT,
                handeling="een afspraak bijwerken",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: wijzig_status(command, state),
                fase=bestaat,
            ),
            rule(
                name="escaleer-agendapunt",
                payload=EscaleerAgendapunt,
                description="Leg vast dat een agendapunt naar een andere tafel gaat.",
                rollen=SECRETARIAAT,
                handeling="een agendapunt escaleren",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: escaleer(command, state),
                fase=bestaat,
            ),
            rule(
                name="registreer-uren",
                payload=RegistreerUren,
                description="Registreer uren voor de regionale begroting (horen, consultatie,"
                " secretariaat).",
                rollen=INRICHTING,
                handeling="uren registreren",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: registreer_uren(command, state, regio),
                fase=bestaat,
            ),
            rule(
                name=SIGNALEER_OVERLEG,
                payload=SignaleerOntbrekendOverleg,
                description="Signaleer een kwartaal zonder geplande vergadering"
                " (alleen de dienst).",
                rollen=SYSTEEM,
                handeling="een ontbrekend overleg signaleren",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: signaleer_overleg(command, state),
                fase=bestaat,
            ),
            rule(
                name=SIGNALEER_CLIENTENPERSPECTIEF,
                payload=SignaleerOntbrekendClientenperspectief,
                description="Signaleer een jaar zonder cliënten- en familieorganisaties aan tafel"
                " (alleen de dienst).",
                rollen=SYSTEEM,
                handeling="een ontbrekend cliëntenperspectief signaleren",
                case_id=lambda command: command.payload.overleg_id,
                decide=lambda state, command: signaleer_clientenperspectief(command, state),
                fase=bestaat,
            ),
        ),
    )
