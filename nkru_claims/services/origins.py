"""Independent origins and Admiralty grades.

Ten outlets repeating one Yonhap dispatch are one origin, not ten confirmations. A
source records the source it relays (wire copy, translation, syndication,
republication); a claim's *independent origins* are its sources with every relay
followed back to the original in the ledger, counted once each. A stance records the
party whose statement it passes on, so a ministry repeating its agency reads as such.

The Admiralty (NATO) grade rates a report twice, separately: the source's reliability
A (completely reliable) … E (unreliable), F (cannot be judged), and the information's
credibility 1 (confirmed) … 5 (improbable), 6 (cannot be judged). ``B2``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, InvalidInput
from nkru_claims.in_lists import in_batches
from nkru_claims.models import RELAY_KINDS, ClaimSource, Evidence, Source, Stance
from nkru_claims.services.parties import resolve_party
from nkru_claims.services.sources import get_source
from nkru_claims.values import choice

_GRADE = re.compile(r"\s*([A-Fa-f])\s*([1-6])\s*")


def parse_grade(text: str | None) -> tuple[str, int] | None:
    """'B2' → ('B', 2); None or empty → None; anything else is an error that says why."""
    if text is None or not text.strip():
        return None
    found = _GRADE.fullmatch(text)
    if found is None:
        raise InvalidInput(f"grade {text!r}: expected a reliability A–F and a credibility "
                           "1–6, e.g. B2")
    return found[1].upper(), int(found[2])


def grade_text(reliability: str | None, credibility: int | None) -> str | None:
    """('B', 2) → 'B2'; one half missing shows as '?' (B?), neither as None."""
    if reliability is None and credibility is None:
        return None
    return f"{reliability or '?'}{credibility if credibility is not None else '?'}"


def set_grade(session: Session, row: Stance | Evidence, grade: str | None) -> None:
    """Grade a stance or piece of evidence (``grade`` as ``B2``); audit-logged."""
    parsed = parse_grade(grade)
    if parsed is None:
        return
    row.source_reliability, row.info_credibility = parsed
    session.add(row)
    session.flush()
    entity = "stance" if isinstance(row, Stance) else "evidence"
    audit.record(session, action="grade", entity=entity, entity_id=row.id,
                 claim_id=row.claim_id, details={"grade": grade_text(*parsed)})


def set_stance_relay(session: Session, stance: Stance, party_name: str | None) -> str | None:
    """Record that ``stance`` passes on ``party_name``'s statement; the party's name."""
    if not party_name:
        return None
    party = resolve_party(session, party_name)
    if party.id == stance.party_id:
        raise InvalidInput("a stance cannot relay its own party's statement")
    stance.relays_party_id = party.id
    session.add(stance)
    session.flush()
    audit.record(session, action="relay", entity="stance", entity_id=stance.id,
                 claim_id=stance.claim_id, details={"relays": party.name})
    return party.name


def original_of(session: Session, source_id: int) -> int:
    """The source at the end of ``source_id``'s chain of relays (itself if it relays none)."""
    return origin_roots(session, [source_id])[source_id]


def relay_source(session: Session, source_id: int, original_id: int, kind: str) -> Source:
    """Record that source ``source_id`` relays ``original_id`` (refusing a loop)."""
    source, original = get_source(session, source_id), get_source(session, original_id)
    kind = choice(kind, RELAY_KINDS, "relay kind")
    if original_of(session, original.id) == source.id:
        raise Conflict(f"source {original.id} already relays source {source.id}: "
                       "a relay cannot loop")
    before = (source.relays_source_id, source.relay_kind)
    source.relays_source_id, source.relay_kind = original.id, kind
    session.add(source)
    session.flush()
    audit.record(session, action="relay", entity="source", entity_id=source.id,
                 details={"relays": [before[0], original.id], "kind": [before[1], kind]})
    return source


def unrelay_source(session: Session, source_id: int) -> Source:
    """Take back ``relay_source``: the source is its own origin again."""
    source = get_source(session, source_id)
    if source.relays_source_id is None:
        raise InvalidInput(f"source {source_id} relays no other source")
    was = source.relays_source_id
    source.relays_source_id, source.relay_kind = None, None
    session.add(source)
    session.flush()
    audit.record(session, action="unrelay", entity="source", entity_id=source.id,
                 details={"relays": [was, None]})
    return source


def origin_roots(session: Session, source_ids: Sequence[int],
                 known: dict[int, int | None] | None = None) -> dict[int, int]:
    """{source id: its original}, following relays through the ledger, loops cut.
    ``known`` ({source id: the source it relays}, from rows already loaded) spares the
    query for them: a page of sources that relay nothing costs none."""
    parent: dict[int, int | None] = dict(known or {})
    wanted = set(source_ids)
    frontier = sorted(wanted - set(parent))
    frontier += sorted({r for r in parent.values() if r is not None} - set(parent))
    while frontier:
        fetched: list[int] = []
        for batch in in_batches(frontier):
            for source_id, relays in session.execute(select(Source.id, Source.relays_source_id)
                                                     .where(col(Source.id).in_(batch))):
                parent[source_id] = relays
                if relays is not None and relays not in parent:
                    fetched.append(relays)
        frontier = sorted(set(fetched) - set(parent))
    roots: dict[int, int] = {}
    for source_id in wanted:
        current, seen = source_id, {source_id}
        while parent.get(current) is not None and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        roots[source_id] = current
    return roots


