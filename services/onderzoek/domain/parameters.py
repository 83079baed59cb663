"""The configurable parameters of the VO rules, checked once when the decider is made."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Parameters:
    """Region, terms and the GGZ budget the VO rules apply."""

    regio: frozenset[str]
    termijn_dagen: int = 14
    waarschuwing_dagen: int = 10
    ggz_budget_uren: Decimal = Decimal(2)

    def __post_init__(self) -> None:
        if not self.regio:
            raise ValueError("de regio heeft geen gemeenten")
        if self.termijn_dagen < 1:
            raise ValueError("termijn_dagen moet minstens 1 zijn")
        if not 0 <= self.waarschuwing_dagen < self.termijn_dagen:
            raise ValueError("waarschuwing_dagen moet minstens 0 en kleiner dan termijn_dagen zijn")
        if self.ggz_budget_uren <= 0:
            raise ValueError("ggz_budget_uren moet positief zijn")
