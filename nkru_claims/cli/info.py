"""``info``: which database a command would use, and what it holds.

An analyst with several ledgers (a test copy, the team's PostgreSQL, a demo file) needs
to see which one --db, NKRU_CLAIMS_DB or the per-user default picks before trusting an
answer such as "No claims match."
"""

from typing import Annotated

import typer

from nkru_claims.cli.base import State, app, echo_json, user_errors


def database_info(state: State) -> dict[str, object]:
    """Where the database is, how it was chosen, its schema revision and its counts."""
    import os

    from nkru_claims.config import ENV_VAR, database_label
    from nkru_claims.db import SCHEMA_HEAD, ledger_counts, sqlite_path, stored_revision

    engine = state.get_engine()
    url = state.url
    path = sqlite_path(url)
    chosen_by = "--db" if state.db else ENV_VAR if os.environ.get(ENV_VAR) else "default"
    revision = stored_revision(engine)
    return {
        "database": database_label(url),
        "backend": engine.dialect.name,
        "chosen_by": chosen_by,
        "size_bytes": path.stat().st_size if path is not None else None,
        "schema_revision": revision,
        "schema_current": revision == SCHEMA_HEAD,
        "counts": ledger_counts(engine),
    }


@app.command("info")
def info_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show which database is in use (path, or URL without the password), how it was
    chosen, its schema revision, and how many claims, stances, parties… it holds.

    Never creates a database: a missing file is an error naming the path.
    Example: nkru-claims --db team.db info
    """
    with user_errors():
        info = database_info(ctx.obj)
    if as_json:
        echo_json(info)
        return
    size = f", {info['size_bytes'] / 1e6:.1f} MB" if info["size_bytes"] is not None else ""
    chosen = {"--db": "from --db", "default": "the per-user default"}.get(
        str(info["chosen_by"]), f"from ${info['chosen_by']}")
    current = "current" if info["schema_current"] else "not current"
    typer.echo(f"Database: {info['database']} ({info['backend']}{size}; {chosen})")
    typer.echo(f"Schema:   revision {info['schema_revision']} ({current})")
    counts: dict[str, int] = info["counts"]  # type: ignore[assignment]
    width = max(len(label) for label in counts)
    for label, count in counts.items():
        typer.echo(f"  {label.capitalize():<{width}}  {count:>9,}")
