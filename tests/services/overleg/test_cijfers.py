"""The quarter's figures from a generated year of events for three gemeenten, checked against an
expectation computed here from the generator's own cases (not from the service's fold)."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from wvggz_contracts.personal import VERNIETIGD

from services.overleg.cijfers.berekening import kwartaalcijfers
from services.overleg.cijfers.bijhouden import Cijferbron
from services.overleg.cijfers.bron import Waarneming, melder_groep, waarneming
from services.overleg.cijfers.feiten import Feiten, feiten_uit, kwartaal_van_moment
from services.overleg.cijfers.model import KLEIN, ONDERDRUKT, Kwartaalcijfers, Tabel

GEMEENTEN = ["GM0402", "GM0406", "GM0417"]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UITKOMSTEN = ["crisis", "verkennend-onderzoek", "regulier", "geen-grond"]
RELATIES = ["ouder", "familie", "buur", "hulpverlener", "politie", "anders"]
GROEP = {"ouder": "naaste", "familie": "naaste"}
KATEGORIEEN = {*UITKOMSTEN, "naaste", "buur", "hulpverlener", "politie", "anders"} | {
    "aanvraag-ingediend",
    "geen-aanvraag",
    "toets-negatief",
}
GRENSMOMENTEN = [
    datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # 2026-01-01 00:30 in Amsterdam: K1 of 2026
    datetime(2026, 3, 31, 21, 59, tzinfo=UTC),  # 23:59 CEST on 31 March: still K1
    datetime(2026, 3, 31, 22, 0, tzinfo=UTC),  # 00:00 CEST on 1 April: K2
    datetime(2026, 9, 30, 22, 30, tzinfo=UTC),  # 00:30 CEST on 1 October: K4
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # 00:30 on 1 January 2027: the next year
]


@dataclass
class Zaak:
    """A case as the generator made it: the truth the figures must show."""

    soort: str
    gemeente: str
    start: datetime
    kolom: str
    uren: float | None = None


def _kwartaal(moment: datetime) -> str:
    lokaal = moment.astimezone(AMSTERDAM)
    return f"{lokaal.year}-K{(lokaal.month + 2) // 3}"


def _event(type_: str, zaak: str, gemeente: str, time: datetime, **data: Any) -> Waarneming:
    found = waarneming(str(uuid.uuid4()), f"nl.wvggz.{type_}.v1", zaak, gemeente, time, data)
    assert found is not None, type_
    return found


def genereer(seed: int = 2026) -> tuple[list[Waarneming], list[Zaak]]:
    """A year of meldingen, VO's and crisis cases in three gemeenten, with their events."""
    kans = random.Random(seed)
    events: list[Waarneming] = []
    zaken: list[Zaak] = []
    begin = datetime(2026, 1, 1, tzinfo=AMSTERDAM).astimezone(UTC)
    gewicht = {"GM0402": 60, "GM0406": 25, "GM0417": 4}  # Laren is small: its cells are small
    for gemeente, aantal in gewicht.items():
        momenten = [begin + timedelta(minutes=kans.randrange(365 * 24 * 60)) for _ in range(aantal)]
        if gemeente == "GM0406":
            momenten += GRENSMOMENTEN
        for start in momenten:
            melding = str(uuid.uuid4())
            relatie = kans.choice(RELATIES)
            events.append(
                _event(
                    "meldpunt.melding-ontvangen",
                    melding,
                    gemeente,
                    start,
                    ontvangen_op=start.isoformat(),
                    melder={"naam": "X", "relatie": relatie},
                    betrokkene={"naam": "Y", "geboortedatum": "1990-05-01"},
                )
            )
            zaken.append(Zaak("melder", gemeente, start, GROEP.get(relatie, relatie)))
            if kans.random() < 0.1:
                zaken.append(Zaak("uitkomst", gemeente, start, "niet-getrieerd"))
                continue
            uitkomst = kans.choice(UITKOMSTEN)
            afgerond = start + timedelta(hours=kans.randrange(1, 72))
            events.append(
                _event(
                    "meldpunt.triage-afgerond",
                    melding,
                    gemeente,
                    afgerond,
                    afgerond_op=afgerond.isoformat(),
                    uitkomst=uitkomst,
                )
            )
            zaken.append(Zaak("uitkomst", gemeente, start, uitkomst))
            if uitkomst == "crisis":
                events += _crisis(kans, gemeente, afgerond, zaken)
            elif uitkomst == "verkennend-onderzoek":
                events += _onderzoek(kans, gemeente, start, afgerond, zaken)
    kans.shuffle(events)  # cases interleave; each case's own events stay in order below
    events.sort(key=lambda w: (w.zaak, w.op))
    return events, zaken


