"""The configurable parameters of the VO rules, checked once when the rulebook is made."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Parameters:
    """Region, warning moment and the GGZ budget the VO rules apply; the term is the meldpunt's."""

    regio: frozenset[str]
    waarschuwing_dagen: int = 10
    ggz_budget_uren: Decimal = Decimal(2)

    def __post_init__(self) -> None:
        if not self.regio:
            raise ValueError("de regio heeft geen gemeenten")
        if self.waarschuwing_dagen < 0:
            raise ValueError("waarschuwing_dagen moet minstens 0 zijn")
        if self.ggz_budget_uren <= 0:
            raise ValueError("ggz_budget_uren moet positief zijn")
