"""The value of a quantity as claimed, and how to say it.

Kept apart from the parser in ``quantities`` so that showing a stored quantity does not
compile the parser's patterns: listing claims stays fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

_VAGUE_WORDS = {
    10.0: "dozens", 100.0: "hundreds", 1000.0: "thousands", 1e4: "tens of thousands",
    1e5: "hundreds of thousands", 1e6: "millions", 1e7: "tens of millions",
}
_SINGULAR = {unit: unit[:-1] for unit in ("shells", "containers", "soldiers", "missiles")}


@dataclass(frozen=True)
class Quantity:
    """An amount as claimed: bounds (``None`` = open), canonical unit, and how firm it is."""

    low: float | None
    high: float | None
    unit: str | None
    approximate: bool
    text: str

    @property
    def value(self) -> float | None:
        """The single value of a point quantity; ranges and bounds have none."""
        return self.low if self.low is not None and self.low == self.high else None

    def agrees_with(self, other: Quantity) -> bool:
        """Same claim in different words: wording and "about" do not matter, bounds do."""

        def close(a: float | None, b: float | None) -> bool:
            if a is None or b is None:
                return a is b
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)

        same_bounds = close(self.low, other.low) and close(self.high, other.high)
        return self.unit == other.unit and same_bounds

    def describe(self) -> str:
        """Human text that ``parse_quantity`` reads back to an agreeing quantity."""
        usd = self.unit == "usd"

        def num(x: float) -> str:
            return ("$" if usd else "") + format_amount(x)

        noun = "" if usd or self.unit is None else " " + self.unit
        about = "about " if self.approximate else ""
        tilde = "~" if self.approximate else ""
        if self.value is not None:
            if self.value == 1 and self.unit in _SINGULAR:
                noun = " " + _SINGULAR[self.unit]
            return f"{about}{num(self.value)}{noun}"
        if self.low is not None and self.high is not None:
            tenfold = self.approximate and self.high == 10 * self.low
            vague = _VAGUE_WORDS.get(self.low) if tenfold else None
            if vague and not usd and self.unit is not None:
                return f"{vague} of {self.unit}"  # 数十, 수백만, "millions of": a vague count
            return f"{about}{num(self.low)}–{format_amount(self.high)}{noun}"
        if self.low is not None:
            return f"over {tilde}{num(self.low)}{noun}"
        if self.high is not None:
            return f"up to {tilde}{num(self.high)}{noun}"
        return f"an unknown number of {self.unit or 'items'}"


def format_amount(x: float) -> str:
    """1,500 / 6,700 / 0.5: thousands separated, no needless decimals."""
    d = Decimal(repr(x))
    return f"{int(d):,}" if d == d.to_integral_value() else f"{d:,f}"
