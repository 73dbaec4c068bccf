"""Claims, their stances, wordings and evidence: adding, reading and filtering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.errors import InvalidInput, NotFound
from nkru_claims.models import (
    BEARINGS,
    STANCE_KINDS,
    STATUSES,
    VERDICTS,
    Claim,
    ClaimSource,
    ClaimWording,
    Evidence,
    Stance,
    utcnow,
)
from nkru_claims.quantity import Quantity
from nkru_claims.services.parties import resolve_party
from nkru_claims.services.sources import link_source
from nkru_claims.status import AFFIRMING, DENYING
from nkru_claims.values import choice, optional_text, required_text


@dataclass(frozen=True)
class StanceInput:
    """A stance as the user gives it: a party's name or alias, not its id."""

    party: str
    kind: str
    source_id: int | None = None
    quote: str | None = None
    quote_language: str | None = None
    stated_on: date | None = None


@dataclass
class ClaimFilter:
    statuses: Sequence[str] = ()
    party: str | None = None
    asserted_by: str | None = None
    denied_by: str | None = None
    search: str | None = None
    about_from: date | None = None
    about_to: date | None = None
    limit: int | None = None
    after: int | None = None  # keyset paging: only claims with a larger id


@dataclass(frozen=True)
class ClaimPage:
    """One page of a listing: its claims, how many match in all, and where the next starts.

    ``next_after`` is the last id shown when more claims follow (pass it as ``after``).
    """

    claims: list[Claim]
    total: int
    next_after: int | None


def _match_columns(text: str) -> tuple[str, str]:
    from nkru_claims.matching import match_columns  # the matcher's patterns load on demand

    return match_columns(text)


def check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})")


def add_claim(
    *,
    session: Session,
    text: str,
    language: str | None = None,
    quantity: Quantity | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    verdict: str | None = None,
    verdict_note: str | None = None,
    ref: str | None = None,
    stances: Sequence[StanceInput] = (),
    source_ids: Sequence[int] = (),
    create_parties: bool = False,
) -> Claim:
    check_period(period_start, period_end)
    claim = Claim(
        text=required_text(text, "claim text"),
        language=optional_text(language),
        period_start=period_start,
        period_end=period_end,
        verdict=choice(verdict, VERDICTS, "verdict") if optional_text(verdict) else None,
        verdict_note=optional_text(verdict_note),
        ref=optional_text(ref),
    )
    set_quantity(claim, quantity)
    claim.match_form, claim.match_key = _match_columns(claim.text)
    session.add(claim)
    session.flush()
    audit.record(session, action="add", entity="claim", entity_id=claim.id, claim_id=claim.id,
                 details=claim_fields(claim))
    for source_id in source_ids:
        link_source(session, claim.id, source_id)
    for stance in stances:
        add_stance(session=session, claim_id=claim.id, stance=stance, create_party=create_parties)
    return claim


EDITABLE = ("text", "language", "quantity_text", "quantity_low", "quantity_high",
            "quantity_unit", "quantity_approximate", "period_start", "period_end", "ref")


def claim_fields(claim: Claim) -> dict[str, object]:
    return {name: getattr(claim, name) for name in EDITABLE if getattr(claim, name) is not None}


def edit_claim(
    *,
    session: Session,
    claim_id: int,
    text: str | None = None,
    language: str | None = None,
    quantity: Quantity | None = None,
    clear_quantity: bool = False,
    period_start: date | None = None,
    period_end: date | None = None,
    ref: str | None = None,
) -> dict[str, list[object]]:
    """Change a claim's own fields; returns {field: [old, new]} of what changed."""
    claim = get_claim(session, claim_id)
    before = {name: getattr(claim, name) for name in EDITABLE}
    if text is not None:
        claim.text = required_text(text, "claim text")
        claim.match_form, claim.match_key = _match_columns(claim.text)
    if language is not None:
        claim.language = optional_text(language)
    if quantity is not None or clear_quantity:
        set_quantity(claim, quantity)
    if period_start is not None:
        claim.period_start = period_start
    if period_end is not None:
        claim.period_end = period_end
    check_period(claim.period_start, claim.period_end)
    if ref is not None:
        claim.ref = optional_text(ref)
    changed = audit.changes(before, {name: getattr(claim, name) for name in EDITABLE})
    if changed:
        claim.updated_at = utcnow()
        session.add(claim)
        session.flush()
        audit.record(session, action="edit", entity="claim", entity_id=claim_id,
                     claim_id=claim_id, details=changed)
    return changed


def delete_claim(*, session: Session, claim_id: int, actor: str) -> Claim:
    """A soft delete: the claim disappears from lists and reports until restored."""
    claim = get_claim(session, claim_id)
    claim.deleted_at, claim.deleted_by = utcnow(), actor
    session.add(claim)
    session.flush()
    audit.record(session, action="delete", entity="claim", entity_id=claim_id,
                 claim_id=claim_id, details={"text": claim.text})
    return claim


