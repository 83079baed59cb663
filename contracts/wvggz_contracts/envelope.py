"""The CloudEvents 1.0 envelope (NL GOV profile) every published event travels in."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from wvggz_contracts.gemeenten import GemeenteCode
from wvggz_contracts.typen import PSEUDONIEM_PATTERN

SOURCE_PATTERN = r"^urn:nld:oin:\d{20}:systeem:wvggz-[a-z]+$"
TYPE_PATTERN = r"^nl\.wvggz\.[a-z]+\.[a-z][a-z-]*\.v\d+$"
CONTENT_TYPE = "application/json"
"""NATS `content-type` of a published event: a structured-mode CloudEvent in JSON.

Plain `application/json` rather than `application/cloudevents+json`, because common NATS
clients (FastStream among them) only decode the former; the body is the whole envelope.
"""


def source_urn(oin: str, service: str) -> str:
    """The `source` of events emitted by one service of the platform run by organisation `oin`."""
    return f"urn:nld:oin:{oin}:systeem:wvggz-{service}"


class CloudEvent(BaseModel):
    """A domain event in structured CloudEvents JSON, with the platform's extension attributes.

    `subject` is the case UUID, never a BSN or a name. Personal data only ever lives in `data`,
    whose fields are marked in the JSON Schema of the event type.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: Literal["1.0"] = "1.0"
    id: UUID = Field(description="Event id; also the NATS `Nats-Msg-Id`, so retries de-duplicate.")
    source: str = Field(pattern=SOURCE_PATTERN, description="URN of the emitting system.")
    type: str = Field(pattern=TYPE_PATTERN, description="Reverse-DNS type with version suffix.")
    time: AwareDatetime = Field(description="When the fact happened (decided), RFC 3339.")
    subject: UUID = Field(description="The case (zaak) this event belongs to.")
    datacontenttype: Literal["application/json"] = "application/json"
    gemeente: GemeenteCode = Field(description="Tenant: the gemeente the case belongs to.")
    correlationid: UUID = Field(description="Id shared by everything caused by one request.")
    causationid: UUID = Field(description="Id of the command or event that caused this event.")
    actor: str = Field(
        pattern=PSEUDONIEM_PATTERN,
        description="Pseudonymous id of who caused the event; never a name.",
    )
    sequence: str = Field(
        pattern=r"^[1-9]\d*$", description="Position in the emitting service's event store."
    )
    sequencetype: Literal["Integer"] = "Integer"
    data: dict[str, Any]
