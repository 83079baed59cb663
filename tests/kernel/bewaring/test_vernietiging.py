"""A dossier's destruction: proposed only once its term passed (or on request), approved by
another functioneel beheerder, held until a day, then recorded with who approved it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from wvggz_contracts.bewaring import (
    Grond,
    HoudVernietigingAan,
    KeurVernietigingGoed,
    LegVernietigingVast,
    PersoonsgegevensVernietigd,
    StelVernietigingVoor,
    VernietigingAangehouden,
    VernietigingGoedgekeurd,
    VernietigingVoorgesteld,
)
from wvggz_contracts.commands import Actor, ErrorCode, Rol

from kernel.bewaring import Dossier, bewaring_rulebook
from kernel.bewaring.regels import DOSSIER
from kernel.decider import Command
from kernel.testing import DeciderSpec, command

ZAAK = uuid.uuid4()
STROMEN = (f"melding-{ZAAK}",)
GESLOTEN = datetime(2020, 3, 1, 10, tzinfo=UTC)
NA_TERMIJN = datetime(2025, 3, 2, 10, tzinfo=UTC)
DOSSIER_ = Dossier(ZAAK, "GM0402", STROMEN, GESLOTEN)
SYSTEEM = Actor(id="meldpunt", rol=Rol.SYSTEEM, gemeente="GM0402")
BEHEER = Actor(id="fb-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")
ANDER_BEHEER = Actor(id="fb-2", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")
ELDERS = Actor(id="fb-3", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0406")
RULEBOOK = bewaring_rulebook("meldpunt", termijn_jaren=5)


def spec() -> DeciderSpec:
    return DeciderSpec(RULEBOOK.decider)


def voorstel(
    at: datetime = NA_TERMIJN,
    actor: Actor = SYSTEEM,
    grond: Grond = Grond.BEWAARTERMIJN,
    dossier: Dossier | None = DOSSIER_,
) -> Command[StelVernietigingVoor]:
    payload = StelVernietigingVoor(zaak=ZAAK, gemeente="GM0402", grond=grond)
    return command(payload, actor, at, feiten={DOSSIER: dossier})


def voorgesteld(
    grond: Grond = Grond.BEWAARTERMIJN, door: str = "meldpunt"
) -> VernietigingVoorgesteld:
    return VernietigingVoorgesteld(
        zaak=ZAAK,
        gemeente="GM0402",
        grond=grond,
        stromen=list(STROMEN),
        afgesloten_op=GESLOTEN,
        termijn_jaren=5 if grond is Grond.BEWAARTERMIJN else None,
        voorgesteld_door=door,
    )


def vernietigd(op: datetime) -> PersoonsgegevensVernietigd:
    """The record of the service's own proposal, approved by fb-1, carried out at `op`."""
    return PersoonsgegevensVernietigd(
        zaak=ZAAK,
        gemeente="GM0402",
        stromen=list(STROMEN),
        grond=Grond.BEWAARTERMIJN,
        voorgesteld_door="meldpunt",
        goedgekeurd_door="fb-1",
        goedgekeurd_op=NA_TERMIJN,
        vernietigd_op=op,
    )


GOEDGEKEURD = VernietigingGoedgekeurd(zaak=ZAAK, goedgekeurd_door="fb-1", goedgekeurd_op=NA_TERMIJN)


def test_the_service_proposes_a_closed_dossier_whose_term_passed() -> None:
    spec().when(voorstel()).then(voorgesteld())


def test_a_dossier_is_not_proposed_before_its_term_ends() -> None:
    early = GESLOTEN + timedelta(days=5 * 365)
    error = spec().when(voorstel(at=early)).then_error(ErrorCode.RULE_VIOLATED, "grond")
    assert "2025-03-01" in error.message


def test_an_open_dossier_is_never_proposed_not_even_on_request() -> None:
    open_ = Dossier(ZAAK, "GM0402", STROMEN, None)
    on_request = voorstel(actor=BEHEER, grond=Grond.VERZOEK, dossier=open_)
    spec().when(on_request).then_error(ErrorCode.RULE_VIOLATED, "zaak")


def test_on_request_a_closed_dossier_is_proposed_before_its_term() -> None:
    at = GESLOTEN + timedelta(days=30)
    spec().when(voorstel(at=at, actor=BEHEER, grond=Grond.VERZOEK)).then(
        voorgesteld(Grond.VERZOEK, door="fb-1")
    )


