"""The Algemene termijnenwet's holidays per year (art. 3), with Easter computed, extendable."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

Feestdagen = Callable[[int], frozenset[date]]
"""A provider of the holidays (algemeen erkende feestdagen and equated days) of one year."""


def pasen(jaar: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm)."""
    a = jaar % 19
    b, c = divmod(jaar, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    maand, dag = divmod(h + el - 7 * m + 114, 31)
    return date(jaar, maand, dag + 1)


def koningsdag(jaar: int) -> date:
    """The day the King's (before 2014 the Queen's) birthday is celebrated; never a Sunday."""
    viering = date(jaar, 4, 27) if jaar >= 2014 else date(jaar, 4, 30)
    return viering - timedelta(days=1) if viering.weekday() == 6 else viering


def atw_feestdagen(jaar: int) -> frozenset[date]:
    """Art. 3 Atw: lid 1 (New Year, Easter and Whit Monday, both Christmas days, Ascension Day,
    Koningsdag, 5 May) and lid 2 (Good Friday, equated with them)."""
    paasdag = pasen(jaar)
    return frozenset(
        {
            date(jaar, 1, 1),
            paasdag - timedelta(days=2),  # Goede Vrijdag (art. 3 lid 2)
            paasdag + timedelta(days=1),  # tweede Paasdag
            koningsdag(jaar),
            date(jaar, 5, 5),
            paasdag + timedelta(days=39),  # Hemelvaartsdag
            paasdag + timedelta(days=50),  # tweede Pinksterdag
            date(jaar, 12, 25),
            date(jaar, 12, 26),
        }
    )


def met_gelijkgestelde_dagen(
    extra: Iterable[date], basis: Feestdagen = atw_feestdagen
) -> Feestdagen:
    """A provider that adds days equated by royal decree (art. 3 lid 3 Atw) to `basis`."""
    per_jaar: dict[int, frozenset[date]] = {}
    for dag in extra:
        per_jaar[dag.year] = per_jaar.get(dag.year, frozenset()) | {dag}

    def feestdagen(jaar: int) -> frozenset[date]:
        return basis(jaar) | per_jaar.get(jaar, frozenset())

    return feestdagen
