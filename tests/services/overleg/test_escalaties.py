"""Escalations on the ladder of the regionale doorzettingsmacht: pseudonymised, held by the
gemeente where the person lives, only ever moved up, signalled once per rung when they stall."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from wvggz_contracts.bsn import bevat_bsn
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.doorzetting import (
    EscalatieGeregistreerd,
    EscalatieOpgelost,
    EscalatieOpgeschaald,
    EscalatieStagneert,
    LosEscalatieOp,
    Niveau,
    RegistreerEscalatie,
    SchaalOp,
    SignaleerStagnatie,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK

from kernel.access import system_actor
from kernel.deadlines import DueSignal
from kernel.decider import DomainError
from kernel.projection import EventMeta
from kernel.queries import Inzage, NoParams, require_role
from kernel.refusals import validation_reply
from kernel.testing import DeciderSpec, command
from services.overleg.doorzetting.regels import ESCALATIE, PROFESSIONALS, make_escalatie_rulebook
from services.overleg.doorzetting.stagnatie import due_stagnaties, stagnatie_command
from services.overleg.doorzetting.views import ESCALATIES, EscalatieRij, evolve_escalatie
from services.overleg.doorzetting.vragen import (
    ESCALATIES_VRAAG,
    EscalatieVraag,
    escalaties_per_niveau,
)
from tests.services.overleg.test_tafels import served

REGIO = frozenset(GOOI_EN_VECHTSTREEK)
RULES = make_escalatie_rulebook(REGIO)
NU = datetime(2026, 11, 2, 9, tzinfo=UTC)
ID = uuid.UUID(int=10)
TAFEL = uuid.UUID(int=20)
CONSULENT = Actor(id="c-1", rol=Rol.CONSULENT, gemeente="GM0402")
CONSULENT_HUIZEN = Actor(id="c-2", rol=Rol.CONSULENT, gemeente="GM0406")
CONSULENT_ELDERS = Actor(id="c-3", rol=Rol.CONSULENT, gemeente="GM0363")
SYSTEEM = system_actor("overleg", "GM0402")
BSN = "111222333"
"""Passes the elfproef."""
REDEN = "Dubbele diagnose; geen aanbieder neemt de casus op."

GEREGISTREERD = EscalatieGeregistreerd(
    escalatie_id=ID,
    gemeente="GM0402",
    referentie="WT-2026-017",
    niveau=Niveau.LOKAAL,
    clientondersteuner="MEE onafhankelijke cliëntondersteuning",
    reden=REDEN,
    sinds=NU,
)
OP_REGIONAAL = NU + timedelta(days=10)
REGIONAAL = EscalatieOpgeschaald(
    escalatie_id=ID,
    van=Niveau.LOKAAL,
    naar=Niveau.REGIONAAL,
    tafel_id=TAFEL,
    reden="Lokaal geen plek gevonden.",
    door_clientondersteuner=True,
    sinds=OP_REGIONAAL,
)
OPGELOST = EscalatieOpgelost(
    escalatie_id=ID, niveau=Niveau.REGIONAAL, uitkomst="Plek gevonden.", opgelost_op=NU
)


def spec() -> DeciderSpec:
    return DeciderSpec(RULES.decider)


def registreer(**changes: Any) -> RegistreerEscalatie:
    base = {
        "escalatie_id": ID,
        "gemeente": "GM0402",
        "referentie": "WT-2026-017",
        "niveau": "lokaal",
        "clientondersteuner": "MEE onafhankelijke cliëntondersteuning",
        "reden": REDEN,
    }
    return RegistreerEscalatie.model_validate(base | changes)


def schaal_op(naar: Niveau, **changes: Any) -> SchaalOp:
    base = {"escalatie_id": ID, "naar": naar, "reden": "Lokaal geen plek gevonden."}
    return SchaalOp.model_validate(base | changes)


def los_op() -> LosEscalatieOp:
    return LosEscalatieOp(escalatie_id=ID, uitkomst="Plek gevonden.")


@pytest.mark.parametrize("rol", sorted(PROFESSIONALS))
def test_a_professional_of_the_responsible_gemeente_registers_a_case_once(rol: Rol) -> None:
    actor = Actor(id="p-1", rol=rol, gemeente="GM0402")

    spec().when(command(registreer(), actor, NU)).then(GEREGISTREERD)
    spec().given(GEREGISTREERD).when(command(registreer(), actor, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "escalatie_id"
    )


@pytest.mark.parametrize(
    "rol", [Rol.HOORDER, Rol.BURGEMEESTER, Rol.SECRETARIAAT, Rol.PSYCHIATER, Rol.SYSTEEM]
)
def test_other_roles_do_not_escalate(rol: Rol) -> None:
    actor = Actor(id="x-1", rol=rol, gemeente="GM0402")

    spec().when(command(registreer(), actor, NU)).then_error(ErrorCode.FORBIDDEN)
    for payload in (schaal_op(Niveau.REGIONAAL), los_op()):
        spec().given(GEREGISTREERD).when(command(payload, actor, NU)).then_error(
            ErrorCode.FORBIDDEN
        )


def test_another_gemeente_does_not_act_on_the_case() -> None:
    spec().when(command(registreer(), CONSULENT_HUIZEN, NU)).then_error(ErrorCode.FORBIDDEN)
    for payload in (schaal_op(Niveau.REGIONAAL), los_op()):
        spec().given(GEREGISTREERD).when(command(payload, CONSULENT_HUIZEN, NU)).then_error(
            ErrorCode.FORBIDDEN
        )


def test_a_case_of_a_gemeente_outside_the_region_is_refused() -> None:
    spec().when(command(registreer(gemeente="GM0363"), CONSULENT_ELDERS, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gemeente"
    )


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("referentie", BSN),
        ("referentie", "RDM 1112.22.333"),
        ("referentie", "１１１２２２３３３"),
        ("reden", f"Betrokkene (BSN {BSN}) vindt geen plek."),
        ("clientondersteuner", "MEE, dossier 111 222 333"),
    ],
)
def test_a_bsn_valid_number_is_refused_without_repeating_it(veld: str, waarde: str) -> None:
    with pytest.raises(ValidationError) as refused:
        registreer(**{veld: waarde})

    error = validation_reply(refused.value).error
    assert error is not None
    assert error.field == veld
    assert "BSN" in error.message
    assert "111" not in error.message and "１" not in error.message


def test_a_bsn_valid_number_is_refused_in_the_texts_of_later_steps_too() -> None:
    with pytest.raises(ValidationError):
        schaal_op(Niveau.REGIONAAL, reden=f"Nog steeds geen plek voor {BSN}.")
    with pytest.raises(ValidationError):
        LosEscalatieOp(escalatie_id=ID, uitkomst=f"Opgenomen, bsn {BSN}")


@pytest.mark.parametrize(
    "tekst", ["123456789", "06-12345678", "035 123 45 67", "WT-2026-017", "1112223334"]
)
def test_numbers_that_cannot_be_a_bsn_are_accepted(tekst: str) -> None:
    assert not bevat_bsn(tekst)
    assert registreer(referentie=tekst).referentie == tekst


def test_a_reference_is_one_short_line() -> None:
    for wrong in ("x" * 41, "WT\n2026", " "):
        with pytest.raises(ValidationError):
            registreer(referentie=wrong)


def test_a_case_only_moves_up_and_the_clientondersteuner_may_trigger_the_step() -> None:
    spec().given(GEREGISTREERD).when(
        command(
            schaal_op(Niveau.REGIONAAL, tafel_id=TAFEL, door_clientondersteuner=True),
            CONSULENT,
            OP_REGIONAAL,
        )
    ).then(REGIONAAL)
    spec().given(GEREGISTREERD, REGIONAAL).when(
        command(schaal_op(Niveau.REGIONAAL), CONSULENT, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "naar")
    spec().given(GEREGISTREERD, REGIONAAL).when(
        command(schaal_op(Niveau.LOKAAL), CONSULENT, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "naar")


def test_a_rung_may_be_skipped_but_nothing_is_above_the_minister() -> None:
    [bestuurlijk] = (
        spec()
        .given(GEREGISTREERD)
        .when(command(schaal_op(Niveau.BESTUURLIJK), CONSULENT, NU))
        .events
    )
    assert isinstance(bestuurlijk, EscalatieOpgeschaald)
    assert (bestuurlijk.van, bestuurlijk.naar) == (Niveau.LOKAAL, Niveau.BESTUURLIJK)

    minister = bestuurlijk.model_copy(update={"van": Niveau.BESTUURLIJK, "naar": Niveau.MINISTER})
    refused = (
        spec()
        .given(GEREGISTREERD, minister)
        .when(command(schaal_op(Niveau.BESTUURLIJK), CONSULENT, NU))
        .then_error(ErrorCode.RULE_VIOLATED, "naar")
    )
    assert "los de escalatie op" in refused.message


def test_a_resolved_case_is_not_moved_up_resolved_again_or_signalled() -> None:
    signaal = SignaleerStagnatie(escalatie_id=ID, niveau=Niveau.REGIONAAL, sinds=OP_REGIONAAL)
    for payload, actor in (
        (schaal_op(Niveau.BOVENREGIONAAL), CONSULENT),
        (los_op(), CONSULENT),
        (signaal, SYSTEEM),
    ):
        spec().given(GEREGISTREERD, REGIONAAL, OPGELOST).when(
            command(payload, actor, NU)
        ).then_error(ErrorCode.RULE_VIOLATED, "escalatie_id")


def test_an_unknown_case_is_not_found() -> None:
    spec().when(command(los_op(), CONSULENT, NU)).then_error(ErrorCode.NOT_FOUND, "escalatie_id")


def test_only_the_service_signals_stagnation_once_per_rung_reached() -> None:
    signaal = SignaleerStagnatie(escalatie_id=ID, niveau=Niveau.REGIONAAL, sinds=OP_REGIONAAL)
    later = OP_REGIONAAL + timedelta(days=30)
    stagneert = EscalatieStagneert(
        escalatie_id=ID, niveau=Niveau.REGIONAAL, sinds=OP_REGIONAAL, gesignaleerd_op=later
    )

    spec().given(GEREGISTREERD, REGIONAAL).when(command(signaal, SYSTEEM, later)).then(stagneert)
    spec().given(GEREGISTREERD, REGIONAAL).when(command(signaal, CONSULENT, later)).then_error(
        ErrorCode.FORBIDDEN
    )
    spec().given(GEREGISTREERD, REGIONAAL, stagneert).when(
        command(signaal, SYSTEEM, later)
    ).then_error(ErrorCode.RULE_VIOLATED, "niveau")


def test_a_signal_for_a_rung_the_case_left_is_refused() -> None:
    op_lokaal = SignaleerStagnatie(escalatie_id=ID, niveau=Niveau.LOKAAL, sinds=NU)
    ander_moment = SignaleerStagnatie(escalatie_id=ID, niveau=Niveau.REGIONAAL, sinds=NU)

    assert spec().given(GEREGISTREERD).when(command(op_lokaal, SYSTEEM, NU)).events
    for signaal in (op_lokaal, ander_moment):
        spec().given(GEREGISTREERD, REGIONAAL).when(command(signaal, SYSTEEM, NU)).then_error(
            ErrorCode.RULE_VIOLATED, "niveau"
        )


def fold(events: list[DomainEvent], gemeente: str = "GM0402") -> EscalatieRij | None:
    """The view's row after these events, each recorded a day after the one before."""
    row: EscalatieRij | None = None
    for version, event in enumerate(events, start=1):
        at = NU + timedelta(days=version)
        meta = EventMeta(
            ID, ESCALATIE, gemeente, event.event_type, version, version, at, "c-1", "consulent"
        )
        row = evolve_escalatie(row, event, meta)
    return row


