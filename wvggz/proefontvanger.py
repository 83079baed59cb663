"""A webhook receiver on this machine to try a subscription against: it answers the handshake,
checks signatures, de-duplicates by CloudEvent id and keeps what arrived (tests, benchmark, CLI).

Its address is `http://127.0.0.1:<port>/webhook`; the notificaties service allows plain http only
to this machine. A test steers it in the same process: `mode` makes it fail, refuse or answer
slowly, `stop()` really closes the port (connections are refused) and `start()` opens the same
port again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.notificaties.levering.webhook import (
    HEADER_ALLOWED_ORIGIN,
    HEADER_ALLOWED_RATE,
    HEADER_REQUEST_ORIGIN,
    verify,
)

Mode = Literal["ok", "fout", "traag", "weg", "druk"]
"""ok: accept; fout: 500; traag: accept after `traag_s`; weg: 410 Gone; druk: 429 with
Retry-After `retry_after`."""

HOST = "127.0.0.1"
PATH = "/webhook"
DEFAULT_PORT = 8780


@dataclass(frozen=True, slots=True)
class Ontvangst:
    """One accepted delivery: the event's identity, never its data."""

    id: str
    type: str
    subject: str | None
    monotoon: float
    """time.monotonic() at arrival (for latencies measured in the same process)."""
    tijdstip: datetime


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: Ctrl-C belongs to whoever runs this receiver."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class ProefOntvanger:
    """The receiver, started and stopped from a test or the command line."""

    def __init__(
        self,
        secret: bytes,
        port: int = 0,
        *,
        origins: frozenset[str] | None = None,
        tempo: int | None = None,
        bij_ontvangst: Callable[[Ontvangst], None] | None = None,
    ) -> None:
        """`origins`: the sender origins it consents to in the handshake (None: any).
        `tempo`: the rate it grants, in requests per minute (None: no limit)."""
        self.secret = secret
        self.origins = origins
        self.tempo = tempo
        self.mode: Mode = "ok"
        self.traag_s = 1.0
        self.retry_after = "7"
        self.tolerance_s = 300
        self._bij_ontvangst = bij_ontvangst
        self._port = port
        self._ontvangen: list[Ontvangst] = []
        self._ids: set[str] = set()
        self._dubbel = 0
        self._geweigerd = 0
        self._nieuw = asyncio.Event()
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._app = Starlette(routes=[Route(PATH, self._webhook, methods=["POST", "OPTIONS"])])

    @property
    def url(self) -> str:
        """Where to deliver (known once started, or when a port was given)."""
        if self._port == 0:
            raise RuntimeError("the receiver has no port before it is started")
        return f"http://{HOST}:{self._port}{PATH}"

    @property
    def ontvangen(self) -> list[Ontvangst]:
        """Every distinct accepted delivery, in arrival order."""
        return list(self._ontvangen)

    @property
    def dubbel(self) -> int:
        """Deliveries of an id already accepted (answered as accepted, not recorded again)."""
        return self._dubbel

    @property
    def geweigerd(self) -> int:
        """Deliveries refused for a missing, wrong or stale signature."""
        return self._geweigerd

    @property
    def draait(self) -> bool:
        """Whether it listens."""
        return self._task is not None

    async def start(self) -> None:
        """Listen on 127.0.0.1: the given port, or after a stop the port it had before."""
        if self._task is not None:
            raise RuntimeError("the receiver is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            # A restart must get the same port while old connections linger in TIME_WAIT.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, self._port))
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            lifespan="off",
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = _Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                sock.close()
                await task
                raise RuntimeError("the receiver did not start")
            await asyncio.sleep(0.005)
        self._server, self._task = server, task

    async def stop(self) -> None:
        """Stop listening and close every connection; a sender now gets "connection refused"."""
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        try:
            await self._task
        finally:
            self._server, self._task = None, None

    async def wacht_op(self, n: int, timeout_s: float = 5.0) -> None:
        """Wait until `n` distinct deliveries have arrived; TimeoutError if not within
        `timeout_s`."""
        try:
            async with asyncio.timeout(timeout_s):
                while len(self._ontvangen) < n:
                    self._nieuw.clear()
                    await self._nieuw.wait()
        except TimeoutError:
            raise TimeoutError(
                f"{len(self._ontvangen)} of {n} deliveries arrived within {timeout_s} s"
            ) from None

    async def _webhook(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return self._handshake(request)
        if self.mode == "fout":
            return Response(status_code=500)
        if self.mode == "weg":
            return Response(status_code=410)
        if self.mode == "druk":
            return Response(status_code=429, headers={"Retry-After": self.retry_after})
        body = await request.body()
        if not verify(self.secret, request.headers, body, now=int(time.time())):
            self._geweigerd += 1
            return Response(status_code=401)
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/cloudevents+json":
            return Response(status_code=415)
        try:
            event = json.loads(body)
        except ValueError:
            return Response(status_code=400)
        if not isinstance(event, dict) or not isinstance(event.get("id"), str):
            return Response(status_code=400)
        if self.mode == "traag":
            await asyncio.sleep(self.traag_s)
        self._record(event)
        return Response(status_code=204)

    def _handshake(self, request: Request) -> Response:
        origin = request.headers.get(HEADER_REQUEST_ORIGIN, "").strip()
        headers = {"Allow": "POST, OPTIONS"}
        if origin and (self.origins is None or origin in self.origins):
            headers[HEADER_ALLOWED_ORIGIN] = origin
            headers[HEADER_ALLOWED_RATE] = "*" if self.tempo is None else str(self.tempo)
        return Response(status_code=200, headers=headers)

    def _record(self, event: dict[str, object]) -> None:
        event_id = str(event["id"])
        if event_id in self._ids:
            self._dubbel += 1
            return
        subject = event.get("subject")
        ontvangst = Ontvangst(
            id=event_id,
            type=str(event.get("type", "")),
            subject=subject if isinstance(subject, str) else None,
            monotoon=time.monotonic(),
            tijdstip=datetime.now(UTC),
        )
        self._ids.add(event_id)
        self._ontvangen.append(ontvangst)
        self._nieuw.set()
        if self._bij_ontvangst is not None:
            self._bij_ontvangst(ontvangst)


def proefontvanger_command(argv: list[str]) -> int:
    """`wvggz proefontvanger`: serve a receiver until Ctrl-C, printing each delivery's id, type
    and subject (never its data)."""
    parser = argparse.ArgumentParser(
        prog="wvggz proefontvanger",
        description="A webhook receiver on 127.0.0.1 to try a subscription: it answers the "
        "handshake, checks signatures (401 when wrong) and prints what arrives.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="default: %(default)s")
    parser.add_argument(
        "--secret-file",
        required=True,
        type=Path,
        help="file holding the subscription's secret (trailing line break ignored)",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        secret = args.secret_file.read_bytes().rstrip(b"\r\n")
    except OSError as failure:
        print(f"error: cannot read the secret: {failure.strerror}", file=sys.stderr)
        return 1
    if not secret:
        print("error: the secret file is empty", file=sys.stderr)
        return 1

    def show(ontvangst: Ontvangst) -> None:
        print(f"{ontvangst.id}  {ontvangst.type}  {ontvangst.subject or '-'}", flush=True)

    async def serve() -> None:
        ontvanger = ProefOntvanger(secret, args.port, bij_ontvangst=show)
        await ontvanger.start()
        print(f"Listening on {ontvanger.url} (Ctrl-C stops)", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await ontvanger.stop()
            print(
                f"Stopped: {len(ontvanger.ontvangen)} received, {ontvanger.dubbel} duplicates, "
                f"{ontvanger.geweigerd} refused signatures.",
                flush=True,
            )

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        return 0
    except OSError as failure:
        print(f"error: cannot listen on {HOST}:{args.port}: {failure.strerror}", file=sys.stderr)
        return 1
    return 0
