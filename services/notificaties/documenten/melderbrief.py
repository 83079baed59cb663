"""A standard letter to a melder, from the meldpunt or after the verkennend onderzoek."""

from __future__ import annotations

from datetime import datetime

from wvggz_contracts import meldpunt, onderzoek
from wvggz_contracts.rechtstijd import datum_in_woorden, lokale_datum

from services.notificaties.documenten import teksten
from services.notificaties.documenten.document import Document, html, kort, pdf

MelderBrief = meldpunt.MelderBriefKlaargezet | onderzoek.MelderBriefKlaargezet
"""A letter to a melder, as the meldpunt or the onderzoek service puts it ready."""


def soort(brief: MelderBrief) -> str:
    """The kind of document, as the post batch's manifest names it."""
    return f"melderbrief-{brief.brief}"


def kenmerk(brief: MelderBrief) -> str:
    """The reference printed on the letter: the melding's, or the verkennend onderzoek's."""
    if isinstance(brief, onderzoek.MelderBriefKlaargezet):
        return f"VO-{kort(brief.vo_id)}"
    return f"MLD-{kort(brief.melding_id)}"


def _alineas(brief: MelderBrief) -> list[str]:
    if isinstance(brief, onderzoek.MelderBriefKlaargezet):
        return [
            teksten.BRIEF_UITKOMSTEN[brief.inhoud.uitkomst].format(
                datum=datum_in_woorden(brief.inhoud.datum)
            )
        ]
    ontvangen = datum_in_woorden(lokale_datum(brief.inhoud.melding_ontvangen_op))
    if brief.brief is meldpunt.BriefSoort.ONTVANGSTBEVESTIGING:
        return [
            f"Met deze brief bevestigen wij dat wij uw melding van {ontvangen} hebben ontvangen."
            " Wij beoordelen uw melding zorgvuldig.",
            "Over de persoon over wie u zich zorgen maakt, geven wij alleen informatie aan"
            " melders die daar volgens de wet recht op hebben, zoals een vertegenwoordiger,"
            " partner of ouder.",
        ]
    alineas = [f"Wij hebben uw melding van {ontvangen} beoordeeld."]
    if brief.inhoud.uitkomst is not None:
        alineas.append(teksten.TRIAGE_VERVOLG[brief.inhoud.uitkomst])
    if brief.inhoud.doorverwezen_naar is not None:
        naar = teksten.DOORVERWIJZINGEN[brief.inhoud.doorverwezen_naar]
        alineas.append(f"Daarvoor is verwezen naar {naar}.")
    return alineas


def melderbrief_html(brief: MelderBrief, *, aangemaakt_op: datetime) -> str:
    """The letter as HTML, before it is set as PDF."""
    return html(
        "melderbrief.html",
        titel=teksten.BRIEF_TITELS[brief.brief],
        gemeente=teksten.gemeente_naam(brief.gemeente),
        aangemaakt_op=aangemaakt_op,
        kenmerk=kenmerk(brief),
        aan=brief.aan,
        alineas=_alineas(brief),
    )


def melderbrief_pdf(brief: MelderBrief, *, aangemaakt_op: datetime) -> Document:
    """The letter as a PDF/A document."""
    return pdf(
        melderbrief_html(brief, aangemaakt_op=aangemaakt_op),
        soort=soort(brief),
        kenmerk=kenmerk(brief),
        aangemaakt_op=aangemaakt_op,
    )
