"""Fan-out: each published event becomes a queued notification for every partner subscribed."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from wvggz_contracts.crisis import AfschriftKlaargezet
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.meldpunt import MelderBriefKlaargezet as MeldpuntBrief
from wvggz_contracts.notificaties import Kanaal
from wvggz_contracts.onderzoek import MelderBriefKlaargezet as OnderzoekBrief
from wvggz_contracts.subjects import fetch_subject

from services.notificaties.domain.minimalisatie import OPHAALBAAR, notificatie
from services.notificaties.levering.wachtrij import Levering
from services.notificaties.projections import PartnerRij

BRIEVEN = frozenset(
    {
        AfschriftKlaargezet.event_type,
        MeldpuntBrief.event_type,
        OnderzoekBrief.event_type,
    }
)
"""Letters put ready: the drukkerij sends each as a document to its own recipient, so a
subscription to them means "my afschriften", never references to everyone's."""


def leveringen(
    event: CloudEvent, partners: Sequence[PartnerRij], bron: str, geplaatst: float
) -> list[Levering]:
    """What each subscribed partner is owed of one event: once per partner, by the channel of
    its first subscription that covers it, minimised to what the partner's kind may receive."""
    if event.type in BRIEVEN:
        return []
    owed = []
    for partner in partners:
        abonnement = next(
            (a for a in partner.abonnementen if a.dekt(event.type, event.gemeente)), None
        )
        if abonnement is None:
            continue
        if abonnement.kanaal is Kanaal.WEBHOOK:
            bestemming = abonnement.url or ""
        else:
            bestemming = partner.code or ""
        body = notificatie(partner.soort, event, bron)
        if partner.code and event.type in OPHAALBAAR.get(partner.soort, {}):
            # Where the partner fetches what its kind may know of the event, with its right.
            body["dataref"] = f"nats:{fetch_subject(partner.code)}"
        owed.append(
            Levering(
                partner_id=str(partner.partner_id),
                event_id=str(event.id),
                zaak=str(event.subject),
                type=event.type,
                gemeente=event.gemeente,
                kanaal=abonnement.kanaal.value,
                bestemming=bestemming,
                abonnement_id=str(abonnement.abonnement_id),
                body=json.dumps(body, separators=(",", ":")).encode(),
                geplaatst=geplaatst,
            )
        )
    return owed


class Abonnees:
    """The partners with running subscriptions, read from the view again only when it moved."""

    def __init__(self, lees: Callable[[], list[PartnerRij]], positie: Callable[[], int]) -> None:
        self._lees = lees
        self._positie = positie
        self._gelezen_op = -1
        self._partners: list[PartnerRij] = []

    def nu(self) -> list[PartnerRij]:
        """The current partners."""
        positie = self._positie()
        if positie != self._gelezen_op:
            self._partners = [p for p in self._lees() if p.abonnementen or p.opgegeven]
            self._gelezen_op = positie
        return self._partners

    def opgegeven(self, partner_id: str) -> set[str]:
        """The given-up notifications of a partner that were not released."""
        for partner in self.nu():
            if str(partner.partner_id) == partner_id:
                return {str(e) for e in partner.opgegeven}
        return set()
