"""Input that must be refused or normalised: BSN digits, hidden characters, blanks, old dates.

Each row of the table is one bad input at one field path of `RegistreerMelding`, with a good
neighbour at the same path that passes.
"""

from __future__ import annotations

import unicodedata
import uuid
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from wvggz_contracts.bsn import Bsn
from wvggz_contracts.crisis.common import BijzondereLijst
from wvggz_contracts.meldpunt import EVENTS as MELDPUNT_EVENTS
from wvggz_contracts.meldpunt import MeldingOntvangen, RegistreerMelding
from wvggz_contracts.personen import Betrokkene
from wvggz_contracts.typen import BijzondereTekst, Naam, Regel, Tekst

from kernel.refusals import validation_reply
from services.meldpunt.projections import sleutels

GELDIG: dict[str, Any] = {
    "gemeente": "GM0402",
    "ontvangen_op": "2026-05-04T09:30:00+02:00",
    "kanaal": "telefoon",
    "melder": {
        "naam": "Anna de Vries",
        "telefoon": "06-12345678",
        "email": "anna@example.nl",
        "adres": "Kerkstraat 1, 1211 AA Hilversum",
        "relatie": "buur",
    },
    "betrokkene": {
        "naam": "Jan Jansen",
        "geboortedatum": "1980-02-29",
        "bsn": "111222333",
        "verblijfplaats": "Hilversum",
    },
    "situatie": "Roept 's nachts op straat.\nBuren zijn bang.",
    "vragenlijst": {"gevaar": "ja"},
}

FULL_WIDTH = "１１１２２２３３３"
ARABISCH_INDISCH = "١١١٢٢٢٣٣٣"
PERZISCH = "۱۱۱۲۲۲۳۳۳"


def met(pad: tuple[str, ...], waarde: object) -> dict[str, Any]:
    """The valid payload with `waarde` at `pad`."""
    data = deepcopy(GELDIG)
    plek = data
    for deel in pad[:-1]:
        plek = plek[deel]
    plek[pad[-1]] = waarde
    return data


def fout(data: dict[str, Any]) -> tuple[tuple[int | str, ...], str, str]:
    """The location, type and message of the one error validating `data` gives."""
    with pytest.raises(ValidationError) as info:
        RegistreerMelding.model_validate(data)
    [error] = info.value.errors()
    return tuple(error["loc"]), error["type"], error["msg"]


