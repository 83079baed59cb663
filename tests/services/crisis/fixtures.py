"""Example actors, times, people, commands and histories of one crisis case, for specs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.crisis import (
    Afwijzing,
    Bevinding,
    Criteria,
    HoorderRegistratie,
    HoorWijze,
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
    MandaatBewijs,
    MeldCrisis,
    MelderSoort,
    NeemBesluit,
    OndertekenMedischeVerklaring,
    Oplegging,
    StelIntegraalAdviesSamen,
    StelMedischeVerklaringOp,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK
from wvggz_contracts.personen import Betrokkene

from kernel.decider import Command, CommandSpec, Decider, Lookup, derived_id
from kernel.rules import Rulebook
from kernel.testing import command
from services.crisis.domain import (
    HOORMANDAAT,
    LOCO_REGISTRATIE,
    Crisis,
    make_mandaat_rulebook,
    make_rulebook,
)
from services.crisis.domain.mandaat import Hoorbevoegdheid

P = TypeVar("P", bound=BaseModel)

REGIO = frozenset(GOOI_EN_VECHTSTREEK)
GEMEENTE = "GM0402"
ANDERE_GEMEENTE = "GM0406"
CRISIS_ID = UUID("7c9e6679-7425-40de-944b-e07fc1f90ae7")
MELDING_ID = UUID("5d1b0c2a-4e8f-4a7b-9c3d-2e1f0a9b8c7d")

GEMELD_OP = datetime(2026, 11, 2, 21, 30, tzinfo=UTC)
"""Monday 22:30 in Amsterdam (CET)."""
NU = GEMELD_OP + timedelta(hours=2)
"""Tuesday 3 November 00:30 in Amsterdam."""
BESLUIT_UITERLIJK = GEMELD_OP + timedelta(hours=18)
WAARSCHUWING_OP = GEMELD_OP + timedelta(hours=12)
BESLUIT_OP = GEMELD_OP + timedelta(hours=6)
"""Tuesday 04:30 in Amsterdam: the measure ends at the end of Friday 6 November (three days in
whole days, two of them working days: Atw art. 2)."""
EINDIGT_OP = datetime(2026, 11, 6, 23, 0, tzinfo=UTC)
"""Friday 24:00 (Saturday 00:00 CET) in Amsterdam."""

CRISISDIENST = Actor(id="crisisdienst-1", rol=Rol.CRISISDIENST, gemeente=GEMEENTE)
PSYCHIATER = Actor(id="psychiater-4", rol=Rol.PSYCHIATER, gemeente=GEMEENTE)
ANDERE_PSYCHIATER = Actor(id="psychiater-9", rol=Rol.PSYCHIATER, gemeente=GEMEENTE)
HOORDER = Actor(id="vcare-12", rol=Rol.HOORDER, gemeente=GEMEENTE)
BURGEMEESTER = Actor(id="burgemeester", rol=Rol.BURGEMEESTER, gemeente=GEMEENTE)
LOCO = Actor(id="wethouder-2", rol=Rol.LOCO_BURGEMEESTER, gemeente=GEMEENTE)
OVJ = Actor(id="ovj-koppeling", rol=Rol.OVJ_KOPPELING, gemeente=GEMEENTE)
BEHEER = Actor(id="beheer-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente=GEMEENTE)
SYSTEEM = Actor(id="wvggz-crisis", rol=Rol.SYSTEEM, gemeente=GEMEENTE)
TRIAGIST = Actor(id="triagist-7", rol=Rol.TRIAGIST, gemeente=GEMEENTE)

BETROKKENE = Betrokkene(naam="J. Voorbeeld", bsn="111222333", geboortedatum=date(1990, 5, 17))
SITUATIE = "Dreigt van het balkon te springen; hoort stemmen."

VCARE = MandaatBewijs(partij="Vcare", geldig_van=date(2026, 1, 1), geldig_tot=date(2026, 12, 31))
LOCO_BEWIJS = MandaatBewijs(
    partij=LOCO.id, geldig_van=date(2026, 10, 26), geldig_tot=date(2026, 11, 8)
)

JA = Bevinding(voldaan=True, toelichting="Aannemelijk op grond van het onderzoek.")
NEE = Bevinding(voldaan=False, toelichting="Niet aannemelijk.")
CRITERIA = Criteria(
    onmiddellijk_dreigend_ernstig_nadeel=JA,
    ernstig_vermoeden_psychische_stoornis=JA,
    maatregel_kan_nadeel_afwenden=JA,
    zorgmachtiging_niet_afwachten=JA,
    verzet_tegen_zorg=JA,
)

OPLEGGING = Oplegging(
    verplichte_zorg=["opname in een accommodatie", "toedienen van medicatie"],
    zorgaanbieder="GGZ Centraal",
    geneesheer_directeur="Dr. G. Directeur",
    zorgverantwoordelijke="Dr. Z. Verantwoordelijk",
    patientenvertrouwenspersoon="P. Vertrouwen",
    rechtsmiddel="Beroep bij de rechtbank binnen zes weken.",
    motivatie="Alle criteria zijn voldaan; vrijwillige zorg is geweigerd.",
)
AFWIJZING = Afwijzing(motivatie="Vrijwillige opname is alsnog geaccepteerd.")


FEITEN: Mapping[Lookup[Any], Any] = {LOCO_REGISTRATIE: LOCO_BEWIJS}
"""What the service finds in the mandate register: the loco's registration, and (see
`hoorbevoegdheid`) the acting user registered as a hoorder for Vcare, with Vcare's mandate."""


