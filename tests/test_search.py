"""Search reads like matching; filters; verdicts in every listing and report; one shape
for list and show; the smaller output points (CSV booleans, help, 80 columns, ClaimReview)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from tests.test_cli_claims import one_error_line


def ids(cli, *args: str) -> list[int]:  # noqa: ANN001
    result = cli("list", "--json", "--all", *args)
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize("variants", [
    ("6700", "6,700", "六千七百", "6700"),
    ("砲彈", "炮弹", "shells"),
    ("貨櫃", "集装箱", "containers"),
    ("朝鲜", "北韓", "North Korea"),
])
def test_every_form_of_a_query_finds_the_same_claims(seeded_cli, variants) -> None:  # noqa: ANN001
    found = [ids(seeded_cli, "--search", v) for v in variants]
    assert found[0], variants
    assert all(f == found[0] for f in found), dict(zip(variants, found, strict=True))


def test_a_number_in_words_finds_the_claim_with_digits(cli) -> None:  # noqa: ANN001
    result = cli("add", "North Korea shipped about 6,700 containers to Russia")
    assert result.exit_code == 0, result.output
    cli("add", "North Korea shipped 670 containers to Russia", "--force-new")
    assert ids(cli, "--search", "六千七百") == [1]
    assert ids(cli, "--search", "100% of it") == []  # LIKE characters match literally


def test_filters_by_verdict_unit_quantity_source_and_language(seeded_cli) -> None:  # noqa: ANN001
    everything = json.loads(seeded_cli("list", "--json", "--all").stdout)
    assert seeded_cli("verdict", "2", "false").exit_code == 0
    assert ids(seeded_cli, "--verdict", "false") == [2]
    containers = [r["id"] for r in everything
                  if r["quantity"] and r["quantity"]["unit"] == "containers"]
    assert containers and ids(seeded_cli, "--unit", "集装箱") == containers
    assert ids(seeded_cli, "--unit", "貨櫃", "--min", "6000", "--max", "7000") == [
        r["id"] for r in everything if r["id"] in containers
        and (r["quantity"]["high"] or r["quantity"]["low"]) >= 6000
        and (r["quantity"]["low"] or r["quantity"]["high"]) <= 7000]
    assert "below --min" in one_error_line(seeded_cli("list", "--min", "10", "--max", "1"))
    row, source = next((r, s) for r in everything for s in r["sources"] if s["url"])
    by_id = ids(seeded_cli, "--source", str(source["id"]))
    assert row["id"] in by_id
    assert by_id == ids(seeded_cli, "--source", source["url"])
    traditional = ids(seeded_cli, "--language", "zh-Hant")
    assert traditional and set(traditional) < {r["id"] for r in everything}
    assert "unknown verdict" in one_error_line(seeded_cli("list", "--verdict", "nope"))


def test_verdicts_show_in_every_listing_and_report(seeded_cli, tmp_path: Path) -> None:  # noqa: ANN001
    report = json.loads(seeded_cli("report", "--json").stdout)
    contested = report["claims"][0]["id"]
    assert seeded_cli("verdict", str(contested), "mostly_false", "--note", "odd").exit_code == 0
    assert "mostly false" in seeded_cli("list", "--limit", "100").stdout
    terminal = seeded_cli("report").stdout
    assert "Verdict: mostly false — odd" in terminal
    assert "Verdict: **mostly false** — odd" in seeded_cli("report", "--format", "md").stdout
    claim = json.loads(seeded_cli("report", "--json").stdout)["claims"][0]
    assert (claim["verdict"], claim["verdict_note"]) == ("mostly_false", "odd")
    rows = list(csv.DictReader(io.StringIO(seeded_cli("list", "--csv", "--all").stdout)))
    assert next(r for r in rows if r["id"] == str(contested))["verdict"] == "mostly_false"


def test_report_picks_the_format_from_the_extension(seeded_cli, tmp_path: Path) -> None:  # noqa: ANN001
    for name, opening in (("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.md", "# Who")):
        target = tmp_path / name
        result = seeded_cli("report", "-o", str(target))
        assert result.exit_code == 0, result.output
        assert target.read_text(encoding="utf-8").startswith(opening), name
    assert "--format" in one_error_line(seeded_cli("report", "-o", str(tmp_path / "r.pdf")))


def test_every_report_format_covers_the_same_claims(seeded_cli, tmp_path: Path) -> None:  # noqa: ANN001
    shown = {c["id"] for c in json.loads(seeded_cli("report", "--json", "--all").stdout)["claims"]}
    markdown = seeded_cli("report", "--format", "md", "--all").stdout
    assert {int(i) for i in re.findall(r"^## #(\d+) ", markdown, re.M)} == shown
    html = seeded_cli("report", "--format", "html").stdout
    assert {int(i) for i in re.findall(r'id="claim-(\d+)"', html)} == shown
    every = json.loads(seeded_cli("report", "--json", "--all", "--every-status").stdout)
    assert len(every["claims"]) > len(shown)


def test_list_and_show_give_sources_in_one_shape(seeded_cli) -> None:  # noqa: ANN001
    """``sources`` is a list of source objects in both (not a count in one)."""
    row = json.loads(seeded_cli("list", "--json", "--limit", "1").stdout)[0]
    detail = json.loads(seeded_cli("show", str(row["id"]), "--json").stdout)
    assert isinstance(row["sources"], list) and row["sources"]
    assert [s["id"] for s in row["sources"]] == [s["id"] for s in detail["sources"]]
    assert set(row) <= set(detail)


def test_csv_booleans_read_the_same_in_list_and_export(seeded_cli) -> None:  # noqa: ANN001
    listed = list(csv.DictReader(io.StringIO(seeded_cli("list", "--csv", "--all").stdout)))
    exported = list(csv.DictReader(io.StringIO(
        seeded_cli("export", "-", "--format", "csv").stdout)))
    flags = {r["quantity_approximate"] for r in listed} | {
        r["quantity_approximate"] for r in exported}
    assert "true" in flags and flags <= {"true", "false", ""}


def test_help_shows_plain_types(runner) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    for command in (["list"], ["add"], ["merge"], ["party", "add"], ["report"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0
        assert "list[" not in result.stdout, command


def test_an_80_column_table_keeps_words_whole(seeded_cli, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("COLUMNS", "80")
    table = seeded_cli("list", "--all").stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    cells = " ".join(re.findall(r"│([^│\n]*)", table)).split()
    for word in ("soldiers", "containers", "Intelligence"):
        pieces = [w for w in cells if w and w in word and w != word and len(w) > 2]
        assert not pieces or any(w == word for w in cells), (word, pieces)


def test_claimreview_names_the_reviewing_organisation(seeded_cli) -> None:  # noqa: ANN001
    assert seeded_cli("verdict", "1", "true").exit_code == 0
    out = seeded_cli("export", "-", "--format", "claimreview", "--org-name", "Example Desk",
                     "--org-url", "https://desk.example.org")
    assert out.exit_code == 0, out.output
    author = json.loads(out.stdout)[0]["author"]
    assert author == {"@type": "Organization", "name": "Example Desk",
                      "url": "https://desk.example.org"}
    assert one_error_line(seeded_cli("export", "-", "--format", "json", "--org-name", "X"))


@pytest.mark.skipif(os.name != "posix", reason="terminal width from COLUMNS")
def test_show_names_stance_ids_for_corrections(seeded_cli) -> None:  # noqa: ANN001
    detail = json.loads(seeded_cli("show", "3", "--json").stdout)
    first = next(iter(detail["stances"].values()))[0]["id"]
    assert f"#{first} " in seeded_cli("show", "3").stdout


def test_prompts_answer_help_and_quit(cli, monkeypatch) -> None:  # noqa: ANN001
    """'?' explains and 'q' quits, in every prompt of 'add'; neither is taken as an answer."""
    import nkru_claims.cli.claims as claims_cli

    monkeypatch.setattr(claims_cli, "interactive", lambda: True)
    quit_at_text = cli("add", input="?\nq\n")
    assert "q quits" in quit_at_text.output
    assert "aborted; nothing was written" in quit_at_text.output
    asked = cli("add", "North Korea sent 300 missiles to Russia", "--force-new",
                input="?\nmaybe\nn\n")
    assert asked.exit_code == 0, asked.output
    assert "records none" in asked.output
    listed = json.loads(cli("list", "--json").stdout)
    assert [row["quantity"] for row in listed] == [None]
