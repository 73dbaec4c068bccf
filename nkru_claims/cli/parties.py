"""Commands for parties and their aliases: party add, party alias, party list, party show."""

from typing import Annotated

import typer

from nkru_claims.cli.base import app, echo_json, transaction

party_app = typer.Typer(help="Parties (states, bodies, people, outlets) and their aliases.",
                        no_args_is_help=True)
app.add_typer(party_app, name="party")


def _alias(value: str) -> tuple[str, str | None]:
    """'普京@zh-Hans' → ('普京', 'zh-Hans'); no '@' means no language."""
    alias, _, language = value.rpartition("@") if "@" in value else (value, "", "")
    return alias, language or None


@party_app.command("add")
def party_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Canonical name, e.g. 'Vladimir Putin'.")],
    kind: Annotated[str, typer.Option(
        help="state, government_body, person, organisation, media_outlet or expert.")],
    country: Annotated[str | None, typer.Option(help="ISO 3166 two-letter code.")] = None,
    parent: Annotated[str | None, typer.Option(help="The party it belongs to.")] = None,
    wikidata: Annotated[str | None, typer.Option(help="Wikidata ID, e.g. Q7747.")] = None,
    description: Annotated[str | None, typer.Option()] = None,
    alias: Annotated[list[str] | None, typer.Option(
        help="Another spelling, optionally with @language: 普京@zh-Hans (repeatable).")] = None,
) -> None:
    """Add a party.

    Example: nkru-claims party add "Vladimir Putin" --kind person --country RU --parent Russia
    --wikidata Q7747 --alias 普京@zh-Hans --alias 普丁@zh-Hant
    """
    from nkru_claims.services.parties import add_party

    with transaction(ctx) as session:
        party = add_party(
            session=session, name=name, kind=kind, country=country, parent=parent,
            wikidata_id=wikidata, description=description,
            aliases=[_alias(a) for a in alias or []],
        )
        party_id = party.id
    typer.echo(f"Added party #{party_id}: {name}")


@party_app.command("alias")
def party_alias(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="The party's name or an existing alias.")],
    alias: Annotated[str, typer.Argument(help="The new spelling.")],
    language: Annotated[str | None, typer.Option(help="en, zh-Hant, zh-Hans, ko, ru…")] = None,
) -> None:
    """Give a party another name; every alias resolves to exactly one party.

    Example: nkru-claims party alias Putin 普丁 --language zh-Hant
    """
    from nkru_claims.services.parties import add_alias, get_party

    with transaction(ctx) as session:
        found = get_party(session, party)
        add_alias(session=session, party=found, alias=alias, language=language)
        name = found.name
    typer.echo(f"{alias} → {name}")


