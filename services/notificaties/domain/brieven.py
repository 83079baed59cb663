"""A letter or afschrift: made, sent by a partner's channel or by post, delivered or not, and
the disclosure of personal data it makes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

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
from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, DomainError, violated

GRONDSLAG_MELDERBRIEF = "art. 5:1 en 5:2 Wvggz (terugkoppeling aan de melder)"
"""Why a melder may be told what became of the melding [DOMAIN.md §2; check the exact list]."""

CATEGORIEEN: dict[BriefVorm, list[str]] = {
    BriefVorm.AFSCHRIFT: ["naam van de betrokkene", "besluit crisismaatregel (gezondheid)"],
    BriefVorm.MELDERBRIEF: ["ontvangst en uitkomst van de melding"],
}
"""What kinds of personal data a letter of each kind discloses."""


@dataclass(frozen=True)
class Brief:
    """Where one letter stands."""

    klaargezet: BriefKlaargezet | None = None
    aangemaakt: BriefAangemaakt | None = None
    verzonden: BriefVerzonden | None = None
    afgeleverd: bool = False
    mislukt: str | None = None

    @property
    def fase(self) -> str:
        """Where the letter stands, in words for people."""
        if self.mislukt is not None:
            return "mislukt"
        if self.afgeleverd:
            return "afgeleverd"
        if self.verzonden is not None:
            return "verzonden"
        if self.aangemaakt is not None:
            return "aangemaakt"
        return "klaargezet" if self.klaargezet is not None else ""


def evolve(state: Brief, event: DomainEvent) -> Brief:
    """The letter after one more event."""
    if isinstance(event, BriefKlaargezet):
        return replace(state, klaargezet=event)
    if isinstance(event, BriefAangemaakt):
        return replace(state, aangemaakt=event)
    if isinstance(event, BriefVerzonden):
        return replace(state, verzonden=event)
    if isinstance(event, BriefAfgeleverd):
        return replace(state, afgeleverd=True, mislukt=None)
    if isinstance(event, BriefMislukt):
        return replace(state, mislukt=event.reden)
    return state


def gemeente_of(state: Brief) -> str | None:
    """The gemeente whose letter it is."""
    return state.klaargezet.gemeente if state.klaargezet else None


def bestaat(state: Brief, _command: Command[Any]) -> None:
    """Every step after the first is of a letter that was put ready."""
    if state.klaargezet is None:
        raise DomainError(ErrorCode.NOT_FOUND, "geen brief met dit id", "brief_id")


def zet_klaar(command: Command[ZetBriefKlaar], state: Brief) -> list[DomainEvent]:
    """Put a letter ready, once."""
    if state.klaargezet is not None:
        return []
    p = command.payload
    return [
        BriefKlaargezet(
            brief_id=p.brief_id,
            zaak=p.zaak,
            gemeente=p.gemeente,
            vorm=p.vorm,
            ontvanger=p.ontvanger,
            bron_type=p.bron_type,
            bron=p.bron,
        )
    ]


def maak_aan(command: Command[MaakBriefAan], state: Brief) -> list[DomainEvent]:
    """The document was rendered; a letter is made once."""
    if state.aangemaakt is not None:
        raise violated("deze brief is al aangemaakt", "brief_id")
    p = command.payload
    if (p.wijze is Verzendwijze.PARTNER) != (p.partner_id is not None):
        raise violated("een brief naar een partner noemt die partner, een per post geen", "wijze")
    return [
        BriefAangemaakt(
            brief_id=p.brief_id,
            kenmerk=p.kenmerk,
            sha256=p.sha256,
            paginas=p.paginas,
            aangemaakt_op=command.at,
            wijze=p.wijze,
            partner_id=p.partner_id,
        )
    ]


WEG = {Verzendwijze.PARTNER: "naar een partner", Verzendwijze.POST: "per post"}


def _te_verzenden(state: Brief, wijze: Verzendwijze) -> None:
    if state.aangemaakt is None:
        raise violated("deze brief is nog niet aangemaakt", "brief_id")
    if state.verzonden is not None:
        raise violated("deze brief is al verzonden", "brief_id")
    if state.aangemaakt.wijze is not wijze:
        raise violated(f"deze brief gaat niet {WEG[wijze]}", "brief_id")


def verzend(command: Command[VerzendBrief], state: Brief) -> list[DomainEvent]:
    """Queued for the recipient's partner channel: disclosed once it arrives."""
    _te_verzenden(state, Verzendwijze.PARTNER)
    p = command.payload
    assert state.aangemaakt is not None
    if p.partner_id != state.aangemaakt.partner_id:
        raise violated("deze brief gaat naar een andere partner", "partner_id")
    return [
        BriefVerzonden(
            brief_id=p.brief_id,
            wijze=Verzendwijze.PARTNER,
            partner_id=p.partner_id,
            verzonden_op=command.at,
        )
    ]


def bevestig_post(command: Command[BevestigPostverzending], state: Brief) -> list[DomainEvent]:
    """Posted by the mail room: the letter left, and with it the data it holds."""
    _te_verzenden(state, Verzendwijze.POST)
    verzonden = BriefVerzonden(
        brief_id=command.payload.brief_id, wijze=Verzendwijze.POST, verzonden_op=command.at
    )
    return [verzonden, verstrekking(state, verzonden, command)]


def bevestig_aflevering(command: Command[BevestigAflevering], state: Brief) -> list[DomainEvent]:
    """The partner has it: delivered, and the disclosure registered; also when it arrives after
    it was given up (an operator released it), so the register misses no disclosure."""
    if state.verzonden is None or state.verzonden.wijze is not Verzendwijze.PARTNER:
        raise violated("deze brief ging niet naar een partner", "brief_id")
    if state.afgeleverd:
        return []
    afgeleverd = BriefAfgeleverd(brief_id=command.payload.brief_id, afgeleverd_op=command.at)
    return [afgeleverd, verstrekking(state, state.verzonden, command)]


def registreer_mislukking(
    command: Command[RegistreerMislukking], state: Brief
) -> list[DomainEvent]:
    """It did not arrive: given up on the partner channel, or returned by post."""
    if state.verzonden is None:
        raise violated("deze brief is nog niet verzonden", "brief_id")
    if state.afgeleverd or state.mislukt is not None:
        raise violated("deze brief is al afgeleverd of mislukt", "brief_id")
    p = command.payload
    return [BriefMislukt(brief_id=p.brief_id, reden=p.reden, op=command.at)]


def verstrekking(
    state: Brief, verzonden: BriefVerzonden, command: Command[Any]
) -> VerstrekkingGeregistreerd:
    """The register entry of the disclosure a letter makes."""
    brief = state.klaargezet
    assert brief is not None  # checked by the rule's phase
    grondslag = (
        str(brief.bron.get("rechtsgrond") or "")
        if brief.vorm is BriefVorm.AFSCHRIFT
        else GRONDSLAG_MELDERBRIEF
    )
    return VerstrekkingGeregistreerd(
        brief_id=brief.brief_id,
        zaak=brief.zaak,
        aan=brief.ontvanger,
        partner_id=verzonden.partner_id,
        categorieen=CATEGORIEEN[brief.vorm],
        grondslag=grondslag or "onbekend",
        wijze=verzonden.wijze,
        op=command.at,
    )
