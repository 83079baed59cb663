"""Opening a VO for a melding that triage sent to verkennend onderzoek."""

from __future__ import annotations

from uuid import UUID

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import OpenVerkennendOnderzoek, VoGeopend
from wvggz_contracts.rechtstijd import amsterdamse_tijd, na_dagen

from kernel.decider import Command, derived_id, violated
from services.onderzoek.domain.leeftijd import JEUGD, jeugd_signaal
from services.onderzoek.domain.parameters import Parameters
from services.onderzoek.domain.state import Onderzoek


def vo_id_for(melding_id: UUID) -> UUID:
    """The VO of a melding: one melding opens one VO."""
    return derived_id(melding_id, "verkennend-onderzoek")


def open_onderzoek(
    state: Onderzoek, command: Command[OpenVerkennendOnderzoek], parameters: Parameters
) -> list[DomainEvent]:
    """Open the VO; its term runs from the melding and ends when the meldpunt said it does."""
    payload = command.payload
    if state.bestaat:
        raise violated("voor deze melding is al een verkennend onderzoek geopend")
    if payload.gemeente not in parameters.regio:
        raise violated(f"gemeente {payload.gemeente} hoort niet bij deze regio", "gemeente")
    if payload.melding_ontvangen_op > command.at:
        raise violated("de melding is ontvangen in de toekomst", "melding_ontvangen_op")
    if payload.vo_termijn_eind <= payload.melding_ontvangen_op:
        raise violated("de VO-termijn eindigt niet na de melding", "vo_termijn_eind")
    # The meldpunt's deadline, not one counted again here: both werkvoorraden show the same end.
    deadline = amsterdamse_tijd(payload.vo_termijn_eind)
    # A term shorter than the warning day still warns, at the latest when the term ends.
    waarschuwing_op = min(
        na_dagen(payload.melding_ontvangen_op, parameters.waarschuwing_dagen), deadline
    )
    jeugd = jeugd_signaal(payload.betrokkene.geboortedatum, payload.melding_ontvangen_op)
    return [
        VoGeopend(
            vo_id=vo_id_for(payload.melding_id),
            melding_id=payload.melding_id,
            gemeente=payload.gemeente,
            geopend_op=command.at,
            melding_ontvangen_op=payload.melding_ontvangen_op,
            deadline=deadline,
            waarschuwing_op=waarschuwing_op,
            jeugd=jeugd,
            kinderpsychiatrie_nodig=jeugd in JEUGD,
            betrokkene=payload.betrokkene,
            melder=payload.melder,
            situatie=payload.situatie,
        )
    ]
