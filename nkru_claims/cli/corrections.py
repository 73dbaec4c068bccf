"""Commands that correct stances and evidence, and undo any correction.

edit-stance, delete-stance, restore-stance, edit-evidence, delete-evidence,
restore-evidence, undo. (Parties and sources are corrected with 'party edit|merge|
unmerge|delete' and 'source edit'.) Each prints what changed and how to undo it.
"""

from typing import Annotated, Any

import typer

from nkru_claims.cli.base import app, transaction, user_errors

CLEAR = "none"  # the value that empties an optional field, as 'verdict none' does


def given(value: str | None, *, date_field: bool = False) -> Any:
    """UNSET when the option was not given; None for 'none'; else the (parsed) value."""
    from nkru_claims.services.corrections import UNSET
    from nkru_claims.values import parse_date

    if value is None:
        return UNSET
    if value.strip().lower() == CLEAR:
        return None
    if date_field:
        with user_errors():
            return parse_date(value)
    return value


def print_changes(label: str, changed: dict[str, Any]) -> None:
    if not changed:
        typer.echo(f"{label}: nothing changed")
        return
    for field, (old, new) in changed.items():
        typer.echo(f"{label}: {field}: {old!s} → {new!s}")
    typer.echo("(undo it with 'nkru-claims undo ENTRY'; 'nkru-claims log' shows the entry)")


def _source(session: Any, reference: str | None) -> Any:
    from nkru_claims.services.corrections import UNSET
    from nkru_claims.services.sources import resolve_source

    if reference is None:
        return UNSET
    if reference.strip().lower() == CLEAR:
        return None
    return resolve_source(session, reference).id


ClearHint = "'none' clears it."


@app.command("edit-stance")
def edit_stance_command(
    ctx: typer.Context,
    stance_id: Annotated[int, typer.Argument(help="The stance's ID (see 'show --json').")],
    party: Annotated[str | None, typer.Option(help="The party that took it.")] = None,
    kind: Annotated[str | None, typer.Option(help="asserts, denies, questions…")] = None,
    source: Annotated[str | None, typer.Option(help=f"URL or ID. {ClearHint}")] = None,
    quote: Annotated[str | None, typer.Option(help=f"Verbatim. {ClearHint}")] = None,
    quote_language: Annotated[str | None, typer.Option(help=ClearHint)] = None,
    stated_on: Annotated[str | None, typer.Option("--date", help=f"YYYY-MM-DD. {ClearHint}")]
    = None,
) -> None:
    """Correct a stance: its party, kind, source, quote or date; the status follows.

    Example: nkru-claims edit-stance 12 --kind questions --date 2024-10-21
    """
    from nkru_claims.services.corrections import UNSET, edit_stance

    when = given(stated_on, date_field=True)
    with transaction(ctx) as session:
        changed = edit_stance(
            session, stance_id, party=party if party is not None else UNSET,
            kind=kind if kind is not None else UNSET, source_id=_source(session, source),
            quote=given(quote), quote_language=given(quote_language), stated_on=when)
    print_changes(f"Stance #{stance_id}", changed)


@app.command("edit-evidence")
def edit_evidence_command(
    ctx: typer.Context,
    evidence_id: Annotated[int, typer.Argument(help="The evidence's ID.")],
    description: Annotated[str | None, typer.Option()] = None,
    bearing: Annotated[str | None, typer.Option(help="supports or undermines.")] = None,
    source: Annotated[str | None, typer.Option(help=f"URL or ID. {ClearHint}")] = None,
    quote: Annotated[str | None, typer.Option(help=f"Verbatim. {ClearHint}")] = None,
) -> None:
    """Correct a piece of evidence.

    Example: nkru-claims edit-evidence 3 --bearing undermines
    """
    from nkru_claims.services.corrections import UNSET, edit_evidence

    with transaction(ctx) as session:
        changed = edit_evidence(
            session, evidence_id,
            description=description if description is not None else UNSET,
            bearing=bearing if bearing is not None else UNSET,
            source_id=_source(session, source), quote=given(quote))
    print_changes(f"Evidence #{evidence_id}", changed)


def _delete(ctx: typer.Context, entity: str, row_id: int) -> None:
    from nkru_claims.services.corrections import delete_row

    with transaction(ctx) as session:
        values = delete_row(session, entity, row_id)
    typer.echo(f"Deleted {entity} #{row_id} of claim #{values['claim_id']} "
               f"(undo: nkru-claims restore-{entity} {row_id})")


def _restore(ctx: typer.Context, entity: str, row_id: int) -> None:
    from nkru_claims.services.corrections import restore_row

    with transaction(ctx) as session:
        restore_row(session, entity, row_id)
    typer.echo(f"Restored {entity} #{row_id}")


@app.command("delete-stance")
def delete_stance_command(
    ctx: typer.Context, stance_id: Annotated[int, typer.Argument(help="The stance's ID.")],
) -> None:
    """Remove a stance recorded by mistake (kept in the log; 'restore-stance' undoes it).

    Example: nkru-claims delete-stance 12
    """
    _delete(ctx, "stance", stance_id)


@app.command("restore-stance")
def restore_stance_command(
    ctx: typer.Context, stance_id: Annotated[int, typer.Argument(help="A deleted stance's ID.")],
) -> None:
    """Bring back a deleted stance with its own ID.

    Example: nkru-claims restore-stance 12
    """
    _restore(ctx, "stance", stance_id)


@app.command("delete-evidence")
def delete_evidence_command(
    ctx: typer.Context, evidence_id: Annotated[int, typer.Argument(help="The evidence's ID.")],
) -> None:
    """Remove a piece of evidence (kept in the log; 'restore-evidence' undoes it).

    Example: nkru-claims delete-evidence 3
    """
    _delete(ctx, "evidence", evidence_id)


@app.command("restore-evidence")
def restore_evidence_command(
    ctx: typer.Context,
    evidence_id: Annotated[int, typer.Argument(help="A deleted piece of evidence's ID.")],
) -> None:
    """Bring back deleted evidence with its own ID.

    Example: nkru-claims restore-evidence 3
    """
    _restore(ctx, "evidence", evidence_id)


@app.command("undo")
def undo_command(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(help="The log entry's ID ('nkru-claims log').")],
) -> None:
    """Reverse one correction (an edit of a stance, evidence, party or source; a deletion;
    a party merge), named by its log entry. Claims: 'edit', 'restore', 'unmerge'.

    Example: nkru-claims undo 57
    """
    from nkru_claims.services.corrections import undo

    with transaction(ctx) as session:
        entry = undo(session, entry_id)
        what = f"{entry.action} {entry.entity}" + (
            f" #{entry.entity_id}" if entry.entity_id is not None else "")
    typer.echo(f"Undid log entry #{entry_id} ({what})")
