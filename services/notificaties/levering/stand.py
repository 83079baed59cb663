"""Per-partner gauges of the delivery queue, read from it at each scrape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.notificaties.levering.wachtrij import Wachtrij


class WachtrijStand(Collector):
    """Waiting and given-up deliveries and the oldest one's age, per partner."""

    def __init__(self, wachtrij: Wachtrij, clock: Callable[[], datetime]) -> None:
        self.wachtrij = wachtrij
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One sample per partner that is owed anything."""
        wachtend = GaugeMetricFamily(
            "wvggz_notificaties_deliveries_waiting",
            "Notifications queued for a partner and not yet delivered (the retry backlog).",
            labels=["partner"],
        )
        opgegeven = GaugeMetricFamily(
            "wvggz_notificaties_deliveries_given_up",
            "Notifications whose delivery was given up and awaits an operator.",
            labels=["partner"],
        )
        oudste = GaugeMetricFamily(
            "wvggz_notificaties_oldest_undelivered_age_seconds",
            "Age of the oldest notification a partner has not received.",
            labels=["partner"],
        )
        nu = self.clock().timestamp()
        for stand in self.wachtrij.stand():
            wachtend.add_metric([stand.partner_id], stand.wachtend)
            opgegeven.add_metric([stand.partner_id], stand.opgegeven)
            leeftijd = max(0.0, nu - stand.oudste) if stand.oudste is not None else 0.0
            oudste.add_metric([stand.partner_id], leeftijd)
        yield wachtend
        yield opgegeven
        yield oudste
