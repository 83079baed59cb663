"""The Decider shape: pure decide/evolve over a case's events; time and ids on the command."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar, cast
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode
from wvggz_contracts.events import DomainEvent

P = TypeVar("P", bound=BaseModel)
S = TypeVar("S")
F = TypeVar("F")

_IDS = uuid.UUID("6f1d0a3e-8c1b-5d7e-9a41-3c2b7f0e9d55")


def derived_id(source: UUID, purpose: str) -> UUID:
    """A deterministic id derived from another id, so a retried or redelivered step repeats it."""
    return uuid.uuid5(_IDS, f"{source}:{purpose}")


@dataclass(frozen=True, slots=True)
class Lookup(Generic[F]):
    """A fact only the service knows, looked up for a command before it is decided.

    A rule declares the lookups it needs; the service's composition provides one function per
    lookup, and the kernel refuses to start a service that misses one. The fact travels on the
    command, never in its public payload, so no client can supply it.
    """

    name: str


@dataclass(frozen=True, slots=True)
class Command(Generic[P]):
    """A command as the domain sees it: what is asked, by whom, when, under which id, and the
    facts the service looked up for it."""

    command_id: UUID
    at: datetime
    actor: Actor
    payload: P
    feiten: Mapping[str, Any] = field(default_factory=dict)

    def feit(self, lookup: Lookup[F]) -> F:
        """A looked-up fact (KeyError if the rule did not declare the lookup)."""
        return cast(F, self.feiten[lookup.name])


class DomainError(Exception):
    """A command cannot be carried out; the code tells callers how to react."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def refuse(message: str) -> DomainError:
    """An authorisation refusal (role or gemeente), to raise from `authorize`."""
    return DomainError(ErrorCode.FORBIDDEN, message)


def violated(message: str, field: str | None = None) -> DomainError:
    """A broken business rule, to raise from `decide`."""
    return DomainError(ErrorCode.RULE_VIOLATED, message, field)


@dataclass(frozen=True, slots=True)
class Decider(Generic[S]):
    """One kind of case (stream category) with its pure rules."""

    category: str
    initial_state: S
    evolve: Callable[[S, DomainEvent], S]
    decide: Callable[[Command[Any], S], Sequence[DomainEvent]]
    authorize: Callable[[Command[Any], S], None]
    gemeente_of: Callable[[S], str | None]

    def fold(self, events: Iterable[DomainEvent]) -> S:
        """The state after all these events."""
        state = self.initial_state
        for event in events:
            state = self.evolve(state, event)
        return state

    def stream(self, case_id: UUID) -> str:
        """The event stream of one case."""
        return f"{self.category}-{case_id}"


@dataclass(frozen=True, slots=True)
class CommandSpec(Generic[P]):
    """A command a service accepts: its subject name, payload model and target case."""

    name: str
    payload: type[P]
    case_id: Callable[[Command[P]], UUID]
    description: str
    lookups: tuple[Lookup[Any], ...] = ()
