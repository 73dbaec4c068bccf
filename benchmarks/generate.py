"""A synthetic corpus in the exchange format, with its true duplicate groups, at any size.

    python benchmarks/generate.py 100000 -o /tmp/corpus.json [--seed 0] [--groups groups.json]

Why synthetic: the seed has 20 claims and no labelled duplicates at scale, but dedupe,
import and the listings must be measured at 10k–1M claims against a known truth. The
templates follow the seed claims (6,700 containers since September 2023, 5 million
shells, 1,500 soldiers moved between two dates, weapons transfers…). A *fact* is
(template, number, date, party A, party B) and makes one group of distinct texts:
- rewordings (one true group, same quantity and period fields): the other Chinese
  script, another alias of the same party (北韓 / 朝鲜 / 平壤), 6,700 / 6700 / 六千七百 /
  ６７００ or 500萬 / 5000000 / 五百万, full- or half-width commas, the clauses in another
  order, 9月 / 09月, Sep / September;
- hard negatives next to a fact, never to be merged: another number, another
  year/month/day, another party, or the two parties swapped (direction);
- groups are monolingual: a claim and its translation are the same claim, but no string
  matcher can see that, so counting them would only measure it.
Numbers come from ~3,700 values (three significant digits), so blocks on the stated
numbers stay a few hundred claims at 1M; templates without a quantity (only dates) all
share one block, and ``no_number_share`` sets how many claims use them.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"
# Parties that act on each other in the templates: the seed's states.
SLOT_PARTIES = ("Russia", "North Korea", "South Korea", "Ukraine", "United States", "China",
                "Japan")
SKIP_ALIASES = {"US", "U.S."}  # "US" folds to the word "us": keep the texts unambiguous
Fact = tuple[int, int, int, int, int]  # template, number, date, party A, party B (indexes)
MONTHS = tuple(calendar.month_name[1:])  # English in the C locale the runner uses


@dataclass(frozen=True)
class Template:
    """One way of stating a kind of fact; ``forms`` are its clause orders."""

    lang: str  # "zh" (Simplified source, rendered in either script) or "en"
    forms: tuple[str, ...]
    unit: str | None
    numbers: str | None  # "count", "wan" (multiples of 10,000) or None
    dates: str  # "year", "month", "day" or "range"
    approx: bool = False
    quantity: str = "{N}"  # the quantity phrase, as it appears in the text
    period: str = "in"  # "since" the date (open end), "in" it (whole day/month/year), "until"


def _swap(first: str, second: str, *rest: str) -> tuple[str, str]:
    """A Chinese sentence in both orders of its first two clauses (时间 first or last)."""
    return ",".join((first, second, *rest)), ",".join((second, first, *rest))


TEMPLATES: tuple[Template, ...] = (
    Template("zh", _swap("自{Y}年{M}月以来", "{A}向{B}运送了约{N}个集装箱",
                         "以换取食品和武器制造原材料"),
             "containers", "count", "month", True, "约{N}个集装箱", "since"),
    Template("zh", _swap("自{Y}年以来", "{A}已向{B}供应了{N}发炮弹"),
             "shells", "wan", "year", False, "{N}发炮弹", "since"),
    Template("zh", _swap("{Y}年{M}月{D}日至{M}月{D2}日期间", "{A}向{B}派遣了{N}名士兵"),
             "soldiers", "count", "range", False, "{N}名士兵"),
    Template("zh", _swap("{Y}年{M}月", "{A}向{B}提供了{N}枚弹道导弹"),
             "missiles", "count", "month", False, "{N}枚弹道导弹"),
    Template("zh", _swap("{Y}年", "{A}向{B}支付了约{N}美元", "用于购买弹药"),
             "usd", "wan", "year", True, "约{N}美元"),
    Template("zh", _swap("截至{Y}年{M}月", "{A}已有{N}名士兵在{B}接受训练"),
             "soldiers", "count", "month", False, "{N}名士兵", "until"),
    Template("en", ("{A} has shipped about {N} containers of ammunition to {B} since {MON} {Y}.",
                    "Since {MON} {Y}, {A} has shipped about {N} containers of ammunition to {B}."),
             "containers", "count", "month", True, "about {N} containers", "since"),
    Template("en", ("{A} has supplied {B} with {N} artillery shells since {Y}.",
                    "Since {Y}, {A} has supplied {B} with {N} artillery shells."),
             "shells", "wan", "year", False, "{N} artillery shells", "since"),
    Template("en", ("{A} sent {N} soldiers to {B} from {D} {MON} to {D2} {MON} {Y}.",
                    "From {D} {MON} to {D2} {MON} {Y}, {A} sent {N} soldiers to {B}."),
             "soldiers", "count", "range", False, "{N} soldiers"),
    Template("en", ("In {MON} {Y}, {A} delivered {N} ballistic missiles to {B}.",
                    "{A} delivered {N} ballistic missiles to {B} in {MON} {Y}."),
             "missiles", "count", "month", False, "{N} ballistic missiles"),
)
NO_NUMBER_TEMPLATES: tuple[Template, ...] = (
    Template("zh", _swap("{Y}年{M}月{D}日", "{A}向{B}转移了一批武器和弹药"), None, None, "day"),
    Template("zh", _swap("{Y}年{M}月{D}日", "{A}领导人出访{B}", "双方讨论了军事合作"),
             None, None, "day"),
    Template("en", ("{A} transferred weapons and munitions to {B} on {D} {MON} {Y}.",
                    "On {D} {MON} {Y}, {A} transferred weapons and munitions to {B}."),
             None, None, "day"),
)
ALL_TEMPLATES = TEMPLATES + NO_NUMBER_TEMPLATES

# Up to three significant digits: 120, 1,500, 6,700, 45,600 — the numbers reports round to.
COUNTS = sorted({m * 10**e for m in range(100, 1000) for e in range(3)})
WANS = [m * 10_000 for m in range(1, 1000)]
POOLS: dict[str | None, list[int]] = {"count": COUNTS, "wan": WANS, None: []}
DATES = {
    "year": [(y, 1, 1, 0) for y in range(2016, 2026)],
    "month": [(y, m, 1, 0) for y in range(2019, 2026) for m in range(1, 13)],
    "day": [(y, m, d, 0) for y in range(2022, 2026) for m in range(1, 13) for d in range(1, 29)],
    "range": [(y, m, d, n) for y in range(2022, 2026) for m in range(1, 13)
              for d in range(1, 24) for n in range(1, 6)],
}


@cache
def _opencc(config: str):  # noqa: ANN202
    import opencc

    return opencc.OpenCC(config)


_traditional = cache(lambda text: _opencc("s2t").convert(text))


def _aliases(document: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Slot party -> script -> its aliases in that script (the seed's, plus converted)."""
    result: dict[str, dict[str, list[str]]] = {}
    for party in document["parties"]:
        if party["name"] not in SLOT_PARTIES:
            continue
        tagged = [(a["alias"], a["language"]) for a in party["aliases"]
                  if a["alias"] not in SKIP_ALIASES]
        zh = [a for a, lang in tagged if lang.startswith("zh")]
        result[party["name"]] = {
            "en": sorted({a for a, lang in tagged if lang == "en"}),
            "zh-Hans": sorted({_opencc("t2s").convert(a) for a in zh}),
            "zh-Hant": sorted({_opencc("s2t").convert(a) for a in zh}),
        }
    return result


