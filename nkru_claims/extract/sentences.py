"""Split an article into sentences, in Chinese, Korean, Japanese and English alike.

A claim and its attribution live in one sentence ("…,韩国国家情报院说" / "…, the NIS
said."), so the sentence is the unit a proposal is made of. The rules, and why:

- a line break always ends a sentence: articles put paragraphs on lines, and headlines,
  captions and datelines carry no final stop;
- 。！？ end a sentence anywhere; . ! ? only before a space or the end, and not after an
  abbreviation ("U.S.", "Gen.", "No.") or an initial, so "3.5 million" and "U.S. officials"
  stay whole;
- a stop inside quotation marks does not end the sentence (“这不再仅仅是转移武器。这实际上
  是…。”他说), because the speaker usually follows the quote; closing marks after a stop
  stay with the sentence they close, and a quotative after them (「…。」と述べた) keeps the
  sentence going. A quote that never closes stops holding after
  ``MAX_QUOTED`` characters, so one stray mark cannot swallow a paragraph.

The splitter is pure and keeps offsets: each sentence knows where it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

CJK_STOPS = "。！？!?"
LATIN_STOPS = ".!?"
OPENING = "“「『《‘（("
CLOSING = "”」』》’）)"
TRAILING = CLOSING + "\"'"
MAX_QUOTED = 400
QUOTATIVE = ("と", "라", "고", "っ")  # 「…。」と述べた, "…."라고: the sentence goes on
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen", "rep",
    "gov", "pres", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "est", "fig",
))


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article: its place in the order, its text and where it starts."""

    index: int
    text: str
    start: int


def _ends_latin(text: str, stop: int) -> bool:
    """Does the ``.``/``!``/``?`` at ``stop`` end an English sentence?"""
    after = text[stop + 1 : stop + 3]
    if after and not after[0].isspace() and after[0] not in TRAILING:
        return False  # 3.5, U.S.-led, e.g.,
    if text[stop] != ".":
        return True
    word = re.search(r"([A-Za-z.]+)$", text[:stop])
    token = word.group(1) if word else ""
    if token.lower().rstrip(".") in ABBREVIATIONS:
        return False
    # "U.S." and an initial ("J.") rarely end a sentence and often start a name after it
    return not re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", token)


def _split_line(line: str, offset: int, out: list[tuple[str, int]]) -> None:
    depth, plain_quote, start, quoted_since = 0, False, 0, 0
    i = 0
    while i < len(line):
        char = line[i]
        if char in OPENING:
            depth, quoted_since = depth + 1, quoted_since if depth else i
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif char == '"':
            plain_quote, quoted_since = not plain_quote, i
        inside = (depth > 0 or plain_quote) and i - quoted_since < MAX_QUOTED
        is_stop = char in CJK_STOPS or (char in LATIN_STOPS and _ends_latin(line, i))
        if is_stop:
            end = i + 1
            while end < len(line) and line[end] in TRAILING + CJK_STOPS + LATIN_STOPS:
                if line[end] in CLOSING:
                    depth = max(0, depth - 1)
                elif line[end] == '"':
                    plain_quote = False
                end += 1
            quotative = line[end - 1] in TRAILING and line[end : end + 1] in QUOTATIVE
            if not ((depth > 0 or plain_quote) and inside) and not quotative:
                piece = line[start:end]
                if piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    out.append((piece.strip(), offset + start + lead))
                start, depth, plain_quote = end, 0, False
            i = end
            continue
        i += 1
    piece = line[start:]
    if piece.strip():
        out.append((piece.strip(), offset + start + len(piece) - len(piece.lstrip())))


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order (see the module docstring for the rules)."""
    found: list[tuple[str, int]] = []
    offset = 0
    for line in text.split("\n"):
        _split_line(line, offset, found)
        offset += len(line) + 1
    return [Sentence(index, sentence, start) for index, (sentence, start) in enumerate(found)]


@cache
def _to_simplified() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def script_language(text: str, *, han: str | None = None) -> str:
    """The BCP-47 tag of a text by its script: Hangul ko, kana ja, Han zh-Hant or zh-Hans
    (the characters OpenCC would simplify tell them apart; ``han`` decides a text whose
    characters are the same in both), else en."""
    if re.search(r"[\uac00-\ud7a3]", text):
        return "ko"
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\u4e00-\u9fff]", text):
        simplified = _to_simplified().convert(text)  # type: ignore[attr-defined]
        if simplified != text:
            return "zh-Hant"
        return han or "zh-Hans"
    return "en"
