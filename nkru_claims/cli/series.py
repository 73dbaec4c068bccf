"""Commands for series of estimates: series (list), propose, link, unlink; supersede.

Also the helper ``show`` calls to place a claim in its series.
"""

from typing import Annotated, Any

import typer

from nkru_claims.cli.base import app, echo_json, transaction

series_app = typer.Typer(
    help="Series of estimates: claims that measure one thing with different figures "
    "(linked by a person, never merged).", invoke_without_command=True)
app.add_typer(series_app, name="series")

IdsArgument = Annotated[list[int], typer.Argument(help="Claim IDs.", min=1)]


@series_app.callback()
def series_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON list of series.")] = False,
) -> None:
    """List every series as a compact timeline (date — figure — who).

    Example: nkru-claims series --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from nkru_claims.services.series import list_series

    with transaction(ctx) as session:
        found = list_series(session)
    if as_json:
        echo_json(found)
        return
    print_series(found)


def print_series(found: list[dict[str, Any]]) -> None:
    """Each series: its label and figures in order, then one line a claim."""
    from nkru_claims.cli.render import console
    from nkru_claims.services.series import timeline_line

    out = console()
    if not found:
        out.print("No series yet ('nkru-claims series propose' suggests some).")
        return
    for series in found:
        _say(out, f"Series {series['id']}"
              + (f": {series['label']}" if series["label"] else "")
              + (f" ({series['unit']})" if series["unit"] else ""), "bold")
        _say(out, f"  {timeline_line(series)}")
        for member in series["members"]:
            _say(out, _member_line(member))
        out.print()


def _say(out: Any, text: str, style: str = "") -> None:
    """One line of stored text, inert, never wrapped (a timeline reads as one line)."""
    from nkru_claims.cli.render import stored

    out.print(stored(text, style), soft_wrap=True)


def _member_line(member: dict[str, Any]) -> str:
    who = ", ".join(member["stated_by"]) or "unattributed"
    line = (f"  {member['stated_on'] or 'undated':<10} — {member['figure'] or '?'} — {who}"
            f"  [#{member['id']}]")
    if member.get("superseded_by"):
        line += f" (superseded by #{member['superseded_by']})"
    return line


def print_claim_series(detail: dict[str, Any]) -> None:
    """``show``'s lines: the claim's backing, its place in its series, its supersession."""
    from nkru_claims.cli.render import console
    from nkru_claims.services.series import timeline_line

    out = console()
    if detail.get("backing"):
        _say(out, f"Backing: {detail['backing']}")
    for source in detail.get("sources") or []:
        relays = source.get("relays") if isinstance(source, dict) else None
        if relays:
            _say(out, f"  source [{source['id']}] is a {relays['kind']} of source "
                      f"[{relays['source']}] (one origin with it)")
    replaced = detail.get("supersession") or {}
    if replaced.get("by"):
        _say(out, f"Superseded by #{replaced['by']}: {replaced['reason']}", "yellow")
    if replaced.get("replaces"):
        _say(out, "Supersedes " + ", ".join(f"#{i}" for i in replaced["replaces"]))
    series = detail.get("series")
    if not series:
        return
    _say(out, f"\nSeries {series['id']}"
         + (f": {series['label']}" if series["label"] else ""), "bold underline")
    _say(out, f"  {timeline_line(series)}")
    for member in series["members"]:
        here = "  ← this claim" if member["id"] == detail["id"] else ""
        _say(out, _member_line(member) + here)


def add_series_to_detail(session: Any, detail: dict[str, Any]) -> dict[str, Any]:
    """``show``'s detail with ``series`` (or null) and ``supersession`` (or null)."""
    from nkru_claims.services.series import series_for_claim, supersessions

    detail["series"] = series_for_claim(session, detail["id"])
    detail["supersession"] = supersessions(session, [detail["id"]]).get(detail["id"])
    return detail


@series_app.command("propose")
def series_propose(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Claims the matcher reads as one measure at different figures (confirm with 'link').

    Example: nkru-claims series propose
    """
    from nkru_claims.services.series import propose_series

    with transaction(ctx) as session:
        proposals = propose_series(session)
        texts = _claim_lines(session, [i for p in proposals for i in p.claim_ids])
    rows = [{"claims": list(p.claim_ids), "unit": p.unit, "series": p.series_id,
             "reasons": list(p.reasons), "members": [texts[i] for i in p.claim_ids]}
            for p in proposals]
    if as_json:
        echo_json(rows)
        return
    from nkru_claims.cli.render import console

    out = console()
    if not rows:
        out.print("No series to propose.")
        return
    for row in rows:
        extend = f" (extends series {row['series']})" if row["series"] else ""
        _say(out, f"{row['reasons'][0]} — {row['unit']}{extend}", "bold")
        for member in row["members"]:
            _say(out, f"  #{member['id']} {member['figure']}: {member['text']}")
        _say(out, "  confirm: nkru-claims series link "
             + " ".join(str(i) for i in row["claims"]), "dim")


def _claim_lines(session: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
    from nkru_claims.services.claims import claim_quantity, get_claim

    lines = {}
    for claim_id in ids:
        claim = get_claim(session, claim_id)
        quantity = claim_quantity(claim)
        lines[claim_id] = {"id": claim_id, "text": claim.text,
                           "figure": quantity.describe() if quantity else None}
    return lines


@series_app.command("link")
def series_link(
    ctx: typer.Context,
    claim_ids: IdsArgument,
    label: Annotated[str | None, typer.Option(help="A name for the series.")] = None,
) -> None:
    """Confirm that these claims are one series (creates one, or extends theirs).

    Example: nkru-claims series link 21 22 23 24 --label "Containers shipped to Russia"
    """
    from nkru_claims.services.series import link_claims

    with transaction(ctx) as session:
        series_id = link_claims(session, claim_ids, label=label, actor=ctx.obj.actor)
    typer.echo(f"Series {series_id}: " + ", ".join(f"#{i}" for i in sorted(set(claim_ids))))


@series_app.command("unlink")
def series_unlink(ctx: typer.Context, claim_ids: IdsArgument) -> None:
    """Take claims out of their series (a series left with one claim is removed).

    Example: nkru-claims series unlink 23
    """
    from nkru_claims.services.series import unlink_claims

    with transaction(ctx) as session:
        done = unlink_claims(session, claim_ids)
    typer.echo("Unlinked " + ", ".join(f"#{i}" for i in done))


@app.command("supersede")
def supersede_command(
    ctx: typer.Context,
    old_id: Annotated[int, typer.Argument(help="The claim that is replaced.")],
    new_id: Annotated[int, typer.Argument(help="The claim that replaces it.")],
    reason: Annotated[str | None, typer.Option(help="Why (required unless --undo).")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Take a supersession back.")] = False,
) -> None:
    """Mark a claim as superseded by a newer one, keeping both (audit-logged).

    Example: nkru-claims supersede 21 22 --reason "the DIA revised the count upwards"
    """
    from nkru_claims.cli.base import fail
    from nkru_claims.services.series import supersede, undo_supersede

    if not undo and not (reason and reason.strip()):
        raise fail("--reason is required: say why the newer claim replaces the older")
    with transaction(ctx) as session:
        if undo:
            undo_supersede(session, old_id, new_id)
        else:
            supersede(session, old_id, new_id, reason=reason or "", actor=ctx.obj.actor)
    typer.echo(f"Claim #{old_id} is no longer superseded by #{new_id}" if undo
               else f"Claim #{old_id} is superseded by #{new_id}")
