"""Which claims dedupe compares: blocks, their split by facts, and worker processes.

A block is every text (claim or wording) with one ``match_key``: the numbers it states,
which the facts gate never lets differ, so no duplicate crosses blocks. Inside a block
``candidate_pairs`` splits again by facts that must agree where both texts state them
(parties, topic, dates, period), and rapidfuzz's ``cdist`` scores each part in C++ with
a score cutoff; only pairs above it reach the Python fact checks.

Blocks are independent. On a large database they are shared out by key between worker
processes, each of which reads its own blocks through its own connection, so neither
the claims nor the work are copied between processes and memory stays that of one share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

from sqlalchemy import update
from sqlmodel import Session, col, select

from nkru_claims import workers
from nkru_claims.in_lists import in_batches
from nkru_claims.matching.compare import (
    ClaimFeatures,
    PartyLexicon,
    compare_features,
    features,
    match_columns,
    quantity_conflicts,
)
from nkru_claims.models import Claim, ClaimWording
from nkru_claims.services.claims import claim_quantity

Progress = Callable[[int, int], None]
Pairs = dict[tuple[int, int], float]  # (low claim id, high claim id) -> best score
CDIST_ROWS = 2_000
THREADED_FROM = 250_000  # cdist cells from which scoring on several threads pays off
PARALLEL_FROM = 20_000  # texts in blocks from which worker processes pay off


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording of a claim (its text or an alternative wording) as matching sees it."""

    claim_id: int
    text: str
    form: str
    key: str


@dataclass(slots=True)
class ClaimRow:
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


def claim_conflicts(a: Claim | ClaimRow, b: Claim | ClaimRow) -> list[str]:
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


# ---- reading blocks --------------------------------------------------------------------


def _claim_rows(session: Session, *conditions: object) -> list[ClaimRow]:
    columns = [getattr(Claim, f.name) for f in fields(ClaimRow)]
    query = select(*columns).where(col(Claim.deleted_at).is_(None), *conditions)
    return [ClaimRow(*row) for row in session.execute(query.order_by(Claim.id)).all()]


def live_claims(session: Session) -> list[ClaimRow]:
    return _claim_rows(session)


def variants(session: Session, claims: Sequence[ClaimRow]) -> list[Variant]:
    """Every claim's text and wordings; match columns missing from old rows are filled in."""
    found = []
    for claim in claims:
        form, key = claim.match_form, claim.match_key
        if form is None or key is None:
            form, key = match_columns(claim.text)
            session.execute(update(Claim).where(col(Claim.id) == claim.id)
                            .values(match_form=form, match_key=key))
        found.append(Variant(claim.id, claim.text, form, key))
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
        found.append(Variant(claim_id, text, form, key))
    return found


def blocks_of(found: Iterable[Variant]) -> list[list[Variant]]:
    """Variants by key; only blocks holding two claims or more have anything to compare."""
    by_key: dict[str, list[Variant]] = defaultdict(list)
    for variant in found:
        by_key[variant.key].append(variant)
    return [b for b in by_key.values() if len({v.claim_id for v in b}) > 1]


def _blocks_for_keys(
    session: Session, keys: Sequence[str]
) -> tuple[list[list[Variant]], dict[int, ClaimRow]]:
    """The blocks of these keys, read with their claims (what one worker compares)."""
    claims: dict[int, ClaimRow] = {}
    found: list[Variant] = []
    wordings: list[tuple[int, str, str, str]] = []
    for chunk in in_batches(keys):
        for row in _claim_rows(session, col(Claim.match_key).in_(chunk)):
            claims[row.id] = row
            found.append(Variant(row.id, row.text, row.match_form or "", row.match_key or ""))
        wordings += session.execute(
            select(ClaimWording.claim_id, ClaimWording.text, ClaimWording.match_form,
                   ClaimWording.match_key)
            .join(Claim, col(Claim.id) == ClaimWording.claim_id)
            .where(col(Claim.deleted_at).is_(None), col(ClaimWording.match_key).in_(chunk))
            .order_by(ClaimWording.id)
        ).all()
    found += [Variant(*row) for row in wordings]
    missing = sorted({claim_id for claim_id, *_ in wordings} - claims.keys())
    for batch in in_batches(missing):
        for row in _claim_rows(session, col(Claim.id).in_(batch)):
            claims[row.id] = row
    return blocks_of(found), claims


def _key_sizes(session: Session) -> dict[str, int] | None:
    """Texts per key over live claims and their wordings; None if a row has no key yet
    (``variants`` fills it in, in this transaction, which workers would not see)."""
    from sqlalchemy import func

    sizes: dict[str, int] = defaultdict(int)
    per_claim = (select(Claim.match_key, func.count()).where(col(Claim.deleted_at).is_(None))
                 .group_by(Claim.match_key))
    per_wording = (select(ClaimWording.match_key, func.count())
                   .join(Claim, col(Claim.id) == ClaimWording.claim_id)
                   .where(col(Claim.deleted_at).is_(None)).group_by(ClaimWording.match_key))
    for query in (per_claim, per_wording):
        for key, count in session.execute(query):
            if key is None:
                return None
            sizes[key] += count
    return sizes


