"""Example meldpunt commands and events for tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from wvggz_contracts.commands import Actor
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK
from wvggz_contracts.meldpunt import (
    Doorverwijzing,
    Kanaal,
    MeldingOntvangen,
    OverdraagMelding,
    RegistreerMelding,
    RondTriageAf,
    TriageAntwoord,
    TriageAntwoorden,
    TriageUitkomst,
    vo_termijn_eind,
)
from wvggz_contracts.personen import Betrokkene, Melder, RelatieTotBetrokkene

from kernel.decider import Command
from kernel.testing import DeciderSpec, command
from services.meldpunt.domain import SAMENHANG, make_rulebook

REGIO = frozenset(GOOI_EN_VECHTSTREEK)
MELDING = uuid.UUID("0b0e6f55-2f4e-4b7a-9a53-5f1f4a3c2d10")
BUUR = Melder(naam="A. Buur", telefoon="035-0000000", relatie=RelatieTotBetrokkene.BUUR)
ZONDER_CONTACT = Melder(naam="B. Buur", relatie=RelatieTotBetrokkene.BUUR)
"""A melder who left no contact details, so a registration is one event (no receipt)."""
MOEDER = Melder(naam="M. Voorbeeld", email="m@example.org", relatie=RelatieTotBetrokkene.OUDER)


def meldpunt_spec(vo_termijn_dagen: int = 14) -> DeciderSpec:
    return DeciderSpec(make_rulebook(REGIO, vo_termijn_dagen).decider)


def registratie(
    melding: RegistreerMelding,
    actor: Actor,
    at: datetime,
    command_id: uuid.UUID | None = None,
    gevonden: frozenset[uuid.UUID] = frozenset(),
) -> Command[RegistreerMelding]:
    """A registration as the pipeline hands it to the rule: with the samenhang it found."""
    return command(melding, actor, at, command_id, feiten={SAMENHANG: gevonden})


def registreer_melding(
    at: datetime, gemeente: str = "GM0402", **changes: object
) -> RegistreerMelding:
    base = RegistreerMelding(
        gemeente=gemeente,
        ontvangen_op=at - timedelta(minutes=5),
        kanaal=Kanaal.TELEFOON,
        melder=ZONDER_CONTACT,
        betrokkene=Betrokkene(naam="J. Voorbeeld", bsn="111222333"),
        situatie="Roept dat hij wordt afgeluisterd; eet niet meer.",
    )
    return base.model_copy(update=changes)


def ontvangen(at: datetime, melder: Melder = BUUR, gemeente: str = "GM0402") -> MeldingOntvangen:
    """A melding registered an hour before `at`, as the domain records it."""
    ontvangen_op = at - timedelta(hours=1)
    return MeldingOntvangen(
        melding_id=MELDING,
        gemeente=gemeente,
        ontvangen_op=ontvangen_op,
        kanaal=Kanaal.TELEFOON,
        melder=melder,
        betrokkene=Betrokkene(naam="J. Voorbeeld", bsn="111222333"),
        situatie="Roept dat hij wordt afgeluisterd; eet niet meer.",
        vo_termijn_eind=vo_termijn_eind(ontvangen_op),
    )


def antwoorden(
    ernstig_nadeel: bool = True, psychische_stoornis: bool = True, verplichte_zorg: bool = True
) -> TriageAntwoorden:
    return TriageAntwoorden(
        ernstig_nadeel=TriageAntwoord(aannemelijk=ernstig_nadeel, motivatie="Eet niet meer."),
        psychische_stoornis=TriageAntwoord(aannemelijk=psychische_stoornis, motivatie="Wanen."),
        verplichte_zorg_nodig=TriageAntwoord(aannemelijk=verplichte_zorg, motivatie="Weigert."),
    )


def rond_triage_af(
    uitkomst: TriageUitkomst = TriageUitkomst.VERKENNEND_ONDERZOEK,
    oordeel: TriageAntwoorden | None = None,
    **changes: object,
) -> RondTriageAf:
    base = RondTriageAf(
        melding_id=MELDING,
        antwoorden=oordeel or antwoorden(),
        uitkomst=uitkomst,
        doorverwezen_naar=Doorverwijzing.WIJKTEAM if uitkomst == TriageUitkomst.REGULIER else None,
    )
    return base.model_copy(update=changes)


def overdraag_melding(naar_gemeente: str = "GM0406") -> OverdraagMelding:
    return OverdraagMelding(
        melding_id=MELDING, naar_gemeente=naar_gemeente, reden="Verblijft sinds kort in Huizen."
    )
