"""Commands that move whole databases: import, export, demo."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nkru_claims.cli.base import State, app, fail, progress, readable, transaction, user_errors

if TYPE_CHECKING:
    from nkru_claims.exchange import ImportSummary

IMPORT_FORMATS = ("json", "csv")
EXPORT_FORMATS = ("json", "csv", "claimreview")


def _read(path: str) -> str:
    """The file's text with its line endings as written: a CR inside a quoted CSV cell
    is part of the cell, which newline translation would turn into LF."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        with readable("standard input"):
            return stream.read().decode("utf-8-sig") if stream else sys.stdin.read()
    with readable(path), open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


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
                skip_bad: bool = False, dry_run: bool = False) -> None:
    if _format_of(path, file_format, IMPORT_FORMATS) == "csv":
        _import_csv(ctx, path, _read(path), skip_bad, dry_run)
        return
    from nkru_claims.json_stream import spooled_stdin

    if path == "-":
        with spooled_stdin() as spooled:
            _import_json(ctx, spooled, origin="-", dry_run=dry_run)
    else:
        with readable(path), open(path, "rb"):
            pass  # a missing file is one line before any database work starts
        _import_json(ctx, path, origin=path, dry_run=dry_run)


def _import_json(ctx: typer.Context, path: str, origin: str, dry_run: bool = False) -> None:
    """Streamed from the file: memory stays flat however many claims it holds."""
    from nkru_claims.exchange import import_claims
    from nkru_claims.json_stream import read_document

    with transaction(ctx) as session, progress("Importing claims") as report:
        document = read_document(path)
        by_bytes = report and (lambda _done, _total: report(document.position, document.size))
        summary = import_claims(session, document.head, document.claims(), origin=origin,
                                progress=by_bytes or None)
        if dry_run:
            session.rollback()  # every check ran; nothing is kept
    _echo_imported(summary, dry_run)


def _import_csv(ctx: typer.Context, path: str, text: str, skip_bad: bool,
                dry_run: bool = False) -> None:
    from nkru_claims.csv_exchange import import_csv

    with transaction(ctx) as session:
        result = import_csv(session, text, skip_bad=skip_bad, origin=path)
        if dry_run:
            session.rollback()
    _echo_imported(result, dry_run)
    for line, reason in result.bad_rows:
        typer.echo(f"Skipped line {line}: {reason}", err=True)


def _echo_imported(summary: "ImportSummary", dry_run: bool = False) -> None:
    unchanged = getattr(summary, "claims_unchanged", None)
    conflicting = getattr(summary, "claims_conflicting", None) or []
    if unchanged is None:  # a CSV import: skipped claims are all "already present"
        unchanged = summary.claims_skipped
    skipped = f", {len(unchanged)} already present" if unchanged else ""
    if conflicting:
        skipped += (f", {len(conflicting)} whose ref is here with a different text "
                    f"(kept as they are here: {', '.join(conflicting[:5])}"
                    f"{'…' if len(conflicting) > 5 else ''})")
    verb = "Would import" if dry_run else "Imported"
    typer.echo(
        f"{verb} {summary.claims_added} claims{skipped}, {summary.stances_added} stances, "
        f"{summary.evidence_added} evidence, {summary.parties_added} new parties, "
        f"{summary.sources_added} new sources"
    )
    if getattr(summary, "restored", False):
        typer.echo(f"The database was empty: every ID kept, {summary.history_added} merges, "
                   "decisions and log entries restored")
    elif getattr(summary, "history_left", 0):
        typer.echo(f"{summary.history_left} merges and log entries of the database that "
                   "wrote the file stay there (they name its IDs)")
    if dry_run:
        typer.echo("Dry run: nothing was written")


@app.command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A JSON (exchange format) or CSV file, or -.")],
    file_format: Annotated[str | None, typer.Option(
        "--format", help="json or csv (default: from the file's extension, else json).")]
    = None,
    skip_bad: Annotated[bool, typer.Option(
        "--skip-bad", help="CSV: import the readable rows and list the bad ones.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check the file and say what it would add; write nothing.")]
    = False,
) -> None:
    """Import a file, all or nothing: one bad row or claim and nothing is written.

    CSV files follow the layout in the README (one row per stance); an unreadable row
    is reported with its line number, or skipped with --skip-bad.
    Example: nkru-claims import fixtures/seed.json
    """
    import_file(ctx, path, file_format, skip_bad, dry_run)


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
    org_name: Annotated[str, typer.Option(
        help="claimreview: the reviewing organisation's name.")] = "nkru-claims",
    org_url: Annotated[str | None, typer.Option(
        help="claimreview: the reviewing organisation's web site (default: --base-url).")]
    = None,
    raw_csv: Annotated[bool, typer.Option(
        "--raw-csv", help="csv: write cells exactly as stored. By default a cell that a "
        "spreadsheet would run as a formula (it starts with = + - @, tab or CR) gets a "
        "leading ', which import removes again.")] = False,
) -> None:
    """Export the database: JSON (lossless), CSV, or schema.org ClaimReview.

    Example: nkru-claims export claims.csv --format csv
    """
    chosen = _format_of(path, file_format, EXPORT_FORMATS)
    if raw_csv and chosen != "csv":
        raise fail("--raw-csv applies to --format csv only")
    if (org_url is not None or org_name != "nkru-claims") and chosen != "claimreview":
        raise fail("--org-name and --org-url apply to --format claimreview only")
    if base_url is not None or org_url is not None:
        from nkru_claims.claimreview import check_base_url

        with user_errors():  # before the database is opened: a bad URL writes nothing
            check_base_url(base_url)
            check_base_url(org_url)
    with transaction(ctx) as session, progress("Exporting"):
        if chosen == "csv":
            from nkru_claims.csv_exchange import export_csv

            text = export_csv(session, raw=raw_csv)
        elif chosen == "claimreview":
            from nkru_claims.claimreview import claimreview_json

            text = claimreview_json(session, base_url=base_url, publisher_name=org_name,
                                    publisher_url=org_url)
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
    """Load the seed fixtures into a new or empty database and print who asserts versus
    who denies.

    Uses the database every command uses (--db, then $NKRU_CLAIMS_DB, then the per-user
    default), and refuses one that already holds data.
    Example: nkru-claims --db demo.db demo --html report.html
    """
    from nkru_claims.cli.reports import print_report
    from nkru_claims.config import database_label
    from nkru_claims.db import ledger_is_empty
    from nkru_claims.resources import seed_fixture_path

    state: State = ctx.obj
    where = database_label(state.url)
    if not ledger_is_empty(state.get_engine(may_create=True)):
        raise fail(f"{where} already holds data; demo loads only into a new or empty "
                   "database (try: nkru-claims --db demo.db demo)")
    import_file(ctx, str(seed_fixture_path()))
    print_report(ctx, report_format)
    if html:
        print_report(ctx, "html", html)
    explore = "nkru-claims " + (f"--db {state.db} " if state.db else "") + "list --contested"
    typer.echo(f"\nThe demo claims are in {where}: explore them with '{explore}'.")
