"""When to try a failed delivery again, and when to give up: pure arithmetic, no clocks or I/O."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

_MAX_EXPONENT = 60
"""2**60 times any sensible basis exceeds every sensible maximum; beyond it the cap applies."""


def wachttijd(
    poging: int, rng: random.Random, *, basis_s: float = 1.0, maximum_s: float = 3600.0
) -> float:
    """Seconds to wait after failed attempt number `poging` (1 = the first attempt failed).

    Exponential back-off with full jitter: a uniform draw from [0, basis_s * 2**(poging - 1)],
    the bound capped at `maximum_s`. Attempt 1 waits up to `basis_s`, attempt 2 up to twice
    that, and so on. The jitter spreads the retries of many deliveries that failed together
    (a partner that was down) so they do not return as one burst when it comes back.
    A receiver's own Retry-After (`Poging.opnieuw_na`) takes precedence over this.
    """
    if poging < 1:
        raise ValueError(f"poging counts from 1, not {poging}")
    if basis_s <= 0 or maximum_s <= 0:
        raise ValueError("basis_s and maximum_s must be positive")
    bound = min(maximum_s, math.ldexp(basis_s, min(poging - 1, _MAX_EXPONENT)))
    return rng.uniform(0.0, bound)


def opgeven(eerste_poging: datetime, nu: datetime, horizon: timedelta) -> bool:
    """Whether to stop trying: `horizon` has passed since the first attempt.

    The horizon, not a count of attempts, ends a delivery, so a receiver that is down or
    misconfigured for a while still gets its notifications once it is back within it.
    """
    return nu - eerste_poging >= horizon