def restore_claim(*, session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}")
    if claim.deleted_at is None:
        raise InvalidInput(f"claim #{claim_id} is not deleted")
    claim.deleted_at = claim.deleted_by = None
    session.add(claim)
    session.flush()
    audit.record(session, action="restore", entity="claim", entity_id=claim_id,
                 claim_id=claim_id, details={"text": claim.text})
    return claim


def attach_to_claim(
    *,
    session: Session,
    claim_id: int,
    text: str,
    language: str | None = None,
    stances: Sequence[StanceInput] = (),
    source_ids: Sequence[int] = (),
    create_parties: bool = False,
) -> Claim:
    """Add a new report of an existing claim: its wording, sources and stances."""
    claim = get_claim(session, claim_id)
    text = required_text(text, "claim text")
    known = {claim.text, *session.exec(
        select(ClaimWording.text).where(ClaimWording.claim_id == claim_id)).all()}
    if text not in known:
        add_wording(session=session, claim_id=claim_id, text=text, language=language,
                    source_id=source_ids[0] if source_ids else None)
    for source_id in source_ids:
        link_source(session, claim_id, source_id)
    for stance in stances:
        add_stance(session=session, claim_id=claim_id, stance=stance, create_party=create_parties)
    return claim


def set_quantity(claim: Claim, quantity: Quantity | None) -> None:
    if quantity is None:
        claim.quantity_text = claim.quantity_low = claim.quantity_high = None
        claim.quantity_unit = None
        claim.quantity_approximate = False
        return
    for bound in (quantity.low, quantity.high):
        if bound is not None and bound < 0:
            raise InvalidInput(f"quantity cannot be negative: {quantity.text!r}")
    claim.quantity_text = quantity.text
    claim.quantity_low = quantity.low
    claim.quantity_high = quantity.high
    claim.quantity_unit = quantity.unit
    claim.quantity_approximate = quantity.approximate


def claim_quantity(claim: Claim) -> Quantity | None:
    if claim.quantity_low is None and claim.quantity_high is None:
        return None
    return Quantity(
        low=claim.quantity_low, high=claim.quantity_high, unit=claim.quantity_unit,
        approximate=claim.quantity_approximate, text=claim.quantity_text or "",
    )


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}")
    if claim.deleted_at is not None:
        raise NotFound(f"claim #{claim_id} was deleted (bring it back with "
                       f"'nkru-claims restore {claim_id}')")
    return claim


def add_stance(
    *, session: Session, claim_id: int, stance: StanceInput, create_party: bool = False
) -> Stance:
    get_claim(session, claim_id)
    party = resolve_party(session, stance.party, create=create_party)
    row = Stance(
        claim_id=claim_id,
        party_id=party.id,
        source_id=stance.source_id,
        kind=choice(stance.kind, STANCE_KINDS, "stance kind"),
        quote=optional_text(stance.quote),
        quote_language=optional_text(stance.quote_language),
        stated_on=stance.stated_on,
    )
    session.add(row)
    session.flush()
    link_source(session, claim_id, stance.source_id)
    audit.record(session, action="add", entity="stance", entity_id=row.id, claim_id=claim_id,
                 details={"party": party.name, "kind": row.kind, "source_id": row.source_id,
                          "quote": row.quote, "stated_on": row.stated_on})
    return row


def add_wording(
    *, session: Session, claim_id: int, text: str, language: str | None, source_id: int | None
) -> ClaimWording:
    get_claim(session, claim_id)
    row = ClaimWording(
        claim_id=claim_id, text=required_text(text, "wording"),
        language=optional_text(language), source_id=source_id,
    )
    row.match_form, row.match_key = _match_columns(row.text)
    session.add(row)
    session.flush()
    link_source(session, claim_id, source_id)
    audit.record(session, action="add", entity="wording", entity_id=row.id, claim_id=claim_id,
                 details={"text": row.text, "language": row.language, "source_id": source_id})
    return row


def add_evidence(
    *,
    session: Session,
    claim_id: int,
    description: str,
    bearing: str,
    source_id: int | None,
    quote: str | None = None,
) -> Evidence:
    get_claim(session, claim_id)
    row = Evidence(
        claim_id=claim_id, source_id=source_id,
        description=required_text(description, "evidence description"),
        bearing=choice(bearing, BEARINGS, "evidence bearing"), quote=optional_text(quote),
    )
    session.add(row)
    session.flush()
    link_source(session, claim_id, source_id)
    audit.record(session, action="add", entity="evidence", entity_id=row.id, claim_id=claim_id,
                 details={"description": row.description, "bearing": row.bearing,
                          "source_id": source_id})
    return row


