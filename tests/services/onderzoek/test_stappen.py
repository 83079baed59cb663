"""Recording the steps of a VO: consulent, gesprek, OCO, GGZ consultation, leefgebied, rapport."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode
from wvggz_contracts.onderzoek import (
    ConsulentToegewezen,
    GesprekVastgelegd,
    GgzConsultatieVastgelegd,
    Leefgebied,
    LeefgebiedStatus,
    LeefgebiedVastgelegd,
    LegGesprekVast,
    LegGgzConsultatieVast,
    LegLeefgebiedVast,
    LegOcoWijzingVast,
    LegRapportVast,
    OcoGewezen,
    VoRapportVastgelegd,
    WijsConsulentToe,
)

from kernel.decider import derived_id
from kernel.testing import DeciderSpec
from tests.services.onderzoek.fixtures import (
    BEHEER,
    COLLEGA,
    CONSULENT,
    GGZ_CONSULTANT,
    NU,
    VO_ID,
    cmd,
    vo_geopend,
    vo_spec,
)

VANDAAG = date(2026, 11, 5)
"""The Amsterdam date of NU."""


@pytest.fixture
def spec() -> DeciderSpec:
    return vo_spec().given(vo_geopend())


def consultatie(uren: str, motivatie: str | None = None) -> LegGgzConsultatieVast:
    return LegGgzConsultatieVast(
        vo_id=VO_ID,
        consultant="ggz-1",
        datum=VANDAAG,
        uren=Decimal(uren),
        onderwerp="Is een psychische stoornis aannemelijk?",
        overschrijding_motivatie=motivatie,
    )


def vastgelegd(uren: str, totaal: str, motivatie: str | None = None) -> GgzConsultatieVastgelegd:
    return GgzConsultatieVastgelegd(
        vo_id=VO_ID,
        consultant="ggz-1",
        datum=VANDAAG,
        uren=Decimal(uren),
        onderwerp="Is een psychische stoornis aannemelijk?",
        totaal_uren=Decimal(totaal),
        budget_uren=Decimal(2),
        overschrijding_motivatie=motivatie,
    )


@pytest.mark.parametrize("actor", [CONSULENT, BEHEER])
def test_a_consulent_or_functioneel_beheer_assigns_a_consulent(
    spec: DeciderSpec, actor: Actor
) -> None:
    spec.when(cmd(WijsConsulentToe(vo_id=VO_ID, consulent="consulent-3"), actor)).then(
        ConsulentToegewezen(vo_id=VO_ID, consulent="consulent-3")
    )


def test_assigning_the_consulent_already_assigned_records_nothing(spec: DeciderSpec) -> None:
    toegewezen = ConsulentToegewezen(vo_id=VO_ID, consulent="consulent-3")

    spec.given(vo_geopend(), toegewezen).when(
        cmd(WijsConsulentToe(vo_id=VO_ID, consulent="consulent-3"))
    ).then()


def test_another_consulent_can_be_assigned(spec: DeciderSpec) -> None:
    toegewezen = ConsulentToegewezen(vo_id=VO_ID, consulent="consulent-3")

    spec.given(vo_geopend(), toegewezen).when(
        cmd(WijsConsulentToe(vo_id=VO_ID, consulent="consulent-9"))
    ).then(ConsulentToegewezen(vo_id=VO_ID, consulent="consulent-9"))


def test_any_consulent_of_the_gemeente_may_record_a_step_not_only_the_assigned_one(
    spec: DeciderSpec,
) -> None:
    toegewezen = ConsulentToegewezen(vo_id=VO_ID, consulent="consulent-3")
    payload = LegOcoWijzingVast(vo_id=VO_ID, datum=VANDAAG)

    spec.given(vo_geopend(), toegewezen).when(cmd(payload, COLLEGA)).then(
        OcoGewezen(vo_id=VO_ID, datum=VANDAAG)
    )


@pytest.mark.parametrize(
    ("vonden_plaats", "samenvatting", "reden"),
    [(True, "Wil geen hulp; slaapt slecht.", None), (False, None, "Deed niet open.")],
)
def test_a_gesprek_is_recorded_with_a_summary_or_the_reason_there_was_none(
    spec: DeciderSpec, vonden_plaats: bool, samenvatting: str | None, reden: str | None
) -> None:
    payload = LegGesprekVast(
        vo_id=VO_ID,
        vonden_plaats=vonden_plaats,
        datum=VANDAAG,
        samenvatting=samenvatting,
        reden_geen_gesprek=reden,
    )

    spec.when(cmd(payload)).then(
        GesprekVastgelegd(
            vo_id=VO_ID,
            vonden_plaats=vonden_plaats,
            datum=VANDAAG,
            samenvatting=samenvatting,
            reden_geen_gesprek=reden,
        )
    )


@pytest.mark.parametrize(
    ("vonden_plaats", "samenvatting", "reden", "field"),
    [
        (True, None, None, "samenvatting"),
        (True, "Gesprek.", "Deed niet open.", "reden_geen_gesprek"),
        (False, None, None, "reden_geen_gesprek"),
        (False, "Gesprek.", "Deed niet open.", "samenvatting"),
    ],
)
def test_a_gesprek_needs_exactly_the_text_that_fits_whether_it_took_place(
    spec: DeciderSpec, vonden_plaats: bool, samenvatting: str | None, reden: str | None, field: str
) -> None:
    payload = LegGesprekVast(
        vo_id=VO_ID,
        vonden_plaats=vonden_plaats,
        datum=VANDAAG,
        samenvatting=samenvatting,
        reden_geen_gesprek=reden,
    )

    spec.when(cmd(payload)).then_error(ErrorCode.RULE_VIOLATED, field=field)


@pytest.mark.parametrize(
    "payload",
    [
        LegGesprekVast(
            vo_id=VO_ID, vonden_plaats=True, datum=VANDAAG + timedelta(days=1), samenvatting="x"
        ),
        LegOcoWijzingVast(vo_id=VO_ID, datum=VANDAAG + timedelta(days=1)),
        consultatie("1").model_copy(update={"datum": VANDAAG + timedelta(days=1)}),
    ],
)
def test_a_step_dated_in_the_future_is_refused_naming_the_date(
    spec: DeciderSpec, payload: BaseModel
) -> None:
    actor = GGZ_CONSULTANT if isinstance(payload, LegGgzConsultatieVast) else CONSULENT

    spec.when(cmd(payload, actor)).then_error(ErrorCode.RULE_VIOLATED, field="datum")


@pytest.mark.parametrize("actor", [CONSULENT, GGZ_CONSULTANT])
def test_a_ggz_consultation_within_the_budget_records_the_running_total(
    spec: DeciderSpec, actor: Actor
) -> None:
    eerste = vastgelegd("1.25", "1.25")

    spec.given(vo_geopend(), eerste).when(cmd(consultatie("0.75"), actor)).then(
        vastgelegd("0.75", "2.00")
    )


def test_a_consultation_above_the_budget_needs_a_motivation(spec: DeciderSpec) -> None:
    eerste = vastgelegd("1.5", "1.5")

    spec.given(vo_geopend(), eerste).when(cmd(consultatie("0.75"))).then_error(
        ErrorCode.RULE_VIOLATED, field="overschrijding_motivatie"
    )


def test_a_motivated_consultation_may_exceed_the_budget(spec: DeciderSpec) -> None:
    eerste = vastgelegd("1.5", "1.5")
    motivatie = "Jeugdpsychiater nodig voor toets 3."

    spec.given(vo_geopend(), eerste).when(cmd(consultatie("0.75", motivatie))).then(
        vastgelegd("0.75", "2.25", motivatie)
    )


def test_the_ggz_budget_is_a_parameter_of_the_rulebook() -> None:
    spec = vo_spec(ggz_budget_uren=3.5).given(vo_geopend())

    spec.when(cmd(consultatie("3"))).then(
        vastgelegd("3", "3").model_copy(update={"budget_uren": Decimal("3.5")})
    )


@pytest.mark.parametrize("leefgebied", list(Leefgebied))
def test_each_of_the_vier_leefgebieden_is_recorded(
    spec: DeciderSpec, leefgebied: Leefgebied
) -> None:
    payload = LegLeefgebiedVast(
        vo_id=VO_ID,
        leefgebied=leefgebied,
        status=LeefgebiedStatus.PROBLEEM,
        ondersteuning_nodig=True,
        toelichting="Geen geldig paspoort.",
    )

    spec.when(cmd(payload)).then(
        LeefgebiedVastgelegd(
            vo_id=VO_ID,
            leefgebied=leefgebied,
            status=LeefgebiedStatus.PROBLEEM,
            ondersteuning_nodig=True,
            toelichting="Geen geldig paspoort.",
        )
    )


def test_the_rapport_gets_an_id_that_follows_from_the_command(spec: DeciderSpec) -> None:
    command = cmd(LegRapportVast(vo_id=VO_ID, samenvatting="Rapport van het VO."))

    spec.when(command).then(
        VoRapportVastgelegd(
            vo_id=VO_ID,
            rapport_id=derived_id(command.command_id, "rapport"),
            samenvatting="Rapport van het VO.",
            vastgelegd_op=NU,
        )
    )
