"""The words around a figure, in zh-Hant, zh-Hans, en, ko and ja: what is counted, and how.

Reporting counts many things (shells, containers, troops, launchers, barrels, dollars)
in five languages, each with its own counters (发/發/発/발 count rounds; 名/명/人 count
people; 艘/척/隻 count ships) and its own words for "about", "over" and "up to". The
figure reader (``figures``) looks these up; keeping them here, as data, lets a reader of
the code check one table per question instead of a regex.

Every word is written as reporting writes it; ``lexicon_key`` folds each to the form the
reader sees (NFKC, Simplified script, lower case), so a Japanese 砲弾, a Traditional
砲彈 and a Simplified 炮弹 are all found.
"""

from __future__ import annotations

import unicodedata
from functools import cache

#: Canonical unit -> the nouns that name it, in every language.
UNIT_NOUNS: dict[str, list[str]] = {
    "shells": [
        "shells", "shell", "rounds", "round", "artillery shells", "artillery rounds",
        "rounds of ammunition", "munitions rounds",
        "炮弹", "砲弹", "砲彈", "炮彈", "弹药", "彈藥", "포탄", "탄약", "砲弾", "弾薬",
    ],
    "containers": ["containers", "container", "集装箱", "货柜", "貨櫃", "컨테이너", "コンテナ"],
    "soldiers": [
        "soldiers", "soldier", "troops", "troop", "personnel", "servicemen", "service members",
        "fighters", "special forces", "forces", "men", "士兵", "兵力", "官兵", "军人", "軍人", "兵员", "兵員", "部队", "部隊",
        "军队", "軍隊", "朝鲜军", "北韩军", "北韓軍", "北朝鮮軍", "俄军",
        "병력", "장병", "군인", "병사", "북한군", "파병", "兵士", "将兵", "部隊員", "兵",
    ],
    "missiles": [
        "missiles", "missile", "ballistic missiles", "导弹", "導彈", "飞弹", "飛彈",
        "弹道导弹", "미사일", "탄도미사일", "ミサイル", "弾道ミサイル",
    ],
    "rockets": ["rockets", "rocket", "火箭弹", "火箭彈", "로켓", "ロケット弾"],
    "artillery pieces": [
        "artillery pieces", "artillery guns", "guns", "howitzers", "field guns", "cannons",
        "火炮", "火砲", "大炮", "榴弹炮", "榴彈炮", "야포", "자주포", "곡사포", "火砲", "榴弾砲", "大砲",
    ],
    "rocket launchers": [
        "rocket launchers", "multiple rocket launchers", "launchers", "mlrs",
        "火箭炮", "多管火箭炮", "多管火箭", "방사포", "ロケット砲", "多連装ロケット砲",
    ],
    "tanks": ["tanks", "tank", "坦克", "战车", "戰車", "탱크", "전차", "戦車"],
    "vehicles": [
        "vehicles", "trucks", "armoured vehicles", "armored vehicles",
        "车辆", "車輛", "卡车", "卡車", "装甲车", "裝甲車", "차량", "트럭", "車両", "トラック",
    ],
    "aircraft": [
        "aircraft", "planes", "jets", "fighter jets", "warplanes", "飞机", "飛機", "战机", "戰機",
        "战斗机", "戰鬥機", "항공기", "전투기", "航空機", "戦闘機",
    ],
    "drones": [
        "drones", "drone", "uavs", "无人机", "無人機", "드론", "무인기", "ドローン", "無人機",
    ],
    "ships": ["ships", "vessels", "船", "船只", "船隻", "舰艇", "艦艇", "船舶", "货轮", "貨輪",
              "선박", "함정", "화물선", "艦船", "貨物船"],
    "workers": [
        "workers", "laborers", "labourers", "劳工", "勞工", "工人", "劳动者", "勞動者",
        "劳务人员", "勞務人員", "员工", "員工", "노동자", "근로자", "노무자", "労働者", "労務者",
    ],
    "casualties": ["casualties", "killed or wounded", "dead or wounded", "killed and wounded", "killed or injured", "伤亡", "傷亡", "死伤", "死傷", "사상자", "사상", "死傷者", "犠牲", "牺牲", "犧牲"],
    "killed": [
        "killed", "dead", "deaths", "死亡", "阵亡", "陣亡", "丧生", "喪生", "사망", "사망자",
        "전사", "전사자", "숨졌", "숨진", "숨져", "戦死", "死者",
    ],
    "wounded": [
        "wounded", "injured", "受伤", "受傷", "负伤", "負傷", "부상", "부상자", "負傷者",
    ],
    "people": ["people", "persons", "individuals", "civilians", "个人", "個人", "개인", "민간인", "民間人"],
    "barrels": ["barrels", "barrel", "桶", "배럴", "バレル"],
    "tonnes": ["tonnes", "tons", "tonne", "ton", "吨", "噸", "톤", "トン"],
    "km": ["km", "kilometers", "kilometres", "킬로미터", "公里", "キロ"],
    "percent": ["percent", "per cent", "%", "퍼센트", "프로", "パーセント"],
    "usd": ["dollars", "us dollars", "usd", "美元", "美金", "달러", "ドル", "米ドル"],
    "krw": ["won", "韩元", "韓元", "원", "ウォン"],
    "rub": ["rubles", "roubles", "卢布", "盧布", "루블", "ルーブル"],
    "eur": ["euros", "欧元", "歐元", "유로", "ユーロ"],
    "jpy": ["yen", "日元", "日圓", "엔", "円"],
    "cny": ["yuan", "人民币", "人民幣", "元", "위안", "人民元"],
}  # fmt: skip