# ---- candidate pairs -------------------------------------------------------------------


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


def candidate_pairs(
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
        yield from candidate_pairs(members, signatures, scored, threshold, depth + 1)
    yield from candidate_pairs(lacking, signatures, scored, threshold, depth + 1)
    if lacking and groups:
        having = [i for members in groups.values() for i in members]
        yield from _pairs_between(lacking, having, signatures, scored, threshold, depth + 1)


def _pairs_between(
    left: list[int], right: list[int], signatures: Sequence[tuple[object, ...]],
    scored: Callable[[int], str], threshold: float, depth: int,
) -> Iterable[tuple[int, int]]:
    """``candidate_pairs`` for pairs with one text from each of two disjoint lists."""
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


def signature(claim: ClaimRow, found: ClaimFeatures) -> tuple[object, ...]:
    """The facts ``candidate_pairs`` splits a block by; None where the text has none.

    Each mirrors a rule of ``claim_conflicts`` or ``fact_conflicts`` that rejects a pair
    only when both sides have the fact and it differs.
    """
    period = (None if claim.period_start is None and claim.period_end is None
              else (claim.period_start, claim.period_end))
    return (found.parties or None, found.topics or None, found.dates or None, period)


# ---- matching blocks -------------------------------------------------------------------


@dataclass
class BlockMatcher:
    """Compares the texts of blocks and keeps the pairs the facts gate accepts."""

    lexicon: PartyLexicon
    skip: set[tuple[int, int]]
    threshold: float

    def match(self, blocks: list[list[Variant]], by_id: dict[int, ClaimRow],
              progress: Progress | None = None) -> Pairs:
        accepted: Pairs = {}
        done, total = 0, sum(len(b) for b in blocks)
        for block in blocks:
            self._match_block(block, by_id, accepted)
            done += len(block)
            if progress:
                progress(done, total)
        return accepted

    def _match_block(self, block: list[Variant], by_id: dict[int, ClaimRow],
                     accepted: Pairs) -> None:
        threshold = self.threshold
        cache: dict[int, ClaimFeatures] = {}

        def feats(index: int) -> ClaimFeatures:
            if index not in cache:
                variant = block[index]
                cache[index] = features(variant.text, self.lexicon, form=variant.form)
            return cache[index]

        signatures = [signature(by_id[v.claim_id], feats(i)) for i, v in enumerate(block)]
        for i, j in candidate_pairs(list(range(len(block))), signatures,
                                    lambda index: feats(index).scored, threshold):
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

    def match_database(self, session: Session, progress: Progress | None = None) -> Pairs:
        """Every live claim's duplicates: in worker processes on a large database that
        other connections can read, else here."""
        url = _shareable_url(session)
        sizes = _key_sizes(session) if url else None
        if url and sizes and sum(sizes.values()) >= PARALLEL_FROM:
            return self._match_in_workers(url, sizes, progress)
        claims = live_claims(session)
        return self.match(blocks_of(variants(session, claims)), {c.id: c for c in claims},
                          progress)

    def _match_in_workers(self, url: str, sizes: dict[str, int],
                          progress: Progress | None) -> Pairs:
        global _WORKER_MATCHER
        shares = [(keys, sum(sizes[k] for k in keys))
                  for keys in _shares(sizes, 4 * workers.cores())]
        total, done, accepted = sum(sizes.values()), 0, {}
        _WORKER_MATCHER = (self, url)
        try:
            with workers.pool() as pool:
                for found, size in pool.imap_unordered(_match_share_in_worker, shares):
                    for pair, score in found.items():
                        accepted[pair] = max(score, accepted.get(pair, 0))
                    done += size
                    if progress:
                        progress(done, total)
        finally:
            _WORKER_MATCHER = None
        return accepted


_WORKER_MATCHER: tuple[BlockMatcher, str] | None = None  # set while workers are forked


def _shareable_url(session: Session) -> str | None:
    """The URL worker processes can open, when workers can be forked and would help."""
    if not workers.can_fork():
        return None
    url = session.get_bind().url
    if url.drivername.startswith("sqlite") and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def _shares(sizes: dict[str, int], count: int) -> list[list[str]]:
    """Keys in ``count`` shares of about equal work (a block costs its texts' features
    and, growing with its square, their scoring), largest blocks first."""
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for key in sorted(sizes, key=lambda k: -sizes[k]):
        lightest = loads.index(min(loads))
        shares[lightest].append(key)
        loads[lightest] += sizes[key] + sizes[key] ** 2 / 5_000
    return [share for share in shares if share]


def _match_share_in_worker(share: tuple[list[str], int]) -> tuple[Pairs, int]:
    """In a forked worker: its own engine (never the parent's connections), a read-only
    transaction, the blocks of the share's keys; returns their pairs and the share's size."""
    from nkru_claims.db import make_engine

    assert _WORKER_MATCHER is not None, "only called in a worker forked by BlockMatcher"
    matcher, url = _WORKER_MATCHER
    keys, size = share
    engine = make_engine(url, read_only=True)
    try:
        with Session(engine) as session:
            found = matcher.match(*_blocks_for_keys(session, keys))
    finally:
        engine.dispose()
    return found, size
