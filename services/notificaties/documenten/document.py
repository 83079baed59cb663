"""A rendered document: Jinja2 HTML set as PDF/A by WeasyPrint, and what identifies it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final
from uuid import UUID

from wvggz_contracts.rechtstijd import amsterdamse_tijd

from kernel.documenten import pdf_a, sjablonen

TEMPLATES: Final = Path(__file__).parent / "templates"
STYLESHEET: Final = TEMPLATES / "brief.css"

_SJABLONEN: Final = sjablonen(TEMPLATES)


@dataclass(frozen=True, slots=True)
class Document:
    """A rendered PDF and what identifies it."""

    pdf: bytes
    sha256: str
    paginas: int
    kenmerk: str
    soort: str
    aangemaakt_op: datetime


def kort(id_: UUID) -> str:
    """The first eight hex digits of an id, in capitals: enough to read out and look up."""
    return id_.hex[:8].upper()


def html(
    sjabloon: str, *, titel: str, gemeente: str, aangemaakt_op: datetime, **context: Any
) -> str:
    """The HTML of one document from its template; every value is escaped."""
    if aangemaakt_op.tzinfo is None:
        raise ValueError("aangemaakt_op needs a time zone")
    return _SJABLONEN.get_template(sjabloon).render(
        titel=titel,
        gemeente=gemeente,
        aangemaakt_op=aangemaakt_op,
        gemaakt_iso=amsterdamse_tijd(aangemaakt_op).isoformat(timespec="seconds"),
        **context,
    )


def pdf(inhoud: str, *, soort: str, kenmerk: str, aangemaakt_op: datetime) -> Document:
    """The HTML set as a PDF/A document on A4."""
    data, paginas = pdf_a(inhoud, STYLESHEET)
    return Document(
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        paginas=paginas,
        kenmerk=kenmerk,
        soort=soort,
        aangemaakt_op=aangemaakt_op,
    )
