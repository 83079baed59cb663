"""Before the decision: temporary compulsory care and the OvJ's data on the history."""

from __future__ import annotations

from datetime import timedelta

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import (
    LegTijdelijkeZorgVast,
    OvjGegevensGevraagd,
    OvjGegevensOntvangen,
    RegistreerOvjGegevens,
    TijdelijkeVerplichteZorgVastgelegd,
    VraagOvjGegevensOp,
)
from wvggz_contracts.personal import personal_fields

from kernel.decider import derived_id
from kernel.testing import DeciderSpec
from tests.services.crisis.fixtures import (
    BESLUIT_OP,
    BETROKKENE,
    CRISIS_ID,
    CRISISDIENST,
    GEMEENTE,
    GEMELD_OP,
    NU,
    OVJ,
    PSYCHIATER,
    besloten,
    cmd,
    command_id,
    decider,
    gemeld,
    geschiedenis,
)

ZORG = LegTijdelijkeZorgVast(crisis_id=CRISIS_ID, zorg="Toedienen van medicatie", vanaf=GEMELD_OP)
GEGEVENS = RegistreerOvjGegevens(
    crisis_id=CRISIS_ID,
    eerdere_crisismaatregelen=["CM 2024 door burgemeester Hilversum"],
    zorgmachtigingen=["ZM 2025, zes maanden"],
    politie_en_justitiele_gegevens="Twee meldingen van geweld in 2025.",
)


def test_temporary_compulsory_care_is_recorded_before_the_decision() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(ZORG, PSYCHIATER, id_=5)).then(
        TijdelijkeVerplichteZorgVastgelegd(
            crisis_id=CRISIS_ID,
            zorg_id=derived_id(command_id(5), "tijdelijke-zorg"),
            zorg="Toedienen van medicatie",
            vanaf=GEMELD_OP,
            vastgelegd_op=NU,
        )
    )


def test_temporary_care_is_recorded_once_started_and_only_before_the_decision() -> None:
    later = ZORG.model_copy(update={"vanaf": NU + timedelta(hours=1)})
    DeciderSpec(decider()).given(*gemeld()).when(cmd(later)).then_error(
        ErrorCode.RULE_VIOLATED, "vanaf"
    )
    DeciderSpec(decider()).given(*besloten()).when(cmd(ZORG, at=BESLUIT_OP)).then_error(
        ErrorCode.RULE_VIOLATED
    )


def test_the_ovj_is_asked_for_the_history_with_who_the_betrokkene_is() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(
        cmd(VraagOvjGegevensOp(crisis_id=CRISIS_ID), id_=6)
    ).then(
        OvjGegevensGevraagd(
            crisis_id=CRISIS_ID,
            gemeente=GEMEENTE,
            aanvraag_id=derived_id(command_id(6), "ovj-gegevens"),
            betrokkene=BETROKKENE,
            gevraagd_door=CRISISDIENST.id,
            gevraagd_op=NU,
        )
    )


def test_the_ovj_answers_a_request_only_and_the_answer_is_special_category_data() -> None:
    DeciderSpec(decider()).given(*gemeld()).when(cmd(GEGEVENS, OVJ)).then_error(
        ErrorCode.RULE_VIOLATED
    )
    gevraagd = geschiedenis(cmd(VraagOvjGegevensOp(crisis_id=CRISIS_ID)), basis=gemeld())

    DeciderSpec(decider()).given(*gevraagd).when(cmd(GEGEVENS, OVJ)).then(
        OvjGegevensOntvangen(
            crisis_id=CRISIS_ID,
            eerdere_crisismaatregelen=["CM 2024 door burgemeester Hilversum"],
            machtigingen=[],
            zorgmachtigingen=["ZM 2025, zes maanden"],
            politie_en_justitiele_gegevens="Twee meldingen van geweld in 2025.",
            ontvangen_op=NU,
        )
    )
    assert set(personal_fields(OvjGegevensOntvangen).values()) == {"bijzonder"}


def test_a_late_ovj_answer_is_still_recorded_while_the_measure_runs() -> None:
    gevraagd = geschiedenis(cmd(VraagOvjGegevensOp(crisis_id=CRISIS_ID)), basis=gemeld())
    genomen = [*gevraagd, *besloten()[1:]]  # the same case, the request before the decision

    spec = DeciderSpec(decider()).given(*genomen)
    spec.when(cmd(GEGEVENS, OVJ, at=BESLUIT_OP + timedelta(hours=1)))

    assert [type(e) for e in spec.events] == [OvjGegevensOntvangen]
