"""The delivery queue: every notification owed to a partner until it is delivered, in SQLite.

A row is written when an event is fanned out (before the event is acknowledged on the bus) and
kept, without its content, as delivered once the partner has it; so nothing owed is lost by a
crash, and an event fanned out again (a redelivery, a replay) adds nothing for as long as the
marker is kept (one row per partner and event id). Per partner and case only the oldest row
not delivered is ever handed out, so a partner receives a case's notifications in order; a
given-up row holds the rest of its case back until an operator releases it.

That oldest row not delivered is marked as its case's head (`kop`), set when a row is queued
into a case without one and passed on when the head is delivered; so what is due is read from
one index of the waiting heads, whatever the size of the queue.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kernel.private_files import private_database

WACHTEND = "wachtend"
OPGEGEVEN = "opgegeven"
AFGELEVERD = "afgeleverd"


@dataclass(frozen=True, slots=True)
class Levering:
    """One notification owed to one partner."""

    partner_id: str
    event_id: str
    zaak: str
    type: str
    gemeente: str
    kanaal: str
    bestemming: str
    """The partner's code (NATS) or its URL (webhook)."""
    abonnement_id: str
    body: bytes
    pogingen: int = 0
    eerste_poging: float | None = None
    """Epoch seconds of the first attempt (the horizon counts from there)."""
    geplaatst: float = 0.0
    """Epoch seconds at which the event reached the queue (for the age of the backlog)."""

    @property
    def sleutel(self) -> tuple[str, str]:
        """What identifies it: partner and event."""
        return (self.partner_id, self.event_id)


@dataclass(frozen=True, slots=True)
class Stand:
    """What one partner is owed: waiting, given up, and since when the oldest waits."""

    partner_id: str
    wachtend: int
    opgegeven: int
    oudste: float | None


_COLUMNS = (
    "partner_id, event_id, zaak, type, gemeente, kanaal, bestemming, abonnement_id, body,"
    " pogingen, eerste_poging, geplaatst"
)


