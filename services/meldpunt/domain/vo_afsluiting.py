"""A melding sent to VO stays open for samenhang until the onderzoek closes that VO."""

from __future__ import annotations

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import (
    RegistreerVoAfsluiting,
    TriageUitkomst,
    VoAfsluitingGeregistreerd,
)
from wvggz_contracts.onderzoek.events import VoAfgesloten

from kernel.decider import Command, DomainError, violated
from services.meldpunt.domain.state import Melding


def registreer_vo_afsluiting(
    command: Command[RegistreerVoAfsluiting], state: Melding
) -> list[DomainEvent]:
    """Record the closing once; a repeat (e.g. a redelivered event) records nothing."""
    if state.ontvangen is None or state.gemeente is None:
        raise DomainError(ErrorCode.NOT_FOUND, "deze melding bestaat niet")
    if state.uitkomst is not TriageUitkomst.VERKENNEND_ONDERZOEK:
        raise violated("deze melding is niet naar verkennend onderzoek gegaan")
    if state.vo_afgesloten:
        return []
    payload = command.payload
    return [
        VoAfsluitingGeregistreerd(
            melding_id=payload.melding_id,
            gemeente=state.gemeente,
            vo_id=payload.vo_id,
            afgesloten_op=payload.afgesloten_op,
        )
    ]


def uit_vo_afgesloten(event: VoAfgesloten) -> RegistreerVoAfsluiting:
    """The policy on the onderzoek's VoAfgesloten: record that the melding's VO closed."""
    return RegistreerVoAfsluiting(
        melding_id=event.melding_id, vo_id=event.vo_id, afgesloten_op=event.afgesloten_op
    )