def hoorbevoegdheid(
    actor: Actor = HOORDER, mandaat: MandaatBewijs | None = VCARE, **registratie: Any
) -> Hoorbevoegdheid:
    """The register's answer for a user registered for Vcare since 1 January 2026 (`registratie`
    changes the registration), with Vcare's mandate `mandaat`."""
    base = HoorderRegistratie(hoorder=actor.id, partij="Vcare", geldig_van=date(2026, 1, 1))
    return Hoorbevoegdheid(base.model_copy(update=registratie), mandaat)


def cmd(
    payload: BaseModel,
    actor: Actor = CRISISDIENST,
    at: datetime = NU,
    id_: int | None = None,
    feiten: Mapping[Lookup[Any], Any] | None = None,
) -> Command[Any]:
    """A command at NU by the crisisdienst unless told otherwise; `id_` fixes its command id.

    It carries the facts its rule looks up: by default those of `FEITEN`, as the register has
    them, with the actor registered as a hoorder for Vcare; `feiten` replaces some (e.g.
    `{HOORMANDAAT: None}` for a user registered for no party).
    """
    cid = command_id(id_) if id_ is not None else None
    standaard = {**FEITEN, HOORMANDAAT: hoorbevoegdheid(actor)}
    return command(payload, actor, at, cid, feiten={**standaard, **(feiten or {})})


def rulebook() -> Rulebook[Crisis]:
    """The crisis rules with the defaults for the example region."""
    return make_rulebook(REGIO)


def decider() -> Decider[Any]:
    """The crisis decider with the default rules for the example region."""
    return rulebook().decider


def command_spec(name: str) -> CommandSpec[Any]:
    """The spec the service serves for a command of the crisis or the mandate register."""
    specs = [*rulebook().specs, *make_mandaat_rulebook(REGIO).specs]
    [found] = [s for s in specs if s.name == name]
    return found


def meld(**changes: Any) -> MeldCrisis:
    """The crisisdienst reports the crisis of CRISIS_ID."""
    base = MeldCrisis(
        crisis_id=CRISIS_ID,
        gemeente=GEMEENTE,
        gemeld_op=GEMELD_OP,
        melder_soort=MelderSoort.POLITIE,
        betrokkene=BETROKKENE,
        situatie=SITUATIE,
    )
    return base.model_copy(update=changes)


def verklaring(**changes: Any) -> StelMedischeVerklaringOp:
    """The independent psychiatrist's draft with all five criteria met."""
    base = StelMedischeVerklaringOp(
        crisis_id=CRISIS_ID,
        psychiater=PSYCHIATER.id,
        is_behandelaar=False,
        onderzocht_op=GEMELD_OP + timedelta(hours=1),
        criteria=CRITERIA,
        bevindingen="Psychotisch, suïcidaal, weigert opname.",
    )
    return base.model_copy(update=changes)


