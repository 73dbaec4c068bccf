"""Commands that add and read claims: add, stance, evidence, verdict, list, show."""

from datetime import date
from typing import Annotated

import typer

from nkru_claims.cli.base import (
    AfterOption,
    AllOption,
    LimitOption,
    app,
    complete_from,
    echo_json,
    fail,
    interactive,
    page_size,
    transaction,
    user_errors,
)
from nkru_claims.errors import InvalidInput
from nkru_claims.values import parse_date

DateOption = Annotated[str | None, typer.Option(help="YYYY-MM-DD (YYYY-MM and YYYY accepted).")]


def _date(value: str | None, *, end: bool = False) -> date | None:
    with user_errors():
        return parse_date(value, end_of_period=end)


def _source_id(session, url: str | None, outlet: str | None, published: str | None,  # noqa: ANN001
               title: str | None) -> int | None:
    from nkru_claims.services.sources import source_for_url

    if not url:
        if outlet or published or title:
            raise InvalidInput("--outlet, --published and --source-title describe --source URL")
        return None
    return source_for_url(
        session, url, outlet=outlet, title=title, published_on=parse_date(published)
    ).id


QUIT_WORDS = ("q", "quit")
HELP_WORDS = ("?", "h", "help")


def ask_text(prompt: str, meaning: str) -> str:
    """A prompt where '?' explains and 'q' quits (nothing written), never taken as text."""
    while True:
        answer = typer.prompt(f"{prompt} (? for help, q to quit)").strip()
        if answer.lower() in QUIT_WORDS:
            raise typer.Abort()
        if answer.lower() in HELP_WORDS:
            typer.echo(f"  {prompt}: {meaning}; q quits without writing anything")
            continue
        return answer


def ask_yes_no(question: str, meaning: str, *, default: bool) -> bool:
    """y/n, with '?' for what each does and 'q' to quit; anything else asks again."""
    choices = "Y/n" if default else "y/N"
    while True:
        answer = typer.prompt(f"{question} [{choices}/?/q]", default="",
                              show_default=False).strip().lower()
        if not answer:
            return default
        if answer in ("y", "yes", "n", "no"):
            return answer.startswith("y")
        if answer in QUIT_WORDS:
            raise typer.Abort()
        typer.echo(f"  {meaning}; q quits without writing anything")


