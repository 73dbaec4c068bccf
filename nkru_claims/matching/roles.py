"""Who says it, who is it about, who gives to whom, and is it denied: roles in five languages.

A claim such as "North Korea has sent 10,000 troops to Russia, the NIS said" carries three
kinds of party: the speaker it is attributed to (the NIS), the parties the claim names
(North Korea, Russia) and, where a transfer has a direction, the giver and the receiver.
Matching needs them apart: "the NIS said Russia sent…" and "Russia said the NIS…" name the
same parties and say different things. Party names are found elsewhere and arrive as
``Mention`` spans; this module only reads the sentence around them.

How it reads, in every language alike:
1. the attribution ("the NIS said", 据…称, …고 밝혔다, …と発表した, according to…) is found
   by a small pattern per language and blanked out, keeping offsets, so that everything
   after it reads the claim only; mentions inside it are the speakers;
2. negation is read on the claim only, after blanking the phrases that look negative and
   are not ("not only", 不排除, 뿐만 아니라, だけでなく, "a policy of not…");
3. direction is read only where a transfer verb occurs, from the markers around each mention
   (to/from/by, 向/从, 에/로부터, に/から); a missing subject ("denied sending troops") is
   the speaker. Reciprocal wording ("each other", 互相, 서로, 互いに) has no direction.

The patterns are plain regular expressions, compiled on first use; the reader is pure and
total (it never raises on any text and any mentions within it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

Span = tuple[int, int]


@dataclass(frozen=True)
class Mention:
    """A party named in the text, as found by the party reader."""

    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Roles:
    """What a sentence says about its parties (see the module docstring)."""

    speakers: frozenset[str]
    parties: frozenset[str]
    giver: str | None
    receiver: str | None
    negated: bool
    denied_by: frozenset[str]
    claim_span: tuple[int, int]


# --- vocabulary -------------------------------------------------------------------------

EN_SAY = (
    r"said|says|say|told(?:\s+(?!that\b)\w+)?|tells|claimed|claims|alleged|alleges|estimated|"
    r"estimates|reported|reports|confirmed|confirms|announced|stated|added|noted|warned|"
    r"believes|believed|assessed|insisted|argued|wrote|accused|declined to comment(?:\s+on)?|"
    r"(?:did|would|could) not rule out|according to"
)
EN_DENY = r"denied|denies|deny|dismissed|dismisses|rejected|rejects|refuted"
EN_GIVE = (
    r"sen[dt]s?|sending|ship(?:s|ped|ping)?|suppl(?:y|ies|ied|ying)|transfer(?:s|red|ring)?|"
    r"provid(?:e|es|ed|ing)|deliver(?:s|ed|ing|ies)?|sold|sell(?:s|ing)?|deploy(?:s|ed|ing)?|"
    r"dispatch(?:es|ed|ing)?|exports?|exported|exporting|transport(?:s|ed|ing)?|shipments?|"
    r"handed over|gave|give[ns]?"
)
EN_RECEIVE = (
    r"receiv(?:e|es|ed|ing)|obtain(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|b(?:uy|uys|ought|uying)|"
    r"import(?:s|ed|ing)?|purchas(?:e|es|ed|ing)|got|gets"
)
ZH_SAY = (
    r"报道说|報導說|報道說|警告说|警告說|分析认为|分析認為|告诉记者|說|说(?!法)|表示|称|稱|指出|"
    r"透露|证实|證實|宣称|宣稱|声称|聲稱|披露|报道|報導|報道|估计|估計|认为|認為|研判|强调|"
    r"強調|显示|顯示|宣布|估算|拒绝回应|拒絕回應|拒绝置评|拒絕置評|拒绝评论|拒絕評論"
)
ZH_DENY = r"否认|否認|驳斥|駁斥"
ZH_GIVE = (
    r"提供|运送|運送|输送|輸送|派遣|派出|派兵|增派|出售|交付|援助|转让|轉讓|转移|轉移|运往|運往|"
    r"派往|部署|出口|输出|輸出|供应|供應|移交|送往|运抵|運抵|支援|给予|給予"
)
ZH_RECEIVE = r"获得|獲得|取得|进口|進口|购买|購買|购入|購入|接收|收到|引进|引進"
KO_SAY = (
    r"밝혔다|말했다|전했다|주장했다|설명했다|확인했다|추정했다|보고했다|발표했다|강조했다|"
    r"분석했다|판단했다|지적했다|보도했다|경고했다|평가했다|언급했다|추산했다|주장하고 있다|"
    r"거부했다|피했다|배제하지 않았다"
)
KO_DENY = r"부인했다|부정했다|일축했다|반박했다"
KO_GIVE = (
    r"보냈|보내|보낸|보낼|제공|공급|지원(?!받)|파병|파견|넘겼|넘기|넘긴|판매|수출|이전|인도|운송|"
    r"배치"
)
KO_RECEIVE = r"받았|받은|받아|받을|지원받|들여|도입|수입|구매|구입|획득|사들"
JA_SAY = (
    r"明らかにした|発表した|述べた|指摘した|主張した|主張している|推計した|伝えた|報じた|説明した|"
    r"確認した|分析した|分析している|みている|見ている|強調した|明かした|語った|認めた|警告した|"
    r"推定した|報告した|控えた|避けた"
)
JA_DENY = r"否定した|否認した"
JA_GIVE = (
    r"送っ|送る|送ら|送り|供与|提供|派遣|派兵|輸出|移転|売却|引き渡|輸送|配備|供給|支援(?!を受)"
)
JA_RECEIVE = r"受け取|受領|支援を受|受け|調達|輸入|購入|入手|獲得"
RECIPROCAL = r"each other|one another|\bmutual(?:ly)?\b|互相|相互|서로|互いに"

NEGATION_EXCEPTIONS = {
    "en": (
        r"not only|not just|(?:did|does|do|would|could|has|have|had) not (?:rule|ruled) out|"
        r"not ruling out|(?:could|can|did|does) ?not deny|cannot deny|declined to comment|"
        r"not merely|not simply|"
        r"polic(?:y|ies) of not|principle of not|no doubt|did not (?:immediately )?respond|"
        r"not immediately|could not be (?:independently )?verified"
    ),
    "zh": (
        r"不仅没有|不僅沒有|不仅未|不僅未|非但没有|非但沒有|非但未|没有排除|沒有排除|并未排除|並未排除|"
        r"未排除|未曾排除|"
        r"不仅|不僅|不只|不但|不排除|并不否认|並不否認|不否认|不否認|没有否认|沒有否認|未来|未來|"
        r"拒绝置评|拒絕置評|拒绝评论|拒絕評論|无人机|無人機|未经证实|未經證實|"
        r"不[^，。,]{0,24}?的(?:政策|方针|方針|原则|原則|立场|立場)|"
        r"(?:not merely|not simply) "
    ),
    "ko": (
        r"뿐만 아니라|뿐 아니라|것은 물론|배제하지 않|배제할 수 없|부인할 수 없|부인하지 않|"
        r"틀림없|않는다는 (?:원칙|방침|정책|입장)|않겠다는 (?:원칙|방침|정책|입장)"
    ),
    "ja": (
        r"だけでなく|のみならず|ばかりでなく|排除しない|排除できない|排除していない|否定できない|"
        r"否定しなかった|否定していない|少ない|しない(?:方針|原則|政策|立場)|"
        r"しないとの(?:方針|原則|政策|立場)|しないという(?:方針|原則|政策|立場)|"
        r"排除しなかった|排除せず|ていないだけでなく|ないだけでなく"
    ),
}
NEGATION_CUES = {
    "en": (
        r"\bnot\b|n't\b|\bnever\b|\bno\b|\bnor\b|\bfalse\b|fake news|\bbaseless\b|\bunfounded\b|"
        r"\bgroundless\b|\bdenied\b|\bdenies\b"
    ),
    "zh": (
        r"否认|否認|驳斥|駁斥|尚无|尚無|无证据|無證據|没有|沒有|没|沒|未|不会|不會|不是|不再|不曾|并非|並非|不向|不给|不給|假新闻|"
        r"假新聞|毫无根据|毫無根據|不实|不實|谣言|謠言|捏造"
    ),
    "ko": (
        r"부인했|부인하|부정했|않았|않는|않을|않고|않겠|않다|안 |없다|없었|없는|아니다|아니라고|"
        r"아닌|가짜뉴스|가짜 뉴스|사실무근|근거 없|결코"
    ),
    "ja": (
        r"否定|否認|ていない|ていなかった|なかった|らない|さない|しない|わない|かない|がない|はない|"
        r"もない|ではない|事実無根|根拠がない|根拠のない|フェイクニュース|偽ニュース|一度も"
    ),
}


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a pattern once, on its first use (importing this module compiles nothing)."""
    return re.compile(pattern)


