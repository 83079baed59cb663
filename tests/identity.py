"""A test issuer whose JWKS is served over loopback HTTP, for handler tests of real apps."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kernel.identity.testing import TestIssuer


@contextmanager
def served_issuer() -> Iterator[tuple[TestIssuer, dict[str, Any]]]:
    """A TestIssuer and the settings under which a service fetches its keys over HTTP."""
    issuer = TestIssuer(issuer="http://127.0.0.1/test-issuer")
    document = json.dumps(issuer.jwks).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings = {
        **issuer.settings_overrides(),
        "oidc_jwks_url": f"http://127.0.0.1:{server.server_address[1]}/jwks",
    }
    try:
        yield issuer, settings
    finally:
        server.shutdown()
        server.server_close()


def bearer(token: str, **extra: str) -> dict[str, str]:
    """NATS headers carrying an access token (plus e.g. a chosen role)."""
    return {"Authorization": f"Bearer {token}", **extra}
