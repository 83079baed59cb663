"""The state of one VO folded from its events, readable by the rules and a deadline watcher."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    AanvraagIngediend,
    AfsluitReden,
    ConsulentToegewezen,
    GgzConsultatieVastgelegd,
    OvjReactieOntvangen,
    TermijnVerstreken,
    TermijnWaarschuwing,
    Toets,
    ToetsBeoordeeld,
    VoAfgesloten,
    VoGeopend,
    VoRapportVastgelegd,
)
from wvggz_contracts.personen import RECHT_OP_TERUGKOPPELING

from kernel.decider import DomainError


@dataclass(frozen=True, slots=True)
class Uitslag:
    """One core question as answered."""

    toets: Toets
    aannemelijk: bool
    motivatie: str


@dataclass(frozen=True, slots=True)
class Onderzoek:
    """What the rules need to know of one VO; `geopend` holds its identity, term and parties."""

    geopend: VoGeopend | None = None
    consulent: str | None = None
    uitslagen: tuple[Uitslag, ...] = ()
    ggz_uren: Decimal = Decimal(0)
    ggz_geconsulteerd: bool = False
    jeugdexpertise_geconsulteerd: bool = False
    rapport_id: UUID | None = None
    afsluitreden: AfsluitReden | None = None
    afgesloten_op: datetime | None = None
    aanvraag_ingediend_op: datetime | None = None
    ovj_reactie_ontvangen: bool = False
    gewaarschuwd: bool = False
    verstreken: bool = False

    @property
    def bestaat(self) -> bool:
        """Whether the VO was opened."""
        return self.geopend is not None

    @property
    def open(self) -> bool:
        """Whether the VO was opened and is not closed."""
        return self.geopend is not None and self.afgesloten_op is None

    @property
    def fase(self) -> str:
        """Where the VO stands, in words for people."""
        if self.open:
            return f"loopt ({len(self.uitslagen)} van 3 kernvragen beoordeeld)"
        if self.aanvraag_ingediend_op is not None:
            wacht = "" if self.ovj_reactie_ontvangen else ", wacht op de officier van justitie"
            return f"aanvraag ingediend{wacht}"
        return "afgesloten zonder aanvraag"

    @property
    def vo_id(self) -> UUID | None:
        """The VO's id, once opened."""
        return self.geopend.vo_id if self.geopend else None

    @property
    def gemeente(self) -> str | None:
        """The gemeente the VO belongs to, once opened."""
        return self.geopend.gemeente if self.geopend else None

    @property
    def deadline(self) -> datetime | None:
        """When the VO's term ends, once opened."""
        return self.geopend.deadline if self.geopend else None

    @property
    def waarschuwing_op(self) -> datetime | None:
        """When staff are warned that the term is running out, once opened."""
        return self.geopend.waarschuwing_op if self.geopend else None

    @property
    def volgende_toets(self) -> Toets | None:
        """The core question to answer next; None when all three are answered."""
        beantwoord = {u.toets for u in self.uitslagen}
        return next((t for t in Toets if t not in beantwoord), None)

    @property
    def alle_toetsen_ja(self) -> bool:
        """Whether all three core questions were answered aannemelijk."""
        return self.volgende_toets is None and all(u.aannemelijk for u in self.uitslagen)

    @property
    def kinderpsychiatrie_nodig(self) -> bool:
        """Whether the betrokkene was a minor at the melding (seed 001 §2.5), once opened."""
        return self.geopend is not None and self.geopend.kinderpsychiatrie_nodig

    @property
    def melder_heeft_recht_op_terugkoppeling(self) -> bool:
        """Whether the melder is entitled to hear the outcome (seed 001 §3.1)."""
        return self.geopend is not None and self.geopend.melder.relatie in RECHT_OP_TERUGKOPPELING


def geopend(state: Onderzoek) -> VoGeopend:
    """The opening of the VO, or NOT_FOUND when it was never opened."""
    if state.geopend is None:
        raise DomainError(ErrorCode.NOT_FOUND, "dit verkennend onderzoek bestaat niet")
    return state.geopend


def evolve(state: Onderzoek, event: DomainEvent) -> Onderzoek:
    """The VO after one more event."""
    match event:
        case VoGeopend():
            return replace(state, geopend=event)
        case ConsulentToegewezen():
            return replace(state, consulent=event.consulent)
        case GgzConsultatieVastgelegd():
            return replace(
                state,
                ggz_uren=event.totaal_uren,
                ggz_geconsulteerd=True,
                jeugdexpertise_geconsulteerd=state.jeugdexpertise_geconsulteerd
                or event.jeugdexpertise,
            )
        case ToetsBeoordeeld():
            uitslag = Uitslag(event.toets, event.aannemelijk, event.motivatie)
            return replace(state, uitslagen=(*state.uitslagen, uitslag))
        case VoRapportVastgelegd():
            return replace(state, rapport_id=event.rapport_id)
        case AanvraagIngediend():
            return replace(state, aanvraag_ingediend_op=event.ingediend_op)
        case VoAfgesloten():
            return replace(state, afsluitreden=event.reden, afgesloten_op=event.afgesloten_op)
        case OvjReactieOntvangen():
            return replace(state, ovj_reactie_ontvangen=True)
        case TermijnWaarschuwing():
            return replace(state, gewaarschuwd=True)
        case TermijnVerstreken():
            return replace(state, verstreken=True)
    return state