def test_a_case_climbs_the_ladder_and_is_resolved() -> None:
    history: list[DomainEvent] = list(spec().when(command(registreer(), CONSULENT, NU)).events)
    for naar, at in (
        (Niveau.REGIONAAL, OP_REGIONAAL),
        (Niveau.BOVENREGIONAAL, NU + timedelta(days=40)),
    ):
        history += spec().given(*history).when(command(schaal_op(naar), CONSULENT, at)).events
    state = RULES.decider.fold(history)
    assert (state.niveau, state.sinds) == (Niveau.BOVENREGIONAAL, NU + timedelta(days=40))
    assert RULES.allowed_now(state, CONSULENT, NU) == ["schaal-op", "los-escalatie-op"]

    history += (
        spec().given(*history).when(command(los_op(), CONSULENT, NU + timedelta(days=50))).events
    )
    state = RULES.decider.fold(history)
    assert RULES.fase_van(state) == "opgelost op niveau bovenregionaal"
    assert RULES.allowed_now(state, CONSULENT, NU) == []

    row = fold(history)
    assert row is not None
    assert [(stap.niveau, stap.sinds) for stap in row.niveaus] == [
        (Niveau.LOKAAL, NU),
        (Niveau.REGIONAAL, OP_REGIONAAL),
        (Niveau.BOVENREGIONAAL, NU + timedelta(days=40)),
    ]
    assert (row.niveau, row.status, row.opgelost_op) == (
        Niveau.BOVENREGIONAAL,
        "opgelost",
        NU + timedelta(days=50),
    )
    assert row.fase == "opgelost op niveau bovenregionaal"
    assert row.versie == 4


