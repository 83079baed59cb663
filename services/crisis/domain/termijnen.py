"""The crisismaatregel's terms: configurable rules on the shared legal clock and Atw calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from wvggz_contracts.rechtstijd import (
    ATW_MIN_WERKDAGEN,
    VrijeDagen,
    atw_feestdagen,
    einde_atw_termijn,
    einde_hele_dagen,
    is_werkdag,
)


@dataclass(frozen=True, slots=True)
class Termijnregels:
    """The term rules of a crisismaatregel; change them here, nothing else needs to change.

    Counting (issue 9; sources in the service README's term table):

    - Every term is counted in whole days on the Amsterdam clock: the day it starts is not
      counted and it ends at the end (24:00) of its last day, whatever the hour it started
      (`rechtstijd.einde_hele_dagen`; HR 22-01-2021, ECLI:NL:HR:2021:107).
    - The crisismaatregel (3 days), the court's term on a request for voortzetting (art. 7:8 lid 3
      Wvggz, 3 days) and its term on a zorgmachtiging request (art. 6:2 lid 1 sub b, 3 weeks) are
      statutory terms under the Algemene termijnenwet (`atw_toepassen`): art. 2 extends a term of
      three days or more until it holds `min_werkdagen` days that are no Saturday, Sunday or
      holiday (HR 22-09-2023, ECLI:NL:HR:2023:1279); art. 1 (`einde_op_werkdag`) moves a last day
      on such a day to the next working day.
    - The machtiging tot voortzetting lasts three weeks after its date (art. 7:9) in calendar
      days, and six weeks at most with a pending zorgmachtiging request (art. 7:10 sub a, HR
      22-01-2021): both are validity periods the law fixes, not terms to act within, so the Atw
      does not lengthen them, and the six weeks cap a court term the Atw extended.
    - Hour terms (the 18-hour decision norm) are elapsed time and are not counted here.
    """

    dagen_cm: int = 3
    """Days a crisismaatregel lasts without a request for voortzetting."""
    dagen_rechter: int = 3
    """Days within which the court decides on a request for voortzetting (art. 7:8 lid 3)."""
    weken_voortzetting: int = 3
    """Weeks a machtiging tot voortzetting lasts after its date (art. 7:9)."""
    weken_rechter_zorgmachtiging: int = 3
    """Weeks within which the court decides on a zorgmachtiging request (art. 6:2 lid 1 sub b)."""
    max_weken_zorgmachtiging: int = 6
    """Cap, from the voortzetting's date, while a zorgmachtiging request awaits the court."""
    min_werkdagen: int = ATW_MIN_WERKDAGEN
    """Working days a day term of at least three days must include (Atw art. 2)."""
    feestdagen: VrijeDagen = atw_feestdagen
    """Holidays: a provider per year (e.g. `met_gelijkgestelde_dagen(...)`) or a fixed set."""
    atw_toepassen: bool = True
    """Extend the statutory day terms per Atw art. 2."""
    einde_op_werkdag: bool = True
    """Also move an end on a Saturday, Sunday or holiday to the next working day (Atw art. 1)."""

    def __post_init__(self) -> None:
        for naam in (
            "dagen_cm",
            "dagen_rechter",
            "weken_voortzetting",
            "weken_rechter_zorgmachtiging",
        ):
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
    """The end of a statutory term of `dagen` days from `start`, with the Atw where configured."""
    if not regels.atw_toepassen:
        return einde_hele_dagen(start, dagen)
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
    """When the court must have decided on a request for voortzetting (art. 7:8 lid 3)."""
    return dagtermijn(ingediend_op, regels.dagen_rechter, regels)


def einde_voortzetting(beslist_op: datetime, regels: Termijnregels) -> datetime:
    """When a machtiging tot voortzetting ends: three weeks after its date (art. 7:9)."""
    return einde_hele_dagen(beslist_op, 7 * regels.weken_voortzetting)


def rechter_beslist_zorgmachtiging_uiterlijk(
    ingediend_op: datetime, regels: Termijnregels
) -> datetime:
    """When the court must have decided on a zorgmachtiging request (art. 6:2 lid 1 sub b)."""
    return dagtermijn(ingediend_op, 7 * regels.weken_rechter_zorgmachtiging, regels)


def uiterste_einde_met_zorgmachtiging(
    start_voortzetting: datetime, regels: Termijnregels
) -> datetime:
    """The latest end of a voortzetting while a zorgmachtiging request awaits the court."""
    return einde_hele_dagen(start_voortzetting, 7 * regels.max_weken_zorgmachtiging)


def einde_voortzetting_met_zorgmachtiging(
    start_voortzetting: datetime, zorgmachtiging_ingediend_op: datetime, regels: Termijnregels
) -> datetime:
    """When a voortzetting ends while a zorgmachtiging request filed before its end is pending.

    Art. 7:10 sub a: it does not lapse at the end of its three weeks but when the court decides on
    the request, at the latest when the court's term for it ends (art. 6:2 lid 1 sub b). A request
    filed early never shortens the three weeks, and the whole lasts six weeks at most (HR
    22-01-2021, ECLI:NL:HR:2021:107).
    """
    eigen = einde_voortzetting(start_voortzetting, regels)
    rechter = rechter_beslist_zorgmachtiging_uiterlijk(zorgmachtiging_ingediend_op, regels)
    return min(max(eigen, rechter), uiterste_einde_met_zorgmachtiging(start_voortzetting, regels))
