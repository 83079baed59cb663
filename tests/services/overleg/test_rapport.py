"""The overleg's quarterly report: charts that plot exactly the shown numbers and mark the hidden
ones, a PDF that holds the tables, legend, agenda and afspraken, and CSV exports of the tables."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader

from services.overleg.cijfers.model import KLEIN, ONDERDRUKT, Kwartaalcijfers, Tabel
from services.overleg.rapport.export import csv_van
from services.overleg.rapport.grafieken import (
    PNG_PIXELS,
    Grafiek,
    grafiek,
    punt_id,
    verborgen_id,
)
from services.overleg.rapport.kwartaalrapport import (
    LEGENDA,
    kwartaalrapport,
    kwartaalrapport_html,
)
from services.overleg.rapport.regels import Afspraakregel, Agendaregel

SVG = "{http://www.w3.org/2000/svg}"
GEMAAKT_OP = datetime(2026, 10, 7, 7, 30, tzinfo=UTC)
"""Half past nine in Amsterdam (summer time)."""
REGIO = "Gooi en Vechtstreek"

MELDERS = Tabel(
    naam="meldingen-per-melder",
    titel="Meldingen per soort melder",
    rijen=["Hilversum", "Gooise Meren", "Totaal"],
    kolommen=["Politie", "Huisarts", "Familie", "Totaal"],
    cellen=[
        [12, KLEIN, ONDERDRUKT, 20],
        [7, 6, 8, 21],
        [19, 10, 12, 41],
    ],
)
DUUR = Tabel(
    naam="duur-tot-besluit",
    titel="Duur van melding tot besluit",
    eenheid="dagen",
    optelbaar=False,
    rijen=["Hilversum", "Gooise Meren"],
    kolommen=["Mediaan", "Gemiddelde"],
    cellen=[[3.5, 4.25], [None, 2]],
    toelichting="Kalenderdagen; geen maat bij minder dan vijf besluiten.",
)
CIJFERS = Kwartaalcijfers(
    kwartaal="2026-K3",
    van=date(2026, 7, 1),
    tot=date(2026, 10, 1),
    gemeenten=["Hilversum", "Gooise Meren"],
    tabellen=[MELDERS, DUUR],
)
AGENDA = [
    Agendaregel(thema="Crisiszorg", titel="Wachttijd crisisdienst in de nacht"),
    Agendaregel(thema="Meldpunt", titel="Terugkoppeling aan melders", toelichting="Voorstel GGD"),
]
AFSPRAKEN = [
    Afspraakregel(
        omschrijving="Convenant met de politie actualiseren",
        eigenaar="Gemeente Hilversum",
        uiterlijk=date(2026, 12, 1),
        status="loopt",
    ),
    Afspraakregel(
        omschrijving="Werkwijze hoorplicht afstemmen", eigenaar="GGD", uiterlijk=None, status="open"
    ),
]

MELDERS_PUNTEN = [
    ("Hilversum", "Politie", 12.0),
    ("Gooise Meren", "Politie", 7.0),
    ("Gooise Meren", "Huisarts", 6.0),
    ("Gooise Meren", "Familie", 8.0),
]
DUUR_PUNTEN = [
    ("Hilversum", "Mediaan", 3.5),
    ("Hilversum", "Gemiddelde", 4.25),
    ("Gooise Meren", "Gemiddelde", 2.0),
]


def plat(tekst: str) -> str:
    """The text with every run of white space as one space: lines break where the layout wants."""
    return " ".join(tekst.split())


def ids(svg: bytes, voorvoegsel: str) -> dict[str, ElementTree.Element]:
    wortel = ElementTree.fromstring(svg)
    return {
        element.attrib["id"]: element
        for element in wortel.iter()
        if element.attrib.get("id", "").startswith(voorvoegsel)
    }


def hoogte(balk: ElementTree.Element) -> float:
    """The height of a bar drawn as an SVG path (its y extent, in the SVG's units)."""
    [pad] = balk.iter(f"{SVG}path")
    getallen = [float(g) for g in re.findall(r"-?\d+(?:\.\d+)?", pad.attrib["d"])]
    ys = getallen[1::2]
    return max(ys) - min(ys)


def tekst_van(pdf: bytes) -> str:
    return plat(" ".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture(scope="module")
def melders() -> Grafiek:
    return grafiek(MELDERS)


@pytest.fixture(scope="module")
def duur() -> Grafiek:
    return grafiek(DUUR)


@pytest.fixture(scope="module")
def rapport() -> bytes:
    return kwartaalrapport(
        CIJFERS, regio=REGIO, agenda=AGENDA, afspraken=AFSPRAKEN, gemaakt_op=GEMAAKT_OP
    )


# Charts


def test_a_count_chart_plots_the_shown_numbers_without_totals_or_hidden_cells(
    melders: Grafiek,
) -> None:
    assert melders.punten == MELDERS_PUNTEN


def test_a_measure_chart_plots_every_measure_and_skips_the_missing_one(duur: Grafiek) -> None:
    assert duur.punten == DUUR_PUNTEN


@pytest.mark.parametrize(("tabel", "punten"), [(MELDERS, MELDERS_PUNTEN), (DUUR, DUUR_PUNTEN)])
def test_every_plotted_value_and_only_those_has_a_bar_with_its_id_in_the_svg(
    tabel: Tabel, punten: list[tuple[str, str, float]]
) -> None:
    assert set(ids(grafiek(tabel).svg, "punt-")) == {punt_id(r, k) for r, k, _ in punten}


@pytest.mark.parametrize(("tabel", "punten"), [(MELDERS, MELDERS_PUNTEN), (DUUR, DUUR_PUNTEN)])
def test_each_bar_is_as_high_as_its_value_on_one_scale(
    tabel: Tabel, punten: list[tuple[str, str, float]]
) -> None:
    balken = ids(grafiek(tabel).svg, "punt-")
    schalen = [hoogte(balken[punt_id(r, k)]) / waarde for r, k, waarde in punten]
    assert max(schalen) == pytest.approx(min(schalen), rel=1e-3)


def test_a_hidden_cell_is_marked_with_its_label_instead_of_a_bar(melders: Grafiek) -> None:
    gemarkeerd = ids(melders.svg, "verborgen-")
    assert {id_: plat("".join(el.itertext())) for id_, el in gemarkeerd.items()} == {
        verborgen_id("Hilversum", "Huisarts"): KLEIN,
        verborgen_id("Hilversum", "Familie"): ONDERDRUKT,
    }
    assert punt_id("Hilversum", "Huisarts") not in ids(melders.svg, "punt-")


def test_a_chart_has_a_dutch_title_axes_and_legend(melders: Grafiek, duur: Grafiek) -> None:
    teksten = plat(" ".join(ElementTree.fromstring(melders.svg).itertext()))
    for verwacht in ("Meldingen per soort melder", "Gemeente", "Aantal", "Categorie", "Politie"):
        assert verwacht in teksten
    teksten = plat(" ".join(ElementTree.fromstring(duur.svg).itertext()))
    for verwacht in ("Duur van melding tot besluit", "Dagen", "Maat", "Gemiddelde", "3,5"):
        assert verwacht in teksten


def test_an_svg_id_is_made_of_letters_digits_and_hyphens() -> None:
    assert punt_id("Gooise Meren", "Crisismaatregel (art. 7:1)") == (
        "punt-Gooise-Meren-Crisismaatregel-art-7-1"
    )
    assert punt_id("Súdwest-Fryslân", "<5") == "punt-Sudwest-Fryslan-5"


def test_labels_that_reduce_to_the_same_id_still_get_unique_ids() -> None:
    tabel = MELDERS.model_copy(update={"kolommen": ["Politie", "Huis-arts", "Huis arts", "Totaal"]})
    gevonden = ids(grafiek(tabel).svg, "punt-")
    assert len(gevonden) == len(MELDERS_PUNTEN)


def test_a_png_is_a_png_of_the_fixed_size(melders: Grafiek, duur: Grafiek) -> None:
    for png in (melders.png, duur.png):
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        with Image.open(io.BytesIO(png)) as beeld:
            assert beeld.size == PNG_PIXELS


def test_the_same_table_gives_the_same_svg_and_png(melders: Grafiek) -> None:
    opnieuw = grafiek(MELDERS)
    assert opnieuw.svg == melders.svg
    assert opnieuw.png == melders.png


def test_a_chart_has_no_date_in_its_metadata(melders: Grafiek) -> None:
    assert b"<dc:date>" not in melders.svg
    assert b"2026" not in melders.svg


def test_a_table_whose_every_cell_is_hidden_gives_a_chart_without_bars() -> None:
    tabel = MELDERS.model_copy(
        update={"cellen": [[KLEIN, KLEIN, ONDERDRUKT, 9], [KLEIN, ONDERDRUKT, KLEIN, 8], [9] * 4]}
    )
    leeg = grafiek(tabel)
    assert leeg.punten == []
    assert ids(leeg.svg, "punt-") == {}
    assert len(ids(leeg.svg, "verborgen-")) == 6


# The PDF


def test_the_report_is_a_pdf_of_a_sane_size(rapport: bytes) -> None:
    assert rapport.startswith(b"%PDF-")
    assert 10_000 < len(rapport) < 1_000_000


def test_the_report_names_the_region_quarter_and_every_table(rapport: bytes) -> None:
    tekst = tekst_van(rapport)
    assert f"Kwartaalrapport {REGIO}, kwartaal 2026-K3" in tekst
    assert "1 juli 2026 tot en met 30 september 2026" in tekst
    for tabel in CIJFERS.tabellen:
        assert tabel.titel in tekst


def test_the_report_shows_the_tables_cells_as_shown_with_the_legend(rapport: bytes) -> None:
    tekst = tekst_van(rapport)
    assert "Hilversum 12 <5 x 20" in tekst
    assert "Totaal 19 10 12 41" in tekst
    assert "Gooise Meren – 2" in tekst
    assert LEGENDA in tekst
    assert LEGENDA.startswith("<5 = 1 tot en met 4")
    assert "x = aanvullend onderdrukt" in LEGENDA


def test_the_report_holds_the_agenda_and_the_open_afspraken(rapport: bytes) -> None:
    tekst = tekst_van(rapport)
    for regel in AGENDA:
        assert regel.titel in tekst
    assert "Convenant met de politie actualiseren Gemeente Hilversum 1 december 2026 loopt" in tekst
    assert "Werkwijze hoorplicht afstemmen GGD – open" in tekst


def test_the_report_embeds_each_chart_as_svg() -> None:
    html = kwartaalrapport_html(
        CIJFERS, regio=REGIO, agenda=AGENDA, afspraken=AFSPRAKEN, gemaakt_op=GEMAAKT_OP
    )
    assert html.count('src="data:image/svg+xml;base64,') == len(CIJFERS.tabellen)


def test_the_only_time_in_the_report_is_when_it_was_made(rapport: bytes) -> None:
    lezer = PdfReader(io.BytesIO(rapport))
    assert lezer.metadata is not None
    assert lezer.metadata.creation_date == GEMAAKT_OP
    assert lezer.metadata.modification_date is None
    assert "7 oktober 2026 om 09:30 uur" in tekst_van(rapport)


def test_the_same_input_gives_the_same_pdf(rapport: bytes) -> None:
    assert (
        kwartaalrapport(
            CIJFERS, regio=REGIO, agenda=AGENDA, afspraken=AFSPRAKEN, gemaakt_op=GEMAAKT_OP
        )
        == rapport
    )


def test_markup_in_a_line_is_printed_as_text() -> None:
    html = kwartaalrapport_html(
        CIJFERS,
        regio="<b>Regio</b>",
        agenda=[Agendaregel(thema="<i>x</i>", titel="a & b")],
        afspraken=[],
        gemaakt_op=GEMAAKT_OP,
    )
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;Regio&lt;/b&gt;" in html and "a &amp; b" in html


def test_a_naive_creation_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        kwartaalrapport_html(
            CIJFERS, regio=REGIO, agenda=[], afspraken=[], gemaakt_op=datetime(2026, 10, 7)
        )


# CSV


@pytest.mark.parametrize("tabel", [MELDERS, DUUR])
def test_a_csv_holds_the_header_and_every_cell_as_shown(tabel: Tabel) -> None:
    rijen = list(csv.reader(io.StringIO(csv_van(tabel), newline=""), delimiter=";"))
    verwacht = {
        MELDERS.naam: [
            ["Gemeente", "Politie", "Huisarts", "Familie", "Totaal"],
            ["Hilversum", "12", "<5", "x", "20"],
            ["Gooise Meren", "7", "6", "8", "21"],
            ["Totaal", "19", "10", "12", "41"],
        ],
        DUUR.naam: [
            ["Gemeente", "Mediaan", "Gemiddelde"],
            ["Hilversum", "3,5", "4,25"],
            ["Gooise Meren", "", "2"],
        ],
    }
    assert rijen == verwacht[tabel.naam]


def test_a_csv_quotes_a_label_with_a_semicolon() -> None:
    tabel = DUUR.model_copy(update={"kolommen": ["Mediaan; dagen", "Gemiddelde"]})
    [kop, *_] = csv.reader(io.StringIO(csv_van(tabel), newline=""), delimiter=";")
    assert kop == ["Gemeente", "Mediaan; dagen", "Gemiddelde"]


# Start-up cost


def test_importing_the_report_loads_neither_matplotlib_nor_weasyprint() -> None:
    code = (
        "import sys, services.overleg.rapport.kwartaalrapport, services.overleg.rapport.export; "
        "sys.exit('matplotlib' in sys.modules or 'weasyprint' in sys.modules)"
    )
    resultaat = subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert resultaat.returncode == 0
