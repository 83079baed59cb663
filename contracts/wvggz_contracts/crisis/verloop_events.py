"""Events of a crisis case after the besluit: copies, advocaat, court, and the measure's end."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from wvggz_contracts.crisis.common import BesluitUitkomst, Ontvanger, RechterlijkVerzoek
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personen import Betrokkene, Naam
from wvggz_contracts.typen import BijzondereTekst, Pseudoniem, Tekst

# Events of a crisis case after the besluit


class AfschriftKlaargezet(DomainEvent):
    """A copy of the decision is ready to deliver to one recipient, with its legal basis."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.afschrift-klaargezet.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    afschrift_id: UUID
    ontvanger: Ontvanger
    aan: Naam | None = Field(
        default=None, description="The addressee's name when a person; None for an institution."
    )
    besluit_id: UUID
    besluit: BesluitUitkomst
    besloten_op: AwareDatetime
    rechtsgrond: Tekst


class AdvocaatToewijzingGevraagd(DomainEvent):
    """The betrokkene has no advocaat: one must be assigned (the advocaat's copy waits for it)."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.advocaat-toewijzing-gevraagd.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    besluit_id: UUID
    betrokkene: Betrokkene
    gevraagd_op: AwareDatetime


class AdvocaatToegewezen(DomainEvent):
    """An advocaat was assigned to the betrokkene."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.advocaat-toegewezen.v1"

    crisis_id: UUID
    advocaat: Naam
    toegewezen_op: AwareDatetime


class VerzoekVoortzettingIngediend(DomainEvent):
    """The OvJ asked the court for a machtiging tot voortzetting; the measure runs on meanwhile."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.verzoek-voortzetting-ingediend.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    ingediend_op: AwareDatetime
    rechter_beslist_uiterlijk: AwareDatetime
    eindigt_op: AwareDatetime
    vastgelegd_op: AwareDatetime | None = Field(
        default=None,
        description="When the platform recorded it; the fact's own moment is "
        "`ingediend_op`. Absent on events recorded before contract 0.2.0.",
    )


class RechterlijkeBeslissingGeregistreerd(DomainEvent):
    """The court decided; `eindigt_op` is the measure's new end, `loopt_door` whether it runs on."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.rechterlijke-beslissing-geregistreerd.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    verzoek: RechterlijkVerzoek
    toegewezen: bool
    beslist_op: AwareDatetime
    loopt_door: bool
    eindigt_op: AwareDatetime
    vastgelegd_op: AwareDatetime | None = Field(
        default=None,
        description="When the platform recorded it; the fact's own moment is "
        "`beslist_op`. Absent on events recorded before contract 0.2.0.",
    )


class VerzoekZorgmachtigingIngediend(DomainEvent):
    """A zorgmachtiging was requested: the voortzetting runs until the court decides, capped."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.verzoek-zorgmachtiging-ingediend.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    ingediend_op: AwareDatetime
    eindigt_op: AwareDatetime
    vastgelegd_op: AwareDatetime | None = Field(
        default=None,
        description="When the platform recorded it; the fact's own moment is "
        "`ingediend_op`. Absent on events recorded before contract 0.2.0.",
    )


class CrisismaatregelBeeindigd(DomainEvent):
    """The geneesheer-directeur ended the measure early."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.crisismaatregel-beeindigd.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    geneesheer_directeur: Naam
    reden: BijzondereTekst
    beeindigd_door: Pseudoniem
    beeindigd_op: AwareDatetime


class CrisismaatregelVerlopen(DomainEvent):
    """The measure reached its end moment without extension or earlier end; the case closes."""

    event_type: ClassVar[str] = "nl.wvggz.crisis.crisismaatregel-verlopen.v1"

    crisis_id: UUID
    gemeente: GemeenteCode
    eindigt_op: AwareDatetime
    gesignaleerd_op: AwareDatetime
