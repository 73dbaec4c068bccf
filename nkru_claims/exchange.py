"""Import and export in the exchange format (``fixtures/FORMAT.md``).

Import runs inside the caller's single transaction: any error, at any depth of the
file, raises ``ImportFormatError`` naming where (``claims[3].stances[0].party``) and
nothing is written. Parties and sources already in the database are reused (by name or
alias, by URL); a claim whose ``ref`` is already present is skipped, so importing the
same file twice adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from nkru_claims import audit, bulk
from nkru_claims.errors import ImportFormatError, NkruError
from nkru_claims.limits import check_record
from nkru_claims.matching.quantities import Quantity
from nkru_claims.models import (
    Claim,
    ClaimSource,
    ClaimWording,
    Evidence,
    Party,
    PartyAlias,
    Source,
    Stance,
)
from nkru_claims.services import claims as claim_service
from nkru_claims.services import parties as party_service
from nkru_claims.services import sources as source_service
from nkru_claims.values import normalise_url, parse_date

FORMAT_NAME = "nkru-claims"
FORMAT_VERSION = 1


@dataclass
class ImportSummary:
    parties_added: int = 0
    sources_added: int = 0
    claims_added: int = 0
    claims_skipped: list[str] = field(default_factory=list)
    stances_added: int = 0
    evidence_added: int = 0
    claims_unchanged: list[str] = field(default_factory=list)  # by ref, already here
    claims_conflicting: list[str] = field(default_factory=list)  # ref here, text differs
    restored: bool = False  # into an empty database, every ID kept
    history_added: int = 0  # merges, decisions and log entries brought in
    history_left: int = 0  # another database's merges and log entries, not brought in


def load_document(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except RecursionError:
        raise ImportFormatError("not valid JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    if not isinstance(document, dict):
        document = {}
    check_format(document)
    return document


def check_format(document: dict[str, Any]) -> None:
    """That this is an exchange-format file of a version this tool reads."""
    if document.get("format") != FORMAT_NAME:
        raise ImportFormatError(f"not an nkru-claims file (expected \"format\": \"{FORMAT_NAME}\")")
    if document.get("version") != FORMAT_VERSION:
        raise ImportFormatError(
            f"unsupported format version {document.get('version')!r} "
            f"(this tool reads {FORMAT_VERSION})"
        )


class _Located(ImportFormatError):
    """An import error that knows where in the file it happened."""

    def __init__(self, location: str, reason: str) -> None:
        self.location, self.reason = location, reason
        super().__init__(f"{location}: {reason}")


class _at:  # lower case: used as ``with _at("claims[3]"):``, like a function
    """Prefix any user error raised inside with where in the file it happened.

    A class, not ``@contextmanager``: an import enters one for every claim, wording and
    stance, and a generator-based one costs three times as much.
    """

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: object) -> None:
        if isinstance(exc, _Located):
            raise _Located(f"{self.path}.{exc.location}", exc.reason) from None
        if isinstance(exc, NkruError):
            raise _Located(self.path, str(exc)) from None


def _list(document: dict[str, Any], key: str, path: str = "") -> list[Any]:
    value = document.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFormatError(f"{path}{key}: expected a list")
    return value


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImportFormatError("expected an object")
    return value


def import_document(
    session: Session, document: dict[str, Any], *, origin: str | None = None,
    progress: bulk.Progress | None = None,
) -> ImportSummary:
    """Everything in the document, or (on any error) nothing; one audit entry for it all."""
    return import_claims(session, document, _list(document, "claims"), origin=origin,
                         progress=progress)


def import_claims(
    session: Session, head: dict[str, Any], claims: Iterable[Any], *,
    origin: str | None = None, progress: bulk.Progress | None = None,
) -> ImportSummary:
    """The head's parties and sources, then ``claims`` as they come (a list, or a stream
    from ``json_stream``): all of it, or on any error nothing."""
    from nkru_claims import history_exchange as history

    summary = ImportSummary()
    summary.restored = history.file_ids(head) is not None and history.is_empty(session)
    with audit.quiet(session):
        if summary.restored:
            summary.parties_added = history.restore_parties(session, _list(head, "parties"))
            sources = history.restore_sources(session, _list(head, "sources"))
            summary.sources_added = len(sources)
            from nkru_claims.services.origins import import_relays

            import_relays(session, _list(head, "sources"), sources)
        else:
            _import_parties(session, _list(head, "parties"), summary)
            sources = _import_sources(session, _list(head, "sources"), summary)
        reader = bulk.ClaimReader(session, sources, restore=summary.restored,
                                  own_tag=history.database_tag(session),
                                  file_tag=history.file_tag(head))
        with bulk.ClaimInserter(session, progress) as inserter:
            for index, raw in enumerate(claims):
                with _at(f"claims[{index}]"):
                    data = check_record("claim", raw)
                    with _at("quantity"):
                        quantity = _quantity(data.get("quantity"))
                    claim = reader.read(data, quantity, _at, index)
                if claim is None:
                    summary.claims_skipped.append(data.get("ref"))
                else:
                    inserter.add(claim)
            inserter.finish()
        summary.claims_added = inserter.claims
        summary.stances_added = inserter.stances
        summary.evidence_added = inserter.evidence
        summary.claims_unchanged = reader.unchanged
        summary.claims_conflicting = reader.conflicting
        if summary.restored:
            summary.history_added = history.restore_history(session, head)
        else:
            summary.history_added, summary.history_left = history.import_rejections(
                session, head)
    if summary.restored or not (summary.claims_added or summary.parties_added
                                or summary.sources_added or summary.history_added):
        # Nothing changed, so nothing to log (the export stays the same); or a restore,
        # whose copy keeps the original's trail exactly and adds nothing of its own.
        return summary
    audit.record(session, action="import", entity="file", details={
        "file": origin, "claims": summary.claims_added, "stances": summary.stances_added,
        "evidence": summary.evidence_added, "parties": summary.parties_added,
        "sources": summary.sources_added, "skipped": len(summary.claims_skipped),
        "conflicting": summary.claims_conflicting[:20], "restored": summary.restored,
    })
    return summary


PARTY_FACTS = ("kind", "country", "parent", "wikidata_id", "description")


def _same_party_twice(seen: dict[str, tuple[int, dict[str, Any]]], index: int,
                      data: dict[str, Any]) -> None:
    """Two records of one party in a file must agree; else an error naming both."""
    name = data.get("name")
    if not isinstance(name, str):
        return
    key = party_service.alias_key(name)
    if key in seen:
        first, earlier = seen[key]
        differ = [f for f in PARTY_FACTS if (earlier.get(f) or None) != (data.get(f) or None)]
        if differ:
            raise ImportFormatError(f"the same party as parties[{first}] ({name!r}) with "
                                    f"different {', '.join(differ)}")
    else:
        seen[key] = (index, data)


def _import_parties(session: Session, raw_parties: list[Any], summary: ImportSummary) -> None:
    pending_parents: list[tuple[Party, str, str]] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, raw in enumerate(raw_parties):
        path = f"parties[{index}]"
        with _at(path):
            data = check_record("party", raw)
            _same_party_twice(seen, index, data)
            aliases = []
            for i, raw_alias in enumerate(_list(data, "aliases")):
                with _at(f"aliases[{i}]"):
                    alias = check_record("alias", raw_alias)
                    aliases.append((alias.get("alias") or "", alias.get("language")))
            party = party_service.find_party(session, data.get("name") or "")
            if party is None:
                party = party_service.add_party(
                    session=session, name=data.get("name"), kind=data.get("kind") or "",
                    country=data.get("country"), wikidata_id=data.get("wikidata_id"),
                    description=data.get("description"),
                )
                summary.parties_added += 1
            for i, (alias, language) in enumerate(aliases):
                with _at(f"aliases[{i}]"):
                    if not party_service.has_alias(session, party, alias):
                        party_service.add_alias(
                            session=session, party=party, alias=alias, language=language
                        )
            if data.get("parent"):
                pending_parents.append((party, data["parent"], path))
    for party, parent_name, path in pending_parents:
        with _at(f"{path}.parent"):
            party.parent_id = party_service.resolve_party(session, parent_name).id
            session.add(party)
    session.flush()


def _import_sources(
    session: Session, raw_sources: list[Any], summary: ImportSummary
) -> dict[str, int]:
    by_ref: dict[str, int] = {}
    for index, raw in enumerate(raw_sources):
        path = f"sources[{index}]"
        with _at(path):
            data = check_record("source", raw)
            ref = data.get("ref")
            if not isinstance(ref, str) or not ref.strip():
                raise ImportFormatError("every source needs a \"ref\"")
            if ref in by_ref:
                raise ImportFormatError(f"duplicate source ref {ref!r}")
            existing = _existing_source(session, data)
            if existing is None:
                existing = source_service.add_source(
                    session=session, url=data.get("url"), outlet=data.get("outlet"),
                    title=data.get("title"), author=data.get("author"),
                    language=data.get("language"),
                    published_on=parse_date(data.get("published_on")),
                    retrieved_on=parse_date(data.get("retrieved_on")),
                    archive_url=data.get("archive_url"),
                )
                summary.sources_added += 1
            by_ref[ref] = existing.id
    from nkru_claims.services.origins import import_relays

    import_relays(session, raw_sources, by_ref)
    return by_ref


def _existing_source(session: Session, data: dict[str, Any]) -> Source | None:
    url = normalise_url(data.get("url"))
    if url is not None:
        return session.exec(select(Source).where(Source.url == url)).first()
    return session.exec(
        select(Source).where(
            col(Source.url).is_(None), Source.title == data.get("title"),
            Source.outlet == data.get("outlet"),
            Source.published_on == parse_date(data.get("published_on")),
        )
    ).first()


def _quantity(raw: Any) -> Quantity | None:
    if raw is None:
        return None
    data = check_record("quantity", raw)
    low, high = data.get("low"), data.get("high")
    for name, bound in (("low", low), ("high", high)):
        if bound is not None and (not isinstance(bound, int | float) or isinstance(bound, bool)):
            raise ImportFormatError(f"{name}: expected a number")
        if bound is not None and bound < 0:
            raise ImportFormatError(f"{name}: quantity cannot be negative")
    if low is None and high is None:
        raise ImportFormatError("needs low, high or both")
    if low is not None and high is not None and high < low:
        raise ImportFormatError("high is below low")
    return Quantity(
        low=float(low) if low is not None else None, high=float(high) if high is not None else None,
        unit=data.get("unit"), approximate=data.get("approximate") is True,
        text=data.get("text") or "",
    )


def _iso(value: Any) -> Any:
    from nkru_claims.services.merges import iso

    return iso(value) if value is not None else None


def _ordered_parties(parties: list[Party]) -> list[Party]:
    """Parents before their children, otherwise by id."""
    by_id = {p.id: p for p in parties}
    done: set[int] = set()
    ordered: list[Party] = []

    def visit(party: Party, seen: frozenset[int]) -> None:
        if party.id in done or party.id in seen:
            return
        if party.parent_id in by_id:
            visit(by_id[party.parent_id], seen | {party.id})
        done.add(party.id)
        ordered.append(party)

    for party in parties:
        visit(party, frozenset())
    return ordered


def export_document(session: Session) -> dict[str, Any]:
    from nkru_claims.services.origins import grade_fields, relay_field

    parties = list(session.exec(select(Party).order_by(Party.id)).all())
    names = {p.id: p.name for p in parties}
    aliases: dict[int, list[dict[str, Any]]] = {}
    name_alias: dict[int, int] = {}  # the alias row that spells the party's name
    for alias in session.exec(select(PartyAlias).order_by(PartyAlias.id)):
        if alias.alias != names.get(alias.party_id):
            aliases.setdefault(alias.party_id, []).append(
                {"id": alias.id, "alias": alias.alias, "language": alias.language}
            )
        else:
            name_alias[alias.party_id] = alias.id
    # Every claim gets a stable key and every record its ID, and the history comes
    # along: imported into an empty database, the file restores this one exactly.
    from nkru_claims import history_exchange as history

    tag = history.database_tag(session)
    keys: dict[int, str] = {}
    sources = list(session.exec(select(Source).order_by(Source.id)).all())
    source_ref = {s.id: f"source-{s.id}" for s in sources}

    def grouped(model: type, order: Any) -> dict[int, list[Any]]:
        rows: dict[int, list[Any]] = {}
        for row in session.exec(select(model).order_by(order)):
            rows.setdefault(row.claim_id, []).append(row)
        return rows

    wordings = grouped(ClaimWording, ClaimWording.id)
    stances = grouped(Stance, Stance.id)
    evidence = grouped(Evidence, Evidence.id)
    links = grouped(ClaimSource, ClaimSource.source_id)
    claims = []
    for claim in session.exec(select(Claim).order_by(Claim.id)):
        quantity = claim_service.claim_quantity(claim)
        keys[claim.id] = history.claim_key(tag, claim)
        claims.append({
            "id": claim.id, "ref": keys[claim.id], "text": claim.text,
            "language": claim.language,
            "created_at": _iso(claim.created_at), "updated_at": _iso(claim.updated_at),
            "quantity": None if quantity is None else {
                "text": quantity.text, "low": quantity.low, "high": quantity.high,
                "unit": quantity.unit, "approximate": quantity.approximate,
            },
            "period_start": _iso(claim.period_start), "period_end": _iso(claim.period_end),
            "verdict": claim.verdict, "verdict_note": claim.verdict_note,
            **({"deleted_at": claim.deleted_at.isoformat(), "deleted_by": claim.deleted_by}
               if claim.deleted_at else {}),
            "sources": [source_ref[link.source_id] for link in links.get(claim.id, [])],
            "wordings": [
                {"id": w.id, "text": w.text, "language": w.language,
                 "source": source_ref.get(w.source_id)}
                for w in wordings.get(claim.id, [])
            ],
            "stances": [
                {"id": s.id, "created_at": _iso(s.created_at), "party": names[s.party_id],
                 "kind": s.kind, "source": source_ref.get(s.source_id),
                 "quote": s.quote, "quote_language": s.quote_language,
                 "stated_on": _iso(s.stated_on), **grade_fields(s),
                 **({"relays": names[s.relays_party_id]} if s.relays_party_id else {})}
                for s in stances.get(claim.id, [])
            ],
            "evidence": [
                {"id": e.id, "created_at": _iso(e.created_at),
                 "source": source_ref.get(e.source_id), "description": e.description,
                 "bearing": e.bearing, "quote": e.quote, **grade_fields(e)}
                for e in evidence.get(claim.id, [])
            ],
        })
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        **history.export_head(session, keys),
        "parties": [
            {"id": p.id, "name_alias_id": name_alias.get(p.id),
             "created_at": _iso(p.created_at), "name": p.name, "kind": p.kind,
             "country": p.country,
             "parent": names.get(p.parent_id), "wikidata_id": p.wikidata_id,
             "description": p.description, "aliases": aliases.get(p.id, [])}
            for p in _ordered_parties(parties)
        ],
        "sources": [
            {"id": s.id, "created_at": _iso(s.created_at),
             "ref": source_ref[s.id], "url": s.url, "outlet": s.outlet, "title": s.title,
             "author": s.author, "language": s.language, "published_on": _iso(s.published_on),
             "retrieved_on": _iso(s.retrieved_on), "archive_url": s.archive_url,
             **relay_field(s, source_ref)}
            for s in sources
        ],
        "claims": claims,
    }


def dump_document(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