def hoorverslag(**changes: Any) -> LegHoorverslagVast:
    """Vcare's hearing by phone, with consent to inform the pvp. It names neither party nor
    mandate: the service looks both up in the register (see `cmd`), and `changes` cannot add
    them."""
    base = LegHoorverslagVast(
        crisis_id=CRISIS_ID,
        hoorder=HOORDER.id,
        gehoord_op=GEMELD_OP + timedelta(hours=2),
        wijze=HoorWijze.TELEFOON,
        wensen_en_voorkeuren="Liever geen medicatie per injectie; zus wil betrokken worden.",
        crisiskaart_geraadpleegd=True,
        tolk_gebruikt=False,
        naasten_aanwezig=True,
        pvp_uitgelegd=True,
        toestemming_gegevens_pvp=True,
    )
    return gewijzigd(base, changes)


def besluit(besluit: Oplegging | Afwijzing = OPLEGGING, **changes: Any) -> NeemBesluit:
    """The burgemeester's decision, naming an advocaat unless told otherwise (never the loco's
    registration: the service looks that up)."""
    base = NeemBesluit(
        crisis_id=CRISIS_ID, besluit=besluit, besloten_op=BESLUIT_OP, advocaat="Mr. A. Advocaat"
    )
    return gewijzigd(base, changes)


def gewijzigd(base: P, changes: Mapping[str, Any]) -> P:
    """`base` with `changes`, validated as a client's payload is: a field the contract does not
    have (such as a mandate) is refused, where `model_copy` would drop it silently."""
    return type(base).model_validate({**base.model_dump(), **changes})


def geschiedenis(*stappen: Command[Any], basis: Sequence[DomainEvent] = ()) -> list[DomainEvent]:
    """The events these commands produce one after the other (each must be accepted)."""
    d = decider()
    events = list(basis)
    for stap in stappen:
        state = d.fold(events)
        d.authorize(stap, state)
        events += d.decide(stap, state)
    return events


def gemeld() -> list[DomainEvent]:
    """A case just reported."""
    return geschiedenis(cmd(meld(), at=GEMELD_OP + timedelta(minutes=5)))


def ondertekend() -> list[DomainEvent]:
    """A case with a signed medische verklaring."""
    opgesteld = cmd(verklaring(), PSYCHIATER, at=NU, id_=1)
    events = geschiedenis(opgesteld, basis=gemeld())
    return geschiedenis(
        cmd(
            OndertekenMedischeVerklaring(crisis_id=CRISIS_ID, verklaring_id=verklaring_id(1)),
            PSYCHIATER,
        ),
        basis=events,
    )


def verklaring_id(n: int) -> UUID:
    """The id of the verklaring drafted by command number `n` (see `cmd(..., id_=n)`)."""
    return derived_id(command_id(n), "medische-verklaring")


def command_id(n: int) -> UUID:
    """A fixed command id, so ids derived from it are known in advance."""
    return UUID(int=n)


def geadviseerd(horen: BaseModel | None = None) -> list[DomainEvent]:
    """A case with signed verklaring, a hearing outcome and the integraal advies."""
    stap = horen or hoorverslag()
    actor = HOORDER if isinstance(stap, LegHoorverslagVast) else CRISISDIENST
    return geschiedenis(
        cmd(stap, actor),
        cmd(StelIntegraalAdviesSamen(crisis_id=CRISIS_ID)),
        basis=ondertekend(),
    )


def horen_onmogelijk() -> LegHorenOnmogelijkVast:
    """The crisisdienst records that hearing was medically impossible."""
    return LegHorenOnmogelijkVast(crisis_id=CRISIS_ID, reden="Betrokkene is niet aanspreekbaar.")


def besloten(*, advocaat: str | None = "Mr. A. Advocaat") -> list[DomainEvent]:
    """A case in which the burgemeester took the measure at BESLUIT_OP."""
    return geschiedenis(
        cmd(besluit(advocaat=advocaat), BURGEMEESTER, at=BESLUIT_OP), basis=geadviseerd()
    )
