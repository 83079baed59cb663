"""The dead-letter register of a service: parked messages listed, handled again or dismissed.

A consumer parks a message it can never handle as it is (see `kernel.bus.consumer`): the
message stays in WVGGZ_EVENTS and a `gebeurtenis-geparkeerd` record goes into the service's
audit stream. From those records a view lists what is parked. A functioneel beheerder can
have a parked message handled again — the service reads it back from the stream through a
short-lived consumer limited to the parking consumer's own subjects and runs the same checks and
handler — or dismiss it with a reason. Both acts are audit records too, so the register is part
of the trail; the list never shows a message's content.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from faststream.nats import NatsRouter
from nats.aio.client import Client as Nats
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from pydantic import ValidationError
from wvggz_contracts.audit import (
    GebeurtenisGeparkeerd,
    GeparkeerdeGebeurtenisAfgewezen,
    GeparkeerdeGebeurtenisHerleverd,
)
from wvggz_contracts.commands import Actor, CommandReply, CommandRequest, ErrorCode, ErrorInfo, Rol
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.geparkeerd import (
    HERLEVER,
    QUERY,
    WIJS_AF,
    GeparkeerdBericht,
    GeparkeerdeGebeurtenis,
    GeparkeerdeGebeurtenissenVraag,
    HerleverGeparkeerdeGebeurtenis,
    Parkeerstatus,
    WijsGeparkeerdeGebeurtenisAf,
)

from kernel.access import Gate
from kernel.audit import AuditTrail, audit_stream, parking_id
from kernel.bus.consumer import EventConsumer
from kernel.bus.readback import read_back
from kernel.decider import derived_id
from kernel.eventstore import EventStore
from kernel.handlers import serve_command
from kernel.logsafe import describe
from kernel.projection import CaseView, EventMeta, Projector, ViewStore
from kernel.queries import Inzage, QuerySpec, register_query
from kernel.refusals import too_large, validation_reply

log = logging.getLogger(__name__)

OPERATORS = frozenset({Rol.FUNCTIONEEL_BEHEER})
VIEW = "geparkeerd"
COMMANDS: tuple[tuple[str, type[GeparkeerdeGebeurtenis]], ...] = (
    (HERLEVER, HerleverGeparkeerdeGebeurtenis),
    (WIJS_AF, WijsGeparkeerdeGebeurtenisAf),
)
"""The operators' commands every consuming service serves, with their payloads."""
LIST = QuerySpec(
    QUERY,
    GeparkeerdeGebeurtenissenVraag,
    "Geparkeerde berichten van deze dienst (functioneel beheer).",
    rollen=OPERATORS,
    wat="geparkeerde gebeurtenissen",
    resource="geparkeerde-gebeurtenissen",
)


def _evolve(
    row: GeparkeerdBericht | None, event: DomainEvent, meta: EventMeta
) -> GeparkeerdBericht | None:
    match event:
        case GebeurtenisGeparkeerd() if row is None:
            return GeparkeerdBericht(
                id=meta.case_id,
                consumer=event.consumer,
                stream_sequence=event.stream_sequence,
                onderwerp=event.onderwerp,
                event_id=event.event_id,
                gemeente=meta.gemeente or None,
                reden=event.reden,
                toelichting=event.toelichting,
                geparkeerd_op=meta.occurred_at,
            )
        case GeparkeerdeGebeurtenisHerleverd() | GeparkeerdeGebeurtenisAfgewezen() if (
            row is None or row.status is not Parkeerstatus.OPEN
        ):
            return row  # a late act on an entry already dealt with changes nothing
        case GeparkeerdeGebeurtenisHerleverd(gelukt=False) if row is not None:
            return row.model_copy(
                update={
                    "mislukte_herleveringen": row.mislukte_herleveringen + 1,
                    "laatste_toelichting": event.toelichting,
                }
            )
        case GeparkeerdeGebeurtenisHerleverd() | GeparkeerdeGebeurtenisAfgewezen() if row:
            status = (
                Parkeerstatus.HERLEVERD
                if isinstance(event, GeparkeerdeGebeurtenisHerleverd)
                else Parkeerstatus.AFGEWEZEN
            )
            update = {"status": status, "afgehandeld_door": event.actor}
            return row.model_copy(update=update | {"afgehandeld_op": meta.occurred_at})
    return row


def parked_view(service: str) -> CaseView[GeparkeerdBericht]:
    """Every message the service's consumers parked, with what became of it."""
    return CaseView(VIEW, GeparkeerdBericht, _evolve, frozenset({audit_stream(service)}))


