"""Commands and events of the regionale doorzettingsmacht: the directory of overlegtafels and the
pseudonymised escalation of a case up the ladder, from lokaal to the minister."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Final
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from wvggz_contracts.bsn import zonder_bsn
from wvggz_contracts.events import DomainEvent, EventRegistry
from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.typen import Regel, Tekst


class Niveau(StrEnum):
    """The rungs of the escalation ladder, lowest first: "los op of schaal op"."""

    LOKAAL = "lokaal"
    """Wijkteam or procesmanager of the gemeente."""
    REGIONAAL = "regionaal"
    """Regional tables: triage- & transfertafel, TopX/ketencasusoverleg, regiotafel zorgkantoor,
    crisis- en ondersteuningsteam."""
    BOVENREGIONAAL = "bovenregionaal"
    """The bovenregionale tafel hoogcomplexe ggz."""
    BESTUURLIJK = "bestuurlijk"
    """The bestuurlijk escalatie-overleg in the gemeente."""
    MINISTER = "minister"
    """The minister of VWS, who can give a binding ruling."""

    @property
    def rang(self) -> int:
        """Its place on the ladder: 0 for lokaal, 4 for the minister."""
        return LADDER.index(self)

    def hoger_dan(self, ander: Niveau) -> bool:
        """Whether this rung is above the other one."""
        return self.rang > ander.rang


LADDER: Final[tuple[Niveau, ...]] = tuple(Niveau)
"""The rungs in order, lowest first."""


# A BSN-valid number may not be stored here: the professional keeps the link to the person.

Referentie = Annotated[Regel, Field(max_length=40), AfterValidator(zonder_bsn)]
"""The professional's own code for the person, one line; never a BSN or a name."""

Toelichting = Annotated[
    Tekst, Field(max_length=4000), AfterValidator(zonder_bsn), Persoonsgegeven("bijzonder")
]
"""Free text about the person's care problem (pseudonymised, still health data): no BSN."""

Ondersteuner = Annotated[Regel, Field(max_length=200), AfterValidator(zonder_bsn)]
"""The organisation or function of the cliëntondersteuner, one line; not a personal name."""

Regelitem = Annotated[Regel, Field(max_length=300)]
"""One line of a table's list: an organisation or function, never a personal name."""


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Tafelgegevens(_Payload):
    """What the directory says about one table (every field, replaced whole on a change)."""

    tafel_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    gemeente: GemeenteCode = Field(description="The gemeente whose functioneel beheer manages it.")
    naam: Annotated[Regel, Field(max_length=200)]
    niveau: Niveau
    deelnemers: list[Regelitem] = Field(
        min_length=1, max_length=50, description="Organisations or functions, no personal names."
    )
    doel: Annotated[Tekst, Field(max_length=4000)]
    aanmelders: list[Regelitem] = Field(
        min_length=1, max_length=50, description="Who may register a case at this table."
    )
    criteria: Annotated[Tekst, Field(max_length=4000)]
    contact: Annotated[Regel, Field(max_length=300)] = Field(
        description="Phone or e-mail of the table's secretariat."
    )
    werkgebied: Annotated[Regel, Field(max_length=300)] | None = None


class RegistreerTafel(_Tafelgegevens):
    """Functioneel beheer adds an overlegtafel to the region's directory."""


class WijzigTafel(_Tafelgegevens):
    """Functioneel beheer replaces everything the directory says about a table."""


class HefTafelOp(_Payload):
    """Functioneel beheer ends a table: it leaves the directory's list."""

    tafel_id: UUID
    reden: Annotated[Regel, Field(max_length=500)] | None = None


class RegistreerEscalatie(_Payload):
    """A professional registers a case no suitable care place was found for, pseudonymised."""

    escalatie_id: UUID = Field(description="Chosen by the caller; a retry repeats it.")
    gemeente: GemeenteCode = Field(
        description="Where the person lives: this gemeente holds final responsibility."
    )
    referentie: Referentie
    niveau: Niveau
    tafel_id: UUID | None = Field(default=None, description="The table it is brought to, if any.")
    clientondersteuner: Ondersteuner
    reden: Toelichting


class SchaalOp(_Payload):
    """Move a case to a higher rung, perhaps at the cliëntondersteuner's request."""

    escalatie_id: UUID
    naar: Niveau
    tafel_id: UUID | None = None
    reden: Toelichting
    door_clientondersteuner: bool = Field(
        default=False, description="The cliëntondersteuner triggered this step."
    )


class LosEscalatieOp(_Payload):
    """The case is resolved on its current rung."""

    escalatie_id: UUID
    uitkomst: Toelichting


class SignaleerStagnatie(_Payload):
    """The service signals that a case has stood too long on one rung (system only)."""

    escalatie_id: UUID
    niveau: Niveau
    sinds: AwareDatetime = Field(description="When the case reached this rung.")


class _Tafel(DomainEvent):
    tafel_id: UUID
    gemeente: GemeenteCode
    naam: str
    niveau: Niveau
    deelnemers: list[str]
    doel: str
    aanmelders: list[str]
    criteria: str
    contact: str
    werkgebied: str | None = None


class TafelGeregistreerd(_Tafel):
    """An overlegtafel was added to the directory."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.tafel-geregistreerd.v1"


class TafelGewijzigd(_Tafel):
    """What the directory says about a table was replaced."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.tafel-gewijzigd.v1"


class TafelOpgeheven(DomainEvent):
    """A table was ended."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.tafel-opgeheven.v1"

    tafel_id: UUID
    reden: str | None = None


class EscalatieGeregistreerd(DomainEvent):
    """A case was registered for escalation on a rung."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.escalatie-geregistreerd.v1"

    escalatie_id: UUID
    gemeente: GemeenteCode
    referentie: str
    niveau: Niveau
    tafel_id: UUID | None = None
    clientondersteuner: str
    reden: Annotated[str, Persoonsgegeven("bijzonder")]
    sinds: AwareDatetime


class EscalatieOpgeschaald(DomainEvent):
    """A case moved up the ladder."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.escalatie-opgeschaald.v1"

    escalatie_id: UUID
    van: Niveau
    naar: Niveau
    tafel_id: UUID | None = None
    reden: Annotated[str, Persoonsgegeven("bijzonder")]
    door_clientondersteuner: bool = False
    sinds: AwareDatetime


class EscalatieOpgelost(DomainEvent):
    """A case was resolved."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.escalatie-opgelost.v1"

    escalatie_id: UUID
    niveau: Niveau
    uitkomst: Annotated[str, Persoonsgegeven("bijzonder")]
    opgelost_op: AwareDatetime


class EscalatieStagneert(DomainEvent):
    """A case stood too long on one rung without being resolved or moved up."""

    event_type: ClassVar[str] = "nl.wvggz.overleg.escalatie-stagneert.v1"

    escalatie_id: UUID
    niveau: Niveau
    sinds: AwareDatetime
    gesignaleerd_op: AwareDatetime


DOORZETTING_EVENTS = EventRegistry(
    [
        TafelGeregistreerd,
        TafelGewijzigd,
        TafelOpgeheven,
        EscalatieGeregistreerd,
        EscalatieOpgeschaald,
        EscalatieOpgelost,
        EscalatieStagneert,
    ]
)
