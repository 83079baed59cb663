"""What the overleg keeps of another service's event: the facts its figures need, never a name, a
BSN, a birth date or any text about the person."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from wvggz_contracts.personal import VERNIETIGD
from wvggz_contracts.rechtstijd import leeftijd_op, lokale_datum

Feit = str | float | None
"""The one category or moment the figures count an event by: the melder's kind, the triage's
outcome, why a VO closed, the hours of a consultation, a letter's form, or (for a VO) when its
melding came in, in seconds since the epoch."""


@dataclass(frozen=True, slots=True)
class Waarneming:
    """One event as the figures see it: which kind, which case, which gemeente, when, the fact
    it is counted by and whether the person is young (under 18)."""

    event_id: str
    soort: str
    """The event's name without procedure and version, e.g. `melding-ontvangen`."""
    zaak: str
    gemeente: str
    op: datetime
    feit: Feit = None
    jeugd: bool | None = None

    @property
    def rij(self) -> tuple[str, str, str, float, Feit, bool | None]:
        """As its file keeps it and the fold takes it (the moment in seconds since the epoch)."""
        return self.soort, self.zaak, self.gemeente, self.op.timestamp(), self.feit, self.jeugd


NAASTEN = frozenset(
    {
        "vertegenwoordiger",
        "echtgenoot",
        "geregistreerde-partner",
        "samenlevingscontract",
        "ouder",
        "essentiele-naaste",
        "familie",
    }
)


EIGEN_GROEP = frozenset({"buur", "hulpverlener", "politie"})
"""Melders counted by their own kind; any other (also a kind added later) counts as `anders`."""


def melder_groep(relatie: str) -> str:
    """The melder kind the figures count by: relatives together, neighbours, care workers and
    police each by themselves, and the rest as `anders`."""
    if relatie in NAASTEN:
        return "naaste"
    return relatie if relatie in EIGEN_GROEP else "anders"


def _jeugdig(betrokkene: Mapping[str, Any] | None, op: datetime) -> bool | None:
    """Under 18 at that moment; None when the birth date is not known."""
    geboren = (betrokkene or {}).get("geboortedatum")
    if not geboren or geboren == VERNIETIGD:
        return None
    return leeftijd_op(date.fromisoformat(geboren), lokale_datum(op)) < 18


def _moment(data: Mapping[str, Any], veld: str) -> datetime:
    return datetime.fromisoformat(data[veld])


Uittreksel = Callable[[Mapping[str, Any], datetime], tuple[datetime, Feit, bool | None]]


def _melding(data: Mapping[str, Any], _time: datetime) -> tuple[datetime, Feit, bool | None]:
    op = _moment(data, "ontvangen_op")
    melder = melder_groep(str(data.get("melder", {}).get("relatie", "anders")))
    return op, melder, _jeugdig(data.get("betrokkene"), op)


def _vo_geopend(data: Mapping[str, Any], _time: datetime) -> tuple[datetime, Feit, bool | None]:
    jeugd = data.get("jeugd")
    ontvangen = _moment(data, "melding_ontvangen_op").timestamp()
    return (
        _moment(data, "geopend_op"),
        ontvangen,
        None if jeugd in (None, "onbekend") else (jeugd != "volwassen"),
    )


def _crisis(data: Mapping[str, Any], _time: datetime) -> tuple[datetime, Feit, bool | None]:
    op = _moment(data, "gemeld_op")
    return op, None, _jeugdig(data.get("betrokkene"), op)


def _op(veld: str, feit: str | None = None) -> Uittreksel:
    def uittreksel(data: Mapping[str, Any], _time: datetime) -> tuple[datetime, Feit, None]:
        return _moment(data, veld), None if feit is None else str(data[feit]), None

    return uittreksel


def _bij_ontstaan(feit: str, soort: type[str] | type[float] = str) -> Uittreksel:
    def uittreksel(data: Mapping[str, Any], time: datetime) -> tuple[datetime, Feit, None]:
        return time, soort(data[feit]), None

    return uittreksel


UITTREKSELS: Mapping[str, Uittreksel] = {
    "nl.wvggz.meldpunt.melding-ontvangen.v1": _melding,
    "nl.wvggz.meldpunt.triage-afgerond.v1": _op("afgerond_op", "uitkomst"),
    "nl.wvggz.onderzoek.vo-geopend.v1": _vo_geopend,
    "nl.wvggz.onderzoek.vo-afgesloten.v1": _op("afgesloten_op", "reden"),
    "nl.wvggz.onderzoek.termijn-verstreken.v1": _op("gesignaleerd_op"),
    "nl.wvggz.onderzoek.ggz-consultatie-vastgelegd.v1": _bij_ontstaan("uren", float),
    "nl.wvggz.crisis.crisis-gemeld.v1": _crisis,
    "nl.wvggz.crisis.besluit-genomen.v1": _op("besloten_op"),
    "nl.wvggz.crisis.besluit-afgewezen.v1": _op("besloten_op"),
    "nl.wvggz.crisis.verzoek-voortzetting-ingediend.v1": _op("ingediend_op"),
    "nl.wvggz.crisis.hoorverslag-vastgelegd.v1": _op("gehoord_op"),
    "nl.wvggz.notificaties.brief-klaargezet.v1": _bij_ontstaan("vorm"),
    "nl.wvggz.notificaties.brief-verzonden.v1": _op("verzonden_op"),
}
"""The event types the figures and costs count, each with what is kept of it."""


def waarneming(
    event_id: str, type_: str, zaak: str, gemeente: str, time: datetime, data: Mapping[str, Any]
) -> Waarneming | None:
    """What the overleg keeps of an event, or None for a type the figures do not count."""
    uittreksel = UITTREKSELS.get(type_)
    if uittreksel is None:
        return None
    op, feit, jeugd = uittreksel(data, time)
    return Waarneming(event_id, type_.split(".")[3], zaak, gemeente, op, feit, jeugd)
