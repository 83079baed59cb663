"""The two channels to partners: their own JetStream stream, and signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import logging
import urllib.parse
from collections.abc import Callable

from nats.aio.client import Client as Nats
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from wvggz_contracts.subjects import partner_stream, partner_subject

from kernel.logsafe import describe
from services.notificaties.levering.wachtrij import Levering
from services.notificaties.levering.webhook import Poging, WebhookClient

log = logging.getLogger(__name__)


class NatsKanaal:
    """Publishes a notification on the partner's subject tree, de-duplicated by event id."""

    def __init__(self, nats: Callable[[], Nats | None], timeout_s: float = 5.0) -> None:
        self._nats = nats
        self.timeout_s = timeout_s

    async def bezorg(self, levering: Levering) -> Poging:
        """One JetStream publish; delivered once the partner's stream acknowledged it."""
        client = self._nats()
        if client is None or not client.is_connected:
            return Poging(afgeleverd=False, status=None, reden="geen-verbinding")
        subject = partner_subject(levering.bestemming, levering.gemeente, levering.type)
        headers = {"Nats-Msg-Id": f"{levering.bestemming}:{levering.event_id}"}
        try:
            # The expected stream: a copy a partner redirected elsewhere is refused by the others.
            await client.jetstream().publish(
                subject,
                levering.body,
                stream=partner_stream(levering.bestemming),
                headers=headers,
                timeout=self.timeout_s,
            )
        except NoRespondersError:
            return Poging(afgeleverd=False, status=None, reden="geen-stroom")
        except NatsTimeout:
            return Poging(afgeleverd=False, status=None, reden="timeout")
        except Exception as failure:
            log.warning(
                "publishing to partner %s failed: %s", levering.bestemming, describe(failure)
            )
            return Poging(afgeleverd=False, status=None, reden="netwerkfout")
        return Poging(afgeleverd=True, status=None, reden="")


def webhook_geheim(sleutel: bytes, partner_id: str, abonnement_id: str) -> bytes:
    """The signing secret of one partner's webhook subscription, derived from the service's key.

    Derived, not stored: no secret enters the event store (the audit trail keeps everything for
    good), and a new subscription is how a partner rotates it. The partner is part of it, so
    another partner that picks the same subscription id gets another secret.
    """
    bericht = f"webhook:{partner_id}:{abonnement_id}".encode()
    return hmac.new(sleutel, bericht, hashlib.sha256).digest()


class WebhookKanaal:
    """POSTs a notification to the subscription's URL after the abuse-protection handshake.

    Each receiving origin (scheme, host and port) gets a client of its own, made by `client`:
    a connection pool probes every idle connection it holds whenever a request starts or ends,
    so one shared pool made every delivery pay for all other partners' idle connections.
    """

    def __init__(self, client: Callable[[], WebhookClient], sleutel: bytes) -> None:
        self._nieuw = client
        self._clients: dict[str, WebhookClient] = {}
        self.sleutel = sleutel

    def client(self, url: str) -> WebhookClient:
        """The client for the origin of `url` (made at its first delivery)."""
        try:
            parts = urllib.parse.urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}".lower()
        except ValueError:  # refused by the client's own check of the address
            origin = url
        client = self._clients.get(origin)
        if client is None:
            client = self._clients[origin] = self._nieuw()
        return client

    async def bezorg(self, levering: Levering) -> Poging:
        """The handshake (once per URL), then one signed structured-mode POST."""
        client = self.client(levering.bestemming)
        handdruk = await client.handshake(levering.bestemming)
        if not handdruk.afgeleverd:
            return handdruk
        geheim = webhook_geheim(self.sleutel, levering.partner_id, levering.abonnement_id)
        return await client.deliver_body(
            levering.bestemming, geheim, levering.event_id, levering.body
        )
