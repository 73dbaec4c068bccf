"""Tables of the claim ledger.

Design choices:
- Enumerations (party kind, stance kind, status, verdict, evidence bearing) are plain
  strings guarded by CHECK constraints rather than database ENUM types, so that adding
  a value is a one-line migration on SQLite and PostgreSQL alike.
- A quantity is stored as bounds: a point value has ``low == high``; "over 10,000" has
  only ``low``. Comparing quantities is then comparing bounds.
- ``Claim.status`` is derived from the stances and stored (and indexed) so that
  ``list --contested`` is a lookup, not a scan; ``nkru_claims.status`` keeps it true
  inside the same flush that changes a stance.
- Constraint names follow one naming convention so migrations can address them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from nkru_claims import limits  # the column lengths; importing it registers their checks

LIVE = text("deleted_at IS NULL")
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

PARTY_KINDS = ("state", "government_body", "person", "organisation", "media_outlet", "expert")
STANCE_KINDS = ("asserts", "denies", "questions", "supports", "condemns", "declines_to_comment")
STATUSES = ("unverified", "asserted", "questioned", "denied", "contested")
VERDICTS = ("true", "mostly_true", "misleading", "mostly_false", "false", "unproven")
BEARINGS = ("supports", "undermines")
# How a source carries another (``source relay``); the Admiralty grades (A best, 1 best).
RELAY_KINDS = ("wire", "translation", "syndication", "republication")
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_GRADES = (1, 2, 3, 4, 5, 6)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _timestamp() -> Column:
    return Column(DateTime(timezone=True), nullable=False)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


def _graded() -> tuple[CheckConstraint, CheckConstraint]:
    """The Admiralty grade's two CHECKs: source reliability A–F, information credibility 1–6."""
    return (CheckConstraint("source_reliability IS NULL OR source_reliability IN "
                            "('A', 'B', 'C', 'D', 'E', 'F')", name="source_reliability"),
            CheckConstraint("info_credibility IS NULL OR info_credibility BETWEEN 1 AND 6",
                            name="info_credibility"))