@app.command("add")
def add_command(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="The claim, in one sentence.")] = None,
    language: Annotated[str | None, typer.Option(help="Language of the text (en, zh-Hant…).")]
    = None,
    asserted_by: Annotated[list[str] | None, typer.Option(
        "--asserted-by", help="A party that asserts it (repeatable).")] = None,
    denied_by: Annotated[list[str] | None, typer.Option(
        "--denied-by", help="A party that denies it (repeatable).")] = None,
    questioned_by: Annotated[list[str] | None, typer.Option(
        "--questioned-by", help="A party that questions it (repeatable).")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="URL of the source reporting the stances.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet of a new --source.")] = None,
    source_title: Annotated[str | None, typer.Option(help="Headline of a new --source.")] = None,
    published: DateOption = None,
    quote: Annotated[str | None, typer.Option(
        help="Verbatim quote of the one party given.")] = None,
    quote_language: Annotated[str | None, typer.Option(help="Language of --quote.")] = None,
    stated_on: Annotated[str | None, typer.Option(
        "--date", help="When the stances were stated (YYYY-MM-DD).")] = None,
    quantity: Annotated[str | None, typer.Option(
        help="E.g. '5 million shells', '约6700个集装箱' (default: found in the text).")] = None,
    no_quantity: Annotated[bool, typer.Option(
        "--no-quantity", help="Do not record a quantity found in the text.")] = False,
    period_start: Annotated[str | None, typer.Option(
        help="Start of the period the claim is about.")] = None,
    period_end: Annotated[str | None, typer.Option(
        help="End of the period the claim is about.")] = None,
    verdict: Annotated[str | None, typer.Option(help="Editorial verdict (true, false…).")] = None,
    ref: Annotated[str | None, typer.Option(help="A stable key of your own for the claim.")] = None,
    create_party: Annotated[bool, typer.Option(
        "--create-party", help="Create parties that do not exist yet.")] = False,
    attach_to: Annotated[int | None, typer.Option(
        "--attach-to", help="Add the stances and source to this existing claim instead.")]
    = None,
    force_new: Annotated[bool, typer.Option(
        "--force-new", help="Add a new claim even if it looks like a duplicate.")] = False,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Accept every default; never prompt.")] = False,
) -> None:
    """Add a claim, with who asserts or denies it and where.

    Example: nkru-claims add "1,500 North Korean soldiers were moved to Vladivostok"
    --asserted-by NIS --denied-by Kremlin --source https://example.org/a --date 2024-10-18
    """
    from nkru_claims.cli.dedupe import check_duplicates_before_add
    from nkru_claims.matching.figures import read_figures
    from nkru_claims.matching.quantities import Quantity, parse_quantity
    from nkru_claims.services.claims import StanceInput, add_claim, attach_to_claim
    from nkru_claims.services.vectors import remember_vector

    may_prompt = interactive() and not yes
    note = None
    if not (text and text.strip()):
        if not may_prompt:
            raise fail("claim text is required")
        text = ask_text("Claim", "the claim in one sentence, as an editor would state it")
    parties = [(p, "asserts") for p in asserted_by or []] + [
        (p, "denies") for p in denied_by or []] + [(p, "questions") for p in questioned_by or []]
    if quote and len(parties) != 1:
        raise fail("--quote belongs to one party: give exactly one --asserted-by/--denied-by/"
                   "--questioned-by, or add more quotes with 'stance'")
    with user_errors():
        found: Quantity | None = None
        if quantity:
            found = parse_quantity(quantity)
        elif not no_quantity:
            reading = read_figures(text)
            found = reading.main
            if found is None and reading.skipped:
                # a figure recorded wrong is worse than none: say what was passed over
                note = ("Note: no quantity recorded (" + "; ".join(reading.skipped)
                        + "); give one with --quantity")
            if may_prompt:  # before anything is recorded, what was read from the text
                from nkru_claims.matching.facts import read_facts

                _echo_facts(read_facts(text).describe())
            if found and may_prompt and not ask_yes_no(
                f"Record the quantity '{found.describe()}'?",
                "y records it; n records none (give one with --quantity)", default=True,
            ):
                found = None
        start, end = _date(period_start), _date(period_end, end=True)
        when = _date(stated_on)
        _date(published)
    if attach_to is not None and force_new:
        raise fail("choose one of --attach-to and --force-new")
    with transaction(ctx) as session:
        source_id = _source_id(session, source, outlet, published, source_title)
        stances = [
            StanceInput(party=name, kind=kind, source_id=source_id, quote=quote,
                        quote_language=quote_language, stated_on=when)
            for name, kind in parties
        ]
        target = attach_to
        if target is None and not force_new:
            target = check_duplicates_before_add(ctx, session, text, may_prompt=may_prompt)
        if target is not None:
            claim = attach_to_claim(
                session=session, claim_id=target, text=text, language=language,
                stances=stances, source_ids=[source_id] if source_id else [],
                create_parties=create_party,
            )
            verb = "Attached to"
        else:
            claim = add_claim(
                session=session, text=text, language=language, quantity=found,
                period_start=start, period_end=end, verdict=verdict, ref=ref,
                source_ids=[source_id] if source_id else [], stances=stances,
                create_parties=create_party,
            )
            verb = "Added"
        session.flush()
        session.refresh(claim)
        remember_vector(session, claim.id, text, None if verb == "Added" else "wording")
        claim_id, claim_status, claim_text = claim.id, claim.status, claim.text
    typer.echo(f"{verb} claim #{claim_id} [{claim_status}]: {claim_text}")
    if note:
        typer.echo(note, err=True)


def _echo_facts(facts: dict[str, object]) -> None:
    """The facts the matcher reads from a text, one line: what compare and dedupe see."""
    from nkru_claims.reports import visible_controls

    shown = [f"{name}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
             for name, value in facts.items() if value not in (None, [], False)]
    if shown:
        typer.echo("Facts read: " + visible_controls("; ".join(shown)))


