"""Matching forms: text, alias keys and numbers written in any script."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkru_claims.matching.normalise import (
    alias_key,
    matching_view,
    normalise_numbers,
    normalise_text,
    to_simplified,
)

CJK = st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF)
FULL_WIDTH = st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF)
NUMBERISH = st.sampled_from(
    list("0123456789,.  -~万萬亿億千百十一二两兩三五六七九零〇点數数上个名发發枚年月日")
    + ["k", "bn", " million", " thousand", "five", "one", "a ", " hundred", "만", "억"]
)
ANY_TEXT = st.one_of(
    st.text(),
    st.text(CJK),
    st.text(FULL_WIDTH),
    st.text(st.one_of(CJK, FULL_WIDTH, st.characters())),
)
NUMBER_TEXT = st.lists(NUMBERISH, max_size=20).map("".join)


def test_to_simplified() -> None:
    traditional = "北韓已向俄羅斯供應了上萬個貨櫃的彈藥"
    assert to_simplified(traditional) == "北韩已向俄罗斯供应了上万个货柜的弹药"
    assert to_simplified("") == ""
    assert to_simplified("already 简体") == "already 简体"


def test_opencc_and_cn2an_load_lazily() -> None:
    """Importing the core must not build the converter nor import cn2an (~0.1 s)."""
    code = (
        "import sys, nkru_claims.matching.normalise as n, nkru_claims.matching.quantities;"
        "print(n._converter.cache_info().currsize, 'cn2an' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＮＯＲＴＨ　Ｋｏｒｅａ", "north korea"),
        ("「北韓」與《俄羅斯》", "北韩 与 俄罗斯"),
        ("“Quoted”·、，。text", "quoted text"),
        ("  many\t\n spaces  ", "many spaces"),
        ("$5 billion + 6,700", "5 billion 6 700"),
        ("zero\u200bwidth", "zerowidth"),
        ("북한 군인", "북한 군인"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_normalise_text_survives_lone_surrogates() -> None:
    assert normalise_text("a\ud800b") == "a b"


@settings(max_examples=300)
@given(ANY_TEXT)
def test_normalise_text_is_idempotent_and_total(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert once == once.strip()
    assert "  " not in once


@pytest.mark.parametrize(
    "names",
    [
        ["North  Korea", "north korea", "NORTH KOREA", "North-Korea"],
        ["北韓", "北韩", "北 韩"],
        ["朝鮮", "朝鲜"],
        ["弗拉基米尔·普京", "弗拉基米尔 普京", "弗拉基米尔普京", "弗拉基米爾・普京"],
        ["Kim Jong Un", "kim  jong-un"],
    ],
)
def test_alias_key_equates_spellings(names: list[str]) -> None:
    assert len({alias_key(n) for n in names}) == 1


def test_alias_key_keeps_word_spaces_outside_han() -> None:
    assert alias_key("North Korea") == "north korea"
    assert alias_key("북한 군대") == "북한 군대"
    assert alias_key("Kim 正恩") == "kim 正恩"


@settings(max_examples=300)
@given(ANY_TEXT)
def test_alias_key_is_idempotent(text: str) -> None:
    assert alias_key(alias_key(text)) == alias_key(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6,700", "6700"),
        ("六千七百", "6700"),
        ("500萬", "5000000"),
        ("500万", "5000000"),
        ("五百万", "5000000"),
        ("五百萬發", "5000000發"),
        ("5 million", "5000000"),
        ("1.5k", "1500"),
        ("1.5万", "15000"),
        ("1.23456万", "12345.6"),  # cn2an would truncate this to 12345
        ("1,500名", "1500名"),
        ("两千", "2000"),
        ("兩千", "2000"),
        ("一点五", "1.5"),
        ("1亿5千万", "150000000"),
        ("500만 발", "5000000 발"),
        ("five million shells", "5000000 shells"),
        ("a million", "1000000"),
        ("two hundred and fifty thousand", "250000"),
        ("twenty-five", "25"),
        ("５００萬", "5000000"),
        ("二〇二三年", "2023年"),
        ("百万发", "1000000发"),
        ("约6,700个集装箱", "约6700个集装箱"),
    ],
)
def test_normalise_numbers(raw: str, expected: str) -> None:
    assert normalise_numbers(raw) == expected


@pytest.mark.parametrize(
    "unchanged",
    [
        "2023",
        "自2023年9月以来",
        "10月8日至10月13日",
        "一项协议",
        "双方一方面",
        "统一",
        "万一",
        "千万不要",
        "十分重要",
        "三四个",  # "three or four", not 34
        "一一对应",
        "五六百人",  # "five or six hundred": not one number
        "上萬個貨櫃",  # vague amounts are quantities' business, not one number
        "数百万枚",
        "F-35",
        "one of them",
        "no one",
        "million",
        "3千5",
        "5千米",
        "1,00",
        "version 1.5.3",
    ],
)
def test_normalise_numbers_leaves_non_numbers_alone(unchanged: str) -> None:
    assert normalise_numbers(unchanged) == unchanged


def test_lone_chinese_digit_converts_only_before_a_measure_word() -> None:
    assert normalise_numbers("一个集装箱") == "1个集装箱"
    assert normalise_numbers("三名士兵") == "3名士兵"
    assert normalise_numbers("一方") == "一方"
    assert normalise_numbers("十一月") == "11月"


@settings(max_examples=500)
@given(st.one_of(NUMBER_TEXT, ANY_TEXT))
def test_normalise_numbers_is_idempotent(text: str) -> None:
    once = normalise_numbers(text)
    assert normalise_numbers(once) == once


def test_matching_view_maps_back_to_original() -> None:
    view, owners = matching_view("約６千")
    assert view == "约6千"
    assert owners == [0, 1, 2]
    view, owners = matching_view("½萬")
    assert view == "1⁄2万"
    assert owners == [0, 0, 0, 1]
