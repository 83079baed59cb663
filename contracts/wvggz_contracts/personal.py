"""Per-field marking of personal data, for encryption (crypto-shredding) and minimisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from pydantic import BaseModel, ValidationInfo
from pydantic_core import PydanticCustomError, core_schema

PERSONAL_DATA_KEY = "x-persoonsgegeven"
"""JSON Schema keyword that marks a field as personal data in the generated schemas."""

VERNIETIGD: Final = "vernietigd"
"""What a personal-data field reads as once its key was destroyed (crypto-shredding): the
event, its order and its other facts stay, this field's value is gone for good."""

INVOER: Final = "invoer"
"""Validation context key: the data is new input (a command), which may never claim to be
destroyed data; stored facts and the views built from them may."""


@dataclass(frozen=True, slots=True)
class Persoonsgegeven:
    """Marks a model field as personal data: `Annotated[str, Persoonsgegeven()]`.

    `bijzonder` flags special-category data (AVG art. 9, e.g. health); `bsn` flags a
    citizen service number, which may never appear in subjects, logs or metrics.
    """

    soort: Literal["gewoon", "bijzonder", "bsn"] = "gewoon"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        inner = handler(source)
        return core_schema.with_info_wrap_validator_function(
            _of_vernietigd,
            inner,
            serialization=core_schema.wrap_serializer_function_ser_schema(
                _dump_of_vernietigd, schema=inner
            ),
        )

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema: dict[str, Any] = handler(core_schema)
        schema[PERSONAL_DATA_KEY] = self.soort
        return schema


def _of_vernietigd(value: Any, validate: Any, info: ValidationInfo) -> Any:
    """A destroyed value stays the marker, whatever the field's type; new input may not be it."""
    if value == VERNIETIGD and isinstance(value, str):
        if isinstance(info.context, dict) and info.context.get(INVOER):
            raise PydanticCustomError(
                "vernietigd_niet_toegestaan", "deze waarde is voorbehouden aan vernietigde gegevens"
            )
        return value
    return validate(value)


def _dump_of_vernietigd(value: Any, dump: Any) -> Any:
    return value if value == VERNIETIGD and isinstance(value, str) else dump(value)


def personal_fields(model: type[BaseModel], prefix: str = "") -> dict[str, str]:
    """Dotted paths of every personal-data field in a model (nested models included)."""
    found: dict[str, str] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        for mark in [*info.metadata, *_nested_marks(info.annotation)]:
            if isinstance(mark, Persoonsgegeven):
                found[path] = mark.soort
        for nested in _nested_models(info.annotation):
            found.update(personal_fields(nested, prefix=f"{path}."))
    return found


def _nested_marks(annotation: Any) -> list[Any]:
    """Marks inside an optional or union type, e.g. `Bsn | None`."""
    own = list(getattr(annotation, "__metadata__", ()))
    return own + [m for arg in getattr(annotation, "__args__", ()) for m in _nested_marks(arg)]


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _nested_models(arg)]