def test_the_row_shows_the_ladder_and_the_stalls_but_no_text_about_the_person() -> None:
    stagneert = EscalatieStagneert(
        escalatie_id=ID, niveau=Niveau.REGIONAAL, sinds=OP_REGIONAAL, gesignaleerd_op=NU
    )
    row = fold([GEREGISTREERD, REGIONAAL, stagneert])

    assert row is not None
    assert (row.referentie, row.gemeente, row.niveau, row.sinds, row.tafel_id) == (
        "WT-2026-017",
        "GM0402",
        Niveau.REGIONAAL,
        OP_REGIONAAL,
        TAFEL,
    )
    assert row.gesignaleerd == [Niveau.REGIONAAL]
    assert [stap.gesignaleerd_op for stap in row.niveaus] == [None, NU]
    assert row.niveaus[1].door_clientondersteuner
    assert row.fase == "op niveau regionaal (regionale tafel), stagneert"
    stored = row.model_dump_json()
    for text in (REDEN, REGIONAAL.reden, GEREGISTREERD.clientondersteuner):
        assert text not in stored
    assert fold([REGIONAAL]) is None


def test_open_cases_are_counted_per_rung_for_the_figures() -> None:
    lokaal = fold([GEREGISTREERD])
    regionaal = fold([GEREGISTREERD, REGIONAAL])
    opgelost = fold([GEREGISTREERD, REGIONAAL, OPGELOST])
    assert lokaal is not None and regionaal is not None and opgelost is not None

    assert escalaties_per_niveau([lokaal, regionaal, regionaal, opgelost]) == {
        "lokaal": 1,
        "regionaal": 2,
        "bovenregionaal": 0,
        "bestuurlijk": 0,
        "minister": 0,
    }


