"""A submitted form read back: what was typed shown again, the payload it describes for the
service to validate, and a refusal put beside the input its field path names."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from services.portaal.web.forms import (
    AMSTERDAM,
    GROUP,
    Field,
    Item,
    Rows,
    all_choices,
    all_fields,
    all_rows,
)


class Unreadable(ValueError):
    """A value that cannot even be sent to the service (e.g. JSON that does not parse)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def take(items: list[Item], form: dict[str, str]) -> None:
    """Put what was typed (and chosen) in the form's inputs, to show it again."""
    for choice in all_choices(items):
        choice.chosen = form.get(choice.name, "")
    for one in all_fields(items):
        if one.kind != "hidden":  # a fixed value (the case of the URL) is not the form's to set
            one.value = form.get(one.name, "")


def payload_from(items: list[Item], form: dict[str, str]) -> dict[str, Any]:
    """The payload a submitted form describes; empty optional inputs are left out, and so are
    the empty groups of a list (the others close up: `sent` says which they were)."""
    take(items, form)
    payload: dict[str, Any] = {}
    skipped: list[str] = []
    for choice in all_choices(items):
        if choice.chosen in choice.variants:
            _put(payload, [*choice.name.split("."), choice.discriminator], choice.chosen)
        skipped += [f"{choice.name}.{v}." for v in choice.variants if v != choice.chosen]
    for one in all_fields(items):
        raw = one.value.strip()
        if raw == "" or one.name.startswith(tuple(skipped)):
            continue
        value: Any = raw
        if one.kind == "ja-nee":
            value = raw == "ja"
        elif one.kind == "integer" and re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        elif one.kind == "datetime" and "T" in raw and not re.search(r"(Z|[+-]\d\d:\d\d)$", raw):
            # A browser's datetime-local has no offset: the user means Dutch time.
            try:
                moment = datetime.fromisoformat(raw).replace(tzinfo=AMSTERDAM)
            except ValueError:
                raise Unreadable(one.name, "geen geldig moment") from None
            value = moment.isoformat()
        elif one.kind == "lijst":
            value = [line.strip() for line in raw.splitlines() if line.strip()]
        elif one.kind == "json":
            try:
                value = json.loads(raw)
            except (ValueError, RecursionError):
                raise Unreadable(one.name, "geen geldige JSON") from None
        _put(payload, _payload_path(one.name, items), value)
    for rows in all_rows(items):
        *parent, key = _payload_path(f"{rows.name}.0", items)[:-1]
        container = payload
        for part in parent:
            container = container.get(part, {})
        groups = container.get(key)
        rows.sent = sorted(int(i) for i in groups) if isinstance(groups, dict) else []
        if isinstance(groups, dict):
            container[key] = [groups[str(i)] for i in rows.sent]
    return payload


def _payload_path(name: str, items: list[Item]) -> list[str]:
    """Where an input goes in the payload: a variant's fields go without the variant's name."""
    for choice in all_choices(items):
        for variant in choice.variants:
            prefix = f"{choice.name}.{variant}."
            if name.startswith(prefix):
                return [*choice.name.split("."), *name.removeprefix(prefix).split(".")]
    return name.split(".")


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def mark_error(items: list[Item], path: str | None, message: str) -> Field | Rows | None:
    """Put the service's message on the input its field path names (`payload.x.y` or `x.y`);
    the nearest enclosing input when the path ends deeper, the list itself when it names a list
    of small objects (`x.2.y` is the third group sent, not the third shown). None when no input
    matches."""
    if not path:
        return None
    # The service names the field in front of its message; the page shows it beside the field.
    message = message.removeprefix(f"{path}: ")
    name = path.removeprefix("payload.")
    for choice in all_choices(items):
        if name == choice.name:
            choice.error = message
            return None
    for rows in all_rows(items):
        if name == rows.name:
            rows.error = message
            return rows
        index, _, rest = name.removeprefix(f"{rows.name}.").partition(".")
        if (
            name.startswith(f"{rows.name}.")
            and GROUP.fullmatch(index)
            and int(index) < len(rows.sent)
        ):
            name = ".".join(filter(None, [rows.name, str(rows.sent[int(index)]), rest]))
    fields = all_fields(items)
    while name:
        for one in fields:
            if one.name == name or one.name.startswith(f"{name}."):
                one.error = message
                return one
        name = name.rpartition(".")[0]
    return None
