"""Calendar-day terms counted in Amsterdam wall-clock time, so a DST change shifts no deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from kernel.decider import violated

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
"""The zone in which the Wvggz terms of this platform are counted."""


def na_dagen(start: datetime, dagen: int) -> datetime:
    """The moment `dagen` calendar days after `start`, at the same Amsterdam wall-clock time."""
    # Adding days to the wall-clock time (not to UTC) keeps 10:00 at 10:00 across a DST change. A
    # result in the spring gap moves forward by the gap; an ambiguous autumn time is the first one.
    lokaal = (start.astimezone(AMSTERDAM) + timedelta(days=dagen)).replace(fold=0)
    return amsterdamse_tijd(lokaal.astimezone(UTC))


def amsterdamse_tijd(moment: datetime) -> datetime:
    """The moment in Amsterdam wall-clock time, with that moment's offset as a fixed offset."""
    # A fixed offset, not the ZoneInfo: PEP 495 makes a ZoneInfo time in the autumn's repeated hour
    # unequal to every other zone's, so it would not equal itself after a JSON round trip.
    lokaal = moment.astimezone(AMSTERDAM)
    return lokaal.replace(tzinfo=timezone(lokaal.utcoffset() or timedelta(0)))


def lokale_datum(moment: datetime) -> date:
    """The calendar date in Amsterdam at this moment."""
    return moment.astimezone(AMSTERDAM).date()


def eis_niet_in_toekomst(datum: date, nu: datetime, field: str) -> None:
    """Refuse a date after today (in Amsterdam), naming the field."""
    if datum > lokale_datum(nu):
        raise violated(f"de datum {datum.isoformat()} ligt in de toekomst", field)
