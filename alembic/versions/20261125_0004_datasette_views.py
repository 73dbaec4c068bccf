"""Views for browsing the database in Datasette (or any SQL tool).

- contested_claims: each contested claim with the parties asserting and denying it;
- stance_matrix: one row per stance, with the claim, the party, the source and the quote;
- party_record: per party, how many claims it asserts, denies and questions.

Soft-deleted claims are left out. Only SQL both SQLite and PostgreSQL run, except the
string aggregate (group_concat / string_agg). A later migration that rebuilds one of
these tables on SQLite (batch mode) must drop the views first and create them again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AFFIRMING = "('asserts', 'supports', 'condemns')"


def _aggregate(expression: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"string_agg(DISTINCT {expression}, ', ')"
    return f"group_concat(DISTINCT {expression})"


def upgrade() -> None:
    op.execute(f"""
        CREATE VIEW contested_claims AS
        SELECT c.id, c.text, c.quantity_text, c.period_start, c.period_end, c.verdict,
               (SELECT {_aggregate('p.name')} FROM stance s JOIN party p ON p.id = s.party_id
                 WHERE s.claim_id = c.id AND s.kind IN {AFFIRMING}) AS asserted_by,
               (SELECT {_aggregate('p.name')} FROM stance s JOIN party p ON p.id = s.party_id
                 WHERE s.claim_id = c.id AND s.kind = 'denies') AS denied_by,
               (SELECT count(*) FROM claim_source cs WHERE cs.claim_id = c.id) AS sources
        FROM claim c
        WHERE c.status = 'contested' AND c.deleted_at IS NULL
    """)
    op.execute("""
        CREATE VIEW stance_matrix AS
        SELECT c.id AS claim_id, c.text AS claim, c.status, p.name AS party,
               p.kind AS party_kind, s.kind AS stance, s.stated_on, s.quote,
               src.outlet, src.title AS source_title, src.url AS source_url,
               src.published_on AS source_published_on
        FROM stance s
        JOIN claim c ON c.id = s.claim_id
        JOIN party p ON p.id = s.party_id
        LEFT JOIN source src ON src.id = s.source_id
        WHERE c.deleted_at IS NULL
    """)
    op.execute(f"""
        CREATE VIEW party_record AS
        SELECT p.id, p.name, p.kind, p.country, p.wikidata_id,
               count(DISTINCT CASE WHEN s.kind IN {AFFIRMING} THEN c.id END) AS asserts,
               count(DISTINCT CASE WHEN s.kind = 'denies' THEN c.id END) AS denies,
               count(DISTINCT CASE WHEN s.kind = 'questions' THEN c.id END) AS questions,
               count(DISTINCT CASE WHEN c.status = 'contested' THEN c.id END)
                   AS contested_claims
        FROM party p
        LEFT JOIN stance s ON s.party_id = p.id
        LEFT JOIN claim c ON c.id = s.claim_id AND c.deleted_at IS NULL
        GROUP BY p.id, p.name, p.kind, p.country, p.wikidata_id
    """)


def downgrade() -> None:
    for view in ("party_record", "stance_matrix", "contested_claims"):
        op.execute(f"DROP VIEW IF EXISTS {view}")
