"""The betrokkene's age group at the melding, which decides on child-psychiatry expertise."""

from __future__ import annotations

from datetime import date, datetime

from wvggz_contracts.onderzoek import JeugdSignaal

from services.onderzoek.domain.termijnen import lokale_datum

JEUGD = frozenset({JeugdSignaal.JONGER_DAN_16, JeugdSignaal.JONGER_DAN_18})
"""Age groups needing child-psychiatry expertise (seed 001 §2.5); `onbekend` is not among them."""


def leeftijd_op(geboortedatum: date, datum: date) -> int:
    """Age in whole years on `datum`."""
    # Someone born on 29 February turns a year older on 1 March in a common year: the later
    # birthday keeps youth protection one day longer, the safe side for this signal.
    nog_niet_jarig = (datum.month, datum.day) < (geboortedatum.month, geboortedatum.day)
    return datum.year - geboortedatum.year - int(nog_niet_jarig)


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
