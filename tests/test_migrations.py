"""Migrations: the only way the schema is made, reversible with data in the tables."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlmodel import SQLModel

from nkru_claims.db import (
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    open_database,
    session_scope,
    upgrade,
)
from nkru_claims.exchange import import_document, load_document
from nkru_claims.models import Claim, Party, Stance
from tests.conftest import SEED_PATH

APP_TABLES = {t.name for t in SQLModel.metadata.sorted_tables}


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def row_counts(engine) -> dict[str, int]:  # noqa: ANN001
    names = set(inspect(engine).get_table_names()) & APP_TABLES
    with engine.connect() as connection:
        return {
            name: connection.execute(
                select(func.count()).select_from(SQLModel.metadata.tables[name])
            ).scalar_one()
            for name in sorted(names)
        }


def test_models_and_migrations_agree(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_downgrade_upgrade_with_data(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with session_scope(engine) as session:
        import_document(session, load_document(SEED_PATH.read_text(encoding="utf-8")))
    loaded = row_counts(engine)
    assert loaded["claim"] > 0 and loaded["stance"] > 0

    # Every step down and back up keeps the rows of the tables both revisions have.
    revisions = revisions_oldest_first()
    for newer, older in zip(reversed(revisions[1:]), reversed(revisions[:-1]), strict=True):
        downgrade(engine, older)
        kept = set(row_counts(engine))
        upgrade(engine, newer)
        assert {t: n for t, n in row_counts(engine).items() if t in kept} == {
            t: n for t, n in loaded.items() if t in kept}
        downgrade(engine, older)
        upgrade(engine, "head")

    downgrade(engine, "base")
    assert not set(inspect(engine).get_table_names()) & APP_TABLES
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(row_counts(engine)) == APP_TABLES
    engine.dispose()


def test_first_command_on_a_new_database_brings_it_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'claims.db'}"
    engine = open_database(url)
    assert current_revision(engine) == head_revision()
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Claim)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(Party)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(Stance)).scalar_one() == 0
    engine.dispose()


def test_dedupe_migration_fills_match_keys_of_existing_claims(blank_db_url: str) -> None:
    from sqlalchemy import text

    engine = make_engine(blank_db_url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO claim (text, quantity_approximate, status, created_at, updated_at) "
            "VALUES (:text, false, 'unverified', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ), {"text": "北韓向俄羅斯運送了約6,700個貨櫃"})
    upgrade(engine)
    with engine.connect() as connection:
        form, key = connection.execute(text("SELECT match_form, match_key FROM claim")).one()
    engine.dispose()
    assert key == "6700"
    assert "朝鲜" not in form and "北韩" in form and "containers" in form


def test_the_schema_head_constant_names_the_newest_migration() -> None:
    from nkru_claims.db import SCHEMA_HEAD

    assert SCHEMA_HEAD == head_revision() == revisions_oldest_first()[-1]
