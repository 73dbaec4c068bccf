"""The actors of North Korea–Russia reporting, named in every language the sources use.

Reports name one actor in many ways: 北韓, 朝鲜, 북한, 北朝鮮 and "Pyongyang" are all North
Korea. The matcher needs that knowledge as data it can read, test and extend, so this
module holds it as a plain table (``ACTORS``) and derives everything else from it.

Rules the table keeps, and the matcher must keep when it uses it:

- **A capital stands for its state** (Moscow → Russia). A capital has its own record
  (kind ``place``, with ``capital_of``), but ``aliases()`` resolves its names to the state.
- **Korean names are listed bare** (북한, not 북한은): particles attach to the name, so the
  matcher matches an alias at the start of a Hangul word. No alias may be a prefix of an
  unrelated common word (so no 한 or 조선 alone: 한반도, 조선일보).
- **Han and kana names match anywhere** (there are no spaces), longest first; the
  ``NON_ACTOR_NAMES`` are longer words that contain an alias but name something else
  (朝鲜半岛 is the peninsula, 华盛顿邮报 a newspaper) and must be consumed first.
- **Latin names match whole words**, ignoring case, except all-capital acronyms (US, UN,
  NIS), which match only as written: "us" is a pronoun.
- **Ambiguous bare names are left out**: "Security Council" (Russia has one), 国务院
  (China's State Council), 統合参謀本部 (in Japanese usually the US Joint Chiefs),
  "Joint Chiefs of Staff", 专家小组, 露, 米. They appear only qualified.
- **Chinese one-character abbreviations** (俄, 朝, 韩, 美, 日, 乌, 中) name an actor only
  inside a compound such as 俄朝 or 美日韩; they live in ``ABBREVIATIONS``, never in the
  alias table, and ``expand_abbreviation_compound`` reads such a compound.

Nothing here does I/O, and the regexes are compiled on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

__all__ = [
    "ABBREVIATIONS",
    "ACTORS",
    "KINDS",
    "LANGUAGES",
    "NON_ACTOR_NAMES",
    "Actor",
    "aliases",
    "expand_abbreviation_compound",
    "find_abbreviation_compounds",
    "find_actors",
    "kind_of",
    "resolve",
]

LANGUAGES = ("en", "zh-Hans", "zh-Hant", "ko", "ja")
KINDS = ("state", "organisation", "person", "agency", "place")


@dataclass(frozen=True)
class Actor:
    """One actor: its English key name, what it is, and its names by language tag."""

    key: str
    kind: str
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    capital_of: str | None = None

    def all_names(self) -> list[str]:
        """Every alias in every language, each once, the key name first."""
        seen = [self.key]
        for language in LANGUAGES:
            seen += [name for name in self.names.get(language, ()) if name not in seen]
        return seen


def _actor(key: str, kind: str, *, en: str = "", hans: str = "", hant: str = "",
           ko: str = "", ja: str = "", capital_of: str | None = None) -> Actor:
    """Names are written ``a|b|c`` so that the table reads one line per language."""
    by_language = {"en": en, "zh-Hans": hans, "zh-Hant": hant, "ko": ko, "ja": ja}
    names = {lang: tuple(n.strip() for n in text.split("|") if n.strip())
             for lang, text in by_language.items() if text}
    return Actor(key=key, kind=kind, names=names, capital_of=capital_of)


ACTORS: tuple[Actor, ...] = (
    # --- States, and the capitals that stand for them ---------------------------------
    _actor("North Korea", "state",
           en="North Korea|DPRK|Democratic People's Republic of Korea|N. Korea",
           hans="朝鲜|北韩|朝方|朝鲜民主主义人民共和国",
           hant="北韓|朝鮮|朝方|朝鮮民主主義人民共和國",
           ko="북한|북측|조선민주주의인민공화국", ja="北朝鮮|朝鮮民主主義人民共和国"),
    _actor("Pyongyang", "place", capital_of="North Korea",
           en="Pyongyang", hans="平壤", hant="平壤", ko="평양", ja="平壌"),
    _actor("Russia", "state", en="Russia|Russian Federation",
           hans="俄罗斯|俄国|俄方|俄罗斯联邦", hant="俄羅斯|俄國|俄方|俄羅斯聯邦",
           ko="러시아|러시아연방", ja="ロシア|ロシア連邦"),
    _actor("Moscow", "place", capital_of="Russia",
           en="Moscow", hans="莫斯科", hant="莫斯科", ko="모스크바", ja="モスクワ"),
    _actor("South Korea", "state", en="South Korea|Republic of Korea|ROK|S. Korea",
           hans="韩国|南韩|韩方|大韩民国", hant="韓國|南韓|韓方|大韓民國",
           ko="한국|남한|대한민국", ja="韓国|大韓民国"),
    _actor("Seoul", "place", capital_of="South Korea",
           en="Seoul", hans="首尔", hant="首爾", ko="서울", ja="ソウル"),
    _actor("Ukraine", "state", en="Ukraine", hans="乌克兰|乌方", hant="烏克蘭|烏方",
           ko="우크라이나|우크라", ja="ウクライナ"),
    _actor("Kyiv", "place", capital_of="Ukraine", en="Kyiv|Kiev", hans="基辅", hant="基輔",
           ko="키이우|키예프", ja="キーウ|キエフ"),
    _actor("United States", "state",
           en="United States|United States of America|US|U.S.|USA|America",
           hans="美国|美方|美利坚合众国", hant="美國|美方|美利堅合眾國",
           ko="미국|미합중국", ja="米国|アメリカ|アメリカ合衆国"),
    _actor("Washington", "place", capital_of="United States", en="Washington",
           hans="华盛顿|华府", hant="華盛頓|華府", ko="워싱턴", ja="ワシントン"),
    _actor("China", "state", en="China|People's Republic of China|PRC",
           hans="中国|中方|中华人民共和国", hant="中國|中方|中華人民共和國",
           ko="중국|중화인민공화국", ja="中国|中華人民共和国"),
    _actor("Iran", "state", en="Iran|Islamic Republic of Iran",
           hans="伊朗", hant="伊朗", ko="이란", ja="イラン"),
    _actor("Belarus", "state", en="Belarus",
           hans="白俄罗斯", hant="白俄羅斯", ko="벨라루스", ja="ベラルーシ"),
    _actor("Syria", "state", en="Syria", hans="叙利亚", hant="敘利亞", ko="시리아", ja="シリア"),
    _actor("Beijing", "place", capital_of="China",
           en="Beijing", hans="北京", hant="北京", ko="베이징", ja="北京"),
    _actor("Japan", "state", en="Japan", hans="日本|日方", hant="日本|日方", ko="일본", ja="日本"),
    _actor("Tokyo", "place", capital_of="Japan",
           en="Tokyo", hans="东京", hant="東京", ko="도쿄", ja="東京"),
    # --- International bodies --------------------------------------------------------
    _actor("United Nations", "organisation", en="United Nations|UN|U.N.",
           hans="联合国", hant="聯合國", ko="유엔|국제연합", ja="国際連合|国連"),
    _actor("UN Security Council", "organisation",
           en="UN Security Council|United Nations Security Council|U.N. Security Council|UNSC",
           hans="联合国安理会|联合国安全理事会|安理会",
           hant="聯合國安理會|聯合國安全理事會|安理會",
           ko="유엔 안전보장이사회|유엔안전보장이사회|유엔 안보리|유엔안보리|안보리|안전보장이사회",
           ja="国連安全保障理事会|国連安保理|安全保障理事会|安保理"),
    _actor("UN Panel of Experts", "organisation",
           en="UN Panel of Experts|U.N. Panel of Experts|UN panel of experts on North Korea|"
              "1718 Committee Panel of Experts",
           hans="联合国专家小组|联合国朝鲜制裁专家小组|1718委员会专家小组",
           hant="聯合國專家小組|聯合國北韓制裁專家小組|1718委員會專家小組",
           ko="유엔 전문가 패널|유엔 전문가패널|대북제재위원회 전문가 패널|대북제재위 전문가패널",
           ja="国連専門家パネル|北朝鮮制裁委員会専門家パネル"),
    _actor("Multilateral Sanctions Monitoring Team", "organisation",
           en="Multilateral Sanctions Monitoring Team|MSMT",
           hans="多边制裁监督小组|多边制裁监测小组", hant="多邊制裁監督小組|多邊制裁監測小組",
           ko="다국적제재모니터링팀|다국적 제재 모니터링팀", ja="多国間制裁監視チーム"),
    _actor("NATO", "organisation", en="NATO|North Atlantic Treaty Organization",
           hans="北约|北大西洋公约组织", hant="北約|北大西洋公約組織",
           ko="나토|북대서양조약기구", ja="北大西洋条約機構"),
    _actor("European Union", "organisation", en="European Union|EU",
           hans="欧盟|欧洲联盟", hant="歐盟|歐洲聯盟", ko="유럽연합|유럽 연합", ja="欧州連合"),
    # --- Government bodies -----------------------------------------------------------
    _actor("Kremlin", "agency", en="Kremlin|the Kremlin", hans="克里姆林宫|克宫",
           hant="克里姆林宮|克宮", ko="크렘린|크렘린궁", ja="クレムリン"),
    _actor("Russian Ministry of Defence", "agency",
           en="Russian Ministry of Defence|Russian Ministry of Defense|Russian Defence Ministry|"
              "Russian Defense Ministry|Ministry of Defence of the Russian Federation",
           hans="俄罗斯国防部|俄国防部|俄罗斯联邦国防部", hant="俄羅斯國防部|俄國防部|俄國國防部",
           ko="러시아 국방부|러시아국방부|러 국방부", ja="ロシア国防省|露国防省"),
    _actor("Russian Armed Forces", "agency",
           en="Russian Armed Forces|Armed Forces of the Russian Federation|Russian military",
           hans="俄军|俄罗斯军队|俄罗斯军方", hant="俄軍|俄羅斯軍隊|俄羅斯軍方",
           ko="러시아군|러군", ja="ロシア軍|露軍"),
    _actor("Korean Central News Agency", "agency", en="Korean Central News Agency|KCNA",
           hans="朝鲜中央通讯社|朝中社", hant="朝鮮中央通訊社|朝中社",
           ko="조선중앙통신|조선중앙통신사", ja="朝鮮中央通信|朝鮮中央通信社"),
    _actor("Korean People's Army", "agency",
           en="Korean People's Army|KPA|North Korean military|North Korean army",
           hans="朝鲜人民军|朝鲜军队|朝鲜军|北韩军队", hant="朝鮮人民軍|朝鮮軍隊|北韓軍|北韓軍隊",
           ko="조선인민군|인민군|북한군", ja="朝鮮人民軍|北朝鮮軍"),
    _actor("National Intelligence Service", "agency",
           en="National Intelligence Service|NIS|South Korean National Intelligence Service",
           hans="国家情报院|韩国国家情报院|国情院", hant="國家情報院|韓國國家情報院|國情院",
           ko="국가정보원|국정원", ja="国家情報院|韓国国家情報院|国情院"),
    _actor("Joint Chiefs of Staff (South Korea)", "agency",
           en="South Korean Joint Chiefs of Staff|South Korea's Joint Chiefs of Staff",
           hans="联参|韩国联参|联合参谋本部|韩国联合参谋本部",
           hant="聯參|韓國聯參|南韓聯參|聯合參謀本部|韓國聯合參謀本部",
           ko="합동참모본부|합참",
           ja="合同参謀本部|韓国軍合同参謀本部|韓国合同参謀本部|韓国軍統合参謀本部"),
    _actor("Ministry of National Defense (South Korea)", "agency",
           en="South Korean Ministry of National Defense|South Korean Defense Ministry|"
              "South Korea's Defense Ministry|South Korean defence ministry",
           hans="韩国国防部|南韩国防部", hant="韓國國防部|南韓國防部",
           ko="국방부|한국 국방부|대한민국 국방부", ja="韓国国防省|韓国国防部"),
    _actor("Main Intelligence Directorate (Ukraine)", "agency",
           en="HUR|GUR|Defence Intelligence of Ukraine|Ukrainian military intelligence|"
              "Ukraine's military intelligence|Ukraine's Main Intelligence Directorate",
           hans="乌克兰国防部情报总局|乌克兰情报总局|乌克兰军事情报局",
           hant="烏克蘭國防部情報總局|烏克蘭情報總局|烏克蘭軍事情報局",
           ko="우크라이나 국방정보총국|우크라이나 정보총국|우크라이나 국방부 정보총국|국방정보총국",
           ja="ウクライナ国防省情報総局|ウクライナ情報総局"),
    _actor("Armed Forces of Ukraine", "agency",
           en="Armed Forces of Ukraine|Ukrainian Armed Forces|Ukrainian military|"
              "Ukraine's military",
           hans="乌克兰军队|乌克兰军方|乌军|乌克兰武装部队",
           hant="烏克蘭軍隊|烏克蘭軍方|烏軍|烏克蘭武裝部隊",
           ko="우크라이나군|우크라군", ja="ウクライナ軍"),
    _actor("United States Department of Defense", "agency",
           en="Pentagon|the Pentagon|US Department of Defense|U.S. Department of Defense|"
              "Department of Defense|DoD|Department of War",
           hans="五角大楼|美国国防部|美国战争部", hant="五角大廈|美國國防部|美國戰爭部",
           ko="펜타곤|미 국방부|미국 국방부|미 전쟁부",
           ja="国防総省|米国防総省|ペンタゴン|米戦争省"),
    _actor("White House", "agency", en="White House|the White House",
           hans="白宫", hant="白宮", ko="백악관", ja="ホワイトハウス"),
    _actor("United States Department of State", "agency",
           en="United States Department of State|US State Department|"
              "U.S. State Department|State Department",
           hans="美国国务院", hant="美國國務院", ko="국무부|미 국무부|미국 국무부",
           ja="国務省|米国務省"),
    _actor("Ministry of Defense (Japan)", "agency",
           en="Japanese Ministry of Defense|Japan's Defense Ministry|Japanese Defense Ministry",
           hans="日本防卫省|防卫省", hant="日本防衛省|防衛省", ko="일본 방위성|방위성",
           ja="防衛省"),
    # --- People ----------------------------------------------------------------------
    _actor("Xi Jinping", "person", en="Xi Jinping", hans="习近平", hant="習近平",
           ko="시진핑", ja="習近平"),
    _actor("Alexander Lukashenko", "person", en="Alexander Lukashenko|Lukashenko",
           hans="卢卡申科", hant="盧卡申科", ko="루카셴코", ja="ルカシェンコ"),
    _actor("Kim Jong Un", "person", en="Kim Jong Un|Kim Jong-un",
           hans="金正恩", hant="金正恩", ko="김정은", ja="金正恩|キム・ジョンウン"),
    _actor("Vladimir Putin", "person", en="Vladimir Putin|Putin",
           hans="普京|弗拉基米尔·普京", hant="普丁|弗拉基米爾·普丁",
           ko="푸틴|블라디미르 푸틴", ja="プーチン|ウラジーミル・プーチン"),
    _actor("Volodymyr Zelenskyy", "person",
           en="Volodymyr Zelenskyy|Volodymyr Zelensky|Zelenskyy|Zelensky",
           hans="泽连斯基|泽伦斯基|弗拉基米尔·泽伦斯基", hant="澤倫斯基|澤連斯基",
           ko="젤렌스키|볼로디미르 젤렌스키", ja="ゼレンスキー|ウォロディミル・ゼレンスキー"),
    _actor("Yoon Suk Yeol", "person", en="Yoon Suk Yeol|Yoon Suk-yeol",
           hans="尹锡悦", hant="尹錫悅", ko="윤석열", ja="尹錫悦|ユン・ソンニョル"),
    _actor("Lee Jae-myung", "person", en="Lee Jae-myung|Lee Jae Myung",
           hans="李在明", hant="李在明", ko="이재명", ja="李在明|イ・ジェミョン"),
    _actor("Joe Biden", "person", en="Joe Biden|Biden",
           hans="拜登", hant="拜登", ko="바이든", ja="バイデン"),
    _actor("Donald Trump", "person", en="Donald Trump|Trump",
           hans="特朗普|唐纳德·特朗普", hant="川普|特朗普", ko="트럼프", ja="トランプ"),
    _actor("Sergei Lavrov", "person", en="Sergei Lavrov|Sergey Lavrov|Lavrov",
           hans="拉夫罗夫|谢尔盖·拉夫罗夫", hant="拉夫羅夫|謝爾蓋·拉夫羅夫",
           ko="라브로프", ja="ラブロフ"),
    _actor("Sergei Shoigu", "person", en="Sergei Shoigu|Sergey Shoygu|Shoigu",
           hans="绍伊古", hant="紹伊古", ko="쇼이구", ja="ショイグ"),
    _actor("Dmitry Peskov", "person", en="Dmitry Peskov|Dmitri Peskov|Peskov",
           hans="佩斯科夫|德米特里·佩斯科夫", hant="佩斯科夫", ko="페스코프", ja="ペスコフ"),
    _actor("Andrei Belousov", "person", en="Andrei Belousov|Andrey Belousov|Belousov",
           hans="别洛乌索夫", hant="別洛烏索夫", ko="벨로우소프", ja="ベロウソフ"),
    _actor("Choe Son Hui", "person", en="Choe Son Hui|Choe Son-hui",
           hans="崔善姬", hant="崔善姬", ko="최선희", ja="崔善姫|チェ・ソンヒ"),
    # --- Places ----------------------------------------------------------------------
    _actor("Kursk", "place", en="Kursk|Kursk region|Kursk Oblast",
           hans="库尔斯克|库尔斯克州", hant="庫爾斯克|庫爾斯克州", ko="쿠르스크", ja="クルスク"),
    _actor("Vladivostok", "place", en="Vladivostok",
           hans="符拉迪沃斯托克|海参崴", hant="海參崴|符拉迪沃斯托克",
           ko="블라디보스토크", ja="ウラジオストク"),
)

# Longer names that contain an alias (or an abbreviation compound) but name something
# else. A matcher consumes these before it looks for aliases, longest first.
NON_ACTOR_NAMES: dict[str, str] = {
    "朝鲜半岛": "the Korean Peninsula", "朝鮮半島": "the Korean Peninsula",
    "朝鲜族": "ethnic Koreans of China", "朝鮮族": "ethnic Koreans of China",
    "朝鲜战争": "the Korean War", "朝鮮戰爭": "the Korean War", "朝鮮戦争": "the Korean War",
    "朝鲜日报": "the Chosun Ilbo", "朝鮮日報": "the Chosun Ilbo",
    "朝日新闻": "the Asahi Shimbun", "朝日新聞": "the Asahi Shimbun",
    "中日新聞": "the Chunichi Shimbun",
    "华盛顿邮报": "the Washington Post", "華盛頓郵報": "the Washington Post",
    "ワシントン・ポスト": "the Washington Post", "워싱턴포스트": "the Washington Post",
    "Washington Post": "the Washington Post", "Washington Times": "the Washington Times",
    "South China Morning Post": "a Hong Kong newspaper", "南华早报": "the SCMP",
    "Kyiv Independent": "a Ukrainian news site", "Kyiv Post": "a Ukrainian newspaper",
    "Moscow Times": "a Russian newspaper", "Japan Times": "a Japanese newspaper",
    "中美洲": "Central America", "美中不足": "an idiom: a flaw in something good",
    "中午": "noon (日中午 is not Japan–China)", "其中方": "among them, a side",
    "集中方": "concentrate (集中方向, 集中方式)", "北京时间": "Beijing time",
    "北京時間": "Beijing time", "日本海": "the Sea of Japan",
    "한국어": "the Korean language", "한국전쟁": "the Korean War", "북한산": "Bukhansan",
    "남한산성": "Namhansanseong",
}

# Chinese one-character abbreviations: safe only inside a compound (俄朝, 美日韩).
ABBREVIATIONS: dict[str, str] = {
    "俄": "Russia", "朝": "North Korea", "韩": "South Korea", "韓": "South Korea",
    "美": "United States", "日": "Japan", "乌": "Ukraine", "烏": "Ukraine", "中": "China",
}
_COMPOUND_SEPARATORS = "、·・"
_NUMERALS = "0123456789０１２３４５６７８９〇一二三四五六七八九十廿卅"


@cache
def _by_key() -> dict[str, Actor]:
    return {actor.key: actor for actor in ACTORS}


@cache
def _alias_table() -> dict[str, str]:
    """alias → the key it stands for; a capital's names stand for its state."""
    table: dict[str, str] = {}
    for actor in ACTORS:
        for name in actor.all_names():
            table.setdefault(name, actor.capital_of or actor.key)
    return table


