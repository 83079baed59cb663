"""The medische verklaring: drafted by an independent psychiatrist, signed, reopened if needed."""

from __future__ import annotations

from wvggz_contracts.crisis import (
    HeropenMedischeVerklaring,
    MedischeVerklaringHeropend,
    MedischeVerklaringOndertekend,
    MedischeVerklaringOpgesteld,
    OndertekenMedischeVerklaring,
    StelMedischeVerklaringOp,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.state import Crisis, Verklaring


def stel_medische_verklaring_op(
    command: Command[StelMedischeVerklaringOp], state: Crisis
) -> list[DomainEvent]:
    """Draft the verklaring; an unsigned draft is replaced, a signed one must be reopened first."""
    p = command.payload
    if p.is_behandelaar:
        raise violated(
            "de behandelend psychiater mag de medische verklaring niet opstellen; "
            "de verklaring moet van een onafhankelijke psychiater komen",
            "is_behandelaar",
        )
    if state.verklaring is not None and state.verklaring.ondertekend:
        raise violated(
            "er is al een ondertekende medische verklaring; heropen haar eerst", "verklaring"
        )
    if p.onderzocht_op > command.at:
        raise violated("het onderzoek ligt in de toekomst", "onderzocht_op")
    return [
        MedischeVerklaringOpgesteld(
            crisis_id=p.crisis_id,
            verklaring_id=derived_id(command.command_id, "medische-verklaring"),
            psychiater=p.psychiater,
            onderzocht_op=p.onderzocht_op,
            criteria=p.criteria,
            alle_criteria_voldaan=p.criteria.alle_voldaan,
            bevindingen=p.bevindingen,
            opgesteld_op=command.at,
        )
    ]


def onderteken_medische_verklaring(
    command: Command[OndertekenMedischeVerklaring], state: Crisis
) -> list[DomainEvent]:
    """Sign the current draft, named by id so nobody signs a version they did not see."""
    p = command.payload
    verklaring = _huidige(state, p.verklaring_id)
    if verklaring.ondertekend:
        raise violated("deze medische verklaring is al ondertekend", "verklaring_id")
    return [
        MedischeVerklaringOndertekend(
            crisis_id=p.crisis_id,
            verklaring_id=verklaring.verklaring_id,
            psychiater=verklaring.psychiater,
            ondertekend_op=command.at,
        )
    ]


def heropen_medische_verklaring(
    command: Command[HeropenMedischeVerklaring], state: Crisis
) -> list[DomainEvent]:
    """Withdraw the verklaring while no hearing outcome, integraal advies or decision exists."""
    p = command.payload
    verklaring = _huidige(state, p.verklaring_id)
    if state.gehoord:
        raise violated(
            "de medische verklaring kan niet meer heropend worden: het horen is vastgelegd",
            "verklaring_id",
        )
    return [
        MedischeVerklaringHeropend(
            crisis_id=p.crisis_id,
            verklaring_id=verklaring.verklaring_id,
            reden=p.reden,
            heropend_door=command.actor.id,
            heropend_op=command.at,
        )
    ]


def _huidige(state: Crisis, verklaring_id: object) -> Verklaring:
    """The current verklaring when it is the one named; refused otherwise."""
    if state.verklaring is None:
        raise violated("er is geen medische verklaring opgesteld", "verklaring_id")
    if state.verklaring.verklaring_id != verklaring_id:
        raise violated(
            "dit is niet de huidige medische verklaring; bekijk de laatste versie", "verklaring_id"
        )
    return state.verklaring
