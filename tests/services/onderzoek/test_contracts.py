"""The onderzoek contracts: event types, cross-service fields, personal-data marks, round trips."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel
from wvggz_contracts import onderzoek
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import TriageAfgerond
from wvggz_contracts.onderzoek import (
    EVENTS,
    BriefInhoud,
    GgzConsultatieVastgelegd,
    MelderBriefKlaargezet,
    OpenVerkennendOnderzoek,
    VoAfgesloten,
    VoGeopend,
)
from wvggz_contracts.personal import personal_fields
from wvggz_contracts.rechtstijd import TIJDZONE
from wvggz_contracts.subjects import event_subject

from services.onderzoek.domain import make_rulebook
from tests.contracts.introspection import models_of, text_fields
from tests.services.onderzoek.fixtures import (
    DRIE_KEER_JA,
    GEOPEND_OP,
    RAPPORT,
    REGIO,
    SYSTEEM,
    VO_ID,
    cmd,
    open_vo,
    vo_geopend,
)

NIET_PERSOONLIJK = {"vo_id", "melding_id", "verzoek_id", "rapport_id", "gemeente", "referentie"}
NIET_PERSOONLIJK |= {"consulent", "consultant", "organisatie"}
"""Text fields that are no personal data: ids, codes, staff pseudonyms, organisations."""

MODELLEN = models_of(onderzoek)


def test_every_event_is_registered_under_a_versioned_onderzoek_type() -> None:
    events = [m for m in MODELLEN if issubclass(m, DomainEvent)]

    assert set(EVENTS.models.values()) == set(events)
    for event_type in EVENTS.models:
        assert re.fullmatch(r"nl\.wvggz\.onderzoek\.[a-z]+(-[a-z]+)*\.v1", event_type)
        assert event_subject(event_type, "GM0402").startswith("wvggz.evt.onderzoek.GM0402.")


def test_the_cross_service_events_keep_their_fields() -> None:
    assert list(VoGeopend.model_fields) == [
        "vo_id",
        "melding_id",
        "gemeente",
        "geopend_op",
        "melding_ontvangen_op",
        "deadline",
        "waarschuwing_op",
        "jeugd",
        "kinderpsychiatrie_nodig",
        "betrokkene",
        "melder",
        "situatie",
    ]
    assert list(VoAfgesloten.model_fields) == [
        "vo_id",
        "melding_id",
        "gemeente",
        "reden",
        "toelichting",
        "afgesloten_op",
    ]


def test_opening_takes_every_field_from_the_triage_event_including_its_deadline() -> None:
    velden = OpenVerkennendOnderzoek.model_fields

    assert set(velden) <= set(TriageAfgerond.model_fields)
    assert velden["vo_termijn_eind"].is_required()


@pytest.mark.parametrize("model", MODELLEN, ids=lambda m: m.__name__)
def test_every_text_about_a_person_is_marked_personal_data(model: type[BaseModel]) -> None:
    unmarked = {
        path
        for path in text_fields(model) - set(personal_fields(model))
        if path.rsplit(".", 1)[-1] not in NIET_PERSOONLIJK
    }

    assert unmarked == set()


def test_health_judgements_and_free_text_are_special_category() -> None:
    marks = personal_fields(onderzoek.ToetsBeoordeeld)
    assert marks["aannemelijk"] == marks["motivatie"] == "bijzonder"
    assert personal_fields(VoGeopend)["situatie"] == "bijzonder"
    assert personal_fields(VoGeopend)["betrokkene.bsn"] == "bsn"
    assert personal_fields(VoAfgesloten) == {"toelichting": "bijzonder"}
    assert personal_fields(onderzoek.AanvraagIngediend)["gronden.ernstig_nadeel.aannemelijk"] == (
        "bijzonder"
    )


def test_a_melder_letter_carries_no_health_details() -> None:
    assert personal_fields(BriefInhoud) == {}
    assert {p for p in personal_fields(MelderBriefKlaargezet)} <= {
        f"aan.{name}" for name in ("naam", "telefoon", "email", "adres")
    }


def round_trip(event: DomainEvent) -> DomainEvent:
    return EVENTS.parse(event.event_type, event.model_dump(mode="json"))


def test_events_the_decider_makes_equal_themselves_after_a_json_round_trip() -> None:
    # A melding in the autumn's repeated hour puts the deadline in it too.
    ontvangen = datetime(2026, 10, 11, 2, 30, tzinfo=TIJDZONE)
    decider = make_rulebook(REGIO).decider
    payload: Any = open_vo(
        melding_ontvangen_op=ontvangen,
        vo_termijn_eind=datetime(2026, 10, 25, 2, 30, tzinfo=TIJDZONE),
    )
    assert isinstance(payload, OpenVerkennendOnderzoek)
    [geopend] = decider.decide(cmd(payload, SYSTEEM, GEOPEND_OP), decider.initial_state)

    assert round_trip(geopend) == geopend
    for event in (vo_geopend(), *DRIE_KEER_JA, RAPPORT):
        assert round_trip(event) == event


def test_hours_keep_their_decimal_precision() -> None:
    event = GgzConsultatieVastgelegd(
        vo_id=VO_ID,
        consultant="ggz-1",
        datum=GEOPEND_OP.date(),
        uren=Decimal("0.25"),
        onderwerp="x",
        totaal_uren=Decimal("2.10"),
        budget_uren=Decimal(2),
    )

    assert round_trip(event) == event
