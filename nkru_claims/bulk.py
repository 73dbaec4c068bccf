"""Importing many claims at once: check each in Python, then insert in bulk.

The services add one claim at a time through the ORM, which is right for a command that
adds one claim and far too slow for a wire archive of 100,000. Here each claim of a
file is checked with the services' own rules and messages (located by its path in the
file), then claims, wordings, source links, stances and evidence go in a chunk at a time
with executemany inserts (each claim with its status, derived from its stances by the same
rules as everywhere), all inside the caller's single transaction: an error in the
millionth claim rolls back the first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select
from sqlmodel import Session

from nkru_claims import workers
from nkru_claims.db import highest_id_ever
from nkru_claims.errors import ImportFormatError, UnknownParty
from nkru_claims.limits import MATCH_KEY, check_not_future, check_record, check_texts
from nkru_claims.matching.normalise import alias_key
from nkru_claims.matching.quantity import Quantity
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
from nkru_claims.services.origins import grade_columns
from nkru_claims.status import StanceFact, derive_status
from nkru_claims.values import choice, optional_text, parse_date, required_text

Progress = Callable[[int, int | None], None]
CHUNK = 5_000


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

    def __init__(self, session: Session, sources: dict[str, int], *, restore: bool = False,
                 own_tag: str | None = None, file_tag: str | None = None) -> None:
        """``restore``: into an empty database, keeping the file's IDs and timestamps.
        ``own_tag``: this database's tag, whose generated refs (``claim-<tag>-<id>``)
        name claims already here; ``file_tag``: the tag of the database that wrote the
        file, whose generated refs a restore does not store (they are generated again)."""
        self.session = session
        self.sources = sources
        self.parties = dict(session.exec(select(PartyAlias.alias_key, PartyAlias.party_id)).all())
        self.refs = {r for (r,) in session.execute(select(Claim.ref).where(Claim.ref.is_not(None)))}
        self.resolved: dict[str, int] = {}  # names as written in the file, already looked up
        self.now = utcnow()  # one import, one moment: every row it adds was added then
        self.restore, self.own_tag, self.file_tag = restore, own_tag, file_tag
        self.in_file: dict[str, int] = {}  # ref → index of the claim in the file
        self.unchanged: list[str] = []
        self.conflicting: list[str] = []

    def already_here(self, ref: str, data: dict[str, Any]) -> bool:
        """Whether the claim is in the database already (by its ref, or by the generated
        key of this very database); sorted into unchanged and conflicting."""
        from nkru_claims.history_exchange import generated_id

        own_id = generated_id(self.own_tag, ref)
        if ref in self.merged_refs():  # merged into another claim here: known already
            self.unchanged.append(ref)
            return True
        if ref in self.refs:
            stored = self.session.execute(select(Claim.text).where(Claim.ref == ref)).scalar()
        elif own_id is not None:
            stored = self.session.execute(select(Claim.text).where(Claim.id == own_id)).scalar()
            if stored is None and not _merged_away(self.session, own_id):
                return False
        else:
            return False
        same = stored is None or stored == data.get("text")  # None: merged away since
        (self.unchanged if same else self.conflicting).append(ref)
        return True

    def source_id(self, ref: Any) -> int | None:
        if ref is None:
            return None
        if ref not in self.sources:
            raise ImportFormatError(f"unknown source ref {ref!r}")
        return self.sources[ref]

    def party_id(self, name: Any) -> int:
        if isinstance(name, str) and name in self.resolved:
            return self.resolved[name]
        name = required_text(name if isinstance(name, str) else None, "party name")
        party_id = self.parties.get(alias_key(name))
        if party_id is None:
            from nkru_claims.services.parties import suggest_parties

            raise UnknownParty(name, suggest_parties(self.session, name))
        self.resolved[name] = party_id
        return party_id

    def merged_refs(self) -> set[str]:
        """Refs of the claims merges (not undone) took into others, read once."""
        if not hasattr(self, "_merged_refs"):
            import json

            from nkru_claims.models import MergeRecord

            self._merged_refs = {
                values["ref"]
                for (snapshot,) in self.session.execute(select(MergeRecord.snapshot).where(
                    MergeRecord.undone_at.is_(None)))
                for values in json.loads(snapshot).get("merged", []) if values.get("ref")}
        return self._merged_refs

    def read(self, data: dict[str, Any], quantity: Quantity | None,
             located: Callable[[str], Any], index: int | None = None) -> PendingClaim | None:
        """None when the claim's ref is already in the database. Two claims of one file
        with one ref are an error naming both."""
        ref = optional_text(data.get("ref"))
        if ref is not None and ref in self.in_file:
            raise ImportFormatError(f"ref {ref!r} is also the ref of claims[{self.in_file[ref]}]"
                                    "; a ref names one claim")
        if ref is not None and index is not None:
            self.in_file[ref] = index
        if ref is not None and not self.restore and self.already_here(ref, data):
            return None
        start = parse_date(data.get("period_start"))
        end = parse_date(data.get("period_end"), end_of_period=True)
        if start and end and end < start:
            raise ImportFormatError(f"the period ends ({end}) before it starts ({start})")
        verdict = optional_text(data.get("verdict"))
        now = self.now
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
        self._keep_claim_id_and_times(data, ref, row)
        pending = PendingClaim(row)
        check_texts(data.get("sources") or [], "sources")
        for ref_ in data.get("sources") or []:
            pending.source_ids.add(self.source_id(ref_))
        for i, item in enumerate(data.get("wordings") or []):
            with located(f"wordings[{i}]"):
                check_record("wording", item)
                source = self.source_id(item.get("source"))
                pending.wordings.append({
                    "text": required_text(item.get("text"), "wording"),
                    "language": optional_text(item.get("language")), "source_id": source,
                })
        for i, item in enumerate(data.get("stances") or []):
            with located(f"stances[{i}]"):
                check_record("stance", item)
                source = self.source_id(item.get("source"))
                pending.stances.append({
                    "party_id": self.party_id(item.get("party")),
                    "kind": choice(item.get("kind") or "", STANCE_KINDS, "stance kind"),
                    "source_id": source, "quote": optional_text(item.get("quote")),
                    "quote_language": optional_text(item.get("quote_language")),
                    "stated_on": check_not_future(parse_date(item.get("stated_on")), "stated_on"),
                    "created_at": now, **grade_columns(item.get("grade")),
                    "relays_party_id": (self.party_id(item["relays"]) if item.get("relays")
                                        else None),
                })
        for i, item in enumerate(data.get("evidence") or []):
            with located(f"evidence[{i}]"):
                check_record("evidence", item)
                pending.evidence.append({
                    "source_id": self.source_id(item.get("source")),
                    "description": required_text(item.get("description"), "evidence description"),
                    "bearing": choice(item.get("bearing") or "", BEARINGS, "evidence bearing"),
                    "quote": optional_text(item.get("quote")), "created_at": now,
                    **grade_columns(item.get("grade")),
                })
        self._keep_ids_and_times(data, pending)
        for item in (*pending.wordings, *pending.stances, *pending.evidence):
            if item["source_id"] is not None:
                pending.source_ids.add(item["source_id"])
        if ref is not None:
            self.refs.add(ref)
        return pending

    def _keep_claim_id_and_times(self, data: dict[str, Any], ref: str | None,
                                 row: dict[str, Any]) -> None:
        """The file's timestamps when it gives them; in a restore, its ID too."""
        from nkru_claims.history_exchange import generated_id, record_id, timestamp

        for name in ("created_at", "updated_at"):
            row[name] = timestamp(data.get(name), name) or row[name]
        if self.restore:
            row["id"] = record_id(data, "claim")
            if generated_id(self.file_tag, ref) == row["id"]:
                row["ref"] = None  # a key generated at export: generated again, not stored

    def _keep_ids_and_times(self, data: dict[str, Any], pending: PendingClaim) -> None:
        from nkru_claims.history_exchange import record_id, timestamp

        for key, rows in (("wordings", pending.wordings), ("stances", pending.stances),
                          ("evidence", pending.evidence)):
            for index, (item, row) in enumerate(zip(data.get(key) or [], rows, strict=True)):
                if "created_at" in row:
                    row["created_at"] = timestamp(item.get("created_at"),
                                                  "created_at") or row["created_at"]
                if self.restore:
                    row["id"] = record_id(item, f"{key}[{index}]")

    @staticmethod
    def _timestamp(value: Any) -> datetime | None:
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise ImportFormatError(f"deleted_at: not a timestamp: {value!r}") from None


