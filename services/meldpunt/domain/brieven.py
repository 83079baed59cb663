"""Which letters the melder is due: a receipt for anyone reachable, next steps for the entitled."""

from __future__ import annotations

from wvggz_contracts.meldpunt import (
    BriefInhoud,
    BriefSoort,
    MelderBriefKlaargezet,
    MeldingOntvangen,
    TriageAfgerond,
)
from wvggz_contracts.personen import RECHT_OP_TERUGKOPPELING, Melder


def bereikbaar(melder: Melder) -> bool:
    """Whether the melder left a way to reach them (telephone, email or postal address)."""
    return any((melder.telefoon, melder.email, melder.adres))


def ontvangstbevestiging(ontvangen: MeldingOntvangen) -> list[MelderBriefKlaargezet]:
    """A receipt for a melder who left contact details; nobody to write to otherwise."""
    if not bereikbaar(ontvangen.melder):
        return []
    return [
        MelderBriefKlaargezet(
            melding_id=ontvangen.melding_id,
            gemeente=ontvangen.gemeente,
            brief=BriefSoort.ONTVANGSTBEVESTIGING,
            aan=ontvangen.melder,
            inhoud=BriefInhoud(melding_ontvangen_op=ontvangen.ontvangen_op),
        )
    ]


def triage_vervolg(afgerond: TriageAfgerond) -> list[MelderBriefKlaargezet]:
    """The next steps, only for a melder the law entitles to feedback (AVG: nobody else)."""
    if afgerond.melder.relatie not in RECHT_OP_TERUGKOPPELING:
        return []
    # Written even without contact details: the duty to inform stays, notificaties finds a way.
    return [
        MelderBriefKlaargezet(
            melding_id=afgerond.melding_id,
            gemeente=afgerond.gemeente,
            brief=BriefSoort.TRIAGE_VERVOLG,
            aan=afgerond.melder,
            inhoud=BriefInhoud(
                melding_ontvangen_op=afgerond.melding_ontvangen_op,
                uitkomst=afgerond.uitkomst,
                doorverwezen_naar=afgerond.doorverwezen_naar,
            ),
        )
    ]
