"""The generic command pipeline: validate, load, fold, authorise, decide, append, reply."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from opentelemetry import propagate
from pydantic import BaseModel, ValidationError
from wvggz_contracts.audit import AutorisatieGeweigerd
from wvggz_contracts.commands import Actor, CommandReply, CommandRequest, ErrorCode, ErrorInfo
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.personal import INVOER

from kernel.audit import audiences, audit_stream
from kernel.decider import Command, CommandSpec, Decider, DomainError, Lookup, derived_id
from kernel.eventstore import EventStore, NewEvent, RecordedEvent, WrongExpectedVersion
from kernel.eventstore.port import ANY_VERSION, NO_STREAM
from kernel.logs import CORRELATION
from kernel.logsafe import describe
from kernel.refusals import too_large, validation_reply
from kernel.sleutels.kluis import SleutelVernietigd

log = logging.getLogger(__name__)

Find = Callable[[Command[Any]], Awaitable[Any]]
"""Looks up one fact for a command (see `kernel.decider.Lookup`)."""

Outcome = Callable[[str, str], None]
"""Called with (command name, outcome) after every command, e.g. to count it."""


def payload_digest(command: Command[Any]) -> str:
    """A fingerprint of what a command asks, salted with its id (so it links nothing else).

    Stored with the command's events, it tells a true retry from a new request that reuses
    the id with other content.
    """
    content = json.dumps(command.payload.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(f"{command.command_id}:{content}".encode()).hexdigest()


def event_id(command_id: Any, index: int) -> Any:
    """The id of the index-th event a command produces: the same on every retry."""
    return derived_id(command_id, f"event-{index}")


def _stale(command: Command[Any], case_id: Any, version: int, expected: int) -> CommandReply:
    """The case moved on since the sender read it (If-Match): nothing was decided."""
    reply = _error(
        command.command_id,
        ErrorCode.CONFLICT,
        f"de zaak is gewijzigd: versie {version}, niet de verwachte {expected}",
        "expected_version",
    )
    return reply.model_copy(update={"case_id": case_id, "version": version})


def _error(
    command_id: Any, code: ErrorCode, message: str, field: str | None = None
) -> CommandReply:
    return CommandReply(
        ok=False, command_id=command_id, error=ErrorInfo(code=code, message=message, field=field)
    )


def _destroyed(command_id: Any) -> CommandReply:
    return _error(
        command_id,
        ErrorCode.CONFLICT,
        "de persoonsgegevens van deze zaak zijn vernietigd; er kan niets meer mee",
    )


def _reused(command: Command[Any], wat: str) -> CommandReply:
    return _error(
        command.command_id,
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        f"command_id: dit id is al gebruikt voor {wat}; een herhaling moet gelijk zijn aan het"
        " eerste verzoek, een nieuw verzoek krijgt een nieuw id",
        "command_id",
    )


class CommandPipeline:
    """Runs commands of one service against its event store; appends nothing on any error."""

    def __init__(
        self,
        store: EventStore,
        registry: EventRegistry,
        service: str,
        clock: Callable[[], datetime],
        *,
        max_attempts: int = 5,
        on_outcome: Outcome | None = None,
        vernietigd: Callable[[str], bool] = lambda _stream: False,
    ) -> None:
        self.store = store
        self.registry = registry
        self.service = service
        self.clock = clock
        self.max_attempts = max_attempts
        self.on_outcome = on_outcome or (lambda _command, _outcome: None)
        self.vernietigd = vernietigd
        """Whether a case's personal data was destroyed: nothing more happens to it."""
        self._request_models: dict[type[BaseModel], type[CommandRequest[Any]]] = {}
        self._finders: dict[str, Find] = {}

    def provide(self, lookup: Lookup[Any], find: Find) -> None:
        """How this service finds one fact that rules may declare."""
        self._finders[lookup.name] = find

    def missing_lookups(self, spec: CommandSpec[Any]) -> list[str]:
        """Lookups a command declares that nobody provides (the service must not start)."""
        return [lookup.name for lookup in spec.lookups if lookup.name not in self._finders]

    async def handle(
        self,
        decider: Decider[Any],
        spec: CommandSpec[Any],
        body: bytes | str | Mapping[str, Any],
        actor: Actor,
    ) -> CommandReply:
        """Carry out one command given as raw JSON (or a dict) for a verified actor.

        The actor comes from a verified access token or is the service's own system identity;
        the body never says who is acting.
        """
        reply = await self._handle(decider, spec, body, actor)
        self.count(spec.name, reply)
        return reply

    def count(self, command: str, reply: CommandReply) -> None:
        """Report a command's outcome (also for one refused before it reached the pipeline)."""
        outcome = "ok" if reply.ok else reply.error.code.value if reply.error else "error"
        self.on_outcome(command, "duplicate" if reply.duplicate else outcome)

    async def _handle(
        self,
        decider: Decider[Any],
        spec: CommandSpec[Any],
        body: bytes | str | Mapping[str, Any],
        actor: Actor,
    ) -> CommandReply:
        model = self._request_model(spec)
        if (oversized := too_large(body)) is not None:
            return CommandReply(ok=False, error=oversized)
        try:
            request = (
                model.model_validate(body, context={INVOER: True})
                if isinstance(body, Mapping)
                else model.model_validate_json(body, context={INVOER: True})
            )
        except ValidationError as invalid:
            return validation_reply(invalid)
        CORRELATION.set(str(request.correlation_id or request.command_id))
        command = Command(
            command_id=request.command_id,
            at=self.clock(),
            actor=actor,
            payload=request.payload,
        )
        try:
            if spec.lookups:
                feiten = {
                    lookup.name: await self._finders[lookup.name](command)
                    for lookup in spec.lookups
                }
                command = replace(command, feiten=feiten)
            return await self._run(
                decider,
                spec,
                command,
                request.correlation_id,
                request.case_id,
                request.expected_version,
            )
        except Exception as failure:  # a bug or an unreachable store: nothing is appended
            log.error("command %s failed unexpectedly: %s", spec.name, describe(failure))
            return _error(command.command_id, ErrorCode.INTERNAL, "interne fout; niets vastgelegd")

    async def _run(
        self,
        decider: Decider[Any],
        spec: CommandSpec[Any],
        command: Command[Any],
        correlation_id: Any,
        meant: UUID | None = None,
        expected: int | None = None,
    ) -> CommandReply:
        case_id = spec.case_id(command)
        if meant is not None and meant != case_id:
            return _error(
                command.command_id,
                ErrorCode.VALIDATION_FAILED,
                f"de inhoud gaat over zaak {case_id}, niet over zaak {meant}",
                "case_id",
            )
        stream = decider.stream(case_id)
        earlier = await self.store.find(event_id(command.command_id, 0))
        if earlier is not None:
            return await self._replay_reply(spec, command, stream, case_id, earlier)
        for _attempt in range(self.max_attempts):
            recorded = await self.store.read(stream)
            # A case without events has had no key to destroy (an append sealing under one that
            # was is refused below): asking would read the key store's file for every new case.
            if recorded and self.vernietigd(stream):
                return _destroyed(command.command_id)
            history = [self.registry.parse(e.type, e.data) for e in recorded]
            state = decider.fold(history)
            version = recorded[-1].version if recorded else NO_STREAM
            try:
                decider.authorize(command, state)
            except DomainError as refused:
                owner = decider.gemeente_of(state)
                await self._record_refusal(spec, command, case_id, owner, refused, correlation_id)
                return _error(command.command_id, refused.code, refused.message, refused.field)
            if expected is not None and expected != version:
                return _stale(command, case_id, version, expected)
            try:
                events = decider.decide(command, state)
            except DomainError as broken:
                # A retry racing its own first attempt sees that attempt's events, not an error.
                if (done := await self.store.find(event_id(command.command_id, 0))) is not None:
                    return await self._replay_reply(spec, command, stream, case_id, done)
                return _error(command.command_id, broken.code, broken.message, broken.field)
            if not events:
                return CommandReply(
                    ok=True, command_id=command.command_id, case_id=case_id, version=version
                )
            gemeente = decider.gemeente_of(decider.fold([*history, *events]))
            new = self._new_events(spec, command, case_id, gemeente, correlation_id, events)
            try:
                position = await self.store.append(stream, new, version)
            except WrongExpectedVersion:
                # Someone else wrote this case meanwhile: decide again on fresh state (or refuse,
                # above, when the sender expected the version that just went).
                continue
            except SleutelVernietigd:
                return _destroyed(command.command_id)
            return CommandReply(
                ok=True,
                command_id=command.command_id,
                case_id=case_id,
                version=version + len(new),
                position=position,
                event_ids=[e.event_id for e in new],
            )
        return _error(
            command.command_id,
            ErrorCode.CONFLICT,
            f"de zaak werd {self.max_attempts} keer tegelijk gewijzigd; probeer het opnieuw",
        )

    async def _replay_reply(
        self,
        spec: CommandSpec[Any],
        command: Command[Any],
        stream: str,
        case_id: Any,
        first: RecordedEvent,
    ) -> CommandReply:
        """The reply to a command that was handled before (a retry or a redelivery).

        Only the same command by the same actor on the same case with the same content is a
        retry; anything else reusing the id is refused, so nobody learns or blocks another
        command's outcome, and no new content is dropped in silence.
        """
        same = (
            first.stream == stream
            and first.metadata.get("command") == spec.name
            and first.metadata.get("actor") == command.actor.id
        )
        if not same:
            return _reused(command, "een ander commando")
        recorded = first.metadata.get("payload_sha256")
        # Events recorded before the fingerprint existed cannot tell: they replay as before.
        if recorded is not None and recorded != payload_digest(command):
            return _reused(command, "dit commando met een andere inhoud")
        produced = [
            e
            for e in await self.store.read(first.stream)
            if e.metadata.get("causation_id") == str(command.command_id)
        ]
        last = produced[-1] if produced else first
        return CommandReply(
            ok=True,
            command_id=command.command_id,
            case_id=case_id,
            version=last.version,
            position=last.position,
            event_ids=[e.event_id for e in produced],
            duplicate=True,
        )

    def _new_events(
        self,
        spec: CommandSpec[Any],
        command: Command[Any],
        case_id: Any,
        gemeente: str | None,
        correlation_id: Any,
        events: Any,
    ) -> list[NewEvent]:
        trace: dict[str, str] = {}
        propagate.inject(trace)
        metadata = {
            "service": self.service,
            "command": spec.name,
            "case_id": str(case_id),
            "gemeente": gemeente or command.actor.gemeente,
            "actor": command.actor.id,
            "rol": command.actor.rol.value,
            "actor_gemeente": command.actor.gemeente,
            "correlation_id": str(correlation_id or command.command_id),
            "causation_id": str(command.command_id),
            "occurred_at": command.at.isoformat(),
            "payload_sha256": payload_digest(command),
            "trace": trace,
        }
        return [
            NewEvent(
                event_id(command.command_id, i), e.event_type, e.model_dump(mode="json"), metadata
            )
            for i, e in enumerate(events)
        ]

    async def _record_refusal(
        self,
        spec: CommandSpec[Any],
        command: Command[Any],
        case_id: Any,
        owner: str | None,
        refused: DomainError,
        correlation_id: Any,
    ) -> None:
        """Refusals belong to the audit trail too, in the service's own audit stream.

        A refusal on another gemeente's case is recorded under that gemeente as well, so the
        owner of the case sees who tried.
        """
        event: DomainEvent = AutorisatieGeweigerd(
            service=self.service,
            command=spec.name,
            case_id=case_id,
            actor=command.actor.id,
            rol=command.actor.rol,
            actor_gemeente=command.actor.gemeente,
            reden=refused.message,
            zaak_gemeente=owner,
        )
        refusals = []
        for gemeente in audiences(command.actor.gemeente, owner):
            [new] = self._new_events(spec, command, case_id, gemeente, correlation_id, [event])
            refusal_id = derived_id(command.command_id, f"refusal@{gemeente}")
            refusals.append(NewEvent(refusal_id, new.type, new.data, new.metadata))
        await self.store.append(audit_stream(self.service), refusals, ANY_VERSION)

    def _request_model(self, spec: CommandSpec[Any]) -> type[CommandRequest[Any]]:
        model = self._request_models.get(spec.payload)
        if model is None:
            model = CommandRequest[spec.payload]  # type: ignore[name-defined]
            self._request_models[spec.payload] = model
        return model
