"""Forms derived from payload models, and submitted forms back into payloads."""

from __future__ import annotations

import pytest
from wvggz_contracts.crisis import NeemBesluit
from wvggz_contracts.meldpunt import RegistreerMelding, RondTriageAf

from services.portaal.web.forms import (
    Fieldset,
    Unreadable,
    all_fields,
    form_for,
    mark_error,
    payload_from,
)
from services.portaal.web.site import leesbaar


def test_nested_objects_become_fieldsets_and_the_case_id_a_hidden_field() -> None:
    items = form_for(RondTriageAf, fixed={"melding_id": "m-1"})

    kinds = {f.name: f.kind for f in all_fields(items)}
    assert kinds["melding_id"] == "hidden"
    assert kinds["antwoorden.ernstig_nadeel.aannemelijk"] == "ja-nee"
    assert kinds["uitkomst"] == "select" and kinds["doorverwezen_naar"] == "select"
    assert any(isinstance(item, Fieldset) and item.name == "antwoorden" for item in items)


def test_a_submitted_form_becomes_the_nested_payload_without_empty_optionals() -> None:
    items = form_for(RondTriageAf, fixed={"melding_id": "m-1"})
    form = {
        "melding_id": "m-1",
        "antwoorden.ernstig_nadeel.aannemelijk": "ja",
        "antwoorden.ernstig_nadeel.motivatie": "Omdat.",
        "uitkomst": "regulier",
        "afwijking_motivatie": "   ",
    }

    payload = payload_from(items, form)

    assert payload == {
        "melding_id": "m-1",
        "antwoorden": {"ernstig_nadeel": {"aannemelijk": True, "motivatie": "Omdat."}},
        "uitkomst": "regulier",
    }


def test_a_local_date_time_is_sent_as_amsterdam_time() -> None:
    items = form_for(RegistreerMelding)

    payload = payload_from(items, {"ontvangen_op": "2026-07-01T10:30"})

    assert payload["ontvangen_op"] == "2026-07-01T10:30:00+02:00"


def test_json_that_does_not_parse_is_refused_before_sending() -> None:
    items = form_for(RegistreerMelding)

    with pytest.raises(Unreadable) as refused:
        payload_from(items, {"vragenlijst": "{niet"})

    assert refused.value.name == "vragenlijst"


def test_the_services_error_lands_on_the_field_it_names_or_the_nearest_enclosing_one() -> None:
    items = form_for(RegistreerMelding)

    exact = mark_error(items, "payload.betrokkene.bsn", "payload.betrokkene.bsn: fout")
    deeper = mark_error(items, "payload.vragenlijst.vraag-1", "te lang")
    nowhere = mark_error(items, "case_id", "andere zaak")

    assert exact is not None and exact.name == "betrokkene.bsn" and exact.error == "fout"
    assert deeper is not None and deeper.name == "vragenlijst"
    assert nowhere is None


def test_a_decision_is_one_of_its_variants_and_only_the_chosen_one_is_sent() -> None:
    items = form_for(NeemBesluit, fixed={"crisis_id": "c-1"})
    form = {
        "crisis_id": "c-1",
        "besluit": "genomen",
        "besluit.genomen.verplichte_zorg": "opname\nmedicatie",
        "besluit.genomen.zorgaanbieder": "GGZ Centraal",
        "besluit.afgewezen.motivatie": "niet meegestuurd",
    }

    payload = payload_from(items, form)
    placed = mark_error(items, "payload.besluit.genomen.rechtsmiddel", "verplicht")

    assert payload["besluit"] == {
        "uitkomst": "genomen",
        "verplichte_zorg": ["opname", "medicatie"],
        "zorgaanbieder": "GGZ Centraal",
    }
    assert placed is not None and placed.name == "besluit.genomen.rechtsmiddel"


def test_moments_are_shown_as_dutch_time() -> None:
    assert leesbaar("2026-12-01T21:24:50.876427Z") == "1-12-2026 22:24"
    assert leesbaar("2026-07-01T08:00:00+00:00") == "1-7-2026 10:00"
    assert leesbaar("GM0402") == "GM0402" and leesbaar(16.5) == "16.5"
