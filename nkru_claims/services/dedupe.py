"""Finding duplicate claims without comparing every pair, and remembering rejections.

Candidates come from blocks of claims with the same ``match_key`` (the numbers a claim
states, which must agree for two claims to be duplicates, so blocking loses nothing
the facts gate would have let through). Inside a block rapidfuzz's ``cdist`` scores
every pair in C++ with a score cutoff; only pairs above the threshold have their facts
compared, and accepted pairs are joined into groups whose every member matches the
group's kept (oldest) claim directly.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields

from sqlalchemy import update
from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, InvalidInput
from nkru_claims.matching import (
    DEFAULT_THRESHOLD,
    ClaimFeatures,
    PartyLexicon,
    compare_features,
    features,
    match_columns,
    quantity_conflicts,
)
from nkru_claims.models import Claim, ClaimWording, MatchRejection, PartyAlias
from nkru_claims.services.claims import claim_quantity, get_claim

Progress = Callable[[int, int], None]
CDIST_ROWS = 2_000
THREADED_FROM = 250_000  # cdist cells from which scoring on several threads pays off


@dataclass(frozen=True)
class MatchedPair:
    a: int
    b: int
    score: float
    reasons: tuple[str, ...] = ()


@dataclass
class DuplicateGroup:
    """Claims to fold into ``kept_id``, with each one's score against it."""

    kept_id: int
    others: list[MatchedPair] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)

    @property
    def claim_ids(self) -> list[int]:
        return [self.kept_id, *(pair.b for pair in self.others)]

    @property
    def score(self) -> float:
        return min(pair.score for pair in self.others)

    def as_dict(self) -> dict[str, object]:
        return {
            "kept": self.kept_id,
            "claims": [
                {"id": claim_id, "text": self.texts[claim_id],
                 "score": None if claim_id == self.kept_id else next(
                     p.score for p in self.others if p.b == claim_id)}
                for claim_id in self.claim_ids
            ],
            "score": round(self.score, 1),
        }


def party_lexicon(session: Session) -> PartyLexicon:
    return PartyLexicon.from_aliases(
        session.exec(select(PartyAlias.alias, PartyAlias.party_id)).all()
    )


def check_threshold(threshold: float) -> float:
    if not 0 < threshold <= 100:
        raise InvalidInput(f"threshold must be between 0 and 100, not {threshold:g}")
    return threshold


def rejected_pairs(session: Session) -> set[tuple[int, int]]:
    return {
        (low, high) for low, high in session.exec(
            select(MatchRejection.claim_low_id, MatchRejection.claim_high_id)
        )
    }


def claim_conflicts(a: Claim | _ClaimRow, b: Claim | _ClaimRow) -> list[str]:
    """Facts stored on the claims themselves: quantity and the period they are about."""
    reasons: list[str] = []
    qa, qb = claim_quantity(a), claim_quantity(b)
    if qa and qb:
        if qa.unit == qb.unit:
            reasons += quantity_conflicts([qa], [qb])
        else:
            reasons.append(f"quantities differ: {qa.describe()} vs {qb.describe()}")
    if (a.period_start or a.period_end) and (b.period_start or b.period_end) and (
        (a.period_start, a.period_end) != (b.period_start, b.period_end)
    ):
        reasons.append("the periods the claims are about differ")
    return reasons


@dataclass(frozen=True, slots=True)
class _Variant:
    """One wording of a claim (its text or an alternative wording) as matching sees it."""

    claim_id: int
    text: str
    form: str
    key: str


@dataclass(slots=True)
class _ClaimRow:
    """The columns of a claim that dedupe reads (plain values, not ORM objects)."""

    id: int
    text: str
    match_form: str | None
    match_key: str | None
    period_start: object
    period_end: object
    quantity_text: str | None
    quantity_low: float | None
    quantity_high: float | None
    quantity_unit: str | None
    quantity_approximate: bool


def _live_claims(session: Session) -> list[_ClaimRow]:
    columns = [getattr(Claim, f.name) for f in fields(_ClaimRow)]
    rows = session.execute(
        select(*columns).where(col(Claim.deleted_at).is_(None)).order_by(Claim.id)
    ).all()
    return [_ClaimRow(*row) for row in rows]


def _variants(session: Session, claims: Sequence[_ClaimRow]) -> list[_Variant]:
    """Every claim's text and wordings; match columns missing from old rows are filled in."""
    variants = []
    for claim in claims:
        form, key = claim.match_form, claim.match_key
        if form is None or key is None:
            form, key = match_columns(claim.text)
            session.execute(update(Claim).where(col(Claim.id) == claim.id)
                            .values(match_form=form, match_key=key))
        variants.append(_Variant(claim.id, claim.text, form, key))
    live = {c.id for c in claims}
    for wording_id, claim_id, text, form, key in session.execute(
        select(ClaimWording.id, ClaimWording.claim_id, ClaimWording.text,
               ClaimWording.match_form, ClaimWording.match_key).order_by(ClaimWording.id)
    ).all():
        if claim_id not in live:
            continue
        if form is None or key is None:
            form, key = match_columns(text)
            session.execute(update(ClaimWording).where(col(ClaimWording.id) == wording_id)
                            .values(match_form=form, match_key=key))
        variants.append(_Variant(claim_id, text, form, key))
    return variants