def _language(text: str) -> str:
    """Pick the reading rules by script: Hangul is Korean, kana Japanese, Han Chinese."""
    if _rx(r"[\uac00-\ud7a3]").search(text):
        return "ko"
    if _rx(r"[\u3040-\u30ff]").search(text):
        return "ja"
    if _rx(r"[\u4e00-\u9fff]").search(text):
        return "zh"
    return "en"


def _inside(mention: Mention, spans: Sequence[Span]) -> bool:
    return any(start <= mention.start < end for start, end in spans)


def _mentions_in(mentions: Sequence[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start < end]


# --- attribution: returns the attribution spans and whether the speaker's verb denies ------

Attribution = tuple[list[Span], bool]


def _attribution_en(text: str, mentions: Sequence[Mention]) -> Attribution:
    """Trailing ", X said." first (the wire's usual order), then a leading "X said (that)"."""
    say, deny = EN_SAY, EN_DENY
    for comma in reversed([m.end() for m in _rx(r"[,;]\"?|\"\s").finditer(text)]):
        tail = text[comma:]
        if len(tail.split()) > 14 or _rx(r"\bthat\b").search(tail):
            break  # every earlier comma starts a longer tail, which holds this one
        verb = _rx(rf"(?i)\b(?:{say}|{deny})\b").search(tail)
        if verb and not _rx(rf"(?i)\b(?:{EN_GIVE}|{EN_RECEIVE})\b").search(tail[: verb.start()]):
            start = comma - 1 if text[comma - 1] in ",;" else comma
            return [(start, len(text))], bool(_rx(rf"(?i)^(?:{deny})$").match(verb.group()))
        break
    lead = _rx(r"(?i)^\s*according to\b[^,]*,").match(text)
    if lead:
        return [(0, lead.end())], False
    verb = _rx(rf"(?i)\b(?:{say}|{deny})\b").search(text)
    if verb is None:
        return [], False
    subject = text[: verb.start()]
    if (
        len(subject.split()) > 12
        or _rx(rf"(?i)\b(?:{EN_GIVE}|{EN_RECEIVE}|that)\b|[,;]").search(subject)
        or not (_mentions_in(mentions, 0, verb.start()) or len(subject.split()) <= 4)
    ):
        return [], False
    rest = _rx(
        r"(?i)(?:\s+(?:on\s+\w+|in\s+a\s+\w+|earlier|last\s+\w+|this\s+\w+))*"
        r"(?:\s+(?:on\s+)?(?:the\s+)?(?:reports?|claims?|allegations?)(?=\s+that))?(?:\s+that\b)?"
    ).match(text, verb.end())
    end = rest.end() if rest else verb.end()
    return [(0, end)], bool(_rx(rf"(?i)^(?:{deny})$").match(verb.group()))


def _attribution_zh(text: str, mentions: Sequence[Mention]) -> Attribution:
    """A clause "X说/表示/称" or "据X报道" anywhere; else an inline "X称…", "X否认…"."""
    transfer = rf"{ZH_GIVE}|{ZH_RECEIVE}"
    clauses = [(m.start(), m.end()) for m in _rx(r"[^，,；;：:。！？!?]+").finditer(text)]
    for start, end in clauses:
        clause = text[start:end]
        if _rx(r"^\s*(?:据|據)").match(clause):
            return [(start, min(end + 1, len(text)))], False
        if len(clauses) < 2:
            break
        verb = _rx(rf"(?:{ZH_SAY}|{ZH_DENY})了?(?:说|說|道)?$").search(clause)
        subject = clause[: verb.start()] if verb else ""
        if (
            verb
            and 0 < len(subject) <= 30
            and not subject.endswith("的")
            and not _rx(transfer).search(subject)
        ):
            denial = bool(_rx(ZH_DENY).search(verb.group())) and not _rx(r"[不没沒未]$").search(
                subject
            )
            return [(max(start - 1, 0) if start else 0, min(end + 1, len(text)))], denial
    first_end = clauses[0][1] if clauses else len(text)
    for verb in _rx(rf"(?:{ZH_SAY}|{ZH_DENY})了?").finditer(text, 0, first_end):
        subject = text[: verb.start()]
        if (
            len(subject) <= 20
            and _mentions_in(mentions, 0, verb.start())
            and not _rx(transfer).search(subject)
        ):
            denial = bool(_rx(ZH_DENY).search(verb.group())) and not _rx(
                r"(?:不|没有|沒有|未)$"
            ).search(subject)
            return [(0, verb.end())], denial
    return [], False


def _topic(text: str, mentions: Sequence[Mention], pattern: str, nouns: str) -> Span | None:
    """The sentence-initial topic ("국정원은", "北朝鮮外務省は、") when it names a speaker."""
    topic = _rx(pattern).match(text)
    if topic and (_mentions_in(mentions, 0, topic.end()) or _rx(nouns).search(topic.group())):
        return (0, topic.end())
    return None


def _attribution_ko(text: str, mentions: Sequence[Mention]) -> Attribution:
    """Read "X에 따르면", "X은 …고 밝혔다", "…고 X이 밝혔다" and "X은 …을 부인했다"."""
    according = _rx(r"^(.{1,40}?에\s?따르면),?\s*").match(text)
    if according:
        return [(0, according.end())], False
    verb = _rx(rf"(?:{KO_SAY}|{KO_DENY})\.?\s*$").search(text)
    if verb is None:
        return [], False
    denial = bool(_rx(KO_DENY).match(verb.group()))
    prefix = text[: verb.start()]
    quotes = list(_rx(r"(?:다|라)고\s").finditer(prefix))
    quote = quotes[-1] if quotes else None  # the quotative 고 nearest the verb
    tail_start = verb.start()
    if quote is not None:
        tail_start = quote.start() + 1
        if _mentions_in(mentions, quote.end(), verb.start()):
            return [(tail_start, len(text))], denial
    else:
        obj = _rx(r"(?:을|를)\s*(?:모두\s+|강력히\s+|거듭\s+)?$").search(prefix)
        if obj is None:
            return [], False
        tail_start = obj.end()
    nouns = r"(?:관계자|대변인|당국|정부|통신|국방부|외무성|국무부|측)(?:은|는)$"
    topic = _topic(text, mentions, r"^(?:\S+\s+){0,3}?\S+?(?:은|는)(?=\s)", nouns)
    spans = [(tail_start, len(text))]
    return ([topic, *spans] if topic else spans), denial


def _attribution_ja(text: str, mentions: Sequence[Mention]) -> Attribution:
    """Read "Xによると", "Xは…と発表した", "…と、Xが明らかにした" and "Xは…を否定した"."""
    according = _rx(r"^([^、。]{1,40}?によ(?:ると|れば))、?").match(text)
    if according:
        return [(0, according.end())], False
    verb = _rx(rf"(?:{JA_SAY}|{JA_DENY})。?\s*$").search(text)
    if verb is None:
        return [], False
    denial = bool(_rx(JA_DENY).match(verb.group()))
    prefix = text[: verb.start()]
    cut = max(prefix.rfind("と"), prefix.rfind("を"))
    if cut < 0 or not _rx(r"^、?[^、。]{0,30}$").match(prefix[cut + 1 :]):
        return [], False
    tail_start = cut if prefix[cut] == "と" else cut + 1
    if _mentions_in(mentions, cut + 1, verb.start()):
        return [(tail_start, len(text))], denial
    nouns = r"(?:通信|報道官|政府|当局|関係者|省)は、?$"
    topic = _topic(text, mentions, r"^[^、。]{1,30}?は、?", nouns)
    spans = [(tail_start, len(text))]
    return ([topic, *spans] if topic else spans), denial


ATTRIBUTION: dict[str, Callable[[str, Sequence[Mention]], Attribution]] = {
    "en": _attribution_en,
    "zh": _attribution_zh,
    "ko": _attribution_ko,
    "ja": _attribution_ja,
}


# --- negation ----------------------------------------------------------------------------


def _blank(text: str, spans: Sequence[Span]) -> str:
    """Replace spans with spaces, keeping every offset, so later patterns cannot see them."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _negated(lang: str, claim_text: str) -> bool:
    """A negation cue in the claim, once look-alikes and subordinate asides are blanked."""
    if lang == "en":  # "which no longer…" is about something else
        claim_text = _blank(
            claim_text,
            [m.span() for m in _rx(r"(?i),\s*(?:which|who|whose)\b[^,]*,").finditer(claim_text)],
        )
    exceptions = _rx(f"(?i){NEGATION_EXCEPTIONS[lang]}").finditer(claim_text)
    claim_text = _blank(claim_text, [m.span() for m in exceptions])
    return bool(_rx(f"(?i){NEGATION_CUES[lang]}").search(claim_text))


# --- direction ---------------------------------------------------------------------------

TRANSFER = {
    "en": (rf"(?i)\b(?:{EN_GIVE})\b", rf"(?i)\b(?:{EN_RECEIVE})\b"),
    "zh": (ZH_GIVE, ZH_RECEIVE),
    "ko": (KO_GIVE, KO_RECEIVE),
    "ja": (JA_GIVE, JA_RECEIVE),
}


MAX_VERBS = 8  # a claim has a few transfer verbs; a runaway text must not cost O(n²)
ADJACENT_OBJECT = {"en": r"^\s+(?:the\s+)?$", "zh": r"^了?$"}


def _marker(lang: str, text: str, mention: Mention) -> str | None:
    """Read the case a mention is in: 'agent', 'dest' (to, 向, 에, に) or 'source' (from…)."""
    before, after = text[max(0, mention.start - 40) : mention.start], text[mention.end :]
    surface = text[mention.start : mention.end]
    if lang == "en":
        preposition = _rx(r"(?i)\b(to|into|from|by)\b(?:\s+(?!to\b|from\b)[\w'-]+){0,3}\s+$")
        found = preposition.search(before)
        if found:
            return {"from": "source", "by": "agent"}.get(found.group(1).lower(), "dest")
        return None
    if lang == "zh":
        if _rx(r"(?:从|從|由)$").search(before):
            return "source"
        if _rx(r"(?:向|给|給|对|對|往|赴|到|至|前往)$").search(before):
            return "dest"
        return (
            "agent"
            if _rx(r"^(?:并|並|已|正|将|將|或|还|還|不|没|沒|从未|從未)").match(after)
            else None
        )
    if lang == "ko":
        if _rx(r"^(?:으로부터|로부터|에게서|에서)").match(after):
            return "source"
        if _rx(r"^(?:에게|에|으로|로)(?!부터)|^(?:\s\S+){1,2}에(?!서)|^\s?파병").match(after):
            return "dest" if not _rx(r"군$").search(surface) else "agent"
        if _rx(r"^\S{0,4}?(?:이|가|은|는|도|의)(?:\s|$)").match(after):
            return "agent"
        return None
    if after.startswith("から"):
        return "source"
    if _rx(r"^[^、。をがはにへとからの]{0,8}(?:に(?!よ)|へ)|^(?:派兵|派遣)").match(after):
        return "dest" if not _rx(r"[兵軍]$").search(surface) else "agent"
    if _rx(r"^[^、。をにへとから]{0,3}?(?:が|は|の|も)").match(after):
        return "agent"
    return None


def _direction(
    lang: str, claim_text: str, mentions: Sequence[Mention], speakers: frozenset[str]
) -> tuple[str | None, str | None]:
    """Giver and receiver of the first transfer verb that has them, else (None, None)."""
    if _rx(f"(?i){RECIPROCAL}").search(claim_text):
        return None, None
    give, receive = TRANSFER[lang]
    verbs = [(m, "give") for m in _rx(give).finditer(claim_text)]
    verbs += [(m, "receive") for m in _rx(receive).finditer(claim_text)]
    verbs.sort(key=lambda item: (item[0].start(), item[1] == "give"))
    cased = [(m, _marker(lang, claim_text, m)) for m in mentions]
    best: tuple[str | None, str | None] = (None, None)
    for verb, kind in verbs[:MAX_VERBS]:
        other_case = "dest" if kind == "give" else "source"
        others = [m for m, case in cased if case == other_case]
        if lang in ADJACENT_OBJECT and not others:  # "supplied Russia with", 援助俄罗斯, 获得朝鲜的
            adjacent = _rx(ADJACENT_OBJECT[lang])
            others = [
                m
                for m in mentions
                if m.start >= verb.end() and adjacent.match(claim_text[verb.end() : m.start])
            ]
        other = min(others, key=lambda m: abs(m.start - verb.start()), default=None)
        before = [(m, case) for m, case in cased if m.end <= verb.start() and m is not other]
        subjects = [m for m, case in before if case == "agent"]
        if lang == "en":  # English marks a passive's agent after the verb: "sent by X"
            subjects = [m for m, case in cased if case == "agent" and m.start > verb.end()]
        subjects = subjects or [m for m, case in before if case is None]
        subject = subjects[-1].key if subjects else None
        if subject is None and not before and len(speakers) == 1:
            subject = next(iter(speakers))  # "denied sending troops": the speaker's own act
        object_ = other.key if other is not None else None
        if subject == object_:
            object_ = None
        pair = (subject, object_) if kind == "give" else (object_, subject)
        if all(pair):
            return pair
        if best == (None, None):
            best = pair
    if best == (None, None) and lang == "en":  # "Russia's use of missiles from North Korea"
        possessor = _rx(r"^'s\b")
        owners = [m for m in mentions if possessor.match(claim_text[m.end :])]
        sources = [m for m, case in cased if case == "source"]
        if owners and sources and owners[0].key != sources[0].key:
            return sources[0].key, owners[0].key
    return best


# --- the reader --------------------------------------------------------------------------


def _claim_span(text: str, spans: Sequence[Span]) -> Span:
    """The longest stretch outside the attribution, trimmed of spaces and punctuation."""
    cuts = sorted(spans)
    gaps, cursor = [], 0
    for start, end in cuts:
        gaps.append((cursor, max(cursor, start)))
        cursor = max(cursor, end)
    gaps.append((cursor, len(text)))
    start, end = max(gaps, key=lambda gap: gap[1] - gap[0])
    strip = " \t\n,;:，、；：。.\"'“”「」"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def read_roles(text: str, mentions: Sequence[Mention]) -> Roles:
    """Read the speaker, the claim's parties, its direction and its polarity."""
    valid = sorted(
        {m for m in mentions if 0 <= m.start < m.end <= len(text)},
        key=lambda m: (m.start, m.end, m.key),
    )
    lang = _language(text)
    spans, denial = ATTRIBUTION[lang](text, valid)
    spans = [(max(0, s), min(len(text), e)) for s, e in spans if s < e]
    speakers = frozenset(m.key for m in valid if _inside(m, spans))
    in_claim = [m for m in valid if not _inside(m, spans)]
    claim_text = _blank(text, spans)
    giver, receiver = _direction(lang, claim_text, in_claim, speakers)
    return Roles(
        speakers=speakers,
        parties=frozenset(m.key for m in in_claim),
        giver=giver,
        receiver=receiver,
        negated=denial or _negated(lang, claim_text),
        denied_by=speakers if denial else frozenset(),
        claim_span=_claim_span(text, spans),
    )
