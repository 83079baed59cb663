"""The OvJ's answer to an aanvraag, and the letter it means for an entitled melder."""

from __future__ import annotations

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    BriefSoort,
    BriefUitkomst,
    OvjReactieOntvangen,
    RegistreerOvjReactie,
)

from kernel.decider import Command, violated
from services.onderzoek.domain.afsluiting import melder_brief
from services.onderzoek.domain.state import Onderzoek


def registreer_ovj_reactie(
    state: Onderzoek, command: Command[RegistreerOvjReactie]
) -> list[DomainEvent]:
    """Record the OvJ's one answer to the aanvraag (seed 001 §3.1 stap 4)."""
    payload = command.payload
    ingediend_op = state.aanvraag_ingediend_op
    if ingediend_op is None:
        raise violated("bij dit onderzoek is geen aanvraag bij de officier ingediend")
    if state.ovj_reactie_ontvangen:
        raise violated("de reactie van de officier is al geregistreerd")
    if payload.ontvangen_op > command.at:
        raise violated("de reactie is ontvangen in de toekomst", "ontvangen_op")
    if payload.ontvangen_op < ingediend_op:
        raise violated("de reactie is ontvangen voordat de aanvraag werd ingediend", "ontvangen_op")
    uitkomst = (
        BriefUitkomst.OVJ_BEREIDT_VERZOEKSCHRIFT_VOOR
        if payload.bereidt_verzoekschrift_voor
        else BriefUitkomst.OVJ_BEREIDT_GEEN_VERZOEKSCHRIFT_VOOR
    )
    return [
        OvjReactieOntvangen(
            vo_id=payload.vo_id,
            bereidt_verzoekschrift_voor=payload.bereidt_verzoekschrift_voor,
            toelichting=payload.toelichting,
            ontvangen_op=payload.ontvangen_op,
        ),
        *melder_brief(state, BriefSoort.OVJ_BESLUIT, uitkomst, command.at),
    ]
