"""The queries on letters: where each stands, the verstrekkingenregister, what goes by post, and
each letter's document."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from uuid import UUID

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.brieven import BriefVorm
from wvggz_contracts.commands import Actor, ErrorCode, Rol

from kernel.decider import DomainError
from kernel.queries import Inzage, NoParams, QuerySpec
from kernel.runtime import ServiceRuntime
from services.notificaties.documenten.verzegeling import lees
from services.notificaties.projections import BRIEVEN, OPHALINGEN, zonder_tijdlijn

BEHEER = frozenset({Rol.FUNCTIONEEL_BEHEER})
CRISIS = frozenset({Rol.CRISISDIENST, Rol.BURGEMEESTER, Rol.LOCO_BURGEMEESTER, Rol.SECRETARIAAT})
VORMEN_VAN: dict[Rol, frozenset[str]] = {
    rol: frozenset({BriefVorm.AFSCHRIFT.value}) for rol in CRISIS
}
"""The crisis staff see where the afschriften of their decisions stand (on a case's dossier),
never their content; functioneel beheer sees every letter."""


class BriefVraag(BaseModel):
    """Params of the dossier of one letter."""

    model_config = ConfigDict(extra="forbid")

    brief_id: UUID


BRIEVEN_VRAAG = QuerySpec(
    "brieven",
    NoParams,
    "Brieven en afschriften van de eigen gemeente en waar ze staan.",
    rollen=BEHEER | CRISIS,
    wat="de brieven",
    resource="brieven",
    filters=("zaak", "fase", "ontvanger", "vorm"),
)
BRIEF_VRAAG = QuerySpec(
    "brief",
    BriefVraag,
    "Eén brief: aangemaakt, verzonden, afgeleverd, en de verstrekking die hij deed.",
    rollen=BEHEER,
    wat="de brieven",
    resource="brieven",
    item="brief_id",
)
VERSTREKKINGEN_VRAAG = QuerySpec(
    "verstrekkingen",
    NoParams,
    "Het verstrekkingenregister: aan wie welke soort persoonsgegevens over welke zaak ging,"
    " op welke grondslag en wanneer.",
    rollen=BEHEER,
    wat="de verstrekkingen",
    resource="verstrekkingen",
    filters=("zaak", "aan", "wijze"),
)
POSTBATCH_VRAAG = QuerySpec(
    "postbatch",
    NoParams,
    "De brieven die op de post moeten: aangemaakt, zonder partnerkanaal, oudste eerst.",
    rollen=BEHEER,
    wat="de post",
    resource="poststukken",
    filters=("zaak", "ontvanger"),
)
DOCUMENT_VRAAG = QuerySpec(
    "document",
    BriefVraag,
    "Het PDF-document van een aangemaakte brief (base64), met zijn kenmerk en hash.",
    rollen=BEHEER,
    wat="de brieven",
    resource="brieven",
    item="brief_id",
    sub="document",
)
QUERIES = (BRIEVEN_VRAAG, BRIEF_VRAAG, VERSTREKKINGEN_VRAAG, POSTBATCH_VRAAG, DOCUMENT_VRAAG)


def serve(router: NatsRouter, runtime: ServiceRuntime[Any], documenten: Path) -> None:
    """Answer the letter queries on the views (and the documents' files)."""
    views = runtime.views

    async def brieven(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        vormen = VORMEN_VAN.get(actor.rol)
        rows = [
            zonder_tijdlijn(row)
            for row in views.docs(BRIEVEN, actor.gemeente)
            if vormen is None or row["vorm"] in vormen
        ]
        inzage.aantal = len(rows)
        return rows

    async def brief(actor: Actor, params: BriefVraag, inzage: Inzage) -> dict[str, Any]:
        found = views.get(BRIEVEN, params.brief_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente:
            raise DomainError(ErrorCode.NOT_FOUND, "geen brief met dit id voor uw gemeente")
        return found.model_dump(mode="json")

    async def verstrekkingen(
        actor: Actor, _params: NoParams, inzage: Inzage
    ) -> list[dict[str, Any]]:
        rows = [
            dict(row["verstrekking"])
            for row in [
                *views.docs(BRIEVEN, actor.gemeente),
                *views.docs(OPHALINGEN, actor.gemeente),
            ]
            if row.get("verstrekking")
        ]
        rows.sort(key=lambda row: str(row["op"]))
        inzage.aantal = len(rows)
        return rows

    async def post(actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        wachtend = views.find(BRIEVEN, "open:post", actor.gemeente)
        wachtend.sort(key=lambda rij: str(rij.aangemaakt_op))
        inzage.aantal = len(wachtend)
        velden = {"brief_id", "zaak", "vorm", "ontvanger", "kenmerk", "paginas", "aangemaakt_op"}
        return [rij.model_dump(mode="json", include=velden) for rij in wachtend]

    async def document(actor: Actor, params: BriefVraag, inzage: Inzage) -> dict[str, Any]:
        found = views.get(BRIEVEN, params.brief_id)
        inzage.zaak_gemeente = found.gemeente if found else None
        if found is None or found.gemeente != actor.gemeente or found.kenmerk is None:
            raise DomainError(ErrorCode.NOT_FOUND, "geen aangemaakte brief met dit id")
        assert runtime.velden is not None  # the composition root gives every service its keys
        pdf = lees(runtime.velden, documenten / f"{found.brief_id}.pdf", found.brief_id)
        if pdf is None:
            raise DomainError(ErrorCode.NOT_FOUND, "de brief is vernietigd (bewaartermijn)")
        return {
            "brief_id": str(found.brief_id),
            "kenmerk": found.kenmerk,
            "sha256": found.sha256,
            "mediatype": "application/pdf",
            "base64": base64.b64encode(pdf).decode(),
        }

    runtime.query(router, BRIEVEN_VRAAG, brieven)
    runtime.query(router, BRIEF_VRAAG, brief)
    runtime.query(router, VERSTREKKINGEN_VRAAG, verstrekkingen)
    runtime.query(router, POSTBATCH_VRAAG, post)
    runtime.query(router, DOCUMENT_VRAAG, document)
