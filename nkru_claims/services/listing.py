"""Finding claims: filters, pages and counts for ``list`` and the report.

Pages are keyset pages on the claim id, which the status index is ordered by, so the
hundredth page of a million claims costs what the first does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, select

from nkru_claims.models import STATUSES, Claim, ClaimWording, Stance
from nkru_claims.services.claims import check_period
from nkru_claims.services.parties import resolve_party
from nkru_claims.status import AFFIRMING, DENYING
from nkru_claims.values import choice, optional_text


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
    limit = filters.limit
    claims = query_claims(session, replace(filters, limit=limit + 1) if limit else filters)
    more = bool(limit) and len(claims) > limit  # one row past the page: another page follows
    claims = claims[:limit] if limit else claims
    everything = filters.after is None and not more  # this page is all there is to count
    total = len(claims) if everything else count_claims(session, filters)
    return ClaimPage(claims, total, claims[-1].id if more else None)


def _coalesce(*columns):  # noqa: ANN002, ANN202
    from sqlalchemy import func

    return func.coalesce(*columns)