def aliases() -> list[tuple[str, str]]:
    """Every (alias, key name) pair; the key names themselves are included."""
    return list(_alias_table().items())


def resolve(name: str) -> str | None:
    """The key name an alias stands for, or None (exact spelling; no folding)."""
    return _alias_table().get(name.strip())


def kind_of(name: str) -> str | None:
    """The kind of the actor a key name or alias names.

    A key name is taken as itself (``kind_of("Moscow") == "place"``); any other alias is
    resolved first, so a capital's other names give its state (``kind_of("莫斯科")``).
    """
    actor = _by_key().get(name.strip())
    if actor is None:
        key = resolve(name)
        actor = _by_key().get(key) if key else None
    return actor.kind if actor else None


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff"


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for every alias and non-actor name, as a trie over their lower-case
    forms (an alternation of five hundred names, each tried at every position, costs
    milliseconds a sentence; the trie shares their prefixes), and for each lower-case form
    the name as written. Built on first use."""
    from nkru_claims.matching.normalise import trie_regex

    written: dict[str, str] = {}
    for name in sorted(set(_alias_table()) | set(NON_ACTOR_NAMES), key=lambda n: (-len(n), n)):
        written.setdefault(name.lower(), name)
    latin = [n for n in written if n[0].isascii()]
    other = [n for n in written if not n[0].isascii()]
    first = "".join(sorted({re.escape(n[0]) for n in written}))
    parts = []
    if latin:
        parts.append(rf"(?<![a-z0-9])(?:{trie_regex(latin)})(?![a-z0-9])")
    if other:
        parts.append(f"(?:{trie_regex(other)})")
    return re.compile(f"(?=[{first}])(?:{'|'.join(parts)})"), written



def find_actors(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) for each actor named in ``text``: a reference for the matcher.

    Leftmost, then longest name first; a non-actor name (朝鲜半岛) is consumed and yields
    nothing. Korean names match at the start of a Hangul word, so 북한은 finds North Korea
    and 조선일보 finds nothing; acronyms (US, UN, NIS) match only as written, so "us" is
    not the US. Works on the text as written (no script folding).
    """
    from nkru_claims.matching.normalise import lowered

    pattern, written = _pattern()
    table, found = _alias_table(), []
    low = lowered(text)
    pos = 0
    while (match := pattern.search(low, pos)) is not None:
        name = written[match.group()]
        start, end = match.span()
        if (_is_hangul(name[0]) and start and _is_hangul(text[start - 1])) or (
                re.fullmatch(r"[A-Z0-9.]+", name) and text[start:end] != name):
            pos = start + 1  # inside a Korean word, or "us" for US: not this name
            continue
        if name not in NON_ACTOR_NAMES:
            found.append((start, end, table[name]))
        pos = end
    return found


