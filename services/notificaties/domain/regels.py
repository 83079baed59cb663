"""Every notificaties command, declared once: functioneel beheer manages the partners and
releases given-up deliveries; the service itself records giving up."""

from __future__ import annotations

from wvggz_contracts.commands import Rol
from wvggz_contracts.notificaties import (
    Abonneer,
    BeeindigAbonnement,
    GeefLeveringOp,
    HerleverLeveringen,
    RegistreerPartner,
)

from kernel.rules import Rulebook, rule
from services.notificaties.domain.partners import (
    CODE_IN_GEBRUIK,
    Partner,
    abonneer,
    beeindig,
    bestaat,
    evolve,
    geef_op,
    gemeente_of,
    herlever,
    registreer,
)

CATEGORY = "partner"
"""Stream category of a partner: `partner-<partner_id>`."""


def make_rulebook(
    regio: frozenset[str], soorten: frozenset[str], op_de_bus: frozenset[str] = frozenset()
) -> Rulebook[Partner]:
    """The partner rules for a region, the event types its services publish, and the partner
    codes that have a NATS identity and stream (`WVGGZ_NATS_PARTNERS`)."""
    beheer = frozenset({Rol.FUNCTIONEEL_BEHEER})
    return Rulebook(
        category=CATEGORY,
        zaak="een partner",
        resource="partners",
        fase_van=lambda state: state.fase,
        initial_state=Partner(),
        evolve=evolve,
        gemeente_of=gemeente_of,
        rules=(
            rule(
                name="registreer-partner",
                payload=RegistreerPartner,
                description="Registreer een ketenpartner van de regio.",
                rollen=beheer,
                handeling="een partner registreren",
                case_id=lambda command: command.payload.partner_id,
                decide=lambda state, command: registreer(command, state),
                lookups=(CODE_IN_GEBRUIK,),
                opent=True,
                gemeente=lambda payload: payload.beheerd_door,
            ),
            rule(
                name="abonneer",
                payload=Abonneer,
                description="Abonneer een partner op soorten gebeurtenissen.",
                rollen=beheer,
                handeling="een abonnement aanmaken",
                case_id=lambda command: command.payload.partner_id,
                decide=lambda state, command: abonneer(command, state, soorten, regio, op_de_bus),
                fase=bestaat,
            ),
            rule(
                name="beeindig-abonnement",
                payload=BeeindigAbonnement,
                description="Beëindig een abonnement van een partner.",
                rollen=beheer,
                handeling="een abonnement beëindigen",
                case_id=lambda command: command.payload.partner_id,
                decide=lambda state, command: beeindig(command, state),
                fase=bestaat,
            ),
            rule(
                name="geef-levering-op",
                payload=GeefLeveringOp,
                description="Geef een levering op na de termijn (alleen de dienst zelf).",
                rollen=frozenset({Rol.SYSTEEM}),
                handeling="een levering opgeven",
                case_id=lambda command: command.payload.partner_id,
                decide=lambda state, command: geef_op(command, state),
                fase=bestaat,
            ),
            rule(
                name="herlever-leveringen",
                payload=HerleverLeveringen,
                description="Lever opgegeven notificaties van een partner opnieuw af.",
                rollen=beheer,
                handeling="opgegeven leveringen herleveren",
                case_id=lambda command: command.payload.partner_id,
                decide=lambda state, command: herlever(command, state),
                fase=bestaat,
            ),
        ),
    )