def match_columns_of(texts: list[str]) -> list[tuple[str, str]]:
    """Module level, so that a worker process can run it on a chunk of texts."""
    from nkru_claims.matching.compare import match_columns

    return [match_columns(text) for text in texts]


class ClaimInserter:
    """Inserts checked claims a chunk at a time, inside the caller's transaction.

    A chunk's match columns (the slow part: text normalisation) are computed in worker
    processes while the main process reads, checks and inserts the chunks around it, so
    a file streams through in one pass, on every core, with a few chunks in memory.
    Small imports (one chunk) never start a worker.
    """

    AHEAD = 3  # chunks being normalised while the main process goes on

    def __init__(self, session: Session, progress: Progress | None = None) -> None:
        self.session, self.progress = session, progress
        self.buffer: list[PendingClaim] = []
        self.queue: deque[tuple[list[PendingClaim], Any]] = deque()
        self.pool: Any = None
        self.claims = self.stances = self.evidence = 0

    def __enter__(self) -> ClaimInserter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.terminate()  # after an error: do not wait for work nobody needs
            self.pool.join()

    def add(self, pending: PendingClaim) -> None:
        """Queue a claim; a full chunk (more may follow) starts the worker processes."""
        self.buffer.append(pending)
        if len(self.buffer) >= CHUNK:
            self._submit()

    def finish(self) -> None:
        """Insert what is left; call once, after the last ``add``."""
        if self.buffer:
            self._submit()
        while self.queue:
            self._insert(*self.queue.popleft())

    def _submit(self) -> None:
        chunk, self.buffer = self.buffer, []
        texts = [p.row["text"] for p in chunk] + [w["text"] for p in chunk for w in p.wordings]
        if self.pool is None and len(chunk) == CHUNK and workers.cores() > 1:
            self.pool = workers.pool()
        if self.pool is None:
            self.queue.append((chunk, match_columns_of(texts)))
        else:
            self.queue.append((chunk, self.pool.apply_async(match_columns_of, (texts,))))
        while len(self.queue) > (self.AHEAD if self.pool is not None else 0):
            self._insert(*self.queue.popleft())

    def _insert(self, chunk: list[PendingClaim], forms: Any) -> None:
        if not isinstance(forms, list):
            forms = forms.get()
        claim_forms, wording_forms = forms[: len(chunk)], iter(forms[len(chunk) :])
        kept = [p.row.get("id") for p in chunk]  # a restore keeps the file's IDs
        chunk_ids = kept if None not in kept else _reserve_ids(self.session, len(chunk))
        claims, wordings, links, stances, evidence = [], [], [], [], []
        for claim_id, item, (form, key) in zip(chunk_ids, chunk, claim_forms, strict=True):
            _check_match_key(key, item.row)
            claims.append({**item.row, "id": claim_id, "match_form": form, "match_key": key,
                           "status": _status_of_new(item)})
            for wording in item.wordings:
                form, key = next(wording_forms)
                _check_match_key(key, item.row)
                wordings.append({**wording, "claim_id": claim_id, "match_form": form,
                                 "match_key": key})
            links += [{"claim_id": claim_id, "source_id": s} for s in sorted(item.source_ids)]
            stances += [{**s, "claim_id": claim_id} for s in item.stances]
            evidence += [{**e, "claim_id": claim_id} for e in item.evidence]
        for model, rows in ((Claim, claims), (ClaimWording, wordings), (ClaimSource, links),
                            (Stance, stances), (Evidence, evidence)):
            _insert_rows(self.session, model, rows)
        self.claims += len(chunk)
        self.stances += len(stances)
        self.evidence += len(evidence)
        if self.progress:
            self.progress(self.claims, None)


