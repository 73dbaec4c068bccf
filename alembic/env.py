"""Alembic environment for nkru-claims.

The connection comes from the application (``config.attributes["connection"]``, as
``nkru_claims.db`` passes it); run by hand, the URL comes from ``--db``'s environment
variable ``NKRU_CLAIMS_DB`` or the per-user default, never from alembic.ini.
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlmodel import SQLModel

from alembic import context
from nkru_claims import models  # noqa: F401  (the tables, for autogenerate)
from nkru_claims.config import database_url
from nkru_claims.db import make_engine

target_metadata = SQLModel.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(database_url())
    with engine.begin() as fresh:
        run_with(fresh)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
