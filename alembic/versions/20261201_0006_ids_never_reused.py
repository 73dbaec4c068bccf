"""IDs are never reused: SQLite tables get AUTOINCREMENT.

Without AUTOINCREMENT SQLite hands out max(id) + 1, so the ID of a claim merged or
deleted at the top of the table went to the next new claim: ``unmerge`` could no longer
restore it and ``log --claim`` mixed two claims' histories. With it, SQLite keeps the
largest ID ever given in ``sqlite_sequence`` and never goes below it.

The upgrade rebuilds each table (batch mode copies the rows with their IDs), then
raises each table's counter to the largest ID the ledger remembers having used: the
audit trail and the merge records name IDs that are no longer in the tables. Views are
dropped before the rebuild and created again from their stored SQL (SQLite checks views
when a table is renamed); indexes are recreated from their stored SQL too, so partial
indexes keep their WHERE.

PostgreSQL needs nothing: its ``SERIAL`` sequences never go back.

Reflection does not see AUTOINCREMENT: a later migration that rebuilds one of these
tables in batch mode must pass ``table_kwargs={"sqlite_autoincrement": True}``
(tests/test_stable_ids.py checks the tables at head).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:50:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows a user names by ID (or that a log entry names), parents first.
STABLE_ID_TABLES = (
    "party", "party_alias", "source", "claim", "claim_wording", "stance", "evidence",
    "merge_record",
)
# The audit trail's name for each table's rows.
AUDIT_ENTITY = {
    "party": "party", "party_alias": "alias", "source": "source", "claim": "claim",
    "claim_wording": "wording", "stance": "stance", "evidence": "evidence",
    "merge_record": "merge",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=True)
    for table in STABLE_ID_TABLES:
        _raise_counter(table, _largest_id_ever_used(table))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    bind = op.get_bind()
    views = bind.execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name")).all()
    for name, _ in views:
        op.execute(f'DROP VIEW "{name}"')
    for table in STABLE_ID_TABLES:
        indexes = bind.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table "
            "AND sql IS NOT NULL"), {"table": table}).all()
        with op.batch_alter_table(
            table, recreate="always",
            table_kwargs={"sqlite_autoincrement": True} if autoincrement else {},
        ):
            pass
        for name, sql in indexes:
            op.execute(f'DROP INDEX IF EXISTS "{name}"')
            op.execute(sql)
    for _, sql in views:
        op.execute(sql)


def _largest_id_ever_used(table: str) -> int:
    """The largest ID in the table, in the audit trail, or (claims) in a merge record."""
    bind = op.get_bind()
    candidates = [
        bind.execute(sa.text(f'SELECT max(id) FROM "{table}"')).scalar(),
        bind.execute(sa.text("SELECT max(entity_id) FROM audit_log WHERE entity = :entity"),
                     {"entity": AUDIT_ENTITY[table]}).scalar(),
    ]
    if table == "claim":
        candidates.append(bind.execute(sa.text("SELECT max(claim_id) FROM audit_log")).scalar())
        for kept, merged in bind.execute(sa.text(
                "SELECT kept_claim_id, merged_claim_ids FROM merge_record")):
            candidates += [kept, *json.loads(merged)]
    return max((int(value) for value in candidates if value is not None), default=0)


def _raise_counter(table: str, largest: int) -> None:
    """Make SQLite's AUTOINCREMENT counter for ``table`` at least ``largest``."""
    if largest <= 0:
        return
    bind = op.get_bind()
    updated = bind.execute(sa.text(
        "UPDATE sqlite_sequence SET seq = max(seq, :largest) WHERE name = :table"),
        {"largest": largest, "table": table}).rowcount
    if not updated:
        bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :largest)"),
                     {"table": table, "largest": largest})
