"""Quantities read from claims in Chinese, English and Korean."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nkru_claims.errors import InvalidInput
from nkru_claims.matching.quantities import (
    Quantity,
    canonical_unit,
    find_quantities,
    parse_number,
    parse_quantity,
)

SEED_KR_TW = "韓國便發現自2023年以來,北韓已向俄羅斯供應了上萬個貨櫃的彈藥,估算有500萬發"
SEED_CONTAINERS = "自2023年9月以来，朝鲜向俄罗斯运送了约6700个集装箱，其中载有数百万枚弹药"
SEED_SOLDIERS = (
    "俄罗斯海军舰艇在10月8日至10月13日期间将1500名朝鲜士兵转移到俄罗斯太平洋港口城市符拉迪沃斯托克"
)


def q(low: float | None, high: float | None, unit: str | None, approx: bool = False) -> Quantity:
    return Quantity(low=low, high=high, unit=unit, approximate=approx, text="")


def point(value: float, unit: str | None, approx: bool = False) -> Quantity:
    return q(value, value, unit, approx)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 million shells", point(5e6, "shells")),
        ("500萬發", point(5e6, "shells")),
        ("估算有500萬發", point(5e6, "shells", True)),
        ("约6700个集装箱", point(6700, "containers", True)),
        ("about 6,700 containers", point(6700, "containers", True)),
        ("6700 containers", point(6700, "containers")),
        ("1,500 soldiers", point(1500, "soldiers")),
        ("1500名朝鲜士兵", point(1500, "soldiers")),
        ("over 10,000 containers", q(10000, None, "containers")),
        ("上萬個貨櫃", q(10000, None, "containers")),
        ("五百万发炮弹", point(5e6, "shells")),
        ("1.5k soldiers", point(1500, "soldiers")),
        ("$5 billion", point(5e9, "usd")),
        ("50億美元的F-35戰機", point(5e9, "usd")),
        ("六千七百个集装箱", point(6700, "containers")),
        ("1,000-2,000 soldiers", q(1000, 2000, "soldiers")),
        ("1000至2000名士兵", q(1000, 2000, "soldiers")),
        ("between 1,000 and 2,000 soldiers", q(1000, 2000, "soldiers")),
        ("数百万枚弹药", q(1e6, 1e7, "shells", True)),
        ("數百萬枚彈藥", q(1e6, 1e7, "shells", True)),
        ("millions of shells", q(1e6, 1e7, "shells", True)),
        ("tens of thousands of troops", q(10000, 1e5, "soldiers", True)),
        ("several thousand North Korean troops", q(1000, 1e4, "soldiers", True)),
        ("up to 5,000 shells", q(None, 5000, "shells")),
        ("不超过3000名士兵", q(None, 3000, "soldiers")),
        ("最多3000名士兵", q(None, 3000, "soldiers")),
        ("more than 1,500 North Korean soldiers", q(1500, None, "soldiers")),
        ("at least 10,000 troops", q(10000, None, "soldiers")),
        ("超过1万名士兵", q(10000, None, "soldiers")),
        ("逾万名士兵", q(10000, None, "soldiers")),
        ("10,000+ troops", q(10000, None, "soldiers")),
        ("1500余名士兵", q(1500, None, "soldiers")),
        ("6700个集装箱左右", point(6700, "containers", True)),
        ("近6700个集装箱", point(6700, "containers", True)),
        ("大約6700個貨櫃", point(6700, "containers", True)),
        ("~6700 containers", point(6700, "containers", True)),
        ("roughly 5 million artillery shells", point(5e6, "shells", True)),
        ("三至五万名士兵", q(30000, 50000, "soldiers")),
        ("1-2 million rounds", q(1e6, 2e6, "shells")),
        ("3枚导弹", point(3, "missiles")),
        ("12 ballistic missiles", point(12, "missiles")),
        ("5 billion dollars", point(5e9, "usd")),
        ("USD 5 billion", point(5e9, "usd")),
        ("five million shells", point(5e6, "shells")),
        ("약 500만 발", point(5e6, "shells", True)),
        ("5000", point(5000, None)),
        ("about 6,700", point(6700, None, True)),
    ],
)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    got = parse_quantity(text)
    assert got.agrees_with(expected), got
    assert got.approximate is expected.approximate
    assert got.text == text.strip() or text.startswith(got.text)


def test_quantity_text_is_verbatim() -> None:
    assert parse_quantity("50億美元的F-35戰機").text == "50億美元"
    assert parse_quantity("  about 6,700 containers  ").text == "about 6,700 containers"


def test_find_quantities_in_traditional_seed_sentence() -> None:
    found = find_quantities(SEED_KR_TW)
    assert [f.text for f in found] == ["上萬個貨櫃", "估算有500萬發"]
    assert found[0] == Quantity(10000, None, "containers", False, "上萬個貨櫃")
    assert found[1] == Quantity(5e6, 5e6, "shells", True, "估算有500萬發")


def test_find_quantities_containers_and_several_million() -> None:
    found = find_quantities(SEED_CONTAINERS)
    assert [(f.low, f.high, f.unit, f.approximate) for f in found] == [
        (6700, 6700, "containers", True),
        (1e6, 1e7, "shells", True),
    ]


def test_find_quantities_ignores_dates() -> None:
    found = find_quantities(SEED_SOLDIERS)
    assert found == [Quantity(1500, 1500, "soldiers", False, "1500名朝鲜士兵")]
    assert find_quantities("In 2023 North Korean soldiers arrived") == []
    assert find_quantities("the 2023 round of talks") == []
    assert find_quantities("自2023年以来") == []
    assert find_quantities("the figure was 6700") == []
    assert find_quantities("") == []


def test_find_quantities_in_order() -> None:
    found = find_quantities("Seoul says 10,000 troops and 5 million shells, plus 50 missiles.")
    assert [(f.value, f.unit) for f in found] == [
        (10000, "soldiers"),
        (5e6, "shells"),
        (50, "missiles"),
    ]


@pytest.mark.parametrize("bad", ["", "   ", "shells", "-5 shells", "abc", "-3 shells", "负五发"])
def test_parse_quantity_rejects(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_quantity(bad)
    assert "\n" not in str(info.value)


def test_negative_quantity_message() -> None:
    with pytest.raises(InvalidInput, match=r"^quantity cannot be negative: '-3 shells'$"):
        parse_quantity("-3 shells")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6,700", 6700),
        ("6700", 6700),
        ("六千七百", 6700),
        ("五百萬", 5e6),
        ("500万", 5e6),
        ("5 million", 5e6),
        ("1.5k", 1500),
        ("1.5万", 15000),
        ("两千", 2000),
        ("五", 5),
        ("一点五", 1.5),
        ("twenty-five", 25),
        ("１２３", 123),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("bad", ["", "abc", "-5", "−5", "负五", "負五", "5 shells", "上万", "三四"])
def test_parse_number_rejects(bad: str) -> None:
    with pytest.raises(InvalidInput):
        parse_number(bad)


@pytest.mark.parametrize(
    ("word", "unit"),
    [
        ("shells", "shells"),
        ("Rounds", "shells"),
        ("artillery shells", "shells"),
        ("發", "shells"),
        ("发", "shells"),
        ("枚", "shells"),
        ("枚弹药", "shells"),
        ("發砲彈", "shells"),
        ("发炮弹", "shells"),
        ("炮彈", "shells"),
        ("彈藥", "shells"),
        ("containers", "containers"),
        ("貨櫃", "containers"),
        ("集裝箱", "containers"),
        ("個貨櫃", "containers"),
        ("个集装箱", "containers"),
        ("troops", "soldiers"),
        ("personnel", "soldiers"),
        ("名朝鲜士兵", "soldiers"),
        ("軍人", "soldiers"),
        ("missiles", "missiles"),
        ("飛彈", "missiles"),
        ("导弹", "missiles"),
        ("枚导弹", "missiles"),
        ("USD", "usd"),
        ("dollars", "usd"),
        ("$", "usd"),
        ("美元", "usd"),
    ],
)
def test_canonical_unit(word: str, unit: str) -> None:
    assert canonical_unit(word) == unit


@pytest.mark.parametrize("word", ["", "foo", "个", "名", "年", "2023", "cats"])
def test_canonical_unit_rejects_non_units(word: str) -> None:
    assert canonical_unit(word) is None


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        (point(6700, "containers", True), "about 6,700 containers"),
        (q(10000, None, "containers"), "over 10,000 containers"),
        (point(5e6, "shells"), "5,000,000 shells"),
        (q(1000, 2000, "soldiers"), "1,000–2,000 soldiers"),
        (q(None, 5000, "shells"), "up to 5,000 shells"),
        (q(1e6, None, "shells", True), "over ~1,000,000 shells"),
        (point(5e9, "usd"), "$5,000,000,000"),
        (point(1, "missiles"), "1 missile"),
        (point(2.5, None), "2.5"),
    ],
)
def test_describe(quantity: Quantity, text: str) -> None:
    assert quantity.describe() == text


def test_value_and_agreement() -> None:
    assert point(5, "shells").value == 5
    assert q(1, 2, "shells").value is None
    assert q(1, None, "shells").value is None
    assert point(5, "shells").agrees_with(point(5 + 1e-12, "shells", True))
    assert not point(5, "shells").agrees_with(point(5, "missiles"))
    assert not point(5, None).agrees_with(point(5, "shells"))
    assert not q(5, None, "shells").agrees_with(point(5, "shells"))


@settings(max_examples=300)
@given(st.integers(min_value=1, max_value=10**9))
def test_parse_number_every_written_form(n: int) -> None:
    assert parse_number(f"{n:,}") == parse_number(str(n)) == n
    assert parse_number(cn2an.an2cn(n)) == n


AMOUNTS = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(float),
    st.decimals(min_value=0, max_value=10**6, places=2).map(float),
)


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    unit = draw(st.sampled_from(["shells", "containers", "soldiers", "missiles", "usd", None]))
    shape = draw(st.sampled_from(["point", "lower", "upper", "range"]))
    a = draw(AMOUNTS)
    if shape == "point":
        low, high = a, a
    elif shape == "lower":
        low, high = a, None
    elif shape == "upper":
        low, high = None, a
    else:
        b = draw(AMOUNTS.filter(lambda x: x != a))
        low, high = min(a, b), max(a, b)
    return Quantity(low, high, unit, draw(st.booleans()), "")


@settings(max_examples=500)
@given(quantities())
def test_describe_parses_back(quantity: Quantity) -> None:
    back = parse_quantity(quantity.describe())
    assert back.agrees_with(quantity), (quantity.describe(), back)
    assert back.approximate is quantity.approximate


TEXTISH = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            ["约", "about ", "over ", "上万", "数百万", "个", "名", "发", "枚", "集装箱", "士兵",
             " shells", " troops", "$", "-", "至", "~", "年", "between ", " and ", "美元", "余",
             "0", "1", "5", ",", ".", " ", "五", "十", "百", "千", "万", "亿", "k", " million"]
        ),
        max_size=15,
    ).map("".join),
)  # fmt: skip


@settings(max_examples=300)
@given(TEXTISH)
def test_find_quantities_is_total_and_quotes_the_input(text: str) -> None:
    for found in find_quantities(text):
        assert found.text and found.text in text
        assert found.unit is not None
        assert found.low is None or found.low >= 0
    try:
        parse_quantity(text)
    except InvalidInput as exc:
        assert "\n" not in str(exc)


def test_pathological_input_stays_fast() -> None:
    """Bounded marker repetition: these used to backtrack for seconds."""
    assert find_quantities("about " * 3000) == []
    assert find_quantities("约 " * 3000) == []
    assert len(find_quantities("5 shells " * 1000)) == 1000
