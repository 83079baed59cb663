"""A chain partner and its subscriptions: the state its events fold into, and its rules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.notificaties import (
    Abonneer,
    AbonnementAangemaakt,
    AbonnementBeeindigd,
    BeeindigAbonnement,
    PartnerGeregistreerd,
    RegistreerPartner,
)

from kernel.decider import Command, DomainError, violated


@dataclass(frozen=True)
class Partner:
    """A registered partner and its subscriptions that run."""

    geregistreerd: PartnerGeregistreerd | None = None
    abonnementen: dict[str, AbonnementAangemaakt] = field(default_factory=dict)

    @property
    def fase(self) -> str:
        """Where the partner stands, in words for people."""
        if self.geregistreerd is None:
            return ""
        return f"geregistreerd, {len(self.abonnementen)} lopende abonnementen"


def evolve(state: Partner, event: DomainEvent) -> Partner:
    """The partner after one more event."""
    if isinstance(event, PartnerGeregistreerd):
        return replace(state, geregistreerd=event)
    if isinstance(event, AbonnementAangemaakt):
        return replace(state, abonnementen={**state.abonnementen, str(event.abonnement_id): event})
    if isinstance(event, AbonnementBeeindigd):
        lopend = {k: v for k, v in state.abonnementen.items() if k != str(event.abonnement_id)}
        return replace(state, abonnementen=lopend)
    return state


def gemeente_of(state: Partner) -> str | None:
    """The gemeente whose functioneel beheer manages the partner."""
    return state.geregistreerd.beheerd_door if state.geregistreerd else None


def bestaat(state: Partner, _command: Command[Any]) -> None:
    """Subscriptions are of a registered partner."""
    if state.geregistreerd is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen partner met dit id", "partner_id")


def registreer(command: Command[RegistreerPartner], state: Partner) -> list[DomainEvent]:
    """A new partner, once."""
    if state.geregistreerd is not None:
        raise violated("deze partner is al geregistreerd", "partner_id")
    p = command.payload
    return [
        PartnerGeregistreerd(
            partner_id=p.partner_id,
            naam=p.naam,
            oin=p.oin,
            soort=p.soort,
            beheerd_door=p.beheerd_door,
        )
    ]


def abonneer(
    command: Command[Abonneer], state: Partner, soorten: frozenset[str], regio: frozenset[str]
) -> list[DomainEvent]:
    """A subscription to event types the platform publishes, in gemeenten of the region."""
    p = command.payload
    if str(p.abonnement_id) in state.abonnementen:
        raise violated("dit abonnement loopt al", "abonnement_id")
    onbekend = sorted(set(p.gebeurtenissen) - soorten)
    if onbekend:
        raise violated(f"het platform publiceert geen {onbekend[0]}", "gebeurtenissen")
    buiten = sorted(set(p.gemeenten) - regio)
    if buiten:
        raise violated(f"gemeente {buiten[0]} hoort niet bij deze regio", "gemeenten")
    return [
        AbonnementAangemaakt(
            partner_id=p.partner_id,
            abonnement_id=p.abonnement_id,
            gebeurtenissen=sorted(set(p.gebeurtenissen)),
            gemeenten=sorted(set(p.gemeenten)),
            kanaal=p.kanaal,
        )
    ]


def beeindig(command: Command[BeeindigAbonnement], state: Partner) -> list[DomainEvent]:
    """End a subscription that runs."""
    p = command.payload
    if str(p.abonnement_id) not in state.abonnementen:
        raise violated("dit abonnement loopt niet", "abonnement_id")
    return [
        AbonnementBeeindigd(partner_id=p.partner_id, abonnement_id=p.abonnement_id, reden=p.reden)
    ]