def test_an_unknown_dossier_is_not_found() -> None:
    spec().when(voorstel(dossier=None)).then_error(ErrorCode.NOT_FOUND, "zaak")


def test_another_gemeente_cannot_propose_or_approve() -> None:
    spec().when(voorstel(actor=ELDERS)).then_error(ErrorCode.FORBIDDEN)
    keur = command(KeurVernietigingGoed(zaak=ZAAK), ELDERS, NA_TERMIJN)
    spec().given(voorgesteld()).when(keur).then_error(ErrorCode.FORBIDDEN)


def test_functioneel_beheer_approves_and_the_record_names_both() -> None:
    keur = command(KeurVernietigingGoed(zaak=ZAAK), BEHEER, NA_TERMIJN)
    spec().given(voorgesteld()).when(keur).then(GOEDGEKEURD)
    later = NA_TERMIJN + timedelta(hours=1)
    vast = command(LegVernietigingVast(zaak=ZAAK), SYSTEEM, later)
    spec().given(voorgesteld(), GOEDGEKEURD).when(vast).then(vernietigd(later))


def test_whoever_proposed_on_request_does_not_approve_too() -> None:
    keur = command(KeurVernietigingGoed(zaak=ZAAK), BEHEER, NA_TERMIJN)
    given = spec().given(voorgesteld(Grond.VERZOEK, door="fb-1"))
    assert "niet zelf" in given.when(keur).then_error(ErrorCode.FORBIDDEN).message
    other = command(KeurVernietigingGoed(zaak=ZAAK), ANDER_BEHEER, NA_TERMIJN)
    assert spec().given(voorgesteld(Grond.VERZOEK, door="fb-1")).when(other).events


@pytest.mark.parametrize("rol", [Rol.TRIAGIST, Rol.CONSULENT, Rol.SYSTEEM, Rol.BURGEMEESTER])
def test_only_functioneel_beheer_approves(rol: Rol) -> None:
    actor = Actor(id="x", rol=rol, gemeente="GM0402")
    keur = command(KeurVernietigingGoed(zaak=ZAAK), actor, NA_TERMIJN)
    spec().given(voorgesteld()).when(keur).then_error(ErrorCode.FORBIDDEN)


def test_only_the_service_records_a_destruction_and_only_once_approved() -> None:
    vast = command(LegVernietigingVast(zaak=ZAAK), BEHEER, NA_TERMIJN)
    spec().given(voorgesteld(), GOEDGEKEURD).when(vast).then_error(ErrorCode.FORBIDDEN)
    unapproved = command(LegVernietigingVast(zaak=ZAAK), SYSTEEM, NA_TERMIJN)
    spec().given(voorgesteld()).when(unapproved).then_error(ErrorCode.RULE_VIOLATED)


def test_a_held_proposal_comes_back_from_its_day_and_not_before() -> None:
    tot = date(2025, 6, 1)
    houd = command(
        HoudVernietigingAan(zaak=ZAAK, tot=tot, reden="beroep loopt"), BEHEER, NA_TERMIJN
    )
    aangehouden = VernietigingAangehouden(zaak=ZAAK, tot=tot, reden="beroep loopt")
    spec().given(voorgesteld()).when(houd).then(aangehouden)
    before = voorstel(at=datetime(2025, 5, 31, 12, tzinfo=UTC))
    spec().given(voorgesteld(), aangehouden).when(before).then_error(ErrorCode.RULE_VIOLATED)
    spec().given(voorgesteld(), aangehouden).when(
        voorstel(at=datetime(2025, 6, 1, 8, tzinfo=UTC))
    ).then(voorgesteld())


def test_holding_needs_a_later_day_and_a_pending_proposal() -> None:
    today = command(
        HoudVernietigingAan(zaak=ZAAK, tot=NA_TERMIJN.date(), reden="x"), BEHEER, NA_TERMIJN
    )
    spec().given(voorgesteld()).when(today).then_error(ErrorCode.RULE_VIOLATED, "tot")
    spec().when(today).then_error(ErrorCode.NOT_FOUND)


def test_a_destroyed_or_pending_dossier_is_not_proposed_again() -> None:
    spec().given(voorgesteld(), GOEDGEKEURD, vernietigd(NA_TERMIJN)).when(voorstel()).then_error(
        ErrorCode.RULE_VIOLATED
    )
    spec().given(voorgesteld()).when(voorstel()).then_error(ErrorCode.RULE_VIOLATED)
