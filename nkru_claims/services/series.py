"""Series of estimates: claims that measure the same thing with different figures.

"About 6,700 containers" (February 2024) and "over 13,000 containers" (August 2024) are
two claims, rightly never merged, but an analyst asks how the figure moved and who
moved it. The matcher *proposes* such pairs ("related: same measure, different
figure"): a stored quantity in the same unit, texts whose facts conflict only in their
figures or dates, the same parties and direction. A person confirms with ``link``;
nothing here changes a claim. ``supersede`` records that a newer claim replaces an
older one, keeping both.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, InvalidInput, NotFound
from nkru_claims.in_lists import in_batches
from nkru_claims.models import (
    Claim,
    ClaimSeries,
    ClaimSeriesMember,
    ClaimSupersession,
    Party,
    Source,
    Stance,
)
from nkru_claims.services.claims import claim_quantity, get_claim
from nkru_claims.status import AFFIRMING
from nkru_claims.values import optional_text, required_text

# The only conflicts two members of one series may have: their figures and their dates.
SERIES_CONFLICTS = ("figures differ", "dates differ")
# Claims compared per unit at most, oldest first: the candidate matrix is square in it
# (5,000 claims of one unit: 25 M scores, a few seconds); later ones are not proposed.
MAX_CLAIMS_PER_UNIT = 5000
# Two texts are read for facts only when their matching forms, figures blanked, are this
# alike (rapidfuzz token_set_ratio): reading facts costs ~10 ms a text, scoring a pair in
# C++ a microsecond, and two estimates of one measure share most of their words.
CANDIDATE_SIMILARITY = 50
_FIGURES = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class Proposal:
    """Claims the matcher takes to measure one thing; ``series_id`` when some are linked."""

    claim_ids: tuple[int, ...]
    unit: str
    series_id: int | None
    reasons: tuple[str, ...]


def _same_measure(a: Any, b: Any) -> list[str] | None:
    """The reasons two texts' facts differ, when they differ only by figures or dates."""
    from nkru_claims.matching.facts import compare_facts

    conflicts, _gaps = compare_facts(a, b)
    if not all(c.startswith(SERIES_CONFLICTS) for c in conflicts):
        return None
    return conflicts


def _differ(a: Claim, b: Claim) -> bool:
    """Not the same estimate: the figure or the period differs (else it is a duplicate)."""
    return ((a.quantity_low, a.quantity_high) != (b.quantity_low, b.quantity_high)
            or (a.period_start, a.period_end) != (b.period_start, b.period_end))


def propose_series(session: Session) -> list[Proposal]:
    """Groups of live claims the matcher reads as one measure at different figures.

    Pairs are found within each unit (claims with a stored quantity in that unit, at
    most ``MAX_CLAIMS_PER_UNIT`` of them, whose texts are alike once figures are
    blanked); linked pairs join one group.
    Groups already wholly inside one series are left out.
    """
    from nkru_claims.matching.facts import read_facts

    claims = list(session.exec(
        select(Claim).where(col(Claim.deleted_at).is_(None), col(Claim.quantity_unit).is_not(None))
        .order_by(Claim.id)).all())
    membership = series_of_claims(session, [c.id for c in claims])
    by_unit: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_unit[claim.quantity_unit].append(claim)
    proposals = []
    for unit, members in sorted(by_unit.items()):
        for ids, why in _groups_in_unit(members[:MAX_CLAIMS_PER_UNIT], read_facts):
            linked = {membership.get(i) for i in ids}
            if len(linked) == 1 and None not in linked:
                continue  # already confirmed as one series
            series_id = min((x for x in linked if x is not None), default=None)
            proposals.append(Proposal(tuple(ids), unit, series_id, tuple(
                f"related: same measure, different figure ({r})" for r in why)))
    return proposals


def _root(parent: dict[int, int], claim_id: int) -> int:
    """Union-find: the representative of ``claim_id``'s group."""
    while parent[claim_id] != claim_id:
        parent[claim_id] = parent[parent[claim_id]]
        claim_id = parent[claim_id]
    return claim_id


def _candidate_pairs(members: list[Claim]) -> list[tuple[int, int]]:
    """Index pairs of claims whose texts, figures blanked, are alike enough to read."""
    from rapidfuzz import fuzz, process

    forms = [_FIGURES.sub("#", c.match_form or c.text) for c in members]
    scores = process.cdist(forms, forms, scorer=fuzz.token_set_ratio,
                           score_cutoff=CANDIDATE_SIMILARITY, workers=1)
    return [(int(i), int(j)) for i, j in zip(*scores.nonzero(), strict=True) if i < j]


