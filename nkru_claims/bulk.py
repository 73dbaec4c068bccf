"""Importing many claims at once: validate everything in Python, then insert in bulk.

The services add one claim at a time through the ORM, which is right for a command that
adds one claim and far too slow for a wire archive of 100,000. Here every claim of a
file is checked first (with the services' own rules and messages, located by its path
in the file), then claims, wordings, source links, stances and evidence go in with
executemany inserts, and statuses are computed once at the end, all inside the
caller's single transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlmodel import Session

from nkru_claims.errors import ImportFormatError, UnknownParty
from nkru_claims.models import (
    BEARINGS,
    STANCE_KINDS,
    VERDICTS,
    Claim,
    ClaimSource,
    ClaimWording,
    Evidence,
    PartyAlias,
    Stance,
    utcnow,
)
from nkru_claims.normalise import alias_key
from nkru_claims.quantity import Quantity
from nkru_claims.status import refresh_statuses
from nkru_claims.values import choice, optional_text, parse_date, required_text

Progress = Callable[[int, int], None]
CHUNK = 2_000


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]


@dataclass
class PendingClaim:
    """One claim of the file, checked and ready to insert."""

    row: dict[str, Any]
    wordings: list[dict[str, Any]] = field(default_factory=list)
    source_ids: set[int] = field(default_factory=set)
    stances: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


class ClaimReader:
    """Turns the claim objects of a file into rows, with the services' checks."""

    def __init__(self, session: Session, sources: dict[str, int]) -> None:
        self.session = session
        self.sources = sources
        self.parties = dict(session.exec(select(PartyAlias.alias_key, PartyAlias.party_id)).all())
        self.refs = {r for (r,) in session.execute(select(Claim.ref).where(Claim.ref.is_not(None)))}
        self.resolved: dict[str, int] = {}  # names as written in the file, already looked up

    def source_id(self, ref: Any) -> int | None:
        if ref is None:
            return None
        if ref not in self.sources:
            raise ImportFormatError(f"unknown source ref {ref!r}")
        return self.sources[ref]

    def party_id(self, name: Any) -> int:
        from nkru_claims.services.parties import suggest_parties

        if isinstance(name, str) and name in self.resolved:
            return self.resolved[name]
        name = required_text(name if isinstance(name, str) else None, "party name")
        party_id = self.parties.get(alias_key(name))
        if party_id is None:
            raise UnknownParty(name, suggest_parties(self.session, name))
        self.resolved[name] = party_id
        return party_id

    def read(self, data: dict[str, Any], quantity: Quantity | None,
             located: Callable[[str], Any]) -> PendingClaim | None:
        """None when the claim's ref is already in the database (or earlier in the file)."""
        ref = optional_text(data.get("ref"))
        if ref is not None and ref in self.refs:
            return None
        start = parse_date(data.get("period_start"))
        end = parse_date(data.get("period_end"), end_of_period=True)
        if start and end and end < start:
            raise ImportFormatError(f"the period ends ({end}) before it starts ({start})")
        verdict = optional_text(data.get("verdict"))
        now = utcnow()
        row = {
            "ref": ref, "text": required_text(data.get("text"), "claim text"),
            "language": optional_text(data.get("language")),
            "quantity_text": quantity.text if quantity else None,
            "quantity_low": quantity.low if quantity else None,
            "quantity_high": quantity.high if quantity else None,
            "quantity_unit": quantity.unit if quantity else None,
            "quantity_approximate": quantity.approximate if quantity else False,
            "period_start": start, "period_end": end, "status": "unverified",
            "verdict": choice(verdict, VERDICTS, "verdict") if verdict else None,
            "verdict_note": optional_text(data.get("verdict_note")),
            "created_at": now, "updated_at": now,
            "deleted_at": self._timestamp(data.get("deleted_at")),
            "deleted_by": optional_text(data.get("deleted_by")),
        }
        pending = PendingClaim(row)
        for ref_ in data.get("sources") or []:
            pending.source_ids.add(self.source_id(ref_))
        for i, item in enumerate(data.get("wordings") or []):
            with located(f"wordings[{i}]"):
                source = self.source_id(item.get("source"))
                pending.wordings.append({
                    "text": required_text(item.get("text"), "wording"),
                    "language": optional_text(item.get("language")), "source_id": source,
                })
        for i, item in enumerate(data.get("stances") or []):
            with located(f"stances[{i}]"):
                source = self.source_id(item.get("source"))
                pending.stances.append({
                    "party_id": self.party_id(item.get("party")),
                    "kind": choice(item.get("kind") or "", STANCE_KINDS, "stance kind"),
                    "source_id": source, "quote": optional_text(item.get("quote")),
                    "quote_language": optional_text(item.get("quote_language")),
                    "stated_on": parse_date(item.get("stated_on")), "created_at": now,
                })
        for i, item in enumerate(data.get("evidence") or []):
            with located(f"evidence[{i}]"):
                pending.evidence.append({
                    "source_id": self.source_id(item.get("source")),
                    "description": required_text(item.get("description"), "evidence description"),
                    "bearing": choice(item.get("bearing") or "", BEARINGS, "evidence bearing"),
                    "quote": optional_text(item.get("quote")), "created_at": now,
                })
        for item in (*pending.wordings, *pending.stances, *pending.evidence):
            if item["source_id"] is not None:
                pending.source_ids.add(item["source_id"])
        if ref is not None:
            self.refs.add(ref)
        return pending

    @staticmethod
    def _timestamp(value: Any) -> datetime | None:
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise ImportFormatError(f"deleted_at: not a timestamp: {value!r}") from None