@cache
def number_forms(value: int, script: str, wan: bool) -> tuple[str, ...]:
    """Every way the sources write ``value`` in ``script``; all normalise to one number."""
    plain, grouped = str(value), f"{value:,}"
    if script == "en":
        forms = {plain, grouped}
        if value % 100_000 == 0 and value >= 1_000_000:
            forms.add(f"{value / 1_000_000:g} million")
        return tuple(sorted(forms))
    import cn2an

    numerals = cn2an.an2cn(value)
    forms = {plain, grouped, numerals, plain.translate(_FULL_WIDTH)}
    if wan:
        forms.add(f"{value // 10_000}万")
    if script == "zh-Hant":
        forms = {_opencc("s2t").convert(f) for f in forms}
    return tuple(sorted(forms))


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class CorpusBuilder:
    """Renders facts as claims; one instance per corpus, deterministic for its seed."""

    def __init__(self, seed: int, no_number_share: float = 0.1) -> None:
        self.rng = random.Random(seed)
        self.document = json.loads(SEED.read_text(encoding="utf-8"))
        self.aliases = _aliases(self.document)
        self.party_names = [p["name"] for p in self.document["parties"]]
        self.source_refs = [s["ref"] for s in self.document["sources"]]
        self.no_number_share = no_number_share
        self.seen: set[int] = set()  # facts as ints: a set of 1M tuples would be ~150 MB
        self.count = 0
        self._random = self.rng.random

    def head(self) -> dict[str, Any]:
        """The document without its claims: the seed's parties and sources, as they are."""
        return {k: self.document[k] for k in ("format", "version", "parties", "sources")}

    def pick(self, seq):  # noqa: ANN001, ANN201
        """``rng.choice`` without its overhead: it is called ~10 times per claim."""
        return seq[int(self._random() * len(seq))]

    # -- facts ---------------------------------------------------------------------------

    def random_fact(self) -> Fact:
        rng = self.rng
        t = len(TEMPLATES) + rng.randrange(len(NO_NUMBER_TEMPLATES)) \
            if rng.random() < self.no_number_share else rng.randrange(len(TEMPLATES))
        a, b = rng.sample(range(len(SLOT_PARTIES)), 2)
        return t, self._random_number(t), rng.randrange(len(DATES[ALL_TEMPLATES[t].dates])), a, b

    def _random_number(self, t: int) -> int:
        return self.rng.randrange(len(POOLS[ALL_TEMPLATES[t].numbers]) or 1)

    def sibling(self, fact: Fact, kind: str):  # noqa: ANN205
        """The same fact but for one thing: a different claim that must stay apart."""
        t, n, d, a, b = fact
        rng, template = self.rng, ALL_TEMPLATES[t]
        if kind == "quantity" and template.numbers:
            return t, self._random_number(t), d, a, b
        if kind == "date":
            return _date_sibling(template.dates, d, rng, lambda i: (t, n, i, a, b))
        if kind == "party":
            other = rng.choice([p for p in range(len(SLOT_PARTIES)) if p not in (a, b)])
            return (t, n, d, other, b) if rng.random() < 0.5 else (t, n, d, a, other)
        if kind == "direction":
            return t, n, d, b, a
        return None

    # -- rendering -----------------------------------------------------------------------

    def render(self, fact: Fact, script: str) -> tuple[str, str]:
        """One wording of ``fact`` (text, quantity phrase), each choice made at random."""
        t, n, d, a, b = fact
        rng, template = self.rng, ALL_TEMPLATES[t]
        y, m, day, span = DATES[template.dates][d]
        pool = POOLS[template.numbers]
        number = pool and self.pick(number_forms(pool[n], script, template.numbers == "wan"))
        month = MONTHS[m - 1]
        values = {
            "A": self.pick(self.aliases[SLOT_PARTIES[a]][script]),
            "B": self.pick(self.aliases[SLOT_PARTIES[b]][script]),
            "N": number, "Y": str(y), "D": str(day), "D2": str(day + span),
            "M": f"{m:02d}" if script != "en" and rng.random() < 0.2 else str(m),
            "MON": month[:3] if rng.random() < 0.2 and month != "May" else month,
        }
        form = self.pick(template.forms)
        if script == "zh-Hant":
            form = _traditional(form)
        text = form.format(**values)
        if script != "en" and rng.random() < 0.5:
            text = text.replace(",", "，") + ("。" if rng.random() < 0.5 else "")
        phrase = (_traditional(template.quantity) if script == "zh-Hant"
                  else template.quantity).format(N=number)
        return text, phrase

    def claim(self, fact: Fact, script: str, text: str, phrase: str) -> dict[str, Any]:
        """The claim with one or two stances (some asserted and denied: contested)."""
        t, n, d, _, _ = fact
        template, rng = ALL_TEMPLATES[t], self.rng
        start, end = _period(template, DATES[template.dates][d])
        pool = POOLS[template.numbers]
        quantity = None if not pool else {
            "text": phrase, "low": pool[n], "high": pool[n], "unit": template.unit,
            "approximate": template.approx,
        }
        source = self.pick(self.source_refs)
        kinds = ["asserts" if rng.random() < 0.85 else "denies"]
        if rng.random() < 0.35:
            kinds.append("denies" if kinds[0] == "asserts" and rng.random() < 0.4 else "asserts")
        stances = [self._stance(party, kind, source) for party, kind
                   in zip(rng.sample(self.party_names, len(kinds)), kinds, strict=True)]
        self.count += 1
        return {
            "ref": f"bench-{self.count:07d}", "text": text, "language": script,
            "wordings": [], "quantity": quantity, "period_start": start, "period_end": end,
            "verdict": None, "verdict_note": None, "sources": [source],
            "stances": stances, "evidence": [],
        }

    def _stance(self, party: str, kind: str, source: str) -> dict[str, Any]:
        dated = self.rng.random() < 0.5
        return {"party": party, "kind": kind, "source": source, "quote": None,
                "quote_language": None, "stated_on": self.pick(STATED_ON) if dated else None}

    def group(self, fact: Fact, size: int) -> list[dict[str, Any]]:
        """Up to ``size`` distinct rewordings of one fact (fewer if they run out)."""
        template = ALL_TEMPLATES[fact[0]]
        scripts = ("en",) if template.lang == "en" else ("zh-Hans", "zh-Hant")
        texts: dict[str, tuple[str, str]] = {}
        for _ in range(size * 4):
            if len(texts) == size:
                break
            text, phrase = self.render(fact, script := self.pick(scripts))
            texts.setdefault(text, (script, phrase))
        return [self.claim(fact, script, text, phrase) for text, (script, phrase) in texts.items()]

    def claims(self, n_claims: int) -> Iterator[tuple[dict[str, Any], int]]:
        """(claim, group number) until ``n_claims``; rewordings share a group number."""
        rng, group_no = self.rng, 0
        while self.count < n_claims:
            base = self.random_fact()
            facts = [base]
            if rng.random() < 0.5:  # hard negatives next to it
                for kind in rng.sample(("quantity", "date", "party", "direction"),
                                       rng.randint(1, 3)):
                    facts.append(self.sibling(base, kind))
            for fact in facts:
                if fact is None or (key := _fact_key(fact)) in self.seen:
                    continue
                self.seen.add(key)
                size = self.pick(GROUP_SIZES)
                group_no += 1
                for claim in self.group(fact, min(size, n_claims - self.count)):
                    yield claim, group_no


