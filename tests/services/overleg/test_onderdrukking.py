"""Small-cell protection of published count tables, checked against a brute-force reader."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

import pytest

from services.overleg.cijfers.model import KLEIN, ONDERDRUKT
from services.overleg.cijfers.onderdrukking import onderdruk

Grid = list[list[int | str]]

REALISTISCH = [
    [34, 12, 5, 3, 20],
    [120, 41, 18, 9, 66],
    [8, 2, 0, 1, 6],
    [56, 19, 7, 4, 30],
    [15, 6, 2, 0, 11],
    [210, 77, 31, 14, 102],
    [22, 9, 3, 2, 13],
    [41, 15, 6, 5, 25],
    [11, 4, 1, 0, 7],
    [67, 23, 10, 6, 38],
]
"""Ten gemeenten, five categories: big and small gemeenten, nine counts from 1 to 4."""


def _met_totalen(cellen: Sequence[Sequence[int]]) -> list[list[int]]:
    rijen = [[*rij, sum(rij)] for rij in cellen]
    return [*rijen, [sum(kolom) for kolom in zip(*rijen, strict=True)]]


def _bereik(getoond: int | str, bovengrens: int, nul: bool = False) -> tuple[int, int]:
    """What a reader knows of one cell: the smallest and largest count it can be (`nul`: a small
    count in the row of a small total, which may be 0)."""
    if getoond == KLEIN:
        return (0 if nul else 1), 4
    if getoond == ONDERDRUKT:
        return 5, bovengrens
    assert isinstance(getoond, int)
    return getoond, getoond


def _aanvullingen(
    getoond: Grid, bovengrens: int, nul_rijen: frozenset[int] = frozenset()
) -> Iterator[list[list[int]]]:
    """Every full grid (with totals) a reader could take the published one for.

    The interior is enumerated cell by cell in row order; the totals follow from it and are
    checked against what is shown. Hidden counts go up to `bovengrens` only: leaving completions
    out can only make a cell look less protected, so a pass here is a pass for the real reader.
    """
    hoogte, breedte = len(getoond) - 1, len(getoond[0]) - 1
    cel = [
        [_bereik(getoond[i][j], bovengrens, i in nul_rijen) for j in range(breedte)]
        for i in range(hoogte)
    ]
    oneindig = 10**9
    rijtotaal = [_bereik(getoond[i][breedte], oneindig) for i in range(hoogte)]
    kolomtotaal = [_bereik(getoond[hoogte][j], oneindig) for j in range(breedte)]
    generaal = _bereik(getoond[hoogte][breedte], oneindig)
    # The least the cells after (i, j) in its row, and below it in its column, add up to.
    rest_rij = [[sum(c[0] for c in rij[j + 1 :]) for j in range(breedte)] for rij in cel]
    rest_kolom = [
        [sum(cel[t][j][0] for t in range(i + 1, hoogte)) for j in range(breedte)]
        for i in range(hoogte)
    ]
    waarden = [[0] * breedte for _ in range(hoogte)]
    rijsom, kolomsom = [0] * hoogte, [0] * breedte

    def verder(positie: int) -> Iterator[list[list[int]]]:
        if positie == hoogte * breedte:
            totaal = sum(rijsom)
            if generaal[0] <= totaal <= generaal[1]:
                yield _met_totalen(waarden)
            return
        i, j = divmod(positie, breedte)
        laag, hoog = cel[i][j]
        hoog = min(hoog, rijtotaal[i][1] - rijsom[i] - rest_rij[i][j])
        hoog = min(hoog, kolomtotaal[j][1] - kolomsom[j] - rest_kolom[i][j])
        if j == breedte - 1:
            laag = max(laag, rijtotaal[i][0] - rijsom[i])
        if i == hoogte - 1:
            laag = max(laag, kolomtotaal[j][0] - kolomsom[j])
        for waarde in range(laag, hoog + 1):
            waarden[i][j] = waarde
            rijsom[i] += waarde
            kolomsom[j] += waarde
            yield from verder(positie + 1)
            rijsom[i] -= waarde
            kolomsom[j] -= waarde

    yield from verder(0)


def _herleidbaar(
    cellen: Sequence[Sequence[int]], getoond: Grid, nul_rijen: frozenset[int] = frozenset()
) -> list[tuple[int, int]]:
    """The hidden cells a brute-force reader pins down; fails if the truth is not a completion."""
    waar = _met_totalen(cellen)
    verborgen = [
        (r, k)
        for r, rij in enumerate(getoond)
        for k, waarde in enumerate(rij)
        if waarde in (KLEIN, ONDERDRUKT)
    ]
    gezien: dict[tuple[int, int], set[int]] = {cel: set() for cel in verborgen}
    waarheid_gevonden = False
    for aanvulling in _aanvullingen(getoond, waar[-1][-1], nul_rijen):
        waarheid_gevonden = waarheid_gevonden or aanvulling == waar
        for r, k in verborgen:
            gezien[r, k].add(aanvulling[r][k])
        if waarheid_gevonden and all(len(waarden) > 1 for waarden in gezien.values()):
            break
    assert waarheid_gevonden, f"the true table is not consistent with {getoond}"
    return [cel for cel in verborgen if len(gezien[cel]) < 2]


def _assert_beschermd(cellen: Sequence[Sequence[int]]) -> Grid:
    getoond = onderdruk(cellen)
    assert _herleidbaar(cellen, getoond) == [], f"{cellen} published as {getoond}"
    return getoond


def _posities(getoond: Grid, teken: str) -> list[tuple[int, int]]:
    return [(r, k) for r, rij in enumerate(getoond) for k, v in enumerate(rij) if v == teken]


def test_a_table_without_small_counts_is_published_whole_with_its_totals() -> None:
    assert onderdruk([[10, 20, 5], [30, 40, 6]]) == [
        [10, 20, 5, 35],
        [30, 40, 6, 76],
        [40, 60, 11, 111],
    ]


def test_a_small_count_hides_another_count_in_its_row_and_in_its_column() -> None:
    getoond = _assert_beschermd([[10, 2, 8], [7, 9, 12], [15, 6, 5]])

    assert getoond[0][1] == KLEIN
    extra = _posities(getoond, ONDERDRUKT)
    assert any(r == 0 for r, _ in extra)
    assert any(k == 1 for _, k in extra)
    assert all(r < 3 and k < 3 for r, k in extra), "totals stay visible when they can"


def test_the_attacker_recovers_a_count_hidden_by_primary_suppression_alone() -> None:
    cellen = [[10, 2], [7, 9]]
    alleen_primair: Grid = [[10, KLEIN, 12], [7, 9, 16], [17, 11, 28]]

    assert _herleidbaar(cellen, alleen_primair) == [(0, 1)]


def test_a_small_row_total_is_shown_small_and_protected() -> None:
    getoond = _assert_beschermd([[1, 2, 0], [20, 30, 40], [12, 9, 7]])

    assert getoond[0] == [KLEIN, KLEIN, 0, KLEIN]


def test_zeros_are_never_hidden() -> None:
    cellen = [[0, 3, 0, 12], [9, 0, 1, 7], [0, 6, 8, 0]]
    getoond = _assert_beschermd(cellen)

    for r, rij in enumerate(_met_totalen(cellen)):
        for k, waarde in enumerate(rij):
            assert (getoond[r][k] == 0) == (waarde == 0)


@pytest.mark.parametrize("waarde", [1, 3, 4])
def test_a_small_one_by_one_table_needs_nothing_more_hidden(waarde: int) -> None:
    # All four cells are equal and lie in 1..4, so each could be any of four counts.
    assert _assert_beschermd([[waarde]]) == [[KLEIN, KLEIN], [KLEIN, KLEIN]]


@pytest.mark.parametrize(("waarde", "getoond"), [(0, 0), (7, 7)])
def test_a_one_by_one_table_without_small_count_is_shown(waarde: int, getoond: int) -> None:
    assert onderdruk([[waarde]]) == [[getoond, getoond], [getoond, getoond]]


def test_a_single_row_hides_a_count_and_its_twin_in_the_total_row() -> None:
    getoond = _assert_beschermd([[3, 7, 9]])

    assert getoond == [[KLEIN, ONDERDRUKT, 9, 19], [KLEIN, ONDERDRUKT, 9, 19]]


def test_a_single_column_hides_a_count_and_its_twin_in_the_total_column() -> None:
    getoond = _assert_beschermd([[3], [7], [9]])

    assert getoond == [[KLEIN, KLEIN], [ONDERDRUKT, ONDERDRUKT], [9, 9], [19, 19]]


def test_counts_no_suppression_can_protect_stay_small_and_nothing_more_is_hidden() -> None:
    # A total of 4 over four categories that are not zero: every reader knows each is 1.
    cellen = [[1, 1, 1, 1], [5, 5, 5, 5]]
    getoond = onderdruk(cellen)

    assert getoond[0] == [KLEIN] * 5
    assert _posities(getoond, ONDERDRUKT) == []
    assert _herleidbaar(cellen, getoond) == [(0, 0), (0, 1), (0, 2), (0, 3), (0, 4)]


@pytest.mark.parametrize(
    ("cellen", "melding"),
    [
        ([], "at least one row and one column"),
        ([[]], "at least one row and one column"),
        ([[1, 2], [3]], "row 1 has 1 cells, row 0 has 2"),
        ([[1, 2], [3, -4]], r"cell \(1, 1\) is negative"),
    ],
)
def test_a_table_that_is_not_a_count_table_is_refused(
    cellen: list[list[int]], melding: str
) -> None:
    with pytest.raises(ValueError, match=melding):
        onderdruk(cellen)


def test_random_small_tables_leave_every_hidden_count_open_to_two_values() -> None:
    kans = random.Random(20260701)
    vormen = [(2, 2), (2, 3), (3, 2), (3, 3), (2, 4), (3, 4)]
    for ronde in range(1000):
        hoogte, breedte = vormen[ronde % len(vormen)]
        cellen = [
            [kans.choice([0, 1, 2, 3, 4, 5, 6, 9, 12]) for _ in range(breedte)]
            for _ in range(hoogte)
        ]
        getoond = onderdruk(cellen)
        assert _herleidbaar(cellen, getoond) == [], f"{cellen} published as {getoond}"


def test_the_same_table_is_always_published_the_same_way() -> None:
    eerste = onderdruk(REALISTISCH)

    assert onderdruk([list(rij) for rij in REALISTISCH]) == eerste
    assert onderdruk(tuple(tuple(rij) for rij in REALISTISCH)) == eerste


def test_a_realistic_table_hides_as_few_counts_as_possible_and_no_totals() -> None:
    getoond = _assert_beschermd(REALISTISCH)
    klein = _posities(getoond, KLEIN)
    extra = _posities(getoond, ONDERDRUKT)

    assert len(klein) == 9
    # Rows 0, 3 and 4 each hold a single small count, so each needs one more hidden cell in
    # that row: three is the least any protection can hide, and the reader above confirms
    # the publication is protected.
    assert len(extra) <= 3
    assert all(r < len(REALISTISCH) and k < len(REALISTISCH[0]) for r, k in extra)


def test_with_known_row_totals_no_hidden_count_can_be_worked_out_even_from_those_totals() -> None:
    kans = random.Random(20261202)
    vormen = [(2, 2), (2, 3), (3, 2)]  # small enough to enumerate with every count hidden
    for ronde in range(300):
        hoogte, breedte = vormen[ronde % len(vormen)]
        cellen = [
            [kans.choice([0, 1, 2, 3, 4, 5, 6, 9, 12]) for _ in range(breedte)]
            for _ in range(hoogte)
        ]
        getoond = onderdruk(cellen, bekende_rijtotalen=True)
        waar = _met_totalen(cellen)
        assert all(rij[-1] in (waar[r][-1], KLEIN) for r, rij in enumerate(getoond))
        kleine_rijen = frozenset(r for r, rij in enumerate(getoond[:-1]) if rij[-1] == KLEIN)
        assert all(set(getoond[r][:-1]) == {KLEIN} for r in kleine_rijen)
        # A reader who learned every row total elsewhere (another table of the same population).
        met_rijtotalen = [[*rij[:-1], waar[r][-1]] for r, rij in enumerate(getoond)]
        herleidbaar = _herleidbaar(cellen, met_rijtotalen, kleine_rijen)
        # Some counts no suppression protects from a reader who knows the row totals (a total of
        # 8 over two small counts: both are 4); hiding every other count must not protect more.
        alles_verborgen = [
            [KLEIN if 0 < w < 5 or r in kleine_rijen else ONDERDRUKT if w else 0 for w in rij[:-1]]
            + [rij[-1]]
            for r, rij in enumerate(waar)
        ]
        onvermijdelijk = _herleidbaar(cellen, alles_verborgen, kleine_rijen)
        assert set(herleidbaar) <= set(onvermijdelijk), f"{cellen} published as {getoond}"


def test_known_row_totals_are_never_hidden_to_protect_another_count() -> None:
    getoond = onderdruk(REALISTISCH, bekende_rijtotalen=True)

    assert all(rij[-1] != ONDERDRUKT for rij in getoond)
    assert _posities(getoond, KLEIN)
