"""Stored quantities re-read by the figure reader of this version, where it reads them
differently; each change is in the audit log, and downgrade puts the old values back.

Earlier readers recorded wrong figures from forms they did not know: 2萬8000 as 8,000,
200多万 as 10,000, a vague 数百万 with no upper bound. A quantity keeps the words it was
read from (``quantity_text``), so reading them again corrects the figure without
guessing; a text the reader cannot read any more keeps its figure, unchanged.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 19:00:00
"""

import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTION = "reread-quantity"
claim = sa.table(
    "claim", sa.column("id", sa.Integer), sa.column("quantity_text", sa.String),
    sa.column("quantity_low", sa.Float), sa.column("quantity_high", sa.Float),
    sa.column("quantity_unit", sa.String), sa.column("quantity_approximate", sa.Boolean),
)
audit = sa.table(
    "audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String), sa.column("command", sa.String),
    sa.column("action", sa.String), sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer), sa.column("claim_id", sa.Integer),
    sa.column("details", sa.Text),
)
FIELDS = ("quantity_low", "quantity_high", "quantity_unit", "quantity_approximate")


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


def upgrade() -> None:
    from nkru_claims.matching.figures import read_figures

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(claim).where(claim.c.quantity_text.is_not(None))).mappings().all()
    for row in rows:
        found = read_figures(row["quantity_text"]).main
        if found is None:
            continue  # unreadable now: keep what was recorded rather than lose it
        # "approximate" may come from words around the quantity (估算有 500萬發): only
        # the figure itself is re-read, and an approximate one stays approximate
        new = {"quantity_low": found.low, "quantity_high": found.high,
               "quantity_unit": found.unit or row["quantity_unit"],
               "quantity_approximate": bool(found.approximate or row["quantity_approximate"])}
        old = {name: row[name] for name in FIELDS}
        if all(_same(old[name], new[name]) for name in FIELDS[:3]):
            continue
        connection.execute(claim.update().where(claim.c.id == row["id"]).values(**new))
        connection.execute(audit.insert().values(
            at=datetime.now(UTC), actor="nkru-claims migration 0009", command="upgrade",
            action=ACTION, entity="claim", entity_id=row["id"], claim_id=row["id"],
            details=json.dumps({"text": row["quantity_text"], "before": old, "after": new},
                               ensure_ascii=False)))


def downgrade() -> None:
    connection = op.get_bind()
    entries = connection.execute(sa.select(audit.c.id, audit.c.entity_id, audit.c.details)
                                 .where(audit.c.action == ACTION)).all()
    for entry_id, claim_id, details in entries:
        before = json.loads(details)["before"]
        connection.execute(claim.update().where(claim.c.id == claim_id).values(
            **{name: before[name] for name in FIELDS}))
        connection.execute(audit.delete().where(audit.c.id == entry_id))
