"""A regio-overleg as its events fold: composition, meetings with agenda and verslag, afspraken,
registered hours and signals; and the pure decisions on it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.overleg import (
    AfspraakStatus,
    AfspraakStatusGewijzigd,
    AfspraakVastgelegd,
    AgendapuntGeescaleerd,
    AgendapuntToegevoegd,
    ClientenperspectiefOntbreekt,
    DeelnemersGewijzigd,
    EscaleerAgendapunt,
    LegAfspraakVast,
    LegVerslagVast,
    OverlegIngesteld,
    OverlegOntbreekt,
    PlanVergadering,
    RegistreerUren,
    SignaleerOntbrekendClientenperspectief,
    SignaleerOntbrekendOverleg,
    StelOverlegIn,
    UrenGeregistreerd,
    VergaderingGehouden,
    VergaderingGepland,
    WijzigAfspraakStatus,
    WijzigDeelnemers,
    ZetOpAgenda,
    kwartaal_van,
    nog_niet_begonnen,
)
from wvggz_contracts.rechtstijd import lokale_datum

from kernel.decider import Command, DomainError, violated


@dataclass(frozen=True)
class Vergadering:
    """A planned meeting, its agenda items and, once held, its verslag."""

    gepland: VergaderingGepland
    punten: dict[str, AgendapuntToegevoegd] = field(default_factory=dict)
    geescaleerd: dict[str, str] = field(default_factory=dict)
    gehouden: VergaderingGehouden | None = None


@dataclass(frozen=True)
class RegioOverleg:
    """Everything decided about one region's overleg."""

    ingesteld: OverlegIngesteld | None = None
    vergaderingen: dict[str, Vergadering] = field(default_factory=dict)
    afspraken: dict[str, AfspraakStatus] = field(default_factory=dict)
    uren: frozenset[str] = frozenset()
    ontbrekende_kwartalen: frozenset[str] = frozenset()
    ontbrekende_jaren: frozenset[int] = frozenset()

    @property
    def fase(self) -> str:
        """Where the overleg stands, in words for people."""
        if self.ingesteld is None:
            return ""
        open_ = sum(1 for s in self.afspraken.values() if s is not AfspraakStatus.GEREED)
        gepland = sum(1 for v in self.vergaderingen.values() if v.gehouden is None)
        vergaderingen = "geplande vergadering" if gepland == 1 else "geplande vergaderingen"
        afspraken = "open afspraak" if open_ == 1 else "open afspraken"
        return f"ingesteld, {gepland} {vergaderingen}, {open_} {afspraken}"

    def open_afspraken(self) -> list[str]:
        """The actions not done yet: they are on every agenda until they are."""
        return [a for a, s in self.afspraken.items() if s is not AfspraakStatus.GEREED]

    def gepland_in(self, kwartaal: str) -> bool:
        """Whether a meeting is planned (or held) in this quarter."""
        return any(v.gepland.kwartaal == kwartaal for v in self.vergaderingen.values())

    def clientenperspectief_in(self, jaar: int) -> bool:
        """Whether a meeting of this year invites the client and family organisations."""
        return any(
            v.gepland.met_clientenperspectief and v.gepland.kwartaal.startswith(f"{jaar}-")
            for v in self.vergaderingen.values()
        )


def _vergadering(state: RegioOverleg, vergadering_id: Any, **changes: Any) -> RegioOverleg:
    key = str(vergadering_id)
    return replace(
        state,
        vergaderingen={**state.vergaderingen, key: replace(state.vergaderingen[key], **changes)},
    )


