"""Gemeente codes (CBS `GMxxxx`) and the default region of the platform."""

from typing import Annotated

from pydantic import StringConstraints

GemeenteCode = Annotated[str, StringConstraints(pattern=r"^GM\d{4}$")]
"""A CBS gemeente code, e.g. GM0402 (Hilversum); the tenant key of every case."""

GOOI_EN_VECHTSTREEK: tuple[str, ...] = (
    "GM0376",  # Blaricum
    "GM0317",  # Eemnes
    "GM1942",  # Gooise Meren
    "GM0402",  # Hilversum
    "GM0406",  # Huizen
    "GM0417",  # Laren
    "GM0457",  # Weesp
    "GM1696",  # Wijdemeren
)
"""The veiligheidsregio of seed 001; the platform default, overridable by settings."""
