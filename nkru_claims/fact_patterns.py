"""Word lists and patterns the matcher reads a claim's facts with.

Dates (Chinese and English), negation, antonym pairs, topics, the verbs and markers
that say who acts on whom, and demonyms. Kept apart from ``matching`` so that the
rules for comparing claims read on their own, and these lists can grow without
touching them.
"""

from __future__ import annotations

import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")], start=1)
    for name in names
}  # fmt: skip
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_RES = (
    re.compile(r"(?P<y>\d{4})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?"),
    re.compile(r"(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?"),
    re.compile(rf"(?<![a-z])(?:(?P<d1>\d{{1,2}})\s+)?(?P<mn>{MONTH_NAMES})(?![a-z])"
               rf"(?:\s+(?P<d2>\d{{1,2}})(?!\d))?(?:\s+(?P<y>\d{{4}}))?"),
    # A bare year, unless a unit follows: "2090 containers" is an amount, not a date.
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?![\d.])"
               r"(?!\s*(?:shells|containers|soldiers|missiles|usd)(?![a-z]))"),
)
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")

NEGATIONS_EN = re.compile(
    r"(?<![a-z])(?:not(?!\s+only)|no|never|neither|nor|deny|denies|denied|denying|denial|"
    r"false|fake|refute[sd]?|reject(?:s|ed)?|dismiss(?:es|ed)?)(?![a-z])|n't(?![a-z])"
)
NEGATIONS_ZH = re.compile(
    r"并非|并未|从未|没有|没|未(?!来|知|经)|否认|否定|驳斥|假新闻"
    r"|不(?!仅|只|但|断|少|久|过|同|安|满|稳|利|足|得|论|再|止|管)|非(?!常|法|洲|凡)|无(?!人|论|疑|数)"
)
# Words with opposite meanings: a text using one side and the other text the other side
# states the opposite claim, however similar the rest.
ANTONYMS = [
    (("支持", "赞成", "support", "supports", "supported", "backs", "backed"),
     ("反对", "oppose", "opposes", "opposed")),
    (("赢家", "赢", "winner", "wins", "won"), ("输家", "输", "loser", "loses", "lost")),
    (("证实", "承认", "确认", "confirm", "confirms", "confirmed", "admits", "admitted"),
     ("否认", "deny", "denies", "denied")),
    (("增加", "增长", "扩大", "increase", "increased", "expand", "expanded"),
     ("减少", "下降", "缩小", "decrease", "decreased", "reduce", "reduced")),
    (("成功", "succeeded", "successful", "successfully"), ("失败", "failed", "unsuccessful")),
    (("加强", "深化", "strengthen", "strengthened", "deepen", "deepening"),
     ("削弱", "weaken", "weakened")),
]
# What a claim is about: two texts about different things (weapons or soldiers) are
# different claims even when every other word is the same.
TOPICS = {
    "weapons": ("武器", "军火", "军备", "weapon", "weapons", "arms", "armaments"),
    "munitions": ("shells", "弹药", "炮弹", "ammunition", "munitions", "rounds"),
    "troops": ("soldiers", "士兵", "军人", "部队", "兵力", "troops", "人员", "personnel",
               "工程师", "engineers"),
    "labour": ("劳工", "工人", "labourers", "laborers", "workers"),
    "technology": ("技术", "technology", "technologies"),
    "missiles": ("missiles", "导弹", "飞弹"),
    "satellites": ("卫星", "satellite", "satellites"),
}

SUPPLY_EN = (r"(?:suppl(?:y|ies|ied|ying)|send(?:s|ing)?|sent|ship(?:s|ped|ping)?|"
              r"transfer(?:s|red|ring)?|provid(?:e|es|ed|ing)|sell(?:s|ing)?|sold|"
              r"giv(?:e|es|ing)|gave|deliver(?:s|ed|ing)?|export(?:s|ed|ing)?|"
              r"visit(?:s|ed|ing)?|attack(?:s|ed|ing)?|invad(?:e|es|ed|ing)|"
              r"help(?:s|ed|ing)?|aid(?:s|ed|ing)?|arm(?:s|ed|ing)?)")
RECEIVE_EN = (r"(?:receiv(?:e|es|ed|ing)|obtain(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|"
               r"b(?:uy|uys|ought|uying)|sought|seek(?:s|ing)?|import(?:s|ed|ing)?|got|gets)")
TOKEN = r"<p(\d+)>"
ROLE_PATTERNS: list[tuple[re.Pattern[str], tuple[str | None, str | None]]] = [
    # (pattern with up to two party groups, (role of group 1, role of group 2))
    (re.compile(rf"{TOKEN}[^<]{{0,10}}?(?:向|给)\s*{TOKEN}"), ("agent", "recipient")),
    (re.compile(rf"{TOKEN}[^<]{{0,8}}?(?:出访|访问|援助|支援|袭击|攻击|入侵)\s*{TOKEN}"),
     ("agent", "recipient")),
    (re.compile(rf"{TOKEN}[^<]{{0,10}}?(?:从|自)\s*{TOKEN}[^<]{{0,12}}?"
                r"(?:获得|得到|收到|购买|进口|寻求|获取|取得)"), ("recipient", "agent")),
    (re.compile(rf"{TOKEN}[^<]{{0,6}}?(?:运往|运到|送往|送到|转移到|运抵|输往)\s*{TOKEN}"),
     ("agent", "recipient")),
    (re.compile(rf"(?:从|由)\s*{TOKEN}"), ("agent", None)),
    (re.compile(rf"(?:到|往|运往|运抵)\s*{TOKEN}"), ("recipient", None)),
    (re.compile(rf"{TOKEN}\s+(?:\S+\s+){{0,4}}?{SUPPLY_EN}\s+{TOKEN}"), ("agent", "recipient")),
    (re.compile(rf"{TOKEN}\s+(?:\S+\s+){{0,4}}?{SUPPLY_EN}(?![a-z])"), ("agent", None)),
    (re.compile(rf"{TOKEN}\s+(?:\S+\s+){{0,4}}?{RECEIVE_EN}(?![a-z])"), ("recipient", None)),
    (re.compile(rf"(?<![a-z])(?:from|by)\s+{TOKEN}"), ("agent", None)),
    (re.compile(rf"(?<![a-z])(?:to|into)\s+{TOKEN}"), ("recipient", None)),
]
DEMONYMS = {
    "north korean": "north korea", "north koreans": "north korea",
    "south korean": "south korea", "south koreans": "south korea",
    "ukrainian": "ukraine", "ukrainians": "ukraine", "russian": "russia", "russians": "russia",
    "chinese": "china", "japanese": "japan", "american": "united states",
    "americans": "united states", "british": "united kingdom",
}
DEMONYM_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(sorted(DEMONYMS, key=len, reverse=True)) + r")(?![a-z])"
)
