"""The audit trail: every write says who made it, when, with which command, and what.

Services call ``record`` inside the command's own transaction, so an entry exists
exactly when its change was committed. Who and which command come from the session
(``begin_audit``), set once by the caller; a bulk operation such as an import can
``quiet`` the per-row entries and write one summary entry instead.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from nkru_claims.models import AuditEntry

_ACTOR, _COMMAND, _QUIET = "nkru_actor", "nkru_command", "nkru_audit_quiet"


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (some containers)
        return "unknown"


def begin_audit(session: Session, *, actor: str, command: str | None) -> None:
    session.info[_ACTOR] = actor
    session.info[_COMMAND] = command


@contextmanager
def quiet(session: Session) -> Iterator[None]:
    """Suppress per-row entries inside (the caller records one summary)."""
    session.info[_QUIET] = session.info.get(_QUIET, 0) + 1
    try:
        yield
    finally:
        session.info[_QUIET] -= 1


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record(
    session: Session, *, action: str, entity: str, entity_id: int | None = None,
    claim_id: int | None = None, details: dict[str, Any] | None = None, force: bool = False,
) -> None:
    if session.info.get(_QUIET) and not force:
        return
    session.add(AuditEntry(
        actor=session.info.get(_ACTOR) or default_actor(),
        command=session.info.get(_COMMAND),
        action=action, entity=entity, entity_id=entity_id, claim_id=claim_id,
        details=json.dumps(_plain(details), ensure_ascii=False) if details else None,
    ))


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def query_log(
    session: Session, *, claim_id: int | None = None, actor: str | None = None,
    since: datetime | None = None, limit: int | None = None, entity: str | None = None,
    entity_id: int | None = None,
) -> list[AuditEntry]:
    """Newest first. ``entity`` (party, source, stance…) and ``entity_id`` follow one
    record's history, as ``claim_id`` follows a claim's."""
    if claim_id is not None:
        return _claim_log(session, claim_id, actor=actor, since=since, limit=limit)
    query = select(AuditEntry)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if claim_id is not None:
        query = query.where(AuditEntry.claim_id == claim_id)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    query = query.order_by(col(AuditEntry.id).desc())
    if limit:
        query = query.limit(limit)
    return list(session.exec(query).all())


def _claim_log(session: Session, claim_id: int, *, actor: str | None,
               since: datetime | None, limit: int | None) -> list[AuditEntry]:
    """A claim's entries, and the merges and unmerges that took it into another claim
    or gave it back (their entry names the kept claim; the details name this one)."""
    from sqlalchemy import and_, or_

    mentioned = and_(AuditEntry.entity == "merge",
                     col(AuditEntry.details).like(f"%{int(claim_id)}%"))
    query = select(AuditEntry).where(or_(AuditEntry.claim_id == claim_id, mentioned))
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    found = []
    for entry in session.exec(query.order_by(col(AuditEntry.id).desc())):
        details = json.loads(entry.details) if entry.details else {}
        moved = [*details.get("merged", []), *details.get("restored", [])]
        if entry.claim_id == claim_id or claim_id in moved:
            found.append(entry)
            if limit and len(found) >= limit:
                break
    return found


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id, "at": entry.at.isoformat(timespec="seconds"), "actor": entry.actor,
        "command": entry.command, "action": entry.action, "entity": entry.entity,
        "entity_id": entry.entity_id, "claim_id": entry.claim_id,
        "details": json.loads(entry.details) if entry.details else None,
    }
