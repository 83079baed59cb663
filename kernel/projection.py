"""Read models: pure per-case views, kept in the service's SQLite file with their checkpoint."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.bewaring import PersoonsgegevensVernietigd
from wvggz_contracts.events import DomainEvent, EventRegistry

from kernel.background import BackgroundLoop
from kernel.eventstore import EventStore, RecordedEvent
from kernel.eventstore.batching import subscribe_batches
from kernel.private_files import private_database

R = TypeVar("R", bound=BaseModel)

Event = tuple[DomainEvent, "EventMeta"]


_CASE = len("-00000000-0000-0000-0000-000000000000")


def stream_category(stream: str) -> str:
    """The kind of case a stream holds: `melding` of `melding-<uuid>` (see `Decider.stream`)."""
    return stream[:-_CASE] if len(stream) > _CASE and stream[-_CASE] == "-" else stream


@dataclass(frozen=True, slots=True)
class EventMeta:
    """What a view may know about an event besides its data: who, when, where, which case."""

    case_id: UUID
    category: str
    gemeente: str
    type: str
    position: int
    version: int
    """The event's version in its case stream."""
    occurred_at: datetime
    actor: str
    rol: str

    @classmethod
    def of(cls, event: RecordedEvent) -> EventMeta:
        """The metadata the pipeline stored with an event."""
        meta = event.metadata
        return cls(
            case_id=UUID(meta["case_id"]),
            category=stream_category(event.stream),
            gemeente=meta.get("gemeente", ""),  # an audit record may have none
            type=event.type,
            position=event.position,
            version=event.version,
            occurred_at=datetime.fromisoformat(
                meta.get("occurred_at") or event.recorded_at.isoformat()
            ),
            actor=meta.get("actor", ""),
            rol=meta.get("rol", ""),
        )


class Stap(BaseModel):
    """One entry of a dossier's history: who did what, when (never the content)."""

    op: datetime
    wat: str
    door: str
    rol: str

    @classmethod
    def of(cls, meta: EventMeta) -> Stap:
        """The history entry an event adds."""
        return cls(op=meta.occurred_at, wat=meta.type, door=meta.actor, rol=meta.rol)


class Tijdlijn(BaseModel):
    """A dossier's history, and the version of its case stream that it shows (an HTTP ETag)."""

    stappen: list[Stap] = []
    versie: int | None = None

    def met_stap(self, meta: EventMeta) -> Self:
        """This dossier with the step an event adds."""
        return self.model_copy(
            update={"stappen": [*self.stappen, Stap.of(meta)], "versie": meta.version}
        )


@dataclass(frozen=True, slots=True)
class Refold:
    """One case whose rows are folded again from its whole history."""

    key: str
    views: Sequence[CaseView[Any]]
    history: Sequence[Event]


@dataclass(frozen=True, slots=True)
class CaseView(Generic[R]):
    """One row per case, evolved by a pure function; `None` removes the row."""

    name: str
    model: type[R]
    evolve: Callable[[R | None, DomainEvent, EventMeta], R | None]
    categories: frozenset[str]
    """The kinds of case (stream categories) whose events it folds; others never reach it."""
    lookup_keys: Callable[[R], Sequence[str]] | None = None
    """Extra keys to find rows by (`ViewStore.find`), indexed instead of scanned."""


