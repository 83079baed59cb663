"""Legal time of the platform: the Amsterdam clock, day and hour terms, ages, the Atw calendar."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo

TIJDZONE: Final = ZoneInfo("Europe/Amsterdam")
"""The zone whose wall clock counts every Wvggz term of the platform."""

ATW_MIN_WERKDAGEN: Final = 2
"""Days that are no Saturday, Sunday or holiday a term of three days or more must include (Atw
art. 2)."""

Feestdagen: TypeAlias = Callable[[int], frozenset[date]]
"""A provider of the holidays (algemeen erkende feestdagen and equated days) of one year."""

VrijeDagen: TypeAlias = Feestdagen | frozenset[date]
"""Holidays as a provider per year or as one fixed set."""


# The Amsterdam clock


def amsterdamse_tijd(moment: datetime) -> datetime:
    """The moment in Amsterdam wall-clock time, with that moment's offset as a fixed offset."""
    # A fixed offset, not the ZoneInfo: PEP 495 makes a ZoneInfo time in the autumn's repeated hour
    # unequal to every other zone's, so it would not equal itself after a JSON round trip.
    lokaal = moment.astimezone(TIJDZONE)
    return lokaal.replace(tzinfo=timezone(lokaal.utcoffset() or timedelta(0)))


def lokale_datum(moment: datetime) -> date:
    """The calendar date in Amsterdam at this moment."""
    return moment.astimezone(TIJDZONE).date()


MAANDEN: Final = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def datum_in_woorden(dag: date) -> str:
    """A date as Dutch prose: 7 maart 2026."""
    return f"{dag.day} {MAANDEN[dag.month - 1]} {dag.year}"


def moment_in_woorden(tijdstip: datetime) -> str:
    """An aware moment on the Amsterdam clock in Dutch prose: 7 maart 2026 om 14:05 uur."""
    lokaal = tijdstip.astimezone(TIJDZONE)
    return f"{datum_in_woorden(lokaal.date())} om {lokaal:%H:%M} uur"


# Moments and terms


def na_dagen(start: datetime, dagen: int) -> datetime:
    """The moment `dagen` calendar days after `start`, at the same Amsterdam wall-clock time."""
    # Adding days to the wall-clock time (not to UTC) keeps 10:00 at 10:00 across a DST change. A
    # result in the spring gap moves forward by the gap; an ambiguous autumn time is the first one.
    lokaal = (start.astimezone(TIJDZONE) + timedelta(days=dagen)).replace(fold=0)
    return amsterdamse_tijd(lokaal.astimezone(UTC))


def na_uren(start: datetime, duur: timedelta) -> datetime:
    """The end of an elapsed-time term (e.g. 18 hours), shown in Amsterdam time."""
    # In UTC: Python adds a timedelta to a ZoneInfo time on its wall clock, an hour off across DST.
    return amsterdamse_tijd(start.astimezone(UTC) + duur)


def einde_dag(dag: date) -> datetime:
    """The end of a calendar day in Amsterdam: 24:00, i.e. 00:00 of the next day (DST-safe)."""
    # Midnight exists on every Amsterdam day (the clocks change at 02:00 and 03:00), so building
    # it on the wall clock and converting once gives the right UTC moment in summer and winter.
    middernacht = datetime.combine(dag + timedelta(days=1), time(0, 0), tzinfo=TIJDZONE)
    return amsterdamse_tijd(middernacht.astimezone(UTC))


def einde_hele_dagen(start: datetime, dagen: int) -> datetime:
    """The end of a term of `dagen` whole days (or 7 × weeks) that starts at `start`.

    How a legal term in days ends is decided here (issue 9): the day of the start is not counted,
    and the term ends at the end of its last day on the Amsterdam clock, 24:00, whatever the hour
    of the start (HR 22-01-2021, ECLI:NL:HR:2021:107: a term ends "aan het einde van de dag met
    hetzelfde nummer" as its first day). Every day and week term of the platform ends here;
    `einde_atw_termijn` adds
    the Algemene termijnenwet. A moment that is no term end, such as a warning, uses `na_dagen`.
    """
    return einde_dag(lokale_datum(start) + timedelta(days=dagen))