MAX = 21.0


def row_at(*events: DomainEvent) -> EscalatieRij:
    row = fold(list(events))
    assert row is not None
    return row


def test_a_stall_is_due_only_after_the_days_allowed_on_the_rung() -> None:
    row = row_at(GEREGISTREERD)

    assert due_stagnaties([row], NU + timedelta(days=MAX), MAX) == []
    [signal] = due_stagnaties([row], NU + timedelta(days=MAX, seconds=1), MAX)
    assert (signal.case_id, signal.gemeente, signal.due) == (ID, "GM0402", NU + timedelta(days=MAX))
    later = due_stagnaties([row], NU + timedelta(days=90), MAX)
    assert [s.command_id for s in later] == [signal.command_id]


def test_a_stall_fires_once_per_rung_and_again_after_moving_up_only_when_that_rung_stalls() -> None:
    gesignaleerd = EscalatieStagneert(
        escalatie_id=ID, niveau=Niveau.LOKAAL, sinds=NU, gesignaleerd_op=NU + timedelta(days=22)
    )
    assert due_stagnaties([row_at(GEREGISTREERD, gesignaleerd)], NU + timedelta(days=25), MAX) == []

    opgeschaald = row_at(GEREGISTREERD, gesignaleerd, REGIONAAL)
    assert due_stagnaties([opgeschaald], OP_REGIONAAL + timedelta(days=MAX), MAX) == []
    [nieuw] = due_stagnaties([opgeschaald], OP_REGIONAAL + timedelta(days=MAX + 1), MAX)
    assert nieuw.due == OP_REGIONAAL + timedelta(days=MAX)
    assert stagnatie_command(nieuw) == {
        "escalatie_id": str(ID),
        "niveau": "regionaal",
        "sinds": OP_REGIONAAL.isoformat(),
    }
    assert (
        due_stagnaties([row_at(GEREGISTREERD, REGIONAAL, OPGELOST)], NU + timedelta(days=99), MAX)
        == []
    )


