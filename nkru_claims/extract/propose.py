"""Turn an article's sentences into proposed claims, with stances, facts and a score.

A proposal is what an analyst would type by hand for one sentence: the claim's wording
(the sentence without its attribution, as ``roles`` reads it), its figures and period,
each party that takes a stance on it with the kind and the verbatim sentence as quote,
and whether the ledger already holds it. The readers are the matcher's own (``figures``,
``dates``, ``roles``, ``facts.PartyFinder``), so what ``extract`` proposes is read the
way ``add`` and ``dedupe`` will later read it.

Which sentences: one that names a party or states a figure, and says something that can
be checked (a figure, a transfer, a deployment, casualties, an agreement, a vote or veto,
an accusation, a denial, a confirmation, an attributed assessment). The *checkability
score* orders them (``_score`` lists what raises and lowers it), so the best come first;
it is a ranking, not a probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from nkru_claims.extract.article import Article
from nkru_claims.extract.sentences import Sentence, script_language, split_sentences

if TYPE_CHECKING:
    from nkru_claims.matching.dates import Period
    from nkru_claims.matching.facts import PartyFinder
    from nkru_claims.matching.quantity import Quantity

CHECKABLE = (
    r"(?i)\b(?:sign(?:s|ed|ing)?|agree(?:s|d|ment)?|treaty|pact|veto(?:es|ed)?|vot(?:e|es|ed)|"
    r"kill(?:s|ed)?|casualt(?:y|ies)|wounded|dead|deploy(?:s|ed|ment)?|troops|soldiers|"
    r"missiles?|launch(?:es|ed)?|fired|accus(?:e|es|ed)|confirm(?:s|ed)?|den(?:y|ies|ied)|"
    r"sanctions?|violat(?:e|es|ed|ion)|shells|ammunition|weapons?|intelligence|condemn(?:s|ed)?)\b|"
    r"签署|簽署|签订|簽訂|条约|條約|协议|協議|否决|否決|投票|丧生|喪生|死亡|伤亡|傷亡|阵亡|陣亡|部署|"
    r"士兵|军队|軍隊|导弹|導彈|飞弹|飛彈|发射|發射|指责|指責|指控|证实|證實|否认|否認|制裁|违反|違反|"
    r"援助|军事合作|軍事合作|谴责|譴責|弹药|彈藥|武器|情报|情報|"
    r"서명|조약|협정|거부권|표결|사망|사상자|부상|배치|병력|군인|장병|미사일|발사|비난|규탄|확인|부인|"
    r"제재|위반|파병|포탄|무기|정보당국|"
    r"署名|条約|協定|拒否権|採決|死亡|死傷|負傷|配備|兵士|部隊|ミサイル|発射|非難|確認|否定|制裁|違反|"
    r"派兵|砲弾|弾薬|兵器|武器|"
    r"(?i:\b(?:support(?:s|ed)?|pledg(?:e|es|ed)|fake news|baseless)\b)|支持|誓言|誓言|承诺|承諾|"
    r"假新闻|假新聞|合作|지지|약속|가짜\s?뉴스|사실무근|협력|支持|約束|協力|フェイク|事実無根"
)
DENIAL_WORDS = (
    r"(?i)\bfake news\b|\bbaseless\b|\bgroundless\b|\bunfounded\b|假新闻|假新聞|毫无根据|毫無根據|"
    r"捏造|가짜\s?뉴스|사실무근|근거 없|事実無根|根拠のない|フェイク"
)
UNNAMED_SAY = r"(?i)\baccording to\b|根据|根據|据|據|告诉|告訴|에 따르면|によると|によれば"
DECLINES = (
    r"(?i)declined to comment|refused to comment|no comment|拒绝置评|拒絕置評|拒绝评论|拒絕評論|"
    r"不便评论|不便評論|不予置评|不予置評|언급을 (?:피했|삼갔|거부했)|답변을 거부|"
    r"コメントを(?:控え|避け)|言及を避け"
)
CONDEMNS = r"(?i)\bcondemn(?:s|ed|ing)?\b|谴责|譴責|규탄|비난했|非難し"
DOUBTS = (
    r"(?i)\b(?:questioned|doubt(?:s|ed)?|skeptical|sceptical|cast doubt)\b|质疑|質疑|怀疑|懷疑|"
    r"의문을 제기|의구심|疑問を呈|疑問視"
)
OPINION = (
    r"(?i)\b(?:may|might|perhaps|seems?|appears? to|should|hope[sd]?)\b|也许|也許|似乎|或许|或許|"
    r"应该|應該|希望|아마|듯하|바란다|かもしれ|だろう|望む"
)
PRONOUN_SPEAKER = (
    r"^(?:[“「\"]?[^“「\"]{0,60}[”」\"][,，]?\s*)?(?:他|她|他们|她們|他們)(?:还|還|也|补充|補充|警告|"
    r"指出|强调|強調|表示|说|說|称|稱)|(?i:\b(?:he|she|they) (?:said|added|told|warned|noted)\b)|"
    r"^(?:그는|그녀는|그들은)|^(?:彼は|彼女は)|"
    r"(?i:\b(?:the|its) (?:agency|ministry|spokes(?:man|woman|person)|official|service)s? "
    r"(?:said|says|estimated|added|told|believes|assessed)\b)"
)
TOPIC_SPEAKER = {
    "ko": r"^(?:[^\s,]+\s){0,3}?[^\s,]+?(?:은|는)\s",
    "ja": r"^[^、。「」]{1,30}?は、?",
}
CLOSING_SAY = {
    "ko": r"(?:추산|추정|발표|설명|주장|분석|판단|평가|보고|전망)(?:했다|하고 있다|한다)\.?$",
    "ja": r"(?:推計|推定|発表|説明|主張|分析|判断|評価|報告)(?:した|している)。?$",
}
QUESTION_END = r"[?？]\s*[”」\"]?$|[吗嗎呢]\s*[?？。]?$"
SPEAKER_CARRY = 3  # a "he said" looks back this many sentences for its speaker
MIN_CHARS = {"en": 25, "zh": 10, "ko": 12, "ja": 12}


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class StanceProposal:
    """A party's stance on a proposed claim, as the article reports it."""

    party: str
    kind: str
    quote: str
    quote_language: str
    stated_on: date | None = None


