"""Documents as the platform prints them: Jinja2 templates with Dutch dates, set as PDF/A."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from wvggz_contracts.rechtstijd import datum_in_woorden, moment_in_woorden

PDF_VARIANT: Final = "pdf/a-3b"
"""PDF/A-3 level B (ISO 19005-3): self-contained, fonts embedded, sRGB output intent."""


def sjablonen(map_: Path) -> Environment:
    """The templates in a folder: HTML-escaped, strict about missing values, with the filters
    `datum` (7 maart 2026) and `moment` (7 maart 2026 om 14:05 uur, Amsterdam time)."""
    omgeving = Environment(
        loader=FileSystemLoader(map_),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    omgeving.filters["datum"] = datum_in_woorden
    omgeving.filters["moment"] = moment_in_woorden
    return omgeving


def pdf_a(html: str, stylesheet: Path) -> tuple[bytes, int]:
    """The HTML set as a PDF/A document, and its number of pages."""
    # Imported here: WeasyPrint loads Pango and HarfBuzz, which a process or a test that renders
    # nothing should not pay for.
    from weasyprint import CSS, HTML

    opties: dict[str, Any] = {"pdf_variant": PDF_VARIANT}
    gezet = HTML(string=html).render(stylesheets=[CSS(filename=str(stylesheet))], **opties)
    data: bytes = gezet.write_pdf(**opties)
    return data, len(gezet.pages)
