"""Event store port and its adapters."""

from kernel.eventstore.port import (
    ANY_VERSION,
    NO_STREAM,
    ChainLink,
    EventStore,
    EventStoreError,
    NewEvent,
    RecordedEvent,
    WrongExpectedVersion,
)

__all__ = [
    "ANY_VERSION",
    "NO_STREAM",
    "ChainLink",
    "EventStore",
    "EventStoreError",
    "NewEvent",
    "RecordedEvent",
    "WrongExpectedVersion",
]