def _fk(target: str, *, nullable: bool, ondelete: str, index: bool = True) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class Party(SQLModel, table=True):
    """A state, body, person, organisation or outlet that takes stances."""

    __table_args__ = (_one_of("kind", PARTY_KINDS, "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(limits.PARTY_NAME), nullable=False, unique=True))
    kind: str = Field(sa_column=Column(String(30), nullable=False))
    country: str | None = Field(default=None, max_length=limits.COUNTRY)
    parent_id: int | None = Field(
        default=None, sa_column=_fk("party.id", nullable=True, ondelete="SET NULL")
    )
    wikidata_id: str | None = Field(default=None, max_length=limits.WIKIDATA_ID)
    description: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class PartyAlias(SQLModel, table=True):
    """One spelling of a party's name, kept as written (北韓 and 北韩 are two rows).

    Lookups go through ``alias_key`` (the spelling folded to one script, case and width);
    the services refuse a key that already belongs to another party, so an alias always
    resolves to one party.
    """

    __tablename__ = "party_alias"

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(sa_column=_fk("party.id", nullable=False, ondelete="CASCADE"))
    alias: str = Field(sa_column=Column(String(limits.PARTY_NAME), nullable=False, unique=True))
    alias_key: str = Field(sa_column=Column(String(limits.PARTY_NAME), nullable=False,
                                          index=True))
    language: str | None = Field(default=None, max_length=limits.LANGUAGE)


class Source(SQLModel, table=True):
    """An article or document; the outlet that publishes it is not a party's stance."""

    __table_args__ = (CheckConstraint(
        "relay_kind IS NULL OR relay_kind IN ('wire', 'translation', 'syndication', "
        "'republication')", name="relay_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, sa_column=Column(String(limits.URL), unique=True))
    outlet: str | None = Field(default=None, max_length=limits.OUTLET)
    title: str | None = None
    author: str | None = Field(default=None, max_length=limits.AUTHOR)
    language: str | None = Field(default=None, max_length=limits.LANGUAGE)
    published_on: date | None = None
    retrieved_on: date | None = None
    archive_url: str | None = Field(default=None, max_length=limits.URL)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    # The source this one relays (a wire copy, translation, syndication, republication):
    # both count as one independent origin of what they report. No ON DELETE: sources
    # are never deleted, and SQLite cannot reflect it on a column added by ALTER TABLE.
    relays_source_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("source.id"), index=True))
    relay_kind: str | None = Field(default=None, max_length=20)


class Claim(SQLModel, table=True):
    """A statement about the world, with its optional quantity and the period it is about."""

    __table_args__ = (
        _one_of("status", STATUSES, "status"),
        CheckConstraint("verdict IS NULL OR verdict IN ('true', 'mostly_true', 'misleading', "
                        "'mostly_false', 'false', 'unproven')", name="verdict"),
        CheckConstraint("quantity_low IS NULL OR quantity_low >= 0", name="quantity_low"),
        CheckConstraint("quantity_high IS NULL OR quantity_high >= 0", name="quantity_high"),
        # Only live claims: `list --contested` counts and pages them from the index alone.
        # Migration 0005 gives PostgreSQL the same WHERE; saying postgresql_where here
        # would load SQLAlchemy's PostgreSQL dialect on every start (20 ms of each command).
        Index("ix_claim_live_status_id", "status", "id", sqlite_where=LIVE),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = Field(default=None, sa_column=Column(String(limits.CLAIM_REF), unique=True))
    text: str
    language: str | None = Field(default=None, max_length=limits.LANGUAGE)
    quantity_text: str | None = Field(default=None, max_length=limits.QUANTITY_TEXT)
    quantity_low: float | None = None
    quantity_high: float | None = None
    quantity_unit: str | None = Field(default=None, max_length=limits.QUANTITY_UNIT)
    quantity_approximate: bool = False
    period_start: date | None = Field(default=None, index=True)
    period_end: date | None = None
    status: str = Field(default="unverified", sa_column=Column(String(20), nullable=False))
    verdict: str | None = Field(default=None, max_length=20)
    verdict_note: str | None = None
    match_form: str | None = Field(default=None, sa_column=Column(Text))
    match_key: str | None = Field(default=None, sa_column=Column(String(limits.MATCH_KEY),
                                                                  index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    deleted_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True, index=True)
    )
    deleted_by: str | None = Field(default=None, max_length=limits.ACTOR)


class ClaimWording(SQLModel, table=True):
    """Another way a source words the same claim, kept verbatim."""

    __tablename__ = "claim_wording"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(sa_column=_fk("claim.id", nullable=False, ondelete="CASCADE"))
    text: str
    language: str | None = Field(default=None, max_length=limits.LANGUAGE)
    source_id: int | None = Field(
        default=None, sa_column=_fk("source.id", nullable=True, ondelete="SET NULL")
    )
    match_form: str | None = Field(default=None, sa_column=Column(Text))
    match_key: str | None = Field(default=None, sa_column=Column(String(limits.MATCH_KEY),
                                                                  index=True))


class ClaimSource(SQLModel, table=True):
    """A source that reports a claim, whether or not it records a stance on it."""

    __tablename__ = "claim_source"

    claim_id: int = Field(
        sa_column=Column(Integer, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    )
    source_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("source.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class Stance(SQLModel, table=True):
    """A party asserting, denying… a claim, as reported by a source, with the quote."""

    __table_args__ = (
        _one_of("kind", STANCE_KINDS, "kind"),
        Index("ix_stance_party_id_kind", "party_id", "kind"),
        *_graded(),
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(sa_column=_fk("claim.id", nullable=False, ondelete="CASCADE"))
    party_id: int = Field(
        sa_column=_fk("party.id", nullable=False, ondelete="RESTRICT", index=False)
    )
    source_id: int | None = Field(
        default=None, sa_column=_fk("source.id", nullable=True, ondelete="SET NULL")
    )
    kind: str = Field(sa_column=Column(String(30), nullable=False))
    quote: str | None = None
    quote_language: str | None = Field(default=None, max_length=limits.LANGUAGE)
    stated_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    # The party whose statement this stance passes on (a ministry relaying an agency).
    relays_party_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("party.id"), index=True))
    source_reliability: str | None = Field(default=None, max_length=1)
    info_credibility: int | None = None


class Evidence(SQLModel, table=True):
    """What a source offers for or against a claim."""

    __table_args__ = (_one_of("bearing", BEARINGS, "bearing"), *_graded())

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(sa_column=_fk("claim.id", nullable=False, ondelete="CASCADE"))
    source_id: int | None = Field(
        default=None, sa_column=_fk("source.id", nullable=True, ondelete="SET NULL")
    )
    description: str
    bearing: str = Field(sa_column=Column(String(20), nullable=False))
    quote: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    source_reliability: str | None = Field(default=None, max_length=1)
    info_credibility: int | None = None


class MergeRecord(SQLModel, table=True):
    """One merge of duplicate claims into a kept claim, with what it needs to be undone.

    ``snapshot`` is JSON: the rows of the merged claims as they were, the original claim
    of every stance, piece of evidence and wording that moved, and the rows the merge
    added, so that ``unmerge`` restores exactly what was there.
    """

    __tablename__ = "merge_record"

    id: int | None = Field(default=None, primary_key=True)
    kept_claim_id: int = Field(sa_column=Column(Integer, nullable=False, index=True))
    merged_claim_ids: str = Field(sa_column=Column(Text, nullable=False))
    score: float | None = None
    actor: str = Field(max_length=limits.ACTOR)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    undone_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    undone_by: str | None = Field(default=None, max_length=limits.ACTOR)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))


class MatchRejection(SQLModel, table=True):
    """A reviewer's decision that two claims are not the same claim."""

    __tablename__ = "match_rejection"
    __table_args__ = (
        UniqueConstraint("claim_low_id", "claim_high_id"),
        CheckConstraint("claim_low_id < claim_high_id", name="ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_low_id: int = Field(sa_column=_fk("claim.id", nullable=False, ondelete="CASCADE"))
    claim_high_id: int = Field(sa_column=_fk("claim.id", nullable=False, ondelete="CASCADE"))
    actor: str = Field(max_length=limits.ACTOR)
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class AuditEntry(SQLModel, table=True):
    """One write to the ledger: when, by whom, what, and the values that changed.

    ``details`` is JSON. Entries are only ever added, never changed.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_actor_at", "actor", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(
        DateTime(timezone=True), nullable=False, index=True))
    actor: str = Field(max_length=limits.ACTOR)
    command: str | None = Field(default=None, max_length=limits.KEYWORD)
    action: str = Field(max_length=limits.KEYWORD)
    entity: str = Field(max_length=limits.KEYWORD)
    entity_id: int | None = None
    claim_id: int | None = Field(default=None, sa_column=Column(Integer, index=True))
    details: str | None = Field(default=None, sa_column=Column(Text))


class ClaimVector(SQLModel, table=True):
    """A claim text's (or wording's) sentence vector, for matching across languages.

    Stored per record with the model that made it and a hash of the exact text, so a
    changed text or a new model is re-encoded and nothing else is. ``figure_key`` (the
    figures the text states) blocks the semantic search: claims that state different
    figures are never compared.
    """

    __tablename__ = "claim_vector"
    __table_args__ = (Index("ix_claim_vector_model_figures", "model", "figure_key"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(sa_column=_fk("claim.id", nullable=False, ondelete="CASCADE"))
    wording_id: int | None = Field(
        default=None, sa_column=_fk("claim_wording.id", nullable=True, ondelete="CASCADE"))
    model: str = Field(max_length=80)
    text_hash: str = Field(max_length=32)
    figure_key: str = Field(default="", max_length=limits.MATCH_KEY)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ClaimSeries(SQLModel, table=True):
    """Claims a person confirmed measure the same thing (same quantity, unit, subject and
    parties) with different figures or periods: linked, never merged."""

    __tablename__ = "claim_series"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    label: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    actor: str = Field(max_length=limits.ACTOR)


class ClaimSeriesMember(SQLModel, table=True):
    """One claim in one series; a claim belongs to at most one series."""

    __tablename__ = "claim_series_member"

    series_id: int = Field(sa_column=Column(
        Integer, ForeignKey("claim_series.id", ondelete="CASCADE"), primary_key=True))
    claim_id: int = Field(sa_column=Column(
        Integer, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True, unique=True))


class ClaimSupersession(SQLModel, table=True):
    """An older claim replaced by a newer one, with the reason; both are kept. A table
    of its own (not a column of ``claim``) so a merge that removes either claim removes
    the link with it."""

    __tablename__ = "claim_supersession"

    claim_id: int = Field(sa_column=Column(
        Integer, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True))
    superseded_by_id: int = Field(sa_column=_fk("claim.id", nullable=False, ondelete="CASCADE"))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(max_length=limits.ACTOR)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
