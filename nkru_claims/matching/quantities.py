"""Quantities in claims ("约6700个集装箱", "over 10,000 troops") as comparable values.

The public face of the figure reader (``figures``), for the services, the exchange
formats and the CLI: ``find_quantities`` for running text, ``parse_quantity`` for what
a user types after ``--quantity``, ``parse_number`` and ``canonical_unit`` for CSV
columns. How each form is read, and why, is in ``figures`` and ``units``.

How a figure is held (``Quantity``): bounds (``None`` = open), a canonical unit and an
"approximate" flag. "over 28,000" is ``low=28000, high=None``; "about 6,700" is
``6700..6700, approximate``; a vague count (数十, 수백만, "millions of") is the
magnitude to ten times it, approximate: 数百万 = 1,000,000..10,000,000. 上万 ("on the
order of ten thousand") is at least 10,000 and not approximate.
"""

from __future__ import annotations

import re

from nkru_claims.errors import InvalidInput
from nkru_claims.matching.normalise import NUMBER, matching_view, number_value
from nkru_claims.matching.quantity import Quantity

__all__ = [
    "UNIT_WORDS", "Quantity", "canonical_unit", "find_quantities", "parse_number",
    "parse_quantity",
]  # fmt: skip

#: The unit words that the similarity form (``compare.match_columns``) folds to one word
#: each. Kept to the units earlier versions folded, so that stored match forms stay valid.
UNIT_WORDS: dict[str, list[str]] = {
    "shells": [
        "shell", "shells", "round", "rounds", "artillery shell", "artillery shells",
        "artillery round", "artillery rounds", "炮弹", "砲弹", "弹药", "발", "포탄", "탄약",
    ],
    "containers": ["container", "containers", "货柜", "集装箱", "컨테이너"],
    "soldiers": [
        "soldier", "soldiers", "troop", "troops", "personnel", "servicemen",
        "士兵", "军人", "官兵", "兵", "병력", "군인", "병사",
    ],
    "missiles": [
        "missile", "missiles", "ballistic missile", "ballistic missiles", "飞弹", "导弹", "미사일",
    ],
    "usd": ["usd", "dollar", "dollars", "us dollars", "美元", "美金", "달러"],
}  # fmt: skip


def canonical_unit(word: str) -> str | None:
    """Canonical unit for a unit word, counter or sign (发, 集装箱, 名朝鲜士兵, troops, $);
    None when the word names none."""
    from nkru_claims.matching import units

    key = units.lexicon_key(" ".join(word.split()))
    if key in ("$", "us$"):
        return "usd"
    if key in units.UNIT_NOUNS:
        return key
    if (found := units.unit_lookup().get(key)) is not None:
        return found
    if key in ("枚", "发", "発", "발"):
        return "shells"  # a bare counter of rounds
    counter = units.counter_lookup().get(key)
    if counter is not None and counter != "people":
        return counter
    if len(key) <= 12:  # a short phrase: its last unit noun is its head (名朝鲜士兵)
        nouns = list(re.finditer(units.unit_pattern(), key))
        if nouns:
            return units.unit_lookup().get(" ".join(nouns[-1].group().split()))
    return None


def parse_number(text: str) -> float:
    """One number in any written form (6,700 / 六千七百 / 1.5k / 五百萬); nothing else."""
    view = matching_view(text)[0].strip()
    if re.match(r"[-−负]", view):
        raise InvalidInput(f"number cannot be negative: {text!r}")
    value = number_value(view) if re.fullmatch(NUMBER, view, re.I) else None
    if value is None:
        from nkru_claims.matching.figures import read_bare_number

        bare = read_bare_number(text)
        if bare is None or bare.value is None:
            raise InvalidInput(f"not a number: {text!r}")
        return bare.value
    return float(value)


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in running text, in order; bare numbers, dates, calibres, clause
    numbers and model names are not figures (``figures.read_figures`` says why)."""
    from nkru_claims.matching.figures import read_figures

    return read_figures(text).figures


def parse_quantity(text: str) -> Quantity:
    """The quantity in user input such as "5 million shells" or "约6700个集装箱"; a bare
    number ("6,700", "about 12k") is allowed and has no unit."""
    from nkru_claims.matching.figures import read_bare_number, read_figures

    if not text.strip():
        raise InvalidInput("quantity is empty (expected something like '5 million shells')")
    if re.match(r"\s*[-−负]", text):
        raise InvalidInput(f"quantity cannot be negative: {text!r}")
    reading = read_figures(text)
    if reading.main is not None:
        return reading.main
    bare = read_bare_number(text)
    if bare is not None:
        return bare
    why = f" ({'; '.join(reading.skipped)})" if reading.skipped else ""
    raise InvalidInput(
        f"no quantity in {text!r}{why} (expected something like '5 million shells')"
    )
