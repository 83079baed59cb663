"""Settings of the portaal process (WVGGZ_* variables, like every service)."""

from __future__ import annotations

from pydantic import Field

from kernel.settings import ServiceSettings


class PortaalSettings(ServiceSettings):
    """Where the portaal listens and how it reaches the bus (as the NATS identity `portaal`)."""

    service_name: str = "portaal"
    http_port: int = Field(default=8106, ge=0, le=65535, description="HTTP port.")
    request_timeout_s: float = Field(
        default=10.0, gt=0, description="How long the portaal waits for a service's answer."
    )
