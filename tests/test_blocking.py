"""Blocking loses nothing: dedupe finds exactly the pairs an every-pair comparison finds,
whether it runs in one process or shares its blocks out to worker processes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from nkru_claims.db import make_engine, session_scope
from nkru_claims.exchange import import_document
from nkru_claims.matching import blocking
from nkru_claims.matching.compare import DEFAULT_THRESHOLD, compare_features, features
from nkru_claims.services import dedupe
from tests.conftest import in_session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate_corpus  # noqa: E402


def dedupe_refs(url: str) -> dict[str, int]:
    from sqlalchemy import text

    engine = make_engine(url)
    with engine.connect() as connection:
        refs = dict(connection.execute(text("SELECT ref, id FROM claim")).all())
    engine.dispose()
    return refs


def _every_pair(session, threshold: float) -> dict[tuple[int, int], float]:  # noqa: ANN001
    """The reference: every text scored against every other, then the same facts gate."""
    claims = blocking.live_claims(session)
    by_id = {c.id: c for c in claims}
    variants = blocking.variants(session, claims)
    lexicon = dedupe.party_lexicon(session)
    found = [features(v.text, lexicon, form=v.form) for v in variants]
    scored = [f.scored for f in found]
    matrix = process.cdist(scored, scored, scorer=fuzz.token_sort_ratio,
                           score_cutoff=threshold, workers=-1)
    accepted: dict[tuple[int, int], float] = {}
    for i, j in zip(*matrix.nonzero(), strict=True):
        a, b = variants[i].claim_id, variants[j].claim_id
        if i >= j or a == b or blocking.claim_conflicts(by_id[a], by_id[b]):
            continue
        stored = by_id[a].quantity_unit is not None and by_id[b].quantity_unit is not None
        verdict = compare_features(found[i], found[j], threshold, quantities=not stored)
        pair = (min(a, b), max(a, b))
        if verdict.duplicate:
            accepted[pair] = max(verdict.score, accepted.get(pair, 0))
    return accepted


# Duplicates where one text names a fact the other leaves out: blocking must compare
# them although their facts are not equal.
SINCE_2023 = {"period_start": "2023-08-01"}
ONE_SIDE_LACKS_A_FACT = [
    ("parties-a", "北韩已向俄罗斯运送了约6700个集装箱的弹药", SINCE_2023),
    ("parties-b", "已运送了约6700个集装箱的弹药", SINCE_2023),
    ("dates-a", "2024年10月,朝鲜向俄罗斯派遣了1500名士兵", SINCE_2023),
    ("dates-b", "朝鲜向俄罗斯派遣了1500名士兵", SINCE_2023),
    ("topics-a", "朝鲜向俄罗斯派出了三千名工程师", SINCE_2023),
    ("topics-b", "朝鲜向俄罗斯派出了三千名", SINCE_2023),
    ("period-a", "朝鲜向俄罗斯运去了大约四百万发炮弹", SINCE_2023),
    ("period-b", "朝鲜向俄罗斯运去了大约四百万发炮弹", {}),
]


@pytest.fixture
def corpus_url(db_url: str) -> str:
    """A generated corpus: rewordings in both scripts and English, near-misses that differ
    in one number, date, party or direction, and a third of claims stating no number."""
    document, true_groups = generate_corpus(1200, seed=7, no_number_share=0.3)
    assert len(true_groups) > 50
    document["claims"] += [{"ref": ref, "text": text, **extra}
                           for ref, text, extra in ONE_SIDE_LACKS_A_FACT]
    in_session(db_url, lambda session: import_document(session, document))
    return db_url


def test_blocked_dedupe_finds_every_pair_the_exhaustive_comparison_finds(
    corpus_url: str,
) -> None:
    engine = make_engine(corpus_url)
    with session_scope(engine) as session:
        reference = _every_pair(session, DEFAULT_THRESHOLD)
        blocked = dedupe.duplicate_pairs(session, threshold=DEFAULT_THRESHOLD)
    engine.dispose()
    assert len(reference) > 100
    refs = dedupe_refs(corpus_url)
    for fact in ("dates", "topics", "period"):  # stated by one text only: still compared
        assert (refs[f"{fact}-a"], refs[f"{fact}-b"]) in reference, fact
    # parties named by one text only are not agreement: compared, but not folded
    assert (refs["parties-a"], refs["parties-b"]) not in reference
    assert blocked.keys() == reference.keys()
    assert all(blocked[p] == pytest.approx(reference[p]) for p in reference)


def test_worker_processes_find_the_same_pairs_as_one_process(
    corpus_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(corpus_url)
    with session_scope(engine) as session:
        alone = dedupe.duplicate_pairs(session)
        monkeypatch.setattr(blocking, "PARALLEL_FROM", 0)
        reports: list[tuple[int, int | None]] = []
        shared = dedupe.duplicate_pairs(session, progress=lambda d, t: reports.append((d, t)))
    engine.dispose()
    assert shared == alone and alone
    assert len(reports) > 1 and reports[-1][0] == reports[-1][1], "progress reaches the end"