def expand_abbreviation_compound(segment: str) -> list[str]:
    """The actors a compound of one-character abbreviations names, in its order.

    俄朝 → Russia, North Korea; 美日韓 → United States, Japan, South Korea; 中、朝、俄 too.
    Anything else gives []: fewer than two or more than four characters, a character
    that is no abbreviation (美國 is a name, not a compound), or one actor twice (日日).
    """
    letters = [c for c in segment.strip() if c not in _COMPOUND_SEPARATORS]
    if not 2 <= len(letters) <= 4 or segment.strip()[:1] in _COMPOUND_SEPARATORS:
        return []
    if any(letter not in ABBREVIATIONS for letter in letters):
        return []
    keys = [ABBREVIATIONS[letter] for letter in letters]
    return keys if len(set(keys)) == len(keys) else []


@cache
def _abbreviation_run() -> re.Pattern[str]:
    letters = "".join(ABBREVIATIONS)
    return re.compile(f"[{letters}](?:[{_COMPOUND_SEPARATORS}]?[{letters}])+")


def find_abbreviation_compounds(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, keys) for each abbreviation compound in a Chinese ``text``.

    Aliases and non-actor names are blanked first, so 朝中社 (KCNA), 俄罗斯 and 中午 lend
    no characters to a compound; a 日 right after a numeral is a date (25日俄方表示).
    """
    from nkru_claims.matching.normalise import lowered

    masked = list(text)
    pattern = _pattern()[0]
    for match in pattern.finditer(lowered(text)):  # names and non-actor names alike
        masked[match.start():match.end()] = "\0" * (match.end() - match.start())
    for index, char in enumerate(masked):
        if char == "日" and index and masked[index - 1] in _NUMERALS:
            masked[index] = "\0"
    found = []
    for run in _abbreviation_run().finditer("".join(masked)):
        keys = expand_abbreviation_compound(run.group())
        if keys:
            found.append((run.start(), run.end(), keys))
    return found


#: Short forms reporting uses for a state where no name stands: adjectives ("North Korean
#: troops"), one-character abbreviations outside compounds (俄军, 赴华, 烏向俄), Korean
#: headline forms (北, 러, 북러) and Japanese ones (露朝). Regexes, used by
#: ``facts.PartyFinder`` after the names, and never the subject of a sentence.
SHORT_FORMS = {
    "North Korea": [r"\b(?:North|N\.)\s?Korean(?:s)?\b", r"(?<![가-힣])북(?=[·,\-]|러|중|미|한|\s*,)",
                    r"北(?=[,，·、]\s*[러露])", r"(?<=[俄露])朝(?![鲜鮮])", r"朝(?=[俄露制军軍方])"],
    "Russia": [r"\bRussians?\b", r"(?<![\u4e00-\u9fff])俄(?![罗羅国國])|(?<=[\u4e00-\u9fff])俄(?![罗羅国國])",
               r"(?<![가-힣])러(?=[,·\s]|$)|(?<=[북한중미])러(?![가-힣])", r"露(?=[朝軍側国])|(?<=[朝日米中])露"],
    "South Korea": [r"\b(?:South|S\.)\s?Koreans?\b"],
    "Ukraine": [r"\bUkrainians?\b", r"[乌烏](?=[军軍方克向对對])|(?<=[俄露向对對])[乌烏]", r"우크라(?!이나)"],
    "United States": [r"\bAmericans?\b", r"\bU\.S\.(?=\s)"],
    "China": [r"\bChinese\b", r"(?<=[赴访訪驻駐对對援])[华華]|中[华華](?!人民)", r"(?<=[북한미러])중(?![가-힣])|(?<![가-힣])중(?=[,·\s]|러|국(?![가-힣]))"],
    "Iran": [r"\bIranians?\b"],
}  # fmt: skip