def _fact_key(fact: Fact) -> int:
    return (((fact[0] * 4096 + fact[1]) * 8192 + fact[2]) * 8 + fact[3]) * 8 + fact[4]


# How many wordings a fact gets: most are reported once, some two to four times.
GROUP_SIZES = (1,) * 70 + (2,) * 20 + (3,) * 7 + (4,) * 3
STATED_ON = [f"2024-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
DATE_INDEX = {kind: {date: i for i, date in enumerate(dates)} for kind, dates in DATES.items()}


def _date_sibling(kind: str, d: int, rng: random.Random, make):  # noqa: ANN001, ANN202
    """``make(index)`` for a date differing from ``DATES[kind][d]`` in one field."""
    y, m, day, span = DATES[kind][d]
    options = [(y - 1, m, day, span), (y + 1, m, day, span)]
    if kind != "year":
        options += [(y, m % 12 + 1, day, span), (y, (m - 2) % 12 + 1, day, span)]
    if kind in ("day", "range"):
        options += [(y, m, day % 20 + 1, span)]
    options = [o for o in options if o in DATE_INDEX[kind]]
    return make(DATE_INDEX[kind][rng.choice(options)]) if options else None


@cache
def _period(template: Template, date: tuple[int, int, int, int]) -> tuple[str, str | None]:
    """The period the claim is about, as FORMAT.md wants it (``since`` has no end)."""
    y, m, day, span = date
    first, last = {
        "year": ((y, 1, 1), (y, 12, 31)),
        "month": ((y, m, 1), (y, m, calendar.monthrange(y, m)[1])),
        "day": ((y, m, day), (y, m, day)),
        "range": ((y, m, day), (y, m, day + span)),
    }[template.dates]
    iso = "{:04d}-{:02d}-{:02d}".format
    if template.period == "since":
        return iso(*first), None
    if template.period == "until":
        return None, iso(*last)
    return iso(*first), iso(*last)


def _true_groups(pairs: Iterator[tuple[dict[str, Any], int]],
                 sink: list[dict[str, Any]] | None, out: Any) -> list[set[str]]:
    """Collect the groups while passing each claim on to a list or a file."""
    groups: dict[int, set[str]] = {}
    encode = json.JSONEncoder(ensure_ascii=False).encode
    batch: list[dict[str, Any]] = []
    separator = "\n"
    for claim, group_no in pairs:
        groups.setdefault(group_no, set()).add(claim["ref"])
        if sink is not None:
            sink.append(claim)
        if out is not None:
            batch.append(claim)
            if len(batch) == 1000:  # one encode call per 1,000 claims: much less overhead
                out.write(separator + encode(batch)[1:-1])
                batch, separator = [], ",\n"
    if out is not None and batch:
        out.write(separator + encode(batch)[1:-1])
    return [g for g in groups.values() if len(g) > 1]


def generate_corpus(n_claims: int, seed: int = 0, *, no_number_share: float = 0.1,
                    ) -> tuple[dict[str, Any], list[set[str]]]:
    """The corpus as one document (exchange format) and its true duplicate groups
    (sets of claim refs, only groups of two or more)."""
    builder = CorpusBuilder(seed, no_number_share)
    document = {**builder.head(), "claims": []}
    return document, _true_groups(builder.claims(n_claims), document["claims"], None)


def write_corpus(path: Path, n_claims: int, seed: int = 0, *, no_number_share: float = 0.1,
                 ) -> list[set[str]]:
    """``generate_corpus`` streamed to ``path``: constant memory but for the group refs."""
    builder = CorpusBuilder(seed, no_number_share)
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(builder.head(), ensure_ascii=False)[:-1] + ', "claims": [')
        groups = _true_groups(builder.claims(n_claims), None, out)
        out.write("\n]}\n")
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_claims", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-number-share", type=float, default=0.1)
    parser.add_argument("--groups", type=Path, help="Also write the true groups (JSON).")
    args = parser.parse_args()
    started, share = time.perf_counter(), args.no_number_share
    groups = write_corpus(args.output, args.n_claims, args.seed, no_number_share=share)
    if args.groups:
        args.groups.write_text(json.dumps([sorted(g) for g in groups]), encoding="utf-8")
    print(f"{args.n_claims} claims, {len(groups)} true duplicate groups, "
          f"{time.perf_counter() - started:.1f} s -> {args.output}")


if __name__ == "__main__":
    main()
