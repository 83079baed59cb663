"""The crisismaatregel's terms: configurable rules, Amsterdam wall-clock counting, the Atw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from services.crisis.domain.feestdagen import Feestdagen, atw_feestdagen

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
"""The zone in which the Wvggz terms of this platform are counted."""


@dataclass(frozen=True, slots=True)
class Termijnregels:
    """The term rules of a crisismaatregel; change them here, nothing else needs to change.

    Counting choice (documented, [check] against the law before relying on it in court):

    - A day term runs from the decision moment and ends at the same Amsterdam wall-clock time on
      the N-th calendar day after it (a decision on Friday 14:00 with 3 days ends Monday 14:00
      before the Atw), so a DST change shifts no end by an hour.
    - The days a term "includes" (Atw art. 2) are the calendar days after the starting day up to and
      including the end day; the starting day itself is not counted.
    - Atw art. 2 (`atw_toepassen`): a day term of at least three days is extended by whole days, the
      wall-clock time kept, until it includes `min_werkdagen` days that are no Saturday, Sunday or
      holiday. Atw art. 1 (`einde_op_werkdag`, off by default): an end on such a day moves on to the
      next working day. Week terms (voortzetting, zorgmachtiging cap) are plain calendar weeks.
    - Hour terms (the 18-hour decision norm) are elapsed time and are not counted here.
    """

    dagen_cm: int = 3
    """Days a crisismaatregel lasts without a request for voortzetting."""
    dagen_rechter: int = 3
    """Days within which the court decides on a request for voortzetting."""
    weken_voortzetting: int = 3
    """Weeks a machtiging tot voortzetting lasts from the court's decision."""
    max_weken_zorgmachtiging: int = 6
    """Cap, from the start of the voortzetting, while a zorgmachtiging request awaits the court."""
    min_werkdagen: int = 2
    """Working days a day term of at least three days must include (Atw art. 2)."""
    feestdagen: Feestdagen | frozenset[date] = atw_feestdagen
    """Holidays: a provider per year (e.g. `met_gelijkgestelde_dagen(...)`) or a fixed set."""
    atw_toepassen: bool = True
    """Extend day terms per Atw art. 2."""
    einde_op_werkdag: bool = False
    """Also move an end on a non-working day to the next working day (Atw art. 1)."""

    def __post_init__(self) -> None:
        for naam in ("dagen_cm", "dagen_rechter", "weken_voortzetting"):
            if getattr(self, naam) < 1:
                raise ValueError(f"{naam} moet minstens 1 zijn")
        if self.max_weken_zorgmachtiging < self.weken_voortzetting:
            raise ValueError("max_weken_zorgmachtiging mag niet korter zijn dan weken_voortzetting")
        if self.min_werkdagen < 0:
            raise ValueError("min_werkdagen mag niet negatief zijn")
        if self.atw_toepassen and self.min_werkdagen > self.dagen_cm:
            raise ValueError("min_werkdagen mag niet groter zijn dan dagen_cm")

    def is_werkdag(self, dag: date) -> bool:
        """Whether a day is no Saturday, Sunday or holiday."""
        feestdagen = self.feestdagen
        vrij = feestdagen if isinstance(feestdagen, frozenset) else feestdagen(dag.year)
        return dag.weekday() < 5 and dag not in vrij


def amsterdamse_tijd(moment: datetime) -> datetime:
    """The moment in Amsterdam wall-clock time, with that moment's offset as a fixed offset."""
    # A fixed offset, not the ZoneInfo: a ZoneInfo time in the autumn's repeated hour compares
    # unequal to every other zone's, so it would not equal itself after a JSON round trip.
    lokaal = moment.astimezone(AMSTERDAM)
    return lokaal.replace(tzinfo=timezone(lokaal.utcoffset() or timedelta(0)))


def lokale_datum(moment: datetime) -> date:
    """The calendar date in Amsterdam at this moment."""
    return moment.astimezone(AMSTERDAM).date()


def na_dagen(start: datetime, dagen: int) -> datetime:
    """The moment `dagen` calendar days after `start`, at the same Amsterdam wall-clock time."""
    # A result in the spring gap moves forward by the gap; an ambiguous autumn time is the first.
    lokaal = (start.astimezone(AMSTERDAM) + timedelta(days=dagen)).replace(fold=0)
    return amsterdamse_tijd(lokaal.astimezone(UTC))


def na_uren(start: datetime, duur: timedelta) -> datetime:
    """An elapsed-time term (e.g. 18 hours), shown in Amsterdam time."""
    return amsterdamse_tijd(start + duur)


def dagtermijn(start: datetime, dagen: int, regels: Termijnregels) -> datetime:
    """The end of a term of `dagen` days from `start`, extended per the Atw where configured."""
    eerste = lokale_datum(start)
    n = dagen
    if regels.atw_toepassen and dagen >= 3:
        while _werkdagen(eerste, n, regels.is_werkdag) < regels.min_werkdagen:
            n += 1
    if regels.atw_toepassen and regels.einde_op_werkdag:
        while not regels.is_werkdag(eerste + timedelta(days=n)):
            n += 1
    return na_dagen(start, n)


def _werkdagen(eerste: date, n: int, is_werkdag: Callable[[date], bool]) -> int:
    """Working days among the `n` days after `eerste`."""
    return sum(is_werkdag(eerste + timedelta(days=i)) for i in range(1, n + 1))


def einde_crisismaatregel(besloten_op: datetime, regels: Termijnregels) -> datetime:
    """When a crisismaatregel ends without a request for voortzetting."""
    return dagtermijn(besloten_op, regels.dagen_cm, regels)


def rechter_beslist_uiterlijk(ingediend_op: datetime, regels: Termijnregels) -> datetime:
    """When the court must have decided on a request for voortzetting."""
    return dagtermijn(ingediend_op, regels.dagen_rechter, regels)


def einde_voortzetting(beslist_op: datetime, regels: Termijnregels) -> datetime:
    """When a machtiging tot voortzetting ends: calendar weeks from the court's decision."""
    return na_dagen(beslist_op, 7 * regels.weken_voortzetting)


def uiterste_einde_met_zorgmachtiging(
    start_voortzetting: datetime, regels: Termijnregels
) -> datetime:
    """The latest end of a voortzetting while a zorgmachtiging request awaits the court."""
    return na_dagen(start_voortzetting, 7 * regels.max_weken_zorgmachtiging)
