"""Shared fixtures.

- Every test runs with ``NKRU_CLAIMS_DB`` pointing into its own temporary folder, so no
  test ever touches a real user database.
- ``db_url`` is parametrised over the backends: a fresh SQLite file (copied from a
  database migrated once per run) and, when a server is reachable, a throw-away
  PostgreSQL database created for this run and dropped after it (tables emptied
  between tests). Without a server the PostgreSQL cases skip with the reason; with
  ``NKRU_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from nkru_claims.db import make_engine, session_scope, upgrade
from nkru_claims.resources import seed_fixture_path

POSTGRES_ADMIN_URL = os.environ.get(
    "NKRU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("NKRU_REQUIRE_POSTGRES") == "1"
SEED_PATH = seed_fixture_path()


@pytest.fixture(autouse=True)
def isolated_database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    default = tmp_path / "default.db"
    monkeypatch.setenv("NKRU_CLAIMS_DB", str(default))
    return default


def _postgres_unavailable_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except ModuleNotFoundError:
        return "psycopg is not installed (pip install 'nkru-claims[postgres]')"
    except Exception as exc:  # any connection failure means: no server here
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server at {make_url(POSTGRES_ADMIN_URL).render_as_string()}: " \
               f"{first_line}"
    return None


def need_postgres() -> None:
    reason = _postgres_unavailable_reason()
    if reason is None:
        return
    if REQUIRE_POSTGRES:
        pytest.fail(f"NKRU_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A throw-away database on the PostgreSQL server, dropped when the run ends."""
    need_postgres()
    name = f"nkru_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_server_url: str) -> str:
    engine = make_engine(postgres_server_url)
    upgrade(engine)
    engine.dispose()
    return postgres_server_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = [row[0] for row in connection.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"
        ))]
        if tables:
            joined = ", ".join(f'"{t}"' for t in tables)
            connection.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """An empty database at head, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "claims.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("migrated_postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def engine(db_url: str):  # noqa: ANN201
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator:  # noqa: ANN001
    """One transaction committed at the end of the test, like a command's."""
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def seeded_url(db_url: str) -> str:
    """A database holding the seed fixtures."""
    from nkru_claims.exchange import import_document, load_document

    engine = make_engine(db_url)
    with session_scope(engine) as session:
        import_document(session, load_document(SEED_PATH.read_text(encoding="utf-8")))
    engine.dispose()
    return db_url


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner, db_url: str):  # noqa: ANN201
    """Run ``nkru-claims --db <db_url> ARGS…`` in-process; returns the click Result."""
    from nkru_claims.cli import app

    def run(*args: str, input: str | None = None):  # noqa: A002, ANN202
        return runner.invoke(app, ["--db", db_url, *args], input=input)

    return run


@pytest.fixture
def seeded_cli(runner: CliRunner, seeded_url: str):  # noqa: ANN201
    from nkru_claims.cli import app

    def run(*args: str, input: str | None = None):  # noqa: A002, ANN202
        return runner.invoke(app, ["--db", seeded_url, *args], input=input)

    return run


def in_session(url: str, work: Callable[[Any], Any]) -> Any:
    """``work(session)`` in one committed transaction on a new engine, closed afterwards."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return work(session)
    finally:
        engine.dispose()


def copy_fixture(tmp_path: Path) -> Path:
    target = tmp_path / "seed.json"
    shutil.copy(SEED_PATH, target)
    return target


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (a new PostgreSQL database for each test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    need_postgres()
    name = f"nkru_blank_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def table_rows(
    url: str, *, skip: tuple[str, ...] = ("merge_record", "audit_log")
) -> dict[str, list]:
    """Every row of every application table, in a comparable form."""
    from sqlmodel import SQLModel

    engine = make_engine(url)
    rows = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in skip:
                rows[table.name] = sorted(
                    tuple(str(value) for value in row)
                    for row in connection.execute(table.select())
                )
    engine.dispose()
    return rows


def other_script_document() -> dict:
    """The seed claims again, each worded by its first Chinese wording in the other script."""
    import json

    import opencc

    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    to_traditional, to_simplified = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    claims = []
    for claim in document["claims"]:
        wording = next((w for w in claim["wordings"] if w["language"].startswith("zh")), None)
        if wording is None:
            continue
        simplified = wording["language"] == "zh-Hans"
        converter = to_traditional if simplified else to_simplified
        claims.append({
            **claim,
            "ref": f"{claim['ref']}-other-script",
            "text": converter.convert(wording["text"]),
            "language": "zh-Hant" if simplified else "zh-Hans",
            "wordings": [],
        })
    return {**document, "claims": claims}
