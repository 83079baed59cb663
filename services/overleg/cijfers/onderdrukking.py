"""Small-cell protection of a count table as the overleg publishes it, with its totals.

Every count from 1 to 4 is shown as `KLEIN` (primary suppression); then further counts of 5 or
more are shown as `ONDERDRUKT` (complementary suppression) until no hidden count can be worked out
from the published grid by a reader who knows these rules and that every row and column adds up.

The test is exact. Write y = x for interior cells and the grand total and y = -x for the other
totals: every row and every column of the full grid then sums to 0. Two tables that agree with
the publication differ by an integer circulation on the bipartite graph of rows and columns with
an edge per hidden cell; it splits into simple cycles that each move their cells by ±1 in the same
direction as the whole difference, so each cycle alone stays within the cells' bounds. A hidden
cell is therefore protected exactly when a unit change along some simple cycle through it keeps
every cell of the cycle within its bounds: a path search in a directed graph with, per hidden
cell, an arc row -> column when +1 in y is allowed and column -> row when -1 is.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from services.overleg.cijfers.model import KLEIN, ONDERDRUKT

Cel = tuple[int, int]
"""(row, column) in the full grid; the last row and the last column hold the totals."""

Kosten = tuple[int, int, int]
"""What a path newly hides: (totals, cells, summed counts), compared in that order."""

_NIETS: Kosten = (0, 0, 0)
_KLEIN_OF_NUL = "klein-of-nul"
"""Shown as `KLEIN`: a count from 0 to 4 in the row of a gemeente with fewer than 5 cases."""
_GRENS = 5
"""The smallest count that is shown, or hidden as `ONDERDRUKT`."""

Boog = tuple[int, Cel, Kosten]
"""An arc of the search graph: the node it leads to, the cell it changes, what hiding it costs."""


def onderdruk(
    cellen: Sequence[Sequence[int]], *, bekende_rijtotalen: bool = False
) -> list[list[int | str]]:
    """The table as published: counts with row totals, column totals and the grand total.

    `cellen` holds a row per gemeente and a column per category (counts, at least 1 × 1). The
    result has one more row (column totals) and one more column (row totals, grand total in the
    corner). Counts from 1 to 4 show as `KLEIN`; counts hidden to protect them as `ONDERDRUKT`;
    zeros always show. The same input always gives the same output.

    A small count that no choice of hidden cells can protect (e.g. a row of four 1s with total
    4: a reader who knows zeros show and every other count is at least 1 finds each one) stays
    `KLEIN` and nothing extra is hidden for it, since hiding more cannot change what is known.

    With `bekende_rijtotalen`, the protection holds even for a reader who knows every row total
    and the grand total exactly (they still show as `KLEIN` when small, and are never hidden to
    protect another cell); in the row of a small total every count shows as `KLEIN`, zeros too
    (a reader then knows each lies from 0 to 4). Tables of one population (meldingen by outcome
    and by melder) share their row totals; protected this way, together they reveal no more
    than each on its own.
    """
    tabel = _met_totalen(cellen)
    hoogte, breedte = len(tabel), len(tabel[0])
    klein = [(r, k) for r in range(hoogte) for k in range(breedte) if 0 < tabel[r][k] < _GRENS]
    verborgen: dict[Cel, str] = dict.fromkeys(klein, KLEIN)
    vast: frozenset[Cel] = frozenset()
    if bekende_rijtotalen:
        vast = frozenset((r, breedte - 1) for r in range(hoogte))
        # Known to be small, a row's total with its zeros shown would give its counts away.
        for r in range(hoogte - 1):
            if 0 < tabel[r][-1] < _GRENS:
                verborgen.update(dict.fromkeys(((r, k) for k in range(breedte - 1)), _KLEIN_OF_NUL))
        klein = [cel for cel in verborgen if cel not in vast]
    # Cells hidden on a feasible cycle are protected by that very cycle, and hiding more cells
    # only adds freedom, so one pass over the small cells leaves every hidden cell protected.
    bogen: list[list[Boog]] | None = None  # built again only when a cell was hidden
    for cel in klein:
        bogen = bogen or _bogen(tabel, verborgen, vast, ook_zichtbaar=True)
        nieuw = [e for e in _cyclus(tabel, verborgen, cel, bogen) or [] if e not in verborgen]
        if nieuw:
            verborgen.update(dict.fromkeys(nieuw, ONDERDRUKT))
            bogen = None
    if any(status == ONDERDRUKT for status in verborgen.values()):
        _toon_overbodige(tabel, verborgen, vast)
    getoond = {cel: KLEIN if teken == _KLEIN_OF_NUL else teken for cel, teken in verborgen.items()}
    return [[getoond.get((r, k), tabel[r][k]) for k in range(breedte)] for r in range(hoogte)]


def _toon_overbodige(
    tabel: list[list[int]], verborgen: dict[Cel, str], vast: frozenset[Cel]
) -> None:
    """Show again each `ONDERDRUKT` cell that later cycles made redundant (totals, big first)."""
    bogen = _bogen(tabel, verborgen, vast, ook_zichtbaar=False)
    beschermd = [
        cel
        for cel in verborgen
        if cel not in vast and _cyclus(tabel, verborgen, cel, bogen) is not None
    ]
    extra = sorted(
        (cel for cel, status in verborgen.items() if status == ONDERDRUKT),
        key=lambda cel: (_is_totaal(cel, tabel), tabel[cel[0]][cel[1]], cel),
        reverse=True,
    )
    for cel in extra:
        del verborgen[cel]
        bogen = _bogen(tabel, verborgen, vast, ook_zichtbaar=False)
        if any(
            _cyclus(tabel, verborgen, ander, bogen) is None
            for ander in beschermd
            if ander in verborgen
        ):
            verborgen[cel] = ONDERDRUKT


def _met_totalen(cellen: Sequence[Sequence[int]]) -> list[list[int]]:
    """The counts with a total column and a total row added, after checking their shape."""
    if not cellen or not cellen[0]:
        raise ValueError("a table needs at least one row and one column")
    breedte = len(cellen[0])
    for r, rij in enumerate(cellen):
        if len(rij) != breedte:
            raise ValueError(f"row {r} has {len(rij)} cells, row 0 has {breedte}")
        for k, waarde in enumerate(rij):
            if waarde < 0:
                raise ValueError(f"cell ({r}, {k}) is negative: {waarde}")
    rijen = [[*rij, sum(rij)] for rij in cellen]
    return [*rijen, [sum(kolom) for kolom in zip(*rijen, strict=True)]]


def _teken(cel: Cel, hoogte: int, breedte: int) -> int:
    """+1 for interior cells and the grand total, -1 for the other totals (x to y)."""
    r, k = cel
    return -1 if (r == hoogte - 1) != (k == breedte - 1) else 1


def _past(waarde: int, status: str, stap: int) -> bool:
    """Whether a hidden count moved by `stap` still lies within what its mark allows."""
    nieuw = waarde + stap
    if status == _KLEIN_OF_NUL:
        return 0 <= nieuw < _GRENS
    return 0 < nieuw < _GRENS if status == KLEIN else nieuw >= _GRENS


def _is_totaal(cel: Cel, tabel: list[list[int]]) -> bool:
    return cel[0] == len(tabel) - 1 or cel[1] == len(tabel[0]) - 1


def _cyclus(
    tabel: list[list[int]], verborgen: dict[Cel, str], doel: Cel, bogen: list[list[Boog]]
) -> list[Cel] | None:
    """The other cells of the cheapest cycle that moves the hidden `doel`, or None if none can;
    over the arcs `_bogen` made (with shown counts, or only the hidden ones: then a cycle exists
    exactly when `doel` is protected as published)."""
    hoogte, breedte = len(tabel), len(tabel[0])
    rij, kolom = doel[0], hoogte + doel[1]
    waarde, teken = tabel[doel[0]][doel[1]], _teken(doel, hoogte, breedte)
    paden: list[tuple[Kosten, list[Cel]]] = []
    # +1 in y on `doel` flows row -> column, so the cycle returns column -> row; -1 the other way.
    if _past(waarde, verborgen[doel], teken) and (pad := _pad(bogen, kolom, rij, doel)):
        paden.append(pad)
    if _past(waarde, verborgen[doel], -teken) and (pad := _pad(bogen, rij, kolom, doel)):
        paden.append(pad)
    return min(paden, key=lambda pad: pad[0])[1] if paden else None


def _bogen(
    tabel: list[list[int]],
    verborgen: dict[Cel, str],
    buiten: frozenset[Cel],
    *,
    ook_zichtbaar: bool,
) -> list[list[Boog]]:
    """Per node (rows first, then columns), the arcs of the cells that may join a cycle: hidden
    ones, and with `ook_zichtbaar` shown counts of 5 or more at a price (`Kosten`); none for the
    cells `buiten`, which the reader knows."""
    hoogte, breedte = len(tabel), len(tabel[0])
    bogen: list[list[Boog]] = [[] for _ in range(hoogte + breedte)]
    for r in range(hoogte):
        for k in range(breedte):
            cel, waarde = (r, k), tabel[r][k]
            if cel in buiten or (cel not in verborgen and (not ook_zichtbaar or waarde < _GRENS)):
                continue
            status = verborgen.get(cel, ONDERDRUKT)
            kosten = _NIETS if cel in verborgen else (int(_is_totaal(cel, tabel)), 1, waarde)
            teken = _teken(cel, hoogte, breedte)
            if _past(waarde, status, teken):
                bogen[r].append((hoogte + k, cel, kosten))
            if _past(waarde, status, -teken):
                bogen[hoogte + k].append((r, cel, kosten))
    return bogen


def _pad(
    bogen: list[list[Boog]], van: int, naar: int, zonder: Cel
) -> tuple[Kosten, list[Cel]] | None:
    """The cheapest path from `van` to `naar` (Dijkstra) not through the cell `zonder`, and the
    cells on it, or None."""
    beste: dict[int, Kosten] = {van: _NIETS}
    via: dict[int, tuple[int, Cel]] = {}
    wachtrij: list[tuple[Kosten, int]] = [(_NIETS, van)]
    while wachtrij:
        kosten, knoop = heapq.heappop(wachtrij)
        if knoop == naar:
            break
        if kosten > beste[knoop]:
            continue
        for volgende, cel, stap in bogen[knoop]:
            if cel == zonder:
                continue
            nieuw = (kosten[0] + stap[0], kosten[1] + stap[1], kosten[2] + stap[2])
            if volgende not in beste or nieuw < beste[volgende]:
                beste[volgende] = nieuw
                via[volgende] = (knoop, cel)
                heapq.heappush(wachtrij, (nieuw, volgende))
    if naar not in beste:
        return None
    cellen: list[Cel] = []
    knoop = naar
    while knoop != van:
        knoop, cel = via[knoop]
        cellen.append(cel)
    return beste[naar], cellen
