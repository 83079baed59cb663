"""Every doorzetting command, declared once: functioneel beheer keeps the directory of tables,
professionals of the responsible gemeente escalate cases, the service signals stagnation."""

from __future__ import annotations

from typing import Final

from wvggz_contracts.commands import Rol
from wvggz_contracts.doorzetting import (
    HefTafelOp,
    LosEscalatieOp,
    RegistreerEscalatie,
    RegistreerTafel,
    SchaalOp,
    SignaleerStagnatie,
    WijzigTafel,
)

from kernel.rules import Rulebook, rule
from services.overleg.doorzetting import escalaties, tafels
from services.overleg.doorzetting.escalaties import Escalatie
from services.overleg.doorzetting.tafels import Tafel

TAFEL: Final = "overlegtafel"
"""Stream category of a table: `overlegtafel-<tafel_id>`."""

ESCALATIE: Final = "escalatie"
"""Stream category of an escalated case: `escalatie-<escalatie_id>`."""

SIGNALEER_STAGNATIE: Final = "signaleer-stagnatie"
"""The system's command that records a case standing still on its rung."""

BEHEER: Final = frozenset({Rol.FUNCTIONEEL_BEHEER})

PROFESSIONALS: Final = frozenset(
    {Rol.CONSULENT, Rol.GGZ_CONSULTANT, Rol.CRISISDIENST, Rol.FUNCTIONEEL_BEHEER}
)
"""Who registers, moves up and resolves escalations (of the responsible gemeente)."""


def make_tafel_rulebook(regio: frozenset[str]) -> Rulebook[Tafel]:
    """The directory's rules for a region: functioneel beheer of the managing gemeente keeps
    its own tables."""
    return Rulebook(
        category=TAFEL,
        zaak="een overlegtafel",
        resource="overlegtafels",
        fase_van=lambda state: state.fase,
        initial_state=Tafel(),
        evolve=tafels.evolve,
        gemeente_of=tafels.gemeente_of,
        rules=(
            rule(
                name="registreer-tafel",
                payload=RegistreerTafel,
                description="Neem een overlegtafel op in het overzicht van de regio.",
                rollen=BEHEER,
                handeling="een overlegtafel registreren",
                case_id=lambda command: command.payload.tafel_id,
                decide=lambda state, command: tafels.registreer(command, state, regio),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name="wijzig-tafel",
                payload=WijzigTafel,
                description="Vervang wat het overzicht over een overlegtafel zegt.",
                rollen=BEHEER,
                handeling="een overlegtafel wijzigen",
                case_id=lambda command: command.payload.tafel_id,
                decide=lambda state, command: tafels.wijzig(command, state),
                fase=tafels.actief,
            ),
            rule(
                name="hef-tafel-op",
                payload=HefTafelOp,
                description="Hef een overlegtafel op: zij verdwijnt uit het overzicht.",
                rollen=BEHEER,
                handeling="een overlegtafel opheffen",
                case_id=lambda command: command.payload.tafel_id,
                decide=lambda state, command: tafels.hef_op(command, state),
                fase=tafels.actief,
            ),
        ),
    )


def make_escalatie_rulebook(regio: frozenset[str]) -> Rulebook[Escalatie]:
    """The escalation ladder's rules for a region: the gemeente where the person lives holds
    the case; only the service itself signals stagnation."""
    return Rulebook(
        category=ESCALATIE,
        zaak="een escalatie",
        resource="escalaties",
        fase_van=lambda state: state.fase,
        initial_state=Escalatie(),
        evolve=escalaties.evolve,
        gemeente_of=escalaties.gemeente_of,
        rules=(
            rule(
                name="registreer-escalatie",
                payload=RegistreerEscalatie,
                description="Registreer een casus zonder passende plek voor doorzetting"
                " (gepseudonimiseerd: een eigen referentie, geen BSN of naam).",
                rollen=PROFESSIONALS,
                handeling="een escalatie registreren",
                case_id=lambda command: command.payload.escalatie_id,
                decide=lambda state, command: escalaties.registreer(command, state, regio),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name="schaal-op",
                payload=SchaalOp,
                description="Schaal een escalatie op naar een hoger niveau.",
                rollen=PROFESSIONALS,
                handeling="een escalatie opschalen",
                case_id=lambda command: command.payload.escalatie_id,
                decide=lambda state, command: escalaties.schaal_op(command, state),
                fase=escalaties.lopend,
            ),
            rule(
                name="los-escalatie-op",
                payload=LosEscalatieOp,
                description="Leg vast dat een escalatie is opgelost.",
                rollen=PROFESSIONALS,
                handeling="een escalatie oplossen",
                case_id=lambda command: command.payload.escalatie_id,
                decide=lambda state, command: escalaties.los_op(command, state),
                fase=escalaties.lopend,
            ),
            rule(
                name=SIGNALEER_STAGNATIE,
                payload=SignaleerStagnatie,
                description="Signaleer dat een escalatie te lang op één niveau staat (alleen de"
                " dienst zelf).",
                rollen=frozenset({Rol.SYSTEEM}),
                handeling="stagnatie signaleren",
                case_id=lambda command: command.payload.escalatie_id,
                decide=lambda state, command: escalaties.signaleer_stagnatie(command, state),
                fase=escalaties.lopend,
            ),
        ),
    )