class ViewStore:
    """The rows of every view of one service, and how far each got in the event store."""

    def __init__(self, path: Path | str) -> None:
        private_database(path)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(
            "CREATE TABLE IF NOT EXISTS view_rows (view TEXT NOT NULL, case_id TEXT NOT NULL,"
            " gemeente TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (view, case_id));"
            "CREATE INDEX IF NOT EXISTS view_rows_gemeente ON view_rows (view, gemeente);"
            "CREATE TABLE IF NOT EXISTS view_positions (view TEXT PRIMARY KEY, position INTEGER);"
            "CREATE TABLE IF NOT EXISTS view_keys (view TEXT NOT NULL, lookup TEXT NOT NULL,"
            " case_id TEXT NOT NULL, PRIMARY KEY (view, lookup, case_id));"
            # A row's keys are replaced whenever it changes: found by case, not by scanning.
            "CREATE INDEX IF NOT EXISTS view_keys_case ON view_keys (view, case_id);"
        )

    def position(self, view: str) -> int:
        """How far a view has applied the event store (0: nothing yet)."""
        row = self._conn.execute(
            "SELECT position FROM view_positions WHERE view = ?", (view,)
        ).fetchone()
        return int(row[0]) if row else 0

    def get(self, view: CaseView[R], case_id: UUID) -> R | None:
        """One case's row."""
        row = self._conn.execute(
            "SELECT doc FROM view_rows WHERE view = ? AND case_id = ?", (view.name, str(case_id))
        ).fetchone()
        return view.model.model_validate_json(row[0]) if row else None

    def rows(self, view: CaseView[R], gemeente: str | None = None) -> list[R]:
        """Every row of a view, or of one gemeente."""
        if gemeente is None:
            found = self._conn.execute("SELECT doc FROM view_rows WHERE view = ?", (view.name,))
        else:
            found = self._conn.execute(
                "SELECT doc FROM view_rows WHERE view = ? AND gemeente = ?", (view.name, gemeente)
            )
        return [view.model.model_validate_json(doc) for (doc,) in found.fetchall()]

    def docs(self, view: CaseView[Any], gemeente: str) -> list[dict[str, Any]]:
        """Every row of a view for one gemeente as the JSON it was stored as, unvalidated: for a
        long list read often (a werkvoorraad), where building each model would cost the most."""
        found = self._conn.execute(
            "SELECT doc FROM view_rows WHERE view = ? AND gemeente = ?", (view.name, gemeente)
        )
        return [json.loads(doc) for (doc,) in found.fetchall()]

    def versions(self, view: CaseView[Any]) -> tuple[tuple[str, object], ...]:
        """Each row's case and the stream version it shows (a `Tijdlijn` view): a fingerprint
        that changes only when one of its cases does, read without parsing any row."""
        found = self._conn.execute(
            "SELECT case_id, json_extract(doc, '$.versie') FROM view_rows WHERE view = ?"
            " ORDER BY case_id",
            (view.name,),
        )
        return tuple((str(case), versie) for case, versie in found.fetchall())

    def find(self, view: CaseView[R], lookup: str, gemeente: str | None = None) -> list[R]:
        """Rows whose lookup keys include `lookup` (optionally of one gemeente)."""
        found = self._conn.execute(
            "SELECT r.doc, r.gemeente FROM view_keys k JOIN view_rows r"
            " ON r.view = k.view AND r.case_id = k.case_id WHERE k.view = ? AND k.lookup = ?",
            (view.name, lookup),
        ).fetchall()
        return [
            view.model.model_validate_json(doc)
            for doc, owner in found
            if gemeente is None or owner == gemeente
        ]

    def apply(
        self,
        views: Sequence[CaseView[Any]],
        batch: Sequence[tuple[DomainEvent, EventMeta]],
        position: int,
        refolds: Sequence[Refold] = (),
    ) -> None:
        """Apply a batch to every view and move their positions, in one transaction.

        A case in `refolds` (its personal data was destroyed) is folded again from its whole
        history in the same transaction, so no row keeps a copy of what was destroyed.
        """
        conn = self._conn
        keyed = [(str(meta.case_id), event, meta) for event, meta in batch]
        conn.execute("BEGIN IMMEDIATE")
        try:
            done = self._positions([view.name for view in views])
            for view in views:
                self._apply_view(view, keyed, done.get(view.name, 0))
            conn.executemany(
                "INSERT INTO view_positions (view, position) VALUES (?, ?) ON CONFLICT(view)"
                " DO UPDATE SET position = excluded.position",
                [(view.name, position) for view in views],
            )
            # After the batch: a refold's history runs to its end, this batch's events included.
            for refold in refolds:
                self._refold(refold.views, refold.key, refold.history)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _positions(self, names: Sequence[str]) -> dict[str, int]:
        found = self._conn.execute(
            "SELECT view, position FROM view_positions"
            " WHERE view IN (SELECT value FROM json_each(?))",
            (json.dumps(list(names)),),
        ).fetchall()
        return {name: int(position) for name, position in found}

    def _apply_view(
        self, view: CaseView[Any], batch: Sequence[tuple[str, DomainEvent, EventMeta]], done: int
    ) -> None:
        """Each case's row is read once, evolved by all its events in the batch, written once."""
        mine = [
            (key, event, meta)
            for key, event, meta in batch
            if meta.position > done and meta.category in view.categories
        ]
        if not mine:
            return
        before = self._load(view, {key for key, _event, _meta in mine})
        after: dict[str, Any] = {}
        gemeente: dict[str, str] = {}
        for key, event, meta in mine:
            row = after[key] if key in after else before.get(key)
            after[key] = view.evolve(row, event, meta)
            gemeente[key] = meta.gemeente
        self._store(
            view,
            [(key, gemeente[key], row) for key, row in after.items() if row != before.get(key)],
        )

    def _refold(self, views: Sequence[CaseView[Any]], key: str, history: Sequence[Event]) -> None:
        """Fold one case's rows again from its whole history."""
        for view in views:
            row, gemeente = None, ""
            for event, meta in history:
                if meta.category in view.categories:
                    row, gemeente = view.evolve(row, event, meta), meta.gemeente
            self._store(view, [(key, gemeente, row)])

    def keyed_rows(self, view: CaseView[R]) -> Iterator[tuple[UUID, str, R]]:
        """Every row of a view with its case id and gemeente."""
        found = self._conn.execute(
            "SELECT case_id, gemeente, doc FROM view_rows WHERE view = ?", (view.name,)
        ).fetchall()
        for key, gemeente, doc in found:
            yield UUID(key), gemeente, view.model.model_validate_json(doc)

    def keyed_row(self, view: CaseView[R], case_id: UUID) -> tuple[str, R] | None:
        """One case's row with its gemeente."""
        found = self._conn.execute(
            "SELECT gemeente, doc FROM view_rows WHERE view = ? AND case_id = ?",
            (view.name, str(case_id)),
        ).fetchone()
        return None if found is None else (found[0], view.model.model_validate_json(found[1]))

    def _load(self, view: CaseView[R], keys: Collection[str]) -> dict[str, R]:
        """The stored rows of these cases, in one query however many they are."""
        found = self._conn.execute(
            "SELECT case_id, doc FROM view_rows WHERE view = ?"
            " AND case_id IN (SELECT value FROM json_each(?))",
            (view.name, json.dumps(sorted(keys))),
        ).fetchall()
        return {key: view.model.model_validate_json(doc) for key, doc in found}

    def _store(self, view: CaseView[R], changed: Sequence[tuple[str, str, R | None]]) -> None:
        """Write each changed row (None: remove it) and its lookup keys, a statement for all."""
        conn, name = self._conn, view.name
        if view.lookup_keys is not None:
            conn.executemany(
                "DELETE FROM view_keys WHERE view = ? AND case_id = ?",
                [(name, key) for key, _gemeente, _row in changed],
            )
        conn.executemany(
            "DELETE FROM view_rows WHERE view = ? AND case_id = ?",
            [(name, key) for key, _gemeente, row in changed if row is None],
        )
        conn.executemany(
            "INSERT INTO view_rows (view, case_id, gemeente, doc) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(view, case_id) DO UPDATE SET gemeente = excluded.gemeente,"
            " doc = excluded.doc",
            [
                (name, key, gemeente, row.model_dump_json())
                for key, gemeente, row in changed
                if row is not None
            ],
        )
        if view.lookup_keys is not None:
            conn.executemany(
                "INSERT OR IGNORE INTO view_keys (view, lookup, case_id) VALUES (?, ?, ?)",
                [
                    (name, lookup, key)
                    for key, _gemeente, row in changed
                    if row is not None
                    for lookup in view.lookup_keys(row)
                ],
            )

    def close(self) -> None:
        """Close the file."""
        self._conn.close()


