"""The burgemeester's decision on the integraal advies, with its end moment and its copies."""

from __future__ import annotations

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
    besluit_id = derived_id(crisis.crisis_id, "besluit")
    als_loco = command.actor.rol == Rol.LOCO_BURGEMEESTER
    if not isinstance(p.besluit, Oplegging):
        afgewezen = BesluitAfgewezen(
            crisis_id=crisis.crisis_id,
            gemeente=crisis.gemeente,
            besluit_id=besluit_id,
            advies_id=advies.advies_id,
            besloten_op=command.at,
            besloten_door=command.actor.id,
            als_loco=als_loco,
            motivatie=p.besluit.motivatie,
            advocaat=p.advocaat,
            vertegenwoordiger=p.vertegenwoordiger,
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
        besloten_op=command.at,
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
        eindigt_op=einde_crisismaatregel(command.at, parameters.termijnregels),
    )
    return [genomen, *bij_oplegging(crisis, genomen, state, parameters)]