def _merged_away(session: Session, claim_id: int) -> bool:
    """Whether a merge (not undone) took this claim ID into another claim."""
    from nkru_claims.services.merges import merged_into

    return merged_into(session, claim_id) is not None


def _check_match_key(key: str, row: dict[str, Any]) -> None:
    """The numbers of a text, joined, are its blocking key: a column of ``MATCH_KEY``
    characters. Known only once the text is normalised, after the claim was read."""
    if len(key) > MATCH_KEY:
        where = f"claim {row['ref']!r}" if row.get("ref") else f"claim {row['text'][:40]!r}…"
        raise ImportFormatError(f"{where}: its text holds too many numbers (their list "
                                f"may take {MATCH_KEY} characters, not {len(key)})")


def _status_of_new(item: PendingClaim) -> str:
    """A new claim's status, by the same rules the session hook applies: its stances are
    all in the file, and they get ids in the order they are listed."""
    return derive_status(
        StanceFact(s["party_id"], s["kind"], s["stated_on"], order)
        for order, s in enumerate(item.stances)
    )


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
    largest = highest_id_ever(session, "claim")  # not max(id): a merged-away ID stays used
    return list(range(largest + 1, largest + count + 1))


def _last_value_cached(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Rows of one import share their timestamp: format it once, not once a row."""
    last: list[Any] = [None, None]

    def cached(value: Any) -> Any:
        if value is None:
            return None
        if value is not last[0]:
            last[:] = [value, convert(value)]
        return last[1]

    return cached


def _sqlite_converter(column_type: object) -> Callable[[Any], Any] | None:
    """What SQLAlchemy itself would store for this column type on SQLite."""
    from sqlalchemy import Boolean, Date, DateTime

    if isinstance(column_type, DateTime):
        return _last_value_cached(lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f"))
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
