"""The figures kept up to date in one process: observations written to their file first, then
folded into the cases in memory; at a start, folded again from the whole file."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from services.overleg.cijfers.bron import Waarneming
from services.overleg.cijfers.feiten import Feiten, feiten_uit
from services.overleg.cijfers.waarnemingen import Waarnemingen

log = logging.getLogger(__name__)


class Cijferbron:
    """The observations on file and the cases they fold into."""

    def __init__(self, path: Path) -> None:
        self.waarnemingen = Waarnemingen(path)
        started = time.perf_counter()
        self.feiten: Feiten = feiten_uit(self.waarnemingen.rijen())
        self.versie = 0
        """Grows with every observation counted: what was computed from the cases keys on it."""
        log.info("overleg figures rebuilt in %.2f s", time.perf_counter() - started)

    def neem_op(self, waarneming: Waarneming) -> bool:
        """Keep one observation and count it; False when it was kept before (a redelivery)."""
        if not self.waarnemingen.voeg_toe([waarneming]):
            return False
        self.feiten.neem(*waarneming.rij)
        self.versie += 1
        return True
