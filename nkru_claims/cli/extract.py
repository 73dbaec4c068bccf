"""The ``extract`` command: propose the claims, stances and quotes an article reports."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nkru_claims.cli.base import (
    State,
    app,
    echo_json,
    fail,
    interactive,
    readable,
    transaction,
    user_errors,
)

if TYPE_CHECKING:
    from nkru_claims.extract.article import Article
    from nkru_claims.extract.propose import Proposal

LISTING_MIN_SCORE = 0.3  # below it a sentence is rarely a claim worth reviewing
APPLY_MIN_SCORE = 0.5
HELD_BANDS = ("duplicate", "same")  # --apply leaves these to a person: the ledger has them


def _read(path: str) -> str:
    """The article's text; a file that cannot be read is one line."""
    with readable("standard input" if path == "-" else path):
        if path == "-":
            stream = getattr(sys.stdin, "buffer", None)
            return stream.read().decode("utf-8-sig") if stream else sys.stdin.read()
        return Path(path).read_text(encoding="utf-8-sig")


def _ledger_exists(state: State) -> bool:
    """A SQLite file that is not there yet has nothing to match against (and listing
    proposals must not create one); any other database is asked."""
    from nkru_claims.db import sqlite_path

    path = sqlite_path(state.url)
    return path is None or path.exists()


def _echo_proposal(p: "Proposal", names: dict[str, str]) -> None:
    typer.echo(f"{p.score:.2f}  [{p.index}] {p.wording}")
    if p.figures:
        typer.echo("      figures: " + "; ".join(q.describe() for q in p.figures))
    if p.period is not None:
        typer.echo(f"      period: {p.period.start or '…'} – {p.period.end or '…'}")
    for s in p.stances:
        when = f" on {s.stated_on}" if s.stated_on else ""
        typer.echo(f"      {s.kind}: {names.get(s.party, s.party)}{when}")
    if p.matches:
        best = p.matches[0]
        typer.echo(f"      in the ledger: claim #{best.claim_id} ({best.band}, "
                   f"{best.score:.2f})")
    else:
        typer.echo("      new")


def _echo_listing(proposals: "list[Proposal]", names: dict[str, str]) -> None:
    if not proposals:
        typer.echo("No checkable claims found.")
    for proposal in proposals:
        _echo_proposal(proposal, names)


Decisions = tuple["list[Proposal]", "list[tuple[Proposal, int]]"]


def review_proposals(
    proposals: "list[Proposal]", names: dict[str, str], ask: Callable[[str], str]
) -> Decisions:
    """Ask about each proposal in turn: accept, edit the wording, skip, attach it to the
    claim the ledger already holds, or quit (what was decided so far is kept). Nothing is
    written here: the caller writes every decision in one transaction."""
    from dataclasses import replace

    from nkru_claims.extract.sentences import script_language

    accepted: list[Proposal] = []
    attached: list[tuple[Proposal, int]] = []
    for number, proposal in enumerate(proposals, start=1):
        _echo_proposal(proposal, names)
        attach = f", [t]o attach to #{proposal.matches[0].claim_id}" if proposal.matches else ""
        question = f"[{number}/{len(proposals)}] [a]ccept, [e]dit, [s]kip{attach}, [q]uit"
        while True:
            answer = ask(question).strip().lower()[:1]
            if answer == "a":
                accepted.append(proposal)
            elif answer == "e":
                wording = ask("Wording").strip()
                if not wording:
                    continue
                accepted.append(replace(proposal, wording=wording,
                                        language=script_language(wording)))
            elif answer == "t" and proposal.matches:
                attached.append((proposal, proposal.matches[0].claim_id))
            elif answer == "q":
                return accepted, attached
            elif answer != "s":
                typer.echo("Answer a, e, s" + (", t" if attach else "") + " or q.")
                continue
            break
    return accepted, attached