class Projector(BackgroundLoop):
    """Feeds a service's own events to its views, from their checkpoint; restarts resume there."""

    def __init__(
        self,
        store: EventStore,
        views_store: ViewStore,
        views: Sequence[CaseView[Any]],
        registry: EventRegistry,
        *,
        batch_size: int = 256,
    ) -> None:
        self.store = store
        self.views_store = views_store
        self.views = list(views)
        self.registry = registry
        self.batch_size = batch_size
        self.position = min((views_store.position(v.name) for v in views), default=0)
        self._moved = asyncio.Event()

    async def wait_for(self, position: int, within: float = 5.0) -> bool:
        """Wait until the views include the event at `position` (read your own writes)."""
        async with asyncio.timeout(within):
            while self.position < position:
                moved = self._moved
                await moved.wait()
        return True

    async def _run(self) -> None:
        if not self.views:
            await asyncio.Event().wait()  # nothing to project: idle, but alive for readiness
        async for recorded_batch in subscribe_batches(self.store, self.position, self.batch_size):
            batch: list[tuple[DomainEvent, EventMeta]] = []
            for recorded in recorded_batch:
                if recorded.type in self.registry and "case_id" in recorded.metadata:
                    event = self.registry.parse(recorded.type, recorded.data)
                    batch.append((event, EventMeta.of(recorded)))
            last = recorded_batch[-1].position
            refolds = [
                refold
                for event, _meta in batch
                if isinstance(event, PersoonsgegevensVernietigd)
                for refold in await self._refolds(event.stromen, last)
            ]
            self.views_store.apply(self.views, batch, last, refolds)
            self.position = last
            moved, self._moved = self._moved, asyncio.Event()
            moved.set()

    async def _refolds(self, stromen: Sequence[str], upto: int) -> list[Refold]:
        """Each destroyed case's history up to this batch, from every stream its views read."""
        views = [v for v in self.views if {stream_category(s) for s in stromen} & v.categories]
        categories = sorted({c for view in views for c in view.categories})
        refolds = []
        for case_id in sorted({stream[-36:] for stream in stromen}):
            recorded = [e for c in categories for e in await self.store.read(f"{c}-{case_id}")]
            history = [
                (self.registry.parse(e.type, e.data), EventMeta.of(e))
                for e in sorted(recorded, key=lambda e: e.position)
                if e.position <= upto and e.type in self.registry and "case_id" in e.metadata
            ]
            refolds.append(Refold(case_id, views, history))
        return refolds
