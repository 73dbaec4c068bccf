"""Engines, one-transaction-per-command sessions, and migrations through alembic's API.

- SQLite gets foreign keys, WAL and a busy timeout on every connection, so several
  processes can write to one file without a user ever seeing "database is locked".
- The schema is created only by alembic migrations. They ship inside the installed
  package (``nkru_claims/_migrations``, force-included from the top-level ``alembic/``
  folder when the wheel is built); an editable install falls back to the source tree.
- ``open_database`` brings a database to head the first time a command touches it and
  does nothing more than compare one revision string when it is already at head.
- Only a command that writes may create a database (``create=True``): a mistyped path
  given to a command that reads is one line naming it, never a new empty file.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import Session

from nkru_claims import status as _status  # noqa: F401  (registers the status hooks)
from nkru_claims.config import redact_url
from nkru_claims.errors import InvalidInput, NkruError

SQLITE_BUSY_TIMEOUT_MS = 30_000
# The newest migration. Checked against the alembic scripts by a test; comparing the
# database's alembic_version with it keeps alembic out of every command's start-up.
SCHEMA_HEAD = "0009"


class DatabaseUnavailable(NkruError):
    """The database cannot be opened or reached."""


class DatabaseMissing(DatabaseUnavailable):
    """A command that only reads was pointed at a database that does not exist yet."""


def migrations_path() -> Path:
    """The alembic script folder, inside the installed package or in the source tree."""
    packaged = Path(__file__).parent / "_migrations"
    if (packaged / "env.py").exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "alembic"


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """``read_only``: for a process that only reads (dedupe's workers); on SQLite its
    transactions then do not take the write lock, which a writer may be holding."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput(f"not a database URL or path: {redact_url(url)}") from None
    if parsed.drivername.startswith("sqlite"):
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"cannot create the folder for {database}: {exc.strerror}"
                ) from None
        engine = create_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_deferred if read_only else _begin_immediate)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError):
        raise InvalidInput(
            f"no driver for {parsed.drivername}: install nkru-claims[postgres] for PostgreSQL"
        ) from None


def _configure_sqlite(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    # Let SQLAlchemy, not the driver, open transactions, so BEGIN IMMEDIATE below holds.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _begin_deferred(connection) -> None:  # noqa: ANN001
    connection.exec_driver_sql("BEGIN")


def _begin_immediate(connection) -> None:  # noqa: ANN001
    # Take the write lock at BEGIN: a deferred transaction that reads and then writes
    # can fail with "database is locked" without waiting for the busy timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(connection=None):  # noqa: ANN001, ANN201
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _migrate(engine: Engine, step: Callable[[Any], None]) -> None:
    """Run an alembic command in one transaction.

    On SQLite, batch migrations rebuild tables (copy, drop, rename); with foreign keys
    enforced, dropping the old table would cascade-delete the rows that point at it. So
    enforcement is off for the migration (it can only be switched outside a
    transaction) and the result is checked with ``foreign_key_check`` before commit.
    """
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                step(alembic_config(connection))
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise DatabaseUnavailable(
                            f"migration left {len(broken)} rows with broken references"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    _migrate(engine, lambda config: command.downgrade(config, revision))


def stored_revision(engine: Engine) -> str | None:
    """The database's alembic revision, read directly (None for a new database)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def missing_folders(path: Path) -> list[Path]:
    """The folders above ``path`` that do not exist yet, deepest first."""
    return [folder for folder in path.absolute().parents if not folder.exists()]


def _sqlite_file_has_ledger(path: Path) -> bool:
    """Whether a SQLite file holds our tables, asked read-only: the engine's connection
    would switch an empty file to WAL, writing to a file a command must leave alone."""
    import sqlite3
    from contextlib import closing

    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as raw:
            return raw.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'alembic_version'").fetchone() is not None
    except sqlite3.Error:  # not a database, unreadable…: the engine says which, in one line
        return True


def open_database(url: str, *, migrate: bool = True, create: bool = True) -> Engine:
    """An engine for ``url`` whose schema is at head (migrating it if needed).

    ``create=False`` (a command that only reads): a SQLite file that does not exist, or a
    database without the ledger's tables, is ``DatabaseMissing`` and nothing is created.
    """
    from nkru_claims.config import database_label

    path = sqlite_path(url)
    if not create and path is not None:
        if not path.exists():
            raise DatabaseMissing(f"no database at {database_label(url)} (check --db and "
                                  "NKRU_CLAIMS_DB; 'add', 'import' or 'demo' create one)")
        if not _sqlite_file_has_ledger(path):
            raise DatabaseMissing(f"{database_label(url)} holds no nkru-claims ledger "
                                  "('add', 'import' or 'demo' set one up)")
    engine = make_engine(url)
    try:
        revision = stored_revision(engine)
        if revision is None and not create:
            engine.dispose()
            raise DatabaseMissing(f"{database_label(url)} holds no nkru-claims ledger "
                                  "('add', 'import' or 'demo' set one up)")
        if migrate and revision != SCHEMA_HEAD:
            upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).splitlines()[0] if exc.orig else "connection failed"
        raise DatabaseUnavailable(
            f"cannot open database {redact_url(url)}: {reason}"
        ) from None
    return engine


# What ``ledger_counts`` counts: (label, table, WHERE); the audit trail records every write.
COUNTED = (
    ("claims", "claim", "deleted_at IS NULL"),
    ("deleted claims", "claim", "deleted_at IS NOT NULL"),
    ("stances", "stance", None),
    ("evidence", "evidence", None),
    ("parties", "party", None),
    ("sources", "source", None),
    ("merges", "merge_record", "undone_at IS NULL"),
    ("audit entries", "audit_log", None),
)


def ledger_counts(engine: Engine) -> dict[str, int]:
    """How many rows of each kind the ledger holds (a database at head)."""
    from sqlalchemy import text

    counts = {}
    with engine.connect() as connection:
        for label, table, where in COUNTED:
            query = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
            counts[label] = connection.execute(text(query)).scalar_one()
    return counts


def ledger_is_empty(engine: Engine) -> bool:
    """True when nothing was ever written: no claim, party or source, no audit entry."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            return not connection.execute(text(
                "SELECT EXISTS (SELECT 1 FROM claim) OR EXISTS (SELECT 1 FROM party) "
                "OR EXISTS (SELECT 1 FROM source) OR EXISTS (SELECT 1 FROM audit_log)"
            )).scalar()
    except DBAPIError:  # no tables: the migration itself failed
        return True


