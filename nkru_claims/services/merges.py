"""Merging duplicate claims into one, and undoing it exactly.

A merge moves every stance, piece of evidence, wording and source link of the other
claims to the kept claim, keeps each other claim's text as a wording of the kept one,
deletes the other claims, and stores a snapshot of everything it changed in a
``merge_record``. ``unmerge`` puts the deleted rows back with their original ids,
moves each moved row back to its original claim, removes what the merge added, and
recomputes the statuses. Rows added to the kept claim after the merge stay with it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, delete, insert, update
from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, InvalidInput, NotFound
from nkru_claims.models import (
    Claim,
    ClaimSource,
    ClaimWording,
    Evidence,
    MatchRejection,
    MergeRecord,
    Stance,
    utcnow,
)
from nkru_claims.services.claims import get_claim
from nkru_claims.status import refresh_statuses

CLAIM_TABLE: Table = Claim.__table__  # type: ignore[attr-defined]
REJECTION_TABLE: Table = MatchRejection.__table__  # type: ignore[attr-defined]


def _row(table: Table, obj: Any) -> dict[str, Any]:
    """A row as JSON-safe values, column by column."""
    values = {}
    for column in table.columns:
        value = getattr(obj, column.name)
        values[column.name] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def _restore(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    restored = {}
    for column in table.columns:
        value = values.get(column.name)
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        restored[column.name] = value
    return restored


def _ids(session: Session, model: type, claim_ids: list[int]) -> list[list[int]]:
    rows = session.exec(
        select(model.id, model.claim_id).where(col(model.claim_id).in_(claim_ids))
        .order_by(model.id)
    ).all()
    return [[row_id, claim_id] for row_id, claim_id in rows]


def merge_claims(
    session: Session, *, kept_id: int, other_ids: list[int], actor: str,
    score: float | None = None,
) -> MergeRecord:
    others = sorted(set(other_ids) - {kept_id})
    if not others:
        raise InvalidInput("name at least one claim to merge into the kept one")
    lock_claims(session, [kept_id, *others])
    kept = get_claim(session, kept_id)
    merged = [get_claim(session, claim_id) for claim_id in others]
    links = session.exec(
        select(ClaimSource).where(col(ClaimSource.claim_id).in_([kept_id, *others]))
    ).all()
    kept_sources = {link.source_id for link in links if link.claim_id == kept_id}
    rejections = session.exec(select(MatchRejection).where(
        col(MatchRejection.claim_low_id).in_(others) | col(MatchRejection.claim_high_id).in_(others)
    )).all()
    snapshot: dict[str, Any] = {
        "kept": _row(CLAIM_TABLE, kept),
        "merged": [_row(CLAIM_TABLE, claim) for claim in merged],
        "stances": _ids(session, Stance, others),
        "evidence": _ids(session, Evidence, others),
        "wordings": _ids(session, ClaimWording, others),
        "links": [[link.claim_id, link.source_id] for link in links if link.claim_id != kept_id],
        "rejections": [_row(REJECTION_TABLE, r) for r in rejections],
        "added_wordings": [],
        "added_links": [],
    }
    for model in (Stance, Evidence, ClaimWording):
        session.execute(update(model).where(col(model.claim_id).in_(others))
                        .values(claim_id=kept_id).execution_options(synchronize_session=False))
    for source_id in sorted({source for _, source in snapshot["links"]} - kept_sources):
        session.add(ClaimSource(claim_id=kept_id, source_id=source_id))
        snapshot["added_links"].append(source_id)
    known_texts = {kept.text, *session.exec(
        select(ClaimWording.text).where(ClaimWording.claim_id == kept_id)).all()}
    for claim in merged:
        if claim.text not in known_texts:
            wording = ClaimWording(claim_id=kept_id, text=claim.text, language=claim.language,
                                   match_form=claim.match_form, match_key=claim.match_key)
            session.add(wording)
            session.flush()
            snapshot["added_wordings"].append(wording.id)
            known_texts.add(claim.text)
    session.flush()
    session.execute(delete(ClaimSource).where(col(ClaimSource.claim_id).in_(others)))
    session.execute(delete(Claim).where(col(Claim.id).in_(others)))
    session.expunge_all()
    refresh_statuses(session, [kept_id])
    record = MergeRecord(
        kept_claim_id=kept_id, merged_claim_ids=json.dumps(others), score=score, actor=actor,
        snapshot=json.dumps(snapshot, ensure_ascii=False),
    )
    session.add(record)
    session.flush()
    audit.record(session, action="merge", entity="merge", entity_id=record.id, claim_id=kept_id,
                 details={"kept": kept_id, "merged": others, "score": score})
    return record


def lock_claims(session: Session, claim_ids: list[int]) -> None:
    """Row locks in id order, so overlapping merges wait for each other, never deadlock."""
    session.execute(select(Claim.id).where(col(Claim.id).in_(sorted(set(claim_ids))))
                    .order_by(Claim.id).with_for_update())


def get_merge(session: Session, merge_id: int) -> MergeRecord:
    record = session.get(MergeRecord, merge_id)
    if record is None:
        raise NotFound(f"no merge with id {merge_id}")
    return record


def unmerge(session: Session, *, merge_id: int, actor: str) -> MergeRecord:
    record = get_merge(session, merge_id)
    lock_claims(session, [record.kept_claim_id, *json.loads(record.merged_claim_ids)])
    session.refresh(record)
    if record.undone_at is not None:
        raise Conflict(f"merge #{merge_id} was already undone on {record.undone_at:%Y-%m-%d}")
    if session.get(Claim, record.kept_claim_id) is None:
        raise Conflict(
            f"claim #{record.kept_claim_id} no longer exists; undo the later merge that "
            "removed it first (see 'nkru-claims merges')"
        )
    snapshot = json.loads(record.snapshot)
    for values in snapshot["merged"]:
        if session.get(Claim, values["id"]) is not None:
            raise Conflict(f"claim #{values['id']} exists again; cannot restore it")
        session.execute(insert(CLAIM_TABLE).values(**_restore(CLAIM_TABLE, values)))
    for key, model in (("stances", Stance), ("evidence", Evidence), ("wordings", ClaimWording)):
        for row_id, claim_id in snapshot[key]:
            session.execute(update(model).where(model.id == row_id).values(claim_id=claim_id)
                            .execution_options(synchronize_session=False))
    if snapshot["added_wordings"]:
        session.execute(delete(ClaimWording).where(
            col(ClaimWording.id).in_(snapshot["added_wordings"])))
    if snapshot["added_links"]:
        session.execute(delete(ClaimSource).where(
            ClaimSource.claim_id == record.kept_claim_id,
            col(ClaimSource.source_id).in_(snapshot["added_links"])))
    for claim_id, source_id in snapshot["links"]:
        session.execute(insert(ClaimSource).values(claim_id=claim_id, source_id=source_id))
    for values in snapshot["rejections"]:
        session.execute(insert(REJECTION_TABLE).values(**_restore(REJECTION_TABLE, values)))
    session.expunge_all()
    refresh_statuses(session, [record.kept_claim_id, *json.loads(record.merged_claim_ids)])
    # The kept claim's own row as it was, updated_at included (the refresh just bumped it).
    kept = _restore(CLAIM_TABLE, snapshot["kept"])
    session.execute(update(CLAIM_TABLE).where(CLAIM_TABLE.c.id == record.kept_claim_id)
                    .values(**{k: v for k, v in kept.items() if k != "id"}))
    record = session.get(MergeRecord, merge_id)
    record.undone_at = utcnow()
    record.undone_by = actor
    session.add(record)
    session.flush()
    audit.record(session, action="unmerge", entity="merge", entity_id=merge_id,
                 claim_id=record.kept_claim_id,
                 details={"kept": record.kept_claim_id,
                          "restored": json.loads(record.merged_claim_ids)})
    return record


def list_merges(session: Session) -> list[MergeRecord]:
    return list(session.exec(select(MergeRecord).order_by(MergeRecord.id)).all())
