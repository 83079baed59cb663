"""A letter's life as events: made once, sent by a partner's channel or confirmed as posted,
delivered or failed, and exactly one verstrekking for the disclosure it made."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from wvggz_contracts.brieven import (
    BevestigAflevering,
    BevestigPostverzending,
    BriefAangemaakt,
    BriefAfgeleverd,
    BriefKlaargezet,
    BriefMislukt,
    BriefVerzonden,
    BriefVorm,
    MaakBriefAan,
    RegistreerMislukking,
    VerstrekkingGeregistreerd,
    VerzendBrief,
    Verzendwijze,
    ZetBriefKlaar,
)
from wvggz_contracts.commands import Actor, ErrorCode, Rol

from kernel.access import system_actor
from kernel.testing import DeciderSpec, command
from services.notificaties.domain.briefregels import make_brief_rulebook
from services.notificaties.domain.brieven import CATEGORIEEN

NU = datetime(2026, 12, 1, 12, tzinfo=UTC)
BRIEF = uuid.UUID(int=1)
ZAAK = uuid.UUID(int=2)
PARTNER = uuid.UUID(int=3)
DIENST = system_actor("notificaties", "GM0402")
BEHEER = Actor(id="beheer-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")
ELDERS = Actor(id="beheer-2", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0406")
GRONDSLAG = "art. 7:8 lid 1 Wvggz"

KLAAR = BriefKlaargezet(
    brief_id=BRIEF,
    zaak=ZAAK,
    gemeente="GM0402",
    vorm=BriefVorm.AFSCHRIFT,
    ontvanger="igj",
    bron_type="nl.wvggz.crisis.afschrift-klaargezet.v1",
    bron={"rechtsgrond": GRONDSLAG},
)
GEMAAKT = BriefAangemaakt(
    brief_id=BRIEF,
    kenmerk="CM-1",
    sha256="a" * 64,
    paginas=1,
    aangemaakt_op=NU,
    wijze=Verzendwijze.PARTNER,
    partner_id=PARTNER,
)
PER_POST = GEMAAKT.model_copy(update={"wijze": Verzendwijze.POST, "partner_id": None})
NAAR_PARTNER = BriefVerzonden(
    brief_id=BRIEF, wijze=Verzendwijze.PARTNER, partner_id=PARTNER, verzonden_op=NU
)


def spec() -> DeciderSpec:
    return DeciderSpec(make_brief_rulebook().decider)


def verstrekking(wijze: Verzendwijze, partner: uuid.UUID | None) -> VerstrekkingGeregistreerd:
    return VerstrekkingGeregistreerd(
        brief_id=BRIEF,
        zaak=ZAAK,
        aan="igj",
        partner_id=partner,
        categorieen=CATEGORIEEN[BriefVorm.AFSCHRIFT],
        grondslag=GRONDSLAG,
        wijze=wijze,
        op=NU,
    )


def test_the_service_puts_a_letter_ready_once_and_makes_it_once() -> None:
    klaar = ZetBriefKlaar(**KLAAR.model_dump(exclude={"event_type"}))
    maak = MaakBriefAan(
        brief_id=BRIEF,
        kenmerk="CM-1",
        sha256="a" * 64,
        paginas=1,
        wijze=Verzendwijze.PARTNER,
        partner_id=PARTNER,
    )
    zonder_partner = maak.model_copy(update={"partner_id": None})

    spec().when(command(klaar, DIENST, NU)).then(KLAAR)
    spec().given(KLAAR).when(command(klaar, DIENST, NU)).then()
    spec().when(command(klaar, BEHEER, NU)).then_error(ErrorCode.FORBIDDEN)
    spec().given(KLAAR).when(command(maak, DIENST, NU)).then(GEMAAKT)
    spec().given(KLAAR, GEMAAKT).when(command(maak, DIENST, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "brief_id"
    )
    spec().given(KLAAR).when(command(zonder_partner, DIENST, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "wijze"
    )


def test_a_letter_to_a_partner_is_disclosed_when_the_partner_has_it() -> None:
    verzend = VerzendBrief(brief_id=BRIEF, partner_id=PARTNER)
    bevestig = BevestigAflevering(brief_id=BRIEF)

    spec().given(KLAAR).when(command(verzend, DIENST, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "brief_id"
    )
    spec().given(KLAAR, GEMAAKT).when(command(verzend, DIENST, NU)).then(NAAR_PARTNER)
    spec().given(KLAAR, GEMAAKT, NAAR_PARTNER).when(command(bevestig, DIENST, NU)).then(
        BriefAfgeleverd(brief_id=BRIEF, afgeleverd_op=NU),
        verstrekking(Verzendwijze.PARTNER, PARTNER),
    )
    afgeleverd = BriefAfgeleverd(brief_id=BRIEF, afgeleverd_op=NU)
    spec().given(KLAAR, GEMAAKT, NAAR_PARTNER, afgeleverd).when(
        command(bevestig, DIENST, NU)
    ).then()


def test_functioneel_beheer_confirms_what_the_mail_room_posted_in_its_own_gemeente() -> None:
    post = BevestigPostverzending(brief_id=BRIEF)

    spec().given(KLAAR, PER_POST).when(command(post, BEHEER, NU)).then(
        BriefVerzonden(brief_id=BRIEF, wijze=Verzendwijze.POST, verzonden_op=NU),
        verstrekking(Verzendwijze.POST, None),
    )
    spec().given(KLAAR, PER_POST).when(command(post, ELDERS, NU)).then_error(ErrorCode.FORBIDDEN)
    # A letter made for a partner never goes by post too.
    spec().given(KLAAR, GEMAAKT).when(command(post, BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "brief_id"
    )


def test_a_letter_given_up_and_then_released_still_registers_its_late_delivery() -> None:
    mislukt = BriefMislukt(brief_id=BRIEF, reden="opgegeven", op=NU)

    spec().given(KLAAR, GEMAAKT, NAAR_PARTNER, mislukt).when(
        command(BevestigAflevering(brief_id=BRIEF), DIENST, NU)
    ).then(
        BriefAfgeleverd(brief_id=BRIEF, afgeleverd_op=NU),
        verstrekking(Verzendwijze.PARTNER, PARTNER),
    )


def test_a_letter_goes_only_to_the_partner_it_was_made_for() -> None:
    ander = VerzendBrief(brief_id=BRIEF, partner_id=uuid.UUID(int=77))

    spec().given(KLAAR, GEMAAKT).when(command(ander, DIENST, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "partner_id"
    )
    spec().given(KLAAR, PER_POST).when(
        command(VerzendBrief(brief_id=BRIEF, partner_id=PARTNER), DIENST, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "brief_id")


def test_a_letter_that_did_not_arrive_is_failed_once_and_never_after_delivery() -> None:
    mislukt = RegistreerMislukking(brief_id=BRIEF, reden="opgegeven")
    afgeleverd = BriefAfgeleverd(brief_id=BRIEF, afgeleverd_op=NU)

    spec().given(KLAAR, GEMAAKT).when(command(mislukt, DIENST, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "brief_id"
    )
    spec().given(KLAAR, GEMAAKT, NAAR_PARTNER, afgeleverd).when(
        command(mislukt, DIENST, NU)
    ).then_error(ErrorCode.RULE_VIOLATED, "brief_id")
    spec().when(command(mislukt, BEHEER, NU)).then_error(ErrorCode.NOT_FOUND, "brief_id")