#: Units a person counter (名, 명, 人, people) may stand for; the reader picks among
#: them from the words around the figure and falls back to "people".
PERSON_UNITS = ("soldiers", "workers", "casualties", "killed", "wounded")

#: Counters: the word after a number that says what kind of thing is counted. A unit
#: here is what the counter means alone; ``None`` means it needs a noun (个, 개, 台).
COUNTERS: dict[str, str | None] = {
    # rounds
    "发": "shells", "發": "shells", "発": "shells", "발": "shells",
    # people
    "名": "people", "人": "people", "位": "people", "명": "people", "people": "people",
    "persons": "people",
    # ships, guns, fixed units of measure
    "艘": "ships", "只": "ships", "隻": "ships", "척": "ships",
    "门": "artillery pieces", "門": "artillery pieces", "문": "artillery pieces",
    "架": "aircraft", "辆": "vehicles", "輛": "vehicles", "両": "vehicles",
    "吨": "tonnes", "噸": "tonnes", "톤": "tonnes", "トン": "tonnes",
    "桶": "barrels", "배럴": "barrels", "バレル": "barrels",
    # counters that need their noun
    "个": None, "個": None, "件": None, "개": None, "台": None, "대": None, "기": None, "基": None,
    "机": None, "機": None, "颗": None, "顆": None, "枚": None, "具": None, "套": None,
    "条": None, "本": None, "家": None, "节": None, "節": None, "량": None, "곳": None,
    "-strong": "soldiers", "strong": "soldiers",
}  # fmt: skip

#: A number followed by one of these is not a figure: calibres, dates, times, ages,
#: ordinals, model designations ("19형"), durations.
NOT_A_FIGURE_AFTER = [
    "mm", "毫米", "厘米", "ミリ", "밀리", "㎜", "口径", "mm口径", "-mm", "cm", "㎝",
    "年", "月", "日", "号", "號", "时", "時", "点", "분", "시", "일", "월", "년", "岁", "歲",
    "歳", "살", "세", "周年", "世纪", "世紀", "年代", "回目", "回", "次", "번째", "번", "차",
    "届", "屆", "度", "°", "型", "式", "형", "호", "条", "條", "조", "항", "款", "章",
    "分钟", "分鐘", "小时", "小時", "秒", "天", "周", "週", "个月", "個月", "개월", "시간",
    "年間", "日間", "か月", "ヶ月", "カ月",
    "years", "year", "months", "month", "days", "day", "weeks", "week", "hours", "hour",
    "minutes", "seconds", "times", "th", "st", "nd", "rd", "am", "pm", "a.m", "p.m",
    "半", "成", "倍", "인당", "명당", "批", "分の", "分之", "当たり", "当り", "あたり", "miles", "meters", "metres", "kg",
]  # fmt: skip

#: Words before a number that make it a label, not an amount: 第51條, Article 4,
#: resolution 2270, No. 5; and model-name stems (火星18, 화성-19).
NOT_A_FIGURE_BEFORE = [
    "第", "제", "article", "articles", "clause", "paragraph", "section", "resolution",
    "resolutions", "no.", "no", "number", "#", "res.", "chapter", "page", "p.", "pp.",
    "火星", "北极星", "北極星", "화성", "북극성", "光明星", "광명성", "ファソン", "决议", "決議",
    "결의", "決議第", "型号", "项", "項",
]  # fmt: skip

# ---- how firm a figure is ----------------------------------------------------------------

