"""Every command of both rulebooks: who may give it, for which gemeente, on an unknown or a
closed case; and the service serves exactly these rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    AfsluitReden,
    BeoordeelToets,
    Concludeer,
    Leefgebied,
    LeefgebiedStatus,
    LegGesprekVast,
    LegGgzConsultatieVast,
    LegLeefgebiedVast,
    LegOcoWijzingVast,
    LegRapportVast,
    LegVoorwaardeAfgerond,
    MeldOntbrekendeVoorwaarden,
    OpenVerkennendOnderzoek,
    RegistreerOvjReactie,
    SignaleerNaderendeTermijn,
    SignaleerTermijnVerstreken,
    Toets,
    VoAfgesloten,
    WijsConsulentToe,
    WijsVoorwaardenToe,
)

from kernel.bewaring import VERNIETIGING, bewaring_rulebook
from kernel.rules import Rulebook
from kernel.testing import DeciderSpec
from services.onderzoek.app import DEFINITION, TRIAGE, OnderzoekSettings
from services.onderzoek.domain import make_rulebook, make_voorwaarden_rulebook
from tests.services.onderzoek.fixtures import (
    DEADLINE,
    GEMEENTE,
    GEOPEND_OP,
    GEREGISTREERD,
    MELDING_ID,
    NU,
    REGIO,
    VERZOEK_ID,
    VO_ID,
    cmd,
    open_vo,
    vo_geopend,
    vo_spec,
)

VOORBEELDEN: dict[type[BaseModel], BaseModel] = {
    WijsConsulentToe: WijsConsulentToe(vo_id=VO_ID, consulent="consulent-3"),
    LegGesprekVast: LegGesprekVast(
        vo_id=VO_ID, vonden_plaats=True, datum=date(2026, 11, 4), samenvatting="Gesprek."
    ),
    LegOcoWijzingVast: LegOcoWijzingVast(vo_id=VO_ID, datum=date(2026, 11, 4)),
    LegGgzConsultatieVast: LegGgzConsultatieVast(
        vo_id=VO_ID, consultant="ggz-1", datum=date(2026, 11, 4), uren=Decimal(1), onderwerp="x"
    ),
    BeoordeelToets: BeoordeelToets(
        vo_id=VO_ID, toets=Toets.ERNSTIG_NADEEL, aannemelijk=True, motivatie="x"
    ),
    LegLeefgebiedVast: LegLeefgebiedVast(
        vo_id=VO_ID,
        leefgebied=Leefgebied.WONING,
        status=LeefgebiedStatus.IN_ORDE,
        ondersteuning_nodig=False,
    ),
    LegRapportVast: LegRapportVast(vo_id=VO_ID, samenvatting="Rapport."),
    Concludeer: Concludeer(vo_id=VO_ID, reden="Geen noodzaak."),
    RegistreerOvjReactie: RegistreerOvjReactie(
        vo_id=VO_ID, bereidt_verzoekschrift_voor=True, ontvangen_op=NU
    ),
    SignaleerNaderendeTermijn: SignaleerNaderendeTermijn(vo_id=VO_ID),
    SignaleerTermijnVerstreken: SignaleerTermijnVerstreken(vo_id=VO_ID),
}
"""One valid payload per command on an opened VO."""

ROLLEN: dict[type[BaseModel], set[Rol]] = {
    WijsConsulentToe: {Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER},
    LegGesprekVast: {Rol.CONSULENT},
    LegOcoWijzingVast: {Rol.CONSULENT},
    LegGgzConsultatieVast: {Rol.CONSULENT, Rol.GGZ_CONSULTANT},
    BeoordeelToets: {Rol.CONSULENT},
    LegLeefgebiedVast: {Rol.CONSULENT},
    LegRapportVast: {Rol.CONSULENT},
    Concludeer: {Rol.CONSULENT},
    RegistreerOvjReactie: {Rol.OVJ_KOPPELING},
    SignaleerNaderendeTermijn: {Rol.SYSTEEM},
    SignaleerTermijnVerstreken: {Rol.SYSTEEM},
}
"""Who may give each step of a VO (opening it is the system's alone)."""

VOORWAARDEN_VOORBEELDEN: dict[type[BaseModel], BaseModel] = {
    WijsVoorwaardenToe: WijsVoorwaardenToe(verzoek_id=VERZOEK_ID, consulent="consulent-3"),
    LegVoorwaardeAfgerond: LegVoorwaardeAfgerond(
        verzoek_id=VERZOEK_ID, leefgebied=Leefgebied.WONING
    ),
}
"""One valid payload per step on a registered request."""

VOORWAARDEN_ROLLEN: dict[type[BaseModel], set[Rol]] = {
    WijsVoorwaardenToe: {Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER},
    LegVoorwaardeAfgerond: {Rol.CONSULENT},
}
"""Who may give each step of a request for essentiële voorwaarden."""


@dataclass(frozen=True)
class Zaak:
    """One kind of case: its rulebook, the history of an existing case, and its steps."""

    naam: str
    rulebook: Rulebook[Any]
    bestaand: tuple[DomainEvent, ...]
    voorbeelden: Mapping[type[BaseModel], BaseModel]
    rollen: Mapping[type[BaseModel], set[Rol]]
    opener: type[BaseModel]
    openers: frozenset[Rol]

    def geef(
        self, payload_type: type[BaseModel], wie: Actor, *, bestaat: bool = True
    ) -> DeciderSpec:
        """An example of a step given on an existing case (or on none), at DEADLINE."""
        historie = self.bestaand if bestaat else ()
        spec = DeciderSpec(self.rulebook.decider).given(*historie)
        return spec.when(cmd(self.voorbeelden[payload_type], wie, DEADLINE))


VO = Zaak(
    "vo",
    make_rulebook(REGIO),
    (vo_geopend(),),
    VOORBEELDEN,
    ROLLEN,
    OpenVerkennendOnderzoek,
    frozenset({Rol.SYSTEEM}),
)
VOORWAARDEN = Zaak(
    "voorwaarden",
    make_voorwaarden_rulebook(REGIO),
    (GEREGISTREERD,),
    VOORWAARDEN_VOORBEELDEN,
    VOORWAARDEN_ROLLEN,
    MeldOntbrekendeVoorwaarden,
    frozenset({Rol.CONSULENT, Rol.FUNCTIONEEL_BEHEER}),
)
ZAKEN = (VO, VOORWAARDEN)

GEWEIGERD = [
    pytest.param(zaak, payload_type, rol, id=f"{zaak.naam}-{payload_type.__name__}-{rol}")
    for zaak in ZAKEN
    for payload_type, rollen in zaak.rollen.items()
    for rol in Rol
    if rol not in rollen
]
TOEGESTAAN = [
    pytest.param(zaak, payload_type, rol, id=f"{zaak.naam}-{payload_type.__name__}-{rol}")
    for zaak in ZAKEN
    for payload_type, rollen in zaak.rollen.items()
    for rol in rollen
]

AFGESLOTEN = VoAfgesloten(
    vo_id=VO_ID,
    melding_id=MELDING_ID,
    gemeente=GEMEENTE,
    reden=AfsluitReden.GEEN_AANVRAAG,
    toelichting="Verhuisd.",
    afgesloten_op=NU,
)


@pytest.fixture
def spec() -> DeciderSpec:
    return vo_spec()


def actor(rol: Rol, gemeente: str = GEMEENTE) -> Actor:
    return Actor(id=f"{rol}-1", rol=rol, gemeente=gemeente)


@pytest.mark.parametrize("zaak", ZAKEN, ids=lambda zaak: zaak.naam)
def test_the_tables_cover_every_rule_of_the_rulebook(zaak: Zaak) -> None:
    declared = {rule.payload: set(rule.rollen) for rule in zaak.rulebook.rules}

    assert declared == {zaak.opener: set(zaak.openers), **zaak.rollen}
    assert set(zaak.voorbeelden) == set(zaak.rollen)
    assert [rule.payload for rule in zaak.rulebook.rules if rule.opent] == [zaak.opener]


def test_the_service_serves_exactly_the_rules_of_its_two_rulebooks_and_retention() -> None:
    settings = OnderzoekSettings.model_construct()
    served = [
        (decider.category, spec.name, spec.payload)
        for decider, spec in DEFINITION.bindings(settings)
    ]
    retention = bewaring_rulebook("onderzoek", settings.bewaartermijn_jaren)

    assert served == [
        (zaak.rulebook.category, rule.name, rule.payload)
        for zaak in ZAKEN
        for rule in zaak.rulebook.rules
    ] + [(VERNIETIGING, rule.name, rule.payload) for rule in retention.rules]
    assert TRIAGE.command is VO.opener


@pytest.mark.parametrize(("zaak", "payload_type", "rol"), GEWEIGERD)
def test_a_role_without_the_right_is_refused_naming_the_roles(
    zaak: Zaak, payload_type: type[BaseModel], rol: Rol
) -> None:
    refusal = zaak.geef(payload_type, actor(rol)).then_error(ErrorCode.FORBIDDEN)

    assert refusal.message.startswith("alleen de rol")
    assert f"niet de rol {rol}" in refusal.message
    assert all(str(toegestaan) in refusal.message for toegestaan in zaak.rollen[payload_type])


def test_a_refusal_names_what_the_role_may_not_do(spec: DeciderSpec) -> None:
    payload = VOORBEELDEN[RegistreerOvjReactie]

    refusal = (
        spec.given(vo_geopend())
        .when(cmd(payload, actor(Rol.CONSULENT)))
        .then_error(ErrorCode.FORBIDDEN)
    )

    assert refusal.message == (
        "alleen de rol ovj-koppeling mag de reactie van de officier registreren,"
        " niet de rol consulent"
    )


@pytest.mark.parametrize(("zaak", "payload_type", "rol"), TOEGESTAAN)
def test_a_permitted_role_of_another_gemeente_is_refused_naming_both(
    zaak: Zaak, payload_type: type[BaseModel], rol: Rol
) -> None:
    refusal = zaak.geef(payload_type, actor(rol, "GM0406")).then_error(ErrorCode.FORBIDDEN)

    assert refusal.message == f"GM0406 mag niet handelen voor {zaak.rulebook.zaak} van {GEMEENTE}"


@pytest.mark.parametrize(("zaak", "payload_type", "rol"), TOEGESTAAN)
def test_a_command_on_an_unknown_case_is_not_found(
    zaak: Zaak, payload_type: type[BaseModel], rol: Rol
) -> None:
    zaak.geef(payload_type, actor(rol), bestaat=False).then_error(ErrorCode.NOT_FOUND)


@pytest.mark.parametrize(
    "payload_type",
    [t for t in ROLLEN if t not in {SignaleerNaderendeTermijn, SignaleerTermijnVerstreken}],
)
def test_a_step_on_a_closed_vo_is_refused(spec: DeciderSpec, payload_type: type[BaseModel]) -> None:
    rol = next(iter(sorted(ROLLEN[payload_type])))

    refusal = (
        spec.given(vo_geopend(), AFGESLOTEN)
        .when(cmd(VOORBEELDEN[payload_type], actor(rol), DEADLINE))
        .then_error(ErrorCode.RULE_VIOLATED)
    )

    expected = (
        "bij dit onderzoek is geen aanvraag bij de officier ingediend"
        if payload_type is RegistreerOvjReactie
        else "het onderzoek is afgesloten"
    )
    assert refusal.message == expected


@pytest.mark.parametrize("rol", [r for r in Rol if r is not Rol.SYSTEEM])
def test_only_the_system_opens_a_vo(spec: DeciderSpec, rol: Rol) -> None:
    spec.when(cmd(open_vo(), actor(rol), GEOPEND_OP)).then_error(ErrorCode.FORBIDDEN)


def test_the_system_of_another_gemeente_opens_no_vo(spec: DeciderSpec) -> None:
    refusal = spec.when(cmd(open_vo(), actor(Rol.SYSTEEM, "GM0406"), GEOPEND_OP)).then_error(
        ErrorCode.FORBIDDEN
    )

    assert (
        refusal.message == f"GM0406 mag niet handelen voor een verkennend onderzoek van {GEMEENTE}"
    )
