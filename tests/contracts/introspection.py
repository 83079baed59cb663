"""Helpers to look inside contract models: their classes and their text fields."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from types import ModuleType
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel


def models_of(package: ModuleType) -> list[type[BaseModel]]:
    """Every pydantic model a contracts package defines (in any of its modules)."""
    return [
        model
        for _, model in inspect.getmembers(package, inspect.isclass)
        if issubclass(model, BaseModel) and model.__module__.startswith(package.__name__)
    ]


def types_in(annotation: Any) -> Iterator[Any]:
    """The annotation and every type inside it, through Optional, list and Annotated."""
    if get_origin(annotation) is Annotated:
        yield from types_in(get_args(annotation)[0])
        return
    yield annotation
    for arg in get_args(annotation):
        yield from types_in(arg)


def text_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Dotted paths of every str field, nested models included."""
    found: set[str] = set()
    for name, info in model.model_fields.items():
        for inner in types_in(info.annotation):
            if inner is str:
                found.add(f"{prefix}{name}")
            elif isinstance(inner, type) and issubclass(inner, BaseModel):
                found |= text_fields(inner, f"{prefix}{name}.")
    return found
