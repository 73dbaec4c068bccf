"""A series of estimates drawn as a self-contained inline SVG: figure against date stated.

Why SVG written by hand: the HTML report loads nothing and runs no script, so the chart
is markup inside the page. It must read without colour: each kind of figure has its own
shape and every marker carries a text label (figure, who, when). A bound is drawn as a
bound and a range as a range, never as a point:

- a point figure ("6,700") is a filled circle, an approximate one ("about 28,000") a
  hollow circle;
- "over 13,000" is an upward-pointing triangle at 13,000 with an open dashed bar and an
  arrow upwards (the figure is at least that);
- "up to N" is the same pointing down;
- a range ("10,000–12,000") is a solid bar with caps from the low to the high figure.

Every stored value passes through ``html.escape``.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 30, 50
LEGEND = ("● a figure · ○ about a figure · ▲ with an arrow up: over (at least) · "
          "▼ with an arrow down: up to · bar with caps: a range")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _nice_top(largest: float) -> float:
    """A round value a little above ``largest`` for the top of the figure axis."""
    if largest <= 0:
        return 1.0
    step = 10 ** (len(str(int(largest))) - 1)
    return float((int(largest * 1.1 / step) + 1) * step)


def series_svg(series: dict[str, Any]) -> str:
    """One series (as ``services.series.list_series`` gives it) as an ``<svg>`` element."""
    dated = [m for m in series["members"]
             if m["stated_on"] and (m["low"] is not None or m["high"] is not None)]
    label = series.get("label") or f"Series {series['id']}"
    unit = series.get("unit") or ""
    title_id = f"series-{series['id']}-title"
    desc = "; ".join(f"{m['figure']} ({', '.join(m['stated_by']) or 'unattributed'}, "
                     f"{m['stated_on'] or 'undated'})" for m in series["members"])
    head = (f"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" "
            f"width=\"100%\" role=\"img\" aria-labelledby=\"{title_id}\" class=\"series-chart\" "
            f"data-series-id=\"{series['id']}\" font-family=\"system-ui, sans-serif\" "
            f"font-size=\"11\"><title id=\"{title_id}\">{_e(label)}: {_e(unit)} by date stated"
            f"</title><desc>{_e(desc)}</desc>")
    if not dated:
        return head + ("<text x=\"10\" y=\"20\">No dated figure in this series.</text>"
                       "</svg>")
    days = [date.fromisoformat(m["stated_on"]).toordinal() for m in dated]
    first, last = min(days), max(days)
    top = _nice_top(max(max(v for v in (m["low"], m["high"]) if v is not None) for m in dated))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: int) -> float:
        return LEFT + (plot_w / 2 if last == first else (day - first) / (last - first) * plot_w)

    def y(value: float) -> float:
        return TOP + plot_h - value / top * plot_h

    parts = [head,
             f"<line x1=\"{LEFT}\" y1=\"{TOP + plot_h}\" x2=\"{LEFT + plot_w}\" "
             f"y2=\"{TOP + plot_h}\" stroke=\"#444\"/>",
             f"<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{TOP + plot_h}\" "
             "stroke=\"#444\"/>"]
    for fraction in (0, 0.5, 1):
        value = top * fraction
        parts.append(f"<text x=\"{LEFT - 6}\" y=\"{y(value) + 4:.1f}\" text-anchor=\"end\">"
                     f"{_e(_amount(value))}</text>")
        parts.append(f"<line x1=\"{LEFT}\" y1=\"{y(value):.1f}\" x2=\"{LEFT + plot_w}\" "
                     f"y2=\"{y(value):.1f}\" stroke=\"#ddd\"/>")
    parts.append(f"<text x=\"14\" y=\"{TOP + plot_h / 2:.1f}\" transform=\"rotate(-90 14 "
                 f"{TOP + plot_h / 2:.1f})\" text-anchor=\"middle\">{_e(unit)}</text>")
    parts.append(f"<text x=\"{LEFT + plot_w / 2:.1f}\" y=\"{HEIGHT - 8}\" "
                 "text-anchor=\"middle\">date stated</text>")
    trend = []
    last_label_x, row = -1e9, 0
    for member, day in zip(dated, days, strict=True):
        cx = x(day)
        # dates stated close together: their labels go on alternate lines, not on each other
        row = (1 - row) if cx - last_label_x < 75 else 0
        last_label_x = cx
        low, high = member["low"], member["high"]
        anchor = low if low is not None else high
        trend.append(f"{cx:.1f},{y(anchor):.1f}")
        parts.append(_marker(cx, low, high, member["approximate"], y, TOP, TOP + plot_h))
        parts.append(f"<text x=\"{cx:.1f}\" y=\"{TOP + plot_h + 16 + 13 * row}\" "
                     "text-anchor=\"middle\">"
                     f"{_e(member['stated_on'])}</text>")
        who = ", ".join(member["stated_by"]) or "unattributed"
        parts.append(f"<text x=\"{cx + 8:.1f}\" y=\"{y(anchor) - 6:.1f}\" "
                     f"data-claim-id=\"{member['id']}\"><tspan font-weight=\"bold\">"
                     f"{_e(member['figure'])}</tspan><tspan x=\"{cx + 8:.1f}\" dy=\"12\">"
                     f"{_e(who)}</tspan></text>")
    parts.insert(3, f"<polyline points=\"{' '.join(trend)}\" fill=\"none\" stroke=\"#888\" "
                    "stroke-dasharray=\"2 3\"/>")
    parts.append("</svg>")
    return "".join(parts)


def _marker(cx: float, low: float | None, high: float | None, approximate: bool,
            y: Any, top: float, bottom: float) -> str:
    """The shape of one figure: a point, a bound with its arrow, or a range bar."""
    fill = "#fff" if approximate else "#1d1d1f"
    if low is not None and high is not None and low != high:
        return (f"<g class=\"range\"><line x1=\"{cx:.1f}\" y1=\"{y(low):.1f}\" x2=\"{cx:.1f}\" "
                f"y2=\"{y(high):.1f}\" stroke=\"#1d1d1f\" stroke-width=\"4\"/>"
                f"<line x1=\"{cx - 6:.1f}\" y1=\"{y(low):.1f}\" x2=\"{cx + 6:.1f}\" "
                f"y2=\"{y(low):.1f}\" stroke=\"#1d1d1f\" stroke-width=\"2\"/>"
                f"<line x1=\"{cx - 6:.1f}\" y1=\"{y(high):.1f}\" x2=\"{cx + 6:.1f}\" "
                f"y2=\"{y(high):.1f}\" stroke=\"#1d1d1f\" stroke-width=\"2\"/></g>")
    if low is not None and high is None:  # over: at least low, open upwards
        py = y(low)
        return (f"<g class=\"lower-bound\"><line x1=\"{cx:.1f}\" y1=\"{py:.1f}\" x2=\"{cx:.1f}\" "
                f"y2=\"{top:.1f}\" stroke=\"#1d1d1f\" stroke-dasharray=\"4 2\"/>"
                f"<path d=\"M{cx - 5:.1f},{top + 8:.1f} L{cx:.1f},{top:.1f} "
                f"L{cx + 5:.1f},{top + 8:.1f}\" fill=\"none\" stroke=\"#1d1d1f\"/>"
                f"<path d=\"M{cx - 6:.1f},{py + 5:.1f} L{cx:.1f},{py - 6:.1f} "
                f"L{cx + 6:.1f},{py + 5:.1f} Z\" fill=\"{fill}\" stroke=\"#1d1d1f\"/></g>")
    if high is not None and low is None:  # up to: at most high, open downwards
        py = y(high)
        return (f"<g class=\"upper-bound\"><line x1=\"{cx:.1f}\" y1=\"{py:.1f}\" x2=\"{cx:.1f}\" "
                f"y2=\"{bottom:.1f}\" stroke=\"#1d1d1f\" stroke-dasharray=\"4 2\"/>"
                f"<path d=\"M{cx - 5:.1f},{bottom - 8:.1f} L{cx:.1f},{bottom:.1f} "
                f"L{cx + 5:.1f},{bottom - 8:.1f}\" fill=\"none\" stroke=\"#1d1d1f\"/>"
                f"<path d=\"M{cx - 6:.1f},{py - 5:.1f} L{cx:.1f},{py + 6:.1f} "
                f"L{cx + 6:.1f},{py - 5:.1f} Z\" fill=\"{fill}\" stroke=\"#1d1d1f\"/></g>")
    return (f"<circle class=\"point\" cx=\"{cx:.1f}\" cy=\"{y(low):.1f}\" r=\"5\" fill=\"{fill}\" "
            "stroke=\"#1d1d1f\" stroke-width=\"1.5\"/>")


def series_section(all_series: list[dict[str, Any]]) -> str:
    """The HTML report's section: one chart and one ordered list per series."""
    if not all_series:
        return ""
    parts = ["<section id=\"series\"><h2>How the estimates moved</h2>",
             f"<p class=\"legend\">Each figure against the date it was stated: {_e(LEGEND)}."
             "</p>"]
    for series in all_series:
        label = series.get("label") or f"Series {series['id']}"
        parts.append(f"<figure class=\"series\" id=\"series-{series['id']}\">"
                     f"<figcaption><strong>{_e(label)}</strong> ({_e(series.get('unit'))})"
                     "</figcaption>")
        parts.append(series_svg(series))
        items = "".join(
            f"<li><span class=\"when\">{_e(m['stated_on'] or 'undated')}</span> "
            f"<strong>{_e(m['figure'])}</strong> — "
            f"{_e(', '.join(m['stated_by']) or 'unattributed')}"
            f" — <a href=\"#claim-{m['id']}\">#{m['id']}</a>"
            + (f" (superseded by #{m['superseded_by']})" if m.get("superseded_by") else "")
            + "</li>" for m in series["members"])
        parts.append(f"<ol class=\"timeline\">{items}</ol></figure>")
    parts.append("</section>")
    return "".join(parts)
