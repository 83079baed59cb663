"""The crisis contracts: event types, personal-data marks, JSON round trips, the decision union."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from pydantic import BaseModel, ValidationError
from wvggz_contracts import crisis
from wvggz_contracts.crisis import (
    EVENTS,
    HoormandaatGeregistreerd,
    MandaatBewijs,
    NeemBesluit,
    Oplegging,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.personal import personal_fields
from wvggz_contracts.subjects import event_subject

from services.crisis.domain import mandaat_id_for
from tests.contracts.introspection import models_of, text_fields
from tests.services.crisis.fixtures import CRISIS_ID, GEMEENTE, NU, besloten
from tests.services.crisis.test_verloop import voortgezet

NIET_PERSOONLIJK = {
    "gemeente",
    "partij",
    "zorgaanbieder",
    "rechtsmiddel",
    "rechtsgrond",
    "psychiater",
    "hoorder",
    "gevraagd_door",
    "heropend_door",
    "vastgelegd_door",
    "besloten_door",
    "beeindigd_door",
    "geregistreerd_door",
    "loco",
    "mandaat.partij",
    "reden",  # only in the mandate register: why a contract ended, not about a person
}
"""Text fields that are no personal data: codes, organisations, staff pseudonyms, legal texts."""

MODELLEN = models_of(crisis)


def test_every_event_is_registered_under_a_versioned_crisis_type() -> None:
    events = [m for m in MODELLEN if issubclass(m, DomainEvent)]

    assert set(EVENTS.models.values()) == set(events)
    for event_type in EVENTS.models:
        assert re.fullmatch(r"nl\.wvggz\.crisis\.[a-z]+(-[a-z0-9]+)*\.v1", event_type)
        assert event_subject(event_type, GEMEENTE).startswith(f"wvggz.evt.crisis.{GEMEENTE}.")
    assert "nl.wvggz.crisis.afschrift-klaargezet.v1" in EVENTS


@pytest.mark.parametrize("model", MODELLEN, ids=lambda m: m.__name__)
def test_every_free_text_field_about_a_person_is_marked_personal(model: type[BaseModel]) -> None:
    marked = set(personal_fields(model))
    ongemarkeerd = {
        veld
        for veld in text_fields(model) - marked
        if veld not in NIET_PERSOONLIJK and veld.rsplit(".", 1)[-1] not in NIET_PERSOONLIJK
    }
    assert not ongemarkeerd


@pytest.mark.parametrize(
    ("model", "veld", "soort"),
    [
        (crisis.CrisisGemeld, "situatie", "bijzonder"),
        (crisis.CrisisGemeld, "betrokkene.bsn", "bsn"),
        (crisis.CrisisGemeld, "betrokkene.naam", "gewoon"),
        (crisis.HoorverslagVastgelegd, "wensen_en_voorkeuren", "bijzonder"),
        (crisis.HoorverslagVastgelegd, "toestemming_gegevens_pvp", "gewoon"),
        (crisis.MedischeVerklaringOpgesteld, "criteria.verzet_tegen_zorg.voldaan", "bijzonder"),
        (crisis.OvjGegevensOntvangen, "eerdere_crisismaatregelen", "bijzonder"),
        (crisis.BesluitGenomen, "verplichte_zorg", "bijzonder"),
        (crisis.AfschriftKlaargezet, "aan", "gewoon"),
        (crisis.AdvocaatToewijzingGevraagd, "betrokkene.bsn", "bsn"),
    ],
)
def test_personal_data_is_marked_by_kind(model: type[BaseModel], veld: str, soort: str) -> None:
    assert personal_fields(model)[veld] == soort


def alle_events() -> list[DomainEvent]:
    mandaat = [
        HoormandaatGeregistreerd(
            register_id=mandaat_id_for(GEMEENTE),
            gemeente=GEMEENTE,
            partij="Vcare",
            geldig_van=datetime(2026, 1, 1, 8, tzinfo=UTC),
            geldig_tot=date(2026, 12, 31),
            geregistreerd_door="beheer-1",
            geregistreerd_op=NU,
        )
    ]
    return [*besloten(advocaat=None), *voortgezet()[len(besloten()) :], *mandaat]


def test_every_event_survives_a_json_round_trip() -> None:
    events = alle_events()
    assert len({type(e) for e in events}) >= 10

    for event in events:
        data = json.loads(event.model_dump_json())
        terug = EVENTS.parse(event.event_type, data)
        assert terug == event
        assert terug.model_dump_json() == event.model_dump_json()


def test_a_mandate_bound_stays_a_date_or_a_moment() -> None:
    bewijs = MandaatBewijs(partij="Vcare", geldig_van="2026-01-01", geldig_tot="2026-06-30T17:00Z")

    terug = MandaatBewijs.model_validate_json(bewijs.model_dump_json())

    assert type(terug.geldig_van) is date
    assert terug.geldig_tot == datetime(2026, 6, 30, 17, tzinfo=UTC)
    with pytest.raises(ValidationError):
        MandaatBewijs(partij="Vcare", geldig_van="2026-01-01T12:00")  # no offset


def test_the_decision_is_a_union_told_apart_by_its_uitkomst() -> None:
    genomen = NeemBesluit.model_validate_json(
        json.dumps(
            {
                "crisis_id": str(CRISIS_ID),
                "besloten_op": "2026-11-03T04:30:00+01:00",
                "besluit": {
                    "uitkomst": "genomen",
                    "verplichte_zorg": ["opname"],
                    "zorgaanbieder": "GGZ Centraal",
                    "geneesheer_directeur": "Dr. G",
                    "zorgverantwoordelijke": "Dr. Z",
                    "rechtsmiddel": "Beroep.",
                    "motivatie": "Criteria voldaan.",
                },
            }
        )
    )
    assert isinstance(genomen.besluit, Oplegging)
    with pytest.raises(ValidationError):
        NeemBesluit.model_validate(
            {"crisis_id": str(CRISIS_ID), "besluit": {"uitkomst": "genomen", "motivatie": "x"}}
        )
    with pytest.raises(ValidationError):
        NeemBesluit.model_validate(
            {"crisis_id": str(CRISIS_ID), "besluit": {"uitkomst": "misschien", "motivatie": "x"}}
        )
