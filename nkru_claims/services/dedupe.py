"""Finding duplicate claims without comparing every pair, and remembering rejections.

``blocking`` chooses and scores the candidate pairs; here accepted pairs are joined into
groups whose every member matches the group's kept (oldest) claim directly, ``add``
looks for what a new text would duplicate, and rejected pairs are remembered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, InvalidInput
from nkru_claims.in_lists import in_batches
from nkru_claims.matching.blocking import BlockMatcher, Variant
from nkru_claims.matching.compare import (
    DEFAULT_THRESHOLD,
    PartyLexicon,
    compare_features,
    features,
    match_columns,
)
from nkru_claims.matching.scoring import conflicts
from nkru_claims.models import Claim, ClaimWording, MatchRejection, PartyAlias
from nkru_claims.services.claims import get_claim

Progress = Callable[[int, int], None]


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


@dataclass
class DedupeResult:
    """What ``dedupe`` found: groups to merge (the *same* band) and pairs a person should
    decide (the *review* band), and how many texts had no vector to compare by meaning."""

    groups: list[DuplicateGroup]
    review: list[MatchedPair] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)
    without_vectors: int = 0


def find_duplicate_groups(
    session: Session,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    include_rejected: bool = False,
    progress: Progress | None = None,
) -> list[DuplicateGroup]:
    """Groups of claims that state the same thing, in any of their wordings."""
    return find_duplicates(session, threshold=threshold, include_rejected=include_rejected,
                           progress=progress).groups


def find_duplicates(
    session: Session,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    include_rejected: bool = False,
    progress: Progress | None = None,
    semantic: bool = True,
) -> DedupeResult:
    """Duplicates in every language: rewordings found by words (``blocking``),
    translations by meaning (``semantic``); groups never hold two claims whose facts
    conflict, whatever joins them."""
    lexicon = party_lexicon(session)
    rejected = set() if include_rejected else rejected_pairs(session)
    accepted = duplicate_pairs(session, threshold=threshold,
                               include_rejected=include_rejected, progress=progress)
    review: dict[tuple[int, int], MatchedPair] = {}
    without = 0
    if semantic:
        same, review, without = _semantic_pairs(session, lexicon, rejected)
        for pair, score in same.items():
            accepted[pair] = max(score, accepted.get(pair, 0.0))
        for pair in accepted:
            review.pop(pair, None)
    ids = {i for pair in [*accepted, *review] for i in pair}
    texts = _texts(session, ids)
    groups = _groups(accepted, texts, lambda a, b: bool(
        conflicts(texts[a], texts[b], lexicon)))
    return DedupeResult(groups, sorted(review.values(), key=lambda p: -p.score), texts, without)


#: Texts without a stored vector that dedupe encodes itself; more need ``embed`` first.
ENCODE_AT_MOST = 2_000


def _semantic_pairs(
    session: Session, lexicon: PartyLexicon, rejected: set[tuple[int, int]]
) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], MatchedPair], int]:
    """Pairs found by meaning: (same band with scores, review band, texts skipped)."""
    from nkru_claims.matching import embeddings
    from nkru_claims.matching.scoring import DEFAULT_THRESHOLDS as T
    from nkru_claims.matching.scoring import REVIEW, SAME, judge_scored
    from nkru_claims.matching.semantic import close_pairs
    from nkru_claims.services import vectors as store

    records = store.live_texts(session)
    stored = {(v.claim_id, v.wording_id): v for v in store.stored_vectors(session)}
    kept, vectors, keys, todo = [], [], [], []
    for record in records:
        row = stored.get((record.claim_id, record.wording_id))
        if row is not None and row.text_hash == store.text_hash(record.text):
            kept.append(record)
            vectors.append(embeddings.unpack(row.vector))
            keys.append(row.figure_key)
        else:
            todo.append(record)
    skipped = 0
    if todo and len(todo) <= ENCODE_AT_MOST:
        try:
            fresh = embeddings.encode([r.text for r in todo])
        except embeddings.EncoderUnavailable:
            fresh, skipped = None, len(todo)
        if fresh is not None:
            kept += todo
            vectors += list(fresh)
            keys += [store.figure_key(r.text) for r in todo]
    else:
        skipped = len(todo)
    if len({r.claim_id for r in kept}) < 2:
        return {}, {}, skipped
    floor = T.cosine_floor + T.review / 100 * (T.cosine_ceiling - T.cosine_floor)
    same: dict[tuple[int, int], float] = {}
    review: dict[tuple[int, int], MatchedPair] = {}
    for candidate in close_pairs(vectors, keys, [r.claim_id for r in kept], floor=floor):
        a, b = kept[candidate.i], kept[candidate.j]
        pair = (min(a.claim_id, b.claim_id), max(a.claim_id, b.claim_id))
        if pair in rejected or pair in same:
            continue
        verdict = judge_scored(a.text, b.text, candidate.cosine, lexicon=lexicon)
        if verdict.band == SAME and a.wording_id is None and b.wording_id is None:
            same[pair] = verdict.score
        elif verdict.band == SAME:  # a wording is a quoted fragment: a person decides
            review[pair] = MatchedPair(pair[0], pair[1], verdict.score, (
                "a wording (a quoted fragment) matches: merged only on confirmation",
                *verdict.reasons))
        elif verdict.band == REVIEW and verdict.score > getattr(review.get(pair), "score", 0):
            review[pair] = MatchedPair(pair[0], pair[1], verdict.score, verdict.reasons)
    return same, review, skipped


def duplicate_pairs(
    session: Session,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    include_rejected: bool = False,
    progress: Progress | None = None,
) -> dict[tuple[int, int], float]:
    """Every pair of live claims (low id, high id) that are duplicates, with its best
    score over their wordings; see ``blocking`` for how few pairs are scored."""
    check_threshold(threshold)
    matcher = BlockMatcher(party_lexicon(session),
                           set() if include_rejected else rejected_pairs(session), threshold)
    return matcher.match_database(session, progress)


def _texts(session: Session, claim_ids: set[int]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for batch in in_batches(sorted(claim_ids)):
        texts.update(session.execute(
            select(Claim.id, Claim.text).where(col(Claim.id).in_(batch))).all())
    return texts


def _groups(
    accepted: dict[tuple[int, int], float], texts: dict[int, str],
    conflict: Callable[[int, int], bool] | None = None,
) -> list[DuplicateGroup]:
    """Connected claims, each kept only if it matches its group's oldest claim directly
    and conflicts with no member already in the group (best scores join first): a claim
    with no date may match one dated 2017 and one dated 2018, but those two never share
    a group."""
    union = _UnionFind()
    for low, high in accepted:
        union.union(low, high)
    members: dict[int, set[int]] = defaultdict(set)
    for pair in accepted:
        for claim_id in pair:
            members[union.find(claim_id)].add(claim_id)
    result = []
    for ids in members.values():
        remaining = sorted(ids)
        while remaining:  # the oldest keeps what matches it; the rest may form their own
            kept, *others = remaining
            group = DuplicateGroup(kept_id=kept, texts={kept: texts[kept]})
            direct = sorted((o for o in others if (kept, o) in accepted),
                            key=lambda o: (-accepted[(kept, o)], o))
            for other in direct:
                if conflict is not None and any(conflict(p.b, other) for p in group.others):
                    continue
                group.others.append(MatchedPair(kept, other, accepted[(kept, other)]))
                group.texts[other] = texts[other]
            group.others.sort(key=lambda p: p.b)
            if group.others:
                result.append(group)
            taken = {kept, *(p.b for p in group.others)}
            remaining = [i for i in remaining if i not in taken]
    return sorted(result, key=lambda g: g.kept_id)


def likely_duplicates(
    session: Session, text: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 3,
) -> list[MatchedPair]:
    """Existing claims a new text would duplicate, best first (for ``add``)."""
    from rapidfuzz import fuzz, process

    form, key = match_columns(text)
    candidates = [
        Variant(*row) for row in session.exec(
            select(Claim.id, Claim.text, Claim.match_form, Claim.match_key)
            .where(Claim.match_key == key, col(Claim.deleted_at).is_(None))
        ).all()
    ] + [
        Variant(*row) for row in session.exec(
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


def likely_by_meaning(
    session: Session, text: str, *, limit: int = 3
) -> tuple[list[MatchedPair], list[MatchedPair]]:
    """Stored claims a new text states in another wording or language: (same, review),
    best first. Compares the text's vector with the stored vectors of claims that state
    the same figures; empty without an encoder or stored vectors."""
    import numpy as np

    from nkru_claims.matching import embeddings
    from nkru_claims.matching.scoring import REVIEW, SAME, judge_scored
    from nkru_claims.services import vectors as store

    rows = store.stored_vectors(session, figure_keys={store.figure_key(text)})
    if not rows:
        return [], []
    try:
        new = embeddings.encode([text])[0]
    except embeddings.EncoderUnavailable:
        return [], []
    cosines = np.stack([embeddings.unpack(r.vector) for r in rows]) @ new
    order = np.argsort(-cosines)[: limit * 10]
    texts = _record_texts(session, [rows[i] for i in order])
    lexicon = party_lexicon(session)
    best: dict[tuple[str, int], MatchedPair] = {}
    for i in order:
        row = rows[int(i)]
        other = texts.get((row.claim_id, row.wording_id))
        if other is None or store.text_hash(other) != row.text_hash:
            continue
        verdict = judge_scored(text, other, float(cosines[i]), lexicon=lexicon)
        if verdict.band in (SAME, REVIEW):
            key = (verdict.band, row.claim_id)
            if verdict.score > getattr(best.get(key), "score", -1):
                best[key] = MatchedPair(0, row.claim_id, verdict.score, verdict.reasons)
    ranked = sorted(best.items(), key=lambda kv: -kv[1].score)
    same = [p for (band, _), p in ranked if band == SAME][:limit]
    review = [p for (band, cid), p in ranked
              if band == REVIEW and cid not in {q.b for q in same}][:limit]
    return same, review


def _record_texts(session: Session, rows: list) -> dict[tuple[int, int | None], str]:  # noqa: ANN001
    claim_ids = [r.claim_id for r in rows if r.wording_id is None]
    wording_ids = [r.wording_id for r in rows if r.wording_id is not None]
    out: dict[tuple[int, int | None], str] = {}
    if claim_ids:
        out.update({(i, None): t for i, t in session.exec(
            select(Claim.id, Claim.text).where(col(Claim.id).in_(claim_ids))).all()})
    if wording_ids:
        out.update({(c, w): t for c, w, t in session.exec(
            select(ClaimWording.claim_id, ClaimWording.id, ClaimWording.text)
            .where(col(ClaimWording.id).in_(wording_ids))).all()})
    return out


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