def _scored_pairs(
    rows: Sequence[str], columns: Sequence[str], threshold: float
) -> Iterable[tuple[int, int, float]]:
    """(row, column, score) for every pair scoring at least ``threshold``, via cdist.

    Threads only pay off on a big matrix; most blocks are a handful of texts.
    """
    from rapidfuzz import fuzz, process

    for start in range(0, len(rows), CDIST_ROWS):
        chunk = rows[start : start + CDIST_ROWS]
        workers = -1 if len(chunk) * len(columns) >= THREADED_FROM else 1
        matrix = process.cdist(chunk, columns, scorer=fuzz.token_sort_ratio,
                               score_cutoff=threshold, workers=workers)
        for offset, row in enumerate(matrix):
            for column in row.nonzero()[0]:
                yield start + offset, int(column), float(row[column])


def _candidate_pairs(
    indices: list[int], signatures: Sequence[tuple[object, ...]], scored: Callable[[int], str],
    threshold: float, depth: int = 0,
) -> Iterable[tuple[int, int]]:
    """Pairs (i < j) of ``indices`` worth scoring: similar text, and no fact that rules
    the pair out before scoring.

    ``signatures[i]`` holds facts that must be equal for two texts to be duplicates
    unless one text lacks the fact (None): the parties and dates it names, its topic,
    the period the claim is about. At each fact the texts split into one group per
    value, each compared within itself, and the texts lacking the fact, compared among
    themselves and with every group; each comparison splits again by the next fact.
    No pair the facts gate would accept is lost.
    """
    if len(indices) < 2:
        return
    if depth == len(signatures[indices[0]]):
        texts = [scored(i) for i in indices]
        for r, c, _ in _scored_pairs(texts, texts, threshold):
            if r < c:
                yield indices[r], indices[c]
        return
    groups, lacking = _split(indices, signatures, depth)
    for members in groups.values():
        yield from _candidate_pairs(members, signatures, scored, threshold, depth + 1)
    yield from _candidate_pairs(lacking, signatures, scored, threshold, depth + 1)
    if lacking and groups:
        having = [i for members in groups.values() for i in members]
        yield from _pairs_between(lacking, having, signatures, scored, threshold, depth + 1)


def _pairs_between(
    left: list[int], right: list[int], signatures: Sequence[tuple[object, ...]],
    scored: Callable[[int], str], threshold: float, depth: int,
) -> Iterable[tuple[int, int]]:
    """``_candidate_pairs`` for pairs with one text from each of two disjoint lists."""
    if not left or not right:
        return
    if depth == len(signatures[left[0]]):
        for r, c, _ in _scored_pairs([scored(i) for i in left], [scored(j) for j in right],
                                     threshold):
            i, j = left[r], right[c]
            yield min(i, j), max(i, j)
        return
    left_groups, left_lacking = _split(left, signatures, depth)
    right_groups, right_lacking = _split(right, signatures, depth)
    for value, members in left_groups.items():
        yield from _pairs_between(members, right_groups.get(value, []), signatures, scored,
                                  threshold, depth + 1)
    yield from _pairs_between(left_lacking, right, signatures, scored, threshold, depth + 1)
    left_having = [i for members in left_groups.values() for i in members]
    yield from _pairs_between(left_having, right_lacking, signatures, scored, threshold,
                              depth + 1)


