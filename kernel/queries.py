"""Thin FastStream subscribers for queries: validate, wait for the views, answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from faststream.nats import NatsMessage, NatsRouter
from pydantic import BaseModel, ConfigDict, ValidationError
from wvggz_contracts.commands import Actor, ErrorCode, ErrorInfo, QueryReply, QueryRequest, Rol
from wvggz_contracts.subjects import query_subject

from kernel.decider import DomainError, refuse
from kernel.logsafe import describe
from kernel.pipeline import validation_reply
from kernel.projection import Projector

log = logging.getLogger(__name__)

P = TypeVar("P", bound=BaseModel)


class NoParams(BaseModel):
    """Params of a query that takes none (e.g. a werkvoorraad: always the actor's gemeente)."""

    model_config = ConfigDict(extra="forbid")


def require_role(actor: Actor, roles: frozenset[Rol], what: str) -> None:
    """Refuse a query to an actor without one of these roles."""
    if actor.rol not in roles:
        raise refuse(f"de rol {actor.rol} mag {what} niet inzien")


def time_left(until: datetime, now: datetime, unit: timedelta) -> float:
    """Time until a deadline in days or hours, to one decimal (negative once it has passed)."""
    return round((until - now) / unit, 1)


Answer = Callable[[Actor, Any], Awaitable[Any]]
"""Runs a query for an actor with validated params; raises DomainError to refuse."""


async def answer_query(
    body: bytes | str,
    params: type[P],
    answer: Answer,
    projector: Projector,
    *,
    wait: float = 5.0,
) -> QueryReply:
    """Validate a raw query, wait for the caller's own writes, and run it."""
    try:
        request = QueryRequest[params].model_validate_json(body)  # type: ignore[valid-type]
    except ValidationError as invalid:
        error = validation_reply(invalid).error
        return QueryReply(ok=False, error=error)
    if request.min_position is not None:
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
    try:
        data = await answer(request.actor, request.params)
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
    name: str,
    params: type[BaseModel],
    answer: Answer,
    projector: Projector,
    *,
    description: str,
) -> None:
    """Serve one query over NATS request/reply, in a queue group shared by replicas."""

    @router.subscriber(
        query_subject(service, name),
        queue=f"wvggz-{service}-queries",
        title=f"{service}.{name}",
        description=description,
        max_workers=16,
    )
    async def handle_query(msg: NatsMessage) -> dict[str, Any]:
        reply = await answer_query(msg.body, params, answer, projector)
        return reply.model_dump(mode="json", exclude_none=True)
