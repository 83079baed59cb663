"""The afschrift of a burgemeester's decision on a crisismaatregel, for one recipient."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from wvggz_contracts.crisis.verloop_events import AfschriftKlaargezet

from services.notificaties.documenten import teksten
from services.notificaties.documenten.document import Document, html, kort, pdf

SOORT: Final = "afschrift-crisismaatregel"
TITEL: Final = "Afschrift van de beschikking crisismaatregel"


def kenmerk(afschrift: AfschriftKlaargezet) -> str:
    """The reference printed on the afschrift: the besluit's and the afschrift's short ids."""
    return f"CM-{kort(afschrift.besluit_id)}-{kort(afschrift.afschrift_id)}"


def afschrift_html(afschrift: AfschriftKlaargezet, *, aangemaakt_op: datetime) -> str:
    """The afschrift as HTML, before it is set as PDF."""
    rol = teksten.ONTVANGERS[afschrift.ontvanger]
    return html(
        "afschrift.html",
        titel=TITEL,
        gemeente=teksten.gemeente_naam(afschrift.gemeente),
        gemeente_code=afschrift.gemeente,
        aangemaakt_op=aangemaakt_op,
        kenmerk=kenmerk(afschrift),
        afschrift=afschrift,
        rol=rol,
        rol_kop=teksten.hoofdletter(rol),
        besluit=teksten.BESLUITEN[afschrift.besluit],
        besluit_zin=teksten.BESLUIT_ZINNEN[afschrift.besluit],
    )


def afschrift_pdf(afschrift: AfschriftKlaargezet, *, aangemaakt_op: datetime) -> Document:
    """The afschrift as a PDF/A document."""
    return pdf(
        afschrift_html(afschrift, aangemaakt_op=aangemaakt_op),
        soort=SOORT,
        kenmerk=kenmerk(afschrift),
        aangemaakt_op=aangemaakt_op,
    )