def _crisis(
    kans: random.Random, gemeente: str, gemeld: datetime, zaken: list[Zaak]
) -> list[Waarneming]:
    crisis = str(uuid.uuid4())
    jong = kans.random() < 0.2
    events = [
        _event(
            "crisis.crisis-gemeld",
            crisis,
            gemeente,
            gemeld,
            gemeld_op=gemeld.isoformat(),
            betrokkene={"naam": "Y", "geboortedatum": "2012-01-01" if jong else "1980-01-01"},
        )
    ]
    zaken.append(Zaak("jeugd", gemeente, gemeld, "jonger-dan-18" if jong else "volwassen"))
    if kans.random() < 0.1:
        zaken.append(Zaak("afloop", gemeente, gemeld, "geen-besluit"))
        zaken.append(Zaak("besluittermijn", gemeente, gemeld, "geen-besluit"))
        return events
    uren = kans.uniform(1, 30)
    besloten = gemeld + timedelta(hours=uren)
    genomen = kans.random() < 0.8
    soort = "besluit-genomen" if genomen else "besluit-afgewezen"
    events.append(
        _event(f"crisis.{soort}", crisis, gemeente, besloten, besloten_op=besloten.isoformat())
    )
    voortgezet = genomen and kans.random() < 0.4
    if voortgezet:
        ingediend = besloten + timedelta(days=2)
        events.append(
            _event(
                "crisis.verzoek-voortzetting-ingediend",
                crisis,
                gemeente,
                ingediend,
                ingediend_op=ingediend.isoformat(),
            )
        )
    afloop = ("genomen-en-voortgezet" if voortgezet else "genomen") if genomen else "afgewezen"
    zaken.append(Zaak("afloop", gemeente, gemeld, afloop))
    termijn = "binnen-18-uur" if uren <= 18 else "na-18-uur"
    zaken.append(Zaak("besluittermijn", gemeente, gemeld, termijn, uren))
    return events


def _onderzoek(
    kans: random.Random, gemeente: str, melding: datetime, geopend: datetime, zaken: list[Zaak]
) -> list[Waarneming]:
    vo = str(uuid.uuid4())
    events = [
        _event(
            "onderzoek.vo-geopend",
            vo,
            gemeente,
            geopend,
            geopend_op=geopend.isoformat(),
            melding_ontvangen_op=melding.isoformat(),
            jeugd="volwassen",
        )
    ]
    if kans.random() < 0.15:
        zaken.append(Zaak("vo-afloop", gemeente, geopend, "lopend"))
        return events
    dagen = kans.uniform(3, 20)
    afgesloten = melding + timedelta(days=dagen)
    if dagen > 14:
        verstreken = melding + timedelta(days=14, minutes=1)
        events.append(
            _event(
                "onderzoek.termijn-verstreken",
                vo,
                gemeente,
                verstreken,
                gesignaleerd_op=verstreken.isoformat(),
            )
        )
    reden = kans.choice(["aanvraag-ingediend", "geen-aanvraag", "toets-negatief"])
    events.append(
        _event(
            "onderzoek.vo-afgesloten",
            vo,
            gemeente,
            afgesloten,
            afgesloten_op=afgesloten.isoformat(),
            reden=reden,
        )
    )
    zaken.append(Zaak("vo-afloop", gemeente, geopend, reden, dagen))
    return events


def _verwacht(zaken: list[Zaak], soort: str, kwartaal: str) -> Counter[tuple[str, str]]:
    return Counter(
        (z.gemeente, z.kolom) for z in zaken if z.soort == soort and _kwartaal(z.start) == kwartaal
    )


