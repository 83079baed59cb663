"""The betrokkene's age group at the melding, which decides on child-psychiatry expertise."""

from __future__ import annotations

from datetime import date, datetime

from wvggz_contracts.onderzoek import JeugdSignaal
from wvggz_contracts.rechtstijd import leeftijd_op, lokale_datum

JEUGD = frozenset({JeugdSignaal.JONGER_DAN_16, JeugdSignaal.JONGER_DAN_18})
"""Age groups needing child-psychiatry expertise (seed 001 §2.5); `onbekend` is not among them."""


def jeugd_signaal(geboortedatum: date | None, melding_ontvangen_op: datetime) -> JeugdSignaal:
    """The age group on the (Amsterdam) date the melding was received."""
    if geboortedatum is None:
        return JeugdSignaal.ONBEKEND
    leeftijd = leeftijd_op(geboortedatum, lokale_datum(melding_ontvangen_op))
    if leeftijd < 16:
        return JeugdSignaal.JONGER_DAN_16
    if leeftijd < 18:
        return JeugdSignaal.JONGER_DAN_18
    return JeugdSignaal.VOLWASSEN
