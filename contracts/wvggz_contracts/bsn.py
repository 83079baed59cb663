"""The burgerservicenummer (BSN) type, validated with the elfproef; and the check that a policy
text holds none."""

from __future__ import annotations

import re
import unicodedata
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
    if not is_bsn(digits):
        raise ValueError("dit BSN voldoet niet aan de elfproef")
    return digits


Bsn = Annotated[str, AfterValidator(elfproef), Persoonsgegeven("bsn")]
"""A valid BSN of the ASCII digits 0-9; marked personal data of kind `bsn` (never in subjects, logs
or metrics)."""


_NUMMER = re.compile(r"(?<![0-9])[0-9](?:[ .\-\u00a0\u202f]?[0-9]){7,8}(?![0-9])")
"""A run of 8 or 9 digits, perhaps grouped by spaces, dots or hyphens as people write a BSN."""


def is_bsn(digits: str) -> bool:
    """Whether 8 or 9 ASCII digits pass the elfproef (8 with a leading zero added)."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not set(digits) <= ASCII_CIJFERS or digits == "0" * 9:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def bevat_bsn(text: str) -> bool:
    """Whether a text holds a number that could be someone's BSN (it passes the elfproef).

    Other Unicode digits (full-width, Arabic-Indic, …) count as the ASCII digit they stand for,
    so a number cannot slip through written in them.
    """
    ascii_text = "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
    )
    return any(
        is_bsn(re.sub(r"[^0-9]", "", found.group())) for found in _NUMMER.finditer(ascii_text)
    )


def zonder_bsn(value: str, info: ValidationInfo) -> str:
    """A text where no personal data belongs (a policy meeting, a pseudonymised escalation):
    refused when it holds a BSN-valid number, without repeating the number."""
    if value and not opgeslagen(info) and bevat_bsn(value):
        raise PydanticCustomError(
            "bsn_in_tekst",
            "de tekst bevat een nummer dat aan de elfproef voldoet en dus een BSN kan zijn; hier"
            " horen geen gegevens over één persoon (geen individuele casussen): laat het nummer"
            " weg",
        )
    return value
