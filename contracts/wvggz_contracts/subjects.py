"""NATS subject naming for events, commands and queries: the one place that defines it.

    events    wvggz.evt.<service>.<gemeente>.<event>.<version>   e.g.
              wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1
              The service is the one that published the event: the procedure of its own
              events, and the service whose audit trail holds an audit event
              (wvggz.evt.crisis.GM0402.autorisatie-geweigerd.v1). Only that service may publish
              there, so a consumer knows who spoke from the subject.
    commands  wvggz.cmd.<service>.<command>    e.g. wvggz.cmd.meldpunt.registreer-melding
    queries   wvggz.qry.<service>.<query>      e.g. wvggz.qry.meldpunt.werkvoorraad
    partners  wvggz.partner.<partner>.<gemeente>.<procedure>.<event>.<version>   e.g.
              wvggz.partner.demo.GM0402.crisis.afschrift-klaargezet.v1
              Notifications for one chain partner, published by notificaties only; each
              partner's tree is a stream of its own (WVGGZ_PARTNER_DEMO), read with replay.

Subjects carry only codes and names of types, never a BSN, a name or a case id, so a partner can
filter on procedure, gemeente and event without learning anything about a person.
"""

from __future__ import annotations

import re

EVENTS_STREAM = "WVGGZ_EVENTS"
"""The JetStream stream that carries every published domain event."""

EVENTS_ALL = "wvggz.evt.>"
"""Subject filter covering every event of the platform."""

PARTNERS_ALL = "wvggz.partner.>"
"""Subject filter covering the notifications of every chain partner."""

_TYPE = re.compile(
    r"^nl\.wvggz\.(?P<procedure>[a-z]+)\.(?P<event>[a-z][a-z-]*)\.(?P<version>v\d+)$"
)
_TOKEN = re.compile(r"^[a-z][a-z0-9-]*$")

PARTNER_PATTERN = _TOKEN.pattern
"""What a partner's name looks like: one subject token, mapped one-to-one to a stream name."""


AUDIT = "audit"
"""The procedure name of audit events, which every service records in its own trail."""

_SUBJECT = re.compile(
    r"^wvggz\.evt\.(?P<service>[a-z]+)\.(?P<gemeente>GM\d{4})"
    r"\.(?P<event>[a-z][a-z-]*)\.(?P<version>v\d+)$"
)


def event_subject(event_type: str, gemeente: str, service: str | None = None) -> str:
    """The subject `service` publishes an event of this CloudEvents type on for one gemeente.

    Without `service`, the type's own procedure publishes it; audit events need the service.
    """
    match = _TYPE.match(event_type)
    if match is None:
        raise ValueError(f"not a platform event type: {event_type!r}")
    if not re.fullmatch(r"GM\d{4}", gemeente):
        raise ValueError(f"not a gemeente code: {gemeente!r}")
    procedure, event, version = match.group("procedure", "event", "version")
    publisher = service or procedure
    if procedure not in (publisher, AUDIT) or publisher == AUDIT:
        raise ValueError(f"{publisher!r} does not publish {event_type!r}")
    return f"wvggz.evt.{_token(publisher)}.{gemeente}.{event}.{version}"


def event_filter(event_type: str) -> str:
    """Subject filter for one event type of its procedure, in every gemeente."""
    match = _TYPE.match(event_type)
    if match is None or match.group("procedure") == AUDIT:
        raise ValueError(f"not a procedure's event type: {event_type!r}")
    procedure, event, version = match.group("procedure", "event", "version")
    return f"wvggz.evt.{procedure}.*.{event}.{version}"


def publisher_of(subject: str, event_type: str) -> str | None:
    """The service that may publish this event type on this subject, or None if none may.

    A subject names its publisher; it must carry the type's own event name and version, and
    the publisher must be the type's procedure (or any service, for an audit event).
    """
    found = _SUBJECT.match(subject)
    kind = _TYPE.match(event_type)
    if found is None or kind is None:
        return None
    if found.group("event", "version") != kind.group("event", "version"):
        return None
    service, procedure = found.group("service"), kind.group("procedure")
    return service if procedure in (service, AUDIT) and service != AUDIT else None


def partner_subject(partner: str, gemeente: str, event_type: str) -> str:
    """The subject notificaties publishes a partner's notification of one event type on."""
    match = _TYPE.match(event_type)
    if match is None or match.group("procedure") == AUDIT:
        raise ValueError(f"not a procedure's event type: {event_type!r}")
    if not re.fullmatch(r"GM\d{4}", gemeente):
        raise ValueError(f"not a gemeente code: {gemeente!r}")
    procedure, event, version = match.group("procedure", "event", "version")
    return f"wvggz.partner.{_token(partner)}.{gemeente}.{procedure}.{event}.{version}"


def partner_tree(partner: str) -> str:
    """Subject filter for every notification of one partner: its stream's subjects."""
    return f"wvggz.partner.{_token(partner)}.>"


FETCH_ALL = "wvggz.ophalen.>"
"""Subject filter of every partner's fetch requests, which the notificaties answers."""


def fetch_subject(partner: str) -> str:
    """Where a partner asks for the content of a notification: only its own identity may
    publish there, so the subject names who asks (`wvggz.ophalen.<partner>`)."""
    return f"wvggz.ophalen.{_token(partner)}"


def partner_stream(partner: str) -> str:
    """The JetStream stream of one partner: `WVGGZ_PARTNER_<NAME>`, `-` becoming `_`."""
    return f"WVGGZ_PARTNER_{_token(partner).upper().replace('-', '_')}"


def events_of(procedure: str, gemeente: str = "*") -> str:
    """Subject filter for every event of one procedure, optionally of one gemeente."""
    return f"wvggz.evt.{_token(procedure)}.{gemeente}.>"


def command_subject(service: str, command: str) -> str:
    """The request/reply subject of a command."""
    return f"wvggz.cmd.{_token(service)}.{_token(command)}"


def query_subject(service: str, query: str) -> str:
    """The request/reply subject of a query."""
    return f"wvggz.qry.{_token(service)}.{_token(query)}"


def _token(value: str) -> str:
    if not _TOKEN.fullmatch(value):
        raise ValueError(f"subject token must be lower-case kebab: {value!r}")
    return value