def insert_claims(
    session: Session, pending: list[PendingClaim], progress: Progress | None = None
) -> list[int]:
    """Insert checked claims and everything they carry; returns the new claims' ids."""
    from nkru_claims.matching import match_columns_many

    forms = match_columns_many([p.row["text"] for p in pending])
    wording_forms = iter(match_columns_many([w["text"] for p in pending for w in p.wordings]))
    ids = _reserve_ids(session, len(pending))
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        chunk_ids = ids[start : start + CHUNK]
        claims, wordings, links, stances, evidence = [], [], [], [], []
        for claim_id, item, (form, key) in zip(chunk_ids, chunk, forms[start : start + CHUNK],
                                               strict=True):
            claims.append({"id": claim_id, **item.row, "match_form": form, "match_key": key})
            for wording in item.wordings:
                form, key = next(wording_forms)
                wordings.append({**wording, "claim_id": claim_id, "match_form": form,
                                 "match_key": key})
            links += [{"claim_id": claim_id, "source_id": s} for s in sorted(item.source_ids)]
            stances += [{**s, "claim_id": claim_id} for s in item.stances]
            evidence += [{**e, "claim_id": claim_id} for e in item.evidence]
        for model, rows in ((Claim, claims), (ClaimWording, wordings), (ClaimSource, links),
                            (Stance, stances), (Evidence, evidence)):
            _insert_rows(session, model, rows)
        refresh_statuses(session, chunk_ids)
        if progress:
            progress(start + len(chunk), len(pending))
    return ids


def _reserve_ids(session: Session, count: int) -> list[int]:
    """Ids for new claims, taken before inserting so that children can point at them.

    SQLite: this transaction already holds the database's write lock (BEGIN IMMEDIATE),
    so the ids after the largest are ours. PostgreSQL: drawn from the id sequence, which
    concurrent writers share safely.
    """
    if count == 0:
        return []
    if session.connection().dialect.name == "postgresql":
        from sqlalchemy import text

        return list(session.execute(
            text("SELECT nextval(pg_get_serial_sequence('claim', 'id')) "
                 "FROM generate_series(1, :n)"), {"n": count}).scalars())
    largest = session.execute(select(func.max(Claim.id))).scalar() or 0
    return list(range(largest + 1, largest + count + 1))


def _sqlite_converter(column_type: object) -> Callable[[Any], Any] | None:
    """What SQLAlchemy itself would store for this column type on SQLite."""
    from sqlalchemy import Boolean, Date, DateTime

    if isinstance(column_type, DateTime):
        return lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else int(v)
    return None


def _insert_rows(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """executemany; on SQLite straight through the driver, which is several times faster
    than binding every parameter through SQLAlchemy's type processors."""
    if not rows:
        return
    connection = session.connection()
    table = _table(model)
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    converters = [(i, c) for i, n in enumerate(names)
                  if (c := _sqlite_converter(table.c[n].type)) is not None]
    values = []
    for row in rows:
        record = [row[n] for n in names]
        for index, convert in converters:
            record[index] = convert(record[index])
        values.append(record)
    sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, values)
    finally:
        cursor.close()


def count(pending: Iterable[PendingClaim], what: str) -> int:
    return sum(len(getattr(p, what)) for p in pending)
