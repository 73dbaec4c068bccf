"""schema.org ClaimReview JSON-LD for every claim an editor has given a verdict.

Why: fact-checks published as ClaimReview are read by search engines and by the
fact-check aggregators other newsrooms use, so a verdict recorded here can travel
without anyone retyping it. Only claims with an editorial verdict are reviews; the
stance-derived status is not a verdict and is never published as one.

Rating scale (``reviewRating``): true 5, mostly_true 4, misleading 3, mostly_false 2,
false 1, with ``bestRating`` 5 and ``worstRating`` 1; ``unproven`` is 0, deliberately
outside the scale, because "not proven either way" is not a degree of truth. The
verdict itself is always in ``alternateName`` (the textual rating readers see).

The claim's ``author`` is every party whose current position affirms it (the same
reading as ``asserted_by`` in ``list --json``); ``appearance`` is every source that
reports it and ``firstAppearance`` the earliest-published of them.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from nkru_claims.models import Claim, ClaimSource, Party, Source, Stance
from nkru_claims.status import AFFIRMING, StanceFact, positions

SCHEMA_CONTEXT = "https://schema.org"
RATINGS = {"true": 5, "mostly_true": 4, "misleading": 3, "mostly_false": 2, "false": 1,
           "unproven": 0}
BEST_RATING, WORST_RATING = 5, 1
PARTY_TYPES = {
    "person": "Person", "expert": "Person", "state": "GovernmentOrganization",
    "government_body": "GovernmentOrganization", "media_outlet": "NewsMediaOrganization",
    "organisation": "Organization",
}
WIKIDATA = "https://www.wikidata.org/wiki/"


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def claim_url(claim_id: int, base_url: str | None) -> str:
    """Where the review lives: the site's page for the claim, or a stable URN without one."""
    if base_url:
        return f"{base_url.rstrip('/')}/claims/{claim_id}"
    return f"urn:nkru-claims:claim:{claim_id}"


def _party_node(party: Party) -> dict[str, Any]:
    return _drop_empty({
        "@type": PARTY_TYPES.get(party.kind, "Organization"),
        "name": party.name,
        "sameAs": f"{WIKIDATA}{party.wikidata_id}" if party.wikidata_id else None,
    })


def _work_node(source: Source) -> dict[str, Any]:
    return _drop_empty({
        "@type": "CreativeWork",
        "url": source.url,
        "headline": source.title,
        "datePublished": source.published_on.isoformat() if source.published_on else None,
        "inLanguage": source.language,
        "publisher": {"@type": "Organization", "name": source.outlet} if source.outlet else None,
    })


def _date_of(value: datetime | date) -> str:
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _review(session: Session, claim: Claim, base_url: str | None,
            publisher_name: str) -> dict[str, Any]:
    rows = session.exec(
        select(Stance, Party).join(Party, col(Party.id) == Stance.party_id)
        .where(Stance.claim_id == claim.id).order_by(Stance.id)
    ).all()
    held = positions(StanceFact(s.party_id, s.kind, s.stated_on, s.id) for s, _ in rows)
    parties = {p.id: p for _, p in rows}
    authors = sorted((parties[pid] for pid, pos in held.items() if pos == "affirms"),
                     key=lambda p: p.name.casefold())
    said_on = [s.stated_on for s, _ in rows
               if s.kind in AFFIRMING and s.stated_on and held.get(s.party_id) == "affirms"]
    sources = session.exec(
        select(Source).join(ClaimSource, col(ClaimSource.source_id) == Source.id)
        .where(ClaimSource.claim_id == claim.id).order_by(Source.id)
    ).all()
    dated = sorted((s for s in sources if s.published_on), key=lambda s: (s.published_on, s.id))
    verdict = claim.verdict or ""
    publisher = _drop_empty({"@type": "Organization", "name": publisher_name,
                             "url": base_url.rstrip("/") if base_url else None})
    return _drop_empty({
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": claim_url(claim.id, base_url),
        "claimReviewed": claim.text,
        "inLanguage": claim.language,
        "datePublished": _date_of(claim.updated_at),
        "author": publisher,
        "reviewBody": claim.verdict_note,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[verdict],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": verdict.replace("_", " "),
        },
        "itemReviewed": _drop_empty({
            "@type": "Claim",
            "text": claim.text,
            "author": [_party_node(p) for p in authors],
            "datePublished": min(said_on).isoformat() if said_on else None,
            "appearance": [_work_node(s) for s in sources],
            "firstAppearance": _work_node(dated[0]) if dated else None,
        }),
    })


def claimreview_documents(
    session: Session, *, base_url: str | None = None, publisher_name: str = "nkru-claims"
) -> list[dict[str, Any]]:
    """One ClaimReview object per claim with a verdict, oldest claim first."""
    claims = session.exec(
        select(Claim).where(col(Claim.verdict).is_not(None), col(Claim.deleted_at).is_(None))
        .order_by(Claim.id)
    ).all()
    return [_review(session, claim, base_url, publisher_name) for claim in claims]


def claimreview_json(session: Session, **kwargs: Any) -> str:
    """The documents as one JSON array (UTF-8 text, scripts kept as written)."""
    return json.dumps(claimreview_documents(session, **kwargs), ensure_ascii=False,
                      indent=2) + "\n"
