"""What the rules know of one melding, and how each event changes it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import (
    MeldingOntvangen,
    MeldingOvergedragen,
    TriageAfgerond,
    TriageUitkomst,
    VoAfsluitingGeregistreerd,
)

from kernel.decider import DomainError, violated

SLUITEN = frozenset({TriageUitkomst.REGULIER, TriageUitkomst.GEEN_GROND})
"""Triage outcomes that close the melding: nothing further happens under the Wvggz."""


@dataclass(frozen=True, slots=True)
class Melding:
    """One melding: its registration, the gemeente it belongs to now, its triage outcome."""

    ontvangen: MeldingOntvangen | None = None
    gemeente: str | None = None
    uitkomst: TriageUitkomst | None = None
    vo_afgesloten: bool = False

    @property
    def bestaat(self) -> bool:
        """Whether the melding was registered."""
        return self.ontvangen is not None

    @property
    def gesloten(self) -> bool:
        """Whether the triage closed the melding (regulier or geen grond)."""
        return self.uitkomst in SLUITEN

    @property
    def fase(self) -> str:
        """Where the melding stands, in words for people."""
        if self.uitkomst is None:
            return "ontvangen, nog te triageren"
        if self.vo_afgesloten:
            return "getriageerd; het verkennend onderzoek is afgesloten"
        return f"getriageerd: {self.uitkomst.value.replace('-', ' ')}"


def evolve(state: Melding, event: DomainEvent) -> Melding:
    """The melding after one more event."""
    if isinstance(event, MeldingOntvangen):
        return replace(state, ontvangen=event, gemeente=event.gemeente)
    if isinstance(event, MeldingOvergedragen):
        return replace(state, gemeente=event.naar_gemeente)
    if isinstance(event, TriageAfgerond):
        return replace(state, uitkomst=event.uitkomst)
    if isinstance(event, VoAfsluitingGeregistreerd):
        return replace(state, vo_afgesloten=True)
    return state


def gemeente_of(state: Melding) -> str | None:
    """The gemeente the melding belongs to now (the receiving one after a handover)."""
    return state.gemeente


def te_triageren(state: Melding) -> MeldingOntvangen:
    """The registration of a melding still awaiting triage; refused otherwise."""
    if state.ontvangen is None:
        raise DomainError(ErrorCode.NOT_FOUND, "deze melding bestaat niet")
    if state.gesloten:
        raise violated("de melding is gesloten")
    if state.uitkomst is not None:
        raise violated(f"de triage is al afgerond met uitkomst {state.uitkomst}")
    return state.ontvangen