# People


def leeftijd_op(geboortedatum: date, datum: date) -> int:
    """Age in whole years on `datum`."""
    # Someone born on 29 February turns a year older on 1 March in a common year: the later
    # birthday keeps youth protection one day longer, the safe side for the age limits.
    nog_niet_jarig = (datum.month, datum.day) < (geboortedatum.month, geboortedatum.day)
    return datum.year - geboortedatum.year - int(nog_niet_jarig)


# The Algemene termijnenwet (Atw)


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


@functools.lru_cache(maxsize=64)
def atw_feestdagen(jaar: int) -> frozenset[date]:
    """Art. 3 Atw: lid 1 (New Year, Easter and Whit Monday, both Christmas days, Ascension Day,
    Koningsdag, 5 May) and lid 2 (Good Friday, equated with them).

    Lid 1 names "de vijfde mei" without condition, so 5 May counts every year; that many employers
    give the day off only in lustrum years is a matter of collective agreements, not of the Atw.
    Days equated by royal decree (lid 3) are added with `met_gelijkgestelde_dagen`.
    """
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


def is_werkdag(dag: date, feestdagen: VrijeDagen = atw_feestdagen) -> bool:
    """Whether a day is no Saturday, Sunday or holiday."""
    vrij = feestdagen if isinstance(feestdagen, frozenset) else feestdagen(dag.year)
    return dag.weekday() < 5 and dag not in vrij


def werkdagen_na(eerste: date, dagen: int, feestdagen: VrijeDagen = atw_feestdagen) -> int:
    """Working days among the `dagen` days after `eerste`; `eerste` itself is not counted."""
    return sum(is_werkdag(eerste + timedelta(days=i), feestdagen) for i in range(1, dagen + 1))


def atw_termijn_dagen(
    eerste: date,
    dagen: int,
    *,
    feestdagen: VrijeDagen = atw_feestdagen,
    min_werkdagen: int = ATW_MIN_WERKDAGEN,
    einde_op_werkdag: bool,
) -> int:
    """The length in days of a term of `dagen` days starting on `eerste`, extended per the Atw.

    Art. 2: a statutory term of at least three days is extended, where needed, by whole days until
    the days after `eerste` up to and including its last day hold `min_werkdagen` (two) days that
    are no Saturday, Sunday or holiday (HR 22-09-2023, ECLI:NL:HR:2023:1279, for art. 7:8 lid 3
    Wvggz: a request received on Friday may be decided on Tuesday). Art. 1, when
    `einde_op_werkdag`: a term whose last day is a Saturday, Sunday or holiday runs up to and
    including the next day that is none.
    """
    lengte = dagen
    if dagen >= 3:
        while werkdagen_na(eerste, lengte, feestdagen) < min_werkdagen:
            lengte += 1
    if einde_op_werkdag:
        while not is_werkdag(eerste + timedelta(days=lengte), feestdagen):
            lengte += 1
    return lengte


def einde_atw_termijn(
    start: datetime,
    dagen: int,
    *,
    feestdagen: VrijeDagen = atw_feestdagen,
    min_werkdagen: int = ATW_MIN_WERKDAGEN,
    einde_op_werkdag: bool,
) -> datetime:
    """The end (24:00 of the last day) of a term of `dagen` days from `start`, extended as
    `atw_termijn_dagen` says."""
    lengte = atw_termijn_dagen(
        lokale_datum(start),
        dagen,
        feestdagen=feestdagen,
        min_werkdagen=min_werkdagen,
        einde_op_werkdag=einde_op_werkdag,
    )
    return einde_hele_dagen(start, lengte)
