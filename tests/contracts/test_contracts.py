"""Envelope, subjects, personal-data marks and the BSN type."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import TypeAdapter, ValidationError
from wvggz_contracts.bsn import Bsn
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.meldpunt import MeldingOntvangen
from wvggz_contracts.personal import PERSONAL_DATA_KEY, personal_fields
from wvggz_contracts.subjects import (
    PARTNERS_ALL,
    command_subject,
    event_subject,
    events_of,
    partner_stream,
    partner_subject,
    query_subject,
)


@pytest.mark.parametrize("valid", ["111222333", "999999990", "12345672"])
def test_a_bsn_passing_the_elfproef_is_accepted(valid: str) -> None:
    assert TypeAdapter(Bsn).validate_python(valid) == valid.zfill(9)


@pytest.mark.parametrize("invalid", ["123456789", "000000000", "12345", "abcdefghi"])
def test_a_bsn_failing_the_elfproef_is_refused(invalid: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Bsn).validate_python(invalid)


def test_event_subjects_carry_procedure_gemeente_event_and_version_only() -> None:
    subject = event_subject("nl.wvggz.meldpunt.melding-ontvangen.v1", "GM0402")

    assert subject == "wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1"
    assert events_of("meldpunt") == "wvggz.evt.meldpunt.*.>"
    assert (
        command_subject("meldpunt", "registreer-melding") == "wvggz.cmd.meldpunt.registreer-melding"
    )
    assert query_subject("onderzoek", "werkvoorraad") == "wvggz.qry.onderzoek.werkvoorraad"


@pytest.mark.parametrize(
    ("event_type", "gemeente"),
    [
        ("melding-ontvangen", "GM0402"),
        ("nl.wvggz.meldpunt.x.v1", "Hilversum"),
        ("nl.wvggz.meldpunt.x.v1", "GM0402.>"),
    ],
)
def test_a_subject_cannot_be_made_from_anything_else(event_type: str, gemeente: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        event_subject(event_type, gemeente)


def test_a_partners_notifications_go_to_its_own_subjects_and_stream() -> None:
    subject = partner_subject("demo", "GM0402", "nl.wvggz.crisis.afschrift-klaargezet.v1")

    assert subject == "wvggz.partner.demo.GM0402.crisis.afschrift-klaargezet.v1"
    assert subject.startswith(PARTNERS_ALL[:-1])
    assert partner_stream("demo") == "WVGGZ_PARTNER_DEMO"
    assert partner_stream("ggd-regio") == "WVGGZ_PARTNER_GGD_REGIO"


@pytest.mark.parametrize(
    ("partner", "gemeente", "event_type"),
    [
        ("demo", "GM0402", "nl.wvggz.audit.autorisatie-geweigerd.v1"),
        ("demo", "GM0402", "afschrift-klaargezet"),
        ("demo", "*", "nl.wvggz.crisis.afschrift-klaargezet.v1"),
        ("Demo", "GM0402", "nl.wvggz.crisis.afschrift-klaargezet.v1"),
        ("om.>", "GM0402", "nl.wvggz.crisis.afschrift-klaargezet.v1"),
        ("demo\n", "GM0402", "nl.wvggz.crisis.afschrift-klaargezet.v1"),
    ],
)
def test_a_partner_subject_cannot_be_made_from_anything_else(
    partner: str, gemeente: str, event_type: str
) -> None:
    with pytest.raises(ValueError, match=r"not a|subject token"):
        partner_subject(partner, gemeente, event_type)
    if partner != "demo":
        with pytest.raises(ValueError, match="subject token"):
            partner_stream(partner)


def test_personal_data_is_marked_per_field_including_nested_models() -> None:
    marked = personal_fields(MeldingOntvangen)

    assert marked["betrokkene.bsn"] == "bsn"
    assert marked["betrokkene.naam"] == "gewoon"
    assert marked["melder.naam"] == "gewoon"
    assert marked["situatie"] == "bijzonder"
    assert "gemeente" not in marked and "melding_id" not in marked


def test_personal_data_marks_appear_in_the_json_schema() -> None:
    schema = MeldingOntvangen.model_json_schema()

    assert schema["properties"]["situatie"][PERSONAL_DATA_KEY] == "bijzonder"
    assert PERSONAL_DATA_KEY not in schema["properties"]["gemeente"]


def test_the_envelope_refuses_a_subject_that_is_not_a_case_uuid() -> None:
    fields = {
        "id": uuid.uuid4(),
        "source": source_urn("0" * 20, "meldpunt"),
        "type": "nl.wvggz.meldpunt.melding-ontvangen.v1",
        "time": datetime.now(UTC),
        "gemeente": "GM0402",
        "correlationid": uuid.uuid4(),
        "causationid": uuid.uuid4(),
        "actor": "t-1",
        "sequence": "7",
        "data": {},
    }

    assert CloudEvent(subject=uuid.uuid4(), **fields).specversion == "1.0"
    with pytest.raises(ValidationError, match="subject"):
        CloudEvent(subject="111222333", **fields)
