"""Base class of domain events and the registry that versions them with upcasters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from wvggz_contracts.typen import OPGESLAGEN

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class DomainEvent(BaseModel):
    """A fact that happened; `event_type` is its CloudEvents type, versioned by suffix."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    description: ClassVar[str] = ""


class UnknownEventType(LookupError):
    """The registry has no model (and no upcaster) for this type."""


class EventRegistry:
    """Event models keyed by type; older versions are upcast step by step to the current one."""

    def __init__(self, models: Iterable[type[DomainEvent]] = ()) -> None:
        self._models: dict[str, type[DomainEvent]] = {}
        self._upcasters: dict[str, tuple[str, Upcaster]] = {}
        for model in models:
            self.register(model)

    def register(self, model: type[DomainEvent]) -> type[DomainEvent]:
        """Add a model under its `event_type`; usable as a class decorator."""
        if model.event_type in self._models:
            raise ValueError(f"event type registered twice: {model.event_type}")
        self._models[model.event_type] = model
        return model

    def register_upcaster(self, old_type: str, new_type: str, upcast: Upcaster) -> None:
        """Declare how data of `old_type` becomes data of the next version `new_type`."""
        if old_type in self._upcasters:
            raise ValueError(f"upcaster registered twice for {old_type}")
        self._upcasters[old_type] = (new_type, upcast)

    def upcast(self, event_type: str, data: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        """Follow the upcaster chain from a stored type to the current type and data."""
        current, payload = event_type, dict(data)
        seen = {current}
        while current in self._upcasters:
            current, step = self._upcasters[current]
            if current in seen:
                raise ValueError(f"upcaster cycle at {current}")
            seen.add(current)
            payload = step(payload)
        return current, payload

    def parse(self, event_type: str, data: Mapping[str, Any]) -> DomainEvent:
        """A stored event as its current model."""
        current, payload = self.upcast(event_type, data)
        model = self._models.get(current)
        if model is None:
            raise UnknownEventType(f"no model for event type {current}")
        # A stored fact is read as it was accepted, whatever today's input rules say.
        return model.model_validate(payload, context={OPGESLAGEN: True})

    def __contains__(self, event_type: object) -> bool:
        return event_type in self._models or event_type in self._upcasters

    @property
    def models(self) -> dict[str, type[DomainEvent]]:
        """Current models by type, in registration order."""
        return dict(self._models)

    def merged(self, other: EventRegistry) -> EventRegistry:
        """A registry with the models and upcasters of both."""
        merged = EventRegistry([*self._models.values(), *other._models.values()])
        for old, (new, step) in [*self._upcasters.items(), *other._upcasters.items()]:
            merged.register_upcaster(old, new, step)
        return merged
