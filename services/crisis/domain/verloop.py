"""After the decision: voortzetting, the court's decisions, a zorgmachtiging request, early end."""

from __future__ import annotations

from datetime import datetime

from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    BesluitGenomen,
    CrisismaatregelBeeindigd,
    RechterlijkeBeslissingGeregistreerd,
    RechterlijkVerzoek,
    RegistreerRechterlijkeBeslissing,
    RegistreerVerzoekVoortzetting,
    RegistreerVerzoekZorgmachtiging,
    VerzoekVoortzettingIngediend,
    VerzoekZorgmachtigingIngediend,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, violated
from services.crisis.domain.parameters import Parameters
from services.crisis.domain.state import Crisis, gemeld
from services.crisis.domain.termijnen import (
    einde_voortzetting,
    einde_voortzetting_met_zorgmachtiging,
    rechter_beslist_uiterlijk,
)


def _lopend(state: Crisis, moment: datetime, veld: str | None = None) -> tuple[datetime, datetime]:
    """The decision moment and current end of the measure running at `moment`; refused otherwise.

    `moment` is the actor's (when the court decided, when the court received a request), not
    when it is recorded: a fact that happened before the measure expired but is registered after
    the watcher recorded the expiry (e.g. the court decided at 13:00, the OvJ link reports it at
    15:00) still counts; one that happened at or after the end does not, recorded or not.
    """
    besluit, eindigt_op = state.besluit, state.eindigt_op
    if not isinstance(besluit, BesluitGenomen) or eindigt_op is None:
        raise violated("er loopt geen crisismaatregel in deze zaak")
    einde = state.geeindigd_op
    if einde is not None and not (state.verlopen and moment < einde):
        raise violated(f"de crisismaatregel is geëindigd op {einde.isoformat()}", veld)
    if moment >= eindigt_op:
        raise violated(f"de crisismaatregel is geëindigd op {eindigt_op.isoformat()}", veld)
    return besluit.besloten_op, eindigt_op


def _niet_in_toekomst(moment: datetime, nu: datetime, veld: str) -> None:
    if moment > nu:
        raise violated("dit moment ligt in de toekomst", veld)


def registreer_verzoek_voortzetting(
    command: Command[RegistreerVerzoekVoortzetting], state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """The measure runs on until the court decides, which it must do within its term."""
    p = command.payload
    if state.voortzetting_ingediend_op is not None:
        raise violated("er is al een verzoek tot voortzetting ingediend")
    _niet_in_toekomst(p.ingediend_op, command.at, "ingediend_op")
    besluit = state.besluit
    if isinstance(besluit, BesluitGenomen) and p.ingediend_op < besluit.besloten_op:
        raise violated(
            "een verzoek tot voortzetting wordt ingediend terwijl de crisismaatregel loopt",
            "ingediend_op",
        )
    _, eindigt_op = _lopend(state, p.ingediend_op, "ingediend_op")
    rechter = rechter_beslist_uiterlijk(p.ingediend_op, parameters.termijnregels)
    return [
        VerzoekVoortzettingIngediend(
            crisis_id=p.crisis_id,
            gemeente=gemeld(state).gemeente,
            ingediend_op=p.ingediend_op,
            rechter_beslist_uiterlijk=rechter,
            eindigt_op=max(eindigt_op, rechter),
            vastgelegd_op=command.at,
        )
    ]


def registreer_verzoek_zorgmachtiging(
    command: Command[RegistreerVerzoekZorgmachtiging], state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """A zorgmachtiging request filed before a granted voortzetting ends keeps it until the court
    decides, at the latest until the court's term ends (art. 7:10 sub a with 6:2 lid 1 sub b)."""
    p = command.payload
    if state.voortzetting_ingediend_op is None:
        raise violated(
            "een verzoek tot zorgmachtiging verlengt alleen een (gevraagde) machtiging tot "
            "voortzetting; registreer eerst het verzoek tot voortzetting"
        )
    if state.zorgmachtiging_ingediend_op is not None:
        raise violated("er is al een verzoek tot zorgmachtiging ingediend")
    _niet_in_toekomst(p.ingediend_op, command.at, "ingediend_op")
    if p.ingediend_op < state.voortzetting_ingediend_op:
        raise violated("het verzoek ligt vóór het verzoek tot voortzetting", "ingediend_op")
    _, eindigt_op = _lopend(state, p.ingediend_op, "ingediend_op")
    start = state.voortzetting_start
    if start is not None:
        # Before the voortzetting is granted its end is the court's term; the grant counts it.
        eindigt_op = einde_voortzetting_met_zorgmachtiging(
            start, p.ingediend_op, parameters.termijnregels
        )
    return [
        VerzoekZorgmachtigingIngediend(
            crisis_id=p.crisis_id,
            gemeente=gemeld(state).gemeente,
            ingediend_op=p.ingediend_op,
            eindigt_op=eindigt_op,
            vastgelegd_op=command.at,
        )
    ]


def registreer_rechterlijke_beslissing(
    command: Command[RegistreerRechterlijkeBeslissing], state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """Granted voortzetting: three weeks after its date, longer while a zorgmachtiging request
    awaits the court (art. 7:10 sub a). Refused voortzetting, or any decision on the
    zorgmachtiging: the measure ends at the decision."""
    p = command.payload
    regels = parameters.termijnregels
    if p.verzoek == RechterlijkVerzoek.VOORTZETTING:
        ingediend, beslist = state.voortzetting_ingediend_op, state.voortzetting_beslist
    else:
        ingediend, beslist = state.zorgmachtiging_ingediend_op, state.zorgmachtiging_beslist
    if ingediend is None:
        raise violated(f"er is geen verzoek ({p.verzoek}) waarover de rechter kan beslissen")
    if beslist:
        raise violated(f"de rechter heeft al beslist over het verzoek ({p.verzoek})")
    _niet_in_toekomst(p.beslist_op, command.at, "beslist_op")
    if p.beslist_op < ingediend:
        raise violated("de beslissing ligt vóór het verzoek", "beslist_op")
    _lopend(state, p.beslist_op, "beslist_op")
    loopt_door = p.verzoek == RechterlijkVerzoek.VOORTZETTING and p.toegewezen
    zorgmachtiging = state.zorgmachtiging_ingediend_op
    if not loopt_door:
        eindigt_op = p.beslist_op
    elif zorgmachtiging is not None:
        eindigt_op = einde_voortzetting_met_zorgmachtiging(p.beslist_op, zorgmachtiging, regels)
    else:
        eindigt_op = einde_voortzetting(p.beslist_op, regels)
    return [
        RechterlijkeBeslissingGeregistreerd(
            crisis_id=p.crisis_id,
            gemeente=gemeld(state).gemeente,
            verzoek=p.verzoek,
            toegewezen=p.toegewezen,
            beslist_op=p.beslist_op,
            loopt_door=loopt_door,
            eindigt_op=eindigt_op,
            vastgelegd_op=command.at,
        )
    ]


def beeindig_crisismaatregel(
    command: Command[BeeindigCrisismaatregel], state: Crisis
) -> list[DomainEvent]:
    """The geneesheer-directeur ends the measure early; recorded by functioneel beheer."""
    p = command.payload
    _lopend(state, command.at)
    return [
        CrisismaatregelBeeindigd(
            crisis_id=p.crisis_id,
            gemeente=gemeld(state).gemeente,
            geneesheer_directeur=p.geneesheer_directeur,
            reden=p.reden,
            beeindigd_door=command.actor.id,
            beeindigd_op=command.at,
        )
    ]
