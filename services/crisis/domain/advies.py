"""The integraal advies: the signed medische verklaring plus the hearing outcome, once."""

from __future__ import annotations

from wvggz_contracts.crisis import IntegraalAdviesSamengesteld, StelIntegraalAdviesSamen
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.state import Crisis, gemeld


def stel_integraal_advies_samen(
    command: Command[StelIntegraalAdviesSamen], state: Crisis
) -> list[DomainEvent]:
    """Assemble the advice for the burgemeester; impossible before both parts exist."""
    crisis = gemeld(state)
    if state.advies is not None:
        raise violated("het integraal advies is al samengesteld", "integraal_advies")
    verklaring = state.verklaring
    if verklaring is None or not verklaring.ondertekend:
        raise violated(
            "het integraal advies vraagt een ondertekende medische verklaring",
            "medische_verklaring",
        )
    if not state.gehoord:
        raise violated(
            "het integraal advies vraagt een hoorverslag of de reden waarom horen onmogelijk was",
            "hoorverslag",
        )
    # A hearing recorded after an earlier "impossible" supersedes it.
    verslag, onmogelijk = state.hoorverslag, state.horen_onmogelijk
    return [
        IntegraalAdviesSamengesteld(
            crisis_id=crisis.crisis_id,
            gemeente=crisis.gemeente,
            advies_id=derived_id(crisis.crisis_id, "integraal-advies"),
            verklaring_id=verklaring.verklaring_id,
            alle_criteria_voldaan=verklaring.alle_criteria_voldaan,
            hoorverslag_id=verslag.verslag_id if verslag else None,
            horen_onmogelijk_reden=onmogelijk.reden if verslag is None and onmogelijk else None,
            toelichting=command.payload.toelichting,
            samengesteld_op=command.at,
        )
    ]
