"""The typer application, its global options, and the rules every command follows.

The commands themselves live in the sibling modules, which add themselves to ``app``
when imported (``nkru_claims.cli.load_commands``).

Each command opens the database, runs one library call inside one transaction
(``transaction``), renders the result, and turns a library error into a single line on
stderr with exit code 1. Anything that is not an ``NkruError`` is a bug and surfaces.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer

from nkru_claims.errors import NkruError

app = typer.Typer(
    name="nkru-claims",
    help="A ledger of claims about the North Korea–Russia military relationship: who asserts, "
    "who denies, in which source.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class State:
    db: str | None = None
    acting_as: str | None = None
    engine: Any = field(default=None, repr=False)

    @property
    def actor(self) -> str:
        """Who is making the change: --as, then $NKRU_CLAIMS_USER, then the OS user."""
        import getpass
        import os

        from nkru_claims.config import ACTOR_ENV_VAR

        if self.acting_as:
            return self.acting_as
        try:
            return os.environ.get(ACTOR_ENV_VAR) or getpass.getuser()
        except Exception:  # no user name for this uid (some containers)
            return "unknown"

    def get_engine(self) -> Any:
        if self.engine is None:
            from nkru_claims.config import database_url
            from nkru_claims.db import open_database

            self.engine = open_database(database_url(self.db))
        return self.engine

    def close(self) -> None:
        """Close the connections once the command is done (a server logs no dropped
        client, and ``main`` may then leave without tearing the interpreter down)."""
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None


@app.callback()
def global_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or SQLAlchemy URL (default: $NKRU_CLAIMS_DB, then a per-user file).",
            show_default=False,
        ),
    ] = None,
    acting_as: Annotated[
        str | None,
        typer.Option("--as", help="Who is making the change (default: $NKRU_CLAIMS_USER, "
                     "then your login name).", show_default=False),
    ] = None,
) -> None:
    ctx.obj = State(db=db, acting_as=acting_as)
    ctx.call_on_close(ctx.obj.close)


LimitOption = Annotated[int | None, typer.Option(
    min=1, help="How many claims to show (default 50).", show_default=False)]
AfterOption = Annotated[int | None, typer.Option(
    "--after", min=0, help="Start after this claim ID (the next page).", show_default=False)]
AllOption = Annotated[bool, typer.Option("--all", help="Every matching claim, no paging.")]


def page_size(limit: int | None, show_all: bool) -> int | None:
    from nkru_claims.config import PAGE_SIZE

    if show_all and limit:
        raise fail("choose one of --limit and --all")
    return None if show_all else (limit or PAGE_SIZE)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the core's errors into one line on stderr and a non-zero exit."""
    try:
        yield
    except NkruError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; nothing was written", code=130) from None


@contextmanager
def transaction(ctx: typer.Context) -> Iterator[Any]:
    """One session, one transaction: committed when the block ends, else rolled back."""
    from nkru_claims.audit import begin_audit
    from nkru_claims.db import session_scope

    with user_errors():
        state: State = ctx.obj
        with session_scope(state.get_engine()) as session:
            begin_audit(session, actor=state.actor, command=command_name(ctx))
            yield session


def command_name(ctx: typer.Context) -> str:
    """'party add', 'import'…: the command as the user typed it, without the program."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


@contextmanager
def progress(description: str) -> Iterator[Any]:
    """A progress callback ``(done, total)`` drawn on stderr when it is a terminal.

    Yields None when output is piped, so scripts and logs get no bar at all.
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def interactive() -> bool:
    """Prompts only when a person is at a terminal; scripts and CI never wait for input."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def json_text(data: Any) -> str:
    """What ``--json`` prints, whether to the terminal or to a file."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def echo_json(data: Any) -> None:
    typer.echo(json_text(data), nl=False)
