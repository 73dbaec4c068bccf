"""The ``nkru-claims`` command: a thin typer layer over the core library."""

from nkru_claims.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