@dataclass(frozen=True)
class Match:
    """A claim already in the ledger that a proposal may state: the band and its score."""

    band: str  # "duplicate" (same words and facts), "same" (same meaning), "review"
    claim_id: int
    score: float


@dataclass(frozen=True)
class Proposal:
    """One sentence's proposed claim (see the module docstring)."""

    index: int
    sentence: str
    wording: str
    language: str
    figures: tuple[Quantity, ...]
    quantity: Quantity | None
    period: Period | None
    parties: tuple[str, ...]
    stances: tuple[StanceProposal, ...]
    score: float
    reasons: tuple[str, ...] = ()
    matches: tuple[Match, ...] = field(default=())


def _base_language(tag: str) -> str:
    return "zh" if tag.startswith("zh") else tag


def _stated_on(sentence: str, span: tuple[int, int], reference: date | None) -> date | None:
    """The day the attribution gives ("10月18日星期五,…说", "last Wednesday"), if any."""
    from nkru_claims.matching.dates import find_dates

    outside = sentence[: span[0]] + " " * (span[1] - span[0]) + sentence[span[1] :]
    for mention in find_dates(outside, reference=reference):
        if mention.precision == "day" and mention.start == mention.end:
            return mention.start
    return None


def _clause_deniers(text: str, mentions: list, lang: str) -> frozenset[str]:
    """Parties named before a denial verb in the same clause ("然而,俄罗斯否认了…",
    "而克里姆林宫和平壤方面则予以否认"), which the attribution reader, looking for the
    speaker at a clause's end or the sentence's start, does not see."""
    from nkru_claims.matching import roles

    verbs = {"zh": roles.ZH_DENY, "ko": roles.KO_DENY, "ja": roles.JA_DENY}
    verb = _rx(verbs.get(lang, rf"(?i)\b(?:{roles.EN_DENY})\b"))
    found: set[str] = set()
    for clause in _rx(r"[^,，;；。.!?！？]+").finditer(text):
        hit = verb.search(clause.group())
        if hit is None:
            continue
        cut = clause.start() + hit.start()
        found |= {m.key for m in mentions if clause.start() <= m.start < cut}
    return frozenset(found)


QUOTED = r"“([^”]{4,})”|「([^」]{4,})」|『([^』]{4,})』|\"([^\"]{4,})\""


