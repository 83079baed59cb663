"""The cases behind the figures, folded from the observations: one record per melding, VO, crisis
case and afschrift, filed under the quarter it counts in (Amsterdam time) and its gemeente.

Moments are seconds since the epoch: a restart folds every observation again, so the fold does
no date arithmetic per event beyond finding a case's quarter once.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any, TypeVar

from wvggz_contracts.overleg import kwartaal_van
from wvggz_contracts.rechtstijd import TIJDZONE, lokale_datum

from services.overleg.cijfers.bron import Feit

AFSCHRIFT = "afschrift-crisismaatregel"

_GRENZEN = [
    datetime.combine(datetime(jaar, maand, 1), time(), TIJDZONE).timestamp()
    for jaar in range(2019, 2101)
    for maand in (1, 4, 7, 10)
]
_NAMEN = [f"{jaar}-K{k}" for jaar in range(2019, 2101) for k in (1, 2, 3, 4)]


def kwartaal_van_moment(seconden: float) -> str:
    """The quarter (Amsterdam time) a moment falls in."""
    plaats = bisect_right(_GRENZEN, seconden) - 1
    if 0 <= plaats < len(_NAMEN) - 1:
        return _NAMEN[plaats]
    # Outside the table (before 2019, after 2100): the slow way, still right.
    return kwartaal_van(lokale_datum(datetime.fromtimestamp(seconden, UTC)))


@dataclass(slots=True)
class Melding:
    """A melding received in `kwartaal`."""

    gemeente: str
    kwartaal: str
    melder: str
    jeugd: bool | None
    uitkomst: str = "niet-getrieerd"


@dataclass(slots=True)
class Onderzoek:
    """A VO opened in `kwartaal`; its duration runs from the melding to its closing."""

    gemeente: str
    kwartaal: str
    melding_ontvangen_op: float
    jeugd: bool | None
    afgesloten_op: float | None = None
    reden: str | None = None
    verstreken: bool = False


@dataclass(slots=True)
class Crisis:
    """A crisis case reported in `kwartaal`, and the burgemeester's decision on it."""

    gemeente: str
    kwartaal: str
    gemeld_op: float
    jeugd: bool | None
    besloten_op: float | None = None
    genomen: bool | None = None
    voortgezet: bool = False


@dataclass(slots=True)
class Afschrift:
    """A copy of a crisis decision put ready in `kwartaal`, and when it went out."""

    gemeente: str
    kwartaal: str
    klaargezet_op: float
    verzonden_op: float | None = None


C = TypeVar("C", Melding, Onderzoek, Crisis, Afschrift)
Stap = Callable[[str, str, float, Feit, "bool | None"], None]
"""How one kind of observation folds in: (case, gemeente, moment, fact, young)."""


