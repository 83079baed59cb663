"""How a process connects to NATS: its server, nkey identity, private inbox and TLS trust."""

from __future__ import annotations

import ssl
from typing import Any

from faststream.nats import NatsBroker, NatsNKey
from faststream.nats.security import NatsSecurity
from nats.errors import ConnectionReconnectingError

from kernel.settings import ServiceSettings


def inbox_prefix(settings: ServiceSettings) -> str:
    """The only reply inbox the bus lets this identity subscribe to: `_INBOX_<service>`."""
    if settings.nats_inbox_prefix:
        return settings.nats_inbox_prefix
    # Without a service name there is no identity to derive one from; nats-py's own default.
    return f"_INBOX_{settings.service_name}" if settings.service_name else "_INBOX"


def subscriber_inbox_prefix(settings: ServiceSettings) -> bytes:
    """For `router.subscriber(..., inbox_prefix=...)` of a JetStream pull subscriber.

    FastStream gives every pull subscriber `b"_INBOX."` unless told otherwise, ignoring the
    connection's prefix, and the bus refuses that subscription.
    """
    return f"{inbox_prefix(settings)}.".encode()


def tls_context(settings: ServiceSettings) -> ssl.SSLContext | None:
    """Verifies the server's certificate against our own CA; None when TLS is not configured."""
    if settings.nats_tls_ca_file is None:
        return None
    return ssl.create_default_context(
        ssl.Purpose.SERVER_AUTH, cafile=str(settings.nats_tls_ca_file)
    )


def connect_options(settings: ServiceSettings, name: str) -> dict[str, Any]:
    """Keyword arguments for `nats.connect(**...)`."""
    options: dict[str, Any] = {
        "servers": settings.nats_url,
        "name": name,
        "inbox_prefix": inbox_prefix(settings),
        "max_reconnect_attempts": -1,
    }
    if settings.nats_nkey_seed_file is not None:
        options["nkeys_seed"] = str(settings.nats_nkey_seed_file)
    context = tls_context(settings)
    if context is not None:
        options["tls"] = context
    return options


def broker_options(settings: ServiceSettings, name: str) -> dict[str, Any]:
    """Keyword arguments for FastStream's `NatsBroker(**...)`: the same connection.

    `NatsBroker` takes no `tls` argument and deprecates `nkeys_seed`; both travel in
    `security`, which also documents the nkey scheme in the AsyncAPI description.
    """
    options = connect_options(settings, name)
    seed_file = options.pop("nkeys_seed", None)
    context = options.pop("tls", None)
    security: NatsSecurity | None = None
    if seed_file is not None:
        security = NatsNKey.from_file(seed_file, ssl_context=context)
    elif context is not None:
        security = NatsSecurity(ssl_context=context)
    if security is not None:
        options["security"] = security
    return options


def stop_without_nats(broker: NatsBroker) -> None:
    """Let the broker stop while NATS is down, so the store, views and relay still close.

    FastStream drains the connection on stop, and nats-py refuses to drain one that is
    reconnecting; the error would skip every after-shutdown hook. Closing it instead loses
    nothing: unacknowledged messages come back to the durable consumers.
    """
    stop = broker.stop

    async def stop_even_if_reconnecting(*args: Any, **kwargs: Any) -> None:
        try:
            await stop(*args, **kwargs)
        except ConnectionReconnectingError:
            connection = broker._connection  # FastStream offers no public handle to close it
            if connection is not None:
                await connection.close()
            broker._connection = None

    broker.stop = stop_even_if_reconnecting  # type: ignore[method-assign]
