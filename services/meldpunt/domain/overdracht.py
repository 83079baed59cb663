"""Handing a melding over to the gemeente of the region where the betrokkene stays."""

from __future__ import annotations

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import MeldingOvergedragen, OverdraagMelding

from kernel.decider import Command, violated
from services.meldpunt.domain.state import Melding, te_triageren


def draag_over(
    command: Command[OverdraagMelding], state: Melding, regio: frozenset[str]
) -> list[DomainEvent]:
    """The melding moves to another gemeente of the region before triage; its term runs on."""
    payload = command.payload
    ontvangen = te_triageren(state)
    if payload.naar_gemeente not in regio:
        raise violated(
            f"gemeente {payload.naar_gemeente} hoort niet bij deze regio", "naar_gemeente"
        )
    if payload.naar_gemeente == state.gemeente:
        raise violated(f"de melding hoort al bij {payload.naar_gemeente}", "naar_gemeente")
    return [
        MeldingOvergedragen(
            melding_id=ontvangen.melding_id,
            van_gemeente=state.gemeente or ontvangen.gemeente,
            naar_gemeente=payload.naar_gemeente,
            reden=payload.reden,
        )
    ]
