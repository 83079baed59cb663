"""Runs one service as its own process: `python -m wvggz.serve meldpunt`."""

from __future__ import annotations

import sys

import uvicorn

from kernel.logs import configure_logging
from wvggz.catalog import SERVICES


def serve(name: str) -> None:
    """Build the service from its environment settings and serve it until stopped."""
    definition = SERVICES[name]
    settings = definition.settings()
    configure_logging(f"wvggz-{name}", settings.log_level)
    uvicorn.run(
        definition.build(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_level=settings.log_level.lower(),
        lifespan="on",
        access_log=False,
        log_config=None,  # keep the JSON lines configured above
    )


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in SERVICES:
        sys.exit(f"usage: python -m wvggz.serve {{{','.join(SERVICES)}}}")
    serve(sys.argv[1])
