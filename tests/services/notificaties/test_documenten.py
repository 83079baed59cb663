"""Letters and afschriften as PDF/A: what they say, what they embed and declare, what the mail
room's batch and manifest hold (and that the manifest holds no names)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import uuid
import zipfile
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject, StreamObject
from wvggz_contracts import meldpunt, onderzoek
from wvggz_contracts.crisis.common import BesluitUitkomst, Ontvanger
from wvggz_contracts.crisis.verloop_events import AfschriftKlaargezet
from wvggz_contracts.personen import Melder, RelatieTotBetrokkene

from services.notificaties.documenten import (
    Document,
    MelderBrief,
    afschrift_pdf,
    melderbrief_pdf,
    postbatch,
)
from services.notificaties.documenten.afschrift import afschrift_html
from services.notificaties.documenten.document import TEMPLATES
from services.notificaties.documenten.melderbrief import melderbrief_html
from services.notificaties.documenten.teksten import ONTVANGERS

NU = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
BESLOTEN_OP = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
"""Half past one on 1 April in Amsterdam (summer time): another date than in UTC."""
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
ADVOCAAT = "Mr. A.B. de Vries-Özdemir"
MELDER_NAAM = "J. Jansen"
MELDER_ADRES = "Kerkstraat 1, 1211 AA Hilversum"


def afschrift(
    ontvanger: Ontvanger = Ontvanger.ADVOCAAT,
    aan: str | None = ADVOCAAT,
    besluit: BesluitUitkomst = BesluitUitkomst.GENOMEN,
) -> AfschriftKlaargezet:
    return AfschriftKlaargezet(
        crisis_id=uuid.UUID(int=1),
        gemeente="GM0402",
        afschrift_id=uuid.UUID("3b696154-6342-411d-a5c3-010ba541d08c"),
        ontvanger=ontvanger,
        aan=aan,
        besluit_id=uuid.UUID("1f124e50-298b-4dc3-be0e-4621999451c8"),
        besluit=besluit,
        besloten_op=BESLOTEN_OP,
        rechtsgrond="art. 7:1 Wvggz",
    )


def melder(naam: str = MELDER_NAAM) -> Melder:
    return Melder(
        naam=naam,
        adres=MELDER_ADRES,
        telefoon="06-12345678",
        relatie=RelatieTotBetrokkene.OUDER,
    )


def meldpuntbrief(
    soort: meldpunt.BriefSoort,
    uitkomst: meldpunt.TriageUitkomst | None = None,
    doorverwezen_naar: meldpunt.Doorverwijzing | None = None,
) -> meldpunt.MelderBriefKlaargezet:
    return meldpunt.MelderBriefKlaargezet(
        melding_id=uuid.UUID("a1b2c3d4-0000-4000-8000-000000000001"),
        gemeente="GM0406",
        brief=soort,
        aan=melder(),
        inhoud=meldpunt.BriefInhoud(
            melding_ontvangen_op=datetime(2026, 3, 20, 23, 15, tzinfo=UTC),
            uitkomst=uitkomst,
            doorverwezen_naar=doorverwezen_naar,
        ),
    )


def onderzoeksbrief(
    soort: onderzoek.BriefSoort, uitkomst: onderzoek.BriefUitkomst
) -> onderzoek.MelderBriefKlaargezet:
    return onderzoek.MelderBriefKlaargezet(
        vo_id=uuid.UUID("c0ffee00-0000-4000-8000-000000000002"),
        melding_id=uuid.UUID(int=3),
        gemeente="GM0402",
        brief=soort,
        aan=melder(),
        inhoud=onderzoek.BriefInhoud(uitkomst=uitkomst, datum=date(2026, 3, 27)),
    )


def tekst(document: Document) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.pdf)).pages)


def woordenboek(obj: PdfObject) -> DictionaryObject:
    opgelost = obj.get_object()
    assert isinstance(opgelost, DictionaryObject)
    return opgelost


def rij(obj: PdfObject) -> ArrayObject:
    opgelost = obj.get_object()
    assert isinstance(opgelost, ArrayObject)
    return opgelost


def catalogus(document: Document) -> DictionaryObject:
    return woordenboek(PdfReader(io.BytesIO(document.pdf)).trailer["/Root"])


def plat(tekst: str) -> str:
    """The text with every run of white space as one space: lines break where the layout wants."""
    return " ".join(tekst.split())


@pytest.fixture(scope="module")
def advocaat_afschrift() -> Document:
    return afschrift_pdf(afschrift(), aangemaakt_op=NU)


@pytest.fixture(scope="module")
def igj_afschrift() -> Document:
    return afschrift_pdf(
        afschrift(Ontvanger.IGJ, aan=None, besluit=BesluitUitkomst.AFGEWEZEN), aangemaakt_op=NU
    )


@pytest.fixture(scope="module")
def melderbrieven() -> dict[str, tuple[MelderBrief, Document]]:
    brieven: list[MelderBrief] = [
        meldpuntbrief(meldpunt.BriefSoort.ONTVANGSTBEVESTIGING),
        meldpuntbrief(
            meldpunt.BriefSoort.TRIAGE_VERVOLG,
            meldpunt.TriageUitkomst.REGULIER,
            meldpunt.Doorverwijzing.WIJKTEAM,
        ),
        onderzoeksbrief(onderzoek.BriefSoort.VO_UITKOMST, onderzoek.BriefUitkomst.GEEN_AANVRAAG),
        onderzoeksbrief(
            onderzoek.BriefSoort.OVJ_BESLUIT,
            onderzoek.BriefUitkomst.OVJ_BEREIDT_VERZOEKSCHRIFT_VOOR,
        ),
        onderzoeksbrief(
            onderzoek.BriefSoort.TERMIJN_VERSTREKEN,
            onderzoek.BriefUitkomst.GEEN_BESLUIT_BINNEN_TERMIJN,
        ),
    ]
    return {str(b.brief): (b, melderbrief_pdf(b, aangemaakt_op=NU)) for b in brieven}


# The afschrift


def test_an_afschrift_is_a_pdf_that_declares_pdf_a_3b(advocaat_afschrift: Document) -> None:
    assert advocaat_afschrift.pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(advocaat_afschrift.pdf))
    assert not reader.is_encrypted
    assert "/ID" in reader.trailer
    root = woordenboek(reader.trailer["/Root"])
    metadata = root["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    xmp = ElementTree.fromstring(metadata.get_data())
    identificatie = {
        (beschrijving.get(f"{PDFAID}part"), beschrijving.get(f"{PDFAID}conformance"))
        for beschrijving in xmp.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    }
    assert ("3", "B") in identificatie
    [intent] = [woordenboek(i) for i in rij(root["/OutputIntents"])]
    assert str(intent["/S"]) == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intent


def test_an_afschrift_embeds_every_font_it_uses(advocaat_afschrift: Document) -> None:
    gebruikt: list[str] = []
    for page in PdfReader(io.BytesIO(advocaat_afschrift.pdf)).pages:
        lettertypen = woordenboek(woordenboek(page["/Resources"])["/Font"])
        for verwijzing in lettertypen.values():
            lettertype = woordenboek(verwijzing)
            if str(lettertype["/Subtype"]) == "/Type0":
                lettertype = woordenboek(rij(lettertype["/DescendantFonts"])[0])
            beschrijving = woordenboek(lettertype["/FontDescriptor"])
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(beschrijving), lettertype
            gebruikt.append(str(lettertype["/BaseFont"]))
    assert gebruikt
    assert all("DejaVu" in naam for naam in gebruikt), gebruikt


def test_an_afschrift_carries_a_dutch_title_and_language(advocaat_afschrift: Document) -> None:
    metadata = PdfReader(io.BytesIO(advocaat_afschrift.pdf)).metadata
    assert metadata is not None
    assert metadata.title == "Afschrift van de beschikking crisismaatregel"
    assert str(catalogus(advocaat_afschrift)["/Lang"]) == "nl"


def test_an_afschrift_holds_the_reference_legal_basis_recipient_and_outcome(
    advocaat_afschrift: Document,
) -> None:
    inhoud = plat(tekst(advocaat_afschrift))
    assert "Afschrift van de beschikking crisismaatregel" in inhoud
    assert "1f124e50-298b-4dc3-be0e-4621999451c8" in inhoud
    assert "3b696154-6342-411d-a5c3-010ba541d08c" in inhoud
    assert advocaat_afschrift.kenmerk == "CM-1F124E50-3B696154"
    assert "CM-1F124E50-3B696154" in inhoud
    assert "Rechtsgrond art. 7:1 Wvggz" in inhoud
    assert "als advocaat van de betrokkene" in inhoud
    assert ADVOCAAT in inhoud
    assert "Besluit Crisismaatregel genomen" in inhoud
    assert "burgemeester van Hilversum" in inhoud
    assert "Hilversum (GM0402)" in inhoud
    assert advocaat_afschrift.paginas == 1
    assert advocaat_afschrift.soort == "afschrift-crisismaatregel"


def test_an_afschrift_gives_the_decision_time_on_the_amsterdam_clock(
    advocaat_afschrift: Document,
) -> None:
    assert "1 april 2026 om 01:30 uur" in plat(tekst(advocaat_afschrift))


def test_an_afschrift_to_an_institution_names_it_and_a_refusal_in_dutch(
    igj_afschrift: Document,
) -> None:
    inhoud = plat(tekst(igj_afschrift))
    assert "Inspectie Gezondheidszorg en Jeugd" in inhoud
    assert "Geachte heer, mevrouw," in inhoud
    assert "Besluit Geen crisismaatregel genomen" in inhoud
    assert "besloten geen crisismaatregel te nemen" in inhoud
    assert ADVOCAAT not in inhoud


@pytest.mark.parametrize("ontvanger", list(Ontvanger))
def test_every_ontvanger_is_named_in_dutch_words(ontvanger: Ontvanger) -> None:
    label = ONTVANGERS[ontvanger]
    inhoud = afschrift_html(afschrift(ontvanger, aan=None), aangemaakt_op=NU)
    assert f"als {label}." in plat(inhoud)


def test_rendering_the_same_afschrift_twice_gives_the_same_bytes(
    advocaat_afschrift: Document,
) -> None:
    assert afschrift_pdf(afschrift(), aangemaakt_op=NU).sha256 == advocaat_afschrift.sha256


# Letters to the melder

VERWACHT = {
    "ontvangstbevestiging": (
        "Ontvangstbevestiging van uw melding",
        "dat wij uw melding van 21 maart 2026 hebben ontvangen",
        "MLD-A1B2C3D4",
    ),
    "triage-vervolg": (
        "Vervolg op uw melding",
        "Er is geen aanleiding voor een onderzoek naar verplichte ggz."
        " De gemeente zorgt voor een vervolg via de gewone hulpverlening."
        " Daarvoor is verwezen naar het wijkteam.",
        "MLD-A1B2C3D4",
    ),
    "vo-uitkomst": (
        "Uitkomst van het verkennend onderzoek",
        "Het verkennend onderzoek is op 27 maart 2026 afgerond. De gemeente vraagt de officier"
        " van justitie niet om een verzoekschrift",
        "VO-C0FFEE00",
    ),
    "ovj-besluit": (
        "Reactie van de officier van justitie",
        "De officier van justitie heeft op 27 maart 2026 laten weten een verzoekschrift voor een"
        " zorgmachtiging voor te bereiden.",
        "VO-C0FFEE00",
    ),
    "termijn-verstreken": (
        "Termijn van het verkennend onderzoek verstreken",
        "De termijn van het verkennend onderzoek is op 27 maart 2026 verstreken",
        "VO-C0FFEE00",
    ),
}


def test_every_kind_of_letter_to_a_melder_is_rendered() -> None:
    assert set(VERWACHT) == {*meldpunt.BriefSoort, *onderzoek.BriefSoort}


@pytest.mark.parametrize("soort", list(VERWACHT))
def test_a_letter_to_a_melder_states_its_kind_and_content_to_the_melder(
    soort: str, melderbrieven: dict[str, tuple[MelderBrief, Document]]
) -> None:
    _brief, document = melderbrieven[soort]
    titel, zin, kenmerk = VERWACHT[soort]
    inhoud = plat(tekst(document))
    assert document.pdf.startswith(b"%PDF-")
    assert titel in inhoud
    assert zin in inhoud
    assert f"Geachte {MELDER_NAAM}," in inhoud
    assert MELDER_ADRES in inhoud
    assert "06-12345678" not in inhoud
    assert document.kenmerk == kenmerk
    assert kenmerk in inhoud
    assert document.soort == f"melderbrief-{soort}"


@pytest.mark.parametrize("uitkomst", list(meldpunt.TriageUitkomst))
def test_every_triage_outcome_has_a_sentence_for_the_melder(
    uitkomst: meldpunt.TriageUitkomst,
) -> None:
    inhoud = melderbrief_html(
        meldpuntbrief(meldpunt.BriefSoort.TRIAGE_VERVOLG, uitkomst), aangemaakt_op=NU
    )
    assert "Wij hebben uw melding van 21 maart 2026 beoordeeld." in plat(inhoud)


@pytest.mark.parametrize("uitkomst", list(onderzoek.BriefUitkomst))
def test_every_outcome_after_the_verkennend_onderzoek_is_told_with_its_date(
    uitkomst: onderzoek.BriefUitkomst,
) -> None:
    inhoud = melderbrief_html(
        onderzoeksbrief(onderzoek.BriefSoort.VO_UITKOMST, uitkomst), aangemaakt_op=NU
    )
    assert "27 maart 2026" in plat(inhoud)


# Escaping


def test_markup_in_an_event_field_is_printed_as_text() -> None:
    naam = 'A. <b>Vet</b> & "Co" <script>x()</script>'
    brief = meldpunt.MelderBriefKlaargezet.model_validate(
        meldpuntbrief(meldpunt.BriefSoort.ONTVANGSTBEVESTIGING).model_dump() | {"aan": melder(naam)}
    )
    html = melderbrief_html(brief, aangemaakt_op=NU)
    assert "<b>Vet</b>" not in html
    assert "&lt;b&gt;Vet&lt;/b&gt; &amp; &#34;Co&#34; &lt;script&gt;" in html
    assert f"Geachte {naam}," in plat(tekst(melderbrief_pdf(brief, aangemaakt_op=NU)))


def test_no_template_prints_a_bsn() -> None:
    for sjabloon in TEMPLATES.glob("*.html"):
        assert "bsn" not in sjabloon.read_text(encoding="utf-8").lower(), sjabloon.name


# The post batch


def lees_batch(zip_bytes: bytes) -> tuple[dict[str, bytes], list[dict[str, str]], str]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archief:
        bestanden = {naam: archief.read(naam) for naam in archief.namelist()}
    manifest = bestanden.pop("manifest.csv").decode("utf-8")
    return bestanden, list(csv.DictReader(io.StringIO(manifest))), manifest


def test_a_post_batch_holds_every_pdf_and_a_manifest_of_them(
    advocaat_afschrift: Document,
    igj_afschrift: Document,
    melderbrieven: dict[str, tuple[MelderBrief, Document]],
) -> None:
    stukken = [
        ("afschrift-advocaat", advocaat_afschrift),
        ("afschrift-igj", igj_afschrift),
        *((f"brief-{soort}", document) for soort, (_b, document) in melderbrieven.items()),
    ]
    bestanden, rijen, _manifest = lees_batch(postbatch(stukken))
    assert bestanden == {f"{naam}.pdf": document.pdf for naam, document in stukken}
    assert [rij["document_id"] for rij in rijen] == [naam for naam, _d in stukken]
    for rij, (naam, document) in zip(rijen, stukken, strict=True):
        assert rij == {
            "document_id": naam,
            "bestand": f"{naam}.pdf",
            "soort": document.soort,
            "kenmerk": document.kenmerk,
            "paginas": str(document.paginas),
            "sha256": document.sha256,
            "aangemaakt_op": "2026-04-01T11:30:00+02:00",
        }


def test_a_name_in_the_event_is_in_the_pdf_but_not_in_the_manifest(
    advocaat_afschrift: Document, melderbrieven: dict[str, tuple[MelderBrief, Document]]
) -> None:
    _brief, ontvangst = melderbrieven["ontvangstbevestiging"]
    _bestanden, _rijen, manifest = lees_batch(
        postbatch([("a-1", advocaat_afschrift), ("b-1", ontvangst)])
    )
    assert ADVOCAAT in plat(tekst(advocaat_afschrift))
    assert MELDER_NAAM in plat(tekst(ontvangst))
    for persoonlijk in (ADVOCAAT, "Vries", MELDER_NAAM, "Jansen", MELDER_ADRES, "Kerkstraat"):
        assert persoonlijk not in manifest


@pytest.mark.parametrize("document_id", ["../a", "a b", "", ".verborgen", "a/b", "J. Jansen"])
def test_a_post_batch_refuses_an_id_that_is_no_plain_file_name(
    document_id: str, igj_afschrift: Document
) -> None:
    with pytest.raises(ValueError, match="file name"):
        postbatch([(document_id, igj_afschrift)])


def test_a_post_batch_refuses_the_same_id_twice(igj_afschrift: Document) -> None:
    with pytest.raises(ValueError, match="twice"):
        postbatch([("a", igj_afschrift), ("a", igj_afschrift)])


def test_the_same_batch_gives_the_same_zip(igj_afschrift: Document) -> None:
    assert postbatch([("a", igj_afschrift)]) == postbatch([("a", igj_afschrift)])


def test_a_naive_creation_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        afschrift_html(afschrift(), aangemaakt_op=datetime(2026, 4, 1, 9, 30))


# Start-up cost


def test_importing_the_documents_does_not_load_weasyprint() -> None:
    code = (
        "import sys, services.notificaties.documenten as d; "
        "sys.exit('weasyprint' in sys.modules or 'pypdf' in sys.modules)"
    )
    resultaat = subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert resultaat.returncode == 0
