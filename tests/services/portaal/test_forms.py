"""Forms derived from payload models, and submitted forms back into payloads."""

from __future__ import annotations

import pytest
from wvggz_contracts.crisis import NeemBesluit
from wvggz_contracts.meldpunt import RegistreerMelding, RondTriageAf
from wvggz_contracts.overleg import LegVerslagVast, StelOverlegIn

from services.portaal.web.forms import ROWS, Field, Fieldset, Rows, all_fields, all_rows, form_for
from services.portaal.web.site import leesbaar
from services.portaal.web.submitted import Unreadable, mark_error, payload_from


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


def test_a_list_of_small_objects_becomes_groups_of_fields_named_by_their_place() -> None:
    items = form_for(StelOverlegIn, defaults={"gemeente": "GM0402", "*text": "x"})

    [deelnemers] = all_rows(items)
    fields = {f.name: f for f in all_fields(items)}
    assert len(deelnemers.rows) == ROWS and deelnemers.required and deelnemers.more
    assert [row.legend for row in deelnemers.rows[:2]] == [
        "Deelnemer 1",
        "Deelnemer 2 (niet verplicht)",
    ]
    assert fields["deelnemers.0.soort"].kind == "select" and fields["deelnemers.0.soort"].required
    # A later group is optional as a whole: its soort is needed only once it is filled in.
    later = fields["deelnemers.5.soort"]
    assert not later.required and later.if_used and later.group == "Deelnemer 6"
    assert not fields["deelnemers.0.gemeente"].required
    assert "Per deelnemer verplicht: soort, organisatie." in deelnemers.description
    # Defaults fill the form's own fields, never a group (it would no longer be empty).
    assert fields["gemeente"].value == "GM0402" and fields["deelnemers.0.gemeente"].value == ""
    assert fields["deelnemers.0.organisatie"].value == ""
    assert fields["deelnemers.0.gemeente"].description == (
        "Alleen bij een college van B&W: de gemeente, zoals GM0402."
    )
    assert (
        fields["gemeente"].description == "De gemeente waarvan het secretariaat het overleg voert."
    )


def test_empty_groups_are_left_out_and_a_refusal_finds_the_group_it_came_from() -> None:
    items = form_for(StelOverlegIn)
    form = {
        "naam": "Regio-overleg",
        "deelnemers.0.soort": "",
        "deelnemers.0.organisatie": "  ",
        "deelnemers.1.soort": "ovj",
        "deelnemers.1.organisatie": "OM",
        "deelnemers.3.soort": "college",
        "deelnemers.3.organisatie": "College van B&W",
        "deelnemers.3.gemeente": "GM0402",
    }

    payload = payload_from(items, form)
    field = mark_error(
        items, "payload.deelnemers.1.mandaat", "payload.deelnemers.1.mandaat: te lang"
    )
    whole = mark_error(items, "deelnemers", "gemeente GM9999 hoort niet bij deze regio")

    assert payload["deelnemers"] == [
        {"soort": "ovj", "organisatie": "OM"},
        {"soort": "college", "organisatie": "College van B&W", "gemeente": "GM0402"},
    ]
    assert isinstance(field, Field)
    assert field.name == "deelnemers.3.mandaat" and field.error == "te lang"
    assert isinstance(whole, Rows) and whole.error == "gemeente GM9999 hoort niet bij deze regio"


def test_no_group_filled_in_sends_no_list() -> None:
    items = form_for(StelOverlegIn)

    payload = payload_from(items, {"naam": "Regio-overleg", "deelnemers.2.soort": ""})

    assert "deelnemers" not in payload


def test_a_form_sent_again_keeps_its_groups_and_gets_more_when_asked() -> None:
    kept = form_for(StelOverlegIn, submitted={"deelnemers.8.soort": "ovj"})
    more = form_for(StelOverlegIn, submitted={"deelnemers.5.soort": "", "_meer": "deelnemers"})
    absurd = form_for(StelOverlegIn, submitted={"deelnemers.99999.soort": "ovj"})
    strange = form_for(StelOverlegIn, submitted={"deelnemers.²³.soort": "ovj"})

    assert len(all_rows(kept)[0].rows) == 9
    assert len(all_rows(more)[0].rows) == 2 * ROWS
    assert len(all_rows(absurd)[0].rows) == ROWS  # not a group number the form can have
    assert len(all_rows(strange)[0].rows) == ROWS


def test_a_list_of_choices_from_an_enumeration_is_one_per_line() -> None:
    items = form_for(LegVerslagVast, fixed={"overleg_id": "o-1"})

    aanwezig = next(f for f in all_fields(items) if f.name == "aanwezig")
    payload = payload_from(items, {"aanwezig": "ovj\n\ncollege\n"})

    assert aanwezig.kind == "lijst"
    assert aanwezig.description is not None and "ovj, college, geneesheer-directeur" in (
        aanwezig.description
    )
    assert payload["aanwezig"] == ["ovj", "college"]
