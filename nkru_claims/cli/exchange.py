"""Commands that move whole databases: import, export, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from nkru_claims.cli.app import State, app, fail, progress, transaction


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None


def import_file(ctx: typer.Context, path: str) -> None:
    from nkru_claims.exchange import import_document, load_document

    text = _read(path)
    with transaction(ctx) as session, progress("Importing claims") as report:
        summary = import_document(session, load_document(text), origin=path, progress=report)
    skipped = (f", {len(summary.claims_skipped)} already present"
               if summary.claims_skipped else "")
    typer.echo(
        f"Imported {summary.claims_added} claims{skipped}, {summary.stances_added} stances, "
        f"{summary.evidence_added} evidence, {summary.parties_added} new parties, "
        f"{summary.sources_added} new sources"
    )


@app.command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A JSON file in the exchange format, or -.")],
) -> None:
    """Import a file in the exchange format, all or nothing.

    Example: nkru-claims import fixtures/seed.json
    """
    import_file(ctx, path)


@app.command("export")
def export_command(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Where to write; - for standard output.")],
) -> None:
    """Export the whole database in the exchange format (lossless).

    Example: nkru-claims export backup.json
    """
    from nkru_claims.exchange import dump_document, export_document

    with transaction(ctx) as session:
        text = dump_document(export_document(session))
    if path == "-":
        typer.echo(text, nl=False)
        return
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise fail(f"cannot write {path}: {exc.strerror}") from None
    typer.echo(f"Exported to {path}")


@app.command("demo")
def demo_command(
    ctx: typer.Context,
    report_format: Annotated[str, typer.Option(
        "--format", help="terminal, md or json.")] = "terminal",
) -> None:
    """Load the seed fixtures into a fresh database and print who asserts versus who denies.

    Uses --db when given (so you can keep exploring it), else a temporary SQLite file.
    Example: nkru-claims --db demo.db demo
    """
    import tempfile

    from nkru_claims.cli.reports import print_report
    from nkru_claims.resources import seed_fixture_path

    state: State = ctx.obj
    temporary = None
    if state.db is None:
        temporary = tempfile.TemporaryDirectory(prefix="nkru-claims-demo-")
        state.db = str(Path(temporary.name) / "demo.db")
    try:
        import_file(ctx, str(seed_fixture_path()))
        print_report(ctx, report_format)
        if temporary is None:
            typer.echo(f"\nThe database is {state.db}: try "
                       f"'nkru-claims --db {state.db} list --contested'.")
    finally:
        if state.engine is not None:
            state.engine.dispose()
        if temporary is not None:
            temporary.cleanup()
