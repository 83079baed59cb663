"""The trust boundary of a service: who sends a request, from its verified access token only."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from faststream.exceptions import SkipMessage
from wvggz_contracts.commands import (
    GEMEENTE_HEADER,
    ROL_HEADER,
    Actor,
    ErrorCode,
    ErrorInfo,
    Rol,
)

from kernel.audit import AuditTrail
from kernel.decider import DomainError
from kernel.identity import (
    AuthenticationFailed,
    IssuerUnavailable,
    TokenVerifier,
    act_as,
    bearer_token,
)

log = logging.getLogger(__name__)


_INBOX = re.compile(r"^_INBOX(_[A-Za-z0-9-]+)?\.")


def ensure_private_reply(reply_to: str, own_inbox: str) -> None:
    """Answer only into a client's inbox: never onto an event, API or another service's subject.

    The bus lets a service answer any request (`allow_responses`), so a client could otherwise
    aim a reply at e.g. an event subject and have the service publish there in its own name.
    Raising SkipMessage makes FastStream drop the message without replying.
    """
    if not reply_to:
        return  # nothing will be published: a request nobody waits for
    if not _INBOX.match(reply_to) or reply_to.startswith(f"{own_inbox}."):
        log.warning("request with a reply subject outside the clients' inboxes dropped")
        raise SkipMessage


def system_actor(service: str, gemeente: str) -> Actor:
    """The service itself, acting in-process (consumers, deadline watchers) for one gemeente.

    Only code inside the service can make this actor: no token maps to the role `systeem`.
    """
    return Actor(id=f"wvggz-{service}", rol=Rol.SYSTEEM, gemeente=gemeente)


class Gate:
    """Turns a request's headers into an Actor, or into a typed refusal that is audited."""

    def __init__(self, verifier: TokenVerifier, audit: AuditTrail, own_inbox: str) -> None:
        self.verifier = verifier
        self.audit = audit
        self.own_inbox = own_inbox

    async def actor(self, headers: Mapping[str, str] | None, verzoek: str) -> Actor | ErrorInfo:
        """The verified actor of a request, or why there is none (`verzoek`: what was asked)."""
        headers = headers or {}
        try:
            identity = await self.verifier.verify(bearer_token(headers))
            return act_as(identity, headers.get(ROL_HEADER), headers.get(GEMEENTE_HEADER))
        except AuthenticationFailed as failed:
            self.audit.unauthenticated(verzoek, failed.reason)
            return ErrorInfo(code=ErrorCode.UNAUTHENTICATED, message=failed.message)
        except IssuerUnavailable:
            log.error("%s: the identity provider's keys could not be fetched", verzoek)
            self.audit.unauthenticated(verzoek, "issuer-unavailable")
            return ErrorInfo(
                code=ErrorCode.UNAVAILABLE,
                message="de sleutels van de identiteitsaanbieder zijn nu niet op te halen",
            )
        except DomainError as refused:
            self.audit.unauthenticated(verzoek, "keuze-rol-of-gemeente")
            return ErrorInfo(code=refused.code, message=refused.message, field=refused.field)
