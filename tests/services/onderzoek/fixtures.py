"""Example actors, times, people, commands and events of one verkennend onderzoek, for specs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.commands import Actor, Rol
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK
from wvggz_contracts.onderzoek import (
    AanvraagVoorbereidingVerzoekschrift,
    Bijlage,
    Contactpersoon,
    GgzConsultatieVastgelegd,
    JeugdSignaal,
    Leefgebied,
    MeldOntbrekendeVoorwaarden,
    OpenVerkennendOnderzoek,
    Toets,
    ToetsBeoordeeld,
    VoGeopend,
    VoorwaardenAanleiding,
    VoorwaardenVerzoekGeregistreerd,
    VoRapportVastgelegd,
)
from wvggz_contracts.personen import Betrokkene, Melder, RelatieTotBetrokkene

from kernel.decider import Command
from kernel.testing import DeciderSpec, command
from services.onderzoek.domain import make_rulebook, make_voorwaarden_rulebook, vo_id_for

REGIO = frozenset(GOOI_EN_VECHTSTREEK)
GEMEENTE = "GM0402"
MELDING_ID = UUID("5d1b0c2a-4e8f-4a7b-9c3d-2e1f0a9b8c7d")
VO_ID = vo_id_for(MELDING_ID)
RAPPORT_ID = UUID("0b7e6f5d-3c2b-4a19-8d7e-6f5a4b3c2d1e")
VERZOEK_ID = UUID("7a9c1e3f-2b4d-4f6a-8c0e-1d3f5a7b9c2e")

ONTVANGEN_OP = datetime(2026, 11, 2, 8, 15, tzinfo=UTC)
"""Monday 09:15 in Amsterdam (CET); no DST change in the 14 days after it."""
GEOPEND_OP = ONTVANGEN_OP + timedelta(hours=2)
NU = ONTVANGEN_OP + timedelta(days=3)
DEADLINE = ONTVANGEN_OP + timedelta(days=14)
"""The VO term's end as the meldpunt set it on TriageAfgerond (its default 14 days)."""
WAARSCHUWING_OP = ONTVANGEN_OP + timedelta(days=10)

