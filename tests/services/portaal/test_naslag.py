"""The portal's reference lists (naslag) and the overleg's figures pages, with the bus replaced by
prepared answers: what each page asks, what it shows, what a download returns, and what a
malformed key gives."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from services.portaal.app import create_app
from services.portaal.openapi import openapi_document
from services.portaal.settings import PortaalSettings
from services.portaal.web.sessions import COOKIE, SessionStore
from tests.services.portaal.recording import RecordingGateway
from wvggz.catalog import api_catalog

SETTINGS = PortaalSettings(oidc_issuer="http://127.0.0.1:9")  # nobody listens there
TAFEL = str(uuid.uuid4())
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5"/></svg>'
TABEL: dict[str, Any] = {
    "naam": "meldingen-per-melder",
    "titel": "Meldingen per soort melder",
    "eenheid": "aantal",
    "optelbaar": True,
    "rijen": ["GM0402", "GM0406", "Totaal"],
    "kolommen": ["naaste", "politie", "Totaal"],
    "cellen": [["<5", "x", 7], [12, "x", 15], [14, 8, 22]],
    "toelichting": "Naar de relatie van de melder.",
}
DUUR: dict[str, Any] = {
    "naam": "doorlooptijd",
    "titel": "Dagen van melding tot besluit",
    "eenheid": "dagen",
    "optelbaar": False,
    "rijen": ["GM0402", "GM0406", "Regio"],
    "kolommen": ["mediaan", "p90"],
    "cellen": [[3.5, 12.25], [None, None], [1536.0, 14]],
    "toelichting": "",
}
CIJFERS = {
    "kwartaal": "2026-K4",
    "van": "2026-10-01",
    "tot": "2027-01-01",
    "gemeenten": ["GM0402", "GM0406"],
    "tabellen": [TABEL, DUUR],
}
NIET_GEVONDEN = {"ok": False, "error": {"code": "not_found", "message": "niet gevonden"}}


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
def sessions() -> SessionStore:
    return SessionStore(idle_seconds=60)


@pytest.fixture
def client(gateway: RecordingGateway, sessions: SessionStore) -> Iterator[TestClient]:
    app = create_app(SETTINGS, api_catalog(), gateway=gateway, sessions=sessions)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def log_in(client: TestClient, sessions: SessionStore, rol: str) -> None:
    session = sessions.open("token", f"{rol}.gm0402", (rol,), ("GM0402",), time.time() + 600)
    client.cookies.set(COOKIE, session.id)


def subjects(gateway: RecordingGateway) -> list[str]:
    return [subject for subject, _body, _token in gateway.sent]


def test_the_naslag_sends_q_and_its_filters_and_links_each_row_to_its_page(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "consulent")
    tafel = {
        "tafel_id": TAFEL,
        "gemeente": "GM0402",
        "naam": "Regiotafel zorgkantoor",
        "niveau": "regionaal",
        "deelnemers": ["Zorgkantoor", "Wijkteam"],
        "doel": "Passende plek voor vastgelopen zorgvragen.",
        "actief": True,
        "opgeheven_op": None,
        "versie": 1,
    }
    gateway.replies.append({"ok": True, "data": [tafel], "total": 51})

    response = client.get("/naslag/overlegtafels?q=+vastgelopen+&niveau=regionaal&gemeente=")

    [(subject, body, token)] = gateway.sent
    assert subject == "wvggz.qry.overleg.overlegtafels" and token == "token"
    assert body["params"] == {"q": "vastgelopen"} and body["filters"] == {"niveau": "regionaal"}
    assert body["page"] == 1 and body["page_size"] == 50
    assert response.status_code == 200
    assert f'<a class="utrecht-link utrecht-link--html-a" href="/overlegtafels/{TAFEL}">' in (
        response.text
    )
    assert "Regiotafel zorgkantoor</a></th>" in response.text, "the name comes first, linked"
    assert "Zorgkantoor, Wijkteam" in response.text and "Tafel id" not in response.text
    assert '<option value="regionaal" selected>' in response.text, "an enum filter is a choice"
    assert 'name="q" type="search" value="vastgelopen"' in response.text
    assert "pagina 1 van 2" in response.text
    assert "?pagina=2&amp;q=vastgelopen&amp;niveau=regionaal" in response.text
    assert 'href="/naslag/overlegtafels">Naslag: Overlegtafels</a>' in response.text
    assert 'href="/naslag/kwartaalcijfers">Naslag: Kwartaalcijfers</a>' in response.text


def test_a_list_without_free_text_offers_no_search_field_and_links_each_quarter(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "secretariaat")
    gateway.replies.append({"ok": True, "data": [{"kwartaal": "2026-K4"}], "total": 1})

    response = client.get("/naslag/kwartaalcijfers?q=genegeerd")

    [(subject, body, _token)] = gateway.sent
    assert subject == "wvggz.qry.overleg.kwartalen"
    assert body["params"] == {} and body["filters"] == {}
    assert 'name="q"' not in response.text
    assert 'href="/kwartaalcijfers/2026-K4">2026-K4</a>' in response.text


def test_a_refused_search_shows_the_services_message_and_nothing_breaks(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "consulent")
    why = "params.q: ten hoogste 200 tekens"
    gateway.replies.append({"ok": False, "error": {"code": "validation_failed", "message": why}})

    response = client.get("/naslag/overlegtafels", params={"q": "x" * 201})

    assert response.status_code == 400
    assert why in response.text and 'aria-invalid="true"' in response.text


def test_a_role_sees_only_its_reference_lists_and_no_work_list_is_one(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "triagist")

    not_for_this_role = client.get("/naslag/kwartaalcijfers")
    work = client.get("/naslag/meldingen")

    assert not_for_this_role.status_code == 403 and work.status_code == 404
    assert gateway.sent == []
    assert "Naslag: Overlegtafels" in work.text and "Naslag: Kwartaalcijfers" not in work.text


def test_the_figures_page_shows_each_table_with_its_chart_and_downloads(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "secretariaat")
    grafiek = {"naam": TABEL["naam"], "titel": TABEL["titel"], "svg": SVG, "png_base64": ""}
    gateway.replies += [{"ok": True, "data": CIJFERS}, {"ok": True, "data": [grafiek]}]

    response = client.get("/kwartaalcijfers/2026-K4")

    assert subjects(gateway) == ["wvggz.qry.overleg.kwartaalcijfers", "wvggz.qry.overleg.grafieken"]
    assert all(body["params"] == {"kwartaal": "2026-K4"} for _s, body, _t in gateway.sent)
    html = response.text
    assert response.status_code == 200 and "Beleidscijfers 2026-K4</h1>" in html
    assert "1-10-2026 tot en met 31-12-2026" in html
    assert "&lt;5 = 1 tot en met 4" in html and "x = aanvullend onderdrukt" in html
    assert 'id="tabel-meldingen-per-melder">Meldingen per soort melder</h2></caption>' in html
    assert '<th class="utrecht-table__header-cell" scope="row">GM0406</th>' in html
    numeric = (
        '<td class="utrecht-table__cell utrecht-table__cell--numeric-column'
        ' utrecht-table__cell--numeric-data">'
    )
    for shown in ("&lt;5", "x", "22", "3,5", "12,25", "–", "1.536"):
        assert f"{numeric}{shown}</td>" in html, shown
    svg = base64.b64encode(SVG.encode()).decode()
    assert f'<img class="utrecht-img" src="data:image/svg+xml;base64,{svg}" alt="Grafiek' in html
    assert html.count("<img") == 1, "a table without a chart shows none"
    assert 'href="/kwartaalcijfers/2026-K4/download/meldingen-per-melder.csv"' in html
    assert 'href="/kwartaalcijfers/2026-K4/download/meldingen-per-melder.png"' in html
    assert 'href="/kwartaalcijfers/2026-K4/download/kwartaalrapport.pdf"' in html
    assert 'href="/kosten/2026-K4"' in html, "the secretariaat also reads the costs"
    assert "img-src 'self' data:" in response.headers["content-security-policy"]


def test_a_download_returns_the_report_as_an_attachment(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "secretariaat")
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    rapport = {
        "naam": "kwartaalrapport-2026-K4.pdf",
        "mediatype": "application/pdf",
        "base64": base64.b64encode(pdf).decode(),
    }
    gateway.replies.append({"ok": True, "data": rapport})

    response = client.get("/kwartaalcijfers/2026-K4/download/kwartaalrapport.pdf")

    [(subject, body, token)] = gateway.sent
    assert subject == "wvggz.qry.overleg.kwartaalrapport" and token == "token"
    assert body == {"params": {"kwartaal": "2026-K4"}}
    assert response.status_code == 200 and response.content == pdf
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="kwartaalrapport-2026-K4.pdf"'
    )


@pytest.mark.parametrize(
    ("bestand", "reply", "mediatype", "content", "filename"),
    [
        (
            "meldingen-per-melder.csv",
            [{"naam": "2026-K4-meldingen-per-melder.csv", "mediatype": "text/csv", "tekst": "a;é"}],
            "text/csv; charset=utf-8",
            "a;é".encode(),
            "2026-K4-meldingen-per-melder.csv",
        ),
        (
            "meldingen-per-melder.png",
            [{"naam": "meldingen-per-melder", "png_base64": base64.b64encode(b"\x89PNG").decode()}],
            "image/png",
            b"\x89PNG",
            "2026-K4-meldingen-per-melder.png",
        ),
    ],
)
def test_a_table_downloads_as_csv_and_its_chart_as_png(
    client: TestClient,
    sessions: SessionStore,
    gateway: RecordingGateway,
    bestand: str,
    reply: list[dict[str, str]],
    mediatype: str,
    content: bytes,
    filename: str,
) -> None:
    log_in(client, sessions, "consulent")
    gateway.replies.append({"ok": True, "data": reply})

    response = client.get(f"/kwartaalcijfers/2026-K4/download/{bestand}")

    assert response.status_code == 200 and response.content == content
    assert response.headers["content-type"] == mediatype
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.parametrize(
    "path",
    [
        "/kwartaalcijfers/2026-K9",
        "/kwartaalcijfers/K4-2026",
        "/kosten/" + "2026-K4" * 200,
        "/kwartaalcijfers/2026-K5/download/kwartaalrapport.pdf",
        "/kwartaalcijfers/2026-K9/csv",
        f"/meldingen/{TAFEL[:8]}",
    ],
)
def test_a_malformed_key_is_a_clear_not_found_without_asking_anyone(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway, path: str
) -> None:
    log_in(client, sessions, "secretariaat")

    response = client.get(path)

    assert response.status_code == 404 and gateway.sent == []
    assert "Deze pagina bestaat niet: „" in response.text
    assert ("Een kwartaal schrijft u als 2026-K4." in response.text) != path.startswith("/meld")


@pytest.mark.parametrize(
    "bestand", ["kwartaalrapport.exe", "rapport.pdf", "Tabel.csv", "meldingen-per-melder.csv"]
)
def test_a_file_the_quarter_does_not_have_is_not_found(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway, bestand: str
) -> None:
    log_in(client, sessions, "secretariaat")
    gateway.replies.append({"ok": True, "data": [{"naam": "2026-K4-ander.csv", "tekst": ""}]})

    response = client.get(f"/kwartaalcijfers/2026-K4/download/{bestand}")

    assert response.status_code == 404 and "Dit bestand bestaat niet." in response.text
    assert "content-disposition" not in response.headers


def test_a_quarter_the_service_refuses_shows_its_reason(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "secretariaat")
    why = "2099-K1 is nog niet begonnen"
    gateway.replies.append({"ok": False, "error": {"code": "validation_failed", "message": why}})

    response = client.get("/kwartaalcijfers/2099-K1")

    assert response.status_code == 400 and why in response.text


def test_the_costs_page_shows_its_one_table_in_dutch_numbers(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "burgemeester")
    kosten = DUUR | {"naam": "kosten", "titel": "Uren en kosten", "eenheid": "uren en euro"}
    gateway.replies.append({"ok": True, "data": kosten})

    response = client.get("/kosten/2026-K4")

    assert subjects(gateway) == ["wvggz.qry.overleg.kosten"]
    assert "Uren en kosten 2026-K4</h1>" in response.text and "1.536</td>" in response.text
    assert "In uren en euro." in response.text and "<img" not in response.text
    assert 'href="/kwartaalcijfers/2026-K4"' in response.text


def test_a_full_case_number_is_not_looked_up_among_the_quarters(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    log_in(client, sessions, "secretariaat")
    gateway.replies += [NIET_GEVONDEN] * 20

    response = client.get(f"/werkvoorraad?zaak={TAFEL}")

    assert response.status_code == 200
    asked = subjects(gateway)
    assert "wvggz.qry.overleg.regio-overleg" in asked
    assert not any(s.endswith((".kwartaalcijfers", ".kosten")) for s in asked)


def test_the_api_document_names_a_quarter_as_a_quarter_and_a_case_by_its_uuid() -> None:
    paths = openapi_document(api_catalog())["paths"]

    [kwartaal] = paths["/kwartaalcijfers/{kwartaal}"]["get"]["parameters"][:1]
    [melding] = paths["/meldingen/{melding_id}"]["get"]["parameters"][:1]

    assert kwartaal["schema"] == {"type": "string", "pattern": r"^20\d\d-K[1-4]$"}
    assert melding["schema"] == {"type": "string", "format": "uuid"}