@app.command("stance")
def stance_command(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's ID.")],
    party: Annotated[str, typer.Argument(help="Party name or any alias.")],
    kind: Annotated[str, typer.Argument(
        help="asserts, denies, questions, supports, condemns or declines_to_comment.",
        autocompletion=complete_from(model_list="STANCE_KINDS"))],
    source: Annotated[str | None, typer.Option(help="URL (or ID) of the reporting source.")] = None,
    quote: Annotated[str | None, typer.Option(help="The party's words, verbatim.")] = None,
    quote_language: Annotated[str | None, typer.Option(help="Language of --quote.")] = None,
    stated_on: Annotated[str | None, typer.Option("--date", help="When it was said.")] = None,
    create_party: Annotated[bool, typer.Option("--create-party")] = False,
    grade: Annotated[str | None, typer.Option(
        help="Admiralty grade: source reliability A–F and information credibility 1–6, "
        "e.g. B2.")] = None,
    relays: Annotated[str | None, typer.Option(
        help="The party whose statement this stance passes on.")] = None,
) -> None:
    """Record that a party asserts, denies… an existing claim, as a source reports it.

    Example: nkru-claims stance 3 Kremlin denies --source https://example.org/a --date 2024-10-21
    --quote "这似乎又是一则假新闻"
    """
    from nkru_claims.services.claims import StanceInput, add_stance, get_claim
    from nkru_claims.services.parties import require_party_id
    from nkru_claims.services.sources import resolve_source, source_for_url

    when = _date(stated_on)
    with transaction(ctx) as session:
        source_id = None
        if source:
            found = source.strip()
            source_id = (resolve_source(session, found) if found.isdigit()
                         else source_for_url(session, found)).id
        stance = add_stance(
            session=session, claim_id=claim_id, create_party=create_party,
            stance=StanceInput(party=party, kind=kind, source_id=source_id, quote=quote,
                               quote_language=quote_language, stated_on=when),
        )
        status = get_claim(session, claim_id).status
        from nkru_claims.services.origins import set_grade, set_stance_relay

        set_grade(session, stance, grade)
        set_stance_relay(session, stance, relays)
        kind_done = stance.kind
        party_name = require_party_id(session, stance.party_id).name
        why = _position_unchanged(session, stance)
    typer.echo(f"Recorded: {party_name} {kind_done.replace('_', ' ')} claim #{claim_id} "
               f"(now {status}{why})")


def _position_unchanged(session, stance) -> str:  # noqa: ANN001
    """Why a new stance did not become its party's position, or "": an undated stance
    ranks before every dated one, so a dated stance of the same party still stands."""
    from sqlmodel import select

    from nkru_claims.models import Stance
    from nkru_claims.status import POSITIONAL, StanceFact, positions

    if stance.kind not in POSITIONAL:
        return ""
    rows = session.exec(select(Stance).where(Stance.claim_id == stance.claim_id,
                                             Stance.party_id == stance.party_id)).all()
    facts = [StanceFact(r.party_id, r.kind, r.stated_on, r.id) for r in rows]
    held = positions(facts).get(stance.party_id)
    mine = positions([StanceFact(stance.party_id, stance.kind, stance.stated_on, 0)])
    if held == mine.get(stance.party_id):
        return ""
    standing = max((f for f in facts if f.kind in POSITIONAL and f.stated_on is not None),
                   key=lambda f: (f.stated_on, f.order), default=None)
    if stance.stated_on is None and standing is not None:
        return (f": this stance has no date, and the party's {standing.kind} stance of "
                f"{standing.stated_on} is later, so it still stands; give --date to place "
                "this one")
    return ": the party's later-dated stance still stands"


@app.command("evidence")
def evidence_command(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's ID.")],
    description: Annotated[str, typer.Argument(help="What the source offers.")],
    bearing: Annotated[str, typer.Option(
        help="supports or undermines.", autocompletion=complete_from("supports", "undermines"))
    ] = "supports",
    source: Annotated[str | None, typer.Option(help="URL or ID of the source.")] = None,
    quote: Annotated[str | None, typer.Option(help="The passage, verbatim.")] = None,
    grade: Annotated[str | None, typer.Option(
        help="Admiralty grade: source reliability A–F and information credibility 1–6, "
        "e.g. B2.")] = None,
) -> None:
    """Attach evidence a source offers for or against a claim.

    Example: nkru-claims evidence 1 "North Korean warhead fragments found in Ukraine" --source 1
    """
    from nkru_claims.services.claims import add_evidence
    from nkru_claims.services.sources import resolve_source

    with transaction(ctx) as session:
        source_id = resolve_source(session, source).id if source else None
        item = add_evidence(session=session, claim_id=claim_id, description=description,
                            bearing=bearing, source_id=source_id, quote=quote)
        from nkru_claims.services.origins import set_grade

        set_grade(session, item, grade)
        item_id = item.id
    typer.echo(f"Added evidence #{item_id} to claim #{claim_id}")