def discard_sqlite_file(path: Path, folders: list[Path]) -> None:
    """Remove a database file a failed command created, and the folders it made for it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    for folder in folders:  # deepest first
        try:
            folder.rmdir()
        except OSError:  # not empty (something else lives there now) or already gone
            break


def highest_id_ever(session: Session, table: str) -> int:
    """The largest ID ``table`` has ever given out, including rows since deleted.

    New IDs must come after it. On SQLite that is the AUTOINCREMENT counter (migration
    0006), which ``max(id)`` is not once the newest row was merged away; PostgreSQL's
    sequences already never go back, so there ``max(id)`` is only a lower bound.
    """
    from sqlalchemy import text

    largest = session.execute(text(f'SELECT max(id) FROM "{table}"')).scalar() or 0
    if session.connection().dialect.name == "sqlite":
        counter = session.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table}
        ).scalar()
        largest = max(largest, counter or 0)
    return largest


PAUSE_ENV_VAR = "NKRU_CLAIMS_PAUSE_BEFORE_COMMIT"


def _pause_before_commit() -> None:
    """Fault injection for the crash-safety tests: wait, with every write flushed but
    not committed, so a test can kill the process at the worst moment."""
    seconds = os.environ.get(PAUSE_ENV_VAR)
    if seconds:
        print("nkru-claims: paused before commit", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back everything on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.flush()
        _pause_before_commit()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def backup_sqlite(engine: Engine, target: Path) -> int:
    """Copy a live SQLite database with the online backup API; returns the pages copied."""
    import sqlite3

    if engine.dialect.name != "sqlite":
        raise InvalidInput("backup copies SQLite databases; for PostgreSQL use pg_dump "
                           "(or 'nkru-claims export FILE')")
    if target.exists():
        raise InvalidInput(f"{target} already exists; choose a new file")
    partial = target.with_name(target.name + ".partial")
    copied = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal copied
        copied = total

    try:
        with engine.connect() as connection:
            source = connection.connection.driver_connection
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination, pages=256, progress=progress)
            finally:
                destination.close()
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"backup to {target} failed: {exc}") from None
    return copied
