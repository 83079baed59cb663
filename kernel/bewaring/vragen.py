"""Functioneel beheer's view of a service's destructions: the list to approve, and one of them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode

from kernel.bewaring.archief import Archief
from kernel.bewaring.inzage import InzageVraag, inzage, inzage_query
from kernel.bewaring.regels import BEHEER, resource_of
from kernel.bewaring.vernietiging import VOORGESTELD
from kernel.bewaring.views import VERNIETIGINGEN, VernietigingRij
from kernel.decider import DomainError
from kernel.queries import Inzage, NoParams, QuerySpec
from kernel.sleutels import Sleutelkluis


class VernietigingVraag(BaseModel):
    """Params of the query about one dossier's destruction."""

    model_config = ConfigDict(extra="forbid")

    zaak: UUID


def vernietiging_queries(service: str) -> tuple[QuerySpec, QuerySpec]:
    """The list and the item query of a service's destructions."""
    resource = resource_of(service)
    return (
        QuerySpec(
            "vernietigingen",
            NoParams,
            "De voorgestelde, aangehouden en uitgevoerde vernietigingen van dossiers van de eigen"
            " gemeente; wat op goedkeuring wacht bovenaan.",
            rollen=BEHEER,
            wat="de vernietigingen",
            resource=resource,
            filters=("fase", "grond"),
        ),
        QuerySpec(
            "vernietiging",
            VernietigingVraag,
            "De vernietiging van één dossier: grond, stromen, wie voorstelde en goedkeurde.",
            rollen=BEHEER,
            wat="de vernietigingen",
            resource=resource,
            item="zaak",
        ),
    )


def bewaring_queries(service: str) -> tuple[QuerySpec, ...]:
    """Every query of a service's retention: its destructions, one of them, and the inzage."""
    return (*vernietiging_queries(service), inzage_query(service))


def serve_bewaring(
    router: NatsRouter, runtime: Any, archief: Archief[Any], kluis: Sleutelkluis
) -> None:
    """Answer the retention queries on the service's views and store."""
    lijst, een, op_bsn = bewaring_queries(runtime.name)
    views = runtime.views

    async def inzage_op_bsn(actor: Actor, vraag: InzageVraag, audit: Inzage) -> Any:
        return await inzage(runtime.name, runtime.store, kluis, archief, views, actor, vraag, audit)

    async def vernietigingen(actor: Actor, _params: NoParams, inzage: Inzage) -> Any:
        rows = views.rows(VERNIETIGINGEN, actor.gemeente)
        inzage.aantal = len(rows)
        rows.sort(key=lambda r: (r.fase != VOORGESTELD, r.voorgesteld_op))
        return [r.model_dump(mode="json", exclude={"stappen"}) for r in rows]

    async def vernietiging(actor: Actor, params: VernietigingVraag, inzage: Inzage) -> Any:
        row: VernietigingRij | None = views.get(VERNIETIGINGEN, params.zaak)
        if row is None or row.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen vernietiging van dit dossier bekend")
        inzage.zaak_gemeente = row.gemeente
        return row.model_dump(mode="json")

    runtime.query(router, lijst, vernietigingen)
    runtime.query(router, een, vernietiging)
    runtime.query(router, op_bsn, inzage_op_bsn)
