"""One declaration per command: its contract, who may give it, when, on which case, its rule.

A service declares each command once with `rule(...)` and groups the rules of one kind of case in a
`Rulebook`; the kernel derives from them the command specs (subjects, schemas), the dispatch,
the role and gemeente checks and the phase guards. mypy checks that each rule's pure `decide`
takes the payload type the rule declares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, CommandSpec, Decider, DomainError, Lookup, refuse

_PROBE = UUID(int=0)


class _NoPayload(BaseModel):
    """What a phase guard is asked with when no command is being sent yet."""


_NO_PAYLOAD = _NoPayload()

S = TypeVar("S")
S_contra = TypeVar("S_contra", contravariant=True)
P = TypeVar("P", bound=BaseModel)

Decide = Callable[[S, Command[P]], Sequence[DomainEvent]]
"""A pure rule: the events a command produces on a case's state, or a DomainError."""

Check = Callable[[S, Command[P]], None]
"""A check that raises a DomainError (e.g. `refuse` for a missing mandate) or returns."""


def altijd(_state: Any, _command: Any) -> None:
    """A rule allowed in every phase of its case."""


@dataclass(frozen=True, slots=True)
class Rule(Generic[S, P]):
    """One command of one kind of case.

    `fase` guards the phases in which the command is allowed (raise `violated` or `not_found`);
    `toegang` adds authorisation beyond role and gemeente (raise `refuse`: it is audited);
    `lookups` name facts only the service knows (a mandate), found before deciding and read
    with `command.feit(...)` — never fields of the public payload. `opent` marks a command
    that starts a new case: its gemeente is then `gemeente(payload)`.
    """

    name: str
    payload: type[P]
    description: str
    rollen: frozenset[Rol]
    handeling: str
    case_id: Callable[[Command[P]], UUID]
    decide: Decide[S, P]
    fase: Check[S, P] = altijd
    toegang: Check[S, P] = altijd
    lookups: tuple[Lookup[Any], ...] = ()
    opent: bool = False
    gemeente: Callable[[P], str] | None = None

    @property
    def spec(self) -> CommandSpec[P]:
        """What the kernel serves on the bus for this command."""
        return CommandSpec(
            name=self.name,
            payload=self.payload,
            case_id=self.case_id,
            description=self.description,
            lookups=self.lookups,
        )


class Declared(Protocol[S_contra]):
    """A rule as its rulebook sees it, whatever its payload type.

    Rulebooks take rules through this protocol rather than as `Rule[S, Any]`, so that mypy
    infers each rule's payload type from its own declaration and checks its `decide`.
    """

    @property
    def name(self) -> str: ...
    @property
    def payload(self) -> type[BaseModel]: ...
    @property
    def rollen(self) -> frozenset[Rol]: ...
    @property
    def handeling(self) -> str: ...
    @property
    def opent(self) -> bool: ...
    @property
    def gemeente(self) -> Callable[[Any], str] | None: ...
    @property
    def decide(self) -> Callable[[S_contra, Command[Any]], Sequence[DomainEvent]]: ...
    @property
    def fase(self) -> Callable[[S_contra, Command[Any]], None]: ...
    @property
    def toegang(self) -> Callable[[S_contra, Command[Any]], None]: ...
    @property
    def spec(self) -> CommandSpec[Any]: ...


def rule(
    *,
    name: str,
    payload: type[P],
    description: str,
    rollen: frozenset[Rol],
    handeling: str,
    case_id: Callable[[Command[P]], UUID],
    decide: Decide[S, P],
    fase: Check[S, P] = altijd,
    toegang: Check[S, P] = altijd,
    lookups: tuple[Lookup[Any], ...] = (),
    opent: bool = False,
    gemeente: Callable[[P], str] | None = None,
) -> Declared[S]:
    """Declare one command (see `Rule`); mypy checks `decide`, `case_id` and the checks against
    `payload`, which a `Rule(...)` written inside a rulebook's tuple would not get."""
    return Rule(
        name=name,
        payload=payload,
        description=description,
        rollen=rollen,
        handeling=handeling,
        case_id=case_id,
        decide=decide,
        fase=fase,
        toegang=toegang,
        lookups=lookups,
        opent=opent,
        gemeente=gemeente,
    )


