"""The key store port: one data key per dossier, found by id, destroyed for good on request.

A region can back it with its KMS or HSM (envelope encryption: the data keys wrapped by a key
that never leaves the KMS, unwrapped ones cached in the process); `BestandsKluis` is the
embedded default. The port is synchronous because every read of an event asks it, inside
folds that are pure and synchronous; an adapter answers from memory after the first ask.
"""

from __future__ import annotations

import abc


class SleutelVernietigd(Exception):
    """The dossier's key was destroyed: nothing may be encrypted under it again."""


class Sleutelkluis(abc.ABC):
    """Data keys by id (a case stream's name), and an index from a BSN to the keys of its
    dossiers, keyed by an HMAC so the index holds no BSN."""

    @abc.abstractmethod
    def sleutel(self, sleutel_id: str) -> bytes | None:
        """The data key (32 bytes), None when it was destroyed or never made."""

    @abc.abstractmethod
    def maak(self, sleutel_id: str) -> bytes:
        """The data key, made when it does not exist yet; SleutelVernietigd when destroyed."""

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
    def koppel(self, index: str, sleutel_id: str) -> None:
        """Record that a dossier under this key holds data on the person with this index."""

    @abc.abstractmethod
    def sleutels_van(self, index: str) -> list[str]:
        """The keys of every dossier recorded under this index, destroyed ones included."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release files or connections."""
