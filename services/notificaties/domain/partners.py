"""A chain partner and its subscriptions: the state its events fold into, and its rules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.notificaties import (
    Abonneer,
    AbonnementAangemaakt,
    AbonnementBeeindigd,
    BeeindigAbonnement,
    GeefLeveringOp,
    HerleverLeveringen,
    Kanaal,
    LeveringenHerleverd,
    LeveringOpgegeven,
    PartnerGeregistreerd,
    RegistreerPartner,
)

from kernel.decider import Command, DomainError, Lookup, violated

CODE_IN_GEBRUIK: Lookup[UUID | None] = Lookup("partner-code")
"""The partner that already has the code asked for, if any: a code names one partner on the bus."""


@dataclass(frozen=True)
class Partner:
    """A registered partner, its subscriptions that run, and the deliveries given up on."""

    geregistreerd: PartnerGeregistreerd | None = None
    abonnementen: dict[str, AbonnementAangemaakt] = field(default_factory=dict)
    opgegeven: frozenset[str] = frozenset()
    """Event ids of the notifications whose delivery was given up and not yet released."""
    beeindigd: frozenset[str] = frozenset()
    """Ids of ended subscriptions: never used again (a webhook's secret derives from it)."""

    @property
    def fase(self) -> str:
        """Where the partner stands, in words for people."""
        if self.geregistreerd is None:
            return ""
        fase = f"geregistreerd, {len(self.abonnementen)} lopende abonnementen"
        return f"{fase}, {len(self.opgegeven)} opgegeven leveringen" if self.opgegeven else fase


def evolve(state: Partner, event: DomainEvent) -> Partner:
    """The partner after one more event."""
    if isinstance(event, PartnerGeregistreerd):
        return replace(state, geregistreerd=event)
    if isinstance(event, AbonnementAangemaakt):
        return replace(state, abonnementen={**state.abonnementen, str(event.abonnement_id): event})
    if isinstance(event, AbonnementBeeindigd):
        lopend = {k: v for k, v in state.abonnementen.items() if k != str(event.abonnement_id)}
        return replace(
            state, abonnementen=lopend, beeindigd=state.beeindigd | {str(event.abonnement_id)}
        )
    if isinstance(event, LeveringOpgegeven):
        return replace(state, opgegeven=state.opgegeven | {str(event.event_id)})
    if isinstance(event, LeveringenHerleverd):
        return replace(state, opgegeven=state.opgegeven - {str(e) for e in event.event_ids})
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
    houder = command.feit(CODE_IN_GEBRUIK) if p.code else None
    if houder is not None and houder != p.partner_id:
        raise violated(f"de code {p.code} is al van een andere partner", "code")
    return [
        PartnerGeregistreerd(
            partner_id=p.partner_id,
            naam=p.naam,
            oin=p.oin,
            soort=p.soort,
            beheerd_door=p.beheerd_door,
            code=p.code,
        )
    ]


def abonneer(
    command: Command[Abonneer],
    state: Partner,
    soorten: frozenset[str],
    regio: frozenset[str],
    op_de_bus: frozenset[str],
) -> list[DomainEvent]:
    """A subscription to event types the platform publishes, in gemeenten of the region; on the
    NATS channel only for a partner whose code has its own stream on the bus."""
    p = command.payload
    if str(p.abonnement_id) in state.abonnementen:
        raise violated("dit abonnement loopt al", "abonnement_id")
    if str(p.abonnement_id) in state.beeindigd:
        raise violated("dit abonnement is beëindigd; kies een nieuw id", "abonnement_id")
    onbekend = sorted(set(p.gebeurtenissen) - soorten)
    if onbekend:
        raise violated(f"het platform publiceert geen {onbekend[0]}", "gebeurtenissen")
    buiten = sorted(set(p.gemeenten) - regio)
    if buiten:
        raise violated(f"gemeente {buiten[0]} hoort niet bij deze regio", "gemeenten")
    assert state.geregistreerd is not None  # the rule's phase check
    code = state.geregistreerd.code
    if p.kanaal is Kanaal.NATS and code is None:
        raise violated("een partner zonder code kan niet via NATS ontvangen", "kanaal")
    if p.kanaal is Kanaal.NATS and code not in op_de_bus:
        raise violated(
            f"partner {code} heeft geen stroom op de bus; voeg de code toe aan"
            " WVGGZ_NATS_PARTNERS en draai wvggz bus-config en wvggz bootstrap",
            "kanaal",
        )
    return [
        AbonnementAangemaakt(
            partner_id=p.partner_id,
            abonnement_id=p.abonnement_id,
            gebeurtenissen=sorted(set(p.gebeurtenissen)),
            procedures=sorted(set(p.procedures)),
            gemeenten=sorted(set(p.gemeenten)),
            kanaal=p.kanaal,
            url=p.url,
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


def geef_op(command: Command[GeefLeveringOp], state: Partner) -> list[DomainEvent]:
    """Record that one notification is given up on; once while it stays given up."""
    p = command.payload
    if str(p.event_id) in state.opgegeven:
        return []
    return [
        LeveringOpgegeven(
            partner_id=p.partner_id,
            event_id=p.event_id,
            zaak=p.zaak,
            type=p.type,
            pogingen=p.pogingen,
            reden=p.reden,
            sinds=p.sinds,
        )
    ]


def herlever(command: Command[HerleverLeveringen], state: Partner) -> list[DomainEvent]:
    """Release given-up notifications for delivery again: each must be given up now."""
    p = command.payload
    onbekend = [e for e in p.event_ids if str(e) not in state.opgegeven]
    if onbekend:
        raise violated(f"de levering van {onbekend[0]} is niet opgegeven", "event_ids")
    return [
        LeveringenHerleverd(partner_id=p.partner_id, event_ids=list(dict.fromkeys(p.event_ids)))
    ]
