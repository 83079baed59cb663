"""Starting a crisis case: a direct melding to the crisisdienst, or a meldpunt triage outcome."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from wvggz_contracts.crisis import Bron, CrisisGemeld, MeldCrisis, StartCrisisUitTriage
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import TriageAfgerond, TriageUitkomst
from wvggz_contracts.personen import Betrokkene
from wvggz_contracts.rechtstijd import na_uren

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.parameters import Parameters
from services.crisis.domain.state import Crisis


def crisis_id_for(melding_id: UUID) -> UUID:
    """The crisis case of a meldpunt melding: one melding starts at most one case."""
    return derived_id(melding_id, "crisismaatregel")


def meld_crisis(
    command: Command[MeldCrisis], state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """Start a case reported directly by police, a zorgverantwoordelijke or the crisisdienst."""
    p = command.payload
    return _start(
        command, state, parameters, p.crisis_id, Bron(p.melder_soort.value), None, p.betrokkene
    )


def start_uit_triage(
    command: Command[StartCrisisUitTriage], state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """Start the case of a melding whose triage ended in crisis."""
    p = command.payload
    crisis_id = crisis_id_for(p.melding_id)
    return _start(
        command, state, parameters, crisis_id, Bron.MELDPUNT_TRIAGE, p.melding_id, p.betrokkene
    )


def _start(
    command: Command[MeldCrisis] | Command[StartCrisisUitTriage],
    state: Crisis,
    parameters: Parameters,
    crisis_id: UUID,
    bron: Bron,
    melding_id: UUID | None,
    betrokkene: Betrokkene,
) -> list[DomainEvent]:
    p = command.payload
    if state.bestaat:
        raise violated("deze crisiszaak is al gestart")
    if p.gemeente not in parameters.regio:
        raise violated(f"gemeente {p.gemeente} hoort niet bij deze regio", "gemeente")
    gemeld_op: datetime = p.gemeld_op
    if gemeld_op > command.at:
        raise violated("het meldmoment ligt in de toekomst", "gemeld_op")
    return [
        CrisisGemeld(
            crisis_id=crisis_id,
            gemeente=p.gemeente,
            gemeld_op=gemeld_op,
            bron=bron,
            melding_id=melding_id,
            betrokkene=betrokkene,
            situatie=p.situatie,
            besluit_uiterlijk=na_uren(gemeld_op, parameters.besluit_binnen),
            waarschuwing_op=na_uren(gemeld_op, parameters.waarschuwing_na),
        )
    ]


def start_uit_triage_van(triage: TriageAfgerond) -> StartCrisisUitTriage | None:
    """The crisis service's policy on the meldpunt's triage: a crisis outcome starts a case,
    reported when the triage was completed; other outcomes are not for crisis."""
    if triage.uitkomst is not TriageUitkomst.CRISIS:
        return None
    return StartCrisisUitTriage(
        melding_id=triage.melding_id,
        gemeente=triage.gemeente,
        gemeld_op=triage.afgerond_op,
        betrokkene=triage.betrokkene,
        situatie=triage.situatie,
    )
