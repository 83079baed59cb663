"""A table of the quarter as a bar chart per gemeente, as SVG and PNG, drawn without a display."""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from services.overleg.cijfers.model import Tabel

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TOTAAL: Final = "Totaal"
RIJ_AS: Final = "Gemeente"
KLEUREN: Final = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
"""Okabe and Ito's palette: its colours stay apart for readers with any common colour blindness."""
ARCERINGEN: Final = ("", "//", "..", "xx")
"""Hatches that tell categories apart once there are more categories than colours."""
BREEDTE: Final = 8.0
HOOGTE: Final = 4.5
DPI: Final = 150
PNG_PIXELS: Final = (1200, 675)
"""The PNG's width and height: `BREEDTE` by `HOOGTE` inches at `DPI`."""
HASHSALT: Final = "wvggz-overleg-rapport"
"""Seeds the SVG's internal ids (clip paths), which are random without it."""
VERBORGEN_UITLEG: Final = "<5 = 1 tot en met 4; x = aanvullend onderdrukt"
ONTBREKEND_UITLEG: Final = "geen staaf = te weinig gevallen voor deze maat"

# rcParams are process-wide: the SVG settings hold only while this lock is held.
_RC_SLOT: Final = threading.Lock()


@dataclass(frozen=True, slots=True)
class Grafiek:
    """A table's chart and the values it plots (row label, column label, value)."""

    svg: bytes
    png: bytes
    punten: list[tuple[str, str, float]]


def punt_id(rij: str, kolom: str) -> str:
    """The SVG id of the bar of one cell: `punt-<row>-<column>`, in letters, digits and `-`."""
    return f"punt-{_slug(rij)}-{_slug(kolom)}"


def verborgen_id(rij: str, kolom: str) -> str:
    """The SVG id of the label ("<5", "x") that stands where a hidden cell's bar would be."""
    return f"verborgen-{_slug(rij)}-{_slug(kolom)}"


def grafiek(tabel: Tabel) -> Grafiek:
    """The table as grouped bars: a group per gemeente, a bar per category or measure.

    A count table's "Totaal" row and column are left out; a hidden cell (`<5`, `x`) gets its
    label at height 0 instead of a bar, and a measure without a value (None) gets nothing.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figuur = Figure(figsize=(BREEDTE, HOOGTE), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figuur)
    punten = _teken(figuur, tabel)
    return Grafiek(svg=_svg(figuur, tabel.titel), png=_png(figuur), punten=punten)


def _teken(figuur: Figure, tabel: Tabel) -> list[tuple[str, str, float]]:
    from matplotlib.patches import Patch

    as_: Axes = figuur.add_subplot()
    rijen = [i for i, rij in enumerate(tabel.rijen) if not _is_totaal(tabel, rij)]
    kolommen = [j for j, kolom in enumerate(tabel.kolommen) if not _is_totaal(tabel, kolom)]
    breedte = 0.8 / max(len(kolommen), 1)
    punten: list[tuple[str, str, float]] = []
    ids: set[str] = set()
    uitleg: dict[str, None] = {}  # ordered set: the notes under the chart, each once
    for groep, i in enumerate(rijen):
        rij = tabel.rijen[i]
        for reeks, j in enumerate(kolommen):
            kolom, cel = tabel.kolommen[j], tabel.cellen[i][j]
            x = groep - 0.4 + breedte * (reeks + 0.5)
            if isinstance(cel, str):
                # Upright, so the labels of a row of small counts do not run into each other.
                label = as_.text(
                    x, 0, cel, ha="center", va="bottom", rotation=90, fontsize=8, color="#333333"
                )
                label.set_gid(_uniek(verborgen_id(rij, kolom), ids))
                uitleg[VERBORGEN_UITLEG] = None
            elif cel is None:
                uitleg[ONTBREKEND_UITLEG] = None
            else:
                [balk] = as_.bar(x, cel, width=breedte, **_stijl(reeks)).patches
                balk.set_gid(_uniek(punt_id(rij, kolom), ids))
                punten.append((rij, kolom, float(cel)))

    as_.set_title(tabel.titel)
    as_.set_xlabel(RIJ_AS)
    as_.set_ylabel(tabel.eenheid[:1].upper() + tabel.eenheid[1:])
    as_.set_xticks(range(len(rijen)), [tabel.rijen[i] for i in rijen])
    if len(rijen) > 4:
        as_.tick_params(axis="x", labelrotation=30)
    _schaal(as_, [waarde for _, _, waarde in punten], geheel=tabel.optelbaar)
    as_.legend(
        handles=[Patch(label=tabel.kolommen[j], **_stijl(r)) for r, j in enumerate(kolommen)],
        title="Categorie" if tabel.optelbaar else "Maat",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=8,
        title_fontsize=9,
    )
    if uitleg:
        figuur.supxlabel("; ".join(uitleg), fontsize=8, color="#333333")
    return punten


def _is_totaal(tabel: Tabel, label: str) -> bool:
    return tabel.optelbaar and label == TOTAAL


def _stijl(reeks: int) -> dict[str, Any]:
    return {
        "facecolor": KLEUREN[reeks % len(KLEUREN)],
        "hatch": ARCERINGEN[(reeks // len(KLEUREN)) % len(ARCERINGEN)],
        "edgecolor": "white",
        "linewidth": 0.5,
    }


def _schaal(as_: Axes, waarden: list[float], *, geheel: bool) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if not waarden or max(waarden) <= 0:
        as_.set_ylim(0, 1)  # nothing above 0 to scale to, but room for the hidden cells' labels
    elif min(waarden) >= 0:
        as_.set_ylim(bottom=0)
    as_.yaxis.set_major_locator(MaxNLocator(integer=geheel))
    as_.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.10g}".replace(".", ",")))
    as_.grid(axis="y", color="#dddddd", linewidth=0.6)
    as_.set_axisbelow(True)
    as_.spines[["top", "right"]].set_visible(False)


def _uniek(gid: str, ids: set[str]) -> str:
    # Labels that differ only in punctuation or accents reduce to the same id; ids must be unique.
    kandidaat, n = gid, 1
    while kandidaat in ids:
        n += 1
        kandidaat = f"{gid}-{n}"
    ids.add(kandidaat)
    return kandidaat


def _slug(label: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-") or "leeg"


def _svg(figuur: Figure, titel: str) -> bytes:
    from matplotlib import rc_context

    uit = io.BytesIO()
    # Text stays text (searchable, readable by assistive software); the ids are seeded so the
    # same table gives the same bytes.
    with _RC_SLOT, rc_context({"svg.hashsalt": HASHSALT, "svg.fonttype": "none"}):
        figuur.savefig(uit, format="svg", metadata={"Title": titel, "Date": None})
    return uit.getvalue()


def _png(figuur: Figure) -> bytes:
    uit = io.BytesIO()
    figuur.savefig(uit, format="png", dpi=DPI)
    return uit.getvalue()
