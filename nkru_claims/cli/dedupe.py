"""Commands for duplicates: dedupe, compare, merge, unmerge, merges, distinct."""

import json
from typing import Annotated

import typer

from nkru_claims.cli.base import (
    State,
    app,
    echo_json,
    fail,
    interactive,
    progress,
    transaction,
    user_errors,
)
from nkru_claims.config import DEFAULT_THRESHOLD

Threshold = Annotated[float, typer.Option(
    help="Lowest text similarity (0–100) for a pair to be considered; the facts must "
    "agree as well.")]


@app.command("dedupe")
def dedupe_command(
    ctx: typer.Context,
    threshold: Threshold = DEFAULT_THRESHOLD,
    apply: Annotated[bool, typer.Option(
        "--apply", help="Merge every group found, without asking.")] = False,
    include_rejected: Annotated[bool, typer.Option(
        "--include-rejected", help="Also propose pairs a reviewer marked as different.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Groups (and merges) as JSON.")]
    = False,
) -> None:
    """Find near-identical claims and fold each group into its oldest claim.

    A dry run by default: groups are listed with their scores. In a terminal you are
    asked about each group (merge, reject as different, or skip); --apply merges all.
    Example: nkru-claims dedupe --threshold 90 --apply
    """
    from nkru_claims.services.dedupe import find_duplicate_groups, reject_group
    from nkru_claims.services.merges import merge_claims

    state: State = ctx.obj
    ask = interactive() and not apply and not as_json
    merged: list[dict] = []
    with transaction(ctx) as session:
        with progress("Comparing claims") as report:
            groups = find_duplicate_groups(session, threshold=threshold,
                                           include_rejected=include_rejected, progress=report)
        for group in groups:
            if not as_json:
                _print_group(group)
            decision = "merge" if apply else _ask(group) if ask else "skip"
            if decision == "merge":
                record = merge_claims(session, kept_id=group.kept_id,
                                      other_ids=[p.b for p in group.others],
                                      actor=state.actor, score=group.score)
                merged.append({"merge": record.id, "kept": group.kept_id,
                               "merged": [p.b for p in group.others]})
                if not as_json:
                    typer.echo(f"  merged into #{group.kept_id} (undo: nkru-claims unmerge "
                               f"{record.id})")
            elif decision == "reject":
                stored = reject_group(session, group, actor=state.actor)
                typer.echo(f"  marked as different ({stored} pair{'s' * (stored != 1)})")
    if as_json:
        echo_json({"threshold": threshold, "groups": [g.as_dict() for g in groups],
                   "merges": merged})
    elif not groups:
        typer.echo("No duplicate claims found.")
    elif not apply and not ask:
        typer.echo(f"\n{len(groups)} group{'s' * (len(groups) != 1)} found; nothing changed "
                   "(dry run). Merge with --apply.")


def _print_group(group) -> None:  # noqa: ANN001
    typer.echo(f"\nGroup (score {group.score:.1f}), keeping #{group.kept_id}:")
    typer.echo(f"  #{group.kept_id}  {group.texts[group.kept_id]}")
    for pair in group.others:
        typer.echo(f"  #{pair.b}  {group.texts[pair.b]}  [{pair.score:.1f}]")


