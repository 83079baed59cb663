"""Thin FastStream subscribers for queries: identify, validate, wait for the views, answer,
and leave a read-audit record of every answer (NEN 7513)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict, ValidationError
from wvggz_contracts.audit import Inzageuitkomst
from wvggz_contracts.commands import (
    AUTHORIZATION_HEADER,
    Actor,
    ErrorCode,
    ErrorInfo,
    QueryReply,
    QueryRequest,
    Rol,
)
from wvggz_contracts.subjects import query_subject

from kernel.access import Gate, ensure_private_reply
from kernel.audit import AuditTrail
from kernel.bus.raw import Message, raw_body
from kernel.decider import DomainError, refuse
from kernel.logsafe import describe
from kernel.projection import Projector
from kernel.refusals import too_large, validation_reply

log = logging.getLogger(__name__)

P = TypeVar("P", bound=BaseModel)


class NoParams(BaseModel):
    """Params of a query that takes none (e.g. a werkvoorraad: always the actor's gemeente)."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """One query a service answers, declared once: the bus subject and the HTTP API derive
    from it (`GET /api/v1/<resource>` for a list, `GET /api/v1/<resource>/{<item>}` for one)."""

    name: str
    params: type[BaseModel]
    description: str
    rollen: frozenset[Rol]
    """Who may ask it; the kernel refuses (and audits) anyone else before the answer runs."""
    wat: str
    """What it shows, for a refusal: `de rol consulent mag <wat> niet inzien`."""
    resource: str
    """The API collection it reads, a Dutch plural in lower case, e.g. `meldingen`."""
    item: str | None = None
    """The params field naming one case (`melding_id`), or None for a list of the collection."""
    sub: str | None = None
    """A named part of one case, read on its own: `GET /api/v1/<resource>/{<item>}/<sub>`."""
    filters: tuple[str, ...] = ()
    """Fields of a list's rows it can be filtered on (`QueryRequest.filters`)."""
    werk: bool = True
    """A list of work (the portal's werkvoorraad shows it), or else one to look things up in
    (a directory, the quarters of the figures): the portal gives it a page of its own."""
    api: bool = True
    """Offered by the HTTP API and the portal; False keeps it on the bus (a BSN as a param
    would otherwise travel in a URL, and URLs end up in access logs)."""

    @property
    def path(self) -> str:
        """Where the HTTP API serves it, below `/api/v1`."""
        path = f"/{self.resource}"
        if self.item is not None:
            path += f"/{{{self.item}}}"
        return path + (f"/{self.sub}" if self.sub else "")


def require_role(actor: Actor, roles: frozenset[Rol], what: str) -> None:
    """Refuse a query to an actor without one of these roles."""
    if actor.rol not in roles:
        raise refuse(f"de rol {actor.rol} mag {what} niet inzien")


def time_left(until: datetime, now: datetime, unit: timedelta) -> float:
    """Time until a deadline in days or hours, to one decimal (negative once it has passed)."""
    return round((until - now) / unit, 1)


MAX_WHOLE_LIST = 1000
"""Rows a list query answers without `page`; a longer list must be asked for by page."""


def _matches(row: Any, filters: dict[str, str]) -> bool:
    """A row has each filter's value; a value ending in `*` is the start of it (a case number
    as people read it off a screen)."""
    if not isinstance(row, dict):
        return False
    for key, wanted in filters.items():
        found = str(row.get(key))
        if not (found.startswith(wanted[:-1]) if wanted.endswith("*") else found == wanted):
            return False
    return True


def stoplicht(nu: datetime, waarschuwing: datetime | None, uiterlijk: datetime) -> str:
    """How urgent a case is against its legal term: `groen`, `oranje` from the warning moment,
    `rood` once the term has passed."""
    if nu > uiterlijk:
        return "rood"
    if waarschuwing is not None and nu >= waarschuwing:
        return "oranje"
    return "groen"


@dataclass(slots=True)
class Inzage:
    """What a query showed, for its read-audit record; the answer fills it in."""

    case_id: UUID | None = None
    zaak_gemeente: str | None = None
    aantal: int | None = None
    dossiers: list[UUID] = field(default_factory=list)
    """Every dossier a list showed in full (an inzage): each gets a read record of its own."""


Answer = Callable[[Actor, Any, Inzage], Awaitable[Any]]
"""Runs a query for an actor with validated params, noting what it showed in the Inzage;
raises DomainError to refuse."""

_OUTCOMES = {
    ErrorCode.FORBIDDEN: Inzageuitkomst.GEWEIGERD,
    ErrorCode.NOT_FOUND: Inzageuitkomst.NIET_GEVONDEN,
    ErrorCode.VALIDATION_FAILED: Inzageuitkomst.ONGELDIG,
    ErrorCode.UNAVAILABLE: Inzageuitkomst.NIET_BESCHIKBAAR,
}


async def answer_query(
    body: bytes | str,
    actor: Actor,
    params: type[P],
    answer: Answer,
    projector: Projector,
    inzage: Inzage,
    *,
    wait: float = 5.0,
    filters: tuple[str, ...] = (),
) -> QueryReply:
    """Validate a raw query, wait for the caller's own writes, and run it for the actor; a list
    is filtered on the `filters` it allows, then paged."""
    if (oversized := too_large(body)) is not None:
        return QueryReply(ok=False, error=oversized)
    try:
        request = QueryRequest[params].model_validate_json(body)  # type: ignore[valid-type]
    except ValidationError as invalid:
        error = validation_reply(invalid).error
        return QueryReply(ok=False, error=error)
    if request.min_position is not None:
        head = await projector.store.last_position()
        if request.min_position > head:
            # No write of the caller's can be there yet: answer now instead of holding a worker.
            return QueryReply(
                ok=False,
                position=projector.position,
                error=ErrorInfo(
                    code=ErrorCode.VALIDATION_FAILED,
                    message=f"min_position ligt voorbij de laatste positie ({head})",
                    field="min_position",
                ),
            )
        try:
            await projector.wait_for(request.min_position, within=wait)
        except TimeoutError:
            return QueryReply(
                ok=False,
                position=projector.position,
                error=ErrorInfo(
                    code=ErrorCode.UNAVAILABLE,
                    message=f"de overzichten zijn nog niet bij positie {request.min_position}",
                    field="min_position",
                ),
            )
    unknown = sorted(set(request.filters) - set(filters))
    if unknown:
        allowed = ", ".join(filters) or "geen"
        return QueryReply(
            ok=False,
            error=ErrorInfo(
                code=ErrorCode.VALIDATION_FAILED,
                message=f"op {unknown[0]} kan niet gefilterd worden (wel op: {allowed})",
                field=f"filters.{unknown[0]}",
            ),
        )
    try:
        data = await answer(actor, request.params, inzage)
        if request.filters and isinstance(data, list):
            data = [row for row in data if _matches(row, request.filters)]
            inzage.aantal = len(data)
        if request.page is None and isinstance(data, list) and len(data) > MAX_WHOLE_LIST:
            # Thousands of rows in one reply can exceed NATS's message limit and never arrive.
            why = f"de lijst heeft {len(data)} rijen; vraag haar per pagina (page, page_size)"
            error = ErrorInfo(code=ErrorCode.VALIDATION_FAILED, message=why, field="page")
            return QueryReply(ok=False, error=error, total=len(data))
        if request.page is not None and isinstance(data, list):
            # Most urgent first is the answer's own order; a page keeps a reply under NATS's
            # payload limit however many cases are open.
            start = (request.page - 1) * request.page_size
            rows = data[start : start + request.page_size]
            inzage.aantal = len(rows)
            return QueryReply(ok=True, data=rows, position=projector.position, total=len(data))
    except DomainError as refused:
        error = ErrorInfo(code=refused.code, message=refused.message, field=refused.field)
        return QueryReply(ok=False, error=error)
    except Exception as failure:
        log.error("query failed unexpectedly: %s", describe(failure))
        return QueryReply(
            ok=False, error=ErrorInfo(code=ErrorCode.INTERNAL, message="interne fout")
        )
    return QueryReply(ok=True, data=data, position=projector.position)


def register_query(
    router: NatsRouter,
    service: str,
    spec: QuerySpec,
    answer: Answer,
    projector: Projector,
    *,
    gate: Gate,
    audit: AuditTrail,
) -> None:
    """Serve one query over NATS request/reply, in a queue group shared by replicas.

    Only the declared roles get an answer. Every answer of an identified actor, shown or
    refused, leaves one read-audit record (naming the case asked for, even when refused).
    """
    name, params, description = spec.name, spec.params, spec.description

    async def permitted(actor: Actor, asked: Any, inzage: Inzage) -> Any:
        # An item that is no case (a quarter of the figures) names no dossier in the audit.
        if spec.item is not None and isinstance(key := getattr(asked, spec.item), UUID):
            inzage.case_id = key
        require_role(actor, spec.rollen, spec.wat)
        return await answer(actor, asked, inzage)

    @router.subscriber(
        query_subject(service, name),
        queue=f"wvggz-{service}-queries",
        title=f"{service}.{name}",
        description=f"{description} Header `{AUTHORIZATION_HEADER}: Bearer <token>`.",
        max_workers=16,
        decoder=raw_body,
    )
    async def handle_query(msg: Message) -> dict[str, Any]:
        ensure_private_reply(msg.reply_to, gate.own_inbox)
        actor = await gate.actor(msg.headers, f"query:{name}")
        if isinstance(actor, ErrorInfo):
            return QueryReply(ok=False, error=actor).model_dump(mode="json", exclude_none=True)
        inzage = Inzage()
        reply = await answer_query(
            msg.body, actor, params, permitted, projector, inzage, filters=spec.filters
        )
        code = reply.error.code if reply.error else None
        uitkomst = (
            Inzageuitkomst.GETOOND if code is None else _OUTCOMES.get(code, Inzageuitkomst.FOUT)
        )
        audit.read(
            name,
            actor,
            uitkomst,
            case_id=inzage.case_id,
            zaak_gemeente=inzage.zaak_gemeente,
            aantal=inzage.aantal,
        )
        for case_id in inzage.dossiers if code is None else ():
            audit.read(name, actor, uitkomst, case_id=case_id, zaak_gemeente=actor.gemeente)
        return reply.model_dump(mode="json", exclude_none=True)
