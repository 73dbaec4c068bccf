"""Sentence vectors of claim texts and wordings, for matching across languages.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_vector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("wording_id", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("figure_key", sa.String(length=200), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_vector_claim_id_claim")),
        sa.ForeignKeyConstraint(["wording_id"], ["claim_wording.id"], ondelete="CASCADE",
                                name=op.f("fk_claim_vector_wording_id_claim_wording")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_vector")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_claim_vector_claim_id"), "claim_vector", ["claim_id"])
    op.create_index(op.f("ix_claim_vector_wording_id"), "claim_vector", ["wording_id"])
    op.create_index("ix_claim_vector_model_figures", "claim_vector", ["model", "figure_key"])


def downgrade() -> None:
    op.drop_index("ix_claim_vector_model_figures", table_name="claim_vector")
    op.drop_index(op.f("ix_claim_vector_wording_id"), table_name="claim_vector")
    op.drop_index(op.f("ix_claim_vector_claim_id"), table_name="claim_vector")
    op.drop_table("claim_vector")
