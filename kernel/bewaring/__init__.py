"""Retention and erasure of a service's dossiers: proposed, approved, destroyed, recorded."""

from kernel.bewaring.archief import Archief, Dossier
from kernel.bewaring.regels import VERNIETIGING, bewaring_rulebook

__all__ = ["VERNIETIGING", "Archief", "Dossier", "bewaring_rulebook"]
