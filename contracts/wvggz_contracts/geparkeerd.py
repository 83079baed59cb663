"""The dead-letter register every consuming service keeps: what operators send and see."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from wvggz_contracts.audit import Parkeerreden
from wvggz_contracts.typen import Regel

QUERY = "geparkeerde-gebeurtenissen"
HERLEVER = "herlever-geparkeerde-gebeurtenis"
WIJS_AF = "wijs-geparkeerde-gebeurtenis-af"

Durable = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=100)]


class GeparkeerdeGebeurtenis(BaseModel):
    """Which parked message: the consumer that parked it and its position in WVGGZ_EVENTS."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    consumer: Durable
    stream_sequence: int = Field(ge=1)


class HerleverGeparkeerdeGebeurtenis(GeparkeerdeGebeurtenis):
    """Have the consumer handle a parked message again (e.g. after a fix or an upgrade)."""


class WijsGeparkeerdeGebeurtenisAf(GeparkeerdeGebeurtenis):
    """Decide a parked message is not to be handled; it leaves the list of open ones."""

    reden: Annotated[Regel, Field(max_length=500)] = Field(
        description="Why, in the operator's words (no personal data)."
    )


class Parkeerstatus(StrEnum):
    """Where a parked message stands."""

    OPEN = "open"
    HERLEVERD = "herleverd"
    AFGEWEZEN = "afgewezen"


class GeparkeerdeGebeurtenissenVraag(BaseModel):
    """Params of the list: the open ones (default) or all."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    alle: bool = False


class GeparkeerdBericht(BaseModel):
    """One parked message as operators see it: where it is and why, never its content."""

    id: UUID
    consumer: str
    stream_sequence: int
    onderwerp: str | None
    event_id: UUID | None
    gemeente: str | None
    reden: Parkeerreden
    toelichting: str
    geparkeerd_op: datetime
    status: Parkeerstatus = Parkeerstatus.OPEN
    mislukte_herleveringen: int = 0
    laatste_toelichting: str | None = None
    afgehandeld_door: str | None = None
    afgehandeld_op: datetime | None = None