def _groups_in_unit(members: list[Claim], read_facts: Any) -> list[tuple[list[int], list[str]]]:
    """Groups (of two or more) of claims in one unit joined by same-measure pairs."""
    facts: dict[int, Any] = {}

    def facts_of(claim: Claim) -> Any:
        if claim.id not in facts:
            facts[claim.id] = read_facts(claim.text)
        return facts[claim.id]

    parent = {c.id: c.id for c in members}
    reasons: dict[int, set[str]] = defaultdict(set)
    for i, j in _candidate_pairs(members) if len(members) > 1 else []:
        a, b = members[i], members[j]
        if not _differ(a, b):
            continue
        why = _same_measure(facts_of(a), facts_of(b))
        if why is None:
            continue
        parent[_root(parent, b.id)] = _root(parent, a.id)
        reasons[a.id].update(w.split(":")[0] for w in why)
    groups: dict[int, list[int]] = defaultdict(list)
    for claim in members:
        groups[_root(parent, claim.id)].append(claim.id)
    return [(ids, sorted({r for i in ids for r in reasons[i]}) or ["period differs"])
            for ids in groups.values() if len(ids) > 1]


def series_of_claims(session: Session, claim_ids: Sequence[int]) -> dict[int, int]:
    """{claim id: series id} for those of these claims that are in a series."""
    found: dict[int, int] = {}
    for batch in in_batches(list(claim_ids)):
        found.update(session.execute(
            select(ClaimSeriesMember.claim_id, ClaimSeriesMember.series_id)
            .where(col(ClaimSeriesMember.claim_id).in_(batch))).all())
    return found


def link_claims(session: Session, claim_ids: Sequence[int], *, label: str | None = None,
                actor: str) -> int:
    """Confirm that these claims are one series: a new series, or the one some of them are
    already in, extended. Refuses claims of two different series (unlink one first)."""
    ids = sorted(set(claim_ids))
    if len(ids) < 2 and not series_of_claims(session, ids):
        raise InvalidInput("a series links at least two claims")
    claims = [get_claim(session, i) for i in ids]
    units = {c.quantity_unit for c in claims}
    if len(units) > 1:
        raise InvalidInput("claims of a series measure one thing in one unit; these are in "
                           + ", ".join(sorted(u or "no unit" for u in units)))
    current = series_of_claims(session, ids)
    existing = sorted(set(current.values()))
    if len(existing) > 1:
        raise Conflict(f"these claims are in different series ({', '.join(map(str, existing))}); "
                       "unlink them first")
    if existing:
        series = session.get(ClaimSeries, existing[0])
        if label is not None:
            series.label = optional_text(label)
    else:
        series = ClaimSeries(label=optional_text(label), actor=actor)
    session.add(series)
    session.flush()
    added = [i for i in ids if i not in current]
    for claim_id in added:
        session.add(ClaimSeriesMember(series_id=series.id, claim_id=claim_id))
    session.flush()
    for claim_id in added:
        audit.record(session, action="link", entity="series", entity_id=series.id,
                     claim_id=claim_id, details={"series": series.id, "claims": ids})
    return series.id


def unlink_claims(session: Session, claim_ids: Sequence[int]) -> list[int]:
    """Take these claims out of their series; a series left with one claim is removed."""
    current = series_of_claims(session, claim_ids)
    missing = sorted(set(claim_ids) - set(current))
    if missing:
        raise NotFound(f"claim #{missing[0]} is in no series")
    for claim_id, series_id in current.items():
        session.execute(delete(ClaimSeriesMember).where(
            col(ClaimSeriesMember.claim_id) == claim_id))
        audit.record(session, action="unlink", entity="series", entity_id=series_id,
                     claim_id=claim_id, details={"series": series_id})
    session.flush()
    for series_id in sorted(set(current.values())):
        left = session.exec(select(ClaimSeriesMember.claim_id).where(
            ClaimSeriesMember.series_id == series_id)).all()
        if len(left) < 2:
            session.execute(delete(ClaimSeriesMember).where(
                col(ClaimSeriesMember.series_id) == series_id))
            session.execute(delete(ClaimSeries).where(col(ClaimSeries.id) == series_id))
    return sorted(current)


def _stated(session: Session, claim_ids: Sequence[int]) -> dict[int, tuple[date | None, list[str]]]:
    """Per claim: the earliest date it was stated (an affirming stance's date, else its
    source's publication date) and the parties who stated it then."""
    stated: dict[int, tuple[date | None, list[str]]] = {}
    rows = []
    for batch in in_batches(list(claim_ids)):
        rows.extend(session.execute(
            select(Stance.claim_id, Stance.stated_on, Source.published_on, Party.name)
            .join(Party, col(Party.id) == Stance.party_id)
            .outerjoin(Source, col(Source.id) == Stance.source_id)
            .where(col(Stance.claim_id).in_(batch), col(Stance.kind).in_(sorted(AFFIRMING)))
            .order_by(Stance.id)).all())
    for claim_id, stated_on, published_on, name in rows:
        when = stated_on or published_on
        best = stated.get(claim_id)
        if best is None or (when is not None and (best[0] is None or when < best[0])):
            stated[claim_id] = (when, [name])
        elif when == best[0] and name not in best[1]:
            best[1].append(name)
    return stated


