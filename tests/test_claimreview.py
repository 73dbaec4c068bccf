"""ClaimReview JSON-LD: valid JSON-LD that expands, offline, to the schema.org fields."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from nkru_claims.claimreview import claimreview_documents, claimreview_json
from nkru_claims.db import make_engine, session_scope
from nkru_claims.models import Claim
from nkru_claims.services.claims import set_verdict

jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is not installed (pip install pyld)")

S = "https://schema.org/"
CONTEXT = json.loads(
    (Path(__file__).parent / "data" / "schemaorg-context.jsonld").read_text(encoding="utf-8")
)
VERDICTS = {
    "nk-soldiers-vladivostok-1500": ("false", "No evidence of the transfer."),
    "putin-sees-possibility-military-cooperation-nk": ("true", None),
    "nk-ammo-6700-containers-since-sep-2023": ("unproven", "Only one official's figure."),
    "ru-nk-treaty-mutual-military-aid-clause": ("mostly_true", None),
}


def offline_loader(url: str, options: dict | None = None) -> dict[str, Any]:
    """Serve the stored schema.org context; refuse everything else (no network in tests)."""
    if url.rstrip("/") == S.rstrip("/"):
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": CONTEXT}
    raise AssertionError(f"the test tried to fetch {url}")


def expand(document: dict[str, Any]) -> dict[str, Any]:
    [node] = jsonld.expand(document, {"documentLoader": offline_loader})
    return node


def review(url: str, **kwargs: Any) -> tuple[list[dict[str, Any]], dict[str, int]]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        ids = {}
        for ref, (verdict, note) in VERDICTS.items():
            claim = session.exec(select(Claim).where(Claim.ref == ref)).one()
            set_verdict(session=session, claim_id=claim.id, verdict=verdict, note=note)
            ids[ref] = claim.id
    with session_scope(engine) as session:
        documents = claimreview_documents(session, **kwargs)
        assert json.loads(claimreview_json(session, **kwargs)) == documents
    engine.dispose()
    return documents, ids


def values(node: dict[str, Any], name: str) -> list[Any]:
    return [v.get("@value", v.get("@id")) for v in node.get(S + name, [])]


def test_only_claims_with_a_verdict_are_reviewed(seeded_url: str) -> None:
    documents, ids = review(seeded_url)
    assert [d["url"] for d in documents] == [
        f"urn:nkru-claims:claim:{i}" for i in sorted(ids.values())]
    engine = make_engine(seeded_url)
    with session_scope(engine) as session:
        for claim in session.exec(select(Claim)).all():
            set_verdict(session=session, claim_id=claim.id, verdict=None, note=None)
    with session_scope(engine) as session:
        assert claimreview_documents(session) == []
    engine.dispose()


def test_expanded_documents_carry_every_required_field(seeded_url: str) -> None:
    documents, ids = review(seeded_url, base_url="https://factcheck.example.org/",
                            publisher_name="Example Desk")
    by_id = {int(d["url"].rsplit("/", 1)[1]): d for d in documents}
    assert set(by_id) == set(ids.values())
    for document in documents:
        assert document["@context"] == "https://schema.org"
        node = expand(document)
        assert node["@type"] == [S + "ClaimReview"]
        claim_id = int(document["url"].rsplit("/", 1)[1])
        assert values(node, "url") == [f"https://factcheck.example.org/claims/{claim_id}"]
        assert values(node, "claimReviewed") and values(node, "claimReviewed")[0].strip()
        [published] = node[S + "datePublished"]
        assert published["@type"] == S + "Date"
        date.fromisoformat(published["@value"])
        [author] = node[S + "author"]
        assert author["@type"] == [S + "Organization"]
        assert values(author, "name") == ["Example Desk"]
        [rating] = node[S + "reviewRating"]
        assert rating["@type"] == [S + "Rating"]
        assert values(rating, "bestRating") == [5] and values(rating, "worstRating") == [1]
        assert len(values(rating, "ratingValue")) == 1
        [item] = node[S + "itemReviewed"]
        assert item["@type"] == [S + "Claim"]
        for work in item.get(S + "appearance", []):
            assert work["@type"] == [S + "CreativeWork"]
    ratings = {ref: expand(by_id[i])[S + "reviewRating"][0] for ref, i in ids.items()}
    assert values(ratings["nk-soldiers-vladivostok-1500"], "ratingValue") == [1]
    assert values(ratings["nk-soldiers-vladivostok-1500"], "alternateName") == ["false"]
    assert values(ratings["putin-sees-possibility-military-cooperation-nk"], "ratingValue") == [5]
    unproven = ratings["nk-ammo-6700-containers-since-sep-2023"]
    assert values(unproven, "ratingValue") == [0]
    assert values(unproven, "alternateName") == ["unproven"]


def test_claim_authors_appearances_and_first_appearance(seeded_url: str) -> None:
    documents, ids = review(seeded_url)
    by_url = {d["url"]: d for d in documents}
    vladivostok = by_url[f"urn:nkru-claims:claim:{ids['nk-soldiers-vladivostok-1500']}"]
    item = vladivostok["itemReviewed"]
    assert [a["name"] for a in item["author"]] == ["National Intelligence Service"]
    assert vladivostok["reviewBody"] == "No evidence of the transfer."
    assert item["appearance"][0]["headline"] == "朝鲜军队是在为俄罗斯对抗乌克兰吗?"
    putin = by_url[f"urn:nkru-claims:claim:{ids['putin-sees-possibility-military-cooperation-nk']}"]
    node = expand(putin)
    [claim] = node[S + "itemReviewed"]
    [person] = claim[S + "author"]
    assert person["@type"] == [S + "Person"]
    assert values(person, "sameAs") == ["https://www.wikidata.org/wiki/Q7747"]
    treaty = by_url[f"urn:nkru-claims:claim:{ids['ru-nk-treaty-mutual-military-aid-clause']}"]
    assert treaty["reviewRating"]["ratingValue"] == 4
    [claim] = expand(treaty)[S + "itemReviewed"]
    appearances = claim[S + "appearance"]
    assert len(appearances) == 4
    [first] = claim[S + "firstAppearance"]
    earliest = min(values(w, "datePublished")[0] for w in appearances
                   if values(w, "datePublished"))
    assert values(first, "datePublished") == [earliest] == ["2024-06-21"]
    assert values(first, "url") == [
        "https://cn.nytimes.com/asia-pacific/20240621/russia-korea-defense-asia/"]
    assert all("@id" in v for w in appearances for v in w.get(S + "url", []))
