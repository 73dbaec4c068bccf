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
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from nkru_claims.cli import GLOBAL_OPTIONS_WITH_VALUES
from nkru_claims.errors import NkruError, NotFound

# Commands that may start a new database; every other command needs an existing one, so
# a mistyped --db is an error naming the path rather than a new empty ledger.
CREATING_COMMANDS = frozenset({"add", "import", "demo", "party add", "source add", "extract"})


def hoist_global_options(args: list[str]) -> list[str]:
    """``list --db x.db`` as ``--db x.db list``: global options may follow the command."""
    hoisted: list[str] = []
    rest: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest += args[position:]
            break
        if arg in GLOBAL_OPTIONS_WITH_VALUES and position + 1 < len(args):
            hoisted += args[position:position + 2]
            position += 2
            continue
        if arg.split("=", 1)[0] in GLOBAL_OPTIONS_WITH_VALUES and "=" in arg:
            hoisted.append(arg)
        else:
            rest.append(arg)
        position += 1
    return hoisted + rest


class GlobalOptionsAnywhere(TyperGroup):
    """The top-level group: accepts --db and --as before or after the command name."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))


class OneLineErrors(GlobalOptionsAnywhere):
    """The root command: every parameter checked by one rule, every error one line.

    - An integer option or argument (an ID, ``--limit``, ``--after``) must lie within its
      declared minimum (else 1) and 2^31 − 1, PostgreSQL's INTEGER: a larger one would
      overflow SQLite and fail PostgreSQL deep inside a query.
    - A text option or argument must be storable text: no NUL, and valid UTF-8 (an
      argument that is not arrives as lone surrogates, which no database encodes).
    - A usage error is one line (``Error: …``) with the help hint on that line, and a
      core error escaping a command's own handling is one line too.
    The checks are attached here, once, to every command and subcommand, so a new
    command cannot forget them.
    """

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        _guard_parameters(self)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from typer._click.exceptions import ClickException, NoArgsIsHelpError
        from typer.exceptions import Abort

        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as exc:  # the help text itself, as before
            exc.show()
            sys.exit(exc.exit_code)
        except ClickException as exc:
            context = getattr(exc, "ctx", None)
            hint = f" (see '{context.command_path} -h')" if context is not None else ""
            typer.echo(f"Error: {_one_line(exc.format_message())}{hint}", err=True)
            sys.exit(exc.exit_code)
        except NkruError as exc:
            typer.echo(f"Error: {_one_line(str(exc))}", err=True)
            sys.exit(1)
        except Abort:
            typer.echo("Error: aborted; nothing was written", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _guard_parameters(command: Any) -> None:
    """Wrap the callback of every parameter of ``command`` and its subcommands, once."""
    for param in getattr(command, "params", ()):
        if not getattr(param, "_nkru_guarded", False):
            param.callback = _checked(param.callback)
            param._nkru_guarded = True
            _plain_list_metavar(param)
    for sub in getattr(command, "commands", {}).values():
        _guard_parameters(sub)


def _plain_list_metavar(param: Any) -> None:
    """A repeatable option shows its item type in help (``<str>``), not ``<list[str]>``."""
    descriptor = getattr(param, "type_descriptor", None)
    if getattr(param, "metavar", None) is None and getattr(descriptor, "is_list", False):
        bare = param.bare_type() if hasattr(param, "bare_type") else "list[str]"
        item = bare[5:-1] if bare.startswith("list[") and bare.endswith("]") else bare
        if getattr(param, "param_type_name", "") == "option":
            param.metavar = f"<{item}>"
        else:  # an argument's metavar would replace its name; its type line says it
            param.display_type = lambda ctx, shown=f"<{item}>...": shown


def _checked(callback: Any) -> Any:
    def check(ctx: Any, param: Any, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else (value,):
            _check_value(param, item)
        return callback(ctx, param, value) if callback is not None else value

    return check


def _check_value(param: Any, value: Any) -> None:
    from typer._click.exceptions import BadParameter

    from nkru_claims.limits import MAX_ID, unstorable

    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
        low = info.min if info is not None and info.min is not None else 1
        if not low <= value <= MAX_ID:
            shown = str(value) if len(str(value)) <= 30 else str(value)[:27] + "…"
            raise BadParameter(f"{shown} is out of range: it must be from {low} to {MAX_ID}",
                               param=param)
    elif isinstance(value, str):
        problem = unstorable(value)
        if problem is not None:
            raise BadParameter(f"the value {problem}", param=param)


app = typer.Typer(
    name="nkru-claims",
    cls=OneLineErrors,
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
    # A SQLite file this command is creating, and the folders it makes for it: kept and
    # announced if the command wrote something, removed if it did not.
    new_file: Path | None = None
    new_folders: list[Path] = field(default_factory=list)

    @property
    def actor(self) -> str:
        """Who is making the change: --as, then $NKRU_CLAIMS_USER, then the OS user."""
        import getpass
        import os

        from nkru_claims.config import ACTOR_ENV_VAR
        from nkru_claims.limits import ACTOR, check_text

        if self.acting_as:
            return check_text(self.acting_as, "--as", ACTOR)
        try:
            found = os.environ.get(ACTOR_ENV_VAR) or getpass.getuser()
        except Exception:  # no user name for this uid (some containers)
            return "unknown"
        return check_text(found, f"${ACTOR_ENV_VAR}", ACTOR)

    @property
    def url(self) -> str:
        from nkru_claims.config import database_url

        return database_url(self.db)

    def get_engine(self, *, may_create: bool = False) -> Any:
        """The database, at head. Only a command that writes (``may_create``) may create
        it; one that reads gets one line naming the missing path."""
        if self.engine is None:
            from nkru_claims.db import missing_folders, open_database, sqlite_path

            url = self.url
            path = sqlite_path(url)
            if may_create and path is not None and not path.exists():
                self.new_file, self.new_folders = path, missing_folders(path)
            with user_errors():
                self.engine = open_database(url, create=may_create)
        return self.engine

    def close(self) -> None:
        """Close the connections once the command is done (a server logs no dropped
        client, and ``main`` may then leave without tearing the interpreter down).

        A database this command created is announced once if the command wrote to it,
        and removed if it did not (a failed import leaves no empty file behind)."""
        if self.engine is None:
            return
        from nkru_claims.db import discard_sqlite_file, ledger_is_empty

        keep = self.new_file is None or not ledger_is_empty(self.engine)
        self.engine.dispose()
        self.engine = None
        if self.new_file is None:
            return
        if keep:
            typer.echo(f"Created a new database at {self.new_file.absolute()}", err=True)
        else:
            discard_sqlite_file(self.new_file, self.new_folders)
        self.new_file, self.new_folders = None, []


def _print_version(asked: bool) -> None:
    """--version: answered before any command runs or any database is opened."""
    if asked:
        from nkru_claims import __version__

        typer.echo(f"nkru-claims {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or SQLAlchemy URL, before or after the command (default: "
            "$NKRU_CLAIMS_DB, then a per-user file; 'nkru-claims info' shows which).",
            show_default=False,
        ),
    ] = None,
    acting_as: Annotated[
        str | None,
        typer.Option("--as", help="Who is making the change (default: $NKRU_CLAIMS_USER, "
                     "then your login name).", show_default=False),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version,
                     help="Print the version and exit."),
    ] = False,
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
        name = command_name(ctx)
        engine = state.get_engine(may_create=name in CREATING_COMMANDS)
        try:
            with session_scope(engine) as session:
                begin_audit(session, actor=state.actor, command=name)
                yield session
        except NotFound as missing:
            raise explain_not_found(state, missing) from None


def explain_not_found(state: State, missing: NotFound) -> NotFound:
    """A missing record, said in full: a claim merged into another names that claim, and
    anything else missing names the database looked in (a mistyped --db shows)."""
    import re

    from nkru_claims.config import database_label

    found = re.fullmatch(r"no (\w+) with id (\d+)", str(missing))
    if found is None:
        return missing
    if found[1] == "claim":
        from nkru_claims.db import session_scope
        from nkru_claims.services.merges import merged_into

        with session_scope(state.get_engine()) as session:
            now = merged_into(session, int(found[2]))
        if now is not None:
            kept, merge_id = now
            return NotFound(f"claim #{found[2]} was merged into #{kept}: use {kept} "
                            f"('nkru-claims unmerge {merge_id}' splits them again)")
    return NotFound(f"{missing} in {database_label(state.url)}")


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


@contextmanager
def readable(path: str) -> Iterator[None]:
    """A file that cannot be read, as one line: missing, not UTF-8, or refused."""
    try:
        yield
    except FileNotFoundError:
        raise fail(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}") from None


def complete_from(*values: str, model_list: str | None = None):  # noqa: ANN201
    """Shell completion that offers the values a parameter takes (stance kinds, verdicts,
    statuses, formats) instead of file names. ``model_list`` names a tuple in
    ``nkru_claims.models``, imported only when a shell asks for completions."""

    def complete(incomplete: str) -> list[str]:
        choices = list(values)
        if model_list:
            from nkru_claims import models

            choices += list(getattr(models, model_list))
        return [c for c in choices if c.startswith(incomplete)]

    return complete
