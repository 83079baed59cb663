"""What a partner receives of each event: walked over every published event type and every
partner kind, so a profile that lets sensitive personal data out without a basis fails here."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel
from wvggz_contracts.crisis import EVENTS as CRISIS_EVENTS
from wvggz_contracts.envelope import CloudEvent, source_urn
from wvggz_contracts.meldpunt import EVENTS as MELDPUNT_EVENTS
from wvggz_contracts.meldpunt import MeldingOntvangen
from wvggz_contracts.notificaties import PartnerSoort
from wvggz_contracts.onderzoek import EVENTS as ONDERZOEK_EVENTS

from services.notificaties.app import PUBLISHED
from services.notificaties.domain.minimalisatie import (
    OPHAALBAAR,
    PROFIELEN,
    Grondslag,
    lekken,
    notificatie,
    ophaalbare_velden,
)

MODELLEN: list[tuple[str, type[BaseModel]]] = [
    *MELDPUNT_EVENTS.models.items(),
    *ONDERZOEK_EVENTS.models.items(),
    *CRISIS_EVENTS.models.items(),
]
NU = datetime(2026, 12, 1, 12, tzinfo=UTC)
OIN = "00000001823288444000"
BRON = source_urn(OIN, "notificaties")
ZAAK = uuid.UUID(int=9)


def gebeurtenis(event_type: str, data: dict[str, object]) -> CloudEvent:
    procedure = event_type.split(".")[2]
    return CloudEvent(
        id=uuid.uuid4(),
        source=source_urn(OIN, procedure),
        type=event_type,
        time=NU,
        subject=ZAAK,
        gemeente="GM0402",
        correlationid=uuid.uuid4(),
        causationid=uuid.uuid4(),
        actor="t-1",
        sequence="1",
        data=data,
    )


def test_every_published_event_type_is_walked() -> None:
    assert {event_type for event_type, _model in MODELLEN} == PUBLISHED
    assert len(PUBLISHED) > 40


def test_no_profile_lets_sensitive_personal_data_out_without_a_legal_basis() -> None:
    assert lekken(PROFIELEN, MODELLEN) == []


@pytest.mark.parametrize("soort", list(PartnerSoort))
@pytest.mark.parametrize(("event_type", "model"), MODELLEN, ids=[t for t, _m in MODELLEN])
def test_a_partner_gets_a_reference_and_only_the_fields_its_profile_names(
    soort: PartnerSoort, event_type: str, model: type[BaseModel]
) -> None:
    event = gebeurtenis(event_type, {name: f"waarde van {name}" for name in model.model_fields})

    sent = notificatie(soort, event, BRON)

    named = PROFIELEN[soort].get(event_type)
    assert set(sent["data"]) <= (set(named.velden) if named else set())
    assert sent["id"] == str(event.id) and sent["source"] == BRON
    assert sent["subject"] == str(ZAAK) and sent["type"] == event_type


def test_a_profile_that_sends_the_betrokkene_without_a_basis_is_caught() -> None:
    ontvangen = MeldingOntvangen.event_type
    zonder = {PartnerSoort.OM: {ontvangen: Grondslag(frozenset({"betrokkene"}), bron="")}}
    met = {
        PartnerSoort.OM: {
            ontvangen: Grondslag(frozenset({"betrokkene"}), bron="art. 5:3 Wvggz", gevoelig=True)
        }
    }
    onbestaand = {PartnerSoort.OM: {ontvangen: Grondslag(frozenset({"geen-veld"}), bron="x")}}

    assert lekken(zonder, MODELLEN) == [f"om/{ontvangen}: betrokkene (bsn, gewoon)"]
    assert lekken(met, MODELLEN) == []
    assert lekken(onbestaand, MODELLEN) == [f"om/{ontvangen}: geen-veld bestaat niet"]


def test_a_named_field_goes_out_and_nothing_else() -> None:
    ontvangen = MeldingOntvangen.event_type
    profiel = {PartnerSoort.GEMEENTE: {ontvangen: Grondslag(frozenset({"kanaal"}), bron="x")}}

    sent = notificatie(
        PartnerSoort.GEMEENTE,
        gebeurtenis(ontvangen, {"kanaal": "telefoon", "betrokkene": {"bsn": "111222333"}}),
        BRON,
        profiel,
    )

    assert sent["data"] == {"kanaal": "telefoon"}


def test_no_fetch_profile_lets_sensitive_personal_data_out_without_a_legal_basis() -> None:
    assert lekken(OPHAALBAAR, MODELLEN) == []


def test_only_what_some_partner_may_fetch_of_an_event_is_kept() -> None:
    aanvraag = "nl.wvggz.onderzoek.aanvraag-ingediend.v1"

    assert "betrokkene" in ophaalbare_velden(aanvraag)
    assert "rapport_id" not in ophaalbare_velden(aanvraag)
    assert ophaalbare_velden(MeldingOntvangen.event_type) == frozenset()