def _quoted_attribution(
    text: str, mentions: list, lang: str
) -> tuple[frozenset[str], tuple[int, int]] | None:
    """The speakers of a quote the attribution reader missed (a long title before the
    verb: "克里姆林宫发言人德米特里·佩斯科夫…对记者说:“…”"): the parties named in the
    clause of a verb of saying outside the quotation marks, before the verb; and the
    quote's span."""
    quotes = [(m.start(), m.end()) for m in _rx(QUOTED).finditer(text)]
    if not quotes:
        return None
    outside = "".join(" " if any(s <= i < e for s, e in quotes) else c
                      for i, c in enumerate(text))
    verb = _say_rx(lang).search(outside)
    if verb is None:
        return None
    clause_start = max(outside.rfind(c, 0, verb.start()) for c in ",，:：;；。") + 1
    speakers = frozenset(
        m.key for m in mentions
        if not getattr(m, "short", False) and clause_start <= m.start < verb.start()
    )
    if not speakers:
        return None
    start, end = max(quotes, key=lambda q: q[1] - q[0])
    return speakers, (start + 1, end - 1)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    strip = " \t,;:，、；：。.\"'“”「」"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def _quote_within(text: str, span: tuple[int, int], mentions: list) -> tuple[int, int]:
    """The quotation inside a claim span, when what surrounds it names no party and no
    figure (`지난 14일 "또 하나의 가짜뉴스"라`): the rest is the attribution's date or
    verb, which the stance keeps apart."""
    start, end = span
    quotes = [(m.start(), m.end()) for m in _rx(QUOTED).finditer(text)  # the span's trim
              if start - 1 <= m.start() and m.end() <= end + 1]  # may cut its marks
    if not quotes:
        return span
    q_start, q_end = max(quotes, key=lambda q: q[1] - q[0])
    from nkru_claims.matching.figures import read_figures

    q_start, q_end = max(q_start, start - 1), min(q_end, end + 1)
    rest = text[start:q_start] + " " + text[q_end:end]
    if any(start <= m.start < q_start or q_end <= m.start < end for m in mentions) or (
        read_figures(rest).figures
    ):
        return span
    return q_start + 1, q_end - 1


def _topic_speaker(
    text: str, mentions: list, lang: str
) -> tuple[frozenset[str], tuple[int, int]] | None:
    """The topic of a Korean or Japanese sentence that ends in a verb of estimating or
    announcing ("국방부는 …것으로 추산했다", "韓国国防省は、…と推計した"), which the
    attribution reader does not take for a speaker without a quotative; and the span
    between the topic and the verb, which is the claim."""
    closing = _rx(CLOSING_SAY[lang]).search(text) if lang in TOPIC_SPEAKER else None
    topic = _rx(TOPIC_SPEAKER[lang]).match(text) if closing else None
    if closing is None or topic is None:
        return None
    speakers = frozenset(m.key for m in mentions
                         if m.start < topic.end() and not getattr(m, "short", False))
    end = closing.start()
    end -= len(_rx(r"(?:것으로|다고|と)\s*$").search(text[:end]).group()) if _rx(
        r"(?:것으로|다고|と)\s*$").search(text[:end]) else 0
    return (speakers, _trimmed(text, topic.end(), end)) if speakers else None


def _say_rx(lang: str) -> re.Pattern[str]:
    """A verb of saying or a source phrase, whoever the speaker is."""
    from nkru_claims.matching import roles

    say = {"zh": roles.ZH_SAY, "ko": roles.KO_SAY, "ja": roles.JA_SAY}.get(lang)
    return _rx(f"{UNNAMED_SAY}|{say}" if say else rf"{UNNAMED_SAY}|(?i:\b(?:{roles.EN_SAY})\b)")


def _stance_kind(sentence: str, denied: bool) -> str:
    if denied or _rx(DENIAL_WORDS).search(sentence):
        return "denies"
    if _rx(DECLINES).search(sentence):
        return "declines_to_comment"
    if _rx(CONDEMNS).search(sentence):
        return "condemns"
    if _rx(DOUBTS).search(sentence):
        return "questions"
    return "asserts"


def _score(
    sentence: str, lang: str, *, figures: int, known_units: int, named: int, attributed: bool,
    said: bool, transfer: bool, checkable: bool, dated: bool, denied: bool,
) -> tuple[float, list[str]]:
    """Figures, named parties, an attribution, a transfer or other checkable verb and a
    date raise the score; a question, opinion words and a very short sentence lower it."""
    score, reasons = 0.1, []
    for present, weight, reason in (
        (known_units > 0, 0.3, "a figure with a unit"),
        (figures > known_units, 0.1, "a figure"),
        (named > 0, 0.1, "names a party"),
        (named > 1, 0.1, "names several parties"),
        (attributed, 0.2, "attributed"),
        (said and not attributed, 0.2, "attributed to someone unnamed"),
        (transfer, 0.15, "a transfer"),
        (checkable and not transfer, 0.15, "a checkable act"),
        (dated, 0.1, "dated"),
        (denied, 0.1, "a denial"),
    ):
        if present:
            score += weight
            reasons.append(reason)
    if _rx(QUESTION_END).search(sentence):
        score -= 0.4
        reasons.append("a question")
    if _rx(OPINION).search(sentence):
        score -= 0.1
        reasons.append("opinion words")
    if _rx(r"(?:\.\.\.|…)\s*$").search(sentence):
        score -= 0.3
        reasons.append("cut short")
    if len(sentence) < MIN_CHARS.get(lang, 12):
        score -= 0.3
        reasons.append("very short")
    return round(min(1.0, max(0.0, score)), 2), reasons


