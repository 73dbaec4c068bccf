"""The who-asserts-versus-who-denies report."""

from typing import Annotated

import typer

from nkru_claims.cli.base import (
    AfterOption,
    AllOption,
    LimitOption,
    app,
    echo_json,
    fail,
    json_text,
    page_size,
    transaction,
)

FORMATS = ("terminal", "md", "json", "html")


def print_report(ctx: typer.Context, report_format: str, output: str | None = None, *,
                 limit: int | None = None, after: int | None = None) -> None:
    from nkru_claims.cli.exchange import write_output
    from nkru_claims.reports import render_markdown, who_asserts_who_denies

    if report_format not in FORMATS:
        raise fail(f"unknown format {report_format!r}; choose one of: {', '.join(FORMATS)}")
    if output and report_format == "terminal":
        report_format = "md"
    with transaction(ctx) as session:
        if report_format == "html":
            from nkru_claims.html_report import render_html

            text = render_html(session)
        else:
            report = who_asserts_who_denies(session, limit=limit, after=after)
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
    report_format: Annotated[str, typer.Option(
        "--format", "-f", help="terminal, md (Markdown), json or html (one self-contained "
        "page: matrix, timeline, sources).")] = "terminal",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to a file.")]
    = None,
    limit: LimitOption = None,
    after: AfterOption = None,
    show_all: AllOption = False,
) -> None:
    """Who asserts versus who denies: each contested claim's two sides, and each party's
    record on them; a page at a time (--all for every contested claim; html is always all).

    Example: nkru-claims report --format html -o report.html
    """
    print_report(ctx, "json" if as_json else report_format, output,
                 limit=page_size(limit, show_all), after=after)
