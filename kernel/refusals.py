"""Requests refused before any rule runs: too large to read, or not valid (told in Dutch)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from wvggz_contracts.commands import CommandReply, ErrorCode, ErrorInfo

MAX_REQUEST_BYTES = 256 * 1024
"""The largest command or query body a service reads; a melding with a long situatie and a full
questionnaire is a few KiB."""


def too_large(body: bytes | str | Mapping[str, Any]) -> ErrorInfo | None:
    """A typed refusal for a request body over MAX_REQUEST_BYTES, before anything parses it."""
    if isinstance(body, Mapping) or len(body) <= MAX_REQUEST_BYTES:
        return None
    return ErrorInfo(
        code=ErrorCode.VALIDATION_FAILED,
        message=f"het verzoek is groter dan {MAX_REQUEST_BYTES // 1024} KiB",
    )


_IN_DUTCH = {
    "missing": "dit veld is verplicht",
    "extra_forbidden": "dit veld hoort niet in het verzoek",
    "string_too_short": "vul dit in",
    "string_too_long": "de tekst is te lang",
    "string_pattern_mismatch": "de vorm klopt niet",
    "enum": "kies een van de mogelijkheden",
    "literal_error": "kies een van de mogelijkheden",
    "uuid_parsing": "geen geldig id",
    "uuid_type": "geen geldig id",
    "date_from_datetime_parsing": "geen geldige datum",
    "date_parsing": "geen geldige datum",
    "datetime_from_date_parsing": "geen geldig moment",
    "datetime_parsing": "geen geldig moment",
    "timezone_aware": "geef het moment met tijdzone",
    "bool_parsing": "kies ja of nee",
    "int_parsing": "vul een geheel getal in",
    "decimal_parsing": "vul een getal in",
    "float_parsing": "vul een getal in",
    "greater_than_equal": "de waarde is te klein",
    "less_than_equal": "de waarde is te groot",
    "too_short": "te weinig waarden",
    "too_long": "te veel waarden",
    "json_invalid": "geen geldige JSON",
    "model_type": "hier hoort een object",
    "dict_type": "hier hoort een object",
    "list_type": "hier hoort een lijst",
    "string_type": "hier hoort tekst",
}
"""Pydantic's own messages in Dutch, by error type (the contracts' own are Dutch already)."""


def validation_reply(error: ValidationError) -> CommandReply:
    """A reply naming the first invalid field, e.g. `payload.betrokkene.bsn`, in Dutch."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    # A contract's own check says why in Dutch; pydantic puts "Value error, " before it.
    why = _IN_DUTCH.get(first["type"], first["msg"].removeprefix("Value error, "))
    message = f"{field}: {why}" if field else why
    return CommandReply(
        ok=False,
        error=ErrorInfo(code=ErrorCode.VALIDATION_FAILED, message=message, field=field),
    )
