"""The HTML report: matrix cells agree with the database, nothing is fetched, it renders."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlmodel import col, select

from nkru_claims.db import make_engine, session_scope
from nkru_claims.html_report import render_html
from nkru_claims.models import Claim, Party, Stance
from nkru_claims.services.claims import StanceInput, add_claim
from nkru_claims.services.parties import add_party
from nkru_claims.status import StanceFact, positions
from tests.conftest import in_session

REQUIRE_BROWSER = os.environ.get("NKRU_REQUIRE_BROWSER") == "1"
URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "formaction",
                  "background", "cite", "manifest"}


class Page(HTMLParser):
    """Every start tag with its attributes, the text of each matrix cell, the style text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[dict[str, str | None]] = []
        self.styles: list[str] = []
        self._cell: dict[str, str | None] | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "td" and "data-claim-id" in attributes:
            self._cell = {**attributes, "text": ""}
            self.cells.append(self._cell)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] = (self._cell["text"] or "") + data
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def report_html(url: str) -> str:
    return in_session(url, render_html)


def expected_positions(url: str) -> dict[tuple[int, str], str]:
    """(claim id, party name) -> position for every claim and party with a stance."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        rows = session.exec(
            select(Stance, Party.name).join(Party, col(Party.id) == Stance.party_id)
        ).all()
    engine.dispose()
    facts: dict[int, list[StanceFact]] = defaultdict(list)
    names: dict[int, str] = {}
    for stance, name in rows:
        facts[stance.claim_id].append(
            StanceFact(stance.party_id, stance.kind, stance.stated_on, stance.id))
        names[stance.party_id] = name
    expected = {}
    for claim_id, claim_facts in facts.items():
        held = positions(claim_facts)
        for party_id, name in names.items():
            expected[(claim_id, name)] = held.get(party_id, "none")
    return expected


def cell_positions(page: Page) -> dict[tuple[int, str], str]:
    found = {}
    for cell in page.cells:
        key = (int(cell["data-claim-id"]), cell["data-party"])
        assert key not in found, f"two cells for {key}"
        found[key] = cell["data-position"]
    return found


def test_matrix_cells_match_positions_from_the_database(seeded_url: str) -> None:
    page = parse(report_html(seeded_url))
    expected = expected_positions(seeded_url)
    assert cell_positions(page) == expected
    assert {"affirms", "denies", "doubts"} <= set(expected.values())
    for cell in page.cells:
        text, position = cell["text"], cell["data-position"]
        if position == "affirms":
            assert "+" in text and cell["data-kind"] in text, cell
        elif position == "denies":
            assert "\u2212" in text and "denies" in text and "+" not in text, cell
        elif position == "doubts":
            assert "?" in text and "questions" in text, cell
        else:
            assert "+" not in text and "\u2212" not in text


def test_page_is_self_contained(seeded_url: str) -> None:
    html = report_html(seeded_url)
    page = parse(html)
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "en"}) in page.tags
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert not [t for t, _ in page.tags if t in ("link", "script", "iframe", "object", "embed")]
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES and value and value.strip().lower().startswith(
                    ("http:", "https:", "//")):
                assert (tag, name) == ("a", "href"), f"<{tag} {name}={value}> loads from outside"
    style = "".join(page.styles)
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    external = [a["href"] for t, a in page.tags if t == "a" and a["href"].startswith("http")]
    assert "https://cn.nytimes.com/asia-pacific/20240621/russia-korea-defense-asia/" in external


def test_sections_counts_timeline_and_cjk_quotes(seeded_url: str) -> None:
    html = report_html(seeded_url)
    page = parse(html)
    engine = make_engine(seeded_url)
    with session_scope(engine) as session:
        claims = session.exec(select(Claim).order_by(Claim.id)).all()
    engine.dispose()
    ids = {a.get("id") for _, a in page.tags}
    assert {f"claim-{c.id}" for c in claims} <= ids
    counts = {a["data-status"]: a for t, a in page.tags if t == "li" and "data-status" in a}
    assert set(counts) == {"unverified", "asserted", "questioned", "denied", "contested"}
    assert "俄罗斯否认了北韩人员在俄罗斯的说法" in html
    assert 'lang="zh-Hant"' in html and 'lang="zh-Hans"' in html
    timeline = html[html.index('id="timeline"'):html.index('id="claims"')]
    dated = sorted((c for c in claims if c.period_start), key=lambda c: (c.period_start, c.id))
    offsets = [timeline.index(f'href="#claim-{c.id}"') for c in dated]
    assert offsets == sorted(offsets)
    undated = [c for c in claims if not c.period_start and not c.period_end]
    if undated:
        no_date = timeline.index("No date")
        assert all(timeline.index(f'href="#claim-{c.id}"') > no_date for c in undated)


def test_everything_is_escaped(db_url: str) -> None:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        add_party(session=session, name='Bad "<Party>" & Co', kind="organisation")
        add_claim(session=session, text="<script>alert(1)</script> & \"quoted\"", stances=[
            StanceInput(party='Bad "<Party>" & Co', kind="denies", quote="<em>bold</em>"),
        ])
    engine.dispose()
    html = report_html(db_url)
    page = parse(html)
    assert "<script>" not in html and "<em>" not in html and "&lt;em&gt;bold" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    [cell] = page.cells
    assert cell["data-party"] == 'Bad "<Party>" & Co' and cell["data-position"] == "denies"


def chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def need_chromium() -> str:
    found = chromium()
    if found:
        return found
    reason = "Chromium is not installed (apt-get install chromium) so the page cannot be rendered"
    if REQUIRE_BROWSER:
        pytest.fail(f"NKRU_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def test_chromium_renders_the_report(seeded_url: str, tmp_path: Path) -> None:
    binary = need_chromium()
    html = report_html(seeded_url)
    page_path = tmp_path / "report.html"
    page_path.write_text(html, encoding="utf-8")
    screenshot = tmp_path / "report.png"
    shot = run_chromium(binary, tmp_path / "profile", f"--screenshot={screenshot}",
                        "--window-size=1400,2000", page_path.as_uri())
    assert screenshot.exists(), f"no screenshot; chromium said: {shot.stderr[-2000:]}"
    assert screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dump = run_chromium(binary, tmp_path / "profile-dom", "--dump-dom", page_path.as_uri())
    assert dump.returncode == 0, dump.stderr[-2000:]
    rendered = parse(dump.stdout)
    assert rendered.cells, "the rendered DOM has no matrix cells"
    assert cell_positions(rendered) == cell_positions(parse(html))
    assert "俄罗斯否认了北韩人员在俄罗斯的说法" in dump.stdout
