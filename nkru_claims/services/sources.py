"""Sources: articles and documents, identified by their normalised URL where they have one."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, func, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, NotFound
from nkru_claims.limits import check_id
from nkru_claims.models import ClaimSource, Source
from nkru_claims.values import normalise_url, optional_text


def find_source_by_url(session: Session, url: str) -> Source | None:
    normalised = normalise_url(url)
    return session.exec(select(Source).where(Source.url == normalised)).first()


def add_source(
    *,
    session: Session,
    url: str | None,
    outlet: str | None = None,
    title: str | None = None,
    author: str | None = None,
    language: str | None = None,
    published_on: date | None = None,
    retrieved_on: date | None = None,
    archive_url: str | None = None,
) -> Source:
    normalised = normalise_url(url)
    if normalised is not None and find_source_by_url(session, normalised) is not None:
        raise Conflict(f"a source with URL {normalised} already exists")
    source = Source(
        url=normalised,
        outlet=optional_text(outlet),
        title=optional_text(title),
        author=optional_text(author),
        language=optional_text(language),
        published_on=published_on,
        retrieved_on=retrieved_on,
        archive_url=normalise_url(archive_url),
    )
    session.add(source)
    session.flush()
    audit.record(session, action="add", entity="source", entity_id=source.id,
                 details={"url": source.url, "outlet": source.outlet, "title": source.title})
    return source


def source_for_url(session: Session, url: str, **details: object) -> Source:
    """The source at ``url``, created with ``details`` when it is new."""
    existing = find_source_by_url(session, url)
    if existing is not None:
        return existing
    return add_source(session=session, url=url, **details)


def get_source(session: Session, source_id: int) -> Source:
    source = session.get(Source, check_id(source_id, "source ID"))
    if source is None:
        raise NotFound(f"no source with id {source_id}")
    return source


def resolve_source(session: Session, reference: str) -> Source:
    """A source by id (``12``) or by URL."""
    reference = reference.strip()
    if reference.isascii() and reference.isdigit():  # not '²', which int() refuses
        return get_source(session, int(reference))
    source = find_source_by_url(session, reference)
    if source is None:
        raise NotFound(f"no source with URL {normalise_url(reference)} (add it with 'source add')")
    return source


def link_source(session: Session, claim_id: int, source_id: int | None) -> None:
    if source_id is None:
        return
    if session.get(ClaimSource, (claim_id, source_id)) is None:
        session.add(ClaimSource(claim_id=claim_id, source_id=source_id))
        session.flush()


def list_sources(session: Session) -> list[tuple[Source, int]]:
    """Every source with the number of claims it reports, newest first."""
    counts = dict(session.exec(
        select(ClaimSource.source_id, func.count()).group_by(ClaimSource.source_id)
    ).all())
    sources = session.exec(
        select(Source).order_by(col(Source.published_on).desc().nulls_last(), col(Source.id).desc())
    ).all()
    return [(s, counts.get(s.id, 0)) for s in sources]
