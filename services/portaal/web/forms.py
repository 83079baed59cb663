"""Forms derived from a command's payload model: one field per JSON Schema property (nested
objects as fieldsets, a list of small objects as a number of repeated fieldsets); `submitted`
reads a filled-in form back.

The portal knows no rule: what is required, allowed or wrong is what the schema and the
service's refusal say; a refusal's field path (`payload.betrokkene.bsn`) finds its input.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from services.portaal.web.teksten import HULPTEKSTEN

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

MULTILINE = 300
"""Text fields allowed longer than this become a textarea: the contracts' one-line texts (a
`Regel`: a name, an address, an agenda item's title) go up to 300 characters."""
ROWS = 6
"""Groups a form shows for a list of small objects (its deelnemers); more on request."""
MAX_ROWS = 100
"""The most groups a form shows for one list, however long the list may be."""
GROUP = re.compile(r"[0-9]{1,3}")
"""A group's number in a field's name (`deelnemers.2.soort`)."""


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
    group: str = ""
    """The legend of the group of a list it is in (`Deelnemer 2`), for the error summary."""
    if_used: bool = False
    """Required once its group of an optional list is filled in (and not marked optional)."""

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
class Rows:
    """A list of small objects: a fixed number of groups, one object each, its fields named
    `<name>.<i>.<field>`; groups left empty are not sent. `sent` holds the groups that were, in
    payload order, so that a refusal naming `<name>.1.x` finds the group it came from."""

    name: str
    legend: str
    description: str
    rows: list[Fieldset]
    required: bool
    more: bool
    """Whether the list may hold more objects than there are groups."""
    sent: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def id(self) -> str:
        """The HTML id of the group of groups (and the anchor an error summary links to)."""
        return "veld-" + self.name.replace(".", "-").replace("_", "-")

    @property
    def label(self) -> str:
        """Its name in the error summary."""
        return self.legend


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


Item = Field | Fieldset | Choice | Rows
"""What a form holds: inputs, fieldsets, choices and lists of small objects."""


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
    submitted: dict[str, str] | None = None,
) -> list[Item]:
    """The form of a payload model; `fixed` fields (the case's id) are hidden and prefilled,
    `defaults` prefilled and editable (the user's gemeente, the current time). A `submitted`
    form keeps the groups of a list it had, and `_meer=<list>` asks for more of them."""
    schema = model.model_json_schema()
    items = _items(schema, schema.get("$defs", {}), "", fixed or {}, submitted or {})
    in_rows = {f.name for rows in all_rows(items) for f in all_fields(list[Item](rows.rows))}
    for one in all_fields(items):
        if one.kind != "hidden" and defaults:
            # A group of a list stays empty (not sent) unless a default names its field.
            kind_default = one.value if one.name in in_rows else defaults.get(f"*{one.kind}")
            one.value = defaults.get(one.name, kind_default or one.value)
    return items


def is_new_id(raw: dict[str, Any]) -> bool:
    """An id the caller chooses for something new (a meeting, a subscription)."""
    return raw.get("format") == "uuid" and str(raw.get("description", "")).startswith(
        "Chosen by the caller"
    )


def _help(schema: dict[str, Any], name: str) -> str | None:
    """The Dutch help beside a field: for this model's field, else for any field so named."""
    return HULPTEKSTEN.get(f"{schema.get('title')}.{name}", HULPTEKSTEN.get(name))


