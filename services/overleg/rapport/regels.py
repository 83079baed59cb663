"""The lines of the report besides the figures: the next meeting's agenda and the afspraken."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class Agendaregel(BaseModel):
    """One item on the agenda of the next overleg."""

    model_config = ConfigDict(frozen=True)

    thema: str
    titel: str
    toelichting: str = ""


class Afspraakregel(BaseModel):
    """One afspraak (an action agreed in an earlier overleg) and how far it has come."""

    model_config = ConfigDict(frozen=True)

    omschrijving: str
    eigenaar: str
    uiterlijk: date | None
    status: str
