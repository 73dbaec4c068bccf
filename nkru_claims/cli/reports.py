"""The who-asserts-versus-who-denies report."""

from typing import Annotated

import typer

from nkru_claims.cli.base import (
    AfterOption,
    AllOption,
    LimitOption,
    app,
    complete_from,
    echo_json,
    fail,
    json_text,
    page_size,
    transaction,
    user_errors,
)

FORMATS = ("terminal", "md", "json", "html")
EXTENSIONS = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}
DEFAULT_STATUSES = ("contested",)


def format_for(report_format: str | None, output: str | None) -> str:
    """The format asked for; else the one the output file's extension names (r.html is
    HTML); else Markdown for a file and the terminal for the screen."""
    if report_format is not None:
        return report_format
    if output and output != "-":
        from pathlib import Path

        suffix = Path(output).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        if suffix:
            raise fail(f"cannot tell the format from {suffix!r}; give --format "
                       f"({', '.join(FORMATS[1:])})")
        return "md"
    return "terminal"


def print_report(ctx: typer.Context, report_format: str, output: str | None = None, *,
                 limit: int | None = None, after: int | None = None,
                 statuses: tuple[str, ...] = DEFAULT_STATUSES) -> None:
    from nkru_claims.cli.exchange import write_output
    from nkru_claims.reports import render_markdown, who_asserts_who_denies

    if report_format not in FORMATS:
        raise fail(f"unknown format {report_format!r}; choose one of: {', '.join(FORMATS)}")
    if output and report_format == "terminal":
        report_format = "md"
    with transaction(ctx) as session:
        if report_format == "html":
            from nkru_claims.html_report import render_html

            text = render_html(session, statuses=statuses)
        else:
            report = who_asserts_who_denies(session, statuses=statuses, limit=limit,
                                            after=after)
    if report_format == "html":
        write_output(output or "-", text, "HTML report")
    elif output:
        text = json_text(report) if report_format == "json" else render_markdown(report)
        write_output(output, text, "Report")
    elif report_format == "json":
        echo_json(report)
    elif report_format == "md":
        typer.echo(render_markdown(report), nl=False)
    else:
        from nkru_claims.cli import render

        render.who_asserts_report(report)


@app.command("report")
def report_command(
    ctx: typer.Context,
    report_format: Annotated[str | None, typer.Option(
        "--format", "-f", help="terminal, md (Markdown), json or html (one self-contained "
        "page: matrix, timeline, sources); default: from the -o file's extension, else "
        "terminal.", show_default=False,
        autocompletion=complete_from("terminal", "md", "json", "html"))] = None,
    status: Annotated[list[str] | None, typer.Option(
        help="Claims with this status (repeatable; default contested), in every format.",
        show_default=False)] = None,
    every_status: Annotated[bool, typer.Option(
        "--every-status", help="Claims of every status.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to a file.")]
    = None,
    limit: LimitOption = None,
    after: AfterOption = None,
    show_all: AllOption = False,
) -> None:
    """Who asserts versus who denies: each contested claim's two sides, and each party's
    record on them; a page at a time (--all for every one; html is always every one).

    Example: nkru-claims report --format html -o report.html
    """
    from nkru_claims.models import STATUSES
    from nkru_claims.values import choice

    if status and every_status:
        raise fail("choose one of --status and --every-status")
    with user_errors():
        chosen = STATUSES if every_status else tuple(
            choice(s, STATUSES, "status") for s in status or DEFAULT_STATUSES)
    print_report(ctx, "json" if as_json else format_for(report_format, output), output,
                 limit=page_size(limit, show_all), after=after, statuses=chosen)