def origin_counts(session: Session, claim_ids: Sequence[int],
                  links: dict[int, list[int]] | None = None,
                  known: dict[int, int | None] | None = None) -> dict[int, int]:
    """{claim id: how many independent origins its sources come to}. ``links`` ({claim
    id: its source IDs}) saves reading them again when the caller has them."""
    if links is None:
        links = defaultdict(list)
        for batch in in_batches(list(claim_ids)):
            for claim_id, source_id in session.execute(
                    select(ClaimSource.claim_id, ClaimSource.source_id)
                    .where(col(ClaimSource.claim_id).in_(batch))):
                links[claim_id].append(source_id)
    roots = origin_roots(session, sorted({s for ids in links.values() for s in ids}), known)
    return {claim_id: len({roots[s] for s in links.get(claim_id, ())}) for claim_id in claim_ids}


def relay_dict(source: Source, roots: dict[int, int]) -> dict[str, Any] | None:
    """What a source relays, for ``show`` and the exports: {"source", "kind", "original"}
    (``roots`` from ``origin_roots``)."""
    if source.relays_source_id is None:
        return None
    return {"source": source.relays_source_id, "kind": source.relay_kind,
            "original": roots.get(source.id, source.relays_source_id)}


def describe_backing(parties: int, sources: int, origins: int) -> str:
    """'asserted by 3 parties, 5 sources, 2 independent origins'."""
    return (f"asserted by {parties} {'party' if parties == 1 else 'parties'}, "
            f"{sources} source{'' if sources == 1 else 's'}, "
            f"{origins} independent origin{'' if origins == 1 else 's'}")


def grade_condition(model: type, at_least: str | None, reliability: str | None,
                    credibility: int | None) -> Any:
    """A WHERE on ``model`` (Stance or Evidence): graded at least ``at_least`` (B3: A or B
    and 1–3), or reliability / credibility at least the given one. None: no filter."""
    conditions = []
    if at_least:
        parsed = parse_grade(at_least)
        if parsed:
            reliability, credibility = parsed
    if reliability:
        letter = reliability.strip().upper()
        if letter not in "ABCDEF" or len(letter) != 1:
            raise InvalidInput(f"reliability {reliability!r}: expected A–F")
        conditions.append(col(model.source_reliability) <= letter)
    if credibility is not None:
        if not 1 <= credibility <= 6:
            raise InvalidInput(f"credibility {credibility}: expected 1–6")
        conditions.append(col(model.info_credibility) <= credibility)
    if not conditions:
        return None
    from sqlalchemy import and_

    return and_(*conditions)


def graded_claims(at_least: str | None, reliability: str | None, credibility: int | None) -> Any:
    """A WHERE on Claim: some stance or evidence of it is graded at least so."""
    from sqlalchemy import exists, or_

    from nkru_claims.models import Claim

    by_stance = grade_condition(Stance, at_least, reliability, credibility)
    by_evidence = grade_condition(Evidence, at_least, reliability, credibility)
    return or_(exists().where(Stance.claim_id == Claim.id, by_stance),
               exists().where(Evidence.claim_id == Claim.id, by_evidence))


def grade_fields(row: Stance | Evidence) -> dict[str, Any]:
    """``{"grade": "B2"}`` for the exchange format, or nothing for an ungraded row (so a
    file from a ledger without grades is what it always was)."""
    grade = grade_text(row.source_reliability, row.info_credibility)
    return {"grade": grade} if grade else {}


def grade_columns(raw: Any) -> dict[str, Any]:
    """The columns a ``grade`` field of an import file sets (both None when absent)."""
    if raw is not None and not isinstance(raw, str):
        raise InvalidInput("grade: expected text such as \"B2\"")
    parsed = parse_grade(raw)
    return {"source_reliability": parsed[0] if parsed else None,
            "info_credibility": parsed[1] if parsed else None}


def relay_field(source: Source, refs: dict[int, str]) -> dict[str, Any]:
    """``{"relays": {"source": ref, "kind": …}}`` for a relaying source, else nothing."""
    if source.relays_source_id is None or source.relays_source_id not in refs:
        return {}
    return {"relays": {"source": refs[source.relays_source_id], "kind": source.relay_kind}}


def import_relays(session: Session, raw_sources: list[Any], by_ref: dict[str, int]) -> None:
    """The ``relays`` of an import file's sources, once every source has its ID; a source
    that already relays another in the ledger keeps what it has."""
    from nkru_claims.errors import ImportFormatError

    for index, raw in enumerate(raw_sources):
        relays = raw.get("relays") if isinstance(raw, dict) else None
        if relays is None:
            continue
        where = f"sources[{index}].relays"
        if not isinstance(relays, dict) or not isinstance(relays.get("source"), str):
            raise ImportFormatError(f"{where}: expected {{\"source\": ref, \"kind\": …}}")
        if relays["source"] not in by_ref:
            raise ImportFormatError(f"{where}: unknown source ref {relays['source']!r}")
        source = session.get(Source, by_ref[raw["ref"]])
        if source.relays_source_id is not None:
            continue
        try:
            relay_source(session, source.id, by_ref[relays["source"]],
                         relays.get("kind") or "republication")
        except (InvalidInput, Conflict) as exc:
            raise ImportFormatError(f"{where}: {exc}") from None


def relayed_party_names(session: Session, stances: Iterable[Stance]) -> dict[int, str]:
    """Names of the parties these stances relay (``stance --relays``), by party ID."""
    from nkru_claims.models import Party

    wanted = sorted({s.relays_party_id for s in stances if s.relays_party_id is not None})
    if not wanted:
        return {}
    return dict(session.execute(
        select(Party.id, Party.name).where(col(Party.id).in_(wanted))).all())


def summary_backing(summary: dict[str, Any]) -> str:
    """``describe_backing`` for a claim summary (``list --json``'s row)."""
    sources = summary.get("sources") or []
    return describe_backing(len(summary.get("asserted_by") or []),
                            len(sources) if isinstance(sources, list) else int(sources),
                            summary.get("origins", 0))
