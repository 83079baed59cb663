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
        bestemming = abonnement.url if abonnement.kanaal is Kanaal.WEBHOOK else partner.code
        if not bestemming:  # a webhook without its URL (from before the URL was required)
            continue
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
    """The partners with running subscriptions, read again only when one of them changed (the
    view's row versions say so without parsing a row)."""

    def __init__(self, lees: Callable[[], list[PartnerRij]], versies: Callable[[], object]) -> None:
        self._lees = lees
        self._versies = versies
        self._gelezen: object = None
        self._partners: list[PartnerRij] = []

    def nu(self) -> list[PartnerRij]:
        """The current partners."""
        versies = self._versies()
        if versies != self._gelezen:
            self._partners = [p for p in self._lees() if p.abonnementen or p.opgegeven]
            self._gelezen = versies
        return self._partners

    def opgegeven(self, partner_id: str) -> set[str]:
        """The given-up notifications of a partner that were not released."""
        for partner in self.nu():
            if str(partner.partner_id) == partner_id:
                return {str(e) for e in partner.opgegeven}
        return set()
