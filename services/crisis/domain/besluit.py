"""The burgemeester's decision on the integraal advies, with its end moment and its copies."""

from __future__ import annotations

from datetime import datetime

from wvggz_contracts.commands import Rol
from wvggz_contracts.crisis import BesluitAfgewezen, BesluitGenomen, NeemBesluit, Oplegging
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.afschriften import bij_afwijzing, bij_oplegging
from services.crisis.domain.parameters import Parameters
from services.crisis.domain.state import Crisis, gemeld
from services.crisis.domain.termijnen import einde_crisismaatregel


def neem_besluit(
    command: Command[NeemBesluit], state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """Take or refuse the measure; taking it needs all five criteria met in the verklaring."""
    crisis = gemeld(state)
    p = command.payload
    advies = state.advies
    if advies is None:
        raise violated(
            "de burgemeester besluit op het integraal advies, en dat is er nog niet",
            "integraal_advies",
        )
    besloten_op = _besloten_op(command, crisis.gemeld_op)
    besluit_id = derived_id(crisis.crisis_id, "besluit")
    als_loco = command.actor.rol == Rol.LOCO_BURGEMEESTER
    if not isinstance(p.besluit, Oplegging):
        afgewezen = BesluitAfgewezen(
            crisis_id=crisis.crisis_id,
            gemeente=crisis.gemeente,
            besluit_id=besluit_id,
            advies_id=advies.advies_id,
            besloten_op=besloten_op,
            besloten_door=command.actor.id,
            als_loco=als_loco,
            motivatie=p.besluit.motivatie,
            advocaat=p.advocaat,
            vertegenwoordiger=p.vertegenwoordiger,
            vastgelegd_op=command.at,
        )
        return [afgewezen, *bij_afwijzing(crisis, afgewezen, parameters)]
    if not advies.alle_criteria_voldaan:
        raise violated(
            "volgens de medische verklaring is niet aan alle criteria van art. 7:1 Wvggz "
            "voldaan; een crisismaatregel kan dan niet worden genomen",
            "besluit",
        )
    oplegging = p.besluit
    genomen = BesluitGenomen(
        crisis_id=crisis.crisis_id,
        gemeente=crisis.gemeente,
        besluit_id=besluit_id,
        advies_id=advies.advies_id,
        besloten_op=besloten_op,
        besloten_door=command.actor.id,
        als_loco=als_loco,
        verplichte_zorg=oplegging.verplichte_zorg,
        zorgaanbieder=oplegging.zorgaanbieder,
        geneesheer_directeur=oplegging.geneesheer_directeur,
        zorgverantwoordelijke=oplegging.zorgverantwoordelijke,
        patientenvertrouwenspersoon=oplegging.patientenvertrouwenspersoon,
        rechtsmiddel=oplegging.rechtsmiddel,
        motivatie=oplegging.motivatie,
        advocaat=p.advocaat,
        vertegenwoordiger=p.vertegenwoordiger,
        eindigt_op=einde_crisismaatregel(besloten_op, parameters.termijnregels),
        vastgelegd_op=command.at,
    )
    return [genomen, *bij_oplegging(crisis, genomen, state, parameters)]


def _besloten_op(command: Command[NeemBesluit], gemeld_op: datetime) -> datetime:
    """The moment the burgemeester decided, as stated: the measure's terms run from it.

    It is the burgemeester's, not the moment it is recorded (a decision by phone at night may be
    recorded in the morning), so it may lie before `command.at` but not after it, and not before
    the crisis was reported (the process the decision ends started then).
    """
    besloten_op = command.payload.besloten_op
    if besloten_op > command.at:
        raise violated("dit moment ligt in de toekomst", "besloten_op")
    if besloten_op < gemeld_op:
        raise violated(
            f"het besluit ligt vóór de melding van de crisis ({gemeld_op.isoformat()})",
            "besloten_op",
        )
    return besloten_op
