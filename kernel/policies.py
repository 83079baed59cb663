"""Typed policies between services: on another service's event, send one of our own commands.

A policy is a pure translation from a contracts event model to one of the service's command
payloads (or None: not for us). The kernel does the rest: the durable consumer of the event's
subject, parsing and trust checks, a command id derived from the event (so a redelivery appends
nothing), the service's system identity, back-off on passing failures, and parking of an event
whose command can never succeed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.subjects import event_filter
from wvggz_contracts.typen import OPGESLAGEN

from kernel.bus.consumer import PermanentFailure, command_id_for, require_ok
from kernel.bus.streams import ConsumerSpec
from kernel.logsafe import describe

E = TypeVar("E", bound=DomainEvent)
P = TypeVar("P", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Policy(Generic[E, P]):
    """On event `event` (of another service), send our command with payload type `command`."""

    durable: str
    """Name of the durable consumer; starts with the service's name."""
    event: type[E]
    command: type[P]
    translate: Callable[[E], P | None]
    description: str

    @property
    def consumer(self) -> ConsumerSpec:
        """The durable consumer the bootstrap identity creates for this policy."""
        return ConsumerSpec(self.durable, event_filter(self.event.event_type), self.description)

    def payload_for(self, event: CloudEvent) -> P | None:
        """Our command's payload for a trusted event, or None; PermanentFailure if unreadable."""
        try:
            data = self.event.model_validate(event.data, context={OPGESLAGEN: True})
        except ValidationError as invalid:
            raise PermanentFailure(f"{self.event.__name__}: {describe(invalid)}") from None
        return self.translate(data)


def policy_command_body(policy: Policy[Any, Any], event: CloudEvent, name: str) -> dict[str, Any]:
    """The command request a policy sends for an event, or {} when the event is not for it.

    The command id derives from the event id and the command's name, as before policies were
    declared, so events delivered again after an upgrade still append nothing new.
    """
    payload = policy.payload_for(event)
    if payload is None:
        return {}
    return {
        "command_id": str(command_id_for(event, name)),
        "correlation_id": str(event.correlationid),
        "payload": payload.model_dump(mode="json"),
    }


__all__ = ["Policy", "policy_command_body", "require_ok"]