class Feiten:
    """Every case the figures count, found by (quarter, gemeente), and the hours from events."""

    def __init__(self) -> None:
        self.meldingen: dict[str, Melding] = {}
        self.onderzoeken: dict[str, Onderzoek] = {}
        self.crises: dict[str, Crisis] = {}
        self.afschriften: dict[str, Afschrift] = {}
        self.hoorzittingen: defaultdict[tuple[str, str], int] = defaultdict(int)
        """Hearings per (gemeente, quarter)."""
        self.ggz_uren: defaultdict[tuple[str, str], float] = defaultdict(float)
        """GGZ consultation hours in VO's per (gemeente, quarter)."""
        self._niet_geteld: set[str] = set()
        """Letters that are no afschrift: their later steps are not kept waiting for a start."""
        self._wachtend: defaultdict[str, list[tuple[Stap, tuple[Any, ...]]]] = defaultdict(list)
        """Steps on a case whose start was not seen yet: a redelivered start can come later."""
        self._per: dict[type, defaultdict[tuple[str, str], list[Any]]] = {
            soort: defaultdict(list) for soort in (Melding, Onderzoek, Crisis, Afschrift)
        }
        self.stappen: dict[str, Stap] = {
            "melding-ontvangen": self._melding,
            "triage-afgerond": self._triage,
            "vo-geopend": self._vo_geopend,
            "vo-afgesloten": self._vo_afgesloten,
            "termijn-verstreken": self._vo_verstreken,
            "crisis-gemeld": self._crisis,
            "besluit-genomen": self._besluit,
            "besluit-afgewezen": self._afwijzing,
            "verzoek-voortzetting-ingediend": self._voortzetting,
            "hoorverslag-vastgelegd": self._horen,
            "ggz-consultatie-vastgelegd": self._consultatie,
            "brief-klaargezet": self._brief,
            "brief-verzonden": self._verzonden,
        }
        """The fold of each kind of observation the figures count."""

    def in_kwartaal(self, soort: type[C], kwartaal: str, gemeente: str) -> list[C]:
        """The cases of one kind that count in a quarter for a gemeente."""
        return self._per[soort].get((kwartaal, gemeente), [])

    def kwartalen(self) -> set[str]:
        """Every quarter some case counts in."""
        return {kwartaal for per in self._per.values() for kwartaal, _gemeente in per}

    def neem(
        self, soort: str, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: bool | None
    ) -> None:
        """Fold one observation in (the events of one case arrive in their order)."""
        if (stap := self.stappen.get(soort)) is not None:
            stap(zaak, gemeente, op, feit, jeugd)

    def _nieuw(self, cases: dict[str, C], zaak: str, case: C) -> None:
        if zaak in cases:  # the same start seen twice files the case once
            return
        cases[zaak] = case
        self._per[type(case)][(case.kwartaal, case.gemeente)].append(case)
        if self._wachtend:  # nearly always empty: events come in their order
            for stap, args in self._wachtend.pop(zaak, ()):
                stap(*args)

    def _later(self, stap: Stap, *args: Any) -> None:
        self._wachtend[args[0]].append((stap, args))

    def _melding(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        melding = Melding(gemeente, kwartaal_van_moment(op), str(feit), _bool(jeugd))
        self._nieuw(self.meldingen, zaak, melding)

    def _triage(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        if (melding := self.meldingen.get(zaak)) is None:
            self._later(self._triage, zaak, gemeente, op, feit, jeugd)
        else:
            melding.uitkomst = str(feit)

    def _vo_geopend(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        ontvangen = float(feit or op)
        vo = Onderzoek(gemeente, kwartaal_van_moment(op), ontvangen, _bool(jeugd))
        self._nieuw(self.onderzoeken, zaak, vo)

    def _vo_afgesloten(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        if (vo := self.onderzoeken.get(zaak)) is None:
            self._later(self._vo_afgesloten, zaak, gemeente, op, feit, jeugd)
        else:
            vo.afgesloten_op, vo.reden = op, str(feit)

    def _vo_verstreken(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        if (vo := self.onderzoeken.get(zaak)) is None:
            self._later(self._vo_verstreken, zaak, gemeente, op, feit, jeugd)
        else:
            vo.verstreken = True

    def _crisis(self, zaak: str, gemeente: str, op: float, _feit: Feit, jeugd: Any) -> None:
        crisis = Crisis(gemeente, kwartaal_van_moment(op), op, _bool(jeugd))
        self._nieuw(self.crises, zaak, crisis)

    def _besluit(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        if (crisis := self.crises.get(zaak)) is None:
            self._later(self._besluit, zaak, gemeente, op, feit, jeugd)
        else:
            crisis.besloten_op, crisis.genomen = op, True

    def _afwijzing(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        if (crisis := self.crises.get(zaak)) is None:
            self._later(self._afwijzing, zaak, gemeente, op, feit, jeugd)
        else:
            crisis.besloten_op, crisis.genomen = op, False

    def _voortzetting(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        if (crisis := self.crises.get(zaak)) is None:
            self._later(self._voortzetting, zaak, gemeente, op, feit, jeugd)
        else:
            crisis.voortgezet = True

    def _horen(self, _zaak: str, gemeente: str, op: float, _feit: Feit, _jeugd: Any) -> None:
        self.hoorzittingen[(gemeente, kwartaal_van_moment(op))] += 1

    def _consultatie(self, _zaak: str, gemeente: str, op: float, feit: Feit, _j: Any) -> None:
        self.ggz_uren[(gemeente, kwartaal_van_moment(op))] += float(feit or 0)

    def _brief(self, zaak: str, gemeente: str, op: float, feit: Feit, _jeugd: Any) -> None:
        if feit == AFSCHRIFT:
            afschrift = Afschrift(gemeente, kwartaal_van_moment(op), op)
            self._nieuw(self.afschriften, zaak, afschrift)
        else:  # a letter to a melder: not counted
            self._niet_geteld.add(zaak)
            self._wachtend.pop(zaak, None)

    def _verzonden(self, zaak: str, gemeente: str, op: float, feit: Feit, jeugd: Any) -> None:
        if zaak in self._niet_geteld:
            return
        if (afschrift := self.afschriften.get(zaak)) is None:
            self._later(self._verzonden, zaak, gemeente, op, feit, jeugd)
        else:
            afschrift.verzonden_op = op


Rij = tuple[str, str, str, float, Feit, bool | None]
"""An observation as its file holds it: kind, case, gemeente, moment (epoch s), fact, young."""


def _bool(jeugd: bool | int | None) -> bool | None:
    """SQLite keeps a bool as 0 or 1."""
    return None if jeugd is None else bool(jeugd)


def feiten_uit(rijen: Iterable[Rij]) -> Feiten:
    """The cases behind the figures, from the observations in the order they were kept."""
    feiten = Feiten()
    stappen = feiten.stappen
    # The fold makes many objects and no cycles: the cyclic collector would only walk them again
    # and again (a third of a national rebuild's time).
    aan = gc.isenabled()
    gc.disable()
    try:
        for soort, zaak, gemeente, op, feit, jeugd in rijen:
            if (stap := stappen.get(soort)) is not None:
                stap(zaak, gemeente, op, feit, jeugd)
    finally:
        if aan:
            gc.enable()
    return feiten