# (field path, bad value, error type, good neighbour)
ONGELDIG: list[tuple[tuple[str, ...], object, str, object]] = [
    # BSN: only the ASCII digits 0-9
    (("betrokkene", "bsn"), FULL_WIDTH, "bsn_cijfers", "111222333"),
    (("betrokkene", "bsn"), ARABISCH_INDISCH, "bsn_cijfers", "111222333"),
    (("betrokkene", "bsn"), PERZISCH, "bsn_cijfers", "111222333"),
    (("betrokkene", "bsn"), "11122233３", "bsn_cijfers", " 111222333 "),
    (("betrokkene", "bsn"), "¹¹¹²²²³³³", "bsn_cijfers", "111222333"),
    (("betrokkene", "bsn"), "1112223334", "value_error", "12345672"),
    # names: one line, no control, bidi or zero-width characters, not blank
    (("betrokkene", "naam"), "Jan\x00Jansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "\u202enesnaJ naJ", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Jan\u202aJansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Jan\u2067Jansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Jan\u200fJansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Ja\u200bn Jansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Ja\u200cn Jansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Ja\u200dn Jansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Ja\u2060n Jansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "\ufeffJan Jansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Jan\nJansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "Jan\tJansen", "teken_niet_toegestaan", "Jan Jansen"),
    (("betrokkene", "naam"), "   ", "string_too_short", " Jan "),
    (("betrokkene", "naam"), "\u3000\u00a0", "string_too_short", "Jan"),
    (("melder", "naam"), "Anna\x1b[31m", "teken_niet_toegestaan", "Anna"),
    (("melder", "naam"), "", "string_too_short", "A"),
    # other one-line fields of the melder and betrokkene
    (("melder", "telefoon"), "06\u202e87654321", "teken_niet_toegestaan", "06-87654321"),
    (("melder", "email"), "anna@example.nl\x00", "teken_niet_toegestaan", None),
    (("melder", "adres"), "  ", "string_too_short", "Kerkstraat 1"),
    (("betrokkene", "verblijfplaats"), "Hilver\u200bsum", "teken_niet_toegestaan", "Hilversum"),
    # long texts: tab and line breaks allowed, other control characters not, not blank
    (("situatie",), "Roept\x00 op straat", "teken_niet_toegestaan", "Roept\top straat"),
    (("situatie",), "Roept\x7f op straat", "teken_niet_toegestaan", "Roept\r\nop straat"),
    (("situatie",), "Roept\x85 op straat", "teken_niet_toegestaan", "Roept\u2028op straat"),
    (("situatie",), "Roept \u202eop straat", "teken_niet_toegestaan", "Roept op straat"),
    (("situatie",), "Roept \u2066op straat", "teken_niet_toegestaan", "Roept op straat"),
    (("situatie",), "Roept\ufeff op straat", "teken_niet_toegestaan", "Roept op straat"),
    (("situatie",), " \n\t \r\n ", "string_too_short", " x "),
    (("vragenlijst",), {"gevaar\u202e": "ja"}, "teken_niet_toegestaan", {"gevaar": "ja"}),
    (("vragenlijst",), {"gevaar": "ja\x00"}, "teken_niet_toegestaan", {"gevaar": "ja\nnee"}),
    # dates: born from 1900, received under the Wvggz (from 1 January 2020, Amsterdam)
    (("betrokkene", "geboortedatum"), "1800-05-01", "datum_te_vroeg", "1900-01-01"),
    (("betrokkene", "geboortedatum"), "1899-12-31", "datum_te_vroeg", None),
    (("ontvangen_op",), "1990-03-01T10:00:00+01:00", "datum_te_vroeg", "2020-01-01T00:00:00+01:00"),
    (("ontvangen_op",), "2019-12-31T22:59:59Z", "datum_te_vroeg", "2019-12-31T23:00:00Z"),
]


def _id(row: tuple[tuple[str, ...], object, str, object]) -> str:
    pad, waarde, _type, _goed = row
    return f"{'.'.join(pad)}={waarde!a}"


@pytest.mark.parametrize(("pad", "slecht", "soort", "goed"), ONGELDIG, ids=map(_id, ONGELDIG))
def test_bad_input_is_refused_at_its_field_and_a_good_neighbour_passes(
    pad: tuple[str, ...], slecht: object, soort: str, goed: object
) -> None:
    loc, error_type, _msg = fout(met(pad, slecht))

    assert error_type == soort
    assert loc[: len(pad)] == pad
    RegistreerMelding.model_validate(met(pad, goed))


@pytest.mark.parametrize(
    ("pad", "slecht", "woorden"),
    [
        (("betrokkene", "bsn"), FULL_WIDTH, ["cijfers 0-9", "volbreed"]),
        (("betrokkene", "naam"), "\u202eJan", ["U+202E", "richtingsteken"]),
        (("betrokkene", "naam"), "Ja\u200bn", ["U+200B", "onzichtbaar"]),
        (("betrokkene", "naam"), "Jan\nJansen", ["U+000A", "één regel"]),
        (("situatie",), "a\x00b", ["U+0000", "stuurteken"]),
        (("betrokkene", "geboortedatum"), "1800-01-01", ["1900-01-01"]),
        (("ontvangen_op",), "1990-01-01T12:00:00Z", ["2020-01-01", "Wvggz"]),
    ],
)
def test_the_reply_names_the_field_and_says_in_dutch_what_is_wrong(
    pad: tuple[str, ...], slecht: object, woorden: list[str]
) -> None:
    with pytest.raises(ValidationError) as info:
        RegistreerMelding.model_validate(met(pad, slecht))
    reply = validation_reply(info.value)

    assert reply.error is not None
    assert reply.error.field == ".".join(pad)
    assert reply.error.message.startswith(f"{'.'.join(pad)}: ")
    assert "Value error" not in reply.error.message
    for woord in woorden:
        assert woord in reply.error.message


