"""Commands that move whole databases: import, export, demo."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nkru_claims.cli.base import State, app, fail, progress, transaction

if TYPE_CHECKING:
    from nkru_claims.exchange import ImportSummary

IMPORT_FORMATS = ("json", "csv")
EXPORT_FORMATS = ("json", "csv", "claimreview")


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with _readable(path):
        return Path(path).read_text(encoding="utf-8-sig")


@contextmanager
def _readable(path: str) -> Iterator[None]:
    """A file that cannot be read, as one line."""
    try:
        yield
    except FileNotFoundError:
        raise fail(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None


def write_output(path: str, text: str, what: str) -> None:
    """Write atomically (a partial file is renamed into place), or to stdout for '-'."""
    if path == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise fail(f"cannot write {path}: {exc.strerror}") from None
    typer.echo(f"{what} written to {path}")


def _format_of(path: str, given: str | None, allowed: tuple[str, ...]) -> str:
    chosen = (given or (Path(path).suffix.lstrip(".").lower() if path != "-" else "") or "json")
    if chosen not in allowed:
        if given is None:
            chosen = "json"
        else:
            raise fail(f"unknown format {given!r}; choose one of: {', '.join(allowed)}")
    return chosen


def import_file(ctx: typer.Context, path: str, file_format: str | None = None,
                skip_bad: bool = False) -> None:
    if _format_of(path, file_format, IMPORT_FORMATS) == "csv":
        _import_csv(ctx, path, _read(path), skip_bad)
        return
    from nkru_claims.json_stream import spooled_stdin

    if path == "-":
        with spooled_stdin() as spooled:
            _import_json(ctx, spooled, origin="-")
    else:
        with _readable(path), open(path, "rb"):
            pass  # a missing file is one line before any database work starts
        _import_json(ctx, path, origin=path)


def _import_json(ctx: typer.Context, path: str, origin: str) -> None:
    """Streamed from the file: memory stays flat however many claims it holds."""
    from nkru_claims.exchange import import_claims
    from nkru_claims.json_stream import read_document

    with transaction(ctx) as session, progress("Importing claims") as report:
        document = read_document(path)
        by_bytes = report and (lambda _done, _total: report(document.position, document.size))
        summary = import_claims(session, document.head, document.claims(), origin=origin,
                                progress=by_bytes or None)
    _echo_imported(summary)


def _import_csv(ctx: typer.Context, path: str, text: str, skip_bad: bool) -> None:
    from nkru_claims.csv_exchange import import_csv

    with transaction(ctx) as session:
        result = import_csv(session, text, skip_bad=skip_bad, origin=path)
    _echo_imported(result)
    for line, reason in result.bad_rows:
        typer.echo(f"Skipped line {line}: {reason}", err=True)


def _echo_imported(summary: "ImportSummary") -> None:
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
    path: Annotated[str, typer.Argument(help="A JSON (exchange format) or CSV file, or -.")],
    file_format: Annotated[str | None, typer.Option(
        "--format", help="json or csv (default: from the file's extension, else json).")]
    = None,
    skip_bad: Annotated[bool, typer.Option(
        "--skip-bad", help="CSV: import the readable rows and list the bad ones.")] = False,
) -> None:
    """Import a file, all or nothing: one bad row or claim and nothing is written.

    CSV files follow the layout in the README (one row per stance); an unreadable row
    is reported with its line number, or skipped with --skip-bad.
    Example: nkru-claims import fixtures/seed.json
    """
    import_file(ctx, path, file_format, skip_bad)


@app.command("export")
def export_command(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Where to write; - for standard output.")],
    file_format: Annotated[str | None, typer.Option(
        "--format", help="json (lossless, the exchange format), csv (claims and stances) or "
        "claimreview (schema.org JSON-LD for claims with a verdict).")] = None,
    base_url: Annotated[str | None, typer.Option(
        help="claimreview: where your published reviews live, e.g. https://example.org")]
    = None,
) -> None:
    """Export the database: JSON (lossless), CSV, or schema.org ClaimReview.

    Example: nkru-claims export claims.csv --format csv
    """
    chosen = _format_of(path, file_format, EXPORT_FORMATS)
    with transaction(ctx) as session, progress("Exporting"):
        if chosen == "csv":
            from nkru_claims.csv_exchange import export_csv

            text = export_csv(session)
        elif chosen == "claimreview":
            from nkru_claims.claimreview import claimreview_json

            text = claimreview_json(session, base_url=base_url)
        else:
            from nkru_claims.exchange import dump_document, export_document

            text = dump_document(export_document(session))
    write_output(path, text, "Export")


@app.command("demo")
def demo_command(
    ctx: typer.Context,
    report_format: Annotated[str, typer.Option(
        "--format", help="terminal, md or json.")] = "terminal",
    html: Annotated[str | None, typer.Option(
        "--html", help="Also write the HTML report (matrix, timeline, sources) here.")] = None,
) -> None:
    """Load the seed fixtures into a fresh database and print who asserts versus who denies.

    Uses --db when given (so you can keep exploring it), else a temporary SQLite file.
    Example: nkru-claims --db demo.db demo --html report.html
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
        if html:
            print_report(ctx, "html", html)
        if temporary is None:
            typer.echo(f"\nThe database is {state.db}: try "
                       f"'nkru-claims --db {state.db} list --contested'.")
    finally:
        if state.engine is not None:
            state.engine.dispose()
        if temporary is not None:
            temporary.cleanup()
