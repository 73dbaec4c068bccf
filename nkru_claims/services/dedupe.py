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


def find_duplicate_groups(
    session: Session,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    include_rejected: bool = False,
    progress: Progress | None = None,
) -> list[DuplicateGroup]:
    """Groups of claims that state the same thing, in any of their wordings."""
    accepted = duplicate_pairs(session, threshold=threshold,
                               include_rejected=include_rejected, progress=progress)
    return _groups(accepted, _texts(session, {i for pair in accepted for i in pair}))


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
    accepted: dict[tuple[int, int], float], texts: dict[int, str]
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
        group = DuplicateGroup(kept_id=kept, texts={kept: texts[kept]})
        for other in others:
            if (kept, other) in accepted:
                group.others.append(MatchedPair(kept, other, accepted[(kept, other)]))
                group.texts[other] = texts[other]
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