def _klopt(tabel: Tabel, verwacht: Counter[tuple[str, str]]) -> None:
    """Every shown cell is the true count; every hidden one is consistent with its mark."""
    kolommen, rijen = tabel.kolommen[:-1], tabel.rijen[:-1]
    waar = [[verwacht[(g, k)] for k in kolommen] for g in rijen]
    waar = [[*rij, sum(rij)] for rij in waar]
    waar.append([sum(rij[j] for rij in waar) for j in range(len(kolommen) + 1)])
    for r, rij in enumerate(tabel.cellen):
        klein_rij = r < len(rijen) and tabel.cellen[r][-1] == KLEIN
        for k, cel in enumerate(rij):
            if cel == KLEIN:
                assert (0 if klein_rij else 1) <= waar[r][k] <= 4, (tabel.naam, r, k, waar[r][k])
            elif cel == ONDERDRUKT:
                assert waar[r][k] >= 5, (tabel.naam, r, k)
            else:
                assert cel == waar[r][k], (tabel.naam, r, k, cel, waar[r][k])


def _nearest_rank_p90(waarden: list[float]) -> float:
    return min(x for x in waarden if sum(1 for y in waarden if y <= x) >= 0.9 * len(waarden))


@pytest.fixture(scope="module")
def jaar() -> tuple[list[Waarneming], list[Zaak]]:
    return genereer()


@pytest.mark.parametrize("kwartaal", ["2026-K1", "2026-K2", "2026-K3", "2026-K4"])
def test_each_quarters_counts_match_the_cases_with_small_cells_hidden(
    jaar: tuple[list[Waarneming], list[Zaak]], kwartaal: str
) -> None:
    events, zaken = jaar
    cijfers = kwartaalcijfers(feiten_uit(w.rij for w in events), kwartaal, GEMEENTEN)
    melders = Counter({k: v for k, v in _verwacht(zaken, "melder", kwartaal).items()})
    _klopt(cijfers.tabel("meldingen-per-melder"), melders)
    _klopt(cijfers.tabel("meldingen-per-uitkomst"), _verwacht(zaken, "uitkomst", kwartaal))
    _klopt(cijfers.tabel("crisis-afloop"), _verwacht(zaken, "afloop", kwartaal))
    _klopt(cijfers.tabel("crisis-besluittermijn"), _verwacht(zaken, "besluittermijn", kwartaal))
    _klopt(cijfers.tabel("crisis-jeugd"), _verwacht(zaken, "jeugd", kwartaal))
    _klopt(cijfers.tabel("vo-afloop"), _verwacht(zaken, "vo-afloop", kwartaal))


def test_the_small_gemeente_shows_small_counts_and_other_cells_are_hidden_to_protect_them(
    jaar: tuple[list[Waarneming], list[Zaak]],
) -> None:
    events, _zaken = jaar
    cijfers = [
        kwartaalcijfers(feiten_uit(w.rij for w in events), k, GEMEENTEN)
        for k in ("2026-K1", "2026-K3")
    ]
    cellen = [
        c for q in cijfers for t in q.tabellen if t.optelbaar for rij in t.cellen for c in rij
    ]
    assert KLEIN in cellen
    assert ONDERDRUKT in cellen  # complementary suppression happened somewhere


def test_quarter_boundaries_follow_amsterdam_time(
    jaar: tuple[list[Waarneming], list[Zaak]],
) -> None:
    events, zaken = jaar
    feiten = feiten_uit(w.rij for w in events)
    grens = [m for m in feiten.meldingen.values() if m.gemeente == "GM0406"]
    per_kwartaal = Counter(m.kwartaal for m in grens)
    verwacht = Counter(
        _kwartaal(z.start) for z in zaken if z.soort == "melder" and z.gemeente == "GM0406"
    )
    assert per_kwartaal == verwacht
    assert per_kwartaal["2027-K1"] == 1  # 31 December 23:30 UTC
    assert {_kwartaal(m) for m in GRENSMOMENTEN} == {"2026-K1", "2026-K2", "2026-K4", "2027-K1"}


