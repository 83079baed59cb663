"""The state of one crisis case folded from its events, readable by the rules and by views."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import (
    AdvocaatToegewezen,
    AdvocaatToewijzingGevraagd,
    BesluitAfgewezen,
    BesluitGenomen,
    BesluitTermijnVerstreken,
    BesluitTermijnWaarschuwing,
    CrisisGemeld,
    CrisismaatregelBeeindigd,
    CrisismaatregelVerlopen,
    HoorverslagVastgelegd,
    HorenOnmogelijk,
    IntegraalAdviesSamengesteld,
    MedischeVerklaringHeropend,
    MedischeVerklaringOndertekend,
    MedischeVerklaringOpgesteld,
    OvjGegevensGevraagd,
    OvjGegevensOntvangen,
    RechterlijkeBeslissingGeregistreerd,
    RechterlijkVerzoek,
    TijdelijkeVerplichteZorgVastgelegd,
    VerzoekVoortzettingIngediend,
    VerzoekZorgmachtigingIngediend,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import DomainError


@dataclass(frozen=True, slots=True)
class Verklaring:
    """The current medische verklaring: who drafted it, its conclusion, whether it is signed."""

    verklaring_id: UUID
    psychiater: str
    alle_criteria_voldaan: bool
    ondertekend: bool = False


@dataclass(frozen=True, slots=True)
class Crisis:
    """What the rules and a deadline view need to know of one crisis case."""

    gemeld: CrisisGemeld | None = None
    tijdelijke_zorg: int = 0
    ovj_gevraagd: bool = False
    ovj_ontvangen: bool = False
    verklaring: Verklaring | None = None
    hoorverslag: HoorverslagVastgelegd | None = None
    horen_onmogelijk: HorenOnmogelijk | None = None
    advies: IntegraalAdviesSamengesteld | None = None
    besluit: BesluitGenomen | BesluitAfgewezen | None = None
    eindigt_op: datetime | None = None
    """When the measure ends as things stand; None before a decision that takes it."""
    voortzetting_ingediend_op: datetime | None = None
    voortzetting_start: datetime | None = None
    """When the court granted the machtiging tot voortzetting."""
    voortzetting_beslist: bool = False
    zorgmachtiging_ingediend_op: datetime | None = None
    zorgmachtiging_beslist: bool = False
    advocaat_gevraagd: bool = False
    """An advocaat assignment was asked for and has not been registered yet."""
    advocaat: str | None = None
    geeindigd_op: datetime | None = None
    """When the measure ended: expired, ended by the GD or by a court decision."""
    gewaarschuwd: bool = False
    besluit_termijn_verstreken: bool = False
    verlopen: bool = False

    @property
    def bestaat(self) -> bool:
        """Whether the case was started."""
        return self.gemeld is not None

    @property
    def crisis_id(self) -> UUID | None:
        """The case's id, once started."""
        return self.gemeld.crisis_id if self.gemeld else None

    @property
    def gemeente(self) -> str | None:
        """The gemeente where the betrokkene is, once started."""
        return self.gemeld.gemeente if self.gemeld else None

    @property
    def besluit_uiterlijk(self) -> datetime | None:
        """The 18-hour norm for the decision, once started."""
        return self.gemeld.besluit_uiterlijk if self.gemeld else None

    @property
    def waarschuwing_op(self) -> datetime | None:
        """When staff are warned that no decision was taken yet, once started."""
        return self.gemeld.waarschuwing_op if self.gemeld else None

    @property
    def besloten(self) -> bool:
        """Whether the burgemeester decided (either way)."""
        return self.besluit is not None

    @property
    def maatregel_loopt(self) -> bool:
        """Whether a crisismaatregel was taken and has not ended."""
        return isinstance(self.besluit, BesluitGenomen) and self.geeindigd_op is None

    @property
    def open(self) -> bool:
        """Whether the case awaits a decision or its measure runs."""
        if self.gemeld is None or isinstance(self.besluit, BesluitAfgewezen):
            return False
        return self.geeindigd_op is None

    @property
    def fase(self) -> str:
        """Where the case stands, in words for people."""
        if isinstance(self.besluit, BesluitAfgewezen):
            return "besluit: geen crisismaatregel"
        if self.besluit is None:
            return "voorbereiding van het besluit" if self.advies is None else "advies ligt klaar"
        if self.verlopen:
            return "crisismaatregel verlopen"
        return "crisismaatregel loopt" if self.geeindigd_op is None else "crisismaatregel beëindigd"

    @property
    def gehoord(self) -> bool:
        """Whether the hearing has an outcome: a hoorverslag or the reason it was impossible."""
        return self.hoorverslag is not None or self.horen_onmogelijk is not None


