"""The burgerservicenummer (BSN) type, validated with the elfproef."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.typen import opgeslagen

ASCII_CIJFERS = frozenset("0123456789")


def elfproef(value: str, info: ValidationInfo) -> str:
    """Return the BSN when it passes the eleven test; raise a validation error otherwise.

    Only the digits 0-9 count: other Unicode digits (full-width "１", Arabic-Indic "١", …) are
    refused, not converted, so what is stored and matched is exactly what was typed.
    """
    digits = value.strip()
    if opgeslagen(info):
        return value  # a stored fact is not judged again by today's input rules
    if any(d.isdigit() and d not in ASCII_CIJFERS for d in digits):
        raise PydanticCustomError(
            "bsn_cijfers",
            "een BSN bestaat uit de cijfers 0-9; andere cijfertekens (zoals volbreed of"
            " Arabisch-Indisch) worden niet aanvaard",
        )
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not set(digits) <= ASCII_CIJFERS:
        raise ValueError("een BSN heeft 9 cijfers")
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 != 0 or digits == "0" * 9:
        raise ValueError("dit BSN voldoet niet aan de elfproef")
    return digits


Bsn = Annotated[str, AfterValidator(elfproef), Persoonsgegeven("bsn")]
"""A valid BSN of the ASCII digits 0-9; marked personal data of kind `bsn` (never in subjects, logs
or metrics)."""