def test_durations_are_medians_and_nearest_rank_p90_over_at_least_five_cases(
    jaar: tuple[list[Waarneming], list[Zaak]],
) -> None:
    events, zaken = jaar
    cijfers = kwartaalcijfers(feiten_uit(w.rij for w in events), "2026-K2", GEMEENTEN)
    tabel = cijfers.tabel("crisis-besluittijd")
    for r, gemeente in enumerate(tabel.rijen):
        uren = sorted(
            z.uren
            for z in zaken
            if z.soort == "besluittermijn"
            and z.uren is not None
            and _kwartaal(z.start) == "2026-K2"
            and (gemeente == "Regio" or z.gemeente == gemeente)
        )
        if len(uren) < 5:
            assert tabel.cellen[r] == [None, None], gemeente
            continue
        midden = len(uren) // 2
        mediaan = uren[midden] if len(uren) % 2 else (uren[midden - 1] + uren[midden]) / 2
        assert tabel.cellen[r] == [round(mediaan, 1), round(_nearest_rank_p90(uren), 1)]


def test_an_observation_keeps_no_name_birth_date_or_text(
    jaar: tuple[list[Waarneming], list[Zaak]],
) -> None:
    events, _zaken = jaar
    for w in events:
        assert w.feit is None or isinstance(w.feit, float) or w.feit in KATEGORIEEN, w
        assert w.jeugd in (None, True, False)


def test_a_destroyed_birth_date_counts_as_unknown_age() -> None:
    gemeld = datetime(2026, 8, 3, 12, tzinfo=UTC)
    destroyed = {"naam": VERNIETIGD, "geboortedatum": VERNIETIGD}
    crisis = _event(
        "crisis.crisis-gemeld",
        "c",
        "GM0402",
        gemeld,
        gemeld_op=gemeld.isoformat(),
        betrokkene=destroyed,
    )
    assert crisis.jeugd is None


def test_figures_rebuilt_from_the_file_equal_those_kept_up_event_by_event(
    tmp_path: Path, jaar: tuple[list[Waarneming], list[Zaak]]
) -> None:
    events, _zaken = jaar
    bron = Cijferbron(tmp_path / "waarnemingen.db")
    assert all(bron.neem_op(w) for w in events)
    assert not bron.neem_op(events[0])  # a redelivered event counts once
    live: list[Kwartaalcijfers] = [
        kwartaalcijfers(bron.feiten, k, GEMEENTEN) for k in sorted(bron.feiten.kwartalen())
    ]
    bron.waarnemingen.close()

    herbouwd = Cijferbron(tmp_path / "waarnemingen.db")
    assert [
        kwartaalcijfers(herbouwd.feiten, k, GEMEENTEN) for k in sorted(herbouwd.feiten.kwartalen())
    ] == live
    assert (tmp_path / "waarnemingen.db").stat().st_mode & 0o777 == 0o600


def test_an_event_handled_before_its_cases_start_still_counts(
    jaar: tuple[list[Waarneming], list[Zaak]],
) -> None:
    # A redelivered start (after a failure) can come after the rest of its case.
    events, _zaken = jaar
    achterstevoren = sorted(events, key=lambda w: (w.zaak, -w.op.timestamp()))
    kwartalen = ("2026-K1", "2026-K2", "2026-K3", "2026-K4")
    in_orde = feiten_uit(w.rij for w in events)
    omgekeerd = feiten_uit(w.rij for w in achterstevoren)
    for kwartaal in kwartalen:
        assert kwartaalcijfers(omgekeerd, kwartaal, GEMEENTEN) == kwartaalcijfers(
            in_orde, kwartaal, GEMEENTEN
        )


def test_melders_count_as_naaste_by_their_own_kind_or_as_anders() -> None:
    assert [melder_groep(r) for r in ("ouder", "echtgenoot", "buur", "politie", "notaris")] == [
        "naaste",
        "naaste",
        "buur",
        "politie",
        "anders",  # a kind added later still counts, and the row totals stay right
    ]


def test_a_letter_to_a_melder_leaves_nothing_waiting_and_old_moments_keep_their_quarter() -> None:
    feiten = Feiten()
    op = datetime(2026, 5, 1, tzinfo=UTC).timestamp()
    feiten.neem("brief-klaargezet", "b1", "GM0402", op, "melderbrief", None)
    feiten.neem("brief-verzonden", "b1", "GM0402", op + 60, None, None)
    assert not feiten._wachtend and not feiten.afschriften
    assert kwartaal_van_moment(datetime(2018, 8, 1, tzinfo=UTC).timestamp()) == "2018-K3"
    assert kwartaal_van_moment(datetime(2101, 2, 1, tzinfo=UTC).timestamp()) == "2101-K1"
