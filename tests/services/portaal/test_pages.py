"""The portal's pages with the bus replaced by prepared answers and a session made directly:
who gets in, what a form needs, what a refusal shows. (Logging in through the identity
provider itself is in tests/browser.)"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from services.portaal.app import create_app
from services.portaal.settings import PortaalSettings
from services.portaal.web.sessions import COOKIE, Session, SessionStore
from tests.services.portaal.recording import RecordingGateway
from wvggz.catalog import api_catalog

MELDING = str(uuid.uuid4())
SETTINGS = PortaalSettings(oidc_issuer="http://127.0.0.1:9")  # nobody listens there


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


def logged_in(client: TestClient, sessions: SessionStore, rol: str = "triagist") -> Session:
    session = sessions.open("token", f"{rol}.gm0402", (rol,), ("GM0402",), time.time() + 600)
    client.cookies.set(COOKIE, session.id)
    return session


def test_a_visitor_without_a_session_is_sent_to_the_login_and_back(client: TestClient) -> None:
    response = client.get("/werkvoorraad?pagina=2")

    assert response.status_code == 303
    assert response.headers["location"] == "/inloggen?terug=/werkvoorraad%3Fpagina%3D2"


def test_an_idle_session_has_ended(client: TestClient, gateway: RecordingGateway) -> None:
    idle = SessionStore(idle_seconds=0.01)
    app = create_app(SETTINGS, api_catalog(), gateway=gateway, sessions=idle)
    with TestClient(app, follow_redirects=False) as fresh:
        logged_in(fresh, idle)
        time.sleep(0.05)
        response = fresh.get("/werkvoorraad")

    assert response.status_code == 303 and gateway.sent == []


def test_the_werkvoorraad_asks_each_list_the_role_may_read_a_page_at_a_time(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    logged_in(client, sessions)
    row = {"melding_id": MELDING, "dagen_over": 3.5, "stoplicht": "oranje"}
    gateway.replies.append({"ok": True, "data": [row], "total": 120})

    response = client.get("/werkvoorraad?pagina=2")

    [(subject, body, token)] = gateway.sent
    assert subject == "wvggz.qry.meldpunt.werkvoorraad" and token == "token"
    assert body["page"] == 2 and body["page_size"] == 50
    assert gateway.acting == [{"Wvggz-Rol": "triagist", "Wvggz-Gemeente": "GM0402"}]
    assert "Waarschuwing" in response.text and "pagina 2 van 3" in response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]


def test_a_form_without_its_form_token_is_refused_and_nothing_is_sent(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    logged_in(client, sessions)

    response = client.post(
        f"/meldingen/{MELDING}/rond-triage-af", data={"uitkomst": "regulier", "_csrf": "vals"}
    )

    assert response.status_code == 403 and gateway.sent == []


def test_a_refusal_shows_beside_its_field_and_keeps_what_was_typed(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    session = logged_in(client, sessions)
    error = {"code": "rule_violated", "message": "bij uitkomst regulier hoort een doorverwijzing"}
    gateway.replies.append({"ok": False, "error": error | {"field": "doorverwezen_naar"}})

    response = client.post(
        f"/meldingen/{MELDING}/rond-triage-af",
        data={
            "_csrf": session.csrf,
            "_command_id": str(uuid.uuid4()),
            "uitkomst": "regulier",
            "antwoorden.ernstig_nadeel.motivatie": "Zoals gemeld.",
        },
    )

    [(_subject, body, _token)] = gateway.sent
    assert body["case_id"] == MELDING and body["payload"]["melding_id"] == MELDING
    assert response.status_code == 422
    assert 'id="veld-doorverwezen-naar-fout"' in response.text
    assert "Zoals gemeld." in response.text
    assert response.text.count("bij uitkomst regulier hoort een doorverwijzing") == 2


def test_logging_out_needs_the_form_token_and_ends_the_session(
    client: TestClient, sessions: SessionStore
) -> None:
    session = logged_in(client, sessions)

    forged = client.post("/uitloggen", data={"_csrf": "vals"})
    real = client.post("/uitloggen", data={"_csrf": session.csrf})

    assert forged.status_code == 403
    assert real.status_code == 303 and real.headers["location"] == "/"
    assert sessions.get(session.id) is None


def test_a_user_with_several_roles_chooses_among_their_own_only(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    session = sessions.open(
        "token", "multi.gm0402", ("consulent", "triagist"), ("GM0402",), time.time() + 600
    )
    client.cookies.set(COOKIE, session.id)

    chosen = client.post(
        "/kies", data={"_csrf": session.csrf, "rol": "triagist", "gemeente": "GM0402"}
    )
    not_theirs = client.post(
        "/kies", data={"_csrf": session.csrf, "rol": "burgemeester", "gemeente": "GM0402"}
    )
    gateway.replies.append({"ok": True, "data": [], "total": 0})
    client.get("/werkvoorraad")

    assert chosen.status_code == 303 and not_theirs.status_code == 403
    assert session.rol == "triagist"
    assert gateway.acting == [{"Wvggz-Rol": "triagist", "Wvggz-Gemeente": "GM0402"}]


def test_the_werkvoorraad_shows_one_colour_when_asked(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    logged_in(client, sessions)
    gateway.replies.append({"ok": True, "data": [], "total": 0})

    response = client.get("/werkvoorraad?stoplicht=rood")

    [(_subject, body, _token)] = gateway.sent
    assert body["filters"] == {"stoplicht": "rood"}
    assert '<option value="rood" selected>' in response.text


def test_the_start_of_a_case_number_is_looked_up_by_the_service(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    logged_in(client, sessions)
    gateway.replies.append({"ok": True, "data": [], "total": 0})

    client.get("/werkvoorraad?zaak=8C7F1E6A")

    [(_subject, body, _token)] = gateway.sent
    assert body["filters"] == {"melding_id": "8c7f1e6a*"}


def test_a_login_callback_from_another_browser_logs_nobody_in(
    client: TestClient, sessions: SessionStore
) -> None:
    state, _pending = sessions.begin("/werkvoorraad")

    response = client.get(f"/auth/callback?code=abc&state={state}")  # no cookie of this login

    assert response.status_code == 400 and COOKIE not in response.cookies


def test_logging_out_without_a_session_changes_nothing(client: TestClient) -> None:
    response = client.post("/uitloggen", data={"_csrf": "x"})

    assert response.status_code == 303 and response.headers["location"] == "/"


@pytest.mark.parametrize("token", ["é", "x" * 10_000])
def test_a_strange_form_token_is_refused_not_an_error(
    client: TestClient, sessions: SessionStore, token: str
) -> None:
    logged_in(client, sessions)

    response = client.post("/kies", data={"_csrf": token, "rol": "triagist", "gemeente": "GM0402"})

    assert response.status_code == 403


@pytest.mark.parametrize("query", ["pagina=²", "pagina=" + "1" * 5000, "positie=²"])
def test_strange_numbers_in_a_url_are_ignored(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway, query: str
) -> None:
    logged_in(client, sessions)
    gateway.replies.append({"ok": True, "data": [], "total": 0})

    response = client.get(f"/werkvoorraad?{query}")

    assert response.status_code == 200 and gateway.sent[0][1]["page"] == 1


def test_a_dossier_shows_what_other_collections_hold_about_the_case(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    logged_in(client, sessions, rol="crisisdienst")
    crisis_id = "3f9d6e74-2439-42fb-bc05-0a1a6f131d26"
    afschrift = {"brief_id": MELDING, "ontvanger": "igj", "fase": "afgeleverd", "zaak": crisis_id}
    gateway.replies += [
        {"ok": True, "data": {"crisis_id": crisis_id, "stappen": [], "versie": 3}},
        {"ok": True, "data": {"fase": "crisismaatregel loopt", "acties": []}},
        {"ok": True, "data": [afschrift], "total": 1},
    ]

    response = client.get(f"/crisiszaken/{crisis_id}")

    related = [body for subject, body, _token in gateway.sent if subject.endswith(".brieven")]
    assert related == [{"params": {}, "page": 1, "page_size": 50, "filters": {"zaak": crisis_id}}]
    assert "Brieven van deze zaak" in response.text
    assert "igj" in response.text and "afgeleverd" in response.text
    assert f'href="/brieven/{MELDING}"' not in response.text, "crisis staff read no letter"
