"""The ``nkru-claims`` command: a thin typer layer over the core library.

Each command lives in one module of this package. A run imports only the module of the
command it runs (help and completion import them all): every command is a new process,
and building the other two dozen commands would be a tenth of its start-up.
"""

import contextlib
import importlib
import os

# Pydantic (under typer and sqlmodel) would scan every installed package for plugins we
# never use; unless the user asks otherwise, skip that.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

COMMAND_MODULES = {
    "add": "claims", "stance": "claims", "evidence": "claims", "verdict": "claims",
    "list": "claims", "show": "claims", "report": "reports",
    "import": "exchange", "export": "exchange", "demo": "exchange",
    "dedupe": "dedupe", "compare": "dedupe", "evaluate": "dedupe", "embed": "dedupe",
    "merge": "dedupe", "unmerge": "dedupe", "merges": "dedupe", "distinct": "dedupe",
    "edit": "history", "delete": "history", "restore": "history", "log": "history",
    "backup": "history", "party": "parties", "source": "sources", "info": "info",
    "series": "series", "supersede": "series",
    "edit-stance": "corrections", "delete-stance": "corrections",
    "restore-stance": "corrections", "edit-evidence": "corrections",
    "delete-evidence": "corrections", "restore-evidence": "corrections",
    "undo": "corrections", "extract": "extract",
}  # fmt: skip
GLOBAL_OPTIONS_WITH_VALUES = ("--db", "--as")


def command_in(argv: list[str]) -> str | None:
    """The command an argument list runs, or None (help, completion, anything unclear)."""
    args = iter(argv)
    for arg in args:
        if arg in GLOBAL_OPTIONS_WITH_VALUES:
            next(args, None)
        elif arg.startswith("--") and arg.split("=")[0] in GLOBAL_OPTIONS_WITH_VALUES:
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in COMMAND_MODULES else None
    return None


def load_commands(command: str | None = None) -> None:
    """Import the module of ``command``, or of every command."""
    modules = {COMMAND_MODULES[command]} if command else set(COMMAND_MODULES.values())
    for module in sorted(modules):
        importlib.import_module(f"nkru_claims.cli.{module}")


def run(argv: list[str] | None = None) -> int:
    """Run one command line as the ``nkru-claims`` program does; its exit code."""
    import sys

    from nkru_claims.cli.base import app

    quiet_library_logs()
    args = sys.argv[1:] if argv is None else argv
    completing = "_NKRU_CLAIMS_COMPLETE" in os.environ  # shell completion needs every command
    load_commands(None if completing else command_in(args))
    try:
        app(args=args, prog_name="nkru-claims")
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    return 0


def quiet_library_logs() -> None:
    """Keep the drivers' log records off the user's terminal. With no handler configured,
    Python prints a library's warnings raw on stderr: after Ctrl-C, psycopg's "error
    ignored terminating <Pipeline …>" would come before our one-line error."""
    import logging

    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def main() -> None:
    """The console script. Once the command has finished (its transaction committed or
    rolled back), exit at once: tearing down the interpreter's million objects takes
    longer than many commands take to run."""
    import sys

    code = run()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head)
            stream.flush()
    os._exit(code)


def __getattr__(name: str) -> object:
    """``from nkru_claims.cli import app``: the application with every command."""
    if name == "app":
        from nkru_claims.cli.base import app

        load_commands()
        return app
    raise AttributeError(name)


__all__ = ["COMMAND_MODULES", "app", "command_in", "load_commands", "main", "run"]
