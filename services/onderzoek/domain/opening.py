"""Opening a VO for a melding that triage sent to verkennend onderzoek."""

from __future__ import annotations

from uuid import UUID

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import OpenVerkennendOnderzoek, VoGeopend

from kernel.decider import Command, derived_id, violated
from services.onderzoek.domain.leeftijd import JEUGD, jeugd_signaal
from services.onderzoek.domain.parameters import Parameters
from services.onderzoek.domain.state import Onderzoek
from services.onderzoek.domain.termijnen import na_dagen


def vo_id_for(melding_id: UUID) -> UUID:
    """The VO of a melding: one melding opens one VO."""
    return derived_id(melding_id, "verkennend-onderzoek")


def open_onderzoek(
    command: Command[OpenVerkennendOnderzoek], state: Onderzoek, parameters: Parameters
) -> list[DomainEvent]:
    """Open the VO; its term runs from the melding, not from the opening."""
    payload = command.payload
    if state.bestaat:
        raise violated("voor deze melding is al een verkennend onderzoek geopend")
    if payload.gemeente not in parameters.regio:
        raise violated(f"gemeente {payload.gemeente} hoort niet bij deze regio", "gemeente")
    if payload.melding_ontvangen_op > command.at:
        raise violated("de melding is ontvangen in de toekomst", "melding_ontvangen_op")
    jeugd = jeugd_signaal(payload.betrokkene.geboortedatum, payload.melding_ontvangen_op)
    return [
        VoGeopend(
            vo_id=vo_id_for(payload.melding_id),
            melding_id=payload.melding_id,
            gemeente=payload.gemeente,
            geopend_op=command.at,
            melding_ontvangen_op=payload.melding_ontvangen_op,
            deadline=na_dagen(payload.melding_ontvangen_op, parameters.termijn_dagen),
            waarschuwing_op=na_dagen(payload.melding_ontvangen_op, parameters.waarschuwing_dagen),
            jeugd=jeugd,
            kinderpsychiatrie_nodig=jeugd in JEUGD,
            betrokkene=payload.betrokkene,
            melder=payload.melder,
            situatie=payload.situatie,
        )
    ]