@app.command("extract")
def extract(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="FILE", help="The article: text or HTML; - for standard input.")],  # noqa: E501
    title: Annotated[str | None, typer.Option(help="Headline, when the page gives none.")] = None,  # noqa: E501
    outlet: Annotated[str | None, typer.Option(help="The publication.")] = None,
    author: Annotated[str | None, typer.Option(help="Byline.")] = None,
    url: Annotated[str | None, typer.Option(help="The article's address.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD: relative dates are read against it.")] = None,  # noqa: E501
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposals as an exchange file for 'import'.")] = False,  # noqa: E501
    apply: Annotated[bool, typer.Option("--apply", help="Write every proposal scoring at least --min-score, in one transaction.")] = False,  # noqa: E501
    min_score: Annotated[float | None, typer.Option(help="Lowest checkability score kept (default 0.3; 0.5 with --apply).", min=0.0, max=1.0)] = None,  # noqa: E501
    review: Annotated[bool, typer.Option("--review", help="Accept, edit, skip or attach each proposal at the terminal; all that is accepted is written at the end, in one transaction.")] = False,  # noqa: E501
) -> None:
    """Propose the claims an article reports, with stances, quotes, figures and dates.

    Each sentence that states something checkable becomes a proposal: its wording, its
    figures and period, the parties that assert, deny, question or condemn it (with the
    sentence as the verbatim quote and the date they said it), whether the ledger already
    holds it, and a checkability score; the best come first. Nothing is written unless
    --apply is given (it leaves out proposals the ledger already holds) or, with --review,
    until you have gone through them: accept, edit, skip or attach each one.

    Example: nkru-claims extract saved-page.html --json > proposals.json
    """
    from nkru_claims.extract.article import read_article
    from nkru_claims.extract.document import build_document
    from nkru_claims.extract.ledger import attach_matches, ledger_finder
    from nkru_claims.extract.propose import propose
    from nkru_claims.values import parse_date

    if sum((as_json, apply, review)) > 1:
        raise fail("choose one of --json, --apply and --review")
    if review and not interactive():
        raise fail("--review asks at a terminal; use --json and import, or --apply")
    with user_errors():
        published_on = parse_date(published)
    name = None if path == "-" else Path(path).name
    article = read_article(_read(path), name=name, title=title, outlet=outlet, author=author,
                           url=url, published=published_on)
    floor = min_score if min_score is not None else (APPLY_MIN_SCORE if apply
                                                     else LISTING_MIN_SCORE)
    state: State = ctx.obj
    if not (apply or review) and not _ledger_exists(state):
        proposals, names = propose(article, min_score=floor), {}
    else:
        with transaction(ctx) as session:
            finder, names = ledger_finder(session)
            proposals = attach_matches(session, propose(article, finder=finder,
                                                        min_score=floor))
            if apply:
                from nkru_claims.exchange import import_document

                held = [p for p in proposals if p.matches and p.matches[0].band in HELD_BANDS]
                fresh = [p for p in proposals if p not in held]
                document = build_document(article, fresh, min_score=floor, names=names)
                summary = import_document(session, document, origin=path)
                typer.echo(f"Added {summary.claims_added} claims and {summary.stances_added} "
                           f"stances from {article.title or name or 'the article'}; "
                           f"{len(held)} already in the ledger, "
                           f"{len(summary.claims_skipped)} already extracted")
                return
    if review:
        _review_and_write(ctx, article, proposals, names, origin=path)
    elif as_json:
        echo_json(build_document(article, proposals, min_score=floor, names=names))
    else:
        _echo_listing(proposals, names)


def _review_and_write(ctx: typer.Context, article: "Article", proposals: "list[Proposal]",
                      names: dict[str, str], origin: str) -> None:
    from nkru_claims.extract.ledger import apply_reviewed

    accepted, attached = review_proposals(proposals, names, lambda q: typer.prompt(q))
    if not (accepted or attached):
        typer.echo("Nothing accepted; nothing written.")
        return
    with transaction(ctx) as session:
        summary, attached_count = apply_reviewed(session, article, accepted, attached,
                                                 names=names, origin=origin)
    typer.echo(f"Added {summary.claims_added} claims and {summary.stances_added} stances; "
               f"attached {attached_count} to claims the ledger holds")