def _ask(group) -> str:  # noqa: ANN001
    answer = typer.prompt("  Merge? [y]es / [n]o, they differ / [s]kip", default="s")
    return {"y": "merge", "n": "reject"}.get(answer.strip().lower()[:1], "skip")


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    text_a: Annotated[str, typer.Argument(help="A claim's text (or #ID for a stored claim).")],
    text_b: Annotated[str, typer.Argument(help="Another text (or #ID).")],
    threshold: Threshold = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Say whether two texts state the same claim, with the score and the reasons.

    Example: nkru-claims compare "北韓向俄羅斯運送了500萬發砲彈" "朝鲜向俄罗斯运送了五百万发炮弹"
    """
    from nkru_claims.matching.compare import compare_texts
    from nkru_claims.services.claims import get_claim
    from nkru_claims.services.dedupe import check_threshold, party_lexicon

    with transaction(ctx) as session:
        check_threshold(threshold)
        texts = [get_claim(session, int(t[1:])).text if t.startswith("#") and t[1:].isdigit()
                 else t for t in (text_a, text_b)]
        verdict = compare_texts(texts[0], texts[1], lexicon=party_lexicon(session),
                                threshold=threshold)
    if as_json:
        echo_json(verdict.as_dict())
        return
    data = verdict.as_dict()
    typer.echo(f"{'Duplicate' if verdict.duplicate else 'Not a duplicate'} "
               f"(score {data['score']}, threshold {threshold:g})")
    for reason in verdict.reasons:
        typer.echo(f"  - {reason}")
    for label, side in (("A", data["a"]), ("B", data["b"])):
        typer.echo(f"{label}: {side['normalised']}")
        if side["quantities"]:
            typer.echo(f"   quantities: {', '.join(side['quantities'])}")


@app.command("merge")
def merge_command(
    ctx: typer.Context,
    keep: Annotated[int, typer.Argument(help="The claim to keep.")],
    others: Annotated[list[int], typer.Argument(help="Claims to fold into it.")],
) -> None:
    """Merge claims by hand: the others' stances, evidence, sources and wordings move.

    Example: nkru-claims merge 3 21 22
    """
    from nkru_claims.services.merges import merge_claims

    state: State = ctx.obj
    with transaction(ctx) as session:
        record = merge_claims(session, kept_id=keep, other_ids=others, actor=state.actor)
        merge_id = record.id
    typer.echo(f"Merge #{merge_id}: {', '.join(f'#{o}' for o in others)} → #{keep} "
               f"(undo: nkru-claims unmerge {merge_id})")


@app.command("unmerge")
def unmerge_command(
    ctx: typer.Context,
    merge_id: Annotated[int, typer.Argument(help="The merge's ID (see 'merges').")],
) -> None:
    """Undo a merge: the merged claims come back exactly as they were.

    Example: nkru-claims unmerge 4
    """
    from nkru_claims.services.merges import unmerge

    state: State = ctx.obj
    with transaction(ctx) as session:
        record = unmerge(session, merge_id=merge_id, actor=state.actor)
        restored = json.loads(record.merged_claim_ids)
    typer.echo(f"Undid merge #{merge_id}: restored {', '.join(f'#{i}' for i in restored)}")


@app.command("merges")
def merges_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List merges: when, by whom, with what score, and whether they were undone.

    Example: nkru-claims merges --json
    """
    from nkru_claims.services.merges import list_merges

    with transaction(ctx) as session:
        rows = [{"id": r.id, "kept": r.kept_claim_id, "merged": json.loads(r.merged_claim_ids),
                 "score": r.score, "by": r.actor,
                 "at": r.created_at.isoformat(timespec="seconds"),
                 "undone_at": r.undone_at.isoformat(timespec="seconds") if r.undone_at else None,
                 "undone_by": r.undone_by} for r in list_merges(session)]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        typer.echo("No merges.")
    for row in rows:
        undone = f", undone {row['undone_at']} by {row['undone_by']}" if row["undone_at"] else ""
        score = f" score {row['score']:.1f}" if row["score"] is not None else ""
        typer.echo(f"#{row['id']}: {row['merged']} → #{row['kept']} by {row['by']} at "
                   f"{row['at']}{score}{undone}")


@app.command("distinct")
def distinct_command(
    ctx: typer.Context,
    claim_a: Annotated[int, typer.Argument(help="A claim's ID.")],
    claim_b: Annotated[int, typer.Argument(help="Another claim's ID.")],
    note: Annotated[str | None, typer.Option(help="Why they differ.")] = None,
) -> None:
    """Record that two claims are not the same claim; dedupe stops proposing them.

    Example: nkru-claims distinct 1 2 --note "different periods"
    """
    from nkru_claims.services.dedupe import reject_pair

    state: State = ctx.obj
    with transaction(ctx) as session:
        reject_pair(session, claim_a=claim_a, claim_b=claim_b, actor=state.actor, note=note)
    typer.echo(f"Claims #{claim_a} and #{claim_b} marked as different")


def check_duplicates_before_add(ctx: typer.Context, session, text: str, *,  # noqa: ANN001
                                may_prompt: bool) -> int | None:
    """The claim to attach to instead, None to insert; refuses silently-made duplicates."""
    from nkru_claims.services.dedupe import likely_duplicates

    with user_errors():
        found = likely_duplicates(session, text)
    if not found:
        return None
    best = found[0]
    listing = ", ".join(f"#{p.b} (score {p.score:.0f})" for p in found)
    if may_prompt:
        typer.echo(f"Likely duplicate of {listing}.")
        if typer.confirm(f"Attach the stances and source to #{best.b} instead?", default=True):
            return best.b
        return None
    raise fail(f"likely duplicate of {listing}: pass --attach-to {best.b} to add to it, "
               "or --force-new to add a new claim anyway")
