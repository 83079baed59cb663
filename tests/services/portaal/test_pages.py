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


OVERLEG = "5b0c5d3e-9a51-4f0e-8f3e-2f7c3f1d6a10"
VERGADERING = "0d6f2a8e-4c1b-4f7a-9e3d-6b5a4c3d2e1f"
PUNT = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
AFSPRAAK = "e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9"


def test_a_list_of_deelnemers_is_sent_without_its_empty_groups_and_a_refusal_finds_its_group(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    session = logged_in(client, sessions, rol="secretariaat")
    message = "payload.deelnemers.1.organisatie: hier horen geen gegevens over één persoon"
    error = {"code": "validation_failed", "message": message}
    gateway.replies.append(
        {"ok": False, "error": error | {"field": "payload.deelnemers.1.organisatie"}}
    )

    response = client.post(
        "/regio-overleggen/nieuw/stel-overleg-in",
        data={
            "_csrf": session.csrf,
            "_command_id": str(uuid.uuid4()),
            "overleg_id": OVERLEG,
            "naam": "Regio-overleg",
            "deelnemers.0.soort": "ovj",
            "deelnemers.0.organisatie": "Openbaar Ministerie",
            "deelnemers.3.soort": "college",
            "deelnemers.3.organisatie": "Casus 111222333",
        },
    )

    [(subject, body, _token)] = gateway.sent
    assert subject == "wvggz.cmd.overleg.stel-overleg-in"
    assert body["payload"]["deelnemers"] == [
        {"soort": "ovj", "organisatie": "Openbaar Ministerie"},
        {"soort": "college", "organisatie": "Casus 111222333"},
    ]
    assert response.status_code == 400
    assert 'id="veld-deelnemers-3-organisatie-fout"' in response.text
    assert 'href="#veld-deelnemers-3-organisatie">Deelnemer 4, organisatie: hier horen' in (
        response.text
    )
    assert 'value="Openbaar Ministerie"' in response.text
    assert ">Deelnemer 6 (niet verplicht)</legend>" in response.text


def test_more_groups_for_a_list_keep_what_was_typed_and_send_nothing(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    session = logged_in(client, sessions, rol="secretariaat")
    command_id = str(uuid.uuid4())

    response = client.post(
        "/regio-overleggen/nieuw/stel-overleg-in",
        data={
            "_csrf": session.csrf,
            "_command_id": command_id,
            "_meer": "deelnemers",
            "naam": "Regio-overleg",
            "deelnemers.5.organisatie": "GGZ Centraal",
        },
    )

    assert response.status_code == 200 and gateway.sent == []
    assert 'id="veld-deelnemers-11-soort"' in response.text
    assert 'id="veld-deelnemers-12-soort"' not in response.text
    assert 'value="GGZ Centraal"' in response.text and 'value="Regio-overleg"' in response.text
    assert f'name="_command_id" value="{command_id}"' in response.text


def overleg_dossier() -> dict[str, object]:
    return {
        "overleg_id": OVERLEG,
        "gemeente": "GM0402",
        "naam": "Regio-overleg Gooi en Vechtstreek",
        "deelnemers": [{"soort": "ovj", "organisatie": "Openbaar Ministerie", "gemeente": None}],
        "vergaderingen": [
            {
                "vergadering_id": VERGADERING,
                "datum": "2027-01-15T09:00:00Z",
                "kwartaal": "2027-K1",
                "agenda": [{"punt_id": PUNT, "thema": "toezicht", "titel": "Toezicht"}],
                "besproken_afspraken": [AFSPRAAK],
            }
        ],
        "afspraken": [
            {
                "afspraak_id": AFSPRAAK,
                "vergadering_id": VERGADERING,
                "omschrijving": "Cijfers aanleveren.",
                "status": "open",
            }
        ],
        "uren": [],
        "stappen": [],
        "versie": 5,
    }


def test_a_dossiers_records_show_with_the_actions_that_take_their_id(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    logged_in(client, sessions, rol="secretariaat")
    acties = ["plan-vergadering", "zet-op-agenda", "wijzig-afspraak-status", "escaleer-agendapunt"]
    gateway.replies += [
        {"ok": True, "data": overleg_dossier()},
        {"ok": True, "data": {"fase": "ingesteld", "acties": acties}},
        {"ok": True, "data": [], "total": 0},  # its letters: none
    ]

    response = client.get(f"/regio-overleggen/{OVERLEG}")

    text = response.text
    base = f"/regio-overleggen/{OVERLEG}"
    assert f'href="{base}/zet-op-agenda?vergadering_id={VERGADERING}"' in text
    assert f'href="{base}/wijzig-afspraak-status?afspraak_id={AFSPRAAK}"' in text
    assert (
        f'href="{base}/escaleer-agendapunt?punt_id={PUNT}&amp;vergadering_id={VERGADERING}"' in text
    )
    # Offered on its record, not without its id among what may be done on the overleg.
    assert text.count(f'{base}/zet-op-agenda"') == 0 and f'{base}/plan-vergadering"' in text
    assert '<span class="portaal-verborgen"> (15-1-2027 10:00)</span>' in text
    assert "Cijfers aanleveren." in text and "Toezicht" in text and "Openbaar Ministerie" in text
    # Ids are not for people, nor are empty lists.
    assert f">{AFSPRAAK}<" not in text and ">Uren<" not in text
    assert ">Besproken afspraken<" not in text


def test_a_part_says_when_a_list_is_empty_and_offers_the_actions_on_its_records(
    client: TestClient, sessions: SessionStore, gateway: RecordingGateway
) -> None:
    logged_in(client, sessions, rol="secretariaat")
    afspraak = overleg_dossier()["afspraken"][0]  # type: ignore[index]
    agenda = {"overleg_id": OVERLEG, "vergadering": None, "punten": [], "afspraken": [afspraak]}
    gateway.replies += [
        {"ok": True, "data": agenda},
        {"ok": True, "data": {"fase": "ingesteld", "acties": ["wijzig-afspraak-status"]}},
    ]

    response = client.get(f"/regio-overleggen/{OVERLEG}/agenda")

    assert response.status_code == 200
    assert '<h2 class="utrecht-heading-2" id="inhoud-punten">Punten</h2>' in response.text
    assert "Geen." in response.text and "Cijfers aanleveren." in response.text
    link = f'href="/regio-overleggen/{OVERLEG}/wijzig-afspraak-status?afspraak_id={AFSPRAAK}"'
    assert response.text.count(link) == 1
