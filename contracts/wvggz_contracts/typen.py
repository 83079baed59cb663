"""Field types every procedure's contracts share: staff pseudonyms, free text, judgements."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from wvggz_contracts.personal import Persoonsgegeven

PSEUDONIEM_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"

Pseudoniem = Annotated[str, Field(pattern=PSEUDONIEM_PATTERN)]
"""A pseudonymous staff id, as in `Actor.id`; never a name."""

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
"""Free text that may not be blank."""

BijzondereTekst = Annotated[Tekst, Persoonsgegeven("bijzonder")]
"""Free text about the betrokkene: special-category personal data (health)."""

Oordeel = Annotated[bool, Persoonsgegeven("bijzonder")]
"""A judgement about the betrokkene's mental health: special-category personal data."""