def gemeld(state: Crisis) -> CrisisGemeld:
    """The start of the case, or NOT_FOUND when it was never started."""
    if state.gemeld is None:
        raise DomainError(ErrorCode.NOT_FOUND, "deze crisiszaak bestaat niet")
    return state.gemeld


def evolve(state: Crisis, event: DomainEvent) -> Crisis:
    """The case after one more event."""
    match event:
        case CrisisGemeld():
            return replace(state, gemeld=event)
        case TijdelijkeVerplichteZorgVastgelegd():
            return replace(state, tijdelijke_zorg=state.tijdelijke_zorg + 1)
        case OvjGegevensGevraagd():
            return replace(state, ovj_gevraagd=True)
        case OvjGegevensOntvangen():
            return replace(state, ovj_ontvangen=True)
        case MedischeVerklaringOpgesteld():
            verklaring = Verklaring(
                event.verklaring_id, event.psychiater, event.alle_criteria_voldaan
            )
            return replace(state, verklaring=verklaring)
        case MedischeVerklaringOndertekend() if state.verklaring is not None:
            return replace(state, verklaring=replace(state.verklaring, ondertekend=True))
        case MedischeVerklaringHeropend():
            return replace(state, verklaring=None)
        case HoorverslagVastgelegd():
            return replace(state, hoorverslag=event)
        case HorenOnmogelijk():
            return replace(state, horen_onmogelijk=event)
        case IntegraalAdviesSamengesteld():
            return replace(state, advies=event)
        case BesluitGenomen():
            return replace(
                state, besluit=event, eindigt_op=event.eindigt_op, advocaat=event.advocaat
            )
        case BesluitAfgewezen():
            return replace(state, besluit=event, advocaat=event.advocaat)
        case AdvocaatToewijzingGevraagd():
            return replace(state, advocaat_gevraagd=True)
        case AdvocaatToegewezen():
            return replace(state, advocaat=event.advocaat, advocaat_gevraagd=False)
        case _:
            return _verloop(state, event)


def _verloop(state: Crisis, event: DomainEvent) -> Crisis:
    """The measure's course after the decision, and the deadline signals."""
    match event:
        # A request or court decision registered after a (premature) expiry revives the measure.
        case VerzoekVoortzettingIngediend():
            state = replace(state, voortzetting_ingediend_op=event.ingediend_op)
            return _loopt_tot(state, event.eindigt_op)
        case RechterlijkeBeslissingGeregistreerd():
            if event.verzoek == RechterlijkVerzoek.VOORTZETTING:
                start = event.beslist_op if event.toegewezen else None
                state = replace(state, voortzetting_beslist=True, voortzetting_start=start)
            else:
                state = replace(state, zorgmachtiging_beslist=True)
            if event.loopt_door:
                return _loopt_tot(state, event.eindigt_op)
            return replace(state, eindigt_op=event.eindigt_op, geeindigd_op=event.beslist_op)
        case VerzoekZorgmachtigingIngediend():
            state = replace(state, zorgmachtiging_ingediend_op=event.ingediend_op)
            return _loopt_tot(state, event.eindigt_op)
        case CrisismaatregelBeeindigd():
            return replace(state, geeindigd_op=event.beeindigd_op)
        case BesluitTermijnWaarschuwing():
            return replace(state, gewaarschuwd=True)
        case BesluitTermijnVerstreken():
            return replace(state, besluit_termijn_verstreken=True)
        case CrisismaatregelVerlopen():
            return replace(state, verlopen=True, geeindigd_op=event.eindigt_op)
    return state


def _loopt_tot(state: Crisis, eindigt_op: datetime) -> Crisis:
    return replace(state, eindigt_op=eindigt_op, geeindigd_op=None, verlopen=False)