@app.command("verdict")
def verdict_command(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's ID.")],
    verdict: Annotated[str, typer.Argument(
        help="true, mostly_true, misleading, mostly_false, false, unproven, or 'none' to clear.",
        autocompletion=complete_from("none", model_list="VERDICTS"))],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Set an editorial verdict, kept apart from the status the stances give.

    Example: nkru-claims verdict 4 unproven --note "no public evidence yet"
    """
    from nkru_claims.services.claims import set_verdict

    with transaction(ctx) as session:
        set_verdict(session=session, claim_id=claim_id,
                    verdict=None if verdict.lower() == "none" else verdict, note=note)
    typer.echo(f"Claim #{claim_id}: verdict {verdict}")


@app.command("list")
def list_command(
    ctx: typer.Context,
    status: Annotated[list[str] | None, typer.Option(
        help="unverified, asserted, questioned, denied or contested (repeatable).",
        autocompletion=complete_from(model_list="STATUSES"))] = None,
    contested: Annotated[bool, typer.Option("--contested", help="Same as --status contested.")]
    = False,
    party: Annotated[str | None, typer.Option(help="Claims this party took any stance on.")]
    = None,
    asserted_by: Annotated[str | None, typer.Option("--asserted-by")] = None,
    denied_by: Annotated[str | None, typer.Option("--denied-by")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", "-s", help="Text in the claim or its wordings, read as the matcher reads "
        "it: either Chinese script, numbers in any form (6,700 = 六千七百), any alias of a "
        "party, unit words in any language.")] = None,
    verdict: Annotated[list[str] | None, typer.Option(
        help="Only claims with this verdict (true, false, unproven…; repeatable).",
        autocompletion=complete_from(model_list="VERDICTS"))] = None,
    unit: Annotated[str | None, typer.Option(
        help="Only claims counting this unit (shells, containers, 集装箱…).")] = None,
    quantity_min: Annotated[float | None, typer.Option(
        "--min", help="Only claims whose quantity reaches this number.")] = None,
    quantity_max: Annotated[float | None, typer.Option(
        "--max", help="Only claims whose quantity is at most this number.")] = None,
    source: Annotated[str | None, typer.Option(
        help="Only claims this source reports (its ID or URL).")] = None,
    language: Annotated[str | None, typer.Option(
        help="Only claims worded in this language (en, zh-Hant, ko…).")] = None,
    about_from: Annotated[str | None, typer.Option(
        "--from", help="Claims about a period that reaches this date or later.")] = None,
    about_to: Annotated[str | None, typer.Option(
        "--to", help="Claims about a period that starts by this date.")] = None,
    limit: LimitOption = None,
    after: AfterOption = None,
    show_all: AllOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON list, for scripts.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV, for spreadsheets.")] = False,
    grade_at_least: Annotated[str | None, typer.Option(
        "--grade-at-least", help="Claims with a stance or evidence graded this or better "
        "(B3: reliability A or B, credibility 1–3).")] = None,
    reliability: Annotated[str | None, typer.Option(
        help="Claims with a stance or evidence of this source reliability or better (A–F).")]
    = None,
    credibility: Annotated[int | None, typer.Option(
        min=1, max=6, help="… of this information credibility or better (1–6).")] = None,
) -> None:
    """List claims, filtered, oldest first, a page at a time (--all for every one).

    Example: nkru-claims list --contested --denied-by Kremlin
    """
    from nkru_claims.reports import claim_summaries, describe_page
    from nkru_claims.services.listing import ClaimFilter, page_claims

    if as_json and as_csv:
        raise fail("choose one of --json and --csv")
    filters = ClaimFilter(
        statuses=[*(status or []), *(["contested"] if contested else [])],
        party=party, asserted_by=asserted_by, denied_by=denied_by, search=search,
        about_from=_date(about_from), about_to=_date(about_to, end=True),
        verdicts=verdict or [], unit=unit, quantity_min=quantity_min,
        quantity_max=quantity_max, source=source, language=language,
        grade_at_least=grade_at_least, reliability=reliability, credibility=credibility,
        limit=page_size(limit, show_all), after=after,
    )
    with transaction(ctx) as session:
        page = page_claims(session, filters)
        rows = claim_summaries(session, page.claims)
    footer = describe_page(len(rows), page.total, page.next_after)
    if as_json:
        echo_json(rows)  # no rich for scripts: it is the slowest import of a listing
    else:
        from nkru_claims.cli import render

        if as_csv:
            typer.echo(render.claims_csv(rows), nl=False)
        else:
            render.claims_table(rows, footer)
    if (as_json or as_csv) and page.next_after is not None:
        typer.echo(footer, err=True)  # stderr: the JSON or CSV itself stays clean


@app.command("show")
def show_command(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's ID.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one claim: its stances by kind, quotes, sources and evidence.

    Example: nkru-claims show 3
    """
    from nkru_claims.cli import render
    from nkru_claims.cli.series import add_series_to_detail, print_claim_series
    from nkru_claims.matching.facts import read_facts
    from nkru_claims.reports import claim_detail

    with transaction(ctx) as session:
        detail = add_series_to_detail(session, claim_detail(session, claim_id))
    detail["facts"] = read_facts(detail["text"]).describe()  # as the matcher reads the text
    if as_json:
        echo_json(detail)
    else:
        render.claim_detail(detail)
        print_claim_series(detail)
        _echo_facts(detail["facts"])
