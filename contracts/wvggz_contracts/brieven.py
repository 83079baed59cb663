"""Commands and events of a letter or afschrift in the notificaties service: from ready to
delivered, and the disclosure of personal data it makes (verstrekkingenregister)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.typen import Regel

BronGegevens = Annotated[dict[str, Any], Persoonsgegeven("bijzonder")]
"""The procedure's event the letter is made from, as it was published (names, a decision)."""


class BriefVorm(StrEnum):
    """What kind of document a letter is."""

    AFSCHRIFT = "afschrift-crisismaatregel"
    MELDERBRIEF = "melderbrief"


class Verzendwijze(StrEnum):
    """How personal data left: by the partner's channel, on paper through the mail room, or
    fetched by a partner with its own right."""

    PARTNER = "partner"
    POST = "post"
    OPGEHAALD = "opgehaald"


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ZetBriefKlaar(_Payload):
    """A procedure put a letter ready (the service's own policies send this)."""

    brief_id: UUID
    zaak: UUID = Field(description="The case of the procedure the letter belongs to.")
    gemeente: GemeenteCode
    vorm: BriefVorm
    ontvanger: Annotated[str, Field(pattern=r"^[a-z][a-z-]{1,40}$")]
    bron_type: Annotated[str, Field(max_length=120)]
    bron: BronGegevens


class MaakBriefAan(_Payload):
    """The document was rendered and its way out chosen (the service only)."""

    brief_id: UUID
    kenmerk: Annotated[Regel, Field(max_length=80)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    paginas: int = Field(ge=1)
    wijze: Verzendwijze = Field(description="By the recipient's partner channel, or by post.")
    partner_id: UUID | None = Field(default=None, description="For the partner channel.")


class VerzendBrief(_Payload):
    """The document was queued for the recipient's partner channel (the service only)."""

    brief_id: UUID
    partner_id: UUID


class BevestigPostverzending(_Payload):
    """Functioneel beheer confirms the mail room posted the letter (from the post batch)."""

    brief_id: UUID


class BevestigAflevering(_Payload):
    """The partner received the document (the service only)."""

    brief_id: UUID


class RegistreerMislukking(_Payload):
    """The document did not arrive: given up on the partner channel, or returned by post."""

    brief_id: UUID
    reden: Annotated[Regel, Field(max_length=200)]


class BriefKlaargezet(DomainEvent):
    """A letter is ready to be made and sent."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.brief-klaargezet.v1"

    brief_id: UUID
    zaak: UUID
    gemeente: GemeenteCode
    vorm: BriefVorm
    ontvanger: str
    bron_type: str
    bron: BronGegevens


class BriefAangemaakt(DomainEvent):
    """The letter's document exists (PDF/A), identified by its hash."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.brief-aangemaakt.v1"

    brief_id: UUID
    kenmerk: str
    sha256: str
    paginas: int
    aangemaakt_op: AwareDatetime
    wijze: Verzendwijze
    """Chosen once, so a letter never goes both by post and by a partner."""
    partner_id: UUID | None = None


class BriefVerzonden(DomainEvent):
    """The letter left by one way."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.brief-verzonden.v1"

    brief_id: UUID
    wijze: Verzendwijze
    partner_id: UUID | None = None
    verzonden_op: AwareDatetime


class BriefAfgeleverd(DomainEvent):
    """The letter arrived (the partner acknowledged it)."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.brief-afgeleverd.v1"

    brief_id: UUID
    afgeleverd_op: AwareDatetime


class BriefMislukt(DomainEvent):
    """The letter did not arrive."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.brief-mislukt.v1"

    brief_id: UUID
    reden: str
    op: AwareDatetime


class VerstrekkingGeregistreerd(DomainEvent):
    """Personal data went to someone outside the gemeente (AVG art. 30): to whom, what kind,
    about which case, on which legal basis, when. Never the data itself."""

    event_type: ClassVar[str] = "nl.wvggz.notificaties.verstrekking-geregistreerd.v1"

    brief_id: UUID | None = Field(default=None, description="The letter that disclosed it.")
    event_id: UUID | None = Field(
        default=None, description="The event whose content a partner fetched."
    )
    type: str | None = Field(default=None, description="That event's type.")
    zaak: UUID
    aan: str = Field(description="The recipient's role (betrokkene, ovj, igj, melder, ...).")
    partner_id: UUID | None = None
    categorieen: list[str]
    grondslag: str
    wijze: Verzendwijze
    op: AwareDatetime


class RegistreerVerstrekking(_Payload):
    """A partner fetched an event's content (the service only, as it answers)."""

    verstrekking_id: UUID
    gemeente: GemeenteCode
    event_id: UUID
    type: Annotated[str, Field(max_length=120)]
    zaak: UUID
    partner_id: UUID
    aan: Annotated[str, Field(pattern=r"^[a-z][a-z-]{1,40}$")]
    categorieen: list[Annotated[Regel, Field(max_length=100)]] = Field(max_length=50)
    grondslag: Annotated[Regel, Field(max_length=300)]


BRIEF_EVENTS = (
    BriefKlaargezet,
    BriefAangemaakt,
    BriefVerzonden,
    BriefAfgeleverd,
    BriefMislukt,
    VerstrekkingGeregistreerd,
)
