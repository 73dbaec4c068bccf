"""Terminal rendering with rich: tables for lists, grouped panels for one claim and the report.

Rich honours NO_COLOR and drops colour when output is not a terminal.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from nkru_claims.reports import describe_period, describe_source, report_page_line

STATUS_STYLES = {
    "contested": "bold red",
    "denied": "magenta",
    "questioned": "yellow",
    "asserted": "green",
    "unverified": "dim",
}
SIDE_MARKS = {"asserting": "+ asserts", "denying": "− denies", "questioning": "? questions"}


def console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _period(row: dict[str, Any]) -> str:
    return describe_period(row.get("period_start"), row.get("period_end"))


def claims_table(rows: list[dict[str, Any]], footer: str) -> None:
    out = console()
    if not rows:
        out.print("No claims match.")
        return
    table = Table(expand=True)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Claim", ratio=4, overflow="fold")
    for name in ("Quantity", "About", "Asserted by", "Denied by"):
        table.add_column(name, ratio=2 if name.endswith("by") else 1, overflow="fold")
    for row in rows:
        quantity = row["quantity"]["description"] if row["quantity"] else ""
        table.add_row(
            str(row["id"]),
            Text(row["status"], style=STATUS_STYLES.get(row["status"], "")),
            row["text"],
            quantity,
            _period(row),
            ", ".join(row["asserted_by"]),
            ", ".join(row["denied_by"]),
        )
    out.print(table)
    out.print(footer)


CSV_COLUMNS = (
    "id", "ref", "status", "verdict", "text", "quantity_low", "quantity_high", "quantity_unit",
    "quantity_approximate", "period_start", "period_end", "asserted_by", "denied_by",
    "questioned_by", "sources",
)


def claims_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        quantity = row["quantity"] or {}
        writer.writerow([
            row["id"], row["ref"] or "", row["status"], row["verdict"] or "", row["text"],
            _number(quantity.get("low")), _number(quantity.get("high")),
            quantity.get("unit") or "", "yes" if quantity.get("approximate") else "",
            row["period_start"] or "", row["period_end"] or "",
            "; ".join(row["asserted_by"]), "; ".join(row["denied_by"]),
            "; ".join(row["questioned_by"]), row["sources"],
        ])
    return buffer.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _stance_text(stance: dict[str, Any], *, with_party: bool = True) -> Text:
    text = Text()
    if with_party:
        text.append(stance["party"], style="bold")
        text.append(" ")
    text.append(stance["kind"].replace("_", " "))
    if stance["stated_on"]:
        text.append(f" on {stance['stated_on']}")
    text.append(f"  [{describe_source(stance['source'])}]", style="cyan")
    if stance["quote"]:
        text.append(f"\n    “{stance['quote']}”", style="italic")
    return text


def claim_detail(detail: dict[str, Any]) -> None:
    out = console()
    out.print(Text(f"Claim #{detail['id']}", style="bold"), Text(
        f" [{detail['status']}]", style=STATUS_STYLES.get(detail["status"], "")))
    out.print(detail["text"])
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
        out.print(fact)
    if detail["wordings"]:
        out.print(Text("\nWordings", style="bold underline"))
        for wording in detail["wordings"]:
            out.print(f"  “{wording['text']}”  [{describe_source(wording['source'])}]")
    if detail["stances"]:
        for kind, stances in detail["stances"].items():
            out.print(Text(f"\n{kind.replace('_', ' ').capitalize()}", style="bold underline"))
            for stance in stances:
                line = Text("  ")
                line.append_text(_stance_text(stance))
                out.print(line)
    else:
        out.print("\nNo stances recorded.")
    if detail["evidence"]:
        out.print(Text("\nEvidence", style="bold underline"))
        for item in detail["evidence"]:
            out.print(f"  ({item['bearing']}) {item['description']}  "
                      f"[{describe_source(item['source'])}]")
    if detail["sources"]:
        out.print(Text("\nSources", style="bold underline"))
        for source in detail["sources"]:
            title = f" — {source['title']}" if source["title"] and source["outlet"] else ""
            named = source["outlet"] or source["title"]
            url = f"\n    {source['url']}" if source["url"] and named else ""
            out.print(f"  [{source['id']}] {describe_source(source)}{title}{url}")


def who_asserts_report(report: dict[str, Any]) -> None:
    out = console()
    out.print(Text("Who asserts, who denies", style="bold"))
    if not report["claims"]:
        out.print("No contested claims.")
    else:
        out.print(report_page_line(report), style="dim")
    for claim in report["claims"]:
        out.print()
        out.print(Text(f"#{claim['id']} ", style="bold"), Text(claim["text"], style="bold"))
        for side, mark in SIDE_MARKS.items():
            for stance in claim[side]:
                line = Text(f"  {mark.split()[0]} ", style="bold")
                line.append_text(_stance_text(stance))
                out.print(line)
    out.print()
    out.print(Text("Party records (on the claims above)", style="bold"))
    table = Table(expand=False)
    for name in ("Party", "Asserts", "Denies", "Questions"):
        table.add_column(name, overflow="fold")
    for record in report["parties"]:
        table.add_row(
            record["party"],
            *(", ".join(f"#{c['id']}" for c in record[bucket])
              for bucket in ("asserts", "denies", "questions")),
        )
    out.print(table)
