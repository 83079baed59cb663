"""A rendered document: Jinja2 HTML set as PDF/A by WeasyPrint, and what identifies it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final
from uuid import UUID

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from wvggz_contracts.rechtstijd import amsterdamse_tijd, datum_in_woorden, moment_in_woorden

TEMPLATES: Final = Path(__file__).parent / "templates"
STYLESHEET: Final = TEMPLATES / "brief.css"
PDF_VARIANT: Final = "pdf/a-3b"
"""PDF/A-3 level B (ISO 19005-3): self-contained, fonts embedded, sRGB output intent."""

_SJABLONEN: Final = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_SJABLONEN.filters["datum"] = datum_in_woorden
_SJABLONEN.filters["moment"] = moment_in_woorden


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
    # Imported here: WeasyPrint loads Pango and HarfBuzz, which the service's start-up and the
    # tests that render nothing should not pay for.
    from weasyprint import CSS, HTML

    opties: dict[str, Any] = {"pdf_variant": PDF_VARIANT}
    gezet = HTML(string=inhoud).render(stylesheets=[CSS(filename=str(STYLESHEET))], **opties)
    data: bytes = gezet.write_pdf(**opties)
    return Document(
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        paginas=len(gezet.pages),
        kenmerk=kenmerk,
        soort=soort,
        aangemaakt_op=aangemaakt_op,
    )
