"""What a user may do on a case now, derived from the service's rules (the portal's dossier and
`GET /api/v1/<resource>/{id}/acties`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict, create_model
from wvggz_contracts.commands import Actor, ErrorCode

from kernel.decider import DomainError
from kernel.queries import Inzage, QuerySpec, register_query
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime

SUB = "acties"


def actions_query(resource: str) -> str:
    """The name of the query that tells what may be done on a case of this API collection."""
    return f"acties-{resource}"


def actions_spec(rulebook: Rulebook[Any], dossier: QuerySpec) -> QuerySpec:
    """The actions query of a kind of case: asked like its dossier, by the same roles (whoever
    may not read the dossier learns nothing of the case here either)."""
    item = dossier.item
    assert item is not None
    params: type[BaseModel] = create_model(
        f"Acties{rulebook.category.title().replace('-', '')}Vraag",
        __config__=ConfigDict(extra="forbid"),
        **{item: (UUID, ...)},  # type: ignore[call-overload]
    )
    return QuerySpec(
        actions_query(rulebook.resource),
        params,
        f"Wat de vrager nu kan doen met {rulebook.zaak}: de commando's die rol, gemeente en de"
        " fase van de zaak nu toelaten.",
        rollen=dossier.rollen,
        wat=f"de acties op {rulebook.zaak}",
        resource=rulebook.resource,
        item=item,
        sub=SUB,
    )


def serve_actions(
    router: NatsRouter, runtime: ServiceRuntime[Any], rulebook: Rulebook[Any], dossier: QuerySpec
) -> None:
    """Answer, for one case, the commands the asking user's role, gemeente and the case's phase
    allow now (`Rulebook.allowed_now`); read-audited like every query."""
    spec = actions_spec(rulebook, dossier)
    item = dossier.item or ""
    decider = rulebook.decider
    registry = runtime.pipeline.registry

    async def answer(actor: Actor, params: Any, inzage: Inzage) -> dict[str, Any]:
        case_id = getattr(params, item)
        recorded = await runtime.store.read(decider.stream(case_id))
        state = decider.fold(registry.parse(e.type, e.data) for e in recorded)
        gemeente = rulebook.gemeente_of(state)
        inzage.zaak_gemeente = gemeente
        if gemeente is None or gemeente != actor.gemeente:
            message = f"geen {rulebook.zaak} met dit id voor uw gemeente"
            raise DomainError(ErrorCode.NOT_FOUND, message)
        acties = rulebook.allowed_now(state, actor, runtime.clock())
        return {item: str(case_id), "fase": rulebook.fase_van(state), "acties": acties}

    register_query(
        router,
        runtime.name,
        spec,
        answer,
        runtime.projector,
        gate=runtime.gate,
        audit=runtime.audit,
    )
