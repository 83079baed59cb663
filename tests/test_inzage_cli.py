"""`wvggz inzage` without a platform: the BSN is checked before anything is asked or written, the
answers become a readable PDF, and the export is its owner's alone."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import nats.errors
import pytest
from nats.aio.client import Client as Nats
from pypdf import PdfReader

from wvggz import cli, inzage
from wvggz.connection import Connection

BSN = "111222333"
ZAAK_MELDING = "3f1c8c7e-0d7a-4a57-9d55-0b3c2a7e5a11"
ZAAK_VERNIETIGD = "7b2e1d90-5c44-4e0f-8a3a-6f9d1c2b4e22"
ZAAK_BRIEF = "c0ffee00-1234-4abc-8def-001122334455"
LEZER = "triagist.gm0402"


def stap(positie: int, type_: str, gegevens: dict[str, Any]) -> dict[str, Any]:
    return {
        "positie": positie,
        "versie": positie,
        "type": type_,
        "op": "2026-03-07T13:05:00+00:00",
        "door": "triagist.gm0402",
        "rol": "triagist",
        "gegevens": gegevens,
    }


def dossier(zaak: str, stroom: str, vernietigd: bool, *stappen: dict[str, Any]) -> dict[str, Any]:
    return {
        "stroom": f"{stroom}-{zaak}",
        "zaak": zaak,
        "gemeente": "GM0402",
        "vernietigd": vernietigd,
        "gebeurtenissen": list(stappen),
        "inzagen": [
            {
                "query": "dossier",
                "actor": LEZER,
                "rol": "triagist",
                "uitkomst": "getoond",
                "ingezien_op": "2026-03-08T09:00:00+00:00",
            }
        ],
    }


MELDPUNT = {
    "dienst": "meldpunt",
    "dossiers": [
        dossier(
            ZAAK_MELDING,
            "melding",
            False,
            stap(
                1,
                "nl.wvggz.meldpunt.melding-ontvangen.v1",
                {
                    "betrokkene": {"naam": "Zwaantje Markeerhuis", "bsn": BSN},
                    "signalen": ["eet niet", {"ernst": "hoog"}],
                    "spoed": True,
                },
            ),
            stap(2, "nl.wvggz.meldpunt.triage-afgerond.v1", {"uitkomst": "crisis"}),
        ),
        dossier(
            ZAAK_VERNIETIGD,
            "melding",
            True,
            stap(1, "nl.wvggz.meldpunt.melding-ontvangen.v1", {"betrokkene": "vernietigd"}),
        ),
    ],
}
BRIEVEN = {
    "dienst": "notificaties",
    "dossiers": [
        dossier(ZAAK_BRIEF, "brief", False, stap(1, "nl.wvggz.notificaties.brief-gemaakt.v1", {}))
    ],
}


class Bus:
    """Replies to the inzage query as the services would, and remembers what it was asked."""

    def __init__(self, replies: dict[str, Any]) -> None:
        self.replies = replies
        self.asked: list[tuple[str, dict[str, Any]]] = []

    async def request(
        self, subject: str, data: bytes, _within: float, headers: dict[str, str]
    ) -> Any:
        service = subject.split(".")[2]
        self.asked.append((service, json.loads(data)["params"]))
        reply = self.replies.get(service, ok({"dienst": service, "dossiers": []}))
        if isinstance(reply, Exception):
            raise reply
        return argparse.Namespace(data=json.dumps(reply).encode())

    async def close(self) -> None:
        pass


def ok(data: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "data": data}


@dataclass(frozen=True)
class FakeConnection(Connection):
    """A connection to the fake bus; without one, asking anything fails the test."""

    bus: Bus | None = field(default=None, compare=False)

    async def client(self, identity: str = "cli") -> Nats:
        assert self.bus is not None, "nothing may be asked"
        return cast(Nats, self.bus)


def connection(bus: Bus | None = None) -> FakeConnection:
    return FakeConnection("nats://127.0.0.1:1", Path("/nonexistent"), "http://127.0.0.1:1", bus=bus)


def arguments(uit: Path, verzoek: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(uit=uit, verzoek=verzoek, gebruiker="functioneel-beheer.gm0402")


def tekst_van(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WVGGZ_TOKEN", "test-token")


@pytest.mark.parametrize("invoer", ["111222334", "", "   ", "12345", "11122233a", "000000000"])
async def test_a_bad_or_empty_bsn_asks_nothing_and_writes_nothing(
    tmp_path: Path, invoer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    uit = tmp_path / "uit"
    assert await inzage.run(arguments(uit), connection(), print, invoer) == 2
    assert not uit.exists()
    err = capsys.readouterr().err
    assert "BSN" in err and "fout" in err


def test_the_command_reads_the_bsn_from_standard_input_and_refuses_a_bad_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    uit = tmp_path / "uit"
    monkeypatch.setattr("sys.stdin", io.StringIO("111222334\n"))
    assert cli.main(["inzage", "--uit", str(uit), "--nats-url", "nats://127.0.0.1:1"]) == 2
    assert not uit.exists()
    assert "elfproef" in capsys.readouterr().err


@pytest.mark.parametrize("verzoek", [f"AVG-2026-{BSN}", "AVG 111 222 333", "x" * 101])
def test_a_bsn_or_a_long_text_in_the_request_reference_is_refused(
    tmp_path: Path, verzoek: str, capsys: pytest.CaptureFixture[str]
) -> None:
    uit = tmp_path / "uit"
    with pytest.raises(SystemExit) as exit_:
        cli.main(["inzage", "--uit", str(uit), "--verzoek", verzoek])
    assert exit_.value.code == 2
    assert not uit.exists()
    err = capsys.readouterr().err
    assert "verzoek" in err and BSN not in err and "111 222 333" not in err


async def test_a_bsn_in_the_reference_is_refused_in_process_too(tmp_path: Path) -> None:
    uit = tmp_path / "uit"
    said: list[str] = []
    run = inzage.run(arguments(uit, f"ref {BSN}"), connection(), said.append, BSN)
    assert await run == 2
    assert not uit.exists()


async def test_the_export_holds_every_answer_as_json_and_a_readable_pdf_owner_only(
    tmp_path: Path,
) -> None:
    uit = tmp_path / "export" / "uit"
    bus = Bus({"meldpunt": ok(MELDPUNT), "notificaties": ok(BRIEVEN)})
    said: list[str] = []
    code = await inzage.run(arguments(uit, "AVG-2026-17"), connection(bus), said.append, BSN)
    assert code == 0, said
    assert said[:4] == [
        "[1/4] meldpunt: 2 dossiers",
        "[2/4] onderzoek: 0 dossiers",
        "[3/4] crisis: 0 dossiers",
        "[4/4] notificaties: 1 dossier",
    ]
    assert not any(BSN in line for line in said)
    # notificaties is asked for the cases found elsewhere; the others by BSN alone.
    assert bus.asked == [
        ("meldpunt", {"bsn": BSN}),
        ("onderzoek", {"bsn": BSN}),
        ("crisis", {"bsn": BSN}),
        ("notificaties", {"bsn": BSN, "zaken": [ZAAK_MELDING, ZAAK_VERNIETIGD]}),
    ]

    assert stat.S_IMODE(uit.stat().st_mode) == 0o700
    assert sorted(p.name for p in uit.iterdir()) == ["inzage.json", "inzage.pdf", "manifest.json"]
    for bestand in uit.iterdir():
        assert stat.S_IMODE(bestand.stat().st_mode) == 0o600, bestand
    manifest = json.loads((uit / "manifest.json").read_text())
    assert set(manifest) == {"inzage.json", "inzage.pdf"}
    for naam, sha256 in manifest.items():
        assert hashlib.sha256((uit / naam).read_bytes()).hexdigest() == sha256

    export = json.loads((uit / "inzage.json").read_text())
    assert export["verzoek"] == "AVG-2026-17" and export["gemeente"] == "GM0402"
    assert [d["dienst"] for d in export["diensten"]] == [
        "meldpunt",
        "onderzoek",
        "crisis",
        "notificaties",
    ]
    assert BSN not in json.dumps({k: v for k, v in export.items() if k != "diensten"})

    text = tekst_van((uit / "inzage.pdf").read_bytes())
    assert "Overzicht van gegevens (inzage, art. 15 AVG)" in text
    assert "AVG-2026-17" in text
    for naam in ("melding-ontvangen", "triage-afgerond", "brief-gemaakt"):
        assert naam in text, naam
    assert "nl.wvggz" not in text
    assert "vernietigd" in text and LEZER in text and ZAAK_VERNIETIGD in text
    assert "Zwaantje Markeerhuis" in text and "eet niet" in text and "hoog" in text
    assert "7 maart 2026 om 14:05 uur" in text  # the Amsterdam clock
    assert "Bij deze dienst is niets gevonden." in text
    assert "notificaties" in text.split("Toelichting")[-1]


def test_an_empty_result_says_that_nothing_was_found() -> None:
    leeg = {
        "opgesteld_op": "2026-03-07T13:05:00+00:00",
        "verzoek": None,
        "gemeente": None,
        "diensten": [{"dienst": d, "dossiers": []} for d in inzage.DIENSTEN],
    }
    text = tekst_van(inzage.pdf(leeg))
    assert "Er zijn bij geen van de diensten gegevens over de betrokkene gevonden." in text
    assert "geen kenmerk opgegeven" in text


REFUSED = {"ok": False, "error": {"code": "forbidden", "message": "alleen functioneel beheer"}}


@pytest.mark.parametrize(
    ("service", "reply", "said"),
    [
        ("onderzoek", nats.errors.TimeoutError(), "onderzoek: geen antwoord"),
        ("crisis", nats.errors.NoRespondersError(), "crisis: geen antwoord"),
        ("meldpunt", REFUSED, "meldpunt weigert: forbidden"),
    ],
)
async def test_a_refusal_or_no_answer_names_the_service_and_writes_nothing(
    tmp_path: Path, service: str, reply: Any, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    uit = tmp_path / "uit"
    bus = Bus({service: reply})
    assert await inzage.run(arguments(uit), connection(bus), print, BSN) == 1
    assert not uit.exists()
    err = capsys.readouterr().err
    assert said in err and "niets geschreven" in err


def test_the_short_name_of_an_event_type() -> None:
    assert inzage.kort_type("nl.wvggz.meldpunt.melding-ontvangen.v1") == "melding-ontvangen"
    assert inzage.kort_type("zonder-punten") == "zonder-punten"
