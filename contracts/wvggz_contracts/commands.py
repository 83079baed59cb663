"""Command, query and reply models shared by every service, with typed error codes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import PSEUDONIEM_PATTERN

P = TypeVar("P", bound=BaseModel)


class Rol(StrEnum):
    """Staff roles; every command states which of them may give it."""

    TRIAGIST = "triagist"
    CONSULENT = "consulent"
    GGZ_CONSULTANT = "ggz-consultant"
    OVJ_KOPPELING = "ovj-koppeling"
    CRISISDIENST = "crisisdienst"
    PSYCHIATER = "psychiater"
    HOORDER = "hoorder"
    BURGEMEESTER = "burgemeester"
    LOCO_BURGEMEESTER = "loco-burgemeester"
    SECRETARIAAT = "secretariaat"
    FUNCTIONEEL_BEHEER = "functioneel-beheer"
    SYSTEEM = "systeem"
    """The platform itself, e.g. a service reacting to another service's event."""


class Actor(BaseModel):
    """Who gives a command: a pseudonymous id, a role and the gemeente they act for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=PSEUDONIEM_PATTERN, description="Pseudonymous user id.")
    rol: Rol
    gemeente: GemeenteCode


CONTRACT_VERSION = 2
"""Version of the request contracts; v2 took `actor` out of the body (see the CHANGELOG)."""

AUTHORIZATION_HEADER = "Authorization"
"""NATS header with `Bearer <OIDC access token>`: who sends a command or query."""

ROL_HEADER = "Wvggz-Rol"
"""Optional NATS header: the role to act in, when the token grants several."""

GEMEENTE_HEADER = "Wvggz-Gemeente"
"""Optional NATS header: the gemeente to act for, when the token grants several."""


class _IdentityFromToken(BaseModel):
    """Refuses the v1 `actor` field with a message that says where identity comes from now."""

    @model_validator(mode="before")
    @classmethod
    def _no_actor_in_body(cls, data: Any) -> Any:
        if isinstance(data, dict) and "actor" in data:
            raise ValueError(
                "actor wordt niet meer in het bericht aanvaard (contract v2): wie u bent volgt"
                f" uit het toegangstoken in de header {AUTHORIZATION_HEADER}"
            )
        return data


class CommandRequest(_IdentityFromToken, Generic[P]):
    """A command as sent over NATS request/reply; `command_id` makes a retry idempotent.

    Who sends it is not in the body: the service takes it from the verified access token in the
    `Authorization` header (and the optional `Wvggz-Rol` / `Wvggz-Gemeente` headers).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    command_id: UUID
    correlation_id: UUID | None = None
    payload: P
    case_id: UUID | None = Field(
        default=None,
        description="The case the sender means (e.g. from a URL); refused with validation_failed"
        " when the payload names another.",
    )
    expected_version: int | None = Field(
        default=None,
        ge=0,
        description="Carry it out only if the case is still at this version, as a CommandReply"
        " (or an HTTP ETag) gave it; otherwise `conflict` and nothing is appended.",
    )


class ErrorCode(StrEnum):
    """Why a command was not carried out; nothing was appended in every case."""

    UNAUTHENTICATED = "unauthenticated"
    """No valid access token: missing, malformed, expired, badly signed or for another audience."""
    VALIDATION_FAILED = "validation_failed"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    """The `command_id` was used before for another command, case, actor or content."""
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    RULE_VIOLATED = "rule_violated"
    CONFLICT = "conflict"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"


class ErrorInfo(BaseModel):
    """A typed error: a code to branch on, a message for people, the offending field if any."""

    model_config = ConfigDict(frozen=True)

    code: ErrorCode
    message: str
    field: str | None = None


class CommandReply(BaseModel):
    """The answer to a command: the new stream version and commit position, or an error."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    command_id: UUID | None = None
    case_id: UUID | None = None
    version: int | None = None
    position: int | None = None
    event_ids: list[UUID] = Field(default_factory=list)
    duplicate: bool = Field(default=False, description="True when this command was handled before.")
    error: ErrorInfo | None = None


class QueryRequest(_IdentityFromToken, Generic[P]):
    """A query over NATS request/reply; like a command, identified by its access token.

    `min_position`: the `position` of the caller's last CommandReply; the answer then includes
    that write (read your own writes), or comes back `unavailable` if the view lags too long.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_position: int | None = Field(default=None, ge=0)
    params: P
    page: int | None = Field(
        default=None, ge=1, description="For a list: answer this page only (from 1)."
    )
    page_size: int = Field(default=50, ge=1, le=500, description="Rows per page.")
    filters: dict[str, str] = Field(
        default_factory=dict,
        description="For a list: only the rows whose field has this value (or, for a value"
        " ending in `*`, starts with it); the query names the fields it can be filtered on.",
    )


class QueryReply(BaseModel):
    """The answer to a query: data, or an error."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    data: Any = None
    position: int | None = Field(default=None, description="How far the views had read.")
    total: int | None = Field(
        default=None, description="For a list asked by page: the rows on all pages together."
    )
    error: ErrorInfo | None = None
