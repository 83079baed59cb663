"""A table of the quarter as CSV: semicolon-separated, its cells as shown, Dutch decimal commas."""

from __future__ import annotations

import csv
import io
from typing import Final

from services.overleg.cijfers.model import Getoond, Tabel

RIJKOP: Final = "Gemeente"
"""The heading of the first column, which holds the gemeenten (and "Totaal")."""


def getoond(cel: Getoond) -> str:
    """A cell as text: a count as is, a measure with a decimal comma, `<5`/`x` as is, None as ""."""
    if cel is None:
        return ""
    if isinstance(cel, float):
        return repr(cel).replace(".", ",")
    return str(cel)


def csv_van(tabel: Tabel) -> str:
    """The table as CSV text (encode it as UTF-8): a header row, then a row per table row.

    Semicolons separate the cells, as Dutch spreadsheets expect with their decimal comma.
    """
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    schrijver.writerow([RIJKOP, *tabel.kolommen])
    for rij, cellen in zip(tabel.rijen, tabel.cellen, strict=True):
        schrijver.writerow([rij, *(getoond(cel) for cel in cellen)])
    return uit.getvalue()