def evolve(state: RegioOverleg, event: DomainEvent) -> RegioOverleg:
    """The overleg after one more event."""
    if isinstance(event, OverlegIngesteld):
        return replace(state, ingesteld=event)
    if isinstance(event, DeelnemersGewijzigd) and state.ingesteld is not None:
        ingesteld = state.ingesteld.model_copy(
            update={
                "voorzitter": event.voorzitter,
                "secretariaat": event.secretariaat,
                "deelnemers": event.deelnemers,
            }
        )
        return replace(state, ingesteld=ingesteld)
    if isinstance(event, VergaderingGepland):
        nieuw = Vergadering(gepland=event)
        return replace(
            state, vergaderingen={**state.vergaderingen, str(event.vergadering_id): nieuw}
        )
    if isinstance(event, AgendapuntToegevoegd):
        punten = state.vergaderingen[str(event.vergadering_id)].punten
        return _vergadering(
            state, event.vergadering_id, punten={**punten, str(event.punt_id): event}
        )
    if isinstance(event, VergaderingGehouden):
        return _vergadering(state, event.vergadering_id, gehouden=event)
    if isinstance(event, AgendapuntGeescaleerd):
        geescaleerd = state.vergaderingen[str(event.vergadering_id)].geescaleerd
        return _vergadering(
            state, event.vergadering_id, geescaleerd={**geescaleerd, str(event.punt_id): event.naar}
        )
    if isinstance(event, AfspraakVastgelegd):
        return replace(
            state, afspraken={**state.afspraken, str(event.afspraak_id): AfspraakStatus.OPEN}
        )
    if isinstance(event, AfspraakStatusGewijzigd):
        return replace(state, afspraken={**state.afspraken, str(event.afspraak_id): event.status})
    if isinstance(event, UrenGeregistreerd):
        return replace(state, uren=state.uren | {str(event.registratie_id)})
    if isinstance(event, OverlegOntbreekt):
        return replace(state, ontbrekende_kwartalen=state.ontbrekende_kwartalen | {event.kwartaal})
    if isinstance(event, ClientenperspectiefOntbreekt):
        return replace(state, ontbrekende_jaren=state.ontbrekende_jaren | {event.jaar})
    return state


def gemeente_of(state: RegioOverleg) -> str | None:
    """The gemeente whose secretariaat runs the overleg."""
    return state.ingesteld.gemeente if state.ingesteld else None


def bestaat(state: RegioOverleg, _command: Command[Any]) -> None:
    """Everything but setting up is done on an overleg that exists."""
    if state.ingesteld is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen regio-overleg met dit id", "overleg_id")


def _gepland(state: RegioOverleg, vergadering_id: Any) -> Vergadering:
    found = state.vergaderingen.get(str(vergadering_id))
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen vergadering met dit id", "vergadering_id")
    return found


def stel_in(
    command: Command[StelOverlegIn], state: RegioOverleg, regio: frozenset[str]
) -> list[DomainEvent]:
    """A new regio-overleg, once, run by a gemeente of the region."""
    if state.ingesteld is not None:
        raise violated("dit regio-overleg is al ingesteld", "overleg_id")
    p = command.payload
    if p.gemeente not in regio:
        raise violated(f"gemeente {p.gemeente} hoort niet bij deze regio", "gemeente")
    _in_regio([d.gemeente for d in p.deelnemers if d.gemeente], regio)
    return [OverlegIngesteld(**p.model_dump())]


def _in_regio(gemeenten: list[str], regio: frozenset[str]) -> None:
    buiten = sorted(set(gemeenten) - regio)
    if buiten:
        raise violated(f"gemeente {buiten[0]} hoort niet bij deze regio", "deelnemers")


def wijzig_deelnemers(
    command: Command[WijzigDeelnemers], regio: frozenset[str]
) -> list[DomainEvent]:
    """A new composition."""
    p = command.payload
    _in_regio([d.gemeente for d in p.deelnemers if d.gemeente], regio)
    return [DeelnemersGewijzigd(**p.model_dump())]


def plan(command: Command[PlanVergadering], state: RegioOverleg) -> list[DomainEvent]:
    """A meeting, in the quarter its Amsterdam date falls in."""
    p = command.payload
    if str(p.vergadering_id) in state.vergaderingen:
        raise violated("deze vergadering is al gepland", "vergadering_id")
    return [VergaderingGepland(**p.model_dump(), kwartaal=kwartaal_van(lokale_datum(p.datum)))]


def agendeer(command: Command[ZetOpAgenda], state: RegioOverleg) -> list[DomainEvent]:
    """An item on the agenda of a meeting that is still to be held."""
    p = command.payload
    vergadering = _gepland(state, p.vergadering_id)
    if vergadering.gehouden is not None:
        raise violated("deze vergadering is al gehouden", "vergadering_id")
    if str(p.punt_id) in vergadering.punten:
        raise violated("dit agendapunt staat al op de agenda", "punt_id")
    return [AgendapuntToegevoegd(**p.model_dump())]