def _small_object(schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    """An object of plain fields only (no nested object, list of objects or choice)."""
    if schema.get("type") != "object" or not schema.get("properties"):
        return False
    for raw in schema["properties"].values():
        sub = _resolve(raw, defs)[0]
        items = _resolve(sub.get("items", {}), defs)[0]
        if "discriminator" in raw or "object" in (sub.get("type"), items.get("type")):
            return False
    return True


def _items(
    schema: dict[str, Any],
    defs: dict[str, Any],
    prefix: str,
    fixed: dict[str, str],
    submitted: dict[str, str],
    *,
    group: str = "",
    if_used: bool = False,
) -> list[Item]:
    required = set(schema.get("required", []))
    found: list[Item] = []
    for name, raw in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        sub, nullable = _resolve(raw, defs)
        description = _help(schema, name)
        listed = _resolve(sub.get("items", {}), defs)[0] if sub.get("type") == "array" else {}
        if path in fixed:
            found.append(Field(path, _label(name, raw), "hidden", True, value=fixed[path]))
        elif "discriminator" in raw:
            found.append(_choice(path, name, raw, defs, fixed))
        elif sub.get("type") == "object" and "properties" in sub:
            items = _items(sub, defs, f"{path}.", fixed, submitted, group=group, if_used=if_used)
            found.append(Fieldset(path, _label(name, raw | sub), description, items))
        elif not group and _small_object(listed, defs):
            found.append(_rows(path, name, raw | sub, listed, defs, submitted, description))
        else:
            if listed:  # a list of values, perhaps of an enumeration the schema refers to
                sub = {**sub, "items": listed}
            kind = _kind(sub)
            options = [str(o) for o in sub.get("enum", [])]
            if kind == "lijst":
                keuzes = listed.get("enum")
                per_regel = "Eén per regel" + (
                    f": {', '.join(map(str, keuzes))}." if keuzes else "."
                )
                description = f"{description} {per_regel}" if description else per_regel
            needed = name in required and not nullable
            found.append(
                Field(
                    path,
                    _label(name, raw),
                    kind,
                    needed and not if_used,
                    description=description,
                    options=options,
                    # An id the caller chooses for something new (a subscription): a fresh one;
                    # not in a group of a list, which would then never be empty.
                    value=str(uuid.uuid4()) if is_new_id(sub | raw) and not group else "",
                    group=group,
                    if_used=needed and if_used,
                )
            )
    return found


def _rows(
    path: str,
    name: str,
    raw: dict[str, Any],
    listed: dict[str, Any],
    defs: dict[str, Any],
    submitted: dict[str, str],
    description: str | None,
) -> Rows:
    """The groups of a list of small objects: ROWS of them, as many as a submitted form had,
    or ROWS more when it asked (`_meer`), up to what the list may hold."""
    most = min(int(raw.get("maxItems", MAX_ROWS)), MAX_ROWS)
    least = int(raw.get("minItems", 0))
    had = [
        int(number)
        for key in submitted
        if key.startswith(f"{path}.")
        and GROUP.fullmatch(number := key.removeprefix(f"{path}.").partition(".")[0])
    ]
    count = max(ROWS, least, max(had, default=-1) + 1)
    if submitted.get("_meer") == path:
        count += ROWS
    count = min(count, most)
    enkel = _label(name, listed) if listed.get("title") else _label(name, raw)
    rows = []
    for index in range(count):
        optional = index >= least
        legend = f"{enkel} {index + 1}"
        items = _items(
            listed, defs, f"{path}.{index}.", {}, submitted, group=legend, if_used=optional
        )
        rows.append(
            Fieldset(
                f"{path}.{index}", legend + (" (niet verplicht)" if optional else ""), None, items
            )
        )
    verplicht = (
        [f.label.lower() for f in all_fields(rows[0].items) if f.required or f.if_used]
        if rows
        else []
    )
    uitleg = f"Eén {enkel.lower()} per groep; lege groepen tellen niet mee."
    if verplicht:
        uitleg += f" Per {enkel.lower()} verplicht: {', '.join(verplicht)}."
    return Rows(
        path,
        _label(name, raw),
        f"{description} {uitleg}" if description else uitleg,
        rows,
        required=least > 0,
        more=count < most,
    )


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
        items = _items(without_key, defs, f"{path}.{value}.", fixed, {})
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
        elif isinstance(item, Rows):
            flat.extend(all_fields(list[Item](item.rows)))
        else:
            flat.append(item)
    return flat


def all_rows(items: list[Item]) -> list[Rows]:
    """Every list of small objects, depth first."""
    found: list[Rows] = []
    for item in items:
        if isinstance(item, Rows):
            found.append(item)
        elif isinstance(item, Fieldset):
            found.extend(all_rows(item.items))
        elif isinstance(item, Choice):
            found.extend(all_rows(list[Item](item.variants.values())))
    return found


def all_choices(items: list[Item]) -> list[Choice]:
    """Every choice between variants, depth first."""
    found: list[Choice] = []
    for item in items:
        if isinstance(item, Choice):
            found.append(item)
        elif isinstance(item, Fieldset):
            found.extend(all_choices(item.items))
    return found