class DeadLetters:
    """The operators' side of one service's parked messages."""

    def __init__(
        self,
        service: str,
        store: EventStore,
        views: ViewStore,
        projector: Projector,
        audit: AuditTrail,
        consumers: dict[str, EventConsumer],
        nats: Callable[[], Nats | None],
    ) -> None:
        self.service = service
        self.store = store
        self.views = views
        self.projector = projector
        self.audit = audit
        self.consumers = consumers
        self.nats = nats
        self.view = parked_view(service)
        self._one_at_a_time = asyncio.Lock()

    async def list(
        self, actor: Actor, params: GeparkeerdeGebeurtenissenVraag, inzage: Inzage
    ) -> list[dict[str, Any]]:
        """The parked messages of the actor's gemeente and those with no gemeente, oldest
        first; only the open ones unless all are asked for."""
        rows = [
            row
            for row in self.views.rows(self.view)
            if row.gemeente in (None, actor.gemeente)
            and (params.alle or row.status is Parkeerstatus.OPEN)
        ]
        rows.sort(key=lambda row: (row.geparkeerd_op, row.stream_sequence))
        inzage.aantal = len(rows)
        return [row.model_dump(mode="json") for row in rows]

    async def redeliver(self, body: bytes, actor: Actor) -> CommandReply:
        """Have the consumer handle a parked message again; only success ends the parking."""
        return await self._one_act(self._redeliver, body, actor)

    async def dismiss(self, body: bytes, actor: Actor) -> CommandReply:
        """Close a parked message without handling it, with the operator's reason."""
        return await self._one_act(self._dismiss, body, actor)

    async def _one_act(
        self, act: Callable[[bytes, Actor], Awaitable[CommandReply]], body: bytes, actor: Actor
    ) -> CommandReply:
        """One operator act at a time (an entry is checked and closed without another act in
        between), and a typed answer whatever fails underneath."""
        async with self._one_at_a_time:
            try:
                return await act(body, actor)
            except TimeoutError:
                message = "het register loopt achter op de opslag; probeer het zo opnieuw"
                error = ErrorInfo(code=ErrorCode.UNAVAILABLE, message=message)
            except Exception as failure:
                log.error("operator act failed: %s", describe(failure))
                error = ErrorInfo(code=ErrorCode.INTERNAL, message="interne fout; niets vastgelegd")
        return CommandReply(ok=False, error=error)

    async def _redeliver(self, body: bytes, actor: Actor) -> CommandReply:
        found = await self._open_entry(body, actor, HerleverGeparkeerdeGebeurtenis, HERLEVER)
        if isinstance(found, CommandReply):
            return found
        request, row, record_id = found
        consumer = self.consumers[row.consumer]
        nc = self.nats()
        if nc is None or not nc.is_connected:
            return _refusal(request, ErrorCode.UNAVAILABLE, "de berichtenbus is niet bereikbaar")
        message = await read_back(nc, consumer.spec, row.stream_sequence)
        if message is None:
            why = "het bericht staat niet meer in de stream (bewaartermijn verstreken)"
            return _refusal(request, ErrorCode.NOT_FOUND, why, "payload.stream_sequence")
        verdict = await consumer.process(*message)
        problem = None
        if not verdict.handled:
            soort = verdict.reden.value if verdict.reden else "tijdelijke fout"
            problem = f"{soort}: {verdict.toelichting}"
        record = GeparkeerdeGebeurtenisHerleverd(
            **_identity(row, actor, self.service),
            gelukt=verdict.handled,
            toelichting=problem,
        )
        position = await self._record(record, HERLEVER, record_id, row, actor)
        if problem is None:
            return _done(request, row, record_id, position)
        code = ErrorCode.RULE_VIOLATED if verdict.reden else ErrorCode.UNAVAILABLE
        return _refusal(request, code, f"opnieuw niet verwerkt ({problem})", position=position)

    async def _dismiss(self, body: bytes, actor: Actor) -> CommandReply:
        found = await self._open_entry(body, actor, WijsGeparkeerdeGebeurtenisAf, WIJS_AF)
        if isinstance(found, CommandReply):
            return found
        request, row, record_id = found
        assert isinstance(request.payload, WijsGeparkeerdeGebeurtenisAf)
        record = GeparkeerdeGebeurtenisAfgewezen(
            **_identity(row, actor, self.service), reden=request.payload.reden
        )
        position = await self._record(record, WIJS_AF, record_id, row, actor)
        return _done(request, row, record_id, position)

    async def _open_entry(
        self, body: bytes, actor: Actor, payload: type[GeparkeerdeGebeurtenis], name: str
    ) -> tuple[CommandRequest[Any], GeparkeerdBericht, Any] | CommandReply:
        """The valid request and the open entry it names, or the refusal (audited)."""
        if (oversized := too_large(body)) is not None:
            return self._refused(name, actor, CommandReply(ok=False, error=oversized))
        try:
            request = CommandRequest[payload].model_validate_json(body)  # type: ignore[valid-type]
        except ValidationError as invalid:
            return self._refused(name, actor, validation_reply(invalid))
        if actor.rol not in OPERATORS:
            reply = _refusal(request, ErrorCode.FORBIDDEN, f"de rol {actor.rol} mag dit niet")
            return self._refused(name, actor, reply)
        named: GeparkeerdeGebeurtenis = request.payload
        record_id = derived_id(request.command_id, name)
        entry_id = parking_id(named.consumer, named.stream_sequence)
        if (earlier := await self.store.find(record_id)) is not None:
            same = (
                earlier.metadata.get("case_id") == str(entry_id)
                and earlier.metadata.get("actor") == actor.id
            )
            if not same:  # the id of another act, on another entry or by someone else
                why = "dit command_id is al gebruikt voor een ander verzoek"
                return _refusal(request, ErrorCode.IDEMPOTENCY_KEY_REUSED, why, "command_id")
            return CommandReply(
                ok=True,
                command_id=request.command_id,
                case_id=entry_id,
                position=earlier.position,
                event_ids=[record_id],
                duplicate=True,
            )
        await self.projector.wait_for(await self.store.last_position())
        row = self.views.get(self.view, entry_id)
        if row is None or row.consumer not in self.consumers:
            why = "geen geparkeerd bericht van deze consumer op deze positie"
            return _refusal(request, ErrorCode.NOT_FOUND, why, "payload.stream_sequence")
        if row.gemeente not in (None, actor.gemeente):
            reply = _refusal(
                request, ErrorCode.FORBIDDEN, "het bericht hoort bij een andere gemeente"
            )
            return self._refused(name, actor, reply)
        if row.status is not Parkeerstatus.OPEN:
            why = f"het bericht is al {row.status.value}"
            return _refusal(request, ErrorCode.RULE_VIOLATED, why)
        return request, row, record_id

    def _refused(self, name: str, actor: Actor, reply: CommandReply) -> CommandReply:
        assert reply.error is not None
        self.audit.refused_request(
            f"command:{name}", actor, reply.error.code.value, reply.error.field
        )
        return reply

    async def _record(
        self, record: DomainEvent, name: str, record_id: Any, row: GeparkeerdBericht, actor: Actor
    ) -> int:
        # Under the message's gemeente when it has one; otherwise under the operator's.
        return await self.audit.record_now(
            record,
            f"command:{name}",
            record_id,
            gemeente=row.gemeente or actor.gemeente,
            actor=actor,
            case_id=row.id,
        )

    def serve(self, router: NatsRouter, gate: Gate, *, concurrency: int = 4) -> None:
        """The list as a read-audited query; the two acts as commands in the queue group."""
        register_query(
            router, self.service, LIST, self.list, self.projector, gate=gate, audit=self.audit
        )
        for name, handle, description in (
            (HERLEVER, self.redeliver, "Laat een geparkeerd bericht opnieuw verwerken."),
            (WIJS_AF, self.dismiss, "Sluit een geparkeerd bericht af zonder verwerking."),
        ):
            serve_command(
                router,
                self.service,
                name,
                gate,
                handle,
                description=description,
                concurrency=concurrency,
            )


