"""The duplicate matcher: its verdicts, its properties, and its measured quality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkru_claims.matching.compare import (
    DEFAULT_THRESHOLD,
    compare_texts,
    match_columns,
    matching_form,
)
from nkru_claims.matching.evaluate import evaluate, lexicon_from_document, load_pairs
from tests.conftest import SEED_PATH

PAIRS = load_pairs(Path(__file__).parent / "data" / "match_pairs.jsonl")
LEXICON = lexicon_from_document(json.loads(SEED_PATH.read_text(encoding="utf-8")))
HARD_NEGATIVE_KINDS = {"number", "date", "direction", "negation", "party", "related"}
# match_pairs.jsonl was written while the lexical matcher was tuned (development data,
# not a measure of quality: the README's figures come from held-out pairs). These floors
# guard the lexical stage of dedupe against regressions; since facts missing on one side
# are no longer taken as agreement, a few of its rewordings go to review instead.
TARGET_PRECISION, TARGET_RECALL = 0.97, 0.80


def test_the_labelled_set_is_large_and_covers_every_kind() -> None:
    kinds = {p["kind"] for p in PAIRS}
    assert len(PAIRS) >= 150
    assert {"script", "number_format", "punctuation", "reordering", "paraphrase"} <= kinds
    assert kinds >= HARD_NEGATIVE_KINDS


def test_precision_against_the_hard_negatives_meets_the_target() -> None:
    chosen = [p for p in PAIRS if p["duplicate"] or p["kind"] in HARD_NEGATIVE_KINDS]
    overall, _ = evaluate(chosen, LEXICON, DEFAULT_THRESHOLD)
    assert overall.precision >= TARGET_PRECISION, overall.mistakes


def test_recall_on_same_language_pairs_meets_the_target() -> None:
    overall, _ = evaluate(PAIRS, LEXICON, DEFAULT_THRESHOLD)
    assert overall.recall >= TARGET_RECALL, overall.mistakes


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("1,500 North Korean soldiers moved to Vladivostok",
         "3,000 North Korean soldiers moved to Vladivostok", "numbers differ"),
        ("North Korea supplies Russia with shells", "Russia supplies North Korea with shells",
         "direction reversed"),
        ("The Kremlin confirms North Korean troops are in Russia",
         "The Kremlin denies North Korean troops are in Russia", "negates"),
        ("自2023年9月以来，朝鲜向俄罗斯运送了约6700个集装箱",
         "自2023年以来，朝鲜向俄罗斯运送了上万个集装箱", "differ"),
        ("俄罗斯在10月8日至10月13日期间转移了朝鲜士兵",
         "俄罗斯在11月8日至11月13日期间转移了朝鲜士兵", "dates differ"),
    ],
)
def test_different_facts_are_never_duplicates(a: str, b: str, reason: str) -> None:
    verdict = compare_texts(a, b, lexicon=LEXICON)
    assert not verdict.duplicate
    assert any(reason in r for r in verdict.reasons), verdict.reasons


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("北韓已向俄羅斯供應了上萬個貨櫃的彈藥,估算有500萬發",
         "北韩已向俄罗斯供应了上万个货柜的弹药，估算有五百万发"),
        ("朝鲜向俄罗斯运送了约6700个集装箱", "朝鲜向俄罗斯运送了约六千七百个集装箱"),
        ("普丁和金正恩簽署了全面戰略夥伴關係協議", "普京和金正恩签署了全面战略伙伴关系协议"),
        ("North Korea shipped 5 million shells to Russia",
         "North Korea shipped five million shells to Russia"),
    ],
)
def test_the_same_claim_across_scripts_and_number_formats(a: str, b: str) -> None:
    verdict = compare_texts(a, b, lexicon=LEXICON)
    assert verdict.duplicate, verdict.reasons
    assert verdict.score >= DEFAULT_THRESHOLD


texts = st.sampled_from([p["a"] for p in PAIRS] + [p["b"] for p in PAIRS]) | st.text(max_size=40)


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_compare_is_symmetric(a: str, b: str) -> None:
    one, other = compare_texts(a, b, lexicon=LEXICON), compare_texts(b, a, lexicon=LEXICON)
    assert (one.duplicate, one.score) == (other.duplicate, other.score)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_matching_form_is_idempotent_and_a_text_matches_itself(text: str) -> None:
    assert matching_form(matching_form(text)) == matching_form(text)
    if matching_form(text):
        assert compare_texts(text, text, lexicon=LEXICON).duplicate


def test_match_key_holds_the_numbers_but_not_the_dates() -> None:
    assert match_columns("自2023年9月以来，朝鲜运送了约6,700个集装箱")[1] == "6700"
    assert match_columns("1,500 soldiers on October 8, 2024")[1] == "1500"
