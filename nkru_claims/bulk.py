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

from sqlalchemy import Table, insert, select
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
    wording_forms = match_columns_many([w["text"] for p in pending for w in p.wordings])
    ids: list[int] = []
    wording_index = 0
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        rows = [{**p.row, "match_form": form, "match_key": key}
                for p, (form, key) in zip(chunk, forms[start : start + CHUNK], strict=True)]
        result = session.execute(
            insert(_table(Claim)).returning(_table(Claim).c.id, sort_by_parameter_order=True),
            rows,
        )
        chunk_ids = [row[0] for row in result]
        wordings, links, stances, evidence = [], [], [], []
        for claim_id, item in zip(chunk_ids, chunk, strict=True):
            for wording in item.wordings:
                form, key = wording_forms[wording_index]
                wording_index += 1
                wordings.append({**wording, "claim_id": claim_id, "match_form": form,
                                 "match_key": key})
            links += [{"claim_id": claim_id, "source_id": s} for s in sorted(item.source_ids)]
            stances += [{**s, "claim_id": claim_id} for s in item.stances]
            evidence += [{**e, "claim_id": claim_id} for e in item.evidence]
        for model, values in ((ClaimWording, wordings), (ClaimSource, links),
                              (Stance, stances), (Evidence, evidence)):
            if values:
                session.execute(insert(_table(model)), values)
        refresh_statuses(session, chunk_ids)
        ids += chunk_ids
        if progress:
            progress(len(ids), len(pending))
    return ids


def count(pending: Iterable[PendingClaim], what: str) -> int:
    return sum(len(getattr(p, what)) for p in pending)
