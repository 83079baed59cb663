"""What a user may do on a case now, derived from the service's rules (the portal's dossier)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode, Rol

from kernel.decider import DomainError
from kernel.queries import Inzage, QuerySpec, register_query
from kernel.rules import Rulebook
from kernel.runtime import ServiceRuntime


class ActiesVraag(BaseModel):
    """Params of an actions query: the case."""

    model_config = ConfigDict(extra="forbid")

    case_id: UUID


def actions_query(resource: str) -> str:
    """The name of the query that tells what may be done on a case of this API collection."""
    return f"acties-{resource}"


def serve_actions(
    router: NatsRouter, runtime: ServiceRuntime[Any], rulebook: Rulebook[Any]
) -> None:
    """Answer, for one case, the commands the asking user's role, gemeente and the case's phase
    allow now (`Rulebook.allowed_now`); read-audited like every query."""
    rollen = frozenset(r for rule in rulebook.rules for r in rule.rollen) - {Rol.SYSTEEM}
    spec = QuerySpec(
        actions_query(rulebook.resource),
        ActiesVraag,
        f"Wat de vrager nu kan doen met {rulebook.zaak}.",
        rollen=rollen,
        wat=f"de acties op {rulebook.zaak}",
        resource=rulebook.resource,
        item="case_id",
    )
    decider = rulebook.decider
    registry = runtime.pipeline.registry

    async def answer(actor: Actor, params: ActiesVraag, inzage: Inzage) -> dict[str, Any]:
        recorded = await runtime.store.read(decider.stream(params.case_id))
        state = decider.fold(registry.parse(e.type, e.data) for e in recorded)
        gemeente = rulebook.gemeente_of(state)
        inzage.zaak_gemeente = gemeente
        if gemeente is None or gemeente != actor.gemeente:
            raise DomainError(
                ErrorCode.NOT_FOUND, f"geen {rulebook.zaak} met dit id voor uw gemeente"
            )
        acties = rulebook.allowed_now(state, actor, runtime.clock())
        return {"case_id": str(params.case_id), "acties": acties}

    register_query(
        router,
        runtime.name,
        spec,
        answer,
        runtime.projector,
        gate=runtime.gate,
        audit=runtime.audit,
    )
