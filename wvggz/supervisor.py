"""Keeps a started platform running: restarts whichever child process ends, with back-off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from wvggz.runner import Platform, PlatformError

BACKOFF_S = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
"""Waits before the first, second, ... restart of a child; the last one repeats."""
STABLE_S = 60.0
"""A child that stayed up this long starts again from the first back-off."""
LABELS = {"nats": "nats-server", "oidc": "oidc-provider"}


@dataclass
class _Child:
    started: float
    restarts: int = 0  # since it last stayed up for STABLE_S
    restart_at: float | None = None  # it ended; start it again then
    coming_up: bool = False  # restarted, not reported ready yet


@dataclass
class Supervisor:
    """Keeps a started platform running: a child that ends is started again after a back-off,
    each event reported as a line. `watch_once` is one step; the caller loops and stops."""

    platform: Platform
    report: Callable[[str], None]
    backoff: tuple[float, ...] = BACKOFF_S
    stable_after: float = STABLE_S
    children: dict[str, _Child] = field(default_factory=dict)

    def watch_once(self, now: float) -> None:
        """Notice ended children, restart those whose back-off is over, report recoveries."""
        for name in self.platform.children():
            child = self.children.setdefault(name, _Child(started=now))
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self._restart(name, child, now)
                continue
            code = self.platform.exit_code(name)
            if code is not None:
                self._schedule(name, child, now, f"exited with code {code}")
            elif child.coming_up:
                self._check_ready(name, child)
            elif now - child.started >= self.stable_after:
                child.restarts = 0

    def _schedule(self, name: str, child: _Child, now: float, what: str) -> None:
        delay = self.backoff[min(child.restarts, len(self.backoff) - 1)]
        child.restarts += 1
        child.restart_at = now + delay
        child.coming_up = False
        label = LABELS.get(name, name)
        self.report(f"{label} {what}; restarting in {delay:.1f} s (restart {child.restarts})")

    def _restart(self, name: str, child: _Child, now: float) -> None:
        child.restart_at = None
        try:
            self.platform.restart(name)
        except PlatformError as failure:
            self._schedule(name, child, now, f"did not start ({failure})")
            return
        child.started = now
        child.coming_up = True

    def _check_ready(self, name: str, child: _Child) -> None:
        if not self.platform.ready(name):
            return
        if name == "nats":
            try:
                self.platform.ensure_stream()
            except PlatformError as failure:
                self.report(f"nats-server is back, but {failure}; trying again")
                return
        child.coming_up = False
        pid = self.platform.pid(name)
        self.report(f"{LABELS.get(name, name)} ready again (pid {pid})")
