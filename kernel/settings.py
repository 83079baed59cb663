"""Settings every service shares, read from WVGGZ_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK
from wvggz_contracts.subjects import PARTNER_PATTERN


class ServiceSettings(BaseSettings):
    """Configuration of one service process; every field maps to `WVGGZ_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="WVGGZ_", extra="ignore", frozen=True)

    service_name: str = Field(
        default="", description="Name of the service (set by each service's settings class)."
    )
    replica: int = Field(
        default=1,
        ge=1,
        le=16,
        description="Which replica of its service this process is: replicas share the event "
        "store and the queue group, each keeps views of its own, and one at a time (the lease "
        "holder) runs the relay and the once-only loops.",
    )
    nats_url: str = Field(default="nats://127.0.0.1:4222", description="NATS server URL.")
    nats_nkey_seed_file: Path | None = Field(
        default=None,
        description="NKey seed file (0600) of this process's NATS identity; unset: no NATS auth.",
    )
    nats_inbox_prefix: str | None = Field(
        default=None,
        pattern=r"^_INBOX_[A-Za-z0-9-]+$",
        description="Reply inbox prefix; default `_INBOX_<service>`, the only one allowed.",
    )
    nats_tls_ca_file: Path | None = Field(
        default=None, description="CA certificate that signed the NATS server's TLS certificate."
    )
    oidc_issuer: str = Field(
        default="http://127.0.0.1:8090",
        description="OIDC issuer (`iss`) whose access tokens identify staff and client programs.",
    )
    oidc_audience: str = Field(
        default="wvggz", description="Audience (`aud`) every access token must carry."
    )
    oidc_jwks_url: str | None = Field(
        default=None,
        description="JWKS URL of the issuer; unset: taken from the issuer's discovery document.",
    )
    oidc_algorithms: tuple[str, ...] = Field(
        default=("RS256", "PS256", "ES256"),
        description="Signature algorithms accepted on tokens (asymmetric only; never `none`/HS*).",
    )
    oidc_leeway_s: float = Field(
        default=30, ge=0, le=300, description="Clock skew allowed on `exp`, `nbf` and `iat`."
    )
    oidc_claim_id: str = Field(
        default="sub", description="Claim (dotted path) with the user's pseudonymous id."
    )
    oidc_claim_rollen: str = Field(
        default="wvggz_rollen",
        description="Claim (dotted path, e.g. `realm_access.roles`) with the user's roles.",
    )
    oidc_claim_gemeenten: str = Field(
        default="wvggz_gemeenten",
        description="Claim (dotted path) with the CBS codes of the gemeenten the user acts for.",
    )
    oidc_rol_mapping: dict[str, str] = Field(
        default_factory=dict,
        description="Identity-provider role name -> platform role (JSON); others pass unchanged.",
    )
    oidc_token_cache_size: int = Field(
        default=10_000, ge=0, description="Verified tokens kept in memory until they expire."
    )
    ready_max_parked: int = Field(
        default=100,
        ge=0,
        description="Not ready while more messages than this were parked in the last "
        "`ready_parked_window_s` seconds (a flood of poison, or a failure outlasting retries).",
    )
    ready_parked_window_s: float = Field(
        default=300.0, gt=0, description="Window of `ready_max_parked`, in seconds."
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the service's SQLite event store, checkpoints and read models.",
    )
    store: Literal["sqlite", "kurrentdb", "postgres"] = Field(
        default="sqlite",
        description="Event store adapter: embedded SQLite, KurrentDB or PostgreSQL.",
    )
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        default="FULL",
        description="SQLite `synchronous` pragma for the event store; FULL survives power loss.",
    )
    kurrentdb_url: str | None = Field(
        default=None,
        description="KurrentDB connection string (`kurrentdb://...`); needed when store=kurrentdb.",
    )
    postgres_url: str | None = Field(
        default=None,
        description="PostgreSQL libpq URL (`postgresql://...`); needed when store=postgres.",
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
    trace_sample_ratio: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description="Share of traces recorded and exported, decided where a trace starts and"
        " followed by every service it reaches (parent-based); an unsampled command pays almost"
        " nothing for tracing.",
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
    nats_partners: tuple[Annotated[str, Field(pattern=PARTNER_PATTERN)], ...] = Field(
        default=("demo",),
        description="Chain partners with a NATS identity (`partner-<name>`) and a JetStream "
        "stream of their own; JSON list.",
    )
    partner_retention_days: float = Field(
        default=30,
        ge=1,
        description="How long a partner's stream keeps notifications: missed ones can be read "
        "again within it.",
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
    checkpoint_interval_s: float = Field(
        default=300,
        gt=0,
        description="How often the service signs the head of its event store's hash chain "
        "(an audit event published on the bus; `wvggz verify` checks against it). The first "
        "one follows within seconds of the start.",
    )
    bewaartermijn_jaren: float = Field(
        default=20,
        gt=0,
        le=120,
        description="Years after a dossier of this service closed until the service proposes"
        " destroying its personal data (functioneel beheer approves). The README's \"Retention"
        " terms\" says why the default is 20 and who sets the region's terms.",
    )
    bewaring_interval_s: float = Field(
        default=3600,
        gt=0,
        description="How often the service looks for dossiers whose retention term passed, and"
        " destroys the keys of those whose destruction was approved.",
    )
    sleutels_dir: Path | None = Field(
        default=None,
        description="Folder of the region's embedded key store, shared by all its services"
        " (one volume for all containers); unset: `<data_dir>/sleutels`.",
    )
    hoofdsleutel_file: Path | None = Field(
        default=None,
        description="File (0600) with the master key, base64 of 32 bytes, that wraps every data"
        " key in the embedded key store; unset: `hoofdsleutel` in the key store's folder, made on"
        " first start. In production mount it from a secret store, apart from the backups.",
    )
    log_level: str = Field(default="INFO", description="Python log level of the service.")

    @property
    def kluis_path(self) -> Path:
        """The region's embedded key store, shared by its service processes."""
        return (self.sleutels_dir or self.data_dir / "sleutels") / "kluis.db"

    @property
    def hoofdsleutel_path(self) -> Path:
        """The master key file of the embedded key store."""
        return self.hoofdsleutel_file or self.kluis_path.with_name("hoofdsleutel")

    @property
    def store_path(self) -> Path:
        """The service's own SQLite event store file."""
        return self.data_dir / self.service_name / "events.db"

    @property
    def store_url(self) -> str:
        """The event store URL these settings point at."""
        if self.store == "kurrentdb":
            if not self.kurrentdb_url:
                raise ValueError("WVGGZ_KURRENTDB_URL is required when WVGGZ_STORE=kurrentdb")
            return self.kurrentdb_url
        if self.store == "postgres":
            if not self.postgres_url:
                raise ValueError("WVGGZ_POSTGRES_URL is required when WVGGZ_STORE=postgres")
            return self.postgres_url
        return f"sqlite:///{self.store_path.resolve()}?synchronous={self.sqlite_synchronous}"

    @property
    def replica_dir(self) -> Path:
        """This replica's own folder: the service's folder for the first, `replica-<n>` in it
        for the others."""
        own = self.data_dir / self.service_name
        return own if self.replica == 1 else own / f"replica-{self.replica}"

    @property
    def views_path(self) -> Path:
        """This replica's read models (views) and their positions."""
        return self.replica_dir / "views.db"

    @property
    def checkpoint_path(self) -> Path:
        """This replica's checkpoint file (relay and consumer positions)."""
        return self.replica_dir / "checkpoints.db"
