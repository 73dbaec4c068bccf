"""Every command explains itself."""

from __future__ import annotations

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
