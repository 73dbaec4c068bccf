"""What a small edit changed, when two texts in one language differ by a few words.

The hardest pairs are near copies: "Putin has not ruled out…" against "Putin has ruled
out…", 北韓 against 伊朗 in the same sentence, or two names swapped ("Ukraine used … against
Russia" / "Russia used … against Ukraine"). Their similarity is near 100 and their
sentence vectors almost equal, so only the edit itself tells them apart. Here the two
texts' matching forms (scripts, widths and numbers folded) are aligned word by word
(a Han, kana or Hangul character counts as a word in CJK) and each change is read:

- a negation inserted, removed or replaced (not, never, 未, 没有, 않, ない…);
- a number replaced by another;
- a name replaced by another (a party the gazetteer knows, or a capitalised word);
- two stretches swapped with each other (who does what to whom reversed).

Only near copies are read this way (``NEAR``): a free rewording changes many words, and
its alignment says nothing reliable.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

NEAR = 0.8  # share of aligned words from which a pair counts as a near copy

_TOKEN = re.compile(
    r"[a-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?|[\u4e00-\u9fff]|[\u3040-\u30ff]|[\uac00-\ud7a3]+"
)
_NEGATION_WORDS = {
    "not", "no", "never", "neither", "nor", "denied", "denies", "deny", "false", "n't",
    "didn't", "doesn't", "don't", "hasn't", "haven't", "won't", "isn't", "aren't", "wasn't",
    "weren't", "cannot", "without",
    "不", "未", "没", "無", "无", "非", "否", "别", "勿",
    "な", "ず", "ぬ",
}  # fmt: skip
_NEGATION_HANGUL = re.compile(r"않|없|못|아니|안$|부인|부정")
#: Words that look negative but are not, in the positions reporting uses them.
_NOT_NEGATION = re.compile(
    r"\bnot\s+only\b|\bnot\s+just\b|\bno\s+longer\b|不仅|不只|不但|非但|뿐\s*(?:만\s*)?아니라|だけでなく"
)
_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million",
    "billion", "dozen", "dozens", "hundreds", "thousands", "millions",
    "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "万", "亿",
    "数", "几", "多", "余",
}  # fmt: skip


def _tokens(form: str) -> list[str]:
    return _TOKEN.findall(_NOT_NEGATION.sub(" ", form))


def _is_negation(token: str) -> bool:
    return token in _NEGATION_WORDS or bool(_NEGATION_HANGUL.search(token))


def _is_number(token: str) -> bool:
    return token[0].isdigit() or token in _NUMBER_WORDS


def reordered(a: str, b: str) -> bool:
    """The same words in another order (PAWS-style swaps: "A beat B" / "B beat A"): with
    names the reader does not know, only a person can tell a swap from a reordering."""
    from nkru_claims.matching.compare import matching_form

    ta, tb = _tokens(matching_form(a)), _tokens(matching_form(b))
    return len(ta) >= 4 and ta != tb and sorted(ta) == sorted(tb)


def near_copy(a: str, b: str) -> bool:
    """Do two same-language texts differ by a small edit only?"""
    from nkru_claims.matching.compare import matching_form

    ta, tb = _tokens(matching_form(a)), _tokens(matching_form(b))
    if not ta or not tb:
        return False
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    aligned = sum(block.size for block in matcher.get_matching_blocks())
    return 2 * aligned / (len(ta) + len(tb)) >= NEAR


def edit_conflicts(a: str, b: str, names: dict[str, str] | None = None) -> list[str]:
    """Conflicts that a small edit between two same-language texts introduces.

    ``names`` maps party names, folded as ``matching_form`` folds them, to the party
    they name: replacing one party's name by another's (or by a name the ledger does not
    know) is a change of party; replacing it by another name of the same party is not."""
    from nkru_claims.matching.compare import matching_form

    form_a, form_b = matching_form(a), matching_form(b)
    ta, tb = _tokens(form_a), _tokens(form_b)
    if not ta or not tb:
        return []
    matcher = SequenceMatcher(None, ta, tb, autojunk=False)
    aligned = sum(block.size for block in matcher.get_matching_blocks())
    if 2 * aligned / (len(ta) + len(tb)) < NEAR:
        return []
    reasons: list[str] = []
    replaced: list[tuple[list[str], list[str]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        old, new = ta[i1:i2], tb[j1:j2]
        if any(_is_negation(t) for t in old) != any(_is_negation(t) for t in new):
            reasons.append("one negates what the other states: "
                           f"'{' '.join(old) or '—'}' / '{' '.join(new) or '—'}'")
        if op == "replace":
            replaced.append((old, new))
            if any(_is_number(t) for t in old) and any(_is_number(t) for t in new):
                reasons.append(f"figures differ: '{' '.join(old)}' / '{' '.join(new)}'")
            elif _names_differ(old, new, names or {}, a, b):
                reasons.append(f"names differ: '{' '.join(old)}' / '{' '.join(new)}'")
            for x, y in zip(old, new, strict=False):
                if _negated_form(x, y) or _negated_form(y, x):
                    reasons.append(f"one negates what the other states: '{x}' / '{y}'")
    moved_a = [t for op, i1, i2, _, _ in matcher.get_opcodes() if op != "equal" for t in ta[i1:i2]]
    moved_b = [t for op, _, _, j1, j2 in matcher.get_opcodes() if op != "equal" for t in tb[j1:j2]]
    if moved_a and sorted(moved_a) == sorted(moved_b) and moved_a != moved_b:
        names = [t for t in dict.fromkeys(moved_a) if _party_of([t], names or {})
                 or _capitalised([t], a)]
        if len(names) >= 2:  # the same words in another order: who does what is swapped
            reasons.append(f"swapped: {' / '.join(names)} trade places")
    return list(dict.fromkeys(reasons))


_NEGATING_PREFIXES = (
    "un", "in", "non", "dis", "im", "ir", "il", "无", "無", "非", "不", "未", "무", "비", "불",
)


def _negated_form(word: str, other: str) -> bool:
    """"unconditional" against "conditional", 无条件 against 有条件: a negating prefix."""
    return len(other) >= 2 and any(
        word in (prefix + other, prefix + "-" + other) for prefix in _NEGATING_PREFIXES)


def _joined(tokens: list[str]) -> str:
    return "".join(tokens) if tokens and not tokens[0].isascii() else " ".join(tokens)


def _party_of(tokens: list[str], names: dict[str, str]) -> str | None:
    """The party a changed stretch names in full (a name, or a short form such as 朝 in
    朝制 or "North Korean"); None when it names none."""
    joined = _joined(tokens)
    for name, key in names.items():
        if name and name in joined:
            return key
    from nkru_claims.matching.facts import _short_forms

    for pattern, key in _short_forms():
        if pattern.search(joined):
            return key
    return None


_NOT_A_NAME = re.compile(r"[的之了在是有和与及或被将把其该此件个名些都也就已并从对向为于与]|\d")


def _name_like(tokens: list[str]) -> bool:
    """Could this changed CJK stretch be a name (伊朗, 卢卡申科), not a function word?"""
    joined = "".join(tokens)
    return 2 <= len(joined) <= 6 and not _NOT_A_NAME.search(joined)


def _capitalised(tokens: list[str], original: str) -> bool:
    return any(t.isascii() and t.isalpha() and len(t) > 1
               and re.search(rf"\b{re.escape(t.capitalize())}", original) for t in tokens)


def _names_differ(old: list[str], new: list[str], names: dict[str, str], a: str, b: str) -> bool:
    """A name replaced by another: two parties, or a party and a word that is no name of
    it (北韓 → 伊朗, Kim → Lukashenko)."""
    party_old, party_new = _party_of(old, names), _party_of(new, names)
    if party_old and party_new:
        return party_old != party_new
    if party_old or party_new:
        other = new if party_old else old
        if not other:
            return False
        if other[0].isascii():
            return _capitalised(other, b if party_old else a)
        return _name_like(other)
    return _capitalised(old, a) and _capitalised(new, b)