def test_the_signals_command_is_accepted_once_by_the_case_it_was_computed_for() -> None:
    history = [GEREGISTREERD, REGIONAAL]
    moment = OP_REGIONAAL + timedelta(days=MAX + 1)
    [signal] = due_stagnaties([row_at(*history)], moment, MAX)
    payload = SignaleerStagnatie.model_validate(stagnatie_command(signal))

    [event] = spec().given(*history).when(command(payload, SYSTEEM, moment)).events
    assert event == EscalatieStagneert(
        escalatie_id=ID, niveau=Niveau.REGIONAAL, sinds=OP_REGIONAAL, gesignaleerd_op=moment
    )
    assert due_stagnaties([row_at(*history, event)], moment, MAX) == []
    with pytest.raises(TypeError):
        stagnatie_command(DueSignal(ID, "GM0402", "iets-anders", moment))


def meta_of(event: EscalatieGeregistreerd, version: int = 1) -> EventMeta:
    return EventMeta(event.escalatie_id, ESCALATIE, event.gemeente, "t", version, 1, NU, "c", "r")


async def test_professionals_list_and_read_the_escalations_of_their_own_gemeente_only(
    tmp_path: Path,
) -> None:
    oud = GEREGISTREERD.model_copy(
        update={
            "escalatie_id": uuid.UUID(int=11),
            "sinds": NU - timedelta(days=30),
            "referentie": "OUD",
        }
    )
    huizen = GEREGISTREERD.model_copy(
        update={"escalatie_id": uuid.UUID(int=12), "gemeente": "GM0406"}
    )
    runtime = served(
        tmp_path,
        ESCALATIES,
        (GEREGISTREERD, meta_of(GEREGISTREERD)),
        (oud, meta_of(oud, 2)),
        (huizen, meta_of(huizen, 3)),
    )
    inzage = Inzage()

    rows = await runtime.answers["escalaties"](CONSULENT, NoParams(), inzage)

    assert [row["referentie"] for row in rows] == ["OUD", "WT-2026-017"]
    assert [row["dagen_op_niveau"] for row in rows] == [30.0, 0.0]
    assert all("stappen" not in row for row in rows)
    assert inzage.aantal == 2
    een = await runtime.answers["escalatie"](CONSULENT, EscalatieVraag(escalatie_id=ID), Inzage())
    assert een["niveau"] == "lokaal" and een["stappen"]
    with pytest.raises(DomainError) as elders:
        await runtime.answers["escalatie"](
            CONSULENT, EscalatieVraag(escalatie_id=huizen.escalatie_id), Inzage()
        )
    assert elders.value.code == ErrorCode.NOT_FOUND


def test_only_the_professional_roles_see_escalations() -> None:
    require_role(Actor(id="c", rol=Rol.CONSULENT, gemeente="GM0402"), ESCALATIES_VRAAG.rollen, "")
    for rol in (Rol.TRIAGIST, Rol.HOORDER, Rol.SECRETARIAAT, Rol.SYSTEEM):
        with pytest.raises(DomainError):
            require_role(Actor(id="x", rol=rol, gemeente="GM0402"), ESCALATIES_VRAAG.rollen, "")
