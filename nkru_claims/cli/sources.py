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


@source_app.command("edit")
def source_edit(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The source's ID or URL.")],
    url: Annotated[str | None, typer.Option(help="Its address; 'none' clears.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The publication; 'none' clears.")] = None,
    title: Annotated[str | None, typer.Option(help="Headline, verbatim; 'none' clears.")] = None,
    author: Annotated[str | None, typer.Option(help="'none' clears.")] = None,
    language: Annotated[str | None, typer.Option(help="en, zh-Hant…; 'none' clears.")] = None,
    published: Annotated[str | None, typer.Option(help="YYYY-MM-DD; 'none' clears.")] = None,
    retrieved: Annotated[str | None, typer.Option(help="YYYY-MM-DD; 'none' clears.")] = None,
    archive: Annotated[str | None, typer.Option(help="An archived copy's URL; 'none' clears.")]
    = None,
) -> None:
    """Fill in or correct a source's outlet, title, author, dates or archive link.

    Example: nkru-claims source edit 4 --outlet "Radio Free Asia" --published 2024-06-25
    """
    from nkru_claims.cli.corrections import given, print_changes
    from nkru_claims.services.corrections import edit_source

    fields = {"url": given(url), "outlet": given(outlet), "title": given(title),
              "author": given(author), "language": given(language),
              "published_on": given(published, date_field=True),
              "retrieved_on": given(retrieved, date_field=True), "archive_url": given(archive)}
    with transaction(ctx) as session:
        changed = edit_source(session, source, **fields)
    print_changes(f"Source {source}", changed)


@source_app.command("relay")
def source_relay(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="The relaying source: its ID or URL.")],
    original: Annotated[str | None, typer.Argument(
        help="The source it relays: its ID or URL.")] = None,
    kind: Annotated[str, typer.Option(
        help="wire, translation, syndication or republication.")] = "republication",
    undo: Annotated[bool, typer.Option("--undo", help="It relays nothing after all.")] = False,
) -> None:
    """Record that a source relays another (one independent origin with it).

    Example: nkru-claims source relay 2 6 --kind republication
    """
    from nkru_claims.services.origins import relay_source, unrelay_source
    from nkru_claims.services.sources import resolve_source

    if not undo and original is None:
        raise fail("give the ORIGINAL source the first one relays (or --undo)")
    with transaction(ctx) as session:
        relaying = resolve_source(session, source).id
        if undo:
            unrelay_source(session, relaying)
            message = f"Source #{relaying} relays no other source"
        else:
            done = relay_source(session, relaying, resolve_source(session, original).id, kind)
            message = (f"Source #{relaying} is a {done.relay_kind} of source "
                       f"#{done.relays_source_id}")
    typer.echo(message)