@party_app.command("list")
def party_list(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="Only parties of this kind.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List parties with their aliases and how many stances each has taken.

    Example: nkru-claims party list --kind government_body
    """
    from rich.table import Table

    from nkru_claims.cli.render import console
    from nkru_claims.services.parties import list_parties

    with transaction(ctx) as session:
        rows = list_parties(session, kind=kind)
    if as_json:
        echo_json([row.__dict__ for row in rows])
        return
    table = Table()
    for column in ("ID", "Name", "Kind", "Country", "Part of", "Wikidata", "Aliases", "Stances"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(str(row.id), row.name, row.kind, row.country or "", row.parent or "",
                      row.wikidata_id or "", " / ".join(row.aliases), str(row.stances))
    console().print(table)


@party_app.command("show")
def party_show(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="Name or any alias.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show a party, its aliases, its Wikidata link and the claims it asserts and denies.

    Example: nkru-claims party show 克里姆林宫
    """
    from nkru_claims.reports import party_records
    from nkru_claims.services.parties import get_party, list_parties

    with transaction(ctx) as session:
        found = get_party(session, party)
        row = next(r for r in list_parties(session) if r.id == found.id)
        record = next(iter(party_records(session, party_id=found.id)), None)
    data = {**row.__dict__,
            "wikidata_url": f"https://www.wikidata.org/wiki/{row.wikidata_id}"
            if row.wikidata_id else None,
            "asserts": record["asserts"] if record else [],
            "denies": record["denies"] if record else [],
            "questions": record["questions"] if record else []}
    if as_json:
        echo_json(data)
        return
    typer.echo(f"{row.name} ({row.kind.replace('_', ' ')}"
               f"{', ' + row.country if row.country else ''})")
    if row.parent:
        typer.echo(f"Part of: {row.parent}")
    if data["wikidata_url"]:
        typer.echo(f"Wikidata: {data['wikidata_url']}")
    if row.aliases:
        typer.echo(f"Aliases: {' / '.join(row.aliases)}")
    for bucket in ("asserts", "denies", "questions"):
        for claim in data[bucket]:
            typer.echo(f"  {bucket}: #{claim['id']} {claim['text']} [{claim['status']}]")


@party_app.command("edit")
def party_edit(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="The party's name or any alias.")],
    name: Annotated[str | None, typer.Option(help="A new canonical name (fixes a typo).")]
    = None,
    kind: Annotated[str | None, typer.Option(help="state, government_body, person…")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 two-letter code; 'none' clears.")]
    = None,
    parent: Annotated[str | None, typer.Option(help="The party it belongs to; 'none' clears.")]
    = None,
    wikidata: Annotated[str | None, typer.Option(help="Wikidata ID; 'none' clears.")] = None,
    description: Annotated[str | None, typer.Option(help="'none' clears.")] = None,
) -> None:
    """Rename a party or change its kind, country, parent or Wikidata ID.

    Example: nkru-claims party edit Kremlim --name Kremlin --kind government_body --country RU
    """
    from nkru_claims.cli.corrections import given, print_changes
    from nkru_claims.services.corrections import UNSET, edit_party

    with transaction(ctx) as session:
        changed = edit_party(
            session, party, name=name if name is not None else UNSET,
            kind=kind if kind is not None else UNSET, country=given(country),
            parent=given(parent), wikidata_id=given(wikidata), description=given(description))
    print_changes(f"Party {party}", changed)


@party_app.command("merge")
def party_merge(
    ctx: typer.Context,
    from_party: Annotated[str, typer.Argument(metavar="FROM", help="The party to fold in.")],
    into_party: Annotated[str, typer.Argument(metavar="INTO", help="The party to keep.")],
) -> None:
    """Fold one party into another: its aliases, stances and members move to it.

    Example: nkru-claims party merge Kremlim Kremlin   (undo: party unmerge Kremlim)
    """
    from nkru_claims.services.corrections import merge_parties

    with transaction(ctx) as session:
        details = merge_parties(session, from_party, into_party)
    typer.echo(f"Merged {details['row']['name']} into {details['into_name']}: "
               f"{len(details['stances'])} stance(s), {len(details['aliases'])} alias(es) moved "
               f"(undo: nkru-claims party unmerge {details['row']['name']!r})")


@party_app.command("unmerge")
def party_unmerge(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The merged party's former name.")],
) -> None:
    """Split a merged party out again, with the aliases and stances it had.

    Example: nkru-claims party unmerge Kremlim
    """
    from nkru_claims.services.corrections import unmerge_party

    with transaction(ctx) as session:
        unmerge_party(session, name)
    typer.echo(f"Restored party {name}")


@party_app.command("delete")
def party_delete(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="A party no stance names.")],
) -> None:
    """Delete a party nothing uses (a typo); 'undo' with its log entry brings it back.

    Example: nkru-claims party delete Kremlim
    """
    from nkru_claims.services.corrections import delete_party

    with transaction(ctx) as session:
        details = delete_party(session, party)
    typer.echo(f"Deleted party #{details['row']['id']}: {details['row']['name']}")
