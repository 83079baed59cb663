"""Partners and their subscriptions, managed by functioneel beheer of the managing gemeente."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.notificaties import (
    Abonneer,
    AbonnementAangemaakt,
    AbonnementBeeindigd,
    BeeindigAbonnement,
    GeefLeveringOp,
    HerleverLeveringen,
    Kanaal,
    LeveringenHerleverd,
    LeveringOpgegeven,
    PartnerGeregistreerd,
    PartnerSoort,
    RegistreerPartner,
)

from kernel.access import system_actor
from kernel.decider import Command
from kernel.testing import DeciderSpec, command
from services.notificaties.app import PUBLISHED
from services.notificaties.domain.partners import CODE_IN_GEBRUIK
from services.notificaties.domain.regels import make_rulebook
from services.notificaties.projections import Abonnement

NU = datetime(2026, 12, 1, 12, tzinfo=UTC)
PARTNER = uuid.UUID(int=1)
ABONNEMENT = uuid.UUID(int=2)
BEHEER = Actor(id="beheer-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")
BEHEER_HUIZEN = Actor(id="beheer-2", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0406")
TRIAGIST = Actor(id="t-1", rol=Rol.TRIAGIST, gemeente="GM0402")
VO_GEOPEND = "nl.wvggz.onderzoek.vo-geopend.v1"
RULES = make_rulebook(frozenset({"GM0402", "GM0406"}), PUBLISHED, frozenset({"om"}))

GEREGISTREERD = PartnerGeregistreerd(
    partner_id=PARTNER,
    naam="Openbaar Ministerie",
    oin="00000001003214345000",
    soort=PartnerSoort.OM,
    beheerd_door="GM0402",
    code="om",
)


def spec() -> DeciderSpec:
    return DeciderSpec(RULES.decider)


def registreer() -> RegistreerPartner:
    return RegistreerPartner(
        partner_id=PARTNER,
        naam="Openbaar Ministerie",
        oin="00000001003214345000",
        soort=PartnerSoort.OM,
        beheerd_door="GM0402",
        code="om",
    )


def abonneer(**changes: object) -> Abonneer:
    base = {"partner_id": PARTNER, "abonnement_id": ABONNEMENT, "gebeurtenissen": [VO_GEOPEND]}
    return Abonneer.model_validate(base | changes)


def vrij(payload: RegistreerPartner, houder: uuid.UUID | None = None) -> Command[Any]:
    """The registration as the service looked up who holds its code."""
    return command(payload, BEHEER, NU, feiten={CODE_IN_GEBRUIK: houder})


def test_functioneel_beheer_registers_a_partner_once() -> None:
    spec().when(vrij(registreer())).then(GEREGISTREERD)
    spec().given(GEREGISTREERD).when(vrij(registreer(), PARTNER)).then_error(
        ErrorCode.RULE_VIOLATED, "partner_id"
    )


def test_a_code_names_one_partner_on_the_bus() -> None:
    spec().when(vrij(registreer(), uuid.UUID(int=99))).then_error(ErrorCode.RULE_VIOLATED, "code")
    spec().when(vrij(registreer(), PARTNER)).then(GEREGISTREERD)


def test_only_functioneel_beheer_of_the_managing_gemeente_registers_or_subscribes() -> None:
    spec().when(command(registreer(), TRIAGIST, NU)).then_error(ErrorCode.FORBIDDEN)
    spec().when(command(registreer(), BEHEER_HUIZEN, NU)).then_error(ErrorCode.FORBIDDEN)
    spec().given(GEREGISTREERD).when(command(abonneer(), BEHEER_HUIZEN, NU)).then_error(
        ErrorCode.FORBIDDEN
    )


def test_a_partner_subscribes_to_published_event_types_of_its_region() -> None:
    spec().given(GEREGISTREERD).when(
        command(abonneer(gemeenten=["GM0406", "GM0402", "GM0402"]), BEHEER, NU)
    ).then(
        AbonnementAangemaakt(
            partner_id=PARTNER,
            abonnement_id=ABONNEMENT,
            gebeurtenissen=[VO_GEOPEND],
            gemeenten=["GM0402", "GM0406"],
            kanaal=Kanaal.NATS,
        )
    )


def test_a_subscription_to_what_nobody_publishes_or_outside_the_region_is_refused() -> None:
    unknown = abonneer(gebeurtenissen=["nl.wvggz.onderzoek.bestaat-niet.v1"])
    elsewhere = abonneer(gemeenten=["GM0363"])

    spec().given(GEREGISTREERD).when(command(unknown, BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gebeurtenissen"
    )
    spec().given(GEREGISTREERD).when(command(elsewhere, BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gemeenten"
    )


def test_no_subscription_for_a_partner_nobody_registered() -> None:
    spec().when(command(abonneer(), BEHEER, NU)).then_error(ErrorCode.NOT_FOUND, "partner_id")


def test_a_subscription_ends_once() -> None:
    lopend = AbonnementAangemaakt(
        partner_id=PARTNER,
        abonnement_id=ABONNEMENT,
        gebeurtenissen=[VO_GEOPEND],
        gemeenten=[],
        kanaal=Kanaal.NATS,
    )
    einde = BeeindigAbonnement(partner_id=PARTNER, abonnement_id=ABONNEMENT, reden="Contract af.")

    spec().given(GEREGISTREERD, lopend).when(command(einde, BEHEER, NU)).then(
        AbonnementBeeindigd(partner_id=PARTNER, abonnement_id=ABONNEMENT, reden="Contract af.")
    )
    beeindigd = spec().given(GEREGISTREERD, lopend).when(command(einde, BEHEER, NU)).events
    spec().given(GEREGISTREERD, lopend, *beeindigd).when(command(einde, BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "abonnement_id"
    )
    # An ended subscription's id is not used again: a webhook's secret derives from it.
    spec().given(GEREGISTREERD, lopend, *beeindigd).when(
        command(abonneer(), BEHEER, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "abonnement_id")


def test_the_nats_channel_needs_a_partner_code_with_a_stream_on_the_bus() -> None:
    zonder_code = GEREGISTREERD.model_copy(update={"code": None})
    zonder_stroom = GEREGISTREERD.model_copy(update={"code": "politie-regio"})

    spec().given(zonder_code).when(command(abonneer(), BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "kanaal"
    )
    spec().given(zonder_stroom).when(command(abonneer(), BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "kanaal"
    )


def test_a_webhook_subscription_has_an_https_url_and_a_nats_one_none() -> None:
    url = "https://om.example.nl/wvggz/notificaties"
    spec().given(GEREGISTREERD).when(command(abonneer(kanaal="webhook", url=url), BEHEER, NU)).then(
        AbonnementAangemaakt(
            partner_id=PARTNER,
            abonnement_id=ABONNEMENT,
            gebeurtenissen=[VO_GEOPEND],
            gemeenten=[],
            kanaal=Kanaal.WEBHOOK,
            url=url,
        )
    )
    for wrong in (
        {"kanaal": "webhook"},
        {"url": url},
        {"kanaal": "webhook", "url": "http://om.example.nl/hook"},
        {"kanaal": "webhook", "url": "https://gebruiker:geheim@om.example.nl/"},
        {"kanaal": "webhook", "url": "ftp://om.example.nl/"},
        {"kanaal": "webhook", "url": "https://om.example.nl:99999/"},
        {"kanaal": "webhook", "url": "https://om.example.nl/a b"},
        {"kanaal": "webhook", "url": "https://om.example.nl/\u200b"},
    ):
        with pytest.raises(ValidationError):
            abonneer(**wrong)
    assert abonneer(kanaal="webhook", url="http://127.0.0.1:9000/hook").url


EVENT = uuid.UUID(int=7)
ZAAK = uuid.UUID(int=8)
OPGEVEN = GeefLeveringOp(
    partner_id=PARTNER,
    event_id=EVENT,
    zaak=ZAAK,
    type=VO_GEOPEND,
    pogingen=31,
    reden="HTTP 500",
    sinds=NU,
)
OPGEGEVEN = LeveringOpgegeven(
    partner_id=PARTNER, event_id=EVENT, zaak=ZAAK, type=VO_GEOPEND, pogingen=31,
    reden="HTTP 500", sinds=NU,
)  # fmt: skip
DIENST = system_actor("notificaties", "GM0402")


def test_only_the_service_gives_a_delivery_up_and_only_once() -> None:
    spec().given(GEREGISTREERD).when(command(OPGEVEN, DIENST, NU)).then(OPGEGEVEN)
    spec().given(GEREGISTREERD, OPGEGEVEN).when(command(OPGEVEN, DIENST, NU)).then()
    spec().given(GEREGISTREERD).when(command(OPGEVEN, BEHEER, NU)).then_error(ErrorCode.FORBIDDEN)


def test_functioneel_beheer_releases_only_deliveries_that_were_given_up() -> None:
    herlever = HerleverLeveringen(partner_id=PARTNER, event_ids=[EVENT, EVENT])
    spec().given(GEREGISTREERD, OPGEGEVEN).when(command(herlever, BEHEER, NU)).then(
        LeveringenHerleverd(partner_id=PARTNER, event_ids=[EVENT])
    )
    spec().given(GEREGISTREERD).when(command(herlever, BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "event_ids"
    )
    spec().given(GEREGISTREERD, OPGEGEVEN).when(command(herlever, TRIAGIST, NU)).then_error(
        ErrorCode.FORBIDDEN
    )


def test_a_partner_subscribes_to_whole_procedures_and_gets_their_new_event_types_too() -> None:
    procedure = abonneer(gebeurtenissen=[], procedures=["crisis", "crisis"])

    spec().given(GEREGISTREERD).when(command(procedure, BEHEER, NU)).then(
        AbonnementAangemaakt(
            partner_id=PARTNER,
            abonnement_id=ABONNEMENT,
            gebeurtenissen=[],
            procedures=["crisis"],
            gemeenten=[],
            kanaal=Kanaal.NATS,
        )
    )
    lopend = Abonnement(
        abonnement_id=ABONNEMENT, gebeurtenissen=[], procedures=["crisis"], gemeenten=["GM0402"],
        kanaal=Kanaal.NATS,
    )  # fmt: skip
    assert lopend.dekt("nl.wvggz.crisis.een-later-type.v1", "GM0402")
    assert not lopend.dekt(VO_GEOPEND, "GM0402")
    assert not lopend.dekt("nl.wvggz.crisis.besluit-genomen.v1", "GM0406")
    with pytest.raises(ValidationError, match="kies soorten gebeurtenissen of procedures"):
        abonneer(gebeurtenissen=[])
