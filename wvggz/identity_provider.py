"""Starts and stops the development OpenID Connect provider (`infra/oidc/server.mjs`, Node.js).

A real OIDC provider with DEMO users for `make run` and the integration tests: it signs JWT access
tokens with `wvggz_rollen` and `wvggz_gemeenten` claims, keeps its signing key in `data_dir`, and
answers `/.well-known/openid-configuration` once it is ready. Never use it with real users.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from kernel.private_files import OWNER_ONLY_UMASK, private_dir, private_log
from wvggz.children import end_with_parent

OIDC_DIR = Path(__file__).resolve().parent.parent / "infra" / "oidc"
"""The provider's sources (`server.mjs`, `users.json`, `package.json`) in this repository."""

DEFAULT_PORT = 8090
_INSTALL_HINT = (
    "run make run / make test, which install it "
    f"(npm ci --omit=dev --no-audit --no-fund --prefix {OIDC_DIR})"
)


class IdentityProviderError(RuntimeError):
    """The identity provider could not be started (the message names the fix)."""


def node_binary() -> str:
    """The `node` on PATH, or a clear error."""
    found = shutil.which("node")
    if not found:
        raise IdentityProviderError(
            "node (Node.js 20 or later) is not on PATH; the development identity provider "
            f"runs on it. Install Node.js, then {_INSTALL_HINT}."
        )
    return found


def check_installed(oidc_dir: Path = OIDC_DIR) -> None:
    """Raise when the provider's npm packages are not installed."""
    if not (oidc_dir / "server.mjs").is_file():
        raise IdentityProviderError(f"{oidc_dir / 'server.mjs'} is missing")
    if not (oidc_dir / "node_modules" / "oidc-provider" / "package.json").is_file():
        raise IdentityProviderError(f"{oidc_dir / 'node_modules'} is missing: {_INSTALL_HINT}.")


@dataclass
class IdentityProvider:
    """The development OIDC provider as a child process, restartable on the same `data_dir`.

    `data_dir` holds the signing key (`jwks.json`, mode 0600) and, unless `log_file` says
    otherwise, the process output (`oidc.log`). Settings left `None` come from the environment
    (`OIDC_ACCESS_TOKEN_TTL`, `OIDC_USERS`, `OIDC_AUDIENCE`) or the provider's defaults.
    """

    data_dir: Path
    port: int = DEFAULT_PORT
    host: str = "127.0.0.1"
    access_token_ttl: int | None = None
    users_file: Path | None = None
    audience: str | None = None
    log_file: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def issuer(self) -> str:
        """The issuer (`iss`) of this provider's tokens; also its base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        """The OpenID Connect discovery document."""
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def jwks_uri(self) -> str:
        """The public signing keys (JWK set)."""
        return f"{self.issuer}/jwks"

    @property
    def log_path(self) -> Path:
        """Where the provider's stdout and stderr go."""
        return self.log_file or self.data_dir / "oidc.log"

    def environment(self) -> dict[str, str]:
        """The child's environment: ours, with this provider's settings."""
        env = dict(os.environ)
        env.update(
            OIDC_PORT=str(self.port),
            OIDC_HOST=self.host,
            OIDC_ISSUER=self.issuer,
            OIDC_DATA_DIR=str(self.data_dir),
        )
        if self.access_token_ttl is not None:
            env["OIDC_ACCESS_TOKEN_TTL"] = str(self.access_token_ttl)
        if self.users_file is not None:
            env["OIDC_USERS"] = str(self.users_file)
        if self.audience is not None:
            env["OIDC_AUDIENCE"] = self.audience
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 15.0) -> None:
        """Start and wait until the discovery document answers with this issuer."""
        if self.process is not None and self.process.poll() is None:
            raise IdentityProviderError(
                f"the identity provider already runs (pid {self.process.pid})"
            )
        node = node_binary()
        check_installed()
        with socket.socket() as probe:
            if probe.connect_ex((self.host, self.port)) == 0:
                raise IdentityProviderError(
                    f"port {self.port} is in use: stop what listens there or choose another port"
                )
        private_dir(self.data_dir)
        with private_log(self.log_path) as log:
            self.process = subprocess.Popen(
                [node, str(OIDC_DIR / "server.mjs")],
                cwd=OIDC_DIR,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session, ended with its parent: a Ctrl-C reaches only the runner.
                start_new_session=True,
                preexec_fn=end_with_parent,
                umask=OWNER_ONLY_UMASK,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                raise IdentityProviderError(
                    f"the identity provider exited with code {code}:\n{self._log_tail()}"
                )
            try:
                if self._ready():
                    return
            except IdentityProviderError:
                self.stop(kill=True)
                raise
            time.sleep(0.05)
        self.stop(kill=True)
        raise IdentityProviderError(
            f"the identity provider did not answer {self.discovery_url} within {timeout} s:\n"
            f"{self._log_tail()}"
        )

    def stop(self, *, kill: bool = False) -> None:
        """Stop (SIGTERM, or SIGKILL with `kill`) and wait for the process to end."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill() if kill else self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> IdentityProvider:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.discovery_url, timeout=1) as response:
                document = json.load(response)
        except (urllib.error.URLError, OSError, ValueError):
            return False
        if document.get("issuer") != self.issuer:
            raise IdentityProviderError(
                f"port {self.port} answers as issuer {document.get('issuer')!r}, "
                f"not {self.issuer!r}: another provider runs there"
            )
        return True

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
