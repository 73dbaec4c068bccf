"""Finding duplicate claims without comparing every pair, and remembering rejections.

Candidates come from blocks of claims with the same ``match_key`` (the numbers a claim
states, which must agree for two claims to be duplicates, so blocking loses nothing
the facts gate would have let through). Inside a block rapidfuzz's ``cdist`` scores
every pair in C++ with a score cutoff; only pairs above the threshold have their facts
compared, and accepted pairs are joined into groups whose every member matches the
group's kept (oldest) claim directly.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class _Variant:
    """One wording of a claim (its text or an alternative wording) as matching sees it."""

    claim_id: int
    text: str
    form: str
    key: str


@dataclass
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
    """(row, column, score) for every pair scoring at least ``threshold``, via cdist."""
    from rapidfuzz import fuzz, process

    for start in range(0, len(rows), CDIST_ROWS):
        matrix = process.cdist(
            rows[start : start + CDIST_ROWS], columns, scorer=fuzz.token_sort_ratio,
            score_cutoff=threshold, workers=-1,
        )
        for offset, row in enumerate(matrix):
            for column in row.nonzero()[0]:
                yield start + offset, int(column), float(row[column])


def _candidate_pairs(
    periods: Sequence[object], scored: Callable[[int], str], threshold: float
) -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) of one block worth comparing.

    Claims about different periods are never duplicates (``claim_conflicts``), so a
    block is cut by period: each period is compared within itself, and only the
    variants of claims with no period are compared with everything.
    """
    groups: dict[object, list[int]] = defaultdict(list)
    for index, period in enumerate(periods):
        groups[period].append(index)
    undated = groups.pop(None, [])
    for members in groups.values():
        if len(members) > 1:
            texts = [scored(i) for i in members]
            for r, c, _ in _scored_pairs(texts, texts, threshold):
                if r < c:
                    yield members[r], members[c]
    if undated:
        everyone = list(range(len(periods)))
        is_undated = set(undated)
        texts = [scored(i) for i in everyone]
        for r, c, _ in _scored_pairs([scored(i) for i in undated], texts, threshold):
            i, j = undated[r], c
            if i != j and not (j in is_undated and j < i):
                yield min(i, j), max(i, j)


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
    check_threshold(threshold)
    claims = _live_claims(session)
    by_id = {c.id: c for c in claims}
    blocks: dict[str, list[_Variant]] = defaultdict(list)
    for variant in _variants(session, claims):
        blocks[variant.key].append(variant)
    lexicon = party_lexicon(session)
    skip = set() if include_rejected else rejected_pairs(session)
    accepted: dict[tuple[int, int], float] = {}
    done, total = 0, sum(len(b) for b in blocks.values())
    for block in blocks.values():
        if len({v.claim_id for v in block}) > 1:
            feats = _LazyFeatures(block, lexicon)

            periods = [_period(by_id[v.claim_id]) for v in block]
            for i, j in _candidate_pairs(periods, feats.scored, threshold):
                a, b = block[i].claim_id, block[j].claim_id
                pair = (min(a, b), max(a, b))
                if a == b or pair in skip or accepted.get(pair, 0) >= 100:
                    continue
                if claim_conflicts(by_id[a], by_id[b]):
                    continue
                stored = (by_id[a].quantity_unit is not None
                          and by_id[b].quantity_unit is not None)
                verdict = compare_features(feats(i), feats(j), threshold, quantities=not stored)
                if verdict.duplicate and verdict.score > accepted.get(pair, 0):
                    accepted[pair] = verdict.score
        done += len(block)
        if progress:
            progress(done, total)
    return _groups(accepted, by_id)


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


def _period(claim: _ClaimRow) -> tuple[object, object] | None:
    if claim.period_start is None and claim.period_end is None:
        return None
    return (claim.period_start, claim.period_end)


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
