"""Commands for sources: source add, source list."""

from typing import Annotated

import typer

from nkru_claims.cli.base import app, echo_json, fail, transaction, user_errors

source_app = typer.Typer(help="Sources: the articles and documents that report stances.",
                         no_args_is_help=True)
app.add_typer(source_app, name="source")


@source_app.command("add")
def source_add(
    ctx: typer.Context,
    url: Annotated[str | None, typer.Argument(help="The article's address, if it has one.")]
    = None,
    outlet: Annotated[str | None, typer.Option(help="The publication.")] = None,
    title: Annotated[str | None, typer.Option(help="Headline, verbatim.")] = None,
    author: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option(help="en, zh-Hant, zh-Hans, ko…")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    retrieved: Annotated[str | None, typer.Option(help="Retrieval date, YYYY-MM-DD.")] = None,
    archive: Annotated[str | None, typer.Option(help="An archived copy's URL.")] = None,
) -> None:
    """Add a source.

    Example: nkru-claims source add https://www.rfa.org/mandarin/a.html --outlet RFA
    --language zh-Hans --published 2024-06-25
    """
    from nkru_claims.services.sources import add_source
    from nkru_claims.values import parse_date

    if not url and not title:
        raise fail("a source needs a URL or a --title")
    with user_errors():
        published_on, retrieved_on = parse_date(published), parse_date(retrieved)
    with transaction(ctx) as session:
        source = add_source(session=session, url=url, outlet=outlet, title=title, author=author,
                            language=language, published_on=published_on,
                            retrieved_on=retrieved_on, archive_url=archive)
        source_id, stored_url = source.id, source.url
    typer.echo(f"Added source #{source_id}: {stored_url or title}")


@source_app.command("list")
def source_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List sources, newest first, with how many claims each reports.

    Example: nkru-claims source list --json
    """
    from rich.table import Table

    from nkru_claims.cli.render import console
    from nkru_claims.reports import source_dict
    from nkru_claims.services.sources import list_sources

    with transaction(ctx) as session:
        rows = [(source_dict(s), count) for s, count in list_sources(session)]
    if as_json:
        echo_json([{**source, "claims": count} for source, count in rows])
        return
    table = Table()
    for column in ("ID", "Published", "Outlet", "Title", "URL", "Claims"):
        table.add_column(column, overflow="fold")
    for source, count in rows:
        table.add_row(str(source["id"]), source["published_on"] or "", source["outlet"] or "",
                      source["title"] or "", source["url"] or "", str(count))
    console().print(table)
