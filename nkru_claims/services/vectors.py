"""Sentence vectors of the ledger's claim texts and wordings: computed once, kept, reused.

Encoding is the slow part of matching across languages (100–300 sentences a second on
two cores, and about two seconds to load the model), so each text is encoded once and
its vector stored with the model that made it and a hash of the text (``ClaimVector``).
A changed text or a new model no longer matches its row and is encoded again; nothing
else is. ``embed_missing`` does the work a batch at a time, so ``nkru-claims embed`` can
be stopped and started again without losing what it did; ``add`` encodes the one text
it adds; ``dedupe`` reads the stored vectors and encodes only a few missing ones itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from nkru_claims.in_lists import in_batches
from nkru_claims.models import Claim, ClaimVector, ClaimWording

BATCH = 256


def text_hash(text: str) -> str:
    """The exact text's hash: a stored vector is valid while its text hashes the same."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def figure_key(text: str) -> str:
    """The figures a text states, as one short key: texts whose keys differ state
    different figures, which the facts never let be the same claim."""
    from nkru_claims.matching.figures import read_figures

    values = sorted({(q.low, q.high) for q in read_figures(text).figures},
                    key=lambda v: (v[0] or -1, v[1] or -1))
    key = ";".join(f"{_num(low)}-{_num(high)}" for low, high in values)
    return key[:200]


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


@dataclass(frozen=True)
class TextRecord:
    """A live claim's text or one of its wordings."""

    claim_id: int
    wording_id: int | None
    text: str


def live_texts(session: Session, claim_ids: list[int] | None = None) -> list[TextRecord]:
    """Every live claim's text and wordings (or those of ``claim_ids``)."""
    claims = select(Claim.id, Claim.text).where(col(Claim.deleted_at).is_(None))
    wordings = (select(ClaimWording.claim_id, ClaimWording.id, ClaimWording.text)
                .join(Claim, col(Claim.id) == ClaimWording.claim_id)
                .where(col(Claim.deleted_at).is_(None)))
    records: list[TextRecord] = []
    batches = [None] if claim_ids is None else list(in_batches(sorted(claim_ids)))
    for batch in batches:
        c, w = claims, wordings
        if batch is not None:
            c = c.where(col(Claim.id).in_(batch))
            w = w.where(col(ClaimWording.claim_id).in_(batch))
        records += [TextRecord(i, None, t) for i, t in session.exec(c).all()]
        records += [TextRecord(i, wid, t) for i, wid, t in session.exec(w).all()]
    return records


def stored_hashes(session: Session, model: str) -> dict[tuple[int, int | None], str]:
    rows = session.exec(select(ClaimVector.claim_id, ClaimVector.wording_id,
                               ClaimVector.text_hash).where(ClaimVector.model == model))
    return {(claim_id, wording_id): h for claim_id, wording_id, h in rows}


def missing(session: Session, records: list[TextRecord] | None = None) -> list[TextRecord]:
    """Records with no valid vector for the current model."""
    from nkru_claims.matching.embeddings import MODEL_ID

    stored = stored_hashes(session, MODEL_ID)
    records = live_texts(session) if records is None else records
    return [r for r in records if stored.get((r.claim_id, r.wording_id)) != text_hash(r.text)]


def store(session: Session, records: list[TextRecord]) -> int:
    """Encode ``records`` and keep their vectors (replacing stale ones); returns how many."""
    from nkru_claims.matching.embeddings import MODEL_ID, encode, pack

    if not records:
        return 0
    vectors = encode([r.text for r in records])
    for record in records:
        condition = ClaimVector.wording_id == record.wording_id if record.wording_id else col(
            ClaimVector.wording_id).is_(None)
        session.exec(delete(ClaimVector).where(  # type: ignore[call-overload]
            ClaimVector.claim_id == record.claim_id, condition))
    session.add_all(
        ClaimVector(claim_id=r.claim_id, wording_id=r.wording_id, model=MODEL_ID,
                    text_hash=text_hash(r.text), figure_key=figure_key(r.text),
                    vector=pack(v))
        for r, v in zip(records, vectors, strict=True)
    )
    session.flush()
    return len(records)


def embed_missing(
    sessions: Callable[[], Iterator[Session]] | None = None, *, session: Session | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Encode every live text without a valid vector, ``BATCH`` at a time.

    With ``sessions`` (a factory of one-transaction sessions), each batch is committed
    on its own, so an interrupted run keeps what it did and the next run goes on from
    there; with ``session``, everything goes into that one transaction.
    """
    if session is not None:
        todo = missing(session)
        done = 0
        for start in range(0, len(todo), BATCH):
            done += store(session, todo[start : start + BATCH])
            if progress:
                progress(done, len(todo))
        return done
    assert sessions is not None
    with sessions() as first:
        todo = missing(first)
    done = 0
    for start in range(0, len(todo), BATCH):
        with sessions() as each:
            done += store(each, todo[start : start + BATCH])
        if progress:
            progress(done, len(todo))
    return done


@dataclass(frozen=True)
class StoredVector:
    claim_id: int
    wording_id: int | None
    text_hash: str
    figure_key: str
    vector: bytes


def stored_vectors(session: Session, *, figure_keys: set[str] | None = None) -> list[StoredVector]:
    """Valid vectors of live claims for the current model (optionally of some figure keys)."""
    from nkru_claims.matching.embeddings import MODEL_ID

    query = (select(ClaimVector.claim_id, ClaimVector.wording_id, ClaimVector.text_hash,
                    ClaimVector.figure_key, ClaimVector.vector)
             .join(Claim, col(Claim.id) == ClaimVector.claim_id)
             .where(ClaimVector.model == MODEL_ID, col(Claim.deleted_at).is_(None)))
    if figure_keys is not None:
        query = query.where(col(ClaimVector.figure_key).in_(sorted(figure_keys)))
    return [StoredVector(*row) for row in session.exec(query).all()]


def remember_vector(session: Session, claim_id: int, text: str, kind: str | None = None) -> bool:
    """Keep the vector of a text just added to ``claim_id`` (as its text, or with
    ``kind="wording"`` as its newest wording with that text); False without an encoder."""
    from nkru_claims.matching.embeddings import EncoderUnavailable

    wording_id = None
    if kind == "wording":
        wording_id = session.exec(
            select(ClaimWording.id).where(ClaimWording.claim_id == claim_id,
                                          ClaimWording.text == text)
            .order_by(col(ClaimWording.id).desc())).first()
        if wording_id is None:
            return False
    try:
        store(session, [TextRecord(claim_id, wording_id, text)])
    except EncoderUnavailable:
        return False
    return True
