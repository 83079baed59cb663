"""Given/when/then helpers for domain specs and a real nats-server for integration tests."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import Actor, ErrorCode
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, Decider, DomainError, Lookup


def command(
    payload: BaseModel,
    actor: Actor,
    at: datetime,
    command_id: uuid.UUID | None = None,
    feiten: Mapping[Lookup[Any], Any] | None = None,
) -> Command[Any]:
    """A domain command with a fresh id unless one is given, and the facts the service looked
    up for it (as the pipeline would put them on the command)."""
    return Command(
        command_id=command_id or uuid.uuid4(),
        at=at,
        actor=actor,
        payload=payload,
        feiten={lookup.name: fact for lookup, fact in (feiten or {}).items()},
    )


@dataclass
class DeciderSpec:
    """`DeciderSpec(decider).given(*events).when(cmd).then(*events)`, or `.then_error(code)`."""

    decider: Decider[Any]
    history: list[DomainEvent] = field(default_factory=list)
    outcome: Sequence[DomainEvent] | DomainError | None = None

    def given(self, *events: DomainEvent) -> DeciderSpec:
        """Events that happened before."""
        self.history = list(events)
        return self

    def when(self, cmd: Command[Any]) -> DeciderSpec:
        """Authorise and decide the command on the state the history folds to."""
        state = self.decider.fold(self.history)
        try:
            self.decider.authorize(cmd, state)
            self.outcome = self.decider.decide(cmd, state)
        except DomainError as error:
            self.outcome = error
        return self

    @property
    def events(self) -> Sequence[DomainEvent]:
        """The events the command produced; fails the test if it was refused."""
        assert not isinstance(self.outcome, DomainError), f"refused: {self.outcome}"
        assert self.outcome is not None, "no command was decided (call `when` first)"
        return self.outcome

    def then(self, *expected: DomainEvent) -> None:
        """The command produced exactly these events."""
        assert not isinstance(self.outcome, DomainError), f"refused: {self.outcome}"
        assert list(self.outcome or []) == list(expected)

    def then_error(self, code: ErrorCode, field: str | None = None) -> DomainError:
        """The command was refused with this code (and field, when given)."""
        assert isinstance(self.outcome, DomainError), f"not refused; produced {self.outcome}"
        assert self.outcome.code == code, f"{self.outcome.code}: {self.outcome.message}"
        if field is not None:
            assert self.outcome.field == field
        return self.outcome


def free_port() -> int:
    """A TCP port on loopback that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


QUIET_PORTS = range(20_000, 32_700)
"""Below Linux's ephemeral range (32768-60999): a port chosen here is never taken meanwhile by
the outgoing connection of a process started earlier (a service connecting to NATS), which a
port the OS handed out as free can be, between the choice and the bind."""


def bindable(port: int) -> bool:
    """Whether a server could listen on this loopback port now."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def quiet_port_run(length: int) -> int:
    """The first of `length` consecutive free ports outside the ephemeral range."""
    for _ in range(200):
        base = random.randrange(QUIET_PORTS.start, QUIET_PORTS.stop - length)
        if all(bindable(base + n) for n in range(length)):
            return base
    raise RuntimeError("no run of free ports found")


def distinct_free_ports(count: int) -> list[int]:
    """Free ports, each different, outside the ephemeral range."""
    ports: list[int] = []
    while len(ports) < count:
        if (port := quiet_port_run(1)) not in ports:
            ports.append(port)
    return ports


@dataclass
class NatsServer:
    """A real nats-server with JetStream on a free port, restartable on the same storage.

    With `config_file` the server runs that configuration, which must listen on `port`.
    """

    store_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    config_file: Path | None = None

    @property
    def url(self) -> str:
        """Client URL of this server."""
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        """Start and wait until clients can connect."""
        binary = Path(sys.executable).parent / "nats-server"
        arguments = (
            ["-c", str(self.config_file)]
            if self.config_file is not None
            else ["-js", "-sd", str(self.store_dir), "-a", "127.0.0.1", "-p", str(self.port)]
        )
        self.process = subprocess.Popen(
            [str(binary), *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"nats-server did not listen on {self.port} within {timeout} s")

    def stop(self, *, kill: bool = False) -> None:
        """Stop (SIGTERM, or SIGKILL with `kill`) and wait for the process to end."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