SYSTEEM = Actor(id="svc-onderzoek", rol=Rol.SYSTEEM, gemeente=GEMEENTE)
CONSULENT = Actor(id="consulent-3", rol=Rol.CONSULENT, gemeente=GEMEENTE)
COLLEGA = Actor(id="consulent-9", rol=Rol.CONSULENT, gemeente=GEMEENTE)
GGZ_CONSULTANT = Actor(id="ggz-1", rol=Rol.GGZ_CONSULTANT, gemeente=GEMEENTE)
OVJ_KOPPELING = Actor(id="ovj-koppeling", rol=Rol.OVJ_KOPPELING, gemeente=GEMEENTE)
BEHEER = Actor(id="beheer-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente=GEMEENTE)
TRIAGIST = Actor(id="triagist-7", rol=Rol.TRIAGIST, gemeente=GEMEENTE)
CONSULENT_HUIZEN = Actor(id="consulent-4", rol=Rol.CONSULENT, gemeente="GM0406")

BUUR = Melder(naam="A. Buur", telefoon="035-0000000", relatie=RelatieTotBetrokkene.BUUR)
MOEDER = Melder(naam="M. Voorbeeld", email="m@example.nl", relatie=RelatieTotBetrokkene.OUDER)
BETROKKENE = Betrokkene(naam="J. Voorbeeld", bsn="111222333", geboortedatum=date(1990, 5, 17))
SITUATIE = "Roept dat hij wordt afgeluisterd; eet niet meer."

CONTACT = Contactpersoon(naam="C. Consulent", organisatie="Gemeente Hilversum", telefoon="035-1")
AANVRAAG = AanvraagVoorbereidingVerzoekschrift(
    contact_consulent=CONTACT,
    spoed=True,
    bijlagen=[Bijlage(omschrijving="Verslag gesprek huisarts", referentie="dms-42")],
)


def vo_spec(
    waarschuwing_dagen: int = 10, ggz_budget_uren: Decimal | float = Decimal(2)
) -> DeciderSpec:
    """Specs of a VO, decided by the rulebook the service serves."""
    return DeciderSpec(make_rulebook(REGIO, waarschuwing_dagen, ggz_budget_uren).decider)


def voorwaarden_spec() -> DeciderSpec:
    """Specs of a request for essentiële voorwaarden, decided by its rulebook."""
    return DeciderSpec(make_voorwaarden_rulebook(REGIO).decider)


def cmd(payload: BaseModel, actor: Actor = CONSULENT, at: datetime = NU) -> Command[Any]:
    """A command at NU by the consulent unless told otherwise."""
    return command(payload, actor, at)


def open_vo(melder: Melder = BUUR, **changes: Any) -> OpenVerkennendOnderzoek:
    """The system opens the VO for MELDING_ID."""
    base = OpenVerkennendOnderzoek(
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        melding_ontvangen_op=ONTVANGEN_OP,
        vo_termijn_eind=DEADLINE,
        betrokkene=BETROKKENE,
        melder=melder,
        situatie=SITUATIE,
    )
    return base.model_copy(update=changes)


def vo_geopend(melder: Melder = BUUR, jeugd: JeugdSignaal = JeugdSignaal.VOLWASSEN) -> VoGeopend:
    """The VO as opened by `open_vo` at GEOPEND_OP with the default warning day."""
    return VoGeopend(
        vo_id=VO_ID,
        melding_id=MELDING_ID,
        gemeente=GEMEENTE,
        geopend_op=GEOPEND_OP,
        melding_ontvangen_op=ONTVANGEN_OP,
        deadline=DEADLINE,
        waarschuwing_op=WAARSCHUWING_OP,
        jeugd=jeugd,
        kinderpsychiatrie_nodig=jeugd in (JeugdSignaal.JONGER_DAN_16, JeugdSignaal.JONGER_DAN_18),
        betrokkene=BETROKKENE,
        melder=melder,
        situatie=SITUATIE,
    )


def beoordeeld(toets: Toets, aannemelijk: bool = True) -> ToetsBeoordeeld:
    """A core question answered at NU."""
    return ToetsBeoordeeld(
        vo_id=VO_ID,
        toets=toets,
        aannemelijk=aannemelijk,
        motivatie=f"motivatie {toets}",
        beoordeeld_op=NU,
    )


def ggz_geconsulteerd(jeugdexpertise: bool = False) -> GgzConsultatieVastgelegd:
    """One hour of GGZ expertise consulted at NU, with or without youth expertise."""
    return GgzConsultatieVastgelegd(
        vo_id=VO_ID,
        consultant="ggz-1",
        datum=NU.date(),
        uren=Decimal(1),
        onderwerp="Psychische stoornis en noodzaak verplichte zorg.",
        totaal_uren=Decimal(1),
        budget_uren=Decimal(2),
        jeugdexpertise=jeugdexpertise,
    )


DRIE_KEER_JA = tuple(beoordeeld(toets) for toets in Toets)
RAPPORT = VoRapportVastgelegd(
    vo_id=VO_ID, rapport_id=RAPPORT_ID, samenvatting="Rapport van het VO.", vastgelegd_op=NU
)


ZORGVERANTWOORDELIJKE = Contactpersoon(naam="Z. Arts", organisatie="GGZ Centraal")
GEBIEDEN = [Leefgebied.WONING, Leefgebied.INKOMEN]


def meld(**changes: Any) -> MeldOntbrekendeVoorwaarden:
    """A zorgverantwoordelijke's request for help on GEBIEDEN, for VERZOEK_ID."""
    base = MeldOntbrekendeVoorwaarden(
        verzoek_id=VERZOEK_ID,
        gemeente=GEMEENTE,
        aanleiding=VoorwaardenAanleiding.ONTSLAG,
        betrokkene=BETROKKENE,
        zorgverantwoordelijke=ZORGVERANTWOORDELIJKE,
        leefgebieden=GEBIEDEN,
    )
    return base.model_copy(update=changes)


GEREGISTREERD = VoorwaardenVerzoekGeregistreerd(
    verzoek_id=VERZOEK_ID,
    gemeente=GEMEENTE,
    aanleiding=VoorwaardenAanleiding.ONTSLAG,
    betrokkene=BETROKKENE,
    zorgverantwoordelijke=ZORGVERANTWOORDELIJKE,
    leefgebieden=GEBIEDEN,
    geregistreerd_op=NU,
)
"""The request as `meld()` at NU registers it."""
