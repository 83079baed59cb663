"""Forms derived from a command's payload model: one field per JSON Schema property (nested
objects as fieldsets), and the submitted form back into the payload the service validates.

The portal knows no rule: what is required, allowed or wrong is what the schema and the
service's refusal say; a refusal's field path (`payload.betrokkene.bsn`) finds its input.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

MULTILINE = 200
"""Text fields allowed longer than this become a textarea."""


@dataclass
class Field:
    """One input of a form."""

    name: str
    """Its path in the payload, dotted: `betrokkene.bsn`."""
    label: str
    kind: str
    """text, textarea, date, datetime, number, integer, select, ja-nee, lijst, json or hidden."""
    required: bool
    description: str | None = None
    options: list[str] = field(default_factory=list)
    value: str = ""
    error: str | None = None

    @property
    def id(self) -> str:
        """The HTML id (and the anchor an error summary links to)."""
        return "veld-" + self.name.replace(".", "-").replace("_", "-")


@dataclass
class Fieldset:
    """A nested object's fields under a legend."""

    name: str
    legend: str
    description: str | None
    items: list[Field | Fieldset]


def _label(name: str, schema: dict[str, Any]) -> str:
    title = schema.get("title") or name.replace("_", " ")
    words = re.sub(r"\s+", " ", str(title).replace("_", " ")).strip()
    return words[:1].upper() + words[1:].lower()


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema itself (refs followed, `X | None` unwrapped) and whether null is allowed."""
    nullable = False
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        nullable = len(options) < len(schema["anyOf"])
        merged = {k: v for k, v in schema.items() if k != "anyOf"}
        schema = {**options[0], **merged} if len(options) == 1 else {**merged, "x-json": True}
    if "$ref" in schema:
        target = defs[schema["$ref"].rsplit("/", 1)[-1]]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return _resolve(schema, defs)[0], nullable
    return schema, nullable


def _kind(schema: dict[str, Any]) -> str:
    if schema.get("x-json"):
        return "json"
    kind = schema.get("type")
    if "enum" in schema:
        return "select"
    if kind == "boolean":
        return "ja-nee"
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "number"
    if kind == "array":
        items = schema.get("items", {})
        return "lijst" if items.get("type") == "string" and "enum" not in items else "json"
    if kind == "object":
        return "json"
    if schema.get("format") == "date":
        return "date"
    if schema.get("format") == "date-time":
        return "datetime"
    if "pattern" not in schema and schema.get("maxLength", 0) > MULTILINE:
        return "textarea"
    return "text"


def form_for(
    model: type[BaseModel],
    *,
    fixed: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
) -> list[Field | Fieldset]:
    """The form of a payload model; `fixed` fields (the case's id) are hidden and prefilled,
    `defaults` prefilled and editable (the user's gemeente, the current time)."""
    schema = model.model_json_schema()
    items = _items(schema, schema.get("$defs", {}), "", fixed or {})
    for one in all_fields(items):
        if one.kind != "hidden" and defaults:
            one.value = defaults.get(one.name, defaults.get(f"*{one.kind}", ""))
    return items


def _items(
    schema: dict[str, Any], defs: dict[str, Any], prefix: str, fixed: dict[str, str]
) -> list[Field | Fieldset]:
    required = set(schema.get("required", []))
    found: list[Field | Fieldset] = []
    for name, raw in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        sub, nullable = _resolve(raw, defs)
        description = raw.get("description") or (sub.get("description") if nullable else None)
        if path in fixed:
            found.append(Field(path, _label(name, raw), "hidden", True, value=fixed[path]))
        elif sub.get("type") == "object" and "properties" in sub:
            items = _items(sub, defs, f"{path}.", fixed)
            found.append(Fieldset(path, _label(name, raw | sub), description, items))
        else:
            kind = _kind(sub)
            options = [str(o) for o in sub.get("enum", [])]
            if kind == "lijst":
                description = (description or "") + " Eén per regel."
            found.append(
                Field(
                    path,
                    _label(name, raw),
                    kind,
                    name in required and not nullable,
                    description=description,
                    options=options,
                )
            )
    return found


def all_fields(items: list[Field | Fieldset]) -> list[Field]:
    """Every input, depth first."""
    flat: list[Field] = []
    for item in items:
        flat.extend(all_fields(item.items) if isinstance(item, Fieldset) else [item])
    return flat


class Unreadable(ValueError):
    """A value that cannot even be sent to the service (e.g. JSON that does not parse)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def payload_from(items: list[Field | Fieldset], form: dict[str, str]) -> dict[str, Any]:
    """The payload a submitted form describes; empty optional inputs are left out."""
    payload: dict[str, Any] = {}
    for one in all_fields(items):
        raw = form.get(one.name, "").strip()
        one.value = form.get(one.name, "")
        if raw == "":
            continue
        value: Any = raw
        if one.kind == "ja-nee":
            value = raw == "ja"
        elif one.kind == "integer" and re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        elif one.kind == "datetime" and "T" in raw and not re.search(r"(Z|[+-]\d\d:\d\d)$", raw):
            # A browser's datetime-local has no offset: the user means Dutch time.
            moment = datetime.fromisoformat(raw).replace(tzinfo=AMSTERDAM)
            value = moment.isoformat()
        elif one.kind == "lijst":
            value = [line.strip() for line in raw.splitlines() if line.strip()]
        elif one.kind == "json":
            try:
                value = json.loads(raw)
            except ValueError:
                raise Unreadable(one.name, "geen geldige JSON") from None
        _put(payload, one.name.split("."), value)
    return payload


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def mark_error(items: list[Field | Fieldset], path: str | None, message: str) -> Field | None:
    """Put the service's message on the input its field path names (`payload.x.y` or `x.y`);
    the nearest enclosing input when the path ends deeper. None when no input matches."""
    if not path:
        return None
    # The service names the field in front of its message; the page shows it beside the field.
    message = message.removeprefix(f"{path}: ").removeprefix("Value error, ")
    name = path.removeprefix("payload.")
    fields = all_fields(items)
    while name:
        for one in fields:
            if one.name == name or one.name.startswith(f"{name}."):
                one.error = message
                return one
        name = name.rpartition(".")[0]
    return None
