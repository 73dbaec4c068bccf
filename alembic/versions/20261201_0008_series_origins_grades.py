"""Series of estimates, origins of sources and stances, Admiralty grades.

- ``claim_series`` and ``claim_series_member``: claims a person confirmed measure the
  same thing with different figures (linked, never merged);
- ``claim_supersession``: a newer claim replaces an older one, which is kept (a table,
  so that a merge deleting either claim deletes the link by cascade);
- ``source.relays_source_id`` and ``source.relay_kind``: a wire copy, translation,
  syndication or republication of another source (one independent origin with it);
- ``stance.relays_party_id``: the stance passes on another party's statement;
- ``source_reliability`` (A–F) and ``info_credibility`` (1–6) on stance and evidence.

The new columns are added with ``ALTER TABLE … ADD COLUMN`` and their constraints
written inline, which SQLite and PostgreSQL both accept: no table is rebuilt, so
SQLite's AUTOINCREMENT (0006) and the views (0004) are untouched. SQLite (3.35+) drops
such a column again, inline CHECK and REFERENCES included, once its index is gone. The
two REFERENCES carry no ON DELETE: SQLite's reflection cannot read one back from a
column constraint, and parties and sources are never deleted.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELIABILITY = "CHECK ({column} IS NULL OR {column} IN ('A', 'B', 'C', 'D', 'E', 'F'))"
CREDIBILITY = "CHECK ({column} IS NULL OR {column} BETWEEN 1 AND 6)"

# (table, column, SQL type and inline constraints)
NEW_COLUMNS = (
    ("source", "relays_source_id", "INTEGER CONSTRAINT fk_source_relays_source_id_source "
     "REFERENCES source (id)"),
    ("source", "relay_kind", "VARCHAR(20) CONSTRAINT ck_source_relay_kind CHECK (relay_kind IS "
     "NULL OR relay_kind IN ('wire', 'translation', 'syndication', 'republication'))"),
    ("stance", "relays_party_id", "INTEGER CONSTRAINT fk_stance_relays_party_id_party "
     "REFERENCES party (id)"),
    *((table, "source_reliability", f"VARCHAR(1) CONSTRAINT ck_{table}_source_reliability "
       + RELIABILITY.format(column="source_reliability")) for table in ("stance", "evidence")),
    *((table, "info_credibility", f"INTEGER CONSTRAINT ck_{table}_info_credibility "
       + CREDIBILITY.format(column="info_credibility")) for table in ("stance", "evidence")),
)
NEW_INDEXES = (("source", "relays_source_id"), ("stance", "relays_party_id"))


def upgrade() -> None:
    for table, column, definition in NEW_COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    for table, column in NEW_INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])
    op.create_table(
        "claim_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_series")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "claim_series_member",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["claim_series.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_series_member_series_id_claim_series")),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_series_member_claim_id_claim")),
        sa.PrimaryKeyConstraint("series_id", "claim_id", name=op.f("pk_claim_series_member")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_claim_series_member_claim_id")),
    )
    op.create_table(
        "claim_supersession",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_supersession_claim_id_claim")),
        sa.ForeignKeyConstraint(["superseded_by_id"], ["claim.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_supersession_superseded_by_id_claim")),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_supersession")),
    )
    op.create_index(op.f("ix_claim_supersession_superseded_by_id"), "claim_supersession",
                    ["superseded_by_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_supersession_superseded_by_id"),
                  table_name="claim_supersession")
    op.drop_table("claim_supersession")
    op.drop_table("claim_series_member")
    op.drop_table("claim_series")
    for table, column in NEW_INDEXES:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    for table, column, _ in reversed(NEW_COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