def set_verdict(
    *, session: Session, claim_id: int, verdict: str | None, note: str | None
) -> Claim:
    claim = get_claim(session, claim_id)
    before = {"verdict": claim.verdict, "verdict_note": claim.verdict_note}
    claim.verdict = choice(verdict, VERDICTS, "verdict") if optional_text(verdict) else None
    claim.verdict_note = optional_text(note)
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()
    audit.record(session, action="verdict", entity="claim", entity_id=claim_id,
                 claim_id=claim_id, details=audit.changes(
                     before, {"verdict": claim.verdict, "verdict_note": claim.verdict_note}))
    return claim


def _search_variants(text: str) -> list[str]:
    """The search text as typed and in both Chinese scripts, so 北韓 finds 北韩."""
    import opencc

    variants = {text, opencc.OpenCC("t2s").convert(text), opencc.OpenCC("s2t").convert(text)}
    return sorted(variants)


def _party_stance(party_id: int, kinds: frozenset[str] | None):  # noqa: ANN202
    condition = and_(Stance.claim_id == Claim.id, Stance.party_id == party_id)
    if kinds is not None:
        condition = and_(condition, col(Stance.kind).in_(sorted(kinds)))
    return exists().where(condition)


def _matching(session: Session, filters: ClaimFilter, *columns):  # noqa: ANN001, ANN202
    """A select of ``columns`` restricted by every filter but the page (after, limit)."""
    query = select(*columns).where(col(Claim.deleted_at).is_(None))
    if filters.statuses:
        statuses = [choice(s, STATUSES, "status") for s in filters.statuses]
        query = query.where(col(Claim.status).in_(statuses))
    if filters.party:
        query = query.where(_party_stance(resolve_party(session, filters.party).id, None))
    if filters.asserted_by:
        party_id = resolve_party(session, filters.asserted_by).id
        query = query.where(_party_stance(party_id, AFFIRMING))
    if filters.denied_by:
        query = query.where(_party_stance(resolve_party(session, filters.denied_by).id, DENYING))
    if optional_text(filters.search):
        # autoescape: % _ and backslashes in the search text are matched literally.
        variants = _search_variants(filters.search.strip())
        in_wordings = exists().where(
            ClaimWording.claim_id == Claim.id,
            or_(*[col(ClaimWording.text).icontains(v, autoescape=True) for v in variants]),
        )
        query = query.where(or_(*[col(Claim.text).icontains(v, autoescape=True)
                                  for v in variants], in_wordings))
    if filters.about_from or filters.about_to:
        check_period(filters.about_from, filters.about_to)
        query = query.where(or_(Claim.period_start.is_not(None), Claim.period_end.is_not(None)))
        if filters.about_from:
            ends = _coalesce(Claim.period_end, Claim.period_start)
            query = query.where(or_(Claim.period_end.is_(None) & Claim.period_start.is_not(None),
                                    ends >= filters.about_from))
        if filters.about_to:
            starts = _coalesce(Claim.period_start, Claim.period_end)
            query = query.where(starts <= filters.about_to)
    return query


def query_claims(session: Session, filters: ClaimFilter) -> list[Claim]:
    """Claims matching every given filter, oldest first."""
    query = _matching(session, filters, Claim)
    if filters.after is not None:
        query = query.where(col(Claim.id) > filters.after)
    query = query.order_by(Claim.id)
    if filters.limit:
        query = query.limit(filters.limit)
    return list(session.exec(query).all())


def count_claims(session: Session, filters: ClaimFilter) -> int:
    """How many claims match the filters, on every page together."""
    from sqlalchemy import func

    query = _matching(session, filters, func.count(col(Claim.id)))
    return int(session.execute(query).scalar_one())


def page_claims(session: Session, filters: ClaimFilter) -> ClaimPage:
    """A page of claims (``filters.limit`` of them after ``filters.after``) and the total.

    Keyset paging on the id keeps a late page as cheap as the first: the status index
    is ordered by id, so the database walks straight to the page.
    """
    if not filters.limit:
        claims = query_claims(session, filters)
        total = len(claims) if filters.after is None else count_claims(session, filters)
        return ClaimPage(claims, total, None)
    claims = query_claims(session, replace(filters, limit=filters.limit + 1))
    more = len(claims) > filters.limit
    claims = claims[: filters.limit]
    return ClaimPage(claims, count_claims(session, filters), claims[-1].id if more else None)


def _coalesce(*columns):  # noqa: ANN002, ANN202
    from sqlalchemy import func

    return func.coalesce(*columns)


def claim_source_ids(session: Session, claim_id: int) -> list[int]:
    return list(session.exec(
        select(ClaimSource.source_id).where(ClaimSource.claim_id == claim_id)
        .order_by(ClaimSource.source_id)
    ).all())
