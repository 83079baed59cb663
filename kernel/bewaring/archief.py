"""What a service tells its retention job: its dossiers, their streams and when they closed."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel

from kernel.projection import CaseView, ViewStore

R = TypeVar("R", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Dossier:
    """One case of the service: its gemeente, its streams, and when it closed (None: open)."""

    zaak: UUID
    gemeente: str
    stromen: tuple[str, ...]
    afgesloten_op: datetime | None


@dataclass(frozen=True, slots=True)
class Bijlage(Generic[R]):
    """Records that belong to a procedure's case without being a dossier with a term of their
    own (a partner's fetch in the verstrekkingenregister): an inzage shows them."""

    view: CaseView[R]
    categorie: str
    hoort_bij: Callable[[R], UUID]


@dataclass(frozen=True, slots=True)
class Archief(Generic[R]):
    """A service's dossiers, read from the view that holds one row per case.

    `afgesloten_op` says from a row when the dossier closed: the moment its retention term
    starts. A dossier still open (None) is never proposed for destruction.
    """

    view: CaseView[R]
    categorieen: Sequence[str]
    """The stream categories of one dossier (`<category>-<case id>`), whose keys go together."""
    afgesloten_op: Callable[[R], datetime | None]
    hoort_bij: Callable[[R], UUID] | None = None
    """The procedure's case a dossier belongs to (a letter's melding or crisis case): how an
    inzage finds dossiers that name no BSN themselves."""
    bijlagen: tuple[Bijlage[Any], ...] = ()

    def dossiers(self, views: ViewStore) -> Iterable[Dossier]:
        """Every dossier the view holds."""
        for zaak, gemeente, row in views.keyed_rows(self.view):
            yield self._dossier(zaak, gemeente, row)

    def dossier(self, views: ViewStore, zaak: UUID) -> Dossier | None:
        """One dossier, None when the service has no such case."""
        found = views.keyed_row(self.view, zaak)
        return None if found is None else self._dossier(zaak, found[0], found[1])

    def bij_zaken(self, views: ViewStore, zaken: Collection[UUID]) -> list[Dossier]:
        """The dossiers and records that belong to one of these procedure cases."""
        if not zaken:
            return []
        found = []
        if (hoort_bij := self.hoort_bij) is not None:
            found += [
                self._dossier(zaak, gemeente, row)
                for zaak, gemeente, row in views.keyed_rows(self.view)
                if hoort_bij(row) in zaken
            ]
        for bijlage in self.bijlagen:
            found += [
                Dossier(key, gemeente, (f"{bijlage.categorie}-{key}",), None)
                for key, gemeente, row in views.keyed_rows(bijlage.view)
                if bijlage.hoort_bij(row) in zaken
            ]
        return found

    def _dossier(self, zaak: UUID, gemeente: str, row: R) -> Dossier:
        stromen = tuple(f"{category}-{zaak}" for category in self.categorieen)
        return Dossier(zaak, gemeente, stromen, self.afgesloten_op(row))
