"""What the bus carried besides payloads: every subject and header an operator can observe."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client as Nats
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.errors import NotFoundError


@dataclass
class BusWatch:
    """Subjects and headers seen, each as one line of text to scan."""

    seen: list[str] = field(default_factory=list)
    subscription: Subscription | None = None

    def note(self, subject: str, headers: dict[str, str] | None) -> None:
        self.seen.append(subject)
        self.seen += [f"{name}: {value}" for name, value in (headers or {}).items()]

    async def follow_events(self, observer: Nats) -> None:
        """Note every event as it is published (core subscription of the bootstrap identity)."""

        async def on_event(message: Msg) -> None:
            self.note(message.subject, message.headers)

        self.subscription = await observer.subscribe("wvggz.evt.>", cb=on_event)

    def recording(self, request: Callable[..., Awaitable[Msg]]) -> Callable[..., Awaitable[Msg]]:
        """A client's `request` that notes the subject, the request's headers and the reply's."""

        async def recorded(subject: str, *args: Any, **kwargs: Any) -> Msg:
            self.note(subject, kwargs.get("headers"))
            reply = await request(subject, *args, **kwargs)
            self.note(reply.subject, reply.headers)
            return reply

        return recorded

    async def read_streams(self, observer: Nats) -> None:
        """Note the subject and headers of every message every stream holds."""
        js = observer.jetstream()
        for stream in await js.streams_info():
            if not stream.state.messages:
                continue
            for sequence in range(stream.state.first_seq, stream.state.last_seq + 1):
                try:
                    message = await js.get_msg(stream.config.name or "", sequence)
                except NotFoundError:
                    continue  # removed by the stream's limits
                self.note(message.subject or "", message.headers)

    def read_interest(self, monitor_port: int) -> None:
        """Note every connection's name and subscribed subjects, from the server's monitoring."""
        url = f"http://127.0.0.1:{monitor_port}/connz?subs=detail&limit=1024"
        with urllib.request.urlopen(url, timeout=5) as response:
            connz = json.load(response)
        for connection in connz["connections"]:
            self.seen.append(connection.get("name", ""))
            self.seen += [s["subject"] for s in connection.get("subscriptions_list_detail", [])]
