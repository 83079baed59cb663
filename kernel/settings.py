"""Settings every service shares, read from WVGGZ_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK


class ServiceSettings(BaseSettings):
    """Configuration of one service process; every field maps to `WVGGZ_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="WVGGZ_", extra="ignore", frozen=True)

    service_name: str = Field(
        default="", description="Name of the service (set by each service's settings class)."
    )
    nats_url: str = Field(default="nats://127.0.0.1:4222", description="NATS server URL.")
    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the service's SQLite event store, checkpoints and read models.",
    )
    store: Literal["sqlite", "kurrentdb"] = Field(
        default="sqlite", description="Event store adapter: embedded SQLite or KurrentDB."
    )
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        default="FULL",
        description="SQLite `synchronous` pragma for the event store; FULL survives power loss.",
    )
    kurrentdb_url: str | None = Field(
        default=None,
        description="KurrentDB connection string (`kurrentdb://...`); needed when store=kurrentdb.",
    )
    http_host: str = Field(default="127.0.0.1", description="Address the HTTP endpoints bind to.")
    http_port: int = Field(
        default=8100, ge=0, le=65535, description="Port of /health, /metrics and /docs/asyncapi."
    )
    oin: str = Field(
        default="00000001234567890000",
        pattern=r"^\d{20}$",
        description="OIN of the organisation running the platform, used in event `source` URNs.",
    )
    gemeenten: tuple[str, ...] = Field(
        default=GOOI_EN_VECHTSTREEK,
        description="CBS codes (GMxxxx) of the gemeenten that share this regional platform.",
    )
    otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP traces endpoint (http://collector:4318/v1/traces); off if unset.",
    )
    events_max_age_days: float = Field(
        default=30, gt=0, description="How long the JetStream event stream keeps messages."
    )
    events_duplicate_window_s: float = Field(
        default=600,
        gt=0,
        description="JetStream de-duplication window on Nats-Msg-Id; covers relay retries.",
    )
    command_concurrency: int = Field(
        default=64,
        ge=1,
        le=1024,
        description="How many commands one service process handles at the same time.",
    )
    deadline_interval_s: float = Field(
        default=1.0, gt=0, description="How often the deadline watcher looks for due terms."
    )
    log_level: str = Field(default="INFO", description="Python log level of the service.")

    @property
    def store_path(self) -> Path:
        """The service's own SQLite event store file."""
        return self.data_dir / self.service_name / "events.db"

    @property
    def views_path(self) -> Path:
        """The service's read models (views) and their positions."""
        return self.data_dir / self.service_name / "views.db"

    @property
    def checkpoint_path(self) -> Path:
        """The service's checkpoint file (relay and projection positions)."""
        return self.data_dir / self.service_name / "checkpoints.db"
