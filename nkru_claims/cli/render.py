"""Terminal rendering with rich: tables for lists, grouped panels for one claim and the report.

Rich honours NO_COLOR and drops colour when output is not a terminal.

Stored text is data, never instructions to the terminal: rich would read ``[/]`` or
``[link=…]`` in a claim as markup (crashing, swallowing words, or making a live link),
and escape sequences imported from the web would reach the terminal raw. So every
stored value enters rich through ``stored`` (a ``Text``: no markup, controls spelt
out), and ``console()`` is an ``InertConsole`` that treats any plain string the same
way, for the commands that hand it strings directly (``party list``, ``source list``).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from nkru_claims.csv_cells import write_rows
from nkru_claims.reports import (
    describe_period,
    describe_source,
    report_page_line,
    visible_controls,
)

STATUS_STYLES = {
    "contested": "bold red",
    "denied": "magenta",
    "questioned": "yellow",
    "asserted": "green",
    "unverified": "dim",
}
SIDE_MARKS = {"asserting": "+ asserts", "denying": "− denies", "questioning": "? questions"}


class InertConsole(Console):
    """A console on which a string is only ever text: no markup, no emoji codes, no
    highlighting, and control characters spelt out."""

    def render_str(self, text: str, **options: Any) -> Text:
        options.update(markup=False, emoji=False, highlight=False)
        return super().render_str(visible_controls(text), **options)


def console() -> Console:
    return InertConsole(soft_wrap=False, highlight=False, markup=False, emoji=False)


def stored(value: object, style: str = "") -> Text:
    """A stored value (a claim, a name, a quote…) as inert terminal text."""
    return Text(visible_controls("" if value is None else str(value)), style=style)


def _period(row: dict[str, Any]) -> str:
    return describe_period(row.get("period_start"), row.get("period_end"))


def claims_table(rows: list[dict[str, Any]], footer: str) -> None:
    out = console()
    if not rows:
        out.print("No claims match.")
        return
    # Words wrap whole; a word wider than its column is cut with "…" rather than split
    # into pieces ("sold iers"). Six columns, each with room for a figure or a name, fit
    # 80 columns: the quantity and the period share one.
    table = Table(expand=True)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True, min_width=10)
    table.add_column("Claim", ratio=3, overflow="ellipsis", min_width=16)
    table.add_column("Quantity, about", ratio=2, overflow="ellipsis", min_width=11)
    for name in ("Asserted by", "Denied by"):
        table.add_column(name, ratio=2, overflow="ellipsis", min_width=9)
    for row in rows:
        status = stored(row["status"], STATUS_STYLES.get(row["status"], ""))
        if row.get("verdict"):
            status.append_text(stored(f"\nverdict:\n{row['verdict'].replace('_', ' ')}",
                                      "bold"))
        facts = [row["quantity"]["description"]] if row["quantity"] else []
        facts += [_period(row)] if _period(row) else []
        table.add_row(
            str(row["id"]),
            status,
            stored(row["text"]),
            stored("\n".join(facts)),
            stored(", ".join(row["asserted_by"])),
            stored(", ".join(row["denied_by"])),
        )
    out.print(table)
    out.print(footer)


CSV_COLUMNS = (
    "id", "ref", "status", "verdict", "text", "quantity_low", "quantity_high", "quantity_unit",
    "quantity_approximate", "period_start", "period_end", "asserted_by", "denied_by",
    "questioned_by", "sources",
)


def claims_csv(rows: list[dict[str, Any]], *, raw: bool = False) -> str:
    """The listing as CSV; a cell a spreadsheet would run as a formula gets a leading
    apostrophe unless ``raw`` (see ``nkru_claims.csv_cells``)."""
    lines: list[list[Any]] = [list(CSV_COLUMNS)]
    for row in rows:
        quantity = row["quantity"] or {}
        lines.append([
            row["id"], row["ref"] or "", row["status"], row["verdict"] or "", row["text"],
            _number(quantity.get("low")), _number(quantity.get("high")),
            quantity.get("unit") or "",
            str(bool(quantity.get("approximate"))).lower() if row["quantity"] else "",
            row["period_start"] or "", row["period_end"] or "",
            "; ".join(row["asserted_by"]), "; ".join(row["denied_by"]),
            "; ".join(row["questioned_by"]), len(row["sources"]),
        ])
    return write_rows(lines, raw=raw)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _stance_text(stance: dict[str, Any], *, with_party: bool = True) -> Text:
    text = Text()
    if with_party:
        text.append_text(stored(stance["party"], "bold"))
        text.append(" ")
    text.append_text(stored(stance["kind"].replace("_", " ")))
    if stance["stated_on"]:
        text.append_text(stored(f" on {stance['stated_on']}"))
    if stance.get("relays"):
        text.append_text(stored(f" (relaying {stance['relays']})"))
    if stance.get("grade"):
        text.append_text(stored(f" [grade {stance['grade']}]", "magenta"))
    text.append_text(stored(f"  [{describe_source(stance['source'])}]", "cyan"))
    if stance["quote"]:
        text.append_text(stored(f"\n    “{stance['quote']}”", "italic"))
    return text


def claim_detail(detail: dict[str, Any]) -> None:
    out = console()
    out.print(Text(f"Claim #{detail['id']}", style="bold"), stored(
        f" [{detail['status']}]", STATUS_STYLES.get(detail["status"], "")))
    out.print(stored(detail["text"]))
    facts = []
    if detail["quantity"]:
        facts.append(f"Quantity: {detail['quantity']['description']}")
    if _period(detail):
        facts.append(f"About: {_period(detail)}")
    if detail["verdict"]:
        note = f" — {detail['verdict_note']}" if detail["verdict_note"] else ""
        facts.append(f"Editorial verdict: {detail['verdict']}{note}")
    if detail["ref"]:
        facts.append(f"Ref: {detail['ref']}")
    for fact in facts:
        out.print(stored(fact))
    if detail["wordings"]:
        out.print(Text("\nWordings", style="bold underline"))
        for wording in detail["wordings"]:
            out.print(stored(f"  “{wording['text']}”  [{describe_source(wording['source'])}]"))
    if detail["stances"]:
        for kind, stances in detail["stances"].items():
            out.print(Text(f"\n{kind.replace('_', ' ').capitalize()}", style="bold underline"))
            for stance in stances:
                line = Text(f"  #{stance['id']} ", style="dim")
                line.append_text(_stance_text(stance))
                out.print(line)
    else:
        out.print("\nNo stances recorded.")
    if detail["evidence"]:
        out.print(Text("\nEvidence", style="bold underline"))
        for item in detail["evidence"]:
            grade = f" [grade {item['grade']}]" if item.get("grade") else ""
            out.print(stored(f"  #{item['id']} ({item['bearing']}) {item['description']}  "
                             f"[{describe_source(item['source'])}]{grade}"))
    if detail["sources"]:
        out.print(Text("\nSources", style="bold underline"))
        for source in detail["sources"]:
            title = f" — {source['title']}" if source["title"] and source["outlet"] else ""
            named = source["outlet"] or source["title"]
            url = f"\n    {source['url']}" if source["url"] and named else ""
            out.print(stored(f"  [{source['id']}] {describe_source(source)}{title}{url}"))


def who_asserts_report(report: dict[str, Any]) -> None:
    out = console()
    out.print(Text("Who asserts, who denies", style="bold"))
    if not report["claims"]:
        out.print("No contested claims.")
    else:
        out.print(stored(report_page_line(report), "dim"))
    for claim in report["claims"]:
        out.print()
        out.print(Text(f"#{claim['id']} ", style="bold"), stored(claim["text"], "bold"))
        if claim.get("backing"):
            out.print(stored(f"  {claim['backing']}", "dim"))
        if claim.get("verdict"):
            note = f" — {claim['verdict_note']}" if claim.get("verdict_note") else ""
            out.print(stored(f"  Verdict: {claim['verdict'].replace('_', ' ')}{note}", "bold"))
        for side, mark in SIDE_MARKS.items():
            for stance in claim[side]:
                line = Text(f"  {mark.split()[0]} ", style="bold")
                line.append_text(_stance_text(stance))
                out.print(line)
    out.print()
    out.print(Text("Party records (on the claims above)", style="bold"))
    table = Table(expand=False)
    for name in ("Party", "Asserts", "Denies", "Questions"):
        table.add_column(name, overflow="ellipsis")
    for record in report["parties"]:
        table.add_row(
            stored(record["party"]),
            *(", ".join(f"#{c['id']}" for c in record[bucket])
              for bucket in ("asserts", "denies", "questions")),
        )
    out.print(table)
