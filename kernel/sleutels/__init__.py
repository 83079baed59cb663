"""Crypto-shredding: personal data encrypted per dossier, erasable by destroying its key."""

from kernel.sleutels.kluis import Sleutelkluis, SleutelVernietigd
from kernel.sleutels.opslag import VercijferdeStore
from kernel.sleutels.velden import Veldsleutels

__all__ = ["SleutelVernietigd", "Sleutelkluis", "Veldsleutels", "VercijferdeStore"]
