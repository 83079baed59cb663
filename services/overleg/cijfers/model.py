"""The quarter's figures as the overleg shows them: tables of counts with suppressed small cells,
and tables of measures (durations, shares) per gemeente."""

from __future__ import annotations

from datetime import date
from typing import Final

from pydantic import BaseModel, ConfigDict

KLEIN: Final = "<5"
"""A count from 1 to 4: shown like this, so no individual can be recognised in it."""

ONDERDRUKT: Final = "x"
"""A count hidden as well, so a small count cannot be recovered from the totals."""

Getoond = int | float | str | None
"""A cell as shown: a number, `KLEIN`, `ONDERDRUKT`, or None (no measure: too few cases)."""


class Tabel(BaseModel):
    """One table of a quarter: a row per gemeente, a column per category or measure.

    A count table (`optelbaar`) has a last row and a last column "Totaal" and its small cells
    suppressed; a measure table has neither (its cells are None where too few cases count).
    """

    model_config = ConfigDict(frozen=True)

    naam: str
    """Stable key, e.g. `meldingen-per-melder`: file names and chart ids derive from it."""
    titel: str
    eenheid: str = "aantal"
    optelbaar: bool = True
    rijen: list[str]
    kolommen: list[str]
    cellen: list[list[Getoond]]
    toelichting: str = ""


class Kwartaalcijfers(BaseModel):
    """Every table of one quarter of the region (Amsterdam time: `van` up to, not incl., `tot`)."""

    model_config = ConfigDict(frozen=True)

    kwartaal: str
    """`2026-K3`."""
    van: date
    tot: date
    gemeenten: list[str]
    tabellen: list[Tabel]

    def tabel(self, naam: str) -> Tabel:
        """The table with this key."""
        return next(t for t in self.tabellen if t.naam == naam)
