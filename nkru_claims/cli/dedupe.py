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
    readable,
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
    from nkru_claims.services.dedupe import find_duplicates, reject_group, reject_pair
    from nkru_claims.services.merges import merge_claims

    state: State = ctx.obj
    ask = interactive() and not apply and not as_json
    merged: list[dict] = []
    judged: list[dict] = []
    with transaction(ctx) as session:
        with progress("Comparing claims") as report:
            found = find_duplicates(session, threshold=threshold,
                                    include_rejected=include_rejected, progress=report)
        groups = found.groups
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
        gone = {i for g in merged for i in g["merged"]}
        for pair in found.review:
            if as_json or pair.a in gone or pair.b in gone:
                continue
            _print_review(pair, found.texts)
            answer = _ask_review() if ask else "skip"
            if answer == "merge":
                record = merge_claims(session, kept_id=pair.a, other_ids=[pair.b],
                                      actor=state.actor, score=pair.score)
                gone.add(pair.b)
                merged.append({"merge": record.id, "kept": pair.a, "merged": [pair.b]})
                typer.echo(f"  merged into #{pair.a} (undo: nkru-claims unmerge {record.id})")
            elif answer == "reject":
                reject_pair(session, claim_a=pair.a, claim_b=pair.b, actor=state.actor)
                typer.echo("  marked as different")
            elif answer == "unsure":
                from nkru_claims import audit

                audit.record(session, action="unsure-match", entity="claim", entity_id=pair.b,
                             claim_id=pair.a, details={"claims": [pair.a, pair.b],
                                                       "score": round(pair.score, 1)})
                judged.append({"claims": [pair.a, pair.b], "answer": "unsure"})
                typer.echo("  kept as unsure (in the log; asked again next time)")
    if as_json:
        echo_json({"threshold": threshold, "groups": [g.as_dict() for g in groups],
                   "review": [{"claims": [p.a, p.b], "score": round(p.score, 1),
                               "reasons": list(p.reasons)} for p in found.review],
                   "without_vectors": found.without_vectors, "merges": merged})
        return
    if found.without_vectors:
        typer.echo(f"\nNote: {found.without_vectors:,} texts have no sentence vector and were "
                   "compared by words only; run 'nkru-claims embed' to compare them across "
                   "languages", err=True)
    if not groups and not found.review:
        typer.echo("No duplicate claims found.")
    elif not apply and not ask:
        typer.echo(f"\n{len(groups)} group{'s' * (len(groups) != 1)} to merge and "
                   f"{len(found.review)} pair{'s' * (len(found.review) != 1)} for review "
                   "found; nothing changed (dry run). Merge the groups with --apply; review "
                   "the pairs in a terminal with plain 'dedupe'.")


def _print_review(pair, texts: dict[int, str]) -> None:  # noqa: ANN001
    typer.echo(f"\nFor review (score {pair.score:.1f}): #{pair.a} and #{pair.b}")
    typer.echo(f"  #{pair.a}  {texts[pair.a]}")
    typer.echo(f"  #{pair.b}  {texts[pair.b]}")
    for reason in pair.reasons:
        typer.echo(f"  - {reason}")


def _ask_review() -> str:
    return _prompt("  The same claim? [y]es / [n]o / [u]nsure / [s]kip / [q]uit / [?] help",
                   {"y": "merge", "n": "reject", "u": "unsure", "s": "skip"})


def _print_group(group) -> None:  # noqa: ANN001
    typer.echo(f"\nGroup (score {group.score:.1f}), keeping #{group.kept_id}:")
    typer.echo(f"  #{group.kept_id}  {group.texts[group.kept_id]}")
    for pair in group.others:
        typer.echo(f"  #{pair.b}  {group.texts[pair.b]}  [{pair.score:.1f}]")


def _ask(group) -> str:  # noqa: ANN001
    return _prompt("  Merge? [y]es / [n]o, they differ / [s]kip / [q]uit / [?] help",
                   {"y": "merge", "n": "reject", "s": "skip"})