@pytest.mark.parametrize("cijfers", [FULL_WIDTH, ARABISCH_INDISCH, PERZISCH])
def test_a_bsn_in_other_digits_cannot_give_another_samenhang_key_than_the_ascii_one(
    cijfers: str,
) -> None:
    # The same number typed otherwise (NFKC maps only the full-width form to ASCII, not the others).
    assert "".join(str(unicodedata.digit(c)) for c in cijfers) == "111222333"
    ascii_bsn = Betrokkene(naam="Jan Jansen", bsn="111222333")
    assert sleutels(ascii_bsn, b"geheim") != [], "an ASCII BSN gives a key"

    with pytest.raises(ValidationError):
        Betrokkene.model_validate({"naam": "Jan Jansen", "bsn": cijfers})
    with pytest.raises(ValidationError):
        TypeAdapter(Bsn).validate_python(cijfers)


def test_a_name_typed_decomposed_gives_the_same_samenhang_key_as_composed() -> None:
    samengesteld = Betrokkene.model_validate({"naam": "José Çelik", "geboortedatum": "1990-01-01"})
    ontleed = Betrokkene.model_validate(
        {"naam": "Jose\u0301 C\u0327elik", "geboortedatum": "1990-01-01"}
    )

    assert ontleed.naam == samengesteld.naam == "José Çelik"
    assert sleutels(ontleed, b"geheim") == sleutels(samengesteld, b"geheim")


@pytest.mark.parametrize(
    ("invoer", "opgeslagen"),
    [
        ("  Jose\u0301  ", "José"),
        ("Ångström", "Ångström"),
    ],
)
def test_names_are_stored_in_nfc_without_surrounding_whitespace(
    invoer: str, opgeslagen: str
) -> None:
    assert TypeAdapter(Naam).validate_python(invoer) == opgeslagen


def test_long_texts_keep_tabs_and_lines_and_store_line_breaks_as_lf() -> None:
    tekst = TypeAdapter(Tekst).validate_python(" eerste\r\ntweede\rderde\tkolom ")

    assert tekst == "eerste\ntweede\nderde\tkolom"


GEDEELDE_TYPEN: list[tuple[TypeAdapter[Any], bool]] = [
    (TypeAdapter(Tekst), False),
    (TypeAdapter(BijzondereTekst), False),
    (TypeAdapter(Naam), False),
    (TypeAdapter(Regel), False),
    (TypeAdapter(BijzondereLijst), True),
]


@pytest.mark.parametrize(
    ("adapter", "lijst"),
    GEDEELDE_TYPEN,
    ids=["Tekst", "BijzondereTekst", "Naam", "Regel", "crisis.BijzondereLijst"],
)
@pytest.mark.parametrize("teken", ["\x00", "\u202e", "\u200b", "\ufeff"])
def test_every_shared_text_type_refuses_hidden_characters(
    adapter: TypeAdapter[Any], lijst: bool, teken: str
) -> None:
    slecht, goed = f"a{teken}b", "ab"

    with pytest.raises(ValidationError) as info:
        adapter.validate_python([slecht] if lijst else slecht)

    assert info.value.errors()[0]["type"] == "teken_niet_toegestaan"
    adapter.validate_python([goed] if lijst else goed)


def test_a_stored_event_is_read_as_it_was_accepted_even_where_todays_input_rules_refuse() -> None:
    """Events recorded before these rules stay readable: the store is the record."""
    ontvangen_op = datetime(2019, 6, 1, 10, 0, tzinfo=UTC)
    stored = {
        "melding_id": str(uuid.uuid4()),
        "gemeente": "GM0402",
        "ontvangen_op": ontvangen_op.isoformat(),
        "kanaal": "telefoon",
        "melder": {"naam": "A. Buur", "telefoon": "", "relatie": "buur"},
        "betrokkene": {
            "naam": "J. Voor\u202ebeeld",
            "geboortedatum": "1800-01-01",
            "bsn": "\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13",
        },
        "situatie": "Zorgen.",
        "vo_termijn_eind": (ontvangen_op + timedelta(days=14)).isoformat(),
    }

    event = MELDPUNT_EVENTS.parse("nl.wvggz.meldpunt.melding-ontvangen.v1", stored)

    assert isinstance(event, MeldingOntvangen)
    assert event.betrokkene.naam == "J. Voor\u202ebeeld", "read back exactly as stored"
    with pytest.raises(ValidationError):
        MeldingOntvangen.model_validate(stored)
