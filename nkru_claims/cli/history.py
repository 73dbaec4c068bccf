"""Commands that change or look back at what was recorded: edit, delete, restore, log, backup."""

from pathlib import Path
from typing import Annotated

import typer

from nkru_claims.cli.base import State, app, echo_json, fail, transaction, user_errors


@app.command("edit")
def edit_command(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's ID.")],
    text: Annotated[str | None, typer.Option(help="New wording of the claim.")] = None,
    language: Annotated[str | None, typer.Option()] = None,
    quantity: Annotated[str | None, typer.Option(help="New quantity, e.g. '1,500 soldiers'.")]
    = None,
    no_quantity: Annotated[bool, typer.Option("--no-quantity", help="Remove the quantity.")]
    = False,
    period_start: Annotated[str | None, typer.Option()] = None,
    period_end: Annotated[str | None, typer.Option()] = None,
    ref: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change a claim's text, quantity, period or ref; the log keeps the old values.

    Example: nkru-claims edit 3 --period-start 2024-10-08 --period-end 2024-10-13
    """
    from nkru_claims.matching.quantities import parse_quantity
    from nkru_claims.services.claims import edit_claim
    from nkru_claims.values import parse_date

    if quantity and no_quantity:
        raise fail("choose one of --quantity and --no-quantity")
    with user_errors():
        parsed = parse_quantity(quantity) if quantity else None
        start, end = parse_date(period_start), parse_date(period_end, end_of_period=True)
    with transaction(ctx) as session:
        changed = edit_claim(session=session, claim_id=claim_id, text=text, language=language,
                             quantity=parsed, clear_quantity=no_quantity, period_start=start,
                             period_end=end, ref=ref)
    if not changed:
        typer.echo(f"Claim #{claim_id}: nothing changed")
        return
    for field, (old, new) in changed.items():
        typer.echo(f"Claim #{claim_id}: {field}: {old!s} → {new!s}")


@app.command("delete")
def delete_command(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's ID.")],
) -> None:
    """Hide a claim from lists and reports (a soft delete: 'restore' brings it back).

    Example: nkru-claims delete 12
    """
    from nkru_claims.services.claims import delete_claim

    state: State = ctx.obj
    with transaction(ctx) as session:
        delete_claim(session=session, claim_id=claim_id, actor=state.actor)
    typer.echo(f"Deleted claim #{claim_id} (undo: nkru-claims restore {claim_id})")


@app.command("restore")
def restore_command(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="A deleted claim's ID (see 'log').")],
) -> None:
    """Bring back a deleted claim with everything it had.

    Example: nkru-claims restore 12
    """
    from nkru_claims.services.claims import restore_claim

    with transaction(ctx) as session:
        restore_claim(session=session, claim_id=claim_id)
    typer.echo(f"Restored claim #{claim_id}")


@app.command("log")
def log_command(
    ctx: typer.Context,
    claim: Annotated[int | None, typer.Option(help="Only changes to this claim.")] = None,
    user: Annotated[str | None, typer.Option(help="Only changes by this person.")] = None,
    entity: Annotated[str | None, typer.Option(
        help="Only changes to this kind of record: party, source, stance, evidence, merge…")]
    = None,
    record_id: Annotated[int | None, typer.Option(
        "--id", help="Only changes to the record with this ID (with --entity).")] = None,
    since: Annotated[str | None, typer.Option(help="Only changes on or after YYYY-MM-DD.")]
    = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many entries.")] = 100,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The audit trail: who changed what, when, newest first.

    Example: nkru-claims log --claim 3 --since 2024-10-01
    """
    from datetime import UTC, datetime

    from nkru_claims.audit import entry_dict, query_log
    from nkru_claims.values import parse_date

    with user_errors():
        day = parse_date(since)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
    with transaction(ctx) as session:
        entries = [entry_dict(e) for e in query_log(session, claim_id=claim, actor=user,
                                                     since=start, limit=limit, entity=entity,
                                                     entity_id=record_id)]
    if as_json:
        echo_json(entries)
        return
    if not entries:
        typer.echo("No entries.")
    for entry in entries:
        target = f" #{entry['entity_id']}" if entry["entity_id"] is not None else ""
        about = (f" (claim #{entry['claim_id']})"
                 if entry["claim_id"] not in (None, entry["entity_id"]) else "")
        typer.echo(f"#{entry['id']}  {entry['at']}  {entry['actor']}  {entry['action']} "
                   f"{entry['entity']}"
                   f"{target}{about}  [{entry['command']}]  {_summary(entry['details'])}")


def _summary(details: dict | None) -> str:
    if not details:
        return ""
    parts = []
    for key, value in details.items():
        if isinstance(value, list) and len(value) == 2 and key not in ("claims", "merged"):
            parts.append(f"{key}: {value[0]!s} → {value[1]!s}")
        elif value not in (None, "", []):
            parts.append(f"{key}: {value}")
    text = "; ".join(parts)
    return text if len(text) <= 160 else text[:157] + "…"


@app.command("backup")
def backup_command(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Where to write the copy (a new SQLite file).")],
) -> None:
    """A consistent copy of a live SQLite database, taken with SQLite's online backup API.

    Other processes may keep writing while it runs. For PostgreSQL use pg_dump, or
    'export' for the exchange format.
    Example: nkru-claims backup ~/claims-2024-11-01.db
    """
    from nkru_claims.db import backup_sqlite

    state: State = ctx.obj
    target = Path(path).expanduser()
    with user_errors():
        pages = backup_sqlite(state.get_engine(), target)
    typer.echo(f"Backed up to {target} ({pages} pages)")
