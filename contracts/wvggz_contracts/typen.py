"""Field types every procedure's contracts share: staff pseudonyms, free text, names, judgements,
and the bounds on the dates a person or a melding can have."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Final

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

from wvggz_contracts.personal import Persoonsgegeven
from wvggz_contracts.rechtstijd import lokale_datum

OPGESLAGEN: Final = "opgeslagen"
"""Validation context key: the data is a stored fact (an event read back), not new input.

Input rules tighten over time; a fact the platform accepted and recorded earlier is not judged
again by today's rules when it is read, or a stored case could no longer be folded."""


def opgeslagen(info: ValidationInfo | None) -> bool:
    """Whether this validation reads back a stored fact (see OPGESLAGEN)."""
    return (
        info is not None and isinstance(info.context, dict) and bool(info.context.get(OPGESLAGEN))
    )


PSEUDONIEM_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"

Pseudoniem = Annotated[str, Field(pattern=PSEUDONIEM_PATTERN)]
"""A pseudonymous staff id, as in `Actor.id`; never a name."""


# Text: what a person typed, normalised to NFC and without characters that hide or reorder it

BIDI_STUURTEKENS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""The Unicode bidi controls (UAX #9 §2: ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI,
PDI): they reorder how a text is shown, so a name or a statement could read otherwise than it is
stored (CVE-2021-42574, "Trojan Source")."""

ONZICHTBARE_TEKENS: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")
"""Zero-width space, non-joiner, joiner, word joiner and byte order mark: invisible, so two names
that look the same would be stored (and matched for samenhang) as different ones."""

REGELEINDEN: Final = frozenset("\n\u2028\u2029")
"""Line and paragraph breaks: allowed in a long text, never in a name or other one-line field."""


def _weiger(teken: str, wat: str) -> PydanticCustomError:
    return PydanticCustomError(
        "teken_niet_toegestaan",
        "{wat} bevat het teken {code} ({soort}); dit teken is niet toegestaan",
        {"wat": wat, "code": f"U+{ord(teken):04X}", "soort": _soort(teken)},
    )


def _soort(teken: str) -> str:
    if teken in BIDI_STUURTEKENS:
        return "een richtingsteken, dat de volgorde verandert waarin de tekst getoond wordt"
    if teken in ONZICHTBARE_TEKENS:
        return "een onzichtbaar teken"
    if teken in REGELEINDEN or teken in "\t\r":
        return "een regeleinde of tab, niet toegestaan in een veld van één regel"
    return "een stuurteken"


def _schoon(value: str, *, regels: bool) -> str:
    """The text in NFC, or an error naming the first character that may not be in it.

    A long text (`regels`) may hold tabs and line breaks; a Windows or old-Mac line break (CR LF,
    CR) becomes LF, as browsers send a textarea's breaks as CR LF.
    """
    text = unicodedata.normalize("NFC", value)
    if regels:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    wat = "de tekst" if regels else "dit veld"
    for teken in text:
        if regels and teken in "\t\n\u2028\u2029":
            continue
        if (
            teken in BIDI_STUURTEKENS
            or teken in ONZICHTBARE_TEKENS
            or teken in REGELEINDEN
            or unicodedata.category(teken) == "Cc"
        ):
            raise _weiger(teken, wat)
    return text


def schone_tekst(value: str, info: ValidationInfo) -> str:
    """A long text in NFC, with no control characters but tab and line breaks, no bidi controls
    and no zero-width characters; raises a validation error naming the first that is there."""
    return value if opgeslagen(info) else _schoon(value, regels=True)


def schone_regel(value: str, info: ValidationInfo) -> str:
    """A one-line text in NFC: as `schone_tekst`, and no tab or line break either."""
    return value if opgeslagen(info) else _schoon(value, regels=False)


def _niet_leeg(value: str, info: ValidationInfo) -> str:
    if not value and not opgeslagen(info):
        raise PydanticCustomError("string_too_short", "de tekst mag niet leeg zijn")
    return value


Tekst = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=10_000),
    AfterValidator(_niet_leeg),
    AfterValidator(schone_tekst),
]
"""Free text that may not be blank: NFC, lines and tabs allowed, no control, bidi or zero-width
characters."""

BijzondereTekst = Annotated[Tekst, Persoonsgegeven("bijzonder")]
"""Free text about the betrokkene: special-category personal data (health)."""

Regel = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=10_000),
    AfterValidator(_niet_leeg),
    AfterValidator(schone_regel),
]
"""One line of text that may not be blank (an address, a phone number, a key): as `Tekst`, without
tabs or line breaks. Narrow its length where used: `Annotated[Regel, Field(max_length=40)]`."""

Naam = Annotated[Regel, Field(max_length=200), Persoonsgegeven()]
"""A person's name as one line: NFC (so the same name always matches for samenhang), not blank,
no control, bidi or zero-width characters."""

Oordeel = Annotated[bool, Persoonsgegeven("bijzonder")]
"""A judgement about the betrokkene's mental health: special-category personal data."""


# Dates

EERSTE_GEBOORTEDATUM: Final = date(1900, 1, 1)
"""The earliest birth date accepted. No law sets one: someone born before 1900 would be over 120
now, older than anyone verified ever lived (122 years), so an earlier date is a typing error."""

WVGGZ_INWERKINGTREDING: Final = date(2020, 1, 1)
"""The Wvggz took effect on 1 January 2020 (Kamerstukken II 2019/20, 32 399, nr. 91); nothing
done under it, such as receiving a melding, happened before that Amsterdam date."""


def _geboren_na_1900(value: date, info: ValidationInfo) -> date:
    if value < EERSTE_GEBOORTEDATUM and not opgeslagen(info):
        raise PydanticCustomError(
            "datum_te_vroeg",
            "een geboortedatum vóór {grens} is niet aannemelijk",
            {"grens": EERSTE_GEBOORTEDATUM.isoformat()},
        )
    return value


def _onder_de_wvggz(value: AwareDatetime, info: ValidationInfo) -> AwareDatetime:
    if lokale_datum(value) < WVGGZ_INWERKINGTREDING and not opgeslagen(info):
        raise PydanticCustomError(
            "datum_te_vroeg",
            "dit moment ligt vóór {grens}, toen de Wvggz in werking trad",
            {"grens": WVGGZ_INWERKINGTREDING.isoformat()},
        )
    return value


Geboortedatum = Annotated[date, AfterValidator(_geboren_na_1900)]
"""A birth date from 1900 on; that it is not in the future the service checks against its clock."""

WvggzMoment = Annotated[AwareDatetime, AfterValidator(_onder_de_wvggz)]
"""A moment of a Wvggz procedure: on or after 1 January 2020, Amsterdam time."""
