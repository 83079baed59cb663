"""The quarterly report of the regio-overleg as a PDF/A on A4: tables, charts, agenda, afspraken."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from wvggz_contracts.rechtstijd import (
    amsterdamse_tijd,
)

from kernel.documenten import pdf_a, sjablonen
from services.overleg.cijfers.model import Kwartaalcijfers, Tabel
from services.overleg.rapport.export import RIJKOP, getoond
from services.overleg.rapport.grafieken import TOTAAL, grafiek
from services.overleg.rapport.regels import Afspraakregel, Agendaregel

TEMPLATES: Final = Path(__file__).parent / "templates"
STYLESHEET: Final = TEMPLATES / "kwartaalrapport.css"
LEGENDA: Final = (
    "<5 = 1 tot en met 4 (0 tot en met 4 bij een gemeente met minder dan 5 gevallen); x ="
    " aanvullend onderdrukt zodat kleine aantallen niet uit totalen af te leiden zijn"
)
GEEN_WAARDE: Final = "–"
"""Shown for a measure without a value."""
GEEN_WAARDE_LEGENDA: Final = f"{GEEN_WAARDE} = te weinig gevallen voor deze maat"


_SJABLONEN: Final = sjablonen(TEMPLATES)


@dataclass(frozen=True, slots=True)
class _Rij:
    label: str
    cellen: list[tuple[str, bool]]
    """Each cell as shown, and whether it is in the "Totaal" column."""
    totaal: bool


@dataclass(frozen=True, slots=True)
class _Blok:
    tabel: Tabel
    rijen: list[_Rij]
    legenda: list[str]
    grafiek: str
    """The chart's SVG as a data URI."""


def kwartaalrapport_html(
    cijfers: Kwartaalcijfers,
    *,
    regio: str,
    agenda: Sequence[Agendaregel],
    afspraken: Sequence[Afspraakregel],
    gemaakt_op: datetime,
) -> str:
    """The report as HTML, before it is set as PDF; every value is escaped."""
    if gemaakt_op.tzinfo is None:
        raise ValueError("gemaakt_op needs a time zone")
    return _SJABLONEN.get_template("kwartaalrapport.html.j2").render(
        titel=f"Kwartaalrapport regio-overleg Wvggz {regio} {cijfers.kwartaal}",
        regio=regio,
        cijfers=cijfers,
        laatste_dag=cijfers.tot - timedelta(days=1),
        blokken=[_blok(tabel) for tabel in cijfers.tabellen],
        rijkop=RIJKOP,
        agenda=agenda,
        afspraken=afspraken,
        geen_waarde=GEEN_WAARDE,
        gemaakt_op=gemaakt_op,
        gemaakt_iso=amsterdamse_tijd(gemaakt_op).isoformat(timespec="seconds"),
    )


def kwartaalrapport(
    cijfers: Kwartaalcijfers,
    *,
    regio: str,
    agenda: Sequence[Agendaregel],
    afspraken: Sequence[Afspraakregel],
    gemaakt_op: datetime,
) -> bytes:
    """The report as a PDF/A on A4; the same input gives the same bytes.

    `agenda` is the next overleg's agenda and `afspraken` the actions still open, in the order
    to print them. `gemaakt_op` (aware) is the only time in the document.
    """
    inhoud = kwartaalrapport_html(
        cijfers, regio=regio, agenda=agenda, afspraken=afspraken, gemaakt_op=gemaakt_op
    )
    return pdf_a(inhoud, STYLESHEET)[0]


def _blok(tabel: Tabel) -> _Blok:
    rijen = [
        _Rij(
            label=rij,
            cellen=[
                (getoond(cel) or GEEN_WAARDE, tabel.optelbaar and kolom == TOTAAL)
                for kolom, cel in zip(tabel.kolommen, cellen, strict=True)
            ],
            totaal=tabel.optelbaar and rij == TOTAAL,
        )
        for rij, cellen in zip(tabel.rijen, tabel.cellen, strict=True)
    ]
    cellen = [cel for rij in tabel.cellen for cel in rij]
    legenda = []
    if tabel.optelbaar or any(isinstance(cel, str) for cel in cellen):
        legenda.append(LEGENDA)
    if any(cel is None for cel in cellen):
        legenda.append(GEEN_WAARDE_LEGENDA)
    svg = base64.b64encode(grafiek(tabel).svg).decode("ascii")
    return _Blok(
        tabel=tabel, rijen=rijen, legenda=legenda, grafiek=f"data:image/svg+xml;base64,{svg}"
    )