_HELP = ("  y: the same claim, merge now (undo with 'unmerge')\n  n: different claims, never "
         "proposed again\n  u: unsure, kept in the log and asked again\n  s: skip for now\n"
         "  q: stop reviewing; what was decided so far is kept")


def _prompt(question: str, answers: dict[str, str]) -> str:
    """One answer from ``answers``; ? prints what each means, q stops the review."""
    while True:
        answer = typer.prompt(question, default="s").strip().lower()[:1]
        if answer == "?":
            typer.echo(_HELP)
        elif answer == "q":
            raise typer.Exit(0)
        elif answer in answers:
            return answers[answer]
        else:
            typer.echo(f"  answer one of {', '.join(answers)}, q or ?")


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    text_a: Annotated[str | None, typer.Argument(
        help="A claim's text (or #ID for a stored claim).")] = None,
    text_b: Annotated[str | None, typer.Argument(help="Another text (or #ID).")] = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    pairs: Annotated[str | None, typer.Option(
        "--pairs", help="A JSON array of {\"a\", \"b\"} objects ('-' for stdin): a verdict "
        "for each, in order, with its band (same / review / different), in any languages.")
    ] = None,
) -> None:
    """Say whether two texts state the same claim, with the score and the reasons.

    Example: nkru-claims compare "北韓向俄羅斯運送了500萬發砲彈" "朝鲜向俄罗斯运送了五百万发炮弹"
    """
    if pairs is not None:
        if text_a is not None or text_b is not None:
            raise fail("give either two texts or --pairs FILE, not both")
        verdicts = [v.as_dict() for v in _judge_file(pairs)]
        if as_json:
            echo_json(verdicts)
        else:
            for index, verdict in enumerate(verdicts):
                typer.echo(f"{index}\t{verdict['band']}\t{verdict['score']}\t"
                           + "; ".join(verdict["reasons"]))
        return
    if text_a is None or text_b is None:
        raise fail("compare needs two texts (or --pairs FILE)")
    from dataclasses import replace

    from nkru_claims.matching.facts import read_facts
    from nkru_claims.matching.scoring import DEFAULT_THRESHOLDS, judge_pairs
    from nkru_claims.services.claims import get_claim
    from nkru_claims.services.dedupe import check_threshold, party_lexicon

    with transaction(ctx) as session:
        check_threshold(threshold)
        texts = [get_claim(session, int(t[1:])).text if t.startswith("#") and t[1:].isdigit()
                 else t for t in (text_a, text_b)]
        lexicon = party_lexicon(session)
    thresholds = DEFAULT_THRESHOLDS if threshold == DEFAULT_THRESHOLD else replace(
        DEFAULT_THRESHOLDS, same_lexical=threshold)
    with user_errors():
        verdict = judge_pairs([(texts[0], texts[1])], lexicon=lexicon, thresholds=thresholds)[0]
        facts = [read_facts(t).describe() for t in texts]
    data = verdict.as_dict() | {"a": {"text": texts[0], "facts": facts[0]},
                                "b": {"text": texts[1], "facts": facts[1]}}
    if as_json:
        echo_json(data)
        return
    typer.echo(f"{'Duplicate' if verdict.duplicate else 'Not a duplicate'} "
               f"({verdict.band}, score {data['score']})")
    for reason in verdict.reasons:
        typer.echo(f"  - {reason}")
    for label, side in (("A", data["a"]), ("B", data["b"])):
        typer.echo(f"{label}: {side['text']}")
        for name, value in side["facts"].items():
            if value not in (None, [], False):
                shown = ", ".join(value) if isinstance(value, list) else value
                typer.echo(f"   {name}: {shown}")


def _read_pairs(path: str) -> list[dict]:
    import sys
    from pathlib import Path

    with readable(path):
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    try:
        rows = json.loads(raw)
    except json.JSONDecodeError as error:
        raise fail(f"{path} is not a JSON array of pairs: {error}") from None
    if not isinstance(rows, list):
        raise fail(f"{path} is not a JSON array of pairs")
    for index, row in enumerate(rows):
        if not (isinstance(row, dict) and isinstance(row.get("a"), str)
                and isinstance(row.get("b"), str)):
            raise fail(f"{path}: pair {index} needs text fields \"a\" and \"b\"")
    return rows


