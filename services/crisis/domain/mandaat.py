"""Whether a mandate (hoorder's party or loco-burgemeester) covers a moment; refusals if not.

The mandates come from the gemeente's mandate register, which the crisis rules cannot read: the
service looks them up for a command (`HOORMANDAAT`, `LOCO_REGISTRATIE`) and no client can
supply them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from wvggz_contracts.commands import ErrorCode
from wvggz_contracts.crisis import HoorderRegistratie, MandaatBewijs
from wvggz_contracts.rechtstijd import TIJDZONE

from kernel.decider import DomainError, Lookup

Grens = datetime | date


@dataclass(frozen=True, slots=True)
class Hoorbevoegdheid:
    """What the register says about the acting user as a hoorder: the party they are registered
    for, and that party's mandate to hear (None when the party has none)."""

    registratie: HoorderRegistratie
    mandaat: MandaatBewijs | None


HOORMANDAAT: Lookup[Hoorbevoegdheid | None] = Lookup("hoormandaat")
"""The acting user's registration as a hoorder and their party's mandate to hear, in the register
of the user's gemeente; None when the user is registered for no party."""

LOCO_REGISTRATIE: Lookup[MandaatBewijs | None] = Lookup("loco-registratie")
"""The acting loco-burgemeester's registration in the register of their gemeente; None for the
burgemeester, or when the loco is not registered."""


def begin(grens: Grens) -> datetime:
    """The first moment a bound covers: a date from 00:00 in Amsterdam."""
    if isinstance(grens, datetime):
        return grens
    return datetime.combine(grens, time(), TIJDZONE)


def einde(grens: Grens) -> datetime:
    """The first moment after a bound: a date includes its whole Amsterdam day."""
    if isinstance(grens, datetime):
        return grens
    return datetime.combine(grens + timedelta(days=1), time(), TIJDZONE)


def periode_klopt(van: Grens, tot: Grens | None) -> bool:
    """Whether a validity period is not empty."""
    return tot is None or einde(tot) > begin(van)


def geldig_op(bewijs: MandaatBewijs | HoorderRegistratie, moment: datetime) -> bool:
    """Whether the mandate (or a hoorder's registration) covers this moment."""
    if moment < begin(bewijs.geldig_van):
        return False
    return bewijs.geldig_tot is None or moment < einde(bewijs.geldig_tot)


def zelfde_partij(een: str, ander: str) -> bool:
    """Party names compared without case or surrounding spaces ("Vcare" = "VCare ")."""
    return een.strip().casefold() == ander.strip().casefold()


def eis_mandaat(
    bewijs: MandaatBewijs | None,
    partij: str,
    momenten: dict[str, datetime],
    veld: str | None,
    wat: str,
) -> MandaatBewijs:
    """The mandate, or FORBIDDEN (naming `veld`, the field that named the party, if any) when
    absent, for another party or not valid."""
    if bewijs is None:
        raise DomainError(
            ErrorCode.FORBIDDEN, f"{partij} staat niet in het mandaatregister om {wat}", veld
        )
    if not zelfde_partij(bewijs.partij, partij):
        raise DomainError(
            ErrorCode.FORBIDDEN, f"het mandaat is van {bewijs.partij}, niet van {partij}", veld
        )
    for naam, moment in momenten.items():
        if not geldig_op(bewijs, moment):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                f"het mandaat van {partij} om {wat} is niet geldig op {naam} "
                f"({moment.astimezone(TIJDZONE).isoformat()})",
                veld,
            )
    return bewijs


def eis_hoorbevoegdheid(
    bevoegdheid: Hoorbevoegdheid | None, hoorder: str, momenten: dict[str, datetime]
) -> tuple[HoorderRegistratie, MandaatBewijs]:
    """The user's registration and their party's mandate, or FORBIDDEN when the user is
    registered for no party, or either is not valid at one of the moments. No field of the
    command named the party: the refusal names none."""
    if bevoegdheid is None or bevoegdheid.registratie.hoorder != hoorder:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            f"{hoorder} staat niet in het mandaatregister als hoorder van een gemandateerde partij",
        )
    registratie = bevoegdheid.registratie
    for naam, moment in momenten.items():
        if not geldig_op(registratie, moment):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                f"de registratie van {hoorder} als hoorder voor {registratie.partij} is niet "
                f"geldig op {naam} ({moment.astimezone(TIJDZONE).isoformat()})",
            )
    mandaat = eis_mandaat(bevoegdheid.mandaat, registratie.partij, momenten, None, "te horen")
    return registratie, mandaat