def houd(command: Command[LegVerslagVast], state: RegioOverleg) -> list[DomainEvent]:
    """The verslag of a meeting held, naming the open actions that were on its agenda."""
    p = command.payload
    if _gepland(state, p.vergadering_id).gehouden is not None:
        raise violated("van deze vergadering is het verslag al vastgelegd", "vergadering_id")
    if p.gehouden_op > command.at:
        raise violated("een vergadering kan niet in de toekomst gehouden zijn", "gehouden_op")
    besproken = [UUID(a) for a in state.open_afspraken()]
    return [VergaderingGehouden(**p.model_dump(), besproken_afspraken=besproken)]


def spreek_af(command: Command[LegAfspraakVast], state: RegioOverleg) -> list[DomainEvent]:
    """An action agreed at a meeting."""
    p = command.payload
    _gepland(state, p.vergadering_id)
    if str(p.afspraak_id) in state.afspraken:
        raise violated("deze afspraak is al vastgelegd", "afspraak_id")
    return [AfspraakVastgelegd(**p.model_dump())]


def wijzig_status(command: Command[WijzigAfspraakStatus], state: RegioOverleg) -> list[DomainEvent]:
    """An action moves on; a finished one stays finished."""
    p = command.payload
    huidig = state.afspraken.get(str(p.afspraak_id))
    if huidig is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen afspraak met dit id", "afspraak_id")
    if huidig is AfspraakStatus.GEREED:
        raise violated("deze afspraak is al gereed", "status")
    if huidig is p.status:
        raise violated(f"deze afspraak is al {p.status}", "status")
    return [AfspraakStatusGewijzigd(**p.model_dump())]


def escaleer(command: Command[EscaleerAgendapunt], state: RegioOverleg) -> list[DomainEvent]:
    """An agenda item goes to another table, once per table."""
    p = command.payload
    vergadering = _gepland(state, p.vergadering_id)
    if str(p.punt_id) not in vergadering.punten:
        raise DomainError(ErrorCode.NOT_FOUND, "geen agendapunt met dit id", "punt_id")
    if vergadering.geescaleerd.get(str(p.punt_id)) == p.naar:
        raise violated(f"dit agendapunt is al naar {p.naar} gegaan", "naar")
    return [AgendapuntGeescaleerd(**p.model_dump())]


def registreer_uren(
    command: Command[RegistreerUren], state: RegioOverleg, regio: frozenset[str]
) -> list[DomainEvent]:
    """Hours for a gemeente of the region, once per registration."""
    p = command.payload
    if p.gemeente not in regio:
        raise violated(f"gemeente {p.gemeente} hoort niet bij deze regio", "gemeente")
    if str(p.registratie_id) in state.uren:
        raise violated("deze uren zijn al geregistreerd", "registratie_id")
    if nog_niet_begonnen(p.kwartaal, lokale_datum(command.at)):
        raise violated(f"{p.kwartaal} is nog niet begonnen", "kwartaal")
    return [UrenGeregistreerd(**p.model_dump())]


def signaleer_overleg(
    command: Command[SignaleerOntbrekendOverleg], state: RegioOverleg
) -> list[DomainEvent]:
    """Once per quarter, and only while no meeting is planned in it."""
    kwartaal = command.payload.kwartaal
    if kwartaal in state.ontbrekende_kwartalen:
        raise violated(
            f"het ontbreken van een overleg in {kwartaal} is al gesignaleerd", "kwartaal"
        )
    if state.gepland_in(kwartaal):
        raise violated(f"in {kwartaal} is een vergadering gepland", "kwartaal")
    return [
        OverlegOntbreekt(
            overleg_id=command.payload.overleg_id, kwartaal=kwartaal, gesignaleerd_op=command.at
        )
    ]


def signaleer_clientenperspectief(
    command: Command[SignaleerOntbrekendClientenperspectief], state: RegioOverleg
) -> list[DomainEvent]:
    """Once per year, and only while no meeting of that year invites the client organisations."""
    jaar = command.payload.jaar
    if jaar in state.ontbrekende_jaren:
        raise violated(f"het ontbrekende cliëntenperspectief in {jaar} is al gesignaleerd", "jaar")
    if state.clientenperspectief_in(jaar):
        raise violated(f"in {jaar} is een vergadering met cliëntenorganisaties gepland", "jaar")
    return [
        ClientenperspectiefOntbreekt(
            overleg_id=command.payload.overleg_id, jaar=jaar, gesignaleerd_op=command.at
        )
    ]
