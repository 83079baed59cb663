"""Domain specs of the letters to the melder: a receipt if reachable, next steps if entitled."""

from __future__ import annotations

from datetime import datetime

import pytest
from wvggz_contracts.commands import Actor
from wvggz_contracts.meldpunt import (
    BriefInhoud,
    BriefSoort,
    Doorverwijzing,
    MelderBriefKlaargezet,
    TriageAfgerond,
    TriageUitkomst,
)
from wvggz_contracts.personal import personal_fields
from wvggz_contracts.personen import RECHT_OP_TERUGKOPPELING, Melder, RelatieTotBetrokkene

from kernel.testing import DeciderSpec, command
from tests.services.meldpunt.fixtures import (
    MELDING,
    MOEDER,
    antwoorden,
    meldpunt_spec,
    ontvangen,
    rond_triage_af,
)


@pytest.fixture
def spec() -> DeciderSpec:
    return meldpunt_spec()


def test_an_entitled_melder_is_told_the_next_steps(
    spec: DeciderSpec, triagist: Actor, now: datetime
) -> None:
    melding = ontvangen(now, melder=MOEDER)
    triage = rond_triage_af(
        TriageUitkomst.REGULIER,
        antwoorden(True, False, False),
        doorverwezen_naar=Doorverwijzing.BEMOEIZORG,
    )

    [afgerond, brief] = (spec.given(melding).when(command(triage, triagist, now))).events

    assert isinstance(afgerond, TriageAfgerond)
    assert brief == MelderBriefKlaargezet(
        melding_id=MELDING,
        gemeente="GM0402",
        brief=BriefSoort.TRIAGE_VERVOLG,
        aan=MOEDER,
        inhoud=BriefInhoud(
            melding_ontvangen_op=melding.ontvangen_op,
            uitkomst=TriageUitkomst.REGULIER,
            doorverwezen_naar=Doorverwijzing.BEMOEIZORG,
        ),
    )


@pytest.mark.parametrize("relatie", sorted(RECHT_OP_TERUGKOPPELING))
def test_every_entitled_relation_gets_the_letter_even_without_contact_details(
    spec: DeciderSpec, triagist: Actor, now: datetime, relatie: RelatieTotBetrokkene
) -> None:
    melder = Melder(naam="N. Naaste", relatie=relatie)

    events = (
        spec.given(ontvangen(now, melder=melder)).when(command(rond_triage_af(), triagist, now))
    ).events

    assert [type(e) for e in events] == [TriageAfgerond, MelderBriefKlaargezet]


@pytest.mark.parametrize("relatie", sorted(set(RelatieTotBetrokkene) - RECHT_OP_TERUGKOPPELING))
def test_other_melders_hear_nothing_of_the_triage(
    spec: DeciderSpec, triagist: Actor, now: datetime, relatie: RelatieTotBetrokkene
) -> None:
    melder = Melder(naam="A. Buur", email="a@example.org", relatie=relatie)

    events = (
        spec.given(ontvangen(now, melder=melder)).when(command(rond_triage_af(), triagist, now))
    ).events

    assert [type(e) for e in events] == [TriageAfgerond]


def test_a_letter_says_nothing_special_about_the_betrokkene() -> None:
    marked = personal_fields(BriefInhoud)

    assert "bijzonder" not in marked.values()
    assert set(BriefInhoud.model_fields) == {
        "melding_ontvangen_op",
        "uitkomst",
        "doorverwezen_naar",
    }


def test_the_triage_event_marks_judgements_about_health_as_special_category() -> None:
    marked = personal_fields(TriageAfgerond)

    for vraag in ("ernstig_nadeel", "psychische_stoornis", "verplichte_zorg_nodig"):
        assert marked[f"antwoorden.{vraag}.aannemelijk"] == "bijzonder"
        assert marked[f"antwoorden.{vraag}.motivatie"] == "bijzonder"
    assert marked["afwijking_motivatie"] == "bijzonder"
    assert marked["situatie"] == "bijzonder"
    assert marked["betrokkene.bsn"] == "bsn"
    assert "uitkomst" not in marked and "gemeente" not in marked