@dataclass(frozen=True)
class Rulebook(Generic[S]):
    """The rules of one kind of case (a stream category) and its fold."""

    category: str
    zaak: str
    """How refusals name a case, e.g. "een melding"."""
    resource: str
    """The HTTP API collection of these cases, a Dutch plural in lower case, e.g. `meldingen`."""
    initial_state: S
    evolve: Callable[[S, DomainEvent], S]
    gemeente_of: Callable[[S], str | None]
    rules: Sequence[Declared[S]]
    fase_van: Callable[[S], str] = lambda _state: ""
    """Where a case stands, in words for people (the portal's dossier shows it)."""
    _by_payload: Mapping[type[BaseModel], Declared[S]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_payload: dict[type[BaseModel], Declared[S]] = {}
        for rule in self.rules:
            if rule.payload in by_payload:
                raise ValueError(f"two rules for {rule.payload.__name__} in {self.category}")
            if rule.opent and rule.gemeente is None:
                raise ValueError(f"{rule.name} opens a case but says not for which gemeente")
            by_payload[rule.payload] = rule
        object.__setattr__(self, "_by_payload", by_payload)

    def rule_for(self, command: Command[Any]) -> Declared[S]:
        """The rule of a command (the kernel only builds commands of declared payload types)."""
        return self._by_payload[type(command.payload)]

    def authorize(self, command: Command[Any], state: S) -> None:
        """Refuse an actor without one of the rule's roles, or acting for another gemeente."""
        rule = self.rule_for(command)
        actor = command.actor
        if actor.rol not in rule.rollen:
            rollen = sorted(rule.rollen)
            wie = (
                f"de rol {rollen[0]} mag"
                if len(rollen) == 1
                else f"de rollen {' of '.join(rollen)} mogen"
            )
            raise refuse(f"alleen {wie} {rule.handeling}, niet de rol {actor.rol}")
        gemeente = self.gemeente_of(state)
        if gemeente is None and rule.opent and rule.gemeente is not None:
            gemeente = rule.gemeente(command.payload)
        # A case that does not exist belongs to nobody: its phase guard answers not_found.
        if gemeente is not None and actor.gemeente != gemeente:
            raise refuse(f"{actor.gemeente} mag niet handelen voor {self.zaak} van {gemeente}")
        rule.toegang(state, command)

    def allowed_now(self, state: S, actor: Actor, at: datetime) -> list[str]:
        """The commands on this case the actor's role, gemeente and the case's phase allow now.

        What depends on a command's content (the rule itself, a mandate looked up for it) is
        checked when it is sent; phase guards look at the case only, so they can tell now.
        """
        gemeente = self.gemeente_of(state)
        if gemeente is None or gemeente != actor.gemeente:
            return []
        probe: Command[Any] = Command(command_id=_PROBE, at=at, actor=actor, payload=_NO_PAYLOAD)
        allowed = []
        for rule in self.rules:
            if rule.opent or actor.rol not in rule.rollen:
                continue
            try:
                rule.fase(state, probe)
            except DomainError:
                continue
            allowed.append(rule.name)
        return allowed

    def decide(self, command: Command[Any], state: S) -> Sequence[DomainEvent]:
        """The events of a command in this phase of the case."""
        rule = self.rule_for(command)
        rule.fase(state, command)
        return rule.decide(state, command)

    @cached_property
    def decider(self) -> Decider[S]:
        """The pipeline's view of these rules."""
        return Decider(
            category=self.category,
            initial_state=self.initial_state,
            evolve=self.evolve,
            decide=self.decide,
            authorize=self.authorize,
            gemeente_of=self.gemeente_of,
        )

    @property
    def specs(self) -> tuple[CommandSpec[Any], ...]:
        """Every command of this kind of case, for the handlers and the schemas."""
        return tuple(rule.spec for rule in self.rules)
