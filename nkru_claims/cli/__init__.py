"""The ``nkru-claims`` command: a thin typer layer over the core library."""

import os

# Every command starts a new process, so start-up time is the user's wait. Pydantic
# (under typer and sqlmodel) would scan every installed package for plugins we never
# use; unless the user asks otherwise, skip that.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from nkru_claims.cli.app import app  # noqa: E402


def main() -> None:
    app()


__all__ = ["app", "main"]
