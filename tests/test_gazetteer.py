"""The gazetteer: one actor per name in five languages, and no name hiding in a common word."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict

import pytest

from nkru_claims.matching import gazetteer
from nkru_claims.matching.gazetteer import (
    ACTORS,
    KINDS,
    LANGUAGES,
    aliases,
    expand_abbreviation_compound,
    find_abbreviation_compounds,
    find_actors,
    kind_of,
    resolve,
)
from nkru_claims.matching.normalise import alias_key
from tests.conftest import SEED_PATH

BY_KEY = {actor.key: actor for actor in ACTORS}
STATES = [a.key for a in ACTORS if a.kind == "state"]
MAIN_PEOPLE = ["Kim Jong Un", "Vladimir Putin", "Volodymyr Zelenskyy", "Yoon Suk Yeol",
               "Lee Jae-myung", "Joe Biden", "Donald Trump", "Sergei Lavrov", "Sergei Shoigu",
               "Dmitry Peskov", "Andrei Belousov", "Choe Son Hui"]

# Words every report in that language uses (or that sit right next to the names in it),
# which must name no actor: an alias that is a prefix (Korean) or a substring (Chinese,
# Japanese) or a word (English) of one of them would put a party where there is none.
COMMON_WORDS: dict[str, list[str]] = {
    "ko": ["한반도", "한미", "한미일", "남북", "북러", "북중", "정부", "대통령", "국방", "군사",
           "파병", "병력", "포탄", "미사일", "탄도미사일", "무기", "제재", "협력", "조약", "동맹",
           "전쟁", "전선", "정보", "당국", "외교부", "통일부", "조선일보", "조선업", "조선소",
           "한국어", "한국전쟁", "북한산", "국경", "국가", "국정", "한편", "한때", "미래", "미군",
           "일부", "일대", "중요", "중앙", "중동", "러닝", "우려", "평가", "서명", "유럽",
           "나라", "합의", "백신", "크기", "도움"],
    "ja": ["朝鮮半島", "朝鮮戦争", "朝日新聞", "日本海", "政府", "大統領", "首相", "国防", "軍事",
           "派兵", "兵士", "砲弾", "弾道ミサイル", "兵器", "制裁", "協力", "条約", "同盟", "戦争",
           "前線", "情報", "当局", "外務省", "報道", "発表", "会談", "首脳", "米", "露", "韓",
           "朝", "中", "日", "午前", "午後", "中央", "国際", "国家", "国境", "国内", "連合",
           "北部", "南部", "東部", "西部", "合同", "参謀", "統合", "安全保障", "支援",
           "ワシントン・ポスト"],
    "zh-Hans": ["朝鲜半岛", "朝鲜族", "朝鲜战争", "朝鲜日报", "朝日新闻", "华盛顿邮报", "南华早报",
                "中美洲", "美中不足", "中午", "北京时间", "日本海", "政府", "总统", "国防",
                "军事", "派兵", "士兵", "炮弹", "弹道导弹", "武器", "制裁", "合作", "条约",
                "同盟", "战争", "前线", "情报", "当局", "外交部", "国务院", "国防部", "报道",
                "表示", "会谈", "峰会", "专家小组", "联合", "参谋", "安全会议", "中央", "国际",
                "国家", "边境", "美元", "日元", "俄语", "今日", "明日", "其中方面"],
    "zh-Hant": ["朝鮮半島", "朝鮮族", "朝鮮戰爭", "朝鮮日報", "朝日新聞", "華盛頓郵報",
                "北京時間", "日本海", "政府", "總統", "國防", "軍事", "派兵", "士兵", "砲彈",
                "彈道飛彈", "武器", "制裁", "合作", "條約", "同盟", "戰爭", "前線", "情報",
                "當局", "外交部", "國務院", "國防部", "報導", "表示", "會談", "峰會",
                "專家小組", "聯合", "參謀", "中央", "國際", "國家", "邊境", "美元", "日圓",
                "今日", "明日", "中午", "美中不足", "中美洲", "參謀首長聯席會議", "聯合報",
                "聯繫", "集中方向"],
    "en": ["us", "un", "eu", "nis", "pentagonal", "Americans", "Chinese", "hur", "gur", "kpa",
           "usa", "prc", "rok",
           "Washington Post", "South China Morning Post", "Kyiv Independent", "Moscow Times",
           "Russian", "Russians", "Ukrainian", "Korean", "Korean Peninsula", "Korean War",
           "Security Council", "National Security Council", "Joint Chiefs of Staff",
           "Main Intelligence Directorate", "panel of experts", "State Council",
           "government", "president", "minister", "ministry", "military", "troops",
           "soldiers", "shells", "missiles", "sanctions", "treaty", "alliance", "war",
           "front line", "intelligence", "officials", "statement", "summit", "defense",
           "trumpet", "putting", "americana"],
}


def test_every_alias_names_one_actor() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in ACTORS:
        for name in actor.all_names():
            owners[name].add(actor.capital_of or actor.key)
    assert {n: k for n, k in owners.items() if len(k) > 1} == {}
    assert len(dict(aliases())) == len(aliases()) == len(owners)


def test_aliases_stay_apart_once_folded_to_one_script() -> None:
    """The database looks names up by ``alias_key`` (北韓 = 北韩): no key names two actors."""
    owners: dict[str, set[str]] = defaultdict(set)
    for name, key in aliases():
        owners[alias_key(name)].add(key)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_the_table_is_well_formed() -> None:
    assert len(BY_KEY) == len(ACTORS)
    for actor in ACTORS:
        assert actor.kind in KINDS, actor.key
        assert set(actor.names) <= set(LANGUAGES), actor.key
        assert actor.names.get("en"), actor.key
        if actor.capital_of:
            assert BY_KEY[actor.capital_of].kind == "state"
        for names in actor.names.values():
            assert all(name == name.strip() and name for name in names)


@pytest.mark.parametrize("key", STATES + MAIN_PEOPLE)
def test_states_and_main_people_have_names_in_all_five_languages(key: str) -> None:
    actor = BY_KEY[key]
    assert [lang for lang in LANGUAGES if not actor.names.get(lang)] == []


@pytest.mark.parametrize("capital", ["Pyongyang", "Moscow", "Seoul", "Kyiv", "Washington",
                                     "Beijing", "Tokyo"])
def test_capitals_have_all_five_languages_and_stand_for_their_state(capital: str) -> None:
    actor = BY_KEY[capital]
    assert actor.capital_of and [lang for lang in LANGUAGES if not actor.names.get(lang)] == []
    assert {resolve(name) for name in actor.all_names()} == {actor.capital_of}


@pytest.mark.parametrize("name", ["North Korea", "北韓", "朝鲜", "북한", "北朝鮮", "Pyongyang",
                                  "平壤", "평양", "平壌", "DPRK"])
def test_the_brief_s_names_of_north_korea_are_one_party(name: str) -> None:
    assert resolve(name) == "North Korea"


def test_the_named_bodies_resolve() -> None:
    nis, jcs = "National Intelligence Service", "Joint Chiefs of Staff (South Korea)"
    expected = {
        "국정원": nis, "國家情報院": nis, "国家情報院": nis, "합참": jcs, "聯參": jcs, "联参": jcs,
        "국방부": "Ministry of National Defense (South Korea)",
        "조선중앙통신": "Korean Central News Agency", "朝中社": "Korean Central News Agency",
        "朝鮮中央通信": "Korean Central News Agency", "조선인민군": "Korean People's Army",
        "朝鲜人民军": "Korean People's Army", "HUR": "Main Intelligence Directorate (Ukraine)",
        "五角大楼": "United States Department of Defense", "MSMT":
        "Multilateral Sanctions Monitoring Team", "모스크바": "Russia", "キーウ": "Ukraine",
        "키예프": "Ukraine", "華府": "United States", "北京": "China", "東京": "Japan",
    }
    assert {name: resolve(name) for name in expected} == expected


def test_kind_of() -> None:
    assert kind_of("North Korea") == "state"
    assert kind_of("Moscow") == "place"  # the key name is the city itself
    assert kind_of("莫斯科") == "state"  # an alias is read as what it stands for
    assert kind_of("Kursk") == "place"
    assert kind_of("푸틴") == "person"
    assert kind_of("국정원") == "agency"
    assert kind_of("NATO") == "organisation"
    assert kind_of("Narnia") is None


@pytest.mark.parametrize("language", sorted(COMMON_WORDS))
def test_no_alias_hides_in_a_common_word(language: str) -> None:
    words = COMMON_WORDS[language]
    assert len(words) >= 50
    assert {word: find_actors(word) for word in words if find_actors(word)} == {}


def test_no_alias_is_a_bare_abbreviation() -> None:
    singles = {name for name, _ in aliases() if len(name) == 1}
    assert singles == set()
    assert not set(gazetteer.ABBREVIATIONS) & {name for name, _ in aliases()}


@pytest.mark.parametrize(("text", "keys"), [
    ("북한은 러시아에 포탄을 보냈다", ["North Korea", "Russia"]),
    ("러시아로부터 기술을", ["Russia"]),
    ("러시아 국방부는 부인했다", ["Russian Ministry of Defence"]),
    ("미 국방부는", ["United States Department of Defense"]),
    ("국방부는 밝혔다", ["Ministry of National Defense (South Korea)"]),
    ("북한군이 쿠르스크에", ["Korean People's Army", "Kursk"]),
    ("朝鲜半岛局势与朝鲜", ["North Korea"]),
    ("據華盛頓郵報報導，華盛頓表示", ["United States"]),
    ("北朝鮮とロシアが", ["North Korea", "Russia"]),
    ("The US and the UN; let us see", ["United States", "United Nations"]),
    ("the Washington Post said Washington and Moscow", ["United States", "Russia"]),
    ("朝中社报道", ["Korean Central News Agency"]),
])
def test_find_actors_reads_running_text(text: str, keys: list[str]) -> None:
    assert [key for _, _, key in find_actors(text)] == keys


@pytest.mark.parametrize(("segment", "keys"), [
    ("俄朝", ["Russia", "North Korea"]),
    ("朝俄", ["North Korea", "Russia"]),
    ("美日韓", ["United States", "Japan", "South Korea"]),
    ("美日韩", ["United States", "Japan", "South Korea"]),
    ("中俄", ["China", "Russia"]),
    ("俄乌", ["Russia", "Ukraine"]),
    ("中、朝、俄", ["China", "North Korea", "Russia"]),
    ("中韓美", ["China", "South Korea", "United States"]),
    ("美國", []), ("俄", []), ("日日", []), ("美日韩中俄", []), ("俄罗斯", []), ("、俄朝", []),
])
def test_expand_abbreviation_compound(segment: str, keys: list[str]) -> None:
    assert expand_abbreviation_compound(segment) == keys


@pytest.mark.parametrize(("text", "compounds"), [
    ("朝俄订立战略联盟 冲击中日韩区域安全",
     [["North Korea", "Russia"], ["China", "Japan", "South Korea"]]),
    ("中、朝、俄三方是否会", [["China", "North Korea", "Russia"]]),
    ("25日俄方表示", []),  # a date, then 俄方 (an alias)
    ("10月3日中午", []),
    ("朝中社报道朝日新闻的说法", []),
    ("中美洲国家", []),
])
def test_find_abbreviation_compounds(text: str, compounds: list[list[str]]) -> None:
    assert [keys for _, _, keys in find_abbreviation_compounds(text)] == compounds


def test_seed_parties_agree_with_the_gazetteer() -> None:
    """A name the seed fixture gives one party must not stand for another actor here."""
    seed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    wrong = []
    for party in seed["parties"]:
        for alias in party["aliases"]:
            key = resolve(alias["alias"])
            if key is not None and key != party["name"] and party["name"] in BY_KEY:
                wrong.append((alias["alias"], party["name"], key))
    assert wrong == []


def test_nothing_heavy_at_import() -> None:
    """Importing the table compiles no regex and loads neither OpenCC nor the normaliser."""
    probe = ("import sys; from nkru_claims.matching import gazetteer as g; "
             "print(g._pattern.cache_info().currsize, 'opencc' in sys.modules, "
             "'nkru_claims.matching.normalise' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["0", "False", "False"]


_HANGUL = range(0xAC00, 0xD7A4)
_KANA = range(0x3040, 0x3100)


@pytest.mark.parametrize("actor", ACTORS, ids=lambda actor: actor.key)
def test_each_name_is_written_in_its_language_s_script(actor: gazetteer.Actor) -> None:
    """A stray character from a neighbouring script (쿠르斯크) would never match."""
    odd = []
    for language, names in actor.names.items():
        for name in names:
            codes = [ord(c) for c in name if c.isalpha()]
            if language == "ko":
                bad = [c for c in codes if c not in _HANGUL and c >= 0x80]
            elif language == "en":
                bad = [c for c in codes if c >= 0x80]
            else:  # Han everywhere; kana only in Japanese
                bad = [c for c in codes if c in _HANGUL or (language != "ja" and c in _KANA)]
            if bad:
                odd.append((language, name))
    assert odd == []


def test_chinese_names_are_in_the_script_their_tag_says() -> None:
    import opencc

    to_simplified, to_traditional = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    wrong = [(lang, name) for actor in ACTORS for lang, names in actor.names.items()
             for name in names
             if (lang == "zh-Hans" and to_simplified.convert(name) != name)
             or (lang == "zh-Hant" and to_traditional.convert(name) != name)]
    assert wrong == []
