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

from nkru_claims.errors import InvalidInput
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
    verdicts: Sequence[str] = ()
    unit: str | None = None
    quantity_min: float | None = None
    quantity_max: float | None = None
    source: str | None = None  # a source's ID or URL
    language: str | None = None
    # Admiralty grades: a stance or evidence graded at least this (B3), or per half
    grade_at_least: str | None = None
    reliability: str | None = None
    credibility: int | None = None
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


MAX_ALIAS_VARIANTS = 40


def _search_variants(text: str) -> list[str]:
    """The search text as typed and in both Chinese scripts, so 北韓 finds 北韩."""
    import opencc

    variants = {text, opencc.OpenCC("t2s").convert(text), opencc.OpenCC("s2t").convert(text)}
    return sorted(variants)


def search_forms(session: Session, text: str) -> list[str]:
    """The query in the matcher's form (one script, numbers as digits, units canonical:
    6,700 = 六千七百 = 6700; 砲彈 = 炮弹; 貨櫃 = 集装箱 = containers), and once more for
    every other alias of a party the query names (朝鲜 finds 北韓 and North Korea).

    Compared with the stored ``match_form`` of claims and wordings, made the same way.
    """
    from nkru_claims.matching.compare import match_columns
    from nkru_claims.models import PartyAlias

    form = match_columns(text)[0]
    if not form:
        return []
    forms = {form}
    aliases: dict[int, set[str]] = {}
    for party_id, alias in session.exec(select(PartyAlias.party_id, PartyAlias.alias)):
        aliases.setdefault(party_id, set()).add(match_columns(alias)[0])
    for spellings in aliases.values():
        named = [a for a in spellings if len(a) >= 2 and a in form]
        for found in named:
            for other in spellings - {found}:
                if other and len(forms) < MAX_ALIAS_VARIANTS:
                    forms.add(form.replace(found, other))
    return sorted(forms)


def _canonical_unit(unit: str) -> str:
    """'貨櫃', '集装箱', 'Containers' → 'containers', as claims store their unit."""
    from nkru_claims.matching.quantities import canonical_unit

    return canonical_unit(unit) or unit.strip().lower()


def _party_stance(party_id: int, kinds: frozenset[str] | None):  # noqa: ANN202
    condition = and_(Stance.claim_id == Claim.id, Stance.party_id == party_id)
    if kinds is not None:
        condition = and_(condition, col(Stance.kind).in_(sorted(kinds)))
    return exists().where(condition)


def _matching(session: Session, filters: ClaimFilter, *columns):  # noqa: ANN001, ANN202
    """A select of ``columns`` restricted by every filter but the page (after, limit)."""
    query = select(*columns).where(col(Claim.deleted_at).is_(None))
    if filters.grade_at_least or filters.reliability or filters.credibility is not None:
        from nkru_claims.services.origins import graded_claims

        query = query.where(graded_claims(filters.grade_at_least, filters.reliability,
                                          filters.credibility))
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
        forms = search_forms(session, filters.search.strip())
        in_wordings = exists().where(
            ClaimWording.claim_id == Claim.id,
            or_(*[col(ClaimWording.text).icontains(v, autoescape=True) for v in variants],
                *[col(ClaimWording.match_form).contains(f, autoescape=True) for f in forms]),
        )
        query = query.where(or_(*[col(Claim.text).icontains(v, autoescape=True)
                                  for v in variants],
                                *[col(Claim.match_form).contains(f, autoescape=True)
                                  for f in forms], in_wordings))
    query = _quantity_and_more(session, filters, query)
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


def _quantity_and_more(session: Session, filters: ClaimFilter, query):  # noqa: ANN001, ANN202
    """The verdict, unit, quantity range, source and language filters."""
    from nkru_claims.models import VERDICTS, ClaimSource

    if filters.verdicts:
        query = query.where(col(Claim.verdict).in_(
            [choice(v, VERDICTS, "verdict") for v in filters.verdicts]))
    if optional_text(filters.unit):
        query = query.where(Claim.quantity_unit == _canonical_unit(filters.unit))
    low, high = filters.quantity_min, filters.quantity_max
    if low is not None and high is not None and high < low:
        raise InvalidInput(f"--max ({high:g}) is below --min ({low:g})")
    if low is not None:  # the claim's range reaches up to low or beyond
        query = query.where(_coalesce(Claim.quantity_high, Claim.quantity_low) >= low)
    if high is not None:
        query = query.where(_coalesce(Claim.quantity_low, Claim.quantity_high) <= high)
    if optional_text(filters.source):
        from nkru_claims.services.sources import resolve_source

        source_id = resolve_source(session, filters.source).id
        query = query.where(exists().where(ClaimSource.claim_id == Claim.id,
                                           ClaimSource.source_id == source_id))
    if optional_text(filters.language):
        language = filters.language.strip()
        query = query.where(or_(Claim.language == language, exists().where(
            ClaimWording.claim_id == Claim.id, ClaimWording.language == language)))
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