def _propose_sentence(
    sentence: Sentence, article: Article, finder: PartyFinder, han: str,
    previous_speakers: frozenset[str],
) -> tuple[Proposal | None, frozenset[str]]:
    """The proposal for one sentence (or None), and the speakers it names."""
    from nkru_claims.matching.dates import find_period
    from nkru_claims.matching.figures import read_figures
    from nkru_claims.matching.roles import TRANSFER, read_roles
    from nkru_claims.matching.roles import Mention as RoleMention

    text = sentence.text
    tag = script_language(text, han=han)
    lang = _base_language(tag)
    mentions = finder.find(text)
    roles = read_roles(text, [RoleMention(m.start, m.end, m.key) for m in mentions])
    speakers, denied_by = roles.speakers, roles.denied_by
    start, end = roles.claim_span
    if not denied_by and (deniers := _clause_deniers(text, mentions, lang)):
        speakers, denied_by = speakers | deniers, deniers
    attributed = bool(speakers)
    if not speakers and (quoted := _quoted_attribution(text, mentions, lang)):
        (speakers, (start, end)), attributed = quoted, True
    if not speakers and (topical := _topic_speaker(text, mentions, lang)):
        (speakers, (start, end)), attributed = topical, True
    if not speakers and previous_speakers and (said_by := _rx(PRONOUN_SPEAKER).search(text)):
        speakers = previous_speakers  # "他说…", "he added": the last speaker goes on
        if said_by.start() > len(text) / 2:  # "…, the agency estimated."
            start, end, attributed = 0, said_by.start(), True
        elif said_by.start() == 0 and not _rx(QUOTED).match(text):  # "他说,…"
            start, end, attributed = said_by.end(), len(text), True
        start, end = _trimmed(text, start, end)
    if attributed:
        start, end = _quote_within(text, (start, end), mentions)
    wording = text[start:end] if attributed and end - start >= 6 else text
    reading = read_figures(wording)
    from nkru_claims.matching.units import UNIT_NOUNS

    figures = tuple(reading.figures)
    give, receive = TRANSFER.get(lang, TRANSFER["en"])
    transfer = bool(_rx(give).search(wording) or _rx(receive).search(wording))
    checkable = bool(_rx(CHECKABLE).search(text))
    period = find_period(wording, reference=article.published)
    named = {m.key for m in mentions if not getattr(m, "short", False)}
    said = bool(speakers) or bool(_say_rx(lang).search(text))
    if not (figures or named or said) or not (figures or transfer or checkable or said):
        return None, roles.speakers
    denied = bool(denied_by)
    score, reasons = _score(
        text, lang, figures=len(figures), known_units=sum(q.unit in UNIT_NOUNS for q in figures),
        named=len(named | speakers), attributed=bool(speakers), said=said, transfer=transfer,
        checkable=checkable, dated=period is not None, denied=denied,
    )
    stated_on = _stated_on(text, (start, end), article.published) if attributed else None
    kind = _stance_kind(text, False)
    stances = tuple(
        StanceProposal(party=key, kind="denies" if key in denied_by else kind, quote=text,
                       quote_language=tag, stated_on=stated_on)
        for key in sorted(speakers)
    )
    proposal = Proposal(
        index=sentence.index, sentence=text, wording=wording, language=tag, figures=figures,
        quantity=reading.main, period=period, parties=tuple(sorted(roles.parties)),
        stances=stances, score=score, reasons=tuple(reasons),
    )
    return proposal, roles.speakers


def propose(
    article: Article, *, finder: PartyFinder | None = None, min_score: float = 0.0
) -> list[Proposal]:
    """Every sentence of ``article`` that states a checkable claim, best score first."""
    from nkru_claims.matching.facts import default_finder

    finder = finder or default_finder()
    han = script_language(article.text, han="zh-Hans")
    han = han if han.startswith("zh") else "zh-Hans"
    proposals: list[Proposal] = []
    recent: list[frozenset[str]] = []
    seen: set[str] = set()
    for sentence in split_sentences(article.text):
        if sentence.text in seen:
            continue  # a caption or teaser the page repeats: proposed once, where first seen
        seen.add(sentence.text)
        carried = next((s for s in reversed(recent[-SPEAKER_CARRY:]) if s), frozenset())
        proposal, speakers = _propose_sentence(sentence, article, finder, han, carried)
        recent.append(speakers)
        if proposal is not None and proposal.score >= min_score:
            proposals.append(proposal)
    return sorted(proposals, key=lambda p: (-p.score, p.index))
