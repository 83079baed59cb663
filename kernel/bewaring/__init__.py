"""Retention and erasure of a service's dossiers: proposed, approved, destroyed, recorded."""

from kernel.bewaring.archief import Archief, Bijlage, Dossier
from kernel.bewaring.regels import VERNIETIGING, bewaring_rulebook

__all__ = ["VERNIETIGING", "Archief", "Bijlage", "Dossier", "bewaring_rulebook"]
