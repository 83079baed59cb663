"""Inzage (AVG art. 15): all that one service holds on one person, found by the key store's BSN
index and never by reading clear text, with every read of those dossiers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from wvggz_contracts.audit import GegevensIngezien
from wvggz_contracts.bsn import Bsn
from wvggz_contracts.commands import Actor

from kernel.audit import audit_stream
from kernel.bewaring.archief import Archief
from kernel.bewaring.regels import BEHEER
from kernel.eventstore import EventStore
from kernel.queries import Inzage, QuerySpec
from kernel.sleutels import Sleutelkluis


class InzageVraag(BaseModel):
    """Whom the inzage is about, and the procedure cases already found elsewhere."""

    model_config = ConfigDict(extra="forbid")

    bsn: Bsn
    zaken: list[UUID] = Field(
        default_factory=list,
        max_length=1000,
        description="Cases found at the other services, for dossiers that name no BSN (letters).",
    )


def inzage_query(service: str) -> QuerySpec:
    """The inzage of one service: over the bus only, as a BSN never goes in a URL."""
    return QuerySpec(
        "inzage",
        InzageVraag,
        "Alles wat deze dienst over één persoon bewaart (op BSN, via de sleutelindex), met wie"
        " de dossiers inzag; voor een verzoek om inzage, door functioneel beheer.",
        rollen=BEHEER,
        wat="een inzage",
        resource=f"{service}-inzagen",
        werk=False,
        api=False,
    )


class Stap(BaseModel):
    """One event of a dossier, its personal data opened (or "vernietigd")."""

    positie: int
    versie: int
    type: str
    op: datetime
    door: str
    rol: str
    gegevens: dict[str, Any]


class Dossierinzage(BaseModel):
    """One dossier as the service keeps it, and every read of it."""

    stroom: str
    zaak: UUID
    gemeente: str
    vernietigd: bool
    gebeurtenissen: list[Stap]
    inzagen: list[dict[str, Any]]


async def inzage(
    service: str,
    store: EventStore,
    kluis: Sleutelkluis,
    archief: Archief[Any] | None,
    views: Any,
    actor: Actor,
    vraag: InzageVraag,
    audit: Inzage,
) -> dict[str, Any]:
    """The dossiers of the asker's gemeente that hold this person's data, in full."""
    stromen = set(kluis.sleutels_van(kluis.index(vraag.bsn)))
    if archief is not None:
        stromen |= {s for d in archief.bij_zaken(views, set(vraag.zaken)) for s in d.stromen}
    dossiers = []
    for stroom in sorted(stromen):
        recorded = await store.read(stroom)
        if not recorded or recorded[-1].metadata.get("gemeente") != actor.gemeente:
            continue  # another service's stream, or another gemeente's dossier
        zaak = UUID(stroom[-36:])
        dossiers.append(
            Dossierinzage(
                stroom=stroom,
                zaak=zaak,
                gemeente=actor.gemeente,
                vernietigd=kluis.vernietigd(stroom),
                gebeurtenissen=[_stap(e) for e in recorded],
                inzagen=[],
            )
        )
    await _reads(store, service, dossiers)
    audit.aantal = len(dossiers)
    audit.dossiers = [d.zaak for d in dossiers]
    return {
        "dienst": service,
        "dossiers": [d.model_dump(mode="json") for d in dossiers],
    }


def _stap(event: Any) -> Stap:
    meta = event.metadata
    return Stap(
        positie=event.position,
        versie=event.version,
        type=event.type,
        op=datetime.fromisoformat(meta.get("occurred_at") or event.recorded_at.isoformat()),
        door=meta.get("actor", ""),
        rol=meta.get("rol", ""),
        gegevens=afgeschermd(dict(event.data)),
    )


AFGESCHERMD = "afgeschermd (art. 15 lid 4 AVG)"
"""What an inzage shows of a melder who asked not to be made known to the betrokkene."""

ANONIEM = "anoniem_naar_betrokkene"
_BLIJFT = frozenset({ANONIEM, "relatie"})


def afgeschermd(data: Any) -> Any:
    """The data with every melder who asked to stay unknown to the betrokkene screened off,
    wherever it sits (a melding, a triage, the melder's letter): the export goes to the
    betrokkene, and another person's rights limit what it may hold."""
    if isinstance(data, list):
        return [afgeschermd(item) for item in data]
    if not isinstance(data, dict):
        return data
    if data.get(ANONIEM) is True:
        return {k: v if k in _BLIJFT or v is None else AFGESCHERMD for k, v in data.items()}
    return {k: afgeschermd(v) for k, v in data.items()}


async def _reads(store: EventStore, service: str, dossiers: Sequence[Dossierinzage]) -> None:
    """Every read of these dossiers from the service's read audit (NEN 7513)."""
    by_case = {d.zaak: d for d in dossiers}
    if not by_case:
        return
    for event in await store.read(audit_stream(service)):
        if event.type != GegevensIngezien.event_type:
            continue
        case_id = event.data.get("case_id")
        if case_id is not None and (dossier := by_case.get(UUID(case_id))) is not None:
            read = GegevensIngezien.model_validate(event.data)
            dossier.inzagen.append(
                read.model_dump(
                    mode="json", include={"query", "actor", "rol", "uitkomst", "ingezien_op"}
                )
            )