def list_series(session: Session, series_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Every series (or these), each with its live claims in the order of the date stated
    (earliest stance date, then claim id), and per claim its figure, who and when."""
    query = select(ClaimSeriesMember.series_id, ClaimSeriesMember.claim_id)
    if series_ids is not None:
        query = query.where(col(ClaimSeriesMember.series_id).in_(list(series_ids)))
    members: dict[int, list[int]] = defaultdict(list)
    for series_id, claim_id in session.execute(query):
        members[series_id].append(claim_id)
    all_ids = [i for ids in members.values() for i in ids]
    claims = {}
    for batch in in_batches(all_ids):
        claims.update({c.id: c for c in session.exec(select(Claim).where(
            col(Claim.id).in_(batch), col(Claim.deleted_at).is_(None)))})
    stated = _stated(session, all_ids)
    superseded = supersessions(session, all_ids)
    result = []
    for series in session.exec(select(ClaimSeries).where(
            col(ClaimSeries.id).in_(sorted(members))).order_by(ClaimSeries.id)):
        entries = []
        for claim_id in members[series.id]:
            claim = claims.get(claim_id)
            if claim is None:
                continue
            when, who = stated.get(claim_id, (None, []))
            quantity = claim_quantity(claim)
            entries.append({
                "id": claim_id, "text": claim.text,
                "figure": quantity.describe() if quantity else None,
                "low": claim.quantity_low, "high": claim.quantity_high,
                "approximate": claim.quantity_approximate,
                "stated_on": when.isoformat() if when else None, "stated_by": sorted(who),
                "superseded_by": superseded.get(claim_id, {}).get("by"),
            })
        entries.sort(key=lambda e: (e["stated_on"] is None, e["stated_on"] or "", e["id"]))
        units = sorted({claims[e["id"]].quantity_unit or "" for e in entries})
        result.append({
            "id": series.id, "label": series.label, "unit": units[0] if len(units) == 1 else None,
            "claims": [e["id"] for e in entries], "members": entries,
            "created_at": series.created_at.isoformat(timespec="seconds"), "actor": series.actor,
        })
    return result


def series_for_claim(session: Session, claim_id: int) -> dict[str, Any] | None:
    """The series this claim is in (as ``list_series`` gives it), or None."""
    series_id = series_of_claims(session, [claim_id]).get(claim_id)
    if series_id is None:
        return None
    found = list_series(session, [series_id])
    return found[0] if found else None


def supersede(session: Session, old_id: int, new_id: int, *, reason: str, actor: str) -> None:
    """Record that claim ``new_id`` replaces ``old_id``; both stay in the ledger."""
    if old_id == new_id:
        raise InvalidInput("a claim cannot supersede itself")
    get_claim(session, old_id)
    get_claim(session, new_id)
    why = required_text(reason, "--reason")
    existing = session.get(ClaimSupersession, old_id)
    if existing is not None:
        raise Conflict(f"claim #{old_id} is already superseded by #{existing.superseded_by_id} "
                       f"(undo with 'supersede {old_id} {existing.superseded_by_id} --undo')")
    session.add(ClaimSupersession(claim_id=old_id, superseded_by_id=new_id, reason=why,
                                  actor=actor))
    session.flush()
    audit.record(session, action="supersede", entity="claim", entity_id=old_id,
                 claim_id=old_id, details={"superseded_by": new_id, "reason": why})


def undo_supersede(session: Session, old_id: int, new_id: int) -> None:
    """Take back ``supersede OLD NEW``."""
    existing = session.get(ClaimSupersession, old_id)
    if existing is None or existing.superseded_by_id != new_id:
        raise NotFound(f"claim #{old_id} is not superseded by #{new_id}")
    session.delete(existing)
    session.flush()
    audit.record(session, action="unsupersede", entity="claim", entity_id=old_id,
                 claim_id=old_id, details={"superseded_by": new_id, "reason": existing.reason})


def supersessions(session: Session, claim_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{claim id: {"by": newer claim, "reason": …}} and, for a newer claim, "replaces"."""
    found: dict[int, dict[str, Any]] = {}
    for batch in in_batches(list(claim_ids)):
        for row in session.exec(select(ClaimSupersession).where(
                col(ClaimSupersession.claim_id).in_(batch)
                | col(ClaimSupersession.superseded_by_id).in_(batch))):
            if row.claim_id in claim_ids:
                found.setdefault(row.claim_id, {}).update(by=row.superseded_by_id,
                                                          reason=row.reason)
            if row.superseded_by_id in claim_ids:
                found.setdefault(row.superseded_by_id, {}).setdefault(
                    "replaces", []).append(row.claim_id)
    return found


def timeline_line(series: dict[str, Any]) -> str:
    """'about 6,700 → over 13,000 → about 28,000 containers': the figures in the order
    stated, the unit said once."""
    unit = series.get("unit")
    figures = [m["figure"] or "?" for m in series["members"]]
    if unit:
        figures = [f.removesuffix(f" {unit}") for f in figures]
    return " \u2192 ".join(figures) + (f" {unit}" if unit else "")
