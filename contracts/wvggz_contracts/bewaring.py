"""Commands and events of retention and erasure: a dossier whose term has passed (or that a
person asked to have erased) is proposed, approved by functioneel beheer, and its personal data
destroyed by destroying its key; the record of the destruction stays (Archiefbesluit 1995 art. 8,
"verklaring van vernietiging"). Every service with dossiers records them in its own trail, so
their types are audit types (`nl.wvggz.audit.…`), published under the recording service."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Final
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import Pseudoniem, Regel

STROOM_PATTERN: Final = (
    r"^[a-z][a-z-]{0,40}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
"""A case stream's name: its category and the case's UUID (never a BSN or a name)."""

Stroom = Annotated[str, Field(pattern=STROOM_PATTERN)]


class Grond(StrEnum):
    """Why a dossier is to be destroyed."""

    BEWAARTERMIJN = "bewaartermijn"
    """Its retention term after closing has passed (the service proposes it)."""
    VERZOEK = "verzoek"
    """The person asked for erasure (AVG art. 17) and functioneel beheer proposes it."""


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StelVernietigingVoor(_Payload):
    """Propose destroying a dossier's personal data (the service for a passed term; functioneel
    beheer on a person's request)."""

    zaak: UUID = Field(description="The dossier's case id.")
    gemeente: GemeenteCode
    grond: Grond
    toelichting: Annotated[Regel, Field(max_length=400)] | None = Field(
        default=None, description="For a request: the request's own reference, no personal data."
    )


class KeurVernietigingGoed(_Payload):
    """Functioneel beheer approves the destruction; someone other than who proposed it."""

    zaak: UUID


class HoudVernietigingAan(_Payload):
    """Functioneel beheer holds the destruction until a date (e.g. a procedure or a request for
    inzage still runs); the service proposes it again from then on."""

    zaak: UUID
    tot: date
    reden: Annotated[Regel, Field(max_length=400)]


class LegVernietigingVast(_Payload):
    """The service destroyed the dossier's keys and records it (the service only)."""

    zaak: UUID


class VernietigingVoorgesteld(DomainEvent):
    """A dossier is due for destruction; it waits for functioneel beheer's approval."""

    event_type: ClassVar[str] = "nl.wvggz.audit.vernietiging-voorgesteld.v1"

    zaak: UUID
    gemeente: GemeenteCode
    grond: Grond
    stromen: list[Stroom] = Field(description="The dossier's case streams in this service.")
    afgesloten_op: AwareDatetime | None = Field(
        default=None, description="When the dossier closed (for a passed term)."
    )
    termijn_jaren: float | None = Field(default=None, description="The term that passed.")
    toelichting: str | None = None
    voorgesteld_door: Pseudoniem


class VernietigingGoedgekeurd(DomainEvent):
    """Functioneel beheer approved the destruction."""

    event_type: ClassVar[str] = "nl.wvggz.audit.vernietiging-goedgekeurd.v1"

    zaak: UUID
    goedgekeurd_door: Pseudoniem
    goedgekeurd_op: AwareDatetime


class VernietigingAangehouden(DomainEvent):
    """Functioneel beheer held the destruction until a date."""

    event_type: ClassVar[str] = "nl.wvggz.audit.vernietiging-aangehouden.v1"

    zaak: UUID
    tot: date
    reden: str


class PersoonsgegevensVernietigd(DomainEvent):
    """The verklaring van vernietiging: which dossier's personal data was destroyed, when, on
    whose approval and why. The events stay; their personal fields read as "vernietigd"."""

    event_type: ClassVar[str] = "nl.wvggz.audit.persoonsgegevens-vernietigd.v1"

    zaak: UUID
    gemeente: GemeenteCode
    stromen: list[Stroom]
    grond: Grond
    voorgesteld_door: Pseudoniem
    goedgekeurd_door: Pseudoniem
    goedgekeurd_op: AwareDatetime
    vernietigd_op: AwareDatetime


BEWARING_EVENTS: Final = EventRegistry(
    [
        VernietigingVoorgesteld,
        VernietigingGoedgekeurd,
        VernietigingAangehouden,
        PersoonsgegevensVernietigd,
    ]
)
