"""What the ledger knows that a proposal needs (its own party aliases, and its claims),
and writing what a reviewer accepted.

Kept apart from ``propose`` so that reading an article needs no database: the CLI lists
proposals for an article even where no ledger exists yet, and asks the ledger only when
there is one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from nkru_claims.extract.article import Article
from nkru_claims.extract.document import claim_ref
from nkru_claims.extract.propose import Match, Proposal

if TYPE_CHECKING:
    from sqlmodel import Session

    from nkru_claims.exchange import ImportSummary
    from nkru_claims.matching.facts import PartyFinder

MEANING_MIN_SCORE = 0.5  # below it the meaning matcher's cost buys little


def attach_matches(session: Session, proposals: list[Proposal]) -> list[Proposal]:
    """Each proposal with the ledger's claims it may state: the lexical matcher's
    duplicates, else (for a proposal scoring ``MEANING_MIN_SCORE`` or more) the meaning
    matcher's best in the same or review band (none without stored vectors), best first;
    scores on a 0-1 scale."""
    from nkru_claims.services.dedupe import likely_by_meaning, likely_duplicates

    out = []
    for proposal in proposals:
        found = [Match("duplicate", p.b, p.score / 100)  # the lexical scorer counts to 100
                 for p in likely_duplicates(session, proposal.wording)]
        # only the best match is shown, and the meaning matcher judges ten candidates for
        # each one asked for: asking for one keeps an article within its two seconds
        same, review = ([], []) if found or proposal.score < MEANING_MIN_SCORE else (
            likely_by_meaning(session, proposal.wording, limit=1))
        seen = {m.claim_id for m in found}
        for band, pairs in (("same", same), ("review", review)):
            for pair in pairs:
                if pair.b not in seen:
                    found.append(Match(band, pair.b, pair.score / 100))
                    seen.add(pair.b)
        out.append(replace(proposal, matches=tuple(found)))
    return out


def ledger_finder(session: Session) -> tuple[PartyFinder, dict[str, str]]:
    """A party finder that also knows the ledger's own aliases (米勒, Matthew Miller…),
    and the ledger's names for the keys it gives the parties the gazetteer lacks."""
    from sqlmodel import col, select

    from nkru_claims.matching.facts import PartyFinder
    from nkru_claims.models import Party, PartyAlias

    rows = session.exec(
        select(PartyAlias.alias, PartyAlias.party_id, Party.name)
        .join(Party, col(Party.id) == PartyAlias.party_id)
    ).all()
    names = {f"party:{party_id}": name for _, party_id, name in rows}
    return PartyFinder([(alias, party_id, name) for alias, party_id, name in rows]), names


def _source_id(session: Session, source: dict[str, object]) -> int:
    """The ledger's row for the source the document just brought in (by URL, else by
    title, outlet and date, as the importer finds an existing source)."""
    from sqlmodel import col, select

    from nkru_claims.models import Source
    from nkru_claims.values import normalise_url, parse_date

    url = normalise_url(source.get("url"))
    query = select(Source.id).where(Source.url == url) if url is not None else select(
        Source.id).where(col(Source.url).is_(None), Source.title == source.get("title"),
                         Source.outlet == source.get("outlet"),
                         Source.published_on == parse_date(source.get("published_on")))
    return session.exec(query).first()  # type: ignore[return-value]


def apply_reviewed(
    session: Session, article: Article, accepted: list[Proposal],
    attached: list[tuple[Proposal, int]], *, names: dict[str, str], origin: str | None,
) -> tuple[ImportSummary, int]:
    """Write what a reviewer accepted, in the caller's one transaction: new claims through
    the importer (the path ``import`` and ``--apply`` take), and each proposal attached
    to a claim the ledger holds as that claim's wording and stances from this source."""
    from nkru_claims.exchange import import_document
    from nkru_claims.extract.document import build_document
    from nkru_claims.services.claims import StanceInput, attach_to_claim

    document = build_document(article, accepted + [p for p, _ in attached], names=names)
    attached_refs = {claim_ref(article, p) for p, _ in attached}
    document["claims"] = [c for c in document["claims"] if c["ref"] not in attached_refs]
    summary = import_document(session, document, origin=origin)
    source_id = _source_id(session, document["sources"][0])
    for proposal, claim_id in attached:
        attach_to_claim(
            session=session, claim_id=claim_id, text=proposal.wording,
            language=proposal.language, source_ids=[source_id],
            stances=[StanceInput(party=names.get(s.party, s.party), kind=s.kind,
                                 source_id=source_id, quote=s.quote,
                                 quote_language=s.quote_language, stated_on=s.stated_on)
                     for s in proposal.stances],
        )
    return summary, len(attached)