#: Before the number ("about 6,700", "약 1만3천", "約6700", "超过2万8000").
APPROX_BEFORE = [
    "about", "around", "roughly", "some", "nearly", "almost", "approximately", "approx.",
    "an estimated", "estimated", "close to", "circa", "~", "an approximate",
    "约", "約", "大约", "大約", "大概", "将近", "將近", "接近", "近", "估计", "估計", "估算",
    "预计", "預計", "约有", "約有", "约合", "約合",
    "약", "대략", "거의", "추정", "およそ", "ほぼ", "推定", "約",
]  # fmt: skip
LOWER_BEFORE = [
    "over", "more than", "at least", "in excess of", "upwards of", "above", "just over",
    "well over", "no fewer than", "no less than", "a minimum of",
    "超过", "超過", "逾", "至少", "多于", "多於", "超", "최소", "少なくとも", "最低",
]  # fmt: skip
UPPER_BEFORE = [
    "up to", "as many as", "as much as", "at most", "no more than", "fewer than", "less than", "under",
    "just under", "a maximum of", "不到", "不超过", "不超過", "最多", "至多", "多达", "多達",
    "高达", "高達", "可达", "可達", "최대", "最大", "最大で", "最多で",
]  # fmt: skip
#: Right after the number or after its counter ("200多万", "1만여 명", "3000人左右").
APPROX_AFTER = [
    "左右", "上下", "前后", "前後", "가량", "정도", "쯤", "程度", "ほど", "近く", "规模", "規模",
    "or so", "odd", "수준", "안팎",
]  # fmt: skip
LOWER_AFTER = [
    "多", "余", "餘", "余り", "여", "+", "以上", "이상", "넘는", "넘게", "넘어", "초과", "超",
    "강", "남짓", "-plus", "を上回", "上回", "を超え", "超え", "or more", "plus", "and more",
]  # fmt: skip
UPPER_AFTER = ["以下", "以内", "이하", "이내", "미만", "未满", "未満", "or fewer", "or less"]

#: Particles Korean and Japanese put between a counter and 넘는 / 이상 ("1만 명이 넘는").
PARTICLES = ["이", "가", "을", "를", "은", "는", "의", "が", "を", "は", "の"]

#: Vague amounts: the magnitude they start from (the figure is read as magnitude to
#: ten times it, approximate). 上万 ("on the order of ten thousand") is a lower bound.
VAGUE_PREFIXES = ["数", "數", "几", "幾", "何", "수"]
VAGUE_EN = {
    "dozens": 10, "scores": 10, "hundreds": 100, "thousands": 1000,
    "tens of thousands": 10**4, "hundreds of thousands": 10**5, "millions": 10**6,
    "tens of millions": 10**7, "hundreds of millions": 10**8, "billions": 10**9,
    "several hundred": 100, "several thousand": 1000, "several million": 10**6,
    "a few hundred": 100, "a few thousand": 1000, "a few million": 10**6,
}  # fmt: skip

#: Currency signs written before the number.
CURRENCY_SIGNS = {"us$": "usd", "$": "usd", "usd": "usd", "₩": "krw", "€": "eur", "¥": None}

#: Words that make a person count a troop count ("派兵1万名", "병력", "deployed").
TROOP_CONTEXT = [
    "派兵", "派遣", "派出", "部署", "参战", "參戰", "增兵", "兵力", "士兵", "军人", "軍人",
    "部队", "部隊", "파병", "병력", "군인", "장병", "병사", "배치", "兵士", "北朝鮮兵", "北朝鲜兵",
    "troops", "soldiers", "deployed", "dispatched", "sent", "deploy", "military personnel",
]  # fmt: skip


def lexicon_key(word: str) -> str:
    """The form a word takes in the reader's view of a text: width, script and case folded."""
    from nkru_claims.matching.normalise import to_simplified

    return to_simplified(unicodedata.normalize("NFKC", word)).lower()


@cache
def unit_lookup() -> dict[str, str]:
    """Every unit noun, as the reader sees it, mapped to its canonical unit."""
    return {lexicon_key(w): unit for unit, words in UNIT_NOUNS.items() for w in words}


@cache
def counter_lookup() -> dict[str, str | None]:
    return {lexicon_key(w): unit for w, unit in COUNTERS.items()}


def canonical_unit_names() -> list[str]:
    return list(UNIT_NOUNS)


@cache
def unit_pattern() -> str:
    """A regex for any unit noun as the reader sees it, longest first."""
    import re

    keys = sorted(unit_lookup(), key=len, reverse=True)
    def one(k: str) -> str:
        body = re.escape(k).replace(r"\ ", r"\s+")
        if k[0].isascii() and k[0].isalpha():
            return rf"(?<![a-z]){body}(?![a-z])"
        if "가" <= k[0] <= "힣":  # a Korean noun starts a word: 원 is not in 지원
            return rf"(?:(?<![가-힣])|(?<=[만억천백십])){body}"
        return body

    return "|".join(one(k) for k in keys)
