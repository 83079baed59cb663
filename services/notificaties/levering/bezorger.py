"""Delivers what the queue holds: each case in order, many cases at once, retried with back-off
and jitter until the horizon, then given up (recorded in the event store) for an operator."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from prometheus_client import Counter, Histogram

from kernel.background import BackgroundLoop
from kernel.logsafe import describe
from services.notificaties.levering.herhaling import opgeven, wachttijd
from services.notificaties.levering.wachtrij import Levering, Wachtrij
from services.notificaties.levering.webhook import Poging

log = logging.getLogger(__name__)


class Kanaal(Protocol):
    """One way to reach partners (NATS, webhook): one attempt, never raising."""

    async def bezorg(self, levering: Levering) -> Poging: ...


@dataclass(frozen=True, slots=True)
class Tellers:
    """Per-partner delivery metrics (labels: partner id, never a case or a person)."""

    uitkomsten: Counter
    vertraging: Histogram

    @classmethod
    def voor(cls, registry: object) -> Tellers:
        """Registered on the service's metrics registry."""
        return cls(
            Counter(
                "wvggz_notificaties_deliveries",
                "Delivery attempts to partners, by partner, channel and outcome"
                " (afgeleverd, mislukt, opgegeven).",
                ["partner", "kanaal", "uitkomst"],
                registry=registry,  # type: ignore[arg-type]
            ),
            Histogram(
                "wvggz_notificaties_delivery_delay_seconds",
                "From the event's time to its delivery to a partner.",
                ["kanaal"],
                buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600, 86400),
                registry=registry,  # type: ignore[arg-type]
            ),
        )


GeefOp = Callable[[Levering, int, str, datetime], Awaitable[int | None]]
"""Records a given-up delivery (partner, attempts, reason, first attempt); the store position
of the record, or None when it could not be recorded now (then it is tried again later)."""


class Bezorger(BackgroundLoop):
    """The delivery loop of one service process."""

    def __init__(
        self,
        wachtrij: Wachtrij,
        kanalen: Mapping[str, Kanaal],
        geef_op: GeefOp,
        vrijgegeven: Callable[[], None],
        clock: Callable[[], datetime],
        *,
        horizon: timedelta,
        tellers: Tellers,
        gelijktijdig: int = 64,
        rng: random.Random | None = None,
    ) -> None:
        self.wachtrij = wachtrij
        self.kanalen = kanalen
        self.geef_op = geef_op
        self.vrijgegeven = vrijgegeven
        self.clock = clock
        self.horizon = horizon
        self.tellers = tellers
        self.gelijktijdig = gelijktijdig
        self.rng = rng or random.Random()
        self._wek = asyncio.Event()
        self._bezig: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._klaar: list[Levering] = []
        """Heads read ahead, next one last; each case's head appears once."""
        self._afgeleverd: list[tuple[str, str]] = []
        """Delivered, and marked so in the queue at the loop's next turn with all others that
        ended by then: one transaction (one sync to disk) for many. Nothing is read from the
        queue before that, so the next notification of their cases cannot go first."""

    def wek(self) -> None:
        """New work is queued, or released: look now instead of at the next due moment."""
        self._klaar = []
        self._wek.set()

    async def _run(self) -> None:
        try:
            while True:
                self._wek.clear()
                self._schrijf_af()
                self.vrijgegeven()
                while len(self._bezig) < self.gelijktijdig:
                    if not self._klaar:
                        # Read ahead: one query serves many deliveries ending one by one.
                        nu = self.clock().timestamp()
                        limiet = 4 * self.gelijktijdig
                        self._klaar = self.wachtrij.aan_de_beurt(nu, list(self._bezig), limiet)
                        self._klaar.reverse()
                        if not self._klaar:
                            break
                    levering = self._klaar.pop()
                    sleutel = (levering.partner_id, levering.zaak)
                    if sleutel not in self._bezig:
                        self._bezig[sleutel] = asyncio.create_task(self._bezorg(levering))
                await self._wacht()
        finally:
            for task in self._bezig.values():
                task.cancel()
            await asyncio.gather(*self._bezig.values(), return_exceptions=True)
            self._schrijf_af()

    def _schrijf_af(self) -> None:
        """Mark what was delivered since the last turn (kept for the next when that fails)."""
        if self._afgeleverd:
            self.wachtrij.afgeleverd(self._afgeleverd, self.clock().timestamp())
            self._afgeleverd.clear()

    async def _wacht(self) -> None:
        """Until new work, a delivery ends, or the next waiting one falls due (at most 1 s).

        What is due now was just handed out, or waits for a delivery under way (its case's, or
        a free place): the end of that delivery wakes the loop.
        """
        volgende = self.wachtrij.volgende_moment()
        nu = self.clock().timestamp()
        timeout = 1.0 if volgende is None or volgende <= nu else min(1.0, volgende - nu)
        waiters: list[asyncio.Future[object]] = [asyncio.ensure_future(self._wek.wait())]
        waiters += list(self._bezig.values())  # type: ignore[arg-type]
        wek = waiters[0]
        try:
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            wek.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await wek

    async def _bezorg(self, levering: Levering) -> None:
        try:
            await self._poging(levering)
        except Exception as failure:  # the queue stays as it was: tried again at its moment
            log.error("delivery to partner %s failed: %s", levering.partner_id, describe(failure))
        finally:
            self._bezig.pop((levering.partner_id, levering.zaak), None)

    async def _poging(self, levering: Levering) -> None:
        kanaal = self.kanalen.get(levering.kanaal)
        if kanaal is None:
            raise RuntimeError(f"no channel {levering.kanaal!r} configured")
        poging = await kanaal.bezorg(levering)
        nu = self.clock()
        if poging.afgeleverd:
            self._afgeleverd.append(levering.sleutel)
            self._tel(levering, "afgeleverd")
            tijd = _event_time(levering)
            if tijd is not None:
                vertraging = max(0.0, (nu - tijd).total_seconds())
                self.tellers.vertraging.labels(kanaal=levering.kanaal).observe(vertraging)
            return
        self._tel(levering, "mislukt")
        reden = poging.reden + (f" (HTTP {poging.status})" if poging.status else "")
        pogingen = levering.pogingen + 1
        eerste = datetime.fromtimestamp(levering.eerste_poging or nu.timestamp(), UTC)
        if poging.blijvend or opgeven(eerste, nu, self.horizon):
            positie = await self.geef_op(levering, pogingen, reden, eerste)
            if positie is not None:
                self.wachtrij.opgegeven(levering.sleutel, positie=positie, reden=reden)
                self._tel(levering, "opgegeven")
                log.error(
                    "gave up delivering %s to partner %s after %d attempts: %s",
                    levering.event_id,
                    levering.partner_id,
                    pogingen,
                    reden,
                )
                return
        wacht = wachttijd(pogingen, self.rng)
        if poging.opnieuw_na is not None:
            wacht = max(wacht, poging.opnieuw_na)
        self.wachtrij.later(
            levering.sleutel,
            poging=eerste.timestamp(),
            volgende=nu.timestamp() + wacht,
            reden=reden,
        )

    def _tel(self, levering: Levering, uitkomst: str) -> None:
        self.tellers.uitkomsten.labels(
            partner=levering.partner_id, kanaal=levering.kanaal, uitkomst=uitkomst
        ).inc()


def _event_time(levering: Levering) -> datetime | None:
    """The time of the event a notification is about (its body's `time`)."""
    try:
        return datetime.fromisoformat(json.loads(levering.body)["time"])
    except (ValueError, KeyError, TypeError):
        return None
