"""Forms derived from a command's payload model: one field per JSON Schema property (nested
objects as fieldsets), and the submitted form back into the payload the service validates.

The portal knows no rule: what is required, allowed or wrong is what the schema and the
service's refusal say; a refusal's field path (`payload.betrokkene.bsn`) finds its input.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from services.portaal.web.teksten import HULPTEKSTEN

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
    items: list[Item]


@dataclass
class Choice:
    """A discriminated union (a decision taken or refused): one radio per variant, each
    variant's fields under `<name>.<variant>.` as pydantic names them in its errors."""

    name: str
    legend: str
    discriminator: str
    variants: dict[str, Fieldset]
    chosen: str = ""
    error: str | None = None

    @property
    def id(self) -> str:
        """The HTML id of the radio group."""
        return "veld-" + self.name.replace(".", "-").replace("_", "-")


Item = Field | Fieldset | Choice
"""What a form holds: inputs, fieldsets and choices."""


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
        if len(options) > 1 and all(o.get("type") == "string" for o in options):
            # A moment or a day (a mandate's period): people give a day.
            dates = [o for o in options if o.get("format") == "date"]
            options = dates[:1] or options[:1]
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
        return "lijst" if items.get("type") == "string" else "json"
    if kind == "object":
        return "json"
    if schema.get("format") == "date":
        return "date"
    if schema.get("format") == "date-time":
        return "datetime"
    if schema.get("format") == "uri":
        return "text"  # an address is one line however long it may be
    if "pattern" not in schema and schema.get("maxLength", 0) > MULTILINE:
        return "textarea"
    return "text"


def form_for(
    model: type[BaseModel],
    *,
    fixed: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
) -> list[Item]:
    """The form of a payload model; `fixed` fields (the case's id) are hidden and prefilled,
    `defaults` prefilled and editable (the user's gemeente, the current time)."""
    schema = model.model_json_schema()
    items = _items(schema, schema.get("$defs", {}), "", fixed or {})
    for one in all_fields(items):
        if one.kind != "hidden" and defaults:
            one.value = defaults.get(one.name, defaults.get(f"*{one.kind}", one.value))
    return items


def _items(
    schema: dict[str, Any], defs: dict[str, Any], prefix: str, fixed: dict[str, str]
) -> list[Item]:
    required = set(schema.get("required", []))
    found: list[Item] = []
    for name, raw in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        sub, nullable = _resolve(raw, defs)
        description = HULPTEKSTEN.get(name)
        if path in fixed:
            found.append(Field(path, _label(name, raw), "hidden", True, value=fixed[path]))
        elif "discriminator" in raw:
            found.append(_choice(path, name, raw, defs, fixed))
        elif sub.get("type") == "object" and "properties" in sub:
            items = _items(sub, defs, f"{path}.", fixed)
            found.append(Fieldset(path, _label(name, raw | sub), description, items))
        else:
            kind = _kind(sub)
            options = [str(o) for o in sub.get("enum", [])]
            if kind == "lijst":
                keuzes = _resolve(sub.get("items", {}), defs)[0].get("enum")
                per_regel = "Eén per regel" + (
                    f": {', '.join(map(str, keuzes))}." if keuzes else "."
                )
                description = f"{description} {per_regel}" if description else per_regel
            new_id = sub.get("format") == "uuid" and str(raw.get("description", "")).startswith(
                "Chosen by the caller"
            )
            found.append(
                Field(
                    path,
                    _label(name, raw),
                    kind,
                    name in required and not nullable,
                    description=description,
                    options=options,
                    # An id the caller chooses for something new (a subscription): a fresh one.
                    value=str(uuid.uuid4()) if new_id else "",
                )
            )
    return found


def _choice(
    path: str, name: str, raw: dict[str, Any], defs: dict[str, Any], fixed: dict[str, str]
) -> Choice:
    key = raw["discriminator"]["propertyName"]
    variants = {}
    for value, ref in raw["discriminator"]["mapping"].items():
        schema = defs[ref.rsplit("/", 1)[-1]]
        without_key = {
            **schema,
            "properties": {k: v for k, v in schema["properties"].items() if k != key},
        }
        items = _items(without_key, defs, f"{path}.{value}.", fixed)
        legend = str(schema.get("title", value))
        variants[value] = Fieldset(f"{path}.{value}", legend, None, items)
    return Choice(path, _label(name, raw), key, variants)


def all_fields(items: list[Item]) -> list[Field]:
    """Every input, depth first."""
    flat: list[Field] = []
    for item in items:
        if isinstance(item, Fieldset):
            flat.extend(all_fields(item.items))
        elif isinstance(item, Choice):
            flat.extend(all_fields(list[Item](item.variants.values())))
        else:
            flat.append(item)
    return flat


def _choices(items: list[Item]) -> list[Choice]:
    found: list[Choice] = []
    for item in items:
        if isinstance(item, Choice):
            found.append(item)
        elif isinstance(item, Fieldset):
            found.extend(_choices(item.items))
    return found


class Unreadable(ValueError):
    """A value that cannot even be sent to the service (e.g. JSON that does not parse)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def payload_from(items: list[Item], form: dict[str, str]) -> dict[str, Any]:
    """The payload a submitted form describes; empty optional inputs are left out."""
    payload: dict[str, Any] = {}
    skipped: list[str] = []
    for choice in _choices(items):
        choice.chosen = form.get(choice.name, "")
        if choice.chosen in choice.variants:
            _put(payload, [*choice.name.split("."), choice.discriminator], choice.chosen)
        skipped += [f"{choice.name}.{v}." for v in choice.variants if v != choice.chosen]
    for one in all_fields(items):
        if one.kind != "hidden":  # a fixed value (the case of the URL) is not the form's to set
            one.value = form.get(one.name, "")
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
    return payload


def _payload_path(name: str, items: list[Item]) -> list[str]:
    """Where an input goes in the payload: a variant's fields go without the variant's name."""
    for choice in _choices(items):
        for variant in choice.variants:
            prefix = f"{choice.name}.{variant}."
            if name.startswith(prefix):
                return [*choice.name.split("."), *name.removeprefix(prefix).split(".")]
    return name.split(".")


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def mark_error(items: list[Item], path: str | None, message: str) -> Field | None:
    """Put the service's message on the input its field path names (`payload.x.y` or `x.y`);
    the nearest enclosing input when the path ends deeper. None when no input matches."""
    if not path:
        return None
    # The service names the field in front of its message; the page shows it beside the field.
    message = message.removeprefix(f"{path}: ")
    name = path.removeprefix("payload.")
    for choice in _choices(items):
        if name == choice.name:
            choice.error = message
            return None
    fields = all_fields(items)
    while name:
        for one in fields:
            if one.name == name or one.name.startswith(f"{name}."):
                one.error = message
                return one
        name = name.rpartition(".")[0]
    return None