def _split(
    indices: list[int], signatures: Sequence[tuple[object, ...]], depth: int
) -> tuple[dict[object, list[int]], list[int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    lacking: list[int] = []
    for i in indices:
        value = signatures[i][depth]
        (lacking if value is None else groups[value]).append(i)
    return groups, lacking


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_duplicate_groups(
    session: Session,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    include_rejected: bool = False,
    progress: Progress | None = None,
) -> list[DuplicateGroup]:
    """Groups of claims that state the same thing, in any of their wordings."""
    claims = _live_claims(session)
    accepted = duplicate_pairs(session, claims, threshold=threshold,
                               include_rejected=include_rejected, progress=progress)
    return _groups(accepted, {c.id: c for c in claims})


def duplicate_pairs(
    session: Session,
    claims: Sequence[_ClaimRow] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    include_rejected: bool = False,
    progress: Progress | None = None,
) -> dict[tuple[int, int], float]:
    """Every pair of live claims (low id, high id) that are duplicates, with its best
    score over their wordings: blocked, so only a fraction of all pairs is scored."""
    check_threshold(threshold)
    claims = _live_claims(session) if claims is None else claims
    by_id = {c.id: c for c in claims}
    blocks: dict[str, list[_Variant]] = defaultdict(list)
    for variant in _variants(session, claims):
        blocks[variant.key].append(variant)
    matcher = _BlockMatcher(
        [b for b in blocks.values() if len({v.claim_id for v in b}) > 1], by_id,
        party_lexicon(session), set() if include_rejected else rejected_pairs(session),
        threshold)
    return matcher.run(progress)


PARALLEL_FROM = 20_000  # texts in blocks to compare from which worker processes pay off
_FORKED: _BlockMatcher | None = None  # what a forked worker process reads its work from


@dataclass
class _BlockMatcher:
    """Compares the texts of each block; blocks are independent, so they can be shared
    out between processes (forked, so the claims are not copied or pickled)."""

    blocks: list[list[_Variant]]
    by_id: dict[int, _ClaimRow]
    lexicon: PartyLexicon
    skip: set[tuple[int, int]]
    threshold: float

    def run(self, progress: Progress | None) -> dict[tuple[int, int], float]:
        total = sum(len(b) for b in self.blocks)
        parallel = total >= PARALLEL_FROM and _cores() > 1 and sys.platform == "linux"
        shares = self._shares(self.blocks, 4 * _cores() if parallel else 1)
        if len(shares) == 1:
            return self.match_share(shares[0], progress)
        import gc
        import multiprocessing

        global _FORKED
        _FORKED = self
        gc.freeze()  # forked workers then leave the shared objects' pages alone
        accepted: dict[tuple[int, int], float] = {}
        done = 0
        try:
            with multiprocessing.get_context("fork").Pool(_cores()) as pool:
                for found, size in pool.imap_unordered(_match_forked_share, shares):
                    for pair, score in found.items():
                        accepted[pair] = max(score, accepted.get(pair, 0))
                    done += size
                    if progress:
                        progress(done, total)
        finally:
            _FORKED = None
            gc.unfreeze()
        return accepted

    @staticmethod
    def _shares(blocks: list[list[_Variant]], count: int) -> list[list[int]]:
        """Block indices in ``count`` shares of about equal work, largest blocks first."""
        if count <= 1:
            return [list(range(len(blocks)))]
        shares: list[list[int]] = [[] for _ in range(count)]
        loads = [0.0] * count
        for index in sorted(range(len(blocks)), key=lambda i: -len(blocks[i])):
            lightest = loads.index(min(loads))
            shares[lightest].append(index)
            loads[lightest] += len(blocks[index]) + len(blocks[index]) ** 2 / 5_000
        return [share for share in shares if share]

    def match_share(
        self, share: list[int], progress: Progress | None = None
    ) -> dict[tuple[int, int], float]:
        accepted: dict[tuple[int, int], float] = {}
        done, total = 0, sum(len(self.blocks[i]) for i in share)
        for index in share:
            self._match_block(self.blocks[index], accepted)
            done += len(self.blocks[index])
            if progress:
                progress(done, total)
        return accepted

    def _match_block(self, block: list[_Variant], accepted: dict[tuple[int, int], float]) -> None:
        by_id, threshold = self.by_id, self.threshold
        feats = _LazyFeatures(block, self.lexicon)
        signatures = [_signature(by_id[v.claim_id], feats(i)) for i, v in enumerate(block)]
        for i, j in _candidate_pairs(list(range(len(block))), signatures, feats.scored,
                                     threshold):
            a, b = block[i].claim_id, block[j].claim_id
            pair = (min(a, b), max(a, b))
            if a == b or pair in self.skip or accepted.get(pair, 0) >= 100:
                continue
            if claim_conflicts(by_id[a], by_id[b]):
                continue
            stored = by_id[a].quantity_unit is not None and by_id[b].quantity_unit is not None
            verdict = compare_features(feats(i), feats(j), threshold, quantities=not stored)
            if verdict.duplicate and verdict.score > accepted.get(pair, 0):
                accepted[pair] = verdict.score


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def _match_forked_share(share: list[int]) -> tuple[dict[tuple[int, int], float], int]:
    assert _FORKED is not None, "only called in a worker forked by _BlockMatcher.run"
    return _FORKED.match_share(share), sum(len(_FORKED.blocks[i]) for i in share)


class _LazyFeatures:
    """Features of a block's variants, computed only for those a comparison needs."""

    def __init__(self, block: list[_Variant], lexicon: PartyLexicon) -> None:
        self.block, self.lexicon, self.cache = block, lexicon, {}

    def __call__(self, index: int) -> ClaimFeatures:
        if index not in self.cache:
            variant = self.block[index]
            self.cache[index] = features(variant.text, self.lexicon, form=variant.form)
        return self.cache[index]

    def scored(self, index: int) -> str:
        return self(index).scored


def _signature(claim: _ClaimRow, found: ClaimFeatures) -> tuple[object, ...]:
    """The facts ``_candidate_pairs`` splits a block by; None where the text has none.

    Each mirrors a rule of ``claim_conflicts`` or ``fact_conflicts`` that rejects a pair
    only when both sides have the fact and it differs.
    """
    period = (None if claim.period_start is None and claim.period_end is None
              else (claim.period_start, claim.period_end))
    return (found.parties or None, found.topics or None, found.dates or None, period)


def _groups(
    accepted: dict[tuple[int, int], float], by_id: dict[int, _ClaimRow]
) -> list[DuplicateGroup]:
    """Connected claims, each kept only if it matches its group's oldest claim directly."""
    union = _UnionFind()
    for low, high in accepted:
        union.union(low, high)
    members: dict[int, set[int]] = defaultdict(set)
    for pair in accepted:
        for claim_id in pair:
            members[union.find(claim_id)].add(claim_id)
    result = []
    for ids in members.values():
        kept, *others = sorted(ids)
        group = DuplicateGroup(kept_id=kept, texts={kept: by_id[kept].text})
        for other in others:
            if (kept, other) in accepted:
                group.others.append(MatchedPair(kept, other, accepted[(kept, other)]))
                group.texts[other] = by_id[other].text
        if group.others:
            result.append(group)
    return sorted(result, key=lambda g: g.kept_id)


def likely_duplicates(
    session: Session, text: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 3,
) -> list[MatchedPair]:
    """Existing claims a new text would duplicate, best first (for ``add``)."""
    from rapidfuzz import fuzz, process

    form, key = match_columns(text)
    candidates = [
        _Variant(*row) for row in session.exec(
            select(Claim.id, Claim.text, Claim.match_form, Claim.match_key)
            .where(Claim.match_key == key, col(Claim.deleted_at).is_(None))
        ).all()
    ] + [
        _Variant(*row) for row in session.exec(
            select(ClaimWording.claim_id, ClaimWording.text, ClaimWording.match_form,
                   ClaimWording.match_key)
            .join(Claim, col(Claim.id) == ClaimWording.claim_id)
            .where(ClaimWording.match_key == key, col(Claim.deleted_at).is_(None))
        ).all()
    ]
    if not candidates:
        return []
    lexicon = party_lexicon(session)
    new = features(text, lexicon, form=form)
    prefilter = process.extract(
        new.scored, [features(c.text, None, form=c.form).scored for c in candidates],
        scorer=fuzz.token_sort_ratio, score_cutoff=max(threshold - 25, 0), limit=limit * 10,
    )
    best: dict[int, MatchedPair] = {}
    for _, _, index in prefilter:
        candidate = candidates[index]
        verdict = compare_features(new, features(candidate.text, lexicon, form=candidate.form),
                                   threshold)
        if verdict.duplicate and verdict.score > getattr(best.get(candidate.claim_id), "score", 0):
            best[candidate.claim_id] = MatchedPair(0, candidate.claim_id, verdict.score,
                                                   verdict.reasons)
    return sorted(best.values(), key=lambda p: -p.score)[:limit]


def reject_pair(
    session: Session, *, claim_a: int, claim_b: int, actor: str, note: str | None = None
) -> MatchRejection:
    """Record that two claims are not the same claim, so dedupe stops proposing them."""
    if claim_a == claim_b:
        raise InvalidInput("a claim cannot be rejected as a duplicate of itself")
    get_claim(session, claim_a)
    get_claim(session, claim_b)
    low, high = sorted((claim_a, claim_b))
    existing = session.exec(select(MatchRejection).where(
        MatchRejection.claim_low_id == low, MatchRejection.claim_high_id == high)).first()
    if existing is not None:
        raise Conflict(f"claims #{low} and #{high} are already marked as different")
    row = MatchRejection(claim_low_id=low, claim_high_id=high, actor=actor, note=note)
    session.add(row)
    session.flush()
    audit.record(session, action="reject-match", entity="claim", entity_id=high, claim_id=low,
                 details={"claims": [low, high], "note": note})
    return row


def reject_group(session: Session, group: DuplicateGroup, *, actor: str) -> int:
    """Reject every pair of a proposed group; returns how many pairs were stored."""
    stored = 0
    known = rejected_pairs(session)
    ids = group.claim_ids
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if (min(a, b), max(a, b)) not in known:
                reject_pair(session, claim_a=a, claim_b=b, actor=actor)
                stored += 1
    return stored
