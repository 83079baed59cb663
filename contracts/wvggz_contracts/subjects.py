"""NATS subject naming for events, commands and queries: the one place that defines it.

    events    wvggz.evt.<procedure>.<gemeente>.<event>.<version>   e.g.
              wvggz.evt.meldpunt.GM0402.melding-ontvangen.v1
    commands  wvggz.cmd.<service>.<command>    e.g. wvggz.cmd.meldpunt.registreer-melding
    queries   wvggz.qry.<service>.<query>      e.g. wvggz.qry.meldpunt.werkvoorraad

Subjects carry only codes and names of types, never a BSN, a name or a case id, so a partner can
filter on procedure, gemeente and event without learning anything about a person.
"""

from __future__ import annotations

import re

EVENTS_STREAM = "WVGGZ_EVENTS"
"""The JetStream stream that carries every published domain event."""

EVENTS_ALL = "wvggz.evt.>"
"""Subject filter covering every event of the platform."""

_TYPE = re.compile(
    r"^nl\.wvggz\.(?P<procedure>[a-z]+)\.(?P<event>[a-z][a-z-]*)\.(?P<version>v\d+)$"
)
_TOKEN = re.compile(r"^[a-z][a-z0-9-]*$")


def event_subject(event_type: str, gemeente: str) -> str:
    """The subject an event of this CloudEvents type is published on for one gemeente."""
    match = _TYPE.match(event_type)
    if match is None:
        raise ValueError(f"not a platform event type: {event_type!r}")
    if not re.fullmatch(r"GM\d{4}", gemeente):
        raise ValueError(f"not a gemeente code: {gemeente!r}")
    procedure, event, version = match.group("procedure", "event", "version")
    return f"wvggz.evt.{procedure}.{gemeente}.{event}.{version}"


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
    if not _TOKEN.match(value):
        raise ValueError(f"subject token must be lower-case kebab: {value!r}")
    return value