class Wachtrij:
    """The queue's file; every call is one short transaction on the event loop's thread."""

    def __init__(self, path: Path) -> None:
        private_database(path)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL, as the event store: a row stands for an event already acknowledged on the bus.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(
            "CREATE TABLE IF NOT EXISTS leveringen ("
            " volgnr INTEGER PRIMARY KEY AUTOINCREMENT,"
            " partner_id TEXT NOT NULL, event_id TEXT NOT NULL, zaak TEXT NOT NULL,"
            " type TEXT NOT NULL, gemeente TEXT NOT NULL, kanaal TEXT NOT NULL,"
            " bestemming TEXT NOT NULL, abonnement_id TEXT NOT NULL, body BLOB NOT NULL,"
            " staat TEXT NOT NULL DEFAULT 'wachtend', pogingen INTEGER NOT NULL DEFAULT 0,"
            " eerste_poging REAL, volgende REAL NOT NULL DEFAULT 0, reden TEXT,"
            " opgegeven_positie INTEGER, geplaatst REAL NOT NULL, kop INTEGER NOT NULL DEFAULT 0,"
            " UNIQUE (partner_id, event_id));"
            "CREATE INDEX IF NOT EXISTS leveringen_zaak ON leveringen (partner_id, zaak, volgnr);"
            "CREATE INDEX IF NOT EXISTS leveringen_volgende ON leveringen (staat, volgende);"
        )
        self._met_koppen()
        self._conn.executescript(
            "CREATE UNIQUE INDEX IF NOT EXISTS leveringen_kop ON leveringen (partner_id, zaak)"
            " WHERE kop = 1;"
            "CREATE INDEX IF NOT EXISTS leveringen_aan_de_beurt ON leveringen (volgende, volgnr)"
            " WHERE kop = 1 AND staat = 'wachtend';"
        )

    def _met_koppen(self) -> None:
        """A file from before the heads were marked gets the column, and its heads marked."""
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(leveringen)")}
        if "kop" in columns:
            return
        with self._transactie():
            self._conn.execute("ALTER TABLE leveringen ADD COLUMN kop INTEGER NOT NULL DEFAULT 0")
            self._conn.execute(
                "UPDATE leveringen SET kop = 1 WHERE volgnr IN (SELECT MIN(volgnr)"
                " FROM leveringen WHERE staat != 'afgeleverd' GROUP BY partner_id, zaak)"
            )

    @contextlib.contextmanager
    def _transactie(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def plaats(self, leveringen: Iterable[Levering]) -> int:
        """Queue notifications; those already queued (same partner and event) are skipped.

        Each is due from the moment it was queued, and heads its case when the case has none.
        """
        rows = [
            (
                lv.partner_id, lv.event_id, lv.zaak, lv.type, lv.gemeente, lv.kanaal,
                lv.bestemming, lv.abonnement_id, lv.body, 0, None, lv.geplaatst, lv.geplaatst,
                lv.partner_id, lv.zaak,
            )
            for lv in leveringen
        ]  # fmt: skip
        if not rows:
            return 0
        before = self._conn.total_changes
        with self._transactie():
            # Only the (partner, event) conflict is skipped: a second head would be a bug.
            self._conn.executemany(
                f"INSERT INTO leveringen ({_COLUMNS}, volgende, kop) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOT EXISTS (SELECT 1 FROM leveringen"
                " WHERE partner_id = ? AND zaak = ? AND kop = 1))"
                " ON CONFLICT (partner_id, event_id) DO NOTHING",
                rows,
            )
        return self._conn.total_changes - before

    def aan_de_beurt(
        self, nu: float, bezig: Sequence[tuple[str, str]], limiet: int = 500
    ) -> list[Levering]:
        """The head of each partner's case that waits, is due and is not in hand; the longest due
        first.

        `bezig`: (partner, case) pairs with a delivery under way, whose next one must wait.
        """
        busy = set(bezig)
        # The index named: without statistics the planner takes (staat, volgende) instead, and
        # visits every due row of every case rather than the heads only.
        found = self._conn.execute(
            f"SELECT {_COLUMNS} FROM leveringen INDEXED BY leveringen_aan_de_beurt"
            " WHERE kop = 1 AND staat = 'wachtend' AND volgende <= ?"
            " ORDER BY volgende, volgnr LIMIT ?",
            (nu, limiet + len(busy)),
        ).fetchall()
        heads = [Levering(*row) for row in found]
        return [lv for lv in heads if (lv.partner_id, lv.zaak) not in busy][:limiet]

    def volgende_moment(self) -> float | None:
        """When the next waiting head of a case falls due (epoch seconds), if any waits."""
        row = self._conn.execute(
            "SELECT MIN(volgende) FROM leveringen INDEXED BY leveringen_aan_de_beurt"
            " WHERE kop = 1 AND staat = 'wachtend'"
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def afgeleverd(self, sleutels: Iterable[tuple[str, str]], nu: float) -> None:
        """The partners have them: keep only the markers, without the content, and pass each
        case's head on to its next notification; in one transaction."""
        with self._transactie():
            for partner_id, event_id in sleutels:
                found = self._conn.execute(
                    "UPDATE leveringen SET staat = 'afgeleverd', body = x'', volgende = ?, kop = 0"
                    " WHERE partner_id = ? AND event_id = ? AND staat != 'afgeleverd'"
                    " RETURNING zaak, volgnr",
                    (nu, partner_id, event_id),
                ).fetchall()
                for zaak, volgnr in found:
                    self._conn.execute(
                        "UPDATE leveringen SET kop = 1 WHERE volgnr = (SELECT MIN(volgnr)"
                        " FROM leveringen WHERE partner_id = ? AND zaak = ? AND volgnr > ?"
                        " AND staat != 'afgeleverd') AND NOT EXISTS (SELECT 1 FROM leveringen"
                        " WHERE partner_id = ? AND zaak = ? AND kop = 1)",
                        (partner_id, zaak, volgnr, partner_id, zaak),
                    )

    def ruim_op(self, ouder_dan: float) -> int:
        """Forget the markers of deliveries made before `ouder_dan`; how many."""
        return self._conn.execute(
            "DELETE FROM leveringen WHERE staat = 'afgeleverd' AND volgende < ?", (ouder_dan,)
        ).rowcount

    def later(
        self, sleutel: tuple[str, str], *, poging: float, volgende: float, reden: str
    ) -> None:
        """An attempt failed: try again at `volgende`."""
        self._conn.execute(
            "UPDATE leveringen SET pogingen = pogingen + 1,"
            " eerste_poging = COALESCE(eerste_poging, ?), volgende = ?, reden = ?"
            " WHERE partner_id = ? AND event_id = ?",
            (poging, volgende, reden, *sleutel),
        )

    def opgegeven(self, sleutel: tuple[str, str], *, positie: int, reden: str) -> None:
        """Given up (recorded at `positie` in the event store): it waits for an operator."""
        self._conn.execute(
            "UPDATE leveringen SET staat = 'opgegeven', opgegeven_positie = ?, reden = ?"
            " WHERE partner_id = ? AND event_id = ?",
            (positie, reden, *sleutel),
        )

    def vrij_te_geven(self, tot_positie: int) -> list[tuple[str, str]]:
        """Given-up rows recorded at or before a store position (their release can be seen)."""
        found = self._conn.execute(
            "SELECT partner_id, event_id FROM leveringen"
            " WHERE staat = 'opgegeven' AND opgegeven_positie <= ?",
            (tot_positie,),
        ).fetchall()
        return [(str(p), str(e)) for p, e in found]

    def herlever(self, sleutels: Iterable[tuple[str, str]], nu: float) -> int:
        """Released by an operator: deliver again from now, with a fresh horizon."""
        before = self._conn.total_changes
        self._conn.executemany(
            "UPDATE leveringen SET staat = 'wachtend', pogingen = 0, eerste_poging = NULL,"
            " volgende = ?, opgegeven_positie = NULL WHERE partner_id = ? AND event_id = ?"
            " AND staat = 'opgegeven'",
            [(nu, *sleutel) for sleutel in sleutels],
        )
        return self._conn.total_changes - before

    def van_partner(self, partner_id: str, limiet: int = 1000) -> list[dict[str, object]]:
        """What one partner is owed, oldest first, without the notifications' content."""
        found = self._conn.execute(
            "SELECT event_id, zaak, type, gemeente, kanaal, staat, pogingen, eerste_poging,"
            " volgende, reden, geplaatst FROM leveringen"
            " WHERE partner_id = ? AND staat != 'afgeleverd' ORDER BY volgnr LIMIT ?",
            (partner_id, limiet),
        )
        names = [d[0] for d in found.description]
        return [dict(zip(names, row, strict=True)) for row in found.fetchall()]

    def stand(self) -> list[Stand]:
        """Per partner: how many wait, how many were given up, and the oldest one's time."""
        found = self._conn.execute(
            "SELECT partner_id, SUM(staat = 'wachtend'), SUM(staat = 'opgegeven'),"
            " MIN(geplaatst) FROM leveringen WHERE staat != 'afgeleverd' GROUP BY partner_id"
        ).fetchall()
        return [Stand(str(p), int(w), int(o), float(t) if t else None) for p, w, o, t in found]

    def staat(self, sleutel: tuple[str, str]) -> str | None:
        """Where one notification stands: waiting, given up, delivered, or None when it was
        never queued (or its delivery marker is gone)."""
        row = self._conn.execute(
            "SELECT staat FROM leveringen WHERE partner_id = ? AND event_id = ?", sleutel
        ).fetchone()
        return str(row[0]) if row else None

    def close(self) -> None:
        """Close the file."""
        self._conn.close()
