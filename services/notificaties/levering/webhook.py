"""Delivering one CloudEvent to a partner's webhook, and signing and checking what is delivered.

The delivery follows the NL GOV guideline for the webhook pattern for CloudEvents (Logius), which
adopts "HTTP 1.1 Web Hooks for Event Delivery" (CloudEvents) without deviations:

- one event per POST, in structured mode: `Content-Type: application/cloudevents+json;
  charset=utf-8`, the event as compact JSON; never over plain HTTP, redirects are not followed;
- abuse protection: before the first delivery an OPTIONS request with `WebHook-Request-Origin`
  (our host name); the receiver consents by answering `WebHook-Allowed-Origin` with that name or
  `*`, and may grant a rate in `WebHook-Allowed-Rate` (requests per minute, or `*`). Every
  delivery carries `WebHook-Request-Origin` too. The callback variant is not supported;
- answers: 200, 201, 202 and 204 mean delivered; 410 Gone means stop; 429 Too Many Requests
  carries Retry-After, which the sender must observe.

The guideline authenticates a delivery with an access token (`Authorization: Bearer`) and says
nothing about signing the content. For integrity and replay protection the body is therefore also
signed as Standard Webhooks (standardwebhooks.com) prescribes: the headers `webhook-id` (the
CloudEvent id, the same on every retry, so receivers can de-duplicate), `webhook-timestamp`
(Unix seconds of this attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 over
"<id>.<timestamp>.<body>">` with the subscription's secret. A token can be passed as well.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Self

import httpx2
from wvggz_contracts.notificaties import webhook_adres_fout

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"
SIGNATURE_VERSION = "v1"

HEADER_REQUEST_ORIGIN = "WebHook-Request-Origin"
HEADER_ALLOWED_ORIGIN = "WebHook-Allowed-Origin"
HEADER_ALLOWED_RATE = "WebHook-Allowed-Rate"


def sign(secret: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value of one attempt: `v1,<base64 HMAC-SHA256>`.

    The id may not contain a full stop: "<id>.<timestamp>.<body>" would no longer say where the
    id ends, and a signature could be moved to another id and body.
    """
    if not msg_id or "." in msg_id:
        raise ValueError("the message id must be non-empty and contain no '.'")
    return f"{SIGNATURE_VERSION},{_mac(secret, msg_id, timestamp, body)}"


def _mac(secret: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(secret, signed, hashlib.sha256).digest()).decode("ascii")


def verify(
    secret: bytes, headers: Mapping[str, str], body: bytes, *, now: int, tolerance_s: int = 300
) -> bool:
    """Whether a delivery is signed with `secret` and its timestamp is within `tolerance_s` of
    `now` (Unix seconds; both ways, so a replay or a clock far ahead is refused).

    Header names are matched case-insensitively. The signature header may list several
    space-separated signatures (a secret being rotated); one that matches suffices. The
    comparison takes constant time.
    """
    found = {name.lower(): value for name, value in headers.items()}
    msg_id = found.get(HEADER_ID, "")
    stamp = found.get(HEADER_TIMESTAMP, "")
    signatures = found.get(HEADER_SIGNATURE, "")
    if not msg_id or "." in msg_id or not stamp.isascii() or not stamp.isdigit():
        return False
    timestamp = int(stamp)
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = _mac(secret, msg_id, timestamp, body).encode("ascii")
    matched = False
    for entry in signatures.split(" "):
        version, _, value = entry.partition(",")
        if version == SIGNATURE_VERSION:
            # No early exit, so the time taken does not tell which signature matched.
            matched |= hmac.compare_digest(expected, value.encode("utf-8", "replace"))
    return matched


_RESPONSE_READ_LIMIT = 64 * 1024
"""Bytes of an answer read (and dropped): enough to keep the connection for the next delivery,
while a receiver that answers with a flood cannot make us read it all."""

check_url = webhook_adres_fout
"""Why a webhook address is refused, or None: the contract's own check (also at delivery, for
subscriptions stored before it)."""


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value (delay in seconds, or an HTTP date), or None
    when absent or unreadable. A date in the past gives 0."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(frozen=True, slots=True)
class Poging:
    """The outcome of one attempt (a delivery or a handshake)."""

    afgeleverd: bool
    """Delivered (or, for a handshake, consent given)."""
    status: int | None
    """The HTTP status, None when no answer came."""
    reden: str
    """A short fixed word for logs and metrics; never the body or any content."""
    opnieuw_na: float | None = None
    """Seconds the receiver asked us to wait (Retry-After), if it did."""
    blijvend: bool = False
    """Retrying will not help: 410 Gone, a refused handshake or a refused address."""


@dataclass(frozen=True, slots=True)
class _Toestemming:
    poging: Poging
    tempo: int | None


