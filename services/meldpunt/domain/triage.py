"""Triage of a melding: the three questions judged, an outcome that fits them, the follow-up."""

from __future__ import annotations

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.meldpunt import RondTriageAf, TriageAfgerond, TriageAntwoorden, TriageUitkomst

from kernel.decider import Command, violated
from services.meldpunt.domain.brieven import triage_vervolg
from services.meldpunt.domain.state import Melding, te_triageren


def passende_uitkomsten(antwoorden: TriageAntwoorden) -> frozenset[TriageUitkomst]:
    """The outcomes the answers imply; any other outcome needs an afwijking_motivatie.

    All three aannemelijk imply verkennend onderzoek (the VO asks the same three questions and
    stops at the first "no"). None aannemelijk implies geen grond, or regulier when care is
    needed outside the Wvggz. Mixed answers imply regulier: some ground, but not enough for a VO.
    Crisis is never implied, since the three questions do not measure how acute it is, so a
    crisis always carries a motivation. This covers, among others: verkennend onderzoek without
    three times aannemelijk, geen grond with any aannemelijk, and three times aannemelijk with any
    outcome but verkennend onderzoek.
    """
    if antwoorden.alle_aannemelijk:
        return frozenset({TriageUitkomst.VERKENNEND_ONDERZOEK})
    if antwoorden.geen_aannemelijk:
        return frozenset({TriageUitkomst.GEEN_GROND, TriageUitkomst.REGULIER})
    return frozenset({TriageUitkomst.REGULIER})


def _controleer(triage: RondTriageAf) -> None:
    """Refuse an outcome without the fields it needs, naming the field."""
    if triage.uitkomst == TriageUitkomst.REGULIER and triage.doorverwezen_naar is None:
        raise violated("bij uitkomst regulier hoort een doorverwijzing", "doorverwezen_naar")
    if triage.uitkomst != TriageUitkomst.REGULIER and triage.doorverwezen_naar is not None:
        raise violated(
            f"een doorverwijzing hoort alleen bij uitkomst regulier, niet bij {triage.uitkomst}",
            "doorverwezen_naar",
        )
    passend = passende_uitkomsten(triage.antwoorden)
    if triage.uitkomst not in passend and triage.afwijking_motivatie is None:
        verwacht = " of ".join(sorted(passend))
        raise violated(
            f"uitkomst {triage.uitkomst} volgt niet uit de antwoorden (verwacht: {verwacht});"
            " motiveer de afwijking",
            "afwijking_motivatie",
        )


def rond_triage_af(command: Command[RondTriageAf], state: Melding) -> list[DomainEvent]:
    """The triage of an open melding, once, with the next-steps letter for an entitled melder."""
    payload = command.payload
    ontvangen = te_triageren(state)
    _controleer(payload)
    afgerond = TriageAfgerond(
        melding_id=ontvangen.melding_id,
        gemeente=state.gemeente or ontvangen.gemeente,
        uitkomst=payload.uitkomst,
        antwoorden=payload.antwoorden,
        afwijking_motivatie=payload.afwijking_motivatie,
        doorverwezen_naar=payload.doorverwezen_naar,
        afgerond_op=command.at,
        melding_ontvangen_op=ontvangen.ontvangen_op,
        vo_termijn_eind=ontvangen.vo_termijn_eind,
        betrokkene=ontvangen.betrokkene,
        melder=ontvangen.melder,
        situatie=ontvangen.situatie,
    )
    return [afgerond, *triage_vervolg(afgerond)]