def _judge_file(path: str):  # noqa: ANN202
    from nkru_claims.matching.scoring import judge_pairs

    rows = _read_pairs(path)
    return judge_pairs([(row["a"], row["b"]) for row in rows])


@app.command("embed")
def embed_command(ctx: typer.Context) -> None:
    """Compute the sentence vector of every claim text and wording that lacks one.

    dedupe and add compare claims across languages by these vectors; add and dedupe
    compute a few themselves, so run this once on a large database (an import does not
    compute them: about 100–300 texts a second). Each batch is committed as it is done, so
    an interrupted run keeps its work and the next run goes on from there.
    Example: nkru-claims embed
    """
    from contextlib import contextmanager

    from nkru_claims.services.vectors import embed_missing

    @contextmanager
    def one_batch():  # noqa: ANN202
        with transaction(ctx) as session:
            yield session

    with user_errors(), progress("Encoding texts") as report:
        done = embed_missing(one_batch, progress=report)
    typer.echo(f"Encoded {done:,} text{'s' * (done != 1)}; every live claim text and wording "
               "now has a vector" if done else "Every live claim text and wording has a vector")


@app.command("evaluate")
def evaluate_command(
    pairs: Annotated[str, typer.Argument(
        help="A JSON array of {\"a\", \"b\", \"duplicate\", \"kind\"} objects.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Precision, recall and F1 of the matcher on labelled pairs, overall and by kind.

    A pair counts as found when its band is "same" (what dedupe --apply merges).

    Example: nkru-claims evaluate ../shared/benchmarks/tatoeba_cmn_eng.json
    """
    from nkru_claims.matching.evaluate import tally_verdicts

    rows = _read_pairs(pairs)
    if any(not isinstance(row.get("duplicate"), bool) for row in rows):
        raise fail(f"{pairs}: every pair needs \"duplicate\": true or false")
    verdicts = _judge_file(pairs)
    tallies = tally_verdicts(rows, [v.duplicate for v in verdicts])
    report = {
        kind: {"pairs": t.pairs, "precision": round(t.precision, 3),
               "recall": round(t.recall, 3), "f1": round(t.f1, 3),
               "false_positives": t.false_positive, "false_negatives": t.false_negative}
        for kind, t in sorted(tallies.items(), key=lambda item: item[0] != "all")
    }
    if as_json:
        echo_json(report)
        return
    typer.echo(f"{'kind':<28} {'pairs':>6} {'precision':>9} {'recall':>7} {'F1':>6}")
    for kind, row in report.items():
        typer.echo(f"{kind:<28} {row['pairs']:>6} {row['precision']:>9.3f} "
                   f"{row['recall']:>7.3f} {row['f1']:>6.3f}")


@app.command("merge")
def merge_command(
    ctx: typer.Context,
    keep: Annotated[int, typer.Argument(help="The claim to keep.")],
    others: Annotated[list[int], typer.Argument(help="Claims to fold into it.")],
    force: Annotated[bool, typer.Option(
        "--force", help="Merge even when their facts or verdicts conflict.")] = False,
) -> None:
    """Merge claims by hand: the others' stances, evidence, sources and wordings move.

    The facts their texts state are compared first (figures, dates, parties, direction,
    negation) and so are their verdicts: a conflict refuses the merge unless --force.
    Example: nkru-claims merge 3 21 22
    """
    from nkru_claims.services.merges import merge_claims

    state: State = ctx.obj
    with transaction(ctx) as session:
        record = merge_claims(session, kept_id=keep, other_ids=others, actor=state.actor,
                              force=force)
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
    from nkru_claims.services.dedupe import likely_by_meaning, likely_duplicates

    with user_errors():
        found = likely_duplicates(session, text)
        if not found:
            found, review = likely_by_meaning(session, text)
            for pair in review:
                typer.echo(f"Note: possibly the same claim as #{pair.b} in other words or "
                           f"another language (score {pair.score:.0f}); compare with "
                           f"'nkru-claims compare \"…\" \"#{pair.b}\"'", err=True)
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
