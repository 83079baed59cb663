"""The meldpunt's views: werkvoorraad, dossier and the index that finds related meldingen."""

from __future__ import annotations

import hashlib
import hmac
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import (
    MeldingOntvangen,
    MeldingOvergedragen,
    TriageAfgerond,
    TriageUitkomst,
    VoAfsluitingGeregistreerd,
)
from wvggz_contracts.personal import VERNIETIGD
from wvggz_contracts.personen import Betrokkene

from kernel.bewaring import Archief
from kernel.projection import CaseView, EventMeta, Tijdlijn
from services.meldpunt.domain.regels import CATEGORY

MELDINGEN = frozenset({CATEGORY})
"""The views fold meldingen only (not the audit trail or other streams)."""


class OpenMelding(BaseModel):
    """A melding that still needs triage, for the werkvoorraad."""

    melding_id: UUID
    gemeente: str
    ontvangen_op: AwareDatetime
    vo_termijn_eind: AwareDatetime
    kanaal: str
    samenhang: list[UUID]


def evolve_werkvoorraad(
    row: OpenMelding | None, event: DomainEvent, meta: EventMeta
) -> OpenMelding | None:
    """Registered meldingen stay until triage; a handover moves them to the other gemeente."""
    if isinstance(event, MeldingOntvangen):
        return OpenMelding(
            melding_id=event.melding_id,
            gemeente=event.gemeente,
            ontvangen_op=event.ontvangen_op,
            vo_termijn_eind=event.vo_termijn_eind,
            kanaal=event.kanaal.value,
            samenhang=event.samenhang,
        )
    if isinstance(event, MeldingOvergedragen) and row is not None:
        return row.model_copy(update={"gemeente": event.naar_gemeente})
    if isinstance(event, TriageAfgerond):
        return None
    return row


class Dossier(Tijdlijn):
    """The history of one melding, and which gemeenten may read it."""

    melding_id: UUID
    gemeente: str
    inzage: list[str]
    uitkomst: TriageUitkomst | None = None
    vo_termijn_eind: AwareDatetime | None = None
    samenhang: list[UUID] = Field(default_factory=list)
    afgesloten_op: AwareDatetime | None = None
    """When the meldpunt closed it (triage ended it, or its VO closed): its retention starts."""


def evolve_dossier(row: Dossier | None, event: DomainEvent, meta: EventMeta) -> Dossier | None:
    """Every event adds a step; a handover keeps the sending gemeente as a reader."""
    if row is None:
        row = Dossier(melding_id=meta.case_id, gemeente=meta.gemeente, inzage=[meta.gemeente])
    if isinstance(event, MeldingOntvangen):
        row = row.model_copy(
            update={"vo_termijn_eind": event.vo_termijn_eind, "samenhang": event.samenhang}
        )
    if isinstance(event, MeldingOvergedragen):
        inzage = sorted({*row.inzage, event.naar_gemeente})
        row = row.model_copy(update={"gemeente": event.naar_gemeente, "inzage": inzage})
    if isinstance(event, TriageAfgerond):
        row = row.model_copy(update={"uitkomst": event.uitkomst})
    if (isinstance(event, TriageAfgerond) and event.uitkomst in SLUITEN) or isinstance(
        event, VoAfsluitingGeregistreerd
    ):
        row = row.model_copy(update={"afgesloten_op": meta.occurred_at})
    return row.met_stap(meta)


class Persoonssleutels(BaseModel):
    """Keyed hashes (HMAC) identifying the betrokkene of an open melding; no BSN or name."""

    melding_id: UUID
    gemeente: str
    sleutels: list[str]


def sleutels(betrokkene: Betrokkene, geheim: bytes) -> list[str]:
    """Match keys: the BSN when known, and name plus birth date when the birth date is known."""
    keys: list[str] = []
    if betrokkene.naam == VERNIETIGD:
        return keys  # destroyed: nothing left to match, and nothing to match it by
    if betrokkene.bsn:
        keys.append(_hmac(geheim, f"bsn:{betrokkene.bsn}"))
    if betrokkene.geboortedatum:
        naam = " ".join(betrokkene.naam.lower().split())
        keys.append(_hmac(geheim, f"naam:{naam}:{betrokkene.geboortedatum}"))
    return keys


def _hmac(geheim: bytes, text: str) -> str:
    return hmac.new(geheim, text.encode(), hashlib.sha256).hexdigest()


def personen_view(geheim: bytes) -> CaseView[Persoonssleutels]:
    """Open meldingen by match keys; a melding leaves when triage or its VO closes it."""

    def evolve(
        row: Persoonssleutels | None, event: DomainEvent, meta: EventMeta
    ) -> Persoonssleutels | None:
        if isinstance(event, MeldingOntvangen):
            keys = sleutels(event.betrokkene, geheim)
            return Persoonssleutels(
                melding_id=event.melding_id, gemeente=event.gemeente, sleutels=keys
            )
        if isinstance(event, MeldingOvergedragen) and row is not None:
            return row.model_copy(update={"gemeente": event.naar_gemeente})
        if isinstance(event, TriageAfgerond) and event.uitkomst in SLUITEN:
            return None
        if isinstance(event, VoAfsluitingGeregistreerd):
            return None
        return row

    return CaseView(
        "personen", Persoonssleutels, evolve, MELDINGEN, lookup_keys=lambda row: row.sleutels
    )


WERKVOORRAAD = CaseView("werkvoorraad", OpenMelding, evolve_werkvoorraad, MELDINGEN)
DOSSIERS = CaseView("dossiers-bewaring", Dossier, evolve_dossier, MELDINGEN)
"""Named anew when its rows gained `afgesloten_op`: built again from the store once."""
SLUITEN = (TriageUitkomst.REGULIER, TriageUitkomst.GEEN_GROND, TriageUitkomst.CRISIS)
"""Outcomes after which a melding is no longer open at the meldpunt (crisis goes elsewhere)."""


ARCHIEF = Archief(DOSSIERS, (CATEGORY,), lambda row: row.afgesloten_op)
"""The meldingen for retention: closed when triage ended them or their VO closed."""
