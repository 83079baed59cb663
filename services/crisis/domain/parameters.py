"""The configurable parameters of the crisis rules, checked once when the decider is made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from wvggz_contracts.crisis import BesluitUitkomst, Ontvanger

from services.crisis.domain.termijnen import Termijnregels

RECHTSGRONDEN: Mapping[tuple[BesluitUitkomst, Ontvanger], str] = {
    (BesluitUitkomst.GENOMEN, Ontvanger.BETROKKENE): (
        "Wvggz hoofdstuk 7 §1 (crisismaatregel): afschrift aan de betrokkene; art. 3:41 Awb"
    ),
    (BesluitUitkomst.GENOMEN, Ontvanger.ADVOCAAT): (
        "Wvggz hoofdstuk 7 §1 (crisismaatregel): afschrift aan de advocaat van de betrokkene"
    ),
    (BesluitUitkomst.GENOMEN, Ontvanger.GENEESHEER_DIRECTEUR): (
        "Wvggz hoofdstuk 7 §1 (crisismaatregel): afschrift aan de geneesheer-directeur"
    ),
    (BesluitUitkomst.GENOMEN, Ontvanger.IGJ): (
        "Wvggz hoofdstuk 7 §1 (crisismaatregel): afschrift aan de Inspectie Gezondheidszorg "
        "en Jeugd"
    ),
    (BesluitUitkomst.GENOMEN, Ontvanger.OVJ): (
        "Wvggz hoofdstuk 7 §1 (crisismaatregel): afschrift aan de officier van justitie"
    ),
    (BesluitUitkomst.GENOMEN, Ontvanger.VERTEGENWOORDIGER): (
        "Wvggz hoofdstuk 7 §1 (crisismaatregel): afschrift aan de vertegenwoordiger"
    ),
    (BesluitUitkomst.GENOMEN, Ontvanger.PVP): (
        "toestemming van de betrokkene bij het horen (art. 9 lid 2 onder a AVG; "
        "Machtigingsbesluit uitvoering hoorplicht art. 3 lid 3)"
    ),
    (BesluitUitkomst.AFGEWEZEN, Ontvanger.BETROKKENE): (
        "bekendmaking van de beslissing aan de betrokkene (art. 3:41 Awb)"
    ),
    (BesluitUitkomst.AFGEWEZEN, Ontvanger.ADVOCAAT): (
        "Wvggz hoofdstuk 7 §1: afschrift van de beslissing aan de advocaat van de betrokkene"
    ),
    (BesluitUitkomst.AFGEWEZEN, Ontvanger.OVJ): (
        "Wvggz hoofdstuk 7 §1: afschrift van de beslissing aan de officier van justitie"
    ),
    (BesluitUitkomst.AFGEWEZEN, Ontvanger.VERTEGENWOORDIGER): (
        "Wvggz hoofdstuk 7 §1: afschrift van de beslissing aan de vertegenwoordiger"
    ),
}
"""The legal basis named on each copy, per outcome and recipient ([check] the article numbers)."""


@dataclass(frozen=True, slots=True)
class Parameters:
    """Region, the decision norm and the term rules the crisis rules apply."""

    regio: frozenset[str]
    besluit_binnen: timedelta = timedelta(hours=18)
    waarschuwing_na: timedelta = timedelta(hours=12)
    termijnregels: Termijnregels = field(default_factory=Termijnregels)
    rechtsgronden: Mapping[tuple[BesluitUitkomst, Ontvanger], str] = field(
        default_factory=lambda: dict(RECHTSGRONDEN)
    )

    def __post_init__(self) -> None:
        if not self.regio:
            raise ValueError("de regio heeft geen gemeenten")
        if self.besluit_binnen <= timedelta(0):
            raise ValueError("besluit_binnen moet positief zijn")
        if not timedelta(0) <= self.waarschuwing_na < self.besluit_binnen:
            raise ValueError("waarschuwing_na moet minstens 0 en korter dan besluit_binnen zijn")
        ontbreekt = set(RECHTSGRONDEN) - set(self.rechtsgronden)
        if ontbreekt:
            namen = ", ".join(sorted(f"{u}/{o}" for u, o in ontbreekt))
            raise ValueError(f"rechtsgronden ontbreken voor: {namen}")
