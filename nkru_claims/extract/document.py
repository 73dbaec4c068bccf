"""Proposals as an exchange-format document, so that ``import`` is their one way in.

``extract --json`` prints this document and ``extract --apply`` hands it to
``exchange.import_document``: a reviewed file and an unreviewed batch take the same path
to rows, with the same checks and the same single transaction.

Refs are stable, so that extracting one article twice and importing both files adds
nothing the second time: the source's ref comes from its URL (else its file name, else
its title, else its text) and each claim's from the source's ref and the sentence's
place in the article.

Parties are named by the gazetteer's canonical names, which are the ledger's names for
the parties the seed fixtures hold; a party the ledger lacks is created with its kind and
state. The claim's ``text`` is the wording as the article gives it, in its language: an
editor restates it in English when reviewing, which a machine here would do badly.
"""

from __future__ import annotations

import hashlib
from typing import Any

from nkru_claims.extract.article import Article
from nkru_claims.extract.propose import Proposal
from nkru_claims.extract.sentences import script_language

FORMAT_NAME = "nkru-claims"
FORMAT_VERSION = 1

#: the gazetteer's kinds, as the exchange format names them
PARTY_KINDS = {
    "state": "state", "agency": "government_body", "organisation": "organisation",
    "person": "person", "place": "state",
}  # fmt: skip
STATE_CODES = {
    "North Korea": "KP", "Russia": "RU", "South Korea": "KR", "Ukraine": "UA",
    "United States": "US", "China": "CN", "Japan": "JP", "Iran": "IR", "Belarus": "BY",
    "Syria": "SY",
}  # fmt: skip


def source_ref(article: Article) -> str:
    """``extract-`` and ten hex digits of what identifies the article best."""
    basis = article.url or article.name or article.title or article.text[:500]
    return "extract-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]


def claim_ref(article: Article, proposal: Proposal) -> str:
    return f"{source_ref(article)}-s{proposal.index:03d}"


def _party(name: str) -> dict[str, Any]:
    """A party record from the gazetteer: its kind and the state it belongs to."""
    from nkru_claims.matching import gazetteer
    from nkru_claims.matching.facts import ACTS_FOR

    kind = PARTY_KINDS.get(gazetteer.kind_of(name) or "", "organisation")
    state = name if kind == "state" else ACTS_FOR.get(name)
    return {"name": name, "kind": kind, "country": STATE_CODES.get(state or ""),
            "aliases": []}


def _quantity(proposal: Proposal) -> dict[str, Any] | None:
    q = proposal.quantity
    if q is None or (q.low is None and q.high is None):
        return None
    return {"text": q.text, "low": q.low, "high": q.high, "unit": q.unit,
            "approximate": q.approximate}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _source(article: Article) -> dict[str, Any]:
    return {
        "ref": source_ref(article), "url": article.url, "outlet": article.outlet,
        "title": article.title, "author": article.author,
        "language": script_language(article.text, han="zh-Hans"),
        "published_on": _iso(article.published), "retrieved_on": None, "archive_url": None,
    }


def _claim(article: Article, proposal: Proposal, ref: str) -> dict[str, Any]:
    period = proposal.period
    return {
        "ref": claim_ref(article, proposal),
        "text": proposal.wording,
        "language": proposal.language,
        "wordings": [{"text": proposal.sentence, "language": proposal.language,
                      "source": ref}],
        "quantity": _quantity(proposal),
        "period_start": _iso(period.start) if period else None,
        "period_end": _iso(period.end) if period else None,
        "sources": [ref],
        "stances": [
            {"party": s.party, "kind": s.kind, "source": ref, "quote": s.quote,
             "quote_language": s.quote_language, "stated_on": _iso(s.stated_on)}
            for s in proposal.stances
        ],
        "evidence": [],
    }


def build_document(
    article: Article, proposals: list[Proposal], *, min_score: float = 0.0,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The proposals scoring at least ``min_score`` as one exchange document.

    ``names`` renames party keys the ledger's own aliases found (``party:<id>``) to the
    ledger's names; such a party is in the ledger already, so its record only names it."""
    names = names or {}
    chosen = sorted((p for p in proposals if p.score >= min_score), key=lambda p: p.index)
    ref = source_ref(article)
    keys = sorted({s.party for p in chosen for s in p.stances})
    parties = [
        {"name": names[key], "kind": "organisation", "aliases": []} if key in names
        else _party(key) for key in keys
    ]
    claims = [_claim(article, p, ref) for p in chosen]
    for claim in claims:
        for stance in claim["stances"]:
            stance["party"] = names.get(stance["party"], stance["party"])
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "parties": parties,
        "sources": [_source(article)],
        "claims": claims,
    }
