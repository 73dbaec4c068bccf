"""Merging duplicate claims into one, and undoing it exactly.

A merge moves every stance, piece of evidence, wording and source link of the other
claims to the kept claim, keeps each other claim's text as a wording of the kept one,
deletes the other claims, and stores a snapshot of everything it changed in a
``merge_record``. ``unmerge`` puts the deleted rows back with their original ids,
moves each moved row back to its original claim, removes what the merge added, and
recomputes the statuses. What happened after the merge stays: rows added to the kept
claim, its later edits, verdicts and deletion, and corrections to the moved rows (a
stance deleted since is not brought back).

A merge never drops a verdict: the merged claims' verdicts and notes are appended to the
kept claim's note (and the kept claim takes the verdict when it had none).
``merge_conflicts`` says what a person merging by hand should see first.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, delete, insert, update
from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, InvalidInput, NotFound
from nkru_claims.limits import check_id
from nkru_claims.models import (
    AuditEntry,
    Claim,
    ClaimSource,
    ClaimWording,
    Evidence,
    MatchRejection,
    MergeRecord,
    Source,
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
        values[column.name] = iso(value) if isinstance(value, date | datetime) else value
    return values


def iso(value: date | datetime) -> str:
    """A date or time as ISO text, a time in UTC without its zone: SQLite hands times back
    without one and PostgreSQL with one, and an export must read the same from both."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat()


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


def merge_conflicts(session: Session, *, kept_id: int, other_ids: list[int]) -> list[str]:
    """Why these claims may not be one claim: the facts their texts state differently
    (read by the matcher) and verdicts that disagree. Empty when nothing conflicts."""
    from nkru_claims.matching.scoring import assess

    kept = get_claim(session, check_id(kept_id, "claim ID"))
    found: list[str] = []
    for other_id in sorted(set(other_ids) - {kept_id}):
        other = get_claim(session, check_id(other_id, "claim ID"))
        conflicts, _gaps = assess(kept.text, other.text)
        found += [f"#{kept_id} and #{other_id}: {reason}" for reason in conflicts]
        if kept.verdict and other.verdict and kept.verdict != other.verdict:
            found.append(f"#{kept_id} and #{other_id}: verdicts differ "
                         f"({kept.verdict} and {other.verdict})")
    return found


def _carry_verdicts(kept: Claim, merged: list[Claim]) -> dict[str, Any] | None:
    """Keep every merged verdict and note on the kept claim; the values it had before,
    or None when nothing changed."""
    notes = []
    for claim in merged:
        if claim.verdict is None and not claim.verdict_note:
            continue
        if kept.verdict is None and claim.verdict is not None:
            kept.verdict = claim.verdict
        notes.append(f"merged #{claim.id}: {claim.verdict or 'no verdict'}"
                     + (f" — {claim.verdict_note}" if claim.verdict_note else ""))
    if not notes:
        return None
    return {"verdict": kept.verdict, "verdict_note": "; ".join(
        [*([kept.verdict_note] if kept.verdict_note else []), *notes])}


def merge_claims(
    session: Session, *, kept_id: int, other_ids: list[int], actor: str,
    score: float | None = None, force: bool = True,
) -> MergeRecord:
    """Merge ``other_ids`` into ``kept_id``. Without ``force``, refuse (one line listing
    them) when ``merge_conflicts`` finds any: a merge by hand checks before it moves."""
    others = sorted(set(other_ids) - {check_id(kept_id, "claim ID")})
    for claim_id in others:
        check_id(claim_id, "claim ID")
    if not others:
        raise InvalidInput("name at least one claim to merge into the kept one")
    lock_claims(session, [kept_id, *others])
    kept = get_claim(session, kept_id)
    merged = [get_claim(session, claim_id) for claim_id in others]
    if not force:
        found = merge_conflicts(session, kept_id=kept_id, other_ids=others)
        if found:
            raise Conflict("these claims conflict: " + "; ".join(found)
                           + " (merge anyway with --force)")
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
    verdict_before = {"verdict": kept.verdict, "verdict_note": kept.verdict_note}
    carried = _carry_verdicts(kept, merged)
    if carried is not None:
        kept.verdict, kept.verdict_note = carried["verdict"], carried["verdict_note"]
        session.add(kept)
        snapshot["verdict"] = {"before": verdict_before, "after": carried}
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
    record = session.get(MergeRecord, check_id(merge_id, "merge ID"))
    if record is None:
        raise NotFound(f"no merge with id {merge_id}")
    return record