class WebhookClient:
    """Delivers to partners' webhooks over one pool of kept-alive connections.

    Nothing here raises for a network problem or a receiver's answer: every attempt ends in a
    `Poging`. Retrying, and giving up, is the caller's (see `herhaling`).
    """

    def __init__(
        self,
        *,
        origin: str,
        user_agent: str = "wvggz-notificaties",
        timeout_s: float = 10.0,
        max_connections: int = 100,
        tls: ssl.SSLContext | None = None,
        proxy: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`origin`: our host name, as the receivers are asked to allow it. `timeout_s` bounds a
        whole attempt (connect, send, answer). `tls`: a context with the trusted CAs and, for
        mutual TLS, our client certificate. `proxy`: an egress proxy that keeps deliveries out
        of internal networks. `clock`: Unix seconds, for the signature's timestamp."""
        if not origin or any(ch.isspace() for ch in origin):
            raise ValueError("origin must be a host name")
        self.origin = origin
        self.user_agent = user_agent
        self.timeout_s = timeout_s
        self._clock = clock
        self._consent: dict[str, _Toestemming] = {}
        self._http = httpx2.AsyncClient(
            headers={"User-Agent": user_agent},
            timeout=httpx2.Timeout(timeout_s),
            limits=httpx2.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                keepalive_expiry=30.0,
            ),
            verify=tls if tls is not None else True,
            proxy=proxy,
            follow_redirects=False,
            # Environment proxies and .netrc credentials must not silently apply to partners.
            trust_env=False,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    async def handshake(self, url: str) -> Poging:
        """Ask the receiver at `url` whether it accepts notifications from our origin.

        A consent or a refusal is kept for this client's lifetime; a failure to get an answer
        (network, 5xx, 429) is not, so the next call asks again. An answer without
        `WebHook-Allowed-Origin` for us is a refusal whatever its status, as the specification
        says, except a 5xx or 429: a receiver in trouble has not decided anything.
        """
        known = self._consent.get(url)
        if known is not None:
            return known.poging
        if check_url(url) is not None:
            return Poging(False, None, "adres-geweigerd", blijvend=True)
        headers = {HEADER_REQUEST_ORIGIN: self.origin}
        answer = await self._send("OPTIONS", url, headers, None)
        if isinstance(answer, Poging):
            return answer
        status, response_headers = answer
        allowed = response_headers.get(HEADER_ALLOWED_ORIGIN, "").strip().lower()
        if 200 <= status < 300 and allowed in ("*", self.origin.lower()):
            poging = Poging(True, status, "toestemming")
        elif status >= 500 or status == 429:
            return _transient(status, response_headers, self._clock())
        else:
            poging = Poging(False, status, "handshake-geweigerd", blijvend=True)
        self._consent[url] = _Toestemming(poging, _rate(response_headers.get(HEADER_ALLOWED_RATE)))
        return poging

    def toegestaan_tempo(self, url: str) -> int | None:
        """Requests per minute the receiver granted in its handshake; None when it set no limit,
        did not say, or was not asked yet."""
        known = self._consent.get(url)
        return known.tempo if known is not None else None

    async def deliver(
        self,
        url: str,
        secret: bytes,
        event: Mapping[str, Any],
        *,
        bearer_token: str | None = None,
    ) -> Poging:
        """POST one CloudEvent to `url`, signed with `secret`.

        Raises ValueError for an event without a usable `id` and TypeError for one that is not
        JSON: both are the caller's bugs, not the receiver's problem.
        """
        msg_id = event.get("id")
        if not isinstance(msg_id, str):
            raise ValueError("a CloudEvent needs a string id")
        body = json.dumps(dict(event), separators=(",", ":"), ensure_ascii=False).encode()
        return await self.deliver_body(url, secret, msg_id, body, bearer_token=bearer_token)

    async def deliver_body(
        self,
        url: str,
        secret: bytes,
        msg_id: str,
        body: bytes,
        *,
        bearer_token: str | None = None,
    ) -> Poging:
        """POST an event already serialised as structured-mode JSON (`msg_id` is its id)."""
        if check_url(url) is not None:
            return Poging(False, None, "adres-geweigerd", blijvend=True)
        timestamp = int(self._clock())
        headers = {
            "Content-Type": CONTENT_TYPE,
            HEADER_REQUEST_ORIGIN: self.origin,
            HEADER_ID: msg_id,
            HEADER_TIMESTAMP: str(timestamp),
            HEADER_SIGNATURE: sign(secret, msg_id, timestamp, body),
        }
        if bearer_token is not None:
            headers["Authorization"] = f"Bearer {bearer_token}"
        answer = await self._send("POST", url, headers, body)
        if isinstance(answer, Poging):
            return answer
        status, response_headers = answer
        if 200 <= status < 300:
            return Poging(True, status, "afgeleverd")
        if status == 410:
            return Poging(False, status, "weg", blijvend=True)
        if 300 <= status < 400:
            return Poging(False, status, "doorverwijzing")
        if status >= 500 or status == 429:
            return _transient(status, response_headers, self._clock())
        return Poging(False, status, "geweigerd")

    async def _send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, httpx2.Headers] | Poging:
        """Status and headers of the answer, or the Poging that says why none came."""
        try:
            async with asyncio.timeout(self.timeout_s):
                request = self._http.build_request(method, url, headers=headers, content=body)
                response = await self._http.send(request, stream=True)
                try:
                    read = 0
                    async with contextlib.aclosing(response.aiter_raw()) as chunks:
                        async for chunk in chunks:
                            read += len(chunk)
                            if read > _RESPONSE_READ_LIMIT:
                                break
                finally:
                    await response.aclose()
        except (TimeoutError, httpx2.TimeoutException):
            return Poging(False, None, "timeout")
        except httpx2.ConnectError:
            return Poging(False, None, "geen-verbinding")
        except (httpx2.HTTPError, httpx2.InvalidURL, OSError):
            return Poging(False, None, "netwerkfout")
        return response.status_code, response.headers


def _transient(status: int, headers: httpx2.Headers, now: float) -> Poging:
    reden = {429: "te-veel-verzoeken", 503: "onbeschikbaar"}.get(status, "serverfout")
    wait = parse_retry_after(headers.get("Retry-After"), now) if status in (429, 503) else None
    return Poging(False, status, reden, opnieuw_na=wait)


def _rate(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    return int(value) or None
