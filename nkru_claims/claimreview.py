r"""schema.org ClaimReview JSON-LD for every claim an editor has given a verdict.

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

Origins and grades: a source that relays another (``source relay``: wire copy,
translation, syndication, republication) carries the original as ``isBasedOn``, which
schema.org defines on every CreativeWork ("a resource from which this work is derived");
the kind of relay has no property and is left out. The Admiralty grades of stances and
evidence (reliability A–F, credibility 1–6) have no place in the vocabulary: a Claim's
``appearance`` is a plain CreativeWork, ``additionalProperty`` is not defined on it, and
``contentRating`` means an audience rating, so grades are not published here (the JSON
and CSV exports carry them).

ClaimReview is published inside ``<script type="application/ld+json">``, so the text is
made safe to paste there: ``</`` is written ``<\/`` (a ``</script>`` in a claim would
end the script element and let the rest run as HTML) and ``<!--`` as ``\u003c!--`` (it
would change how the browser finds the end of the script); both are JSON escapes, so the
text parses to the same data. The base URL must be an http(s) address: it becomes every
review's ``url``, which readers and aggregators follow.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from nkru_claims.errors import InvalidInput
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


_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"'`\\]")


def check_base_url(base_url: str | None) -> str | None:
    """The base URL, refused unless it is a plain http:// or https:// address."""
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if (parts.scheme.lower() not in ("http", "https") or not parts.netloc
            or _UNSAFE_IN_URL.search(base_url)):
        raise InvalidInput(f"--base-url must be an http:// or https:// address, not {base_url!r}")
    return base_url


def script_safe_json(data: Any) -> str:
    """JSON text that can sit inside an HTML ``<script>`` element and still parses to
    ``data``: ``<`` can only occur inside JSON strings, where ``\\/`` and ``\\u003c``
    are the same characters."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<!--", "\\u003c!--").replace("</", "<\\/")


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


def _work_node(source: Source, original: Source | None = None) -> dict[str, Any]:
    return _drop_empty({
        "@type": "CreativeWork",
        "url": source.url,
        "headline": source.title,
        "datePublished": source.published_on.isoformat() if source.published_on else None,
        "inLanguage": source.language,
        "publisher": {"@type": "Organization", "name": source.outlet} if source.outlet else None,
        "isBasedOn": _work_node(original) if original is not None else None,
    })


def _date_of(value: datetime | date) -> str:
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _review(session: Session, claim: Claim, base_url: str | None,
            publisher_name: str, publisher_url: str | None = None) -> dict[str, Any]:
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
    originals = {s.id: session.get(Source, s.relays_source_id)
                 for s in sources if s.relays_source_id is not None}
    verdict = claim.verdict or ""
    publisher = _drop_empty({"@type": "Organization", "name": publisher_name,
                             "url": publisher_url or (base_url.rstrip("/") if base_url
                                                      else None)})
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
            "appearance": [_work_node(s, originals.get(s.id)) for s in sources],
            "firstAppearance": _work_node(dated[0]) if dated else None,
        }),
    })


def claimreview_documents(
    session: Session, *, base_url: str | None = None, publisher_name: str = "nkru-claims",
    publisher_url: str | None = None,
) -> list[dict[str, Any]]:
    """One ClaimReview object per claim with a verdict, oldest claim first. The reviewing
    organisation is ``publisher_name`` at ``publisher_url`` (default: the base URL)."""
    base_url = check_base_url(base_url)
    publisher_url = check_base_url(publisher_url)
    publisher_name = (publisher_name or "").strip() or "nkru-claims"
    claims = session.exec(
        select(Claim).where(col(Claim.verdict).is_not(None), col(Claim.deleted_at).is_(None))
        .order_by(Claim.id)
    ).all()
    return [_review(session, claim, base_url, publisher_name, publisher_url)
            for claim in claims]


def claimreview_json(session: Session, **kwargs: Any) -> str:
    """The documents as one JSON array (UTF-8 text, scripts kept as written), safe to
    embed in a ``<script>`` element."""
    return script_safe_json(claimreview_documents(session, **kwargs)) + "\n"