def unmerge(session: Session, *, merge_id: int, actor: str) -> MergeRecord:
    """Undo a merge, leaving what happened after it (see the module's docstring).

    Refuses with a ``Conflict`` (one line) when the merged claims cannot come back: the
    kept claim was merged away since, or an ID or ref of theirs is taken.
    """
    record = get_merge(session, merge_id)
    merged_ids = json.loads(record.merged_claim_ids)
    lock_claims(session, [record.kept_claim_id, *merged_ids])
    session.refresh(record)
    if record.undone_at is not None:
        raise Conflict(f"merge #{merge_id} was already undone on {record.undone_at:%Y-%m-%d}")
    kept_id = record.kept_claim_id
    kept = session.get(Claim, kept_id)
    if kept is None:
        raise Conflict(
            f"claim #{kept_id} no longer exists; undo the later merge that "
            "removed it first (see 'nkru-claims merges')"
        )
    snapshot = json.loads(record.snapshot)
    _check_restorable(session, snapshot["merged"])
    for values in snapshot["merged"]:
        session.execute(insert(CLAIM_TABLE).values(**_restore(CLAIM_TABLE, values)))
    for key, model in (("stances", Stance), ("evidence", Evidence), ("wordings", ClaimWording)):
        for row_id, claim_id in snapshot[key]:
            # Only rows still on the kept claim: one deleted or moved since stays so.
            session.execute(update(model).where(model.id == row_id, model.claim_id == kept_id)
                            .values(claim_id=claim_id)
                            .execution_options(synchronize_session=False))
    if snapshot["added_wordings"]:
        session.execute(delete(ClaimWording).where(
            col(ClaimWording.id).in_(snapshot["added_wordings"])))
    still_cited = _sources_cited(session, kept_id)
    dropped = [s for s in snapshot["added_links"] if s not in still_cited]
    if dropped:
        session.execute(delete(ClaimSource).where(
            ClaimSource.claim_id == kept_id, col(ClaimSource.source_id).in_(dropped)))
    existing_sources = set(session.exec(select(Source.id)).all())
    for claim_id, source_id in snapshot["links"]:
        if source_id in existing_sources and session.get(ClaimSource, (claim_id, source_id)) \
                is None:
            session.execute(insert(ClaimSource).values(claim_id=claim_id, source_id=source_id))
    for values in snapshot["rejections"]:
        low, high = values["claim_low_id"], values["claim_high_id"]
        if session.get(Claim, low) is None or session.get(Claim, high) is None:
            continue
        if session.exec(select(MatchRejection.id).where(
                MatchRejection.claim_low_id == low,
                MatchRejection.claim_high_id == high)).first() is None:
            session.execute(insert(REJECTION_TABLE).values(**_restore(REJECTION_TABLE, values)))
    verdict = snapshot.get("verdict")
    if verdict and (kept.verdict, kept.verdict_note) == (
            verdict["after"]["verdict"], verdict["after"]["verdict_note"]):
        # Only the merge touched the verdict since: give the kept claim back its own.
        session.execute(update(CLAIM_TABLE).where(CLAIM_TABLE.c.id == kept_id)
                        .values(**verdict["before"], updated_at=utcnow()))
    untouched_since = not _worked_on_since(session, merge_id, kept_id)
    session.expunge_all()
    refresh_statuses(session, [kept_id, *merged_ids])
    if untouched_since:
        # Nothing happened to the kept claim after the merge: its row exactly as it was,
        # updated_at included (the status refresh just bumped it).
        row = _restore(CLAIM_TABLE, snapshot["kept"])
        session.execute(update(CLAIM_TABLE).where(CLAIM_TABLE.c.id == kept_id)
                        .values(**{k: v for k, v in row.items() if k != "id"}))
    record = session.get(MergeRecord, merge_id)
    record.undone_at = utcnow()
    record.undone_by = actor
    session.add(record)
    session.flush()
    audit.record(session, action="unmerge", entity="merge", entity_id=merge_id,
                 claim_id=kept_id, details={"kept": kept_id, "restored": merged_ids})
    return record


def _check_restorable(session: Session, merged: list[dict[str, Any]]) -> None:
    """One line saying why a merged claim cannot come back, before anything is written."""
    for values in merged:
        if session.get(Claim, values["id"]) is not None:
            raise Conflict(f"claim #{values['id']} exists again; cannot restore it")
        holder = values.get("ref") and session.exec(
            select(Claim.id).where(Claim.ref == values["ref"])).first()
        if holder:
            raise Conflict(f"cannot restore claim #{values['id']}: its ref {values['ref']!r} "
                           f"now belongs to claim #{holder}; change that claim's ref first")


def _worked_on_since(session: Session, merge_id: int, claim_id: int) -> bool:
    """Whether the audit trail holds any change to ``claim_id`` after the merge."""
    merged_at = session.exec(select(AuditEntry.id).where(
        AuditEntry.entity == "merge", AuditEntry.entity_id == merge_id,
        AuditEntry.action == "merge")).first()
    if merged_at is None:
        return True  # no trail to go by: keep what is there
    return session.exec(select(AuditEntry.id).where(
        AuditEntry.claim_id == claim_id, AuditEntry.id > merged_at)).first() is not None


def _sources_cited(session: Session, claim_id: int) -> set[int]:
    """Sources the claim's own stances, evidence and wordings still cite."""
    cited: set[int] = set()
    for model in (Stance, Evidence, ClaimWording):
        cited.update(s for s in session.exec(select(model.source_id).where(
            model.claim_id == claim_id)).all() if s is not None)
    return cited


def merged_into(session: Session, claim_id: int) -> tuple[int, int] | None:
    """(the claim that now stands for ``claim_id``, the merge that took it), or None.

    Follows later merges of the kept claim, so the answer is the claim the ID now
    lives on. Only merges not undone count.
    """
    first_merge: int | None = None
    seen = {claim_id}
    current = claim_id
    while True:
        # merged_claim_ids is a JSON list such as "[22, 23]": LIKE finds candidates.
        candidates = session.exec(
            select(MergeRecord.id, MergeRecord.kept_claim_id, MergeRecord.merged_claim_ids)
            .where(col(MergeRecord.undone_at).is_(None),
                   col(MergeRecord.merged_claim_ids).like(f"%{current}%"))
            .order_by(col(MergeRecord.id).desc())
        ).all()
        hit = next(((merge_id, kept) for merge_id, kept, merged in candidates
                    if current in json.loads(merged)), None)
        if hit is None or hit[1] in seen:
            break
        first_merge = first_merge or hit[0]
        current = hit[1]
        seen.add(current)
    return None if first_merge is None else (current, first_merge)


def list_merges(session: Session) -> list[MergeRecord]:
    return list(session.exec(select(MergeRecord).order_by(MergeRecord.id)).all())
