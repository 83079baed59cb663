"""Settings of the portaal process (WVGGZ_* variables, like every service)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from kernel.settings import ServiceSettings

SOURCE_ASSETS = Path(__file__).resolve().parents[2] / "infra" / "portaal-assets" / "node_modules"


class PortaalSettings(ServiceSettings):
    """Where the portaal listens and how it reaches the bus (as the NATS identity `portaal`)."""

    service_name: str = "portaal"
    http_port: int = Field(default=8106, ge=0, le=65535, description="HTTP port.")
    request_timeout_s: float = Field(
        default=10.0, gt=0, description="How long the portaal waits for a service's answer."
    )
    portaal_url: str = Field(
        default="http://127.0.0.1:8106",
        description="Where people open the portal (its login callback is <url>/auth/callback); "
        "https makes the session cookie Secure.",
    )
    oidc_client_id: str = Field(default="wvggz-portaal", description="The portal's OIDC client.")
    oidc_client_secret: str = Field(
        default="dev-portaal-secret",
        description="The portal's OIDC client secret (the default is the development provider's).",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A portal session ends after this long without a request."
    )
    assets_dir: Path | None = Field(
        default=None,
        description="The NL Design System packages the portal serves; unset: "
        "infra/portaal-assets/node_modules of the source tree (`make` installs them there).",
    )

    @property
    def assets(self) -> Path:
        """Where the front-end packages are."""
        return self.assets_dir or SOURCE_ASSETS
