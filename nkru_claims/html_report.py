"""The whole ledger as one self-contained HTML5 page.

Why one file with inline CSS and nothing fetched: a report is mailed, archived and
opened offline, sometimes by readers whose network is watched, so it must not load a
font, stylesheet, script or image from anywhere. Links to sources are plain ``<a>``
that load only when the reader follows them. The matrix marks each party's position
with a symbol *and* a word (colour is only a help), and every cell carries
``data-claim-id``, ``data-party`` and ``data-position`` so tools can read it back.
Quotes and wordings carry their ``lang`` so browsers pick the right CJK glyphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from sqlmodel import Session, col, func, select

from nkru_claims.models import STANCE_KINDS, STATUSES, Claim
from nkru_claims.reports import claim_detail, describe_period, stance_facts
from nkru_claims.status import AFFIRMING, DENYING, DOUBTING, StanceFact, positions

# position -> (symbol, class); the word shown next to it is the stance kind itself
MARKS = {"affirms": "+", "denies": "\u2212", "doubts": "?", "declines": "\u00b7"}
POSITION_KINDS = {"affirms": AFFIRMING, "denies": DENYING, "doubts": DOUBTING}

CSS = """
:root { color-scheme: light; --affirm: #1b6e3a; --deny: #a32020; --doubt: #8a5a00; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
  "Noto Sans CJK TC", "Noto Sans CJK KR", "PingFang SC", "Microsoft YaHei", "Malgun Gothic",
  sans-serif; margin: 0 auto; max-width: 78rem; padding: 1rem 1.5rem; line-height: 1.45;
  color: #1d1d1f; background: #fff; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 2px solid #ccc; margin-top: 2.2rem; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; list-style: none; }
.counts li { border: 1px solid #bbb; border-radius: .4rem; padding: .3rem .7rem; }
.counts b { font-size: 1.3rem; margin-right: .3rem; }
.status { font-size: .8rem; padding: 0 .4rem; border-radius: .3rem; border: 1px solid #999;
  white-space: nowrap; }
.status-contested { background: #fde8c8; } .status-denied { background: #f8d7d7; }
.status-asserted { background: #d9f0df; } .status-questioned { background: #fff3bf; }
.matrix-wrap { overflow-x: auto; border: 1px solid #ccc; }
table { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid #ddd; }
.matrix thead th { vertical-align: bottom; padding: .3rem .1rem; font-weight: 600; }
.matrix thead th span { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; font-size: .85rem; }
.matrix th[scope=row] { position: sticky; left: 0; background: #fafafa; text-align: left;
  font-weight: normal; min-width: 22rem; max-width: 28rem; padding: .25rem .5rem;
  font-size: .85rem; }
.matrix td { width: 1.7rem; height: 1.7rem; text-align: center; font-weight: 700;
  font-size: 1.15rem; }
.pos-affirms { color: var(--affirm); background: #e3f4e8; }
.pos-denies { color: var(--deny); background: #fbe3e3; }
.pos-doubts { color: var(--doubt); background: #fff4d6; }
.pos-declines { color: #666; }
.legend span.mark { display: inline-block; width: 1.4rem; text-align: center; font-weight: 700; }
.timeline { list-style: none; padding-left: 0; border-left: 3px solid #ccc; }
.timeline li { margin: .35rem 0; padding-left: .8rem; }
.when { font-variant-numeric: tabular-nums; color: #444; display: inline-block;
  min-width: 13rem; }
.claim { border-top: 1px solid #ccc; padding-top: .5rem; margin-top: 1.5rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.stances { width: 100%; font-size: .9rem; }
.stances td:nth-child(2), .stances td:nth-child(3) { white-space: nowrap; }
.stances th, .stances td { border-bottom: 1px solid #e2e2e2; padding: .3rem .4rem;
  text-align: left; vertical-align: top; }
blockquote { margin: 0; font-style: normal; }
cite { font-style: normal; }
blockquote::before { content: "\\201C"; } blockquote::after { content: "\\201D"; }
a { color: #0b57d0; }
@media print { .matrix-wrap { overflow: visible; } a { color: inherit; } }
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _lang(tag: str | None) -> str:
    return f' lang="{_e(tag)}"' if tag else ""


def _period(start: str | None, end: str | None) -> str:
    return describe_period(start, end, undated="no date")


def render_html(session: Session, *, title: str = "nkru-claims: who asserts, who denies",
                statuses: Sequence[str] | None = None) -> str:
    """The full report: counts, matrix, timeline, then one section per claim; only the
    claims with ``statuses`` when given (``report`` passes the same as its other formats)."""
    query = select(Claim).where(col(Claim.deleted_at).is_(None))
    if statuses:
        query = query.where(col(Claim.status).in_(list(statuses)))
    claims = list(session.exec(query.order_by(Claim.id)).all())
    details = [claim_detail(session, c.id) for c in claims]
    body = [
        f"<header><h1>{_e(title)}</h1>{_counts(session, len(claims))}</header>",
        "<nav><a href=\"#matrix\">Matrix</a> · <a href=\"#timeline\">Timeline</a> · "
        "<a href=\"#claims\">Claims</a> · <a href=\"#series\">Series</a></nav>",
        _matrix(session, claims),
        _series(session),
        _timeline(claims),
        "<section id=\"claims\"><h2>Claims</h2>",
        *(_claim_section(d) for d in details),
        "</section>",
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _series(session: Session) -> str:
    """Each confirmed series of estimates as an inline SVG chart (``series_chart``)."""
    from nkru_claims.series_chart import series_section
    from nkru_claims.services.series import list_series

    return series_section(list_series(session))


def _counts(session: Session, total: int) -> str:
    counts = dict(session.exec(select(Claim.status, func.count()).group_by(Claim.status)).all())
    items = [f"<li><b>{total}</b>claims</li>"] + [
        f"<li class=\"status-{_e(s)}\" data-status=\"{_e(s)}\"><b>{counts.get(s, 0)}</b>{_e(s)}"
        "</li>"
        for s in STATUSES
    ]
    return f"<ul class=\"counts\">{''.join(items)}</ul>"


def _cell_state(facts: list[StanceFact], party_id: int) -> tuple[str, str | None]:
    """(position, the kind that holds it) for one party on one claim; 'none' when it has none."""
    mine = [f for f in facts if f.party_id == party_id]
    position = positions(mine).get(party_id)
    if position is None:
        declined = any(f.kind == "declines_to_comment" for f in mine)
        return "none", "declines_to_comment" if declined else None
    holding = [f for f in mine if f.kind in POSITION_KINDS[position]]
    latest = max(holding, key=lambda f: (f.stated_on is not None, f.stated_on or date.min,
                                         f.order))
    return position, latest.kind


def _matrix(session: Session, claims: list[Claim]) -> str:
    facts, names = stance_facts(session, [c.id for c in claims])
    parties = sorted(names, key=lambda pid: names[pid].casefold())
    legend = (
        "<p class=\"legend\">Each cell is the party's current position (its latest stance "
        "that takes one): "
        f"<span class=\"mark pos-affirms\">{MARKS['affirms']}</span> asserts, supports or "
        f"condemns; <span class=\"mark pos-denies\">{MARKS['denies']}</span> denies; "
        f"<span class=\"mark pos-doubts\">{MARKS['doubts']}</span> questions; "
        f"<span class=\"mark pos-declines\">{MARKS['declines']}</span> declined to comment; "
        "empty: no stance. Hover a cell for the stance.</p>"
    )
    head = "".join(f"<th scope=\"col\" title=\"{_e(names[p])}\"><span>{_e(names[p])}</span></th>"
                   for p in parties)
    body = []
    for claim in claims:
        if not facts.get(claim.id):
            continue
        cells = []
        for party_id in parties:
            position, kind = _cell_state(facts[claim.id], party_id)
            name = names[party_id]
            attrs = (f"data-claim-id=\"{claim.id}\" data-party=\"{_e(name)}\" "
                     f"data-party-id=\"{party_id}\" data-position=\"{position}\"")
            if kind is None:
                cells.append(f"<td {attrs}><span class=\"vh\">no stance</span></td>")
                continue
            word = kind.replace("_", " ")
            css = "declines" if position == "none" else position
            cells.append(
                f"<td class=\"pos-{css}\" {attrs} data-kind=\"{_e(kind)}\" "
                f"title=\"{_e(name)} {_e(word)} #{claim.id}\">"
                f"<span aria-hidden=\"true\">{MARKS[css]}</span><span class=\"vh\">{_e(word)}"
                "</span></td>"
            )
        label = claim.text if len(claim.text) <= 110 else claim.text[:107] + "…"
        body.append(
            f"<tr><th scope=\"row\" title=\"{_e(claim.text)}\"><a href=\"#claim-{claim.id}\">"
            f"#{claim.id}</a> {_e(label)} <span class=\"status status-{_e(claim.status)}\">"
            f"{_e(claim.status)}</span></th>{''.join(cells)}</tr>"
        )
    if not body:
        table = "<p>No claim has a stance yet.</p>"
    else:
        table = (
            "<div class=\"matrix-wrap\"><table class=\"matrix\"><caption class=\"vh\">Claims "
            "by party position</caption><thead><tr><th scope=\"col\">Claim</th>"
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )
    return (f"<section id=\"matrix\"><h2>Who asserts, who denies</h2>{legend}{table}"
            "</section>")


def _timeline(claims: list[Claim]) -> str:
    dated = sorted((c for c in claims if c.period_start or c.period_end),
                   key=lambda c: (c.period_start or c.period_end, c.period_end or date.max, c.id))
    undated = [c for c in claims if not (c.period_start or c.period_end)]

    def item(claim: Claim) -> str:
        when = _period(claim.period_start and claim.period_start.isoformat(),
                       claim.period_end and claim.period_end.isoformat())
        return (f"<li><span class=\"when\">{_e(when)}</span> <a href=\"#claim-{claim.id}\">"
                f"#{claim.id} {_e(claim.text)}</a> <span class=\"status "
                f"status-{_e(claim.status)}\">{_e(claim.status)}</span></li>")

    parts = ["<section id=\"timeline\"><h2>Timeline</h2>",
             "<p>Claims by the period they are about (not when they were made).</p>",
             f"<ol class=\"timeline\">{''.join(item(c) for c in dated)}</ol>"]
    if undated:
        parts.append(f"<h3>No date</h3><ul class=\"timeline\">"
                     f"{''.join(item(c) for c in undated)}</ul>")
    parts.append("</section>")
    return "".join(parts)


def _source_html(source: dict[str, Any] | None) -> str:
    if not source:
        return "<span class=\"nosource\">no source</span>"
    label = source.get("title") or source.get("outlet") or source.get("url") or "source"
    # Stored URLs are http(s) (``normalise_url``); checked again here because an href
    # is the one place where an escaped value still acts (javascript:, data:).
    url = source.get("url") or ""
    linked = (f"<a href=\"{_e(url)}\" rel=\"noreferrer\"{_lang(source.get('language'))}>"
              f"{_e(label)}</a>" if url.lower().startswith(("http://", "https://")) else
              f"<cite{_lang(source.get('language'))}>{_e(label)}</cite>")
    extra = [x for x in (source.get("outlet") if label != source.get("outlet") else None,
                         source.get("published_on")) if x]
    return linked + "".join(f", {_e(x)}" for x in extra)


def _stance_rows(detail: dict[str, Any]) -> str:
    order = {kind: i for i, kind in enumerate(STANCE_KINDS)}
    stances = sorted((s for group in detail["stances"].values() for s in group),
                     key=lambda s: (order.get(s["kind"], 99), s["stated_on"] or "", s["id"]))
    if not stances:
        return "<p>No stances recorded.</p>"
    rows = []
    for s in stances:
        position = ("affirms" if s["kind"] in AFFIRMING else "denies" if s["kind"] in DENYING
                    else "doubts" if s["kind"] in DOUBTING else "declines")
        quote = (f"<blockquote{_lang(s['quote_language'])}>{_e(s['quote'])}</blockquote>"
                 if s["quote"] else "")
        rows.append(
            f"<tr data-stance-id=\"{s['id']}\"><td>{_e(s['party'])}"
            + (f" <small>relaying {_e(s['relays'])}</small>" if s.get("relays") else "")
            + (f" <small class=\"grade\" title=\"Admiralty grade: source reliability A–F, "
               f"information credibility 1–6\">[{_e(s['grade'])}]</small>"
               if s.get("grade") else "") + "</td>"
            f"<td class=\"pos-{position}\"><span aria-hidden=\"true\">{MARKS[position]}</span> "
            f"{_e(s['kind'].replace('_', ' '))}</td><td>{_e(s['stated_on'] or '—')}</td>"
            f"<td>{quote}</td><td>{_source_html(s['source'])}</td></tr>"
        )
    return ("<table class=\"stances\"><thead><tr><th>Party</th><th>Stance</th><th>Said on</th>"
            f"<th>Quote</th><th>Reported in</th></tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table>")


def _claim_section(detail: dict[str, Any]) -> str:
    facts = [("Status", f"<span class=\"status status-{_e(detail['status'])}\">"
                        f"{_e(detail['status'])}</span>")]
    if detail["verdict"]:
        note = f" — {_e(detail['verdict_note'])}" if detail["verdict_note"] else ""
        facts.append(("Verdict", f"<strong>{_e(detail['verdict'].replace('_', ' '))}</strong>"
                                 f"{note}"))
    if detail["quantity"]:
        quantity = detail["quantity"]
        said = f" (“{_e(quantity['text'])}”)" if quantity["text"] else ""
        facts.append(("Quantity", f"{_e(quantity['description'])}{said}"))
    facts.append(("About", _e(_period(detail["period_start"], detail["period_end"]))))
    if detail.get("backing"):
        facts.append(("Backing", _e(detail["backing"])))
    if detail["ref"]:
        facts.append(("Ref", f"<code>{_e(detail['ref'])}</code>"))
    parts = [
        f"<section class=\"claim\" id=\"claim-{detail['id']}\">",
        f"<h3{_lang(detail['language'])}>#{detail['id']} {_e(detail['text'])}</h3>",
        "<dl class=\"facts\">" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
        "<h4>Stances</h4>", _stance_rows(detail),
    ]
    if detail["wordings"]:
        parts.append("<h4>Wordings</h4><ul>" + "".join(
            f"<li><q{_lang(w['language'])}>{_e(w['text'])}</q> — {_source_html(w['source'])}</li>"
            for w in detail["wordings"]) + "</ul>")
    if detail["evidence"]:
        parts.append("<h4>Evidence</h4><ul>" + "".join(
            f"<li><strong>{_e(e['bearing'])}</strong>: {_e(e['description'])}"
            + (f" <small class=\"grade\">[{_e(e['grade'])}]</small>" if e.get("grade") else "")
            + (f" <q{_lang((e['source'] or {}).get('language'))}>{_e(e['quote'])}</q>"
               if e["quote"] else "")
            + f" — {_source_html(e['source'])}</li>" for e in detail["evidence"]) + "</ul>")
    if detail["sources"]:
        parts.append("<h4>Sources</h4><ul>" + "".join(
            f"<li>{_source_html(s)}</li>" for s in detail["sources"]) + "</ul>")
    parts.append("<p><a href=\"#matrix\">↑ back to the matrix</a></p></section>")
    return "".join(parts)

