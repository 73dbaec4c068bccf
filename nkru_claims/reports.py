"""Report data first, renderers after.

Builders read the database and return plain dictionaries (JSON-ready, dates as ISO
strings); ``render_markdown`` and the CLI's terminal renderer only lay them out. A
stance's side comes from its kind: asserts/supports/condemns affirm, denies denies,
questions doubts, declines_to_comment is listed apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from nkru_claims.in_lists import in_batches
from nkru_claims.models import Claim, ClaimSource, ClaimWording, Evidence, Party, Source, Stance
from nkru_claims.services.claims import claim_quantity, get_claim
from nkru_claims.services.listing import ClaimFilter, page_claims
from nkru_claims.services.origins import (
    origin_counts,
    origin_roots,
    relay_dict,
    relayed_party_names,
    summary_backing,
)
from nkru_claims.status import AFFIRMING, DENYING, DOUBTING, StanceFact, positions

SIDES = (("asserting", AFFIRMING), ("denying", DENYING), ("questioning", DOUBTING))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def source_dict(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "id": source.id, "url": source.url, "outlet": source.outlet, "title": source.title,
        "author": source.author, "language": source.language,
        "published_on": _iso(source.published_on),
    }


def quantity_dict(claim: Claim) -> dict[str, Any] | None:
    quantity = claim_quantity(claim)
    if quantity is None:
        return None
    return {
        "text": quantity.text, "low": quantity.low, "high": quantity.high,
        "unit": quantity.unit, "approximate": quantity.approximate,
        "description": quantity.describe(),
    }


def _stance_rows(session: Session, claim_ids: Sequence[int]) -> list[tuple[Stance, Party]]:
    rows: list[tuple[Stance, Party]] = []
    for chunk in in_batches(claim_ids):
        rows.extend(session.exec(
            select(Stance, Party).join(Party, col(Party.id) == Stance.party_id)
            .where(col(Stance.claim_id).in_(chunk)).order_by(Stance.id)
        ).all())
    return rows


def stance_facts(
    session: Session, claim_ids: Sequence[int]
) -> tuple[dict[int, list[StanceFact]], dict[int, str]]:
    """The status-deciding facts of these claims' stances, and the names of their parties.

    Plain columns, not ORM objects: this runs for every listed or reported claim.
    """
    facts: dict[int, list[StanceFact]] = defaultdict(list)
    names: dict[int, str] = {}
    for batch in in_batches(claim_ids):
        for claim_id, party_id, kind, stated_on, stance_id, name in session.execute(
            select(Stance.claim_id, Stance.party_id, Stance.kind, Stance.stated_on, Stance.id,
                   Party.name).join(Party, col(Party.id) == Stance.party_id)
            .where(col(Stance.claim_id).in_(batch))
            .order_by(Stance.id)
        ):
            facts[claim_id].append(StanceFact(party_id, kind, stated_on, stance_id))
            names[party_id] = name
    return facts, names


def claim_summaries(session: Session, claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """One row a claim, with the parties on each side by their current position.

    ``sources`` is the list of the claim's sources (as in ``show``): the same shape in
    ``list --json`` and ``show --json``.
    """
    ids = [c.id for c in claims]
    facts, names = stance_facts(session, ids)
    source_ids: dict[int, list[int]] = defaultdict(list)
    for chunk in in_batches(ids):
        for claim_id, source_id in session.execute(
            select(ClaimSource.claim_id, ClaimSource.source_id)
            .where(col(ClaimSource.claim_id).in_(chunk)).order_by(ClaimSource.source_id)
        ):
            source_ids[claim_id].append(source_id)
    all_sources = _sources_by_id(session, (i for found in source_ids.values() for i in found))
    origins = origin_counts(session, ids, source_ids,
                            {i: s.relays_source_id for i, s in all_sources.items()})
    summaries = []
    for claim in claims:
        held = positions(facts[claim.id])
        by_position: dict[str, list[str]] = defaultdict(list)
        for party_id, position in held.items():
            by_position[position].append(names[party_id])
        summaries.append({
            "id": claim.id, "ref": claim.ref, "text": claim.text, "status": claim.status,
            "verdict": claim.verdict, "quantity": quantity_dict(claim),
            "period_start": _iso(claim.period_start), "period_end": _iso(claim.period_end),
            "asserted_by": sorted(by_position["affirms"]),
            "denied_by": sorted(by_position["denies"]),
            "questioned_by": sorted(by_position["doubts"]),
            "sources": [source_dict(all_sources[i]) for i in source_ids[claim.id]
                        if i in all_sources],
            "origins": origins.get(claim.id, 0),
        })
    return summaries


def _stance_dict(stance: Stance, party_name: str, sources: dict[int, Source],
                 relayed: dict[int, str] | None = None) -> dict[str, Any]:
    from nkru_claims.services.origins import grade_text

    return {
        "id": stance.id, "party": party_name, "kind": stance.kind,
        "stated_on": _iso(stance.stated_on), "quote": stance.quote,
        "quote_language": stance.quote_language,
        "source": source_dict(sources.get(stance.source_id)) if stance.source_id else None,
        "grade": grade_text(stance.source_reliability, stance.info_credibility),
        "relays": (relayed or {}).get(stance.relays_party_id),
    }


def _sources_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, Source]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {s.id: s for s in session.exec(select(Source).where(col(Source.id).in_(wanted)))}


def claim_detail(session: Session, claim_id: int) -> dict[str, Any]:
    """Everything recorded about one claim, stances grouped by kind."""
    claim = get_claim(session, claim_id)
    stance_rows = _stance_rows(session, [claim.id])
    wordings = session.exec(
        select(ClaimWording).where(ClaimWording.claim_id == claim.id).order_by(ClaimWording.id)
    ).all()
    evidence = session.exec(
        select(Evidence).where(Evidence.claim_id == claim.id).order_by(Evidence.id)
    ).all()
    linked = session.exec(
        select(ClaimSource.source_id).where(ClaimSource.claim_id == claim.id)
    ).all()
    sources = _sources_by_id(
        session,
        [*linked, *(s.source_id for s, _ in stance_rows), *(w.source_id for w in wordings),
         *(e.source_id for e in evidence)],
    )
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    relayed = relayed_party_names(session, (s for s, _ in stance_rows))
    for stance, party in stance_rows:
        grouped[stance.kind].append(_stance_dict(stance, party.name, sources, relayed))
    summary = claim_summaries(session, [claim])[0]
    from nkru_claims.services.origins import grade_text

    roots = origin_roots(session, [i for i in linked if i in sources],
                         {i: s.relays_source_id for i, s in sources.items()})
    return {
        **summary,
        "backing": summary_backing(summary),
        "language": claim.language,
        "verdict_note": claim.verdict_note,
        "created_at": claim.created_at.isoformat(timespec="seconds"),
        "updated_at": claim.updated_at.isoformat(timespec="seconds"),
        "wordings": [
            {"text": w.text, "language": w.language,
             "source": source_dict(sources.get(w.source_id)) if w.source_id else None}
            for w in wordings
        ],
        "stances": dict(grouped),
        "evidence": [
            {"id": e.id, "description": e.description, "bearing": e.bearing, "quote": e.quote,
             "source": source_dict(sources.get(e.source_id)) if e.source_id else None,
             "grade": grade_text(e.source_reliability, e.info_credibility)}
            for e in evidence
        ],
        "sources": [{**source_dict(sources[i]), "relays": relay_dict(sources[i], roots)}
                    for i in sorted(linked) if i in sources],
    }


def who_asserts_who_denies(
    session: Session, *, statuses: Sequence[str] = ("contested",), limit: int | None = None,
    after: int | None = None,
) -> dict[str, Any]:
    """For a page of claims with these statuses, the two sides; for each party, its record
    on those claims. ``total`` counts every such claim; ``next_after`` starts the next page.
    """
    page = page_claims(session, ClaimFilter(statuses=statuses, limit=limit, after=after))
    claims = page.claims
    stance_rows = _stance_rows(session, [c.id for c in claims])
    sources = _sources_by_id(session, (s.source_id for s, _ in stance_rows))
    by_claim: dict[int, list[tuple[Stance, str]]] = defaultdict(list)
    for stance, party in stance_rows:
        by_claim[stance.claim_id].append((stance, party.name))
    relayed = relayed_party_names(session, (s for s, _ in stance_rows))
    summaries = {row["id"]: row for row in claim_summaries(session, claims)}
    claim_entries = []
    for claim in claims:
        summary = summaries[claim.id]
        entry: dict[str, Any] = {
            "id": claim.id, "text": claim.text, "status": claim.status,
            "verdict": claim.verdict, "verdict_note": claim.verdict_note,
            "quantity": quantity_dict(claim),
            "period_start": _iso(claim.period_start), "period_end": _iso(claim.period_end),
            "sources": len(summary["sources"]), "origins": summary["origins"],
            "backing": summary_backing(summary),
        }
        for side, kinds in SIDES:
            entry[side] = [
                _stance_dict(s, name, sources, relayed)
                for s, name in by_claim[claim.id] if s.kind in kinds
            ]
        claim_entries.append(entry)
    shown = {c.id: c for c in claims}
    records = _records(sorted(
        ((party.name, party.kind, stance.kind, stance.claim_id, shown[stance.claim_id].text,
          shown[stance.claim_id].status) for stance, party in stance_rows),
        key=lambda row: (row[0], row[3])))
    return {"statuses": list(statuses), "total": page.total, "next_after": page.next_after,
            "claims": claim_entries, "parties": records}


def party_records(session: Session, *, party_id: int | None = None) -> list[dict[str, Any]]:
    """Each party that takes a stance (or only ``party_id``, through the party index),
    with the live claims it affirms, denies and questions."""
    query = (
        select(Party.name, Party.kind, Stance.kind, Claim.id, Claim.text, Claim.status)
        .join(Stance, col(Stance.party_id) == Party.id)
        .join(Claim, col(Claim.id) == Stance.claim_id)
        .where(col(Claim.deleted_at).is_(None))
    )
    if party_id is not None:
        query = query.where(Stance.party_id == party_id)
    return _records(session.exec(query.order_by(Party.name, Claim.id)).all())


def _records(rows: Iterable[tuple[str, str, str, int, str, str]]) -> list[dict[str, Any]]:
    """Party records from (party, party kind, stance kind, claim id, text, status) rows,
    ordered by party and claim."""
    records: dict[str, dict[str, Any]] = {}
    for party_name, party_kind, stance_kind, claim_id, text, status in rows:
        record = records.setdefault(
            party_name,
            {"party": party_name, "kind": party_kind, "asserts": [], "denies": [], "questions": []},
        )
        bucket = ("asserts" if stance_kind in AFFIRMING else "denies" if stance_kind in DENYING
                  else "questions" if stance_kind in DOUBTING else None)
        # Rows come ordered by claim: a repeated stance on one claim is the previous entry.
        if bucket and (not record[bucket] or record[bucket][-1]["id"] != claim_id):
            record[bucket].append({"id": claim_id, "text": text, "status": status})
    return [r for r in records.values() if r["asserts"] or r["denies"] or r["questions"]]


# C0 and C1 controls (ESC starts ANSI/OSC sequences, CSI U+009B is one on its own, BEL
# and CR hide text, FF clears) and the invisible bidirectional controls that reorder
# what a reader sees (U+202E). Newline and tab are layout, kept.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f"
                       "\u202a-\u202e\u2066-\u2069]")


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """Stored text with every control character spelt out (``\\x1b``, ``\\u202e``).

    Why: text imported from the web or a spreadsheet may carry terminal escape
    sequences (clear the screen, retitle the window, hide a hyperlink) or bidi
    overrides; shown raw they act on the reader's terminal instead of being read.
    """
    return _CONTROLS.sub(_escape_control, text)


def describe_period(start: str | None, end: str | None, *, undated: str = "") -> str:
    """'2024-10-08 → 2024-10-13', 'since 2023-09-01', one day, or ``undated``."""
    if start and end:
        return start if start == end else f"{start} \u2192 {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return undated


def describe_source(source: dict[str, Any] | None) -> str:
    if not source:
        return "no source"
    name = (source.get("outlet") or source.get("title") or source.get("url")
            or f"source {source['id']}")
    if source.get("published_on"):
        name += f", {source['published_on']}"
    return name


_MARKDOWN_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]~|!#$]|[&<>]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def md(value: object) -> str:
    """Stored text as literal Markdown inline text: nothing in it is read as markup.

    Line breaks become spaces (a claim's second line could otherwise start a heading,
    list or table, so stored text never begins a line and line-start syntax needs no
    escape); ``&``, ``<`` and ``>`` become entities (no raw HTML such as ``<script>`` or
    ``<img onerror>``, no autolinks); the inline syntax of CommonMark and GitHub is
    backslash-escaped (no ``[x](javascript:…)`` links, code spans, emphasis, strike,
    math, table cells, closing ``#``); control characters are spelt out.
    """
    text = visible_controls(_LINE_BREAKS.sub(" ", "" if value is None else str(value)))
    return _MARKDOWN_SPECIAL.sub(
        lambda m: _MARKDOWN_ENTITIES.get(m.group(), "\\" + m.group()), text)


def _md_link(url: str) -> str:
    """An address as a Markdown autolink when it is a plain http(s) URL, else as text."""
    return f"<{url}>" if _SAFE_URL.fullmatch(url) else md(url)


def _stance_line(stance: dict[str, Any]) -> str:
    when = f" on {stance['stated_on']}" if stance["stated_on"] else ""
    line = f"- **{md(stance['party'])}** {md(stance['kind'].replace('_', ' '))}{md(when)}"
    if stance.get("relays"):
        line += f" (relaying {md(stance['relays'])})"
    if stance.get("grade"):
        line += f" \\[grade {md(stance['grade'])}\\]"
    line += f" ({md(describe_source(stance['source']))})"
    if stance["source"] and stance["source"].get("url"):
        line += f" {_md_link(stance['source']['url'])}"
    if stance["quote"]:
        line += f": “{md(stance['quote'])}”"
    return line


def describe_page(shown: int, total: int, next_after: int | None, noun: str = "claim") -> str:
    """'50 of 17,296 contested claims; next page: --after 812, or --all' (or just the count)."""
    nouns = noun if total == 1 else f"{noun}s"
    if next_after is None and shown == total:
        return f"{total:,} {nouns}"
    line = f"{shown:,} of {total:,} {nouns}"
    if next_after is not None:
        line += f"; next page: --after {next_after}, or --all"
    return line


def report_page_line(report: dict[str, Any]) -> str:
    statuses = "/".join(report.get("statuses") or ["contested"])
    return describe_page(len(report["claims"]), report.get("total", len(report["claims"])),
                         report.get("next_after"), f"{statuses} claim")


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown; every stored value goes through ``md``, so the page shows
    the data and never obeys it (the same report, safe to publish on a wiki or forge)."""
    lines = ["# Who asserts, who denies", ""]
    if not report["claims"]:
        lines += ["No contested claims.", ""]
    else:
        lines += [f"_{report_page_line(report)}_", ""]
    for claim in report["claims"]:
        lines += [f"## #{claim['id']} {md(claim['text'])}", "",
                  f"Status: {md(claim['status'])}"
                  + (f"; {md(claim['backing'])}" if claim.get("backing") else ""), ""]
        if claim.get("verdict"):
            note = f" — {md(claim['verdict_note'])}" if claim.get("verdict_note") else ""
            lines += [f"Verdict: **{md(claim['verdict'].replace('_', ' '))}**{note}", ""]
        for side, title in (("asserting", "Asserting"), ("denying", "Denying"),
                            ("questioning", "Questioning")):
            if claim[side]:
                lines += [f"**{title}**", "", *(_stance_line(s) for s in claim[side]), ""]
    lines += ["# Party records", "", "Each party's stances on the claims above.", ""]
    for record in report["parties"]:
        lines += [f"## {md(record['party'])} ({md(record['kind'].replace('_', ' '))})", ""]
        for bucket in ("asserts", "denies", "questions"):
            for claim in record[bucket]:
                lines.append(f"- {bucket}: #{claim['id']} {md(claim['text'])} "
                             f"[{md(claim['status'])}]")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
