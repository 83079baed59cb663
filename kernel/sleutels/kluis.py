"""The key store port: one data key per dossier, found by id, destroyed for good on request.

A region can back it with its KMS or HSM (envelope encryption: the data keys wrapped by a key
that never leaves the KMS, unwrapped ones cached in the process); `BestandsKluis` is the
embedded default. Reading a key is synchronous because every read of an event asks it, inside
folds that are pure and synchronous, and an adapter answers from memory after the first ask;
making keys is asynchronous, so concurrent commands share one durable write.
"""

from __future__ import annotations

import abc
from collections.abc import Collection


class SleutelVernietigd(Exception):
    """The dossier's key was destroyed: nothing may be encrypted under it again."""


class Sleutelkluis(abc.ABC):
    """Data keys by id (a case stream's name), and an index from a BSN to the keys of its
    dossiers, keyed by an HMAC so the index holds no BSN."""

    @abc.abstractmethod
    def sleutel(self, sleutel_id: str) -> bytes | None:
        """The data key (32 bytes), None when it was destroyed or never made."""

    @abc.abstractmethod
    async def bewaar(
        self, sleutels: Collection[str], koppelingen: Collection[tuple[str, str]]
    ) -> None:
        """Make the keys that do not exist yet and record the (index, key) links, durably,
        before returning; SleutelVernietigd when one of the keys was destroyed."""

    @abc.abstractmethod
    def maak(self, sleutel_id: str) -> bytes:
        """The data key, made (durably) when it does not exist yet, from synchronous code;
        SleutelVernietigd when it was destroyed."""

    @abc.abstractmethod
    def vernietig(self, sleutel_id: str) -> bool:
        """Destroy the key for good; False when there was none to destroy."""

    @abc.abstractmethod
    def vernietigd(self, sleutel_id: str) -> bool:
        """Whether this key was destroyed."""

    @abc.abstractmethod
    def index(self, bsn: str) -> str:
        """The HMAC of a BSN under the kluis's own secret: how the index names a person."""

    @abc.abstractmethod
    def sleutels_van(self, index: str) -> list[str]:
        """The keys of every dossier recorded under this index, destroyed ones included."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release files or connections."""