class ParkedCollector(Collector):
    """`wvggz_<service>_parked_open{consumer}`: messages parked and not yet dealt with, read from
    the register at scrape time."""

    def __init__(self, service: str, views: ViewStore) -> None:
        self.service = service
        self.views = views
        self.view = parked_view(service)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One sample per consumer that ever parked a message."""
        family = GaugeMetricFamily(
            f"wvggz_{self.service}_parked_open",
            "Parked messages nobody has redelivered or dismissed yet, by consumer.",
            labels=["consumer"],
        )
        counts: dict[str, int] = {}
        for row in self.views.rows(self.view):
            open_ = row.status is Parkeerstatus.OPEN
            counts[row.consumer] = counts.get(row.consumer, 0) + open_
        for consumer, count in sorted(counts.items()):
            family.add_metric([consumer], count)
        yield family


def _identity(row: GeparkeerdBericht, actor: Actor, service: str) -> dict[str, Any]:
    return {
        "service": service,
        "consumer": row.consumer,
        "stream_sequence": row.stream_sequence,
        "actor": actor.id,
        "rol": actor.rol,
        "actor_gemeente": actor.gemeente,
    }


def _refusal(
    request: CommandRequest[Any],
    code: ErrorCode,
    message: str,
    field: str | None = None,
    *,
    position: int | None = None,
) -> CommandReply:
    error = ErrorInfo(code=code, message=message, field=field)
    return CommandReply(ok=False, command_id=request.command_id, position=position, error=error)


def _done(
    request: CommandRequest[Any], row: GeparkeerdBericht, record_id: Any, position: int
) -> CommandReply:
    return CommandReply(
        ok=True,
        command_id=request.command_id,
        case_id=row.id,
        position=position,
        event_ids=[record_id],
    )
