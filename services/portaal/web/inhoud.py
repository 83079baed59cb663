"""What a dossier holds besides its plain facts (a regio-overleg's meetings with their agenda,
its afspraken), for people: ids left out, and with each record that has an id of its own the
actions that take that id, their forms already holding it (and the ids of the records it is in).

An action belongs to a record when the record's own id (its first `…_id`) is one the action's
form cannot fill itself: a required id that is not the case's and not a new one the caller
chooses (`zet-op-agenda` takes the `vergadering_id` of a meeting; `wijzig-afspraak-status` the
`afspraak_id` of an afspraak).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from kernel.catalog import CommandRoute
from services.portaal.web.forms import is_new_id
from services.portaal.web.site import is_uuid, leesbaar

HIDDEN = ("stappen", "inzage")
"""A dossier's keys shown elsewhere (the timeline) or not for people (who may read it)."""


@dataclass(frozen=True)
class Link:
    """An action on one record: its form, with the record's ids in it."""

    text: str
    href: str


@dataclass(frozen=True)
class Record:
    """A record of a dossier: its facts, and what may be done with it."""

    label: str
    """Its first fact, to tell it from the others (a meeting's date) where a link is read alone."""
    facts: dict[str, Any]
    links: list[Link]


@cache
def needed_ids(payload: type[BaseModel], case_item: str | None) -> frozenset[str]:
    """The ids a command's form cannot fill itself."""
    schema = payload.model_json_schema()
    required = set(schema.get("required", []))
    return frozenset(
        name
        for name, raw in schema.get("properties", {}).items()
        if name in required
        and name != case_item
        and raw.get("format") == "uuid"
        and not is_new_id(raw)
    )


def is_fact(key: str, value: Any) -> bool:
    """What a person reads: no ids, nothing empty, no list of ids."""
    if key.startswith("_") or key.endswith("_id") or value is None or value in ([], {}):
        return False
    return not (isinstance(value, list) and all(isinstance(v, str) and is_uuid(v) for v in value))


class Contents:
    """The records of one dossier and their actions, from the actions allowed now."""

    def __init__(self, resource: str, case_id: str, acties: list[CommandRoute]) -> None:
        self.base = f"/{resource}/{case_id}"
        self.acties = [(c, needed_ids(c.payload, c.item)) for c in acties]
        self.used: set[str] = set()
        """The actions offered on some record."""

    def sections(self, dossier: dict[str, Any], *, empty: bool = False) -> dict[str, Any]:
        """The dossier's lists and nested records, by key, ready to show; `empty` keeps the
        lists that are (a part says so: an agenda without items)."""
        return {
            key: self.value(value, {})
            for key, value in dossier.items()
            if key not in HIDDEN
            and isinstance(value, dict | list)
            and (is_fact(key, value) or (empty and value == [] and not key.endswith("_id")))
        }

    def value(self, value: Any, known: dict[str, str]) -> Any:
        """A value as shown: a record with its actions, a list of them, or a plain value."""
        if isinstance(value, list):
            return [self.value(v, known) for v in value]
        if not isinstance(value, dict):
            return value
        ids = {k: v for k, v in value.items() if k.endswith("_id") and isinstance(v, str)}
        known = known | ids
        facts = {k: self.value(v, known) for k, v in value.items() if is_fact(k, v)}
        shown = [v for v in facts.values() if isinstance(v, str | int) and not isinstance(v, bool)]
        label = leesbaar(shown[0]) if shown else ""
        return Record(label, facts, self.links(next(iter(ids), None), known))

    def links(self, own: str | None, known: dict[str, str]) -> list[Link]:
        """The actions that take this record's own id, with every id they need."""
        found = []
        for command, needed in self.acties:
            if own in needed and needed <= known.keys():
                query = urllib.parse.urlencode({name: known[name] for name in sorted(needed)})
                found.append(Link(command.description, f"{self.base}/{command.name}?{query}"))
                self.used.add(command.name)
        return found
