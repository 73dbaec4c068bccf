"""Every command explains itself."""

from __future__ import annotations

import pytest
import typer.main

from nkru_claims.cli import app


def is_group(command) -> bool:  # noqa: ANN001
    return hasattr(command, "commands")


def all_commands(group, prefix: tuple[str, ...] = ()):  # noqa: ANN001, ANN201
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if is_group(command):
            yield from all_commands(command, (*prefix, name))


def test_every_command_has_help_with_an_example(runner) -> None:  # noqa: ANN001
    root = typer.main.get_command(app)
    commands = list(all_commands(root))
    assert {"add", "stance", "list", "show", "report", "import", "export", "demo"} <= {
        path[0] for path, _ in commands
    }
    for path, command in commands:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        if not is_group(command):
            assert command.help and "Example:" in command.help, path


def test_each_command_knows_its_module_and_runs_with_only_that_module(tmp_path) -> None:  # noqa: ANN001
    """A run imports only its command's module; the map must name every command."""
    import subprocess
    import sys

    from nkru_claims.cli import COMMAND_MODULES, command_in

    root = typer.main.get_command(app)
    assert set(root.commands) == set(COMMAND_MODULES)
    db = str(tmp_path / "claims.db")
    from nkru_claims.db import open_database  # a read command never creates a database

    open_database(f"sqlite:///{db}", create=True).dispose()
    assert command_in(["--db", db, "--as", "me", "list", "--json"]) == "list"
    assert command_in([f"--db={db}", "party", "show", "x"]) == "party"
    assert command_in(["--help"]) is None and command_in(["lst"]) is None
    for args in (["list", "--json"], ["party", "list", "--json"], ["source", "list"]):
        probe = (f"import sys; from nkru_claims.cli import run; code = run(['--db', {db!r}, "
                 f"*{args!r}])\nfrom nkru_claims.cli import COMMAND_MODULES as c\n"
                 "loaded = sorted(m for m in set(c.values()) if 'nkru_claims.cli.' + m in "
                 "sys.modules)\nprint(code, loaded)")
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True).stdout.strip().splitlines()[-1]
        assert out == f"0 {[COMMAND_MODULES[args[0]]]!r}", out
    typo = subprocess.run([sys.executable, "-m", "nkru_claims", "--db", db, "lst"],
                          capture_output=True, text=True)
    assert typo.returncode == 2 and "No such command" in typo.stderr


@pytest.mark.parametrize(("args", "incomplete", "expected"), [
    (["stance", "3", "Kremlin"], "de", ["denies", "declines_to_comment"]),
    (["verdict", "3"], "mostly", ["mostly_true", "mostly_false"]),
    (["list", "--status"], "con", ["contested"]),
    (["report", "--format"], "h", ["html"]),
])
def test_completion_offers_values_not_file_names(args, incomplete, expected) -> None:  # noqa: ANN001
    """As a shell asks: the installed command with the completion variables set."""
    import os
    import subprocess
    import sys

    words = ["nkru-claims", *args, incomplete]
    env = {**os.environ, "_NKRU_CLAIMS_COMPLETE": "complete_bash",
           "COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}
    done = subprocess.run([sys.executable, "-m", "nkru_claims"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert sorted(done.stdout.split()) == sorted(expected), done.stderr
