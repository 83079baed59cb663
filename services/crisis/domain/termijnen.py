"""The crisismaatregel's terms: configurable rules on the shared legal clock and Atw calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from wvggz_contracts.rechtstijd import (
    ATW_MIN_WERKDAGEN,
    VrijeDagen,
    atw_feestdagen,
    einde_atw_termijn,
    einde_dagtermijn,
    is_werkdag,
)


@dataclass(frozen=True, slots=True)
class Termijnregels:
    """The term rules of a crisismaatregel; change them here, nothing else needs to change.

    Counting choice (documented, [check] against the law before relying on it in court):

    - A day term runs from the decision moment and ends at the same Amsterdam wall-clock time on
      the N-th calendar day after it (a decision on Friday 14:00 with 3 days ends Monday 14:00
      before the Atw), so a DST change shifts no end by an hour (`rechtstijd.einde_dagtermijn`).
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
    min_werkdagen: int = ATW_MIN_WERKDAGEN
    """Working days a day term of at least three days must include (Atw art. 2)."""
    feestdagen: VrijeDagen = atw_feestdagen
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
        return is_werkdag(dag, self.feestdagen)


def dagtermijn(start: datetime, dagen: int, regels: Termijnregels) -> datetime:
    """The end of a term of `dagen` days from `start`, extended per the Atw where configured."""
    if not regels.atw_toepassen:
        return einde_dagtermijn(start, dagen)
    return einde_atw_termijn(
        start,
        dagen,
        feestdagen=regels.feestdagen,
        min_werkdagen=regels.min_werkdagen,
        einde_op_werkdag=regels.einde_op_werkdag,
    )


def einde_crisismaatregel(besloten_op: datetime, regels: Termijnregels) -> datetime:
    """When a crisismaatregel ends without a request for voortzetting."""
    return dagtermijn(besloten_op, regels.dagen_cm, regels)


def rechter_beslist_uiterlijk(ingediend_op: datetime, regels: Termijnregels) -> datetime:
    """When the court must have decided on a request for voortzetting."""
    return dagtermijn(ingediend_op, regels.dagen_rechter, regels)


def einde_voortzetting(beslist_op: datetime, regels: Termijnregels) -> datetime:
    """When a machtiging tot voortzetting ends: calendar weeks from the court's decision."""
    return einde_dagtermijn(beslist_op, 7 * regels.weken_voortzetting)


def uiterste_einde_met_zorgmachtiging(
    start_voortzetting: datetime, regels: Termijnregels
) -> datetime:
    """The latest end of a voortzetting while a zorgmachtiging request awaits the court."""
    return einde_dagtermijn(start_voortzetting, 7 * regels.max_weken_zorgmachtiging)
