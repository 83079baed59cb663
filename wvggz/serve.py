"""Runs one service as its own process: `python -m wvggz.serve meldpunt`."""

from __future__ import annotations

import os
import sys
from typing import Any

import uvicorn

from kernel.logs import configure_logging
from kernel.private_files import OWNER_ONLY_UMASK
from wvggz.catalog import PORTAAL, PROCESSES, SERVICES, api_catalog


def serve(name: str) -> None:
    """Build the process from its environment settings and serve it until stopped."""
    # Before anything is written: files libraries create without a mode are the owner's alone.
    os.umask(OWNER_ONLY_UMASK)
    settings = PROCESSES[name]()
    configure_logging(f"wvggz-{name}", settings.log_level)
    if name == PORTAAL:
        from services.portaal.app import create_app
        from services.portaal.settings import PortaalSettings

        assert isinstance(settings, PortaalSettings)
        app: Any = create_app(settings, api_catalog())
    else:
        app = SERVICES[name].build(settings)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_level=settings.log_level.lower(),
        lifespan="on",
        access_log=False,
        log_config=None,  # keep the JSON lines configured above
    )


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in PROCESSES:
        sys.exit(f"usage: python -m wvggz.serve {{{','.join(PROCESSES)}}}")
    serve(sys.argv[1])
