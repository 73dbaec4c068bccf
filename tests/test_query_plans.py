"""The queries behind `list --contested` and `report` use indexes, not table scans."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from nkru_claims.db import make_engine
from nkru_claims.models import Claim, Stance


def _plan(url: str, statement) -> str:  # noqa: ANN001
    engine = make_engine(url)
    dialect = postgresql.dialect() if engine.dialect.name == "postgresql" else sqlite.dialect()
    sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET enable_seqscan = off"))  # small tables: ask for a plan
            rows = connection.execute(text(f"EXPLAIN {sql}")).all()
        else:
            rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
    engine.dispose()
    return "\n".join(str(row[-1]) for row in rows)


def test_contested_claims_are_found_through_the_status_index(seeded_url: str) -> None:
    statement = (select(Claim.id).where(col(Claim.deleted_at).is_(None),
                                        col(Claim.status).in_(["contested"]))
                 .order_by(Claim.id))
    plan = _plan(seeded_url, statement)
    assert "ix_claim_live_status_id" in plan, plan


def test_a_claims_stances_are_found_through_the_claim_index(seeded_url: str) -> None:
    plan = _plan(seeded_url, select(Stance.id).where(col(Stance.claim_id).in_([1, 2, 3])))
    assert "ix_stance_claim_id" in plan, plan


def test_a_partys_stances_are_found_through_the_party_index(seeded_url: str) -> None:
    plan = _plan(seeded_url, select(Stance.claim_id).where(Stance.party_id == 5,
                                                           Stance.kind == "denies"))
    assert "ix_stance_party_id_kind" in plan, plan
