"""Formats analysts already use, through the CLI: CSV, ClaimReview, HTML, Wikidata."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli_claims import one_error_line

WIKIDATA = Path(__file__).resolve().parents[2] / "shared" / "wikidata.tsv"


def test_a_csv_written_by_export_imports_back_unchanged(seeded_cli, runner, tmp_path) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    exported = tmp_path / "claims.csv"
    assert seeded_cli("export", str(exported)).exit_code == 0
    header = exported.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("claim_ref,claim_text")
    other = str(tmp_path / "other.db")
    result = runner.invoke(app, ["--db", other, "import", str(exported)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.csv"
    assert runner.invoke(app, ["--db", other, "export", str(again)]).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()


def test_a_bad_csv_row_is_reported_by_line_and_nothing_is_imported(cli, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "sheet.csv"
    path.write_text(
        "claim_ref,claim_text,party,stance,stated_on\n"
        "a,North Korea sent shells,Russia,asserts,2024-01-02\n"
        "b,Troops moved to Vladivostok,Kremlin,denies,2024-13-45\n"
        "c,A third claim,Ukraine,asserts,\n", encoding="utf-8")
    assert "line 3" in one_error_line(cli("import", str(path)))
    assert json.loads(cli("list", "--json").stdout) == []
    result = cli("import", str(path), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert "Skipped line 3" in result.stderr
    assert sorted(c["ref"] for c in json.loads(cli("list", "--json").stdout)) == ["a", "c"]


def test_claimreview_export_covers_claims_with_a_verdict(seeded_cli, tmp_path) -> None:  # noqa: ANN001
    seeded_cli("verdict", "3", "unproven", "--note", "no public evidence")
    out = tmp_path / "reviews.jsonld"
    result = seeded_cli("export", str(out), "--format", "claimreview",
                        "--base-url", "https://example.org")
    assert result.exit_code == 0, result.output
    [review] = json.loads(out.read_text(encoding="utf-8"))
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "https://example.org/claims/3"
    assert "1,500" in review["claimReviewed"]


def test_html_report_and_demo(seeded_cli, runner, tmp_path) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    page = tmp_path / "report.html"
    assert seeded_cli("report", "--format", "html", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'data-position="denies"' in html
    demo_page = tmp_path / "demo.html"
    result = runner.invoke(app, ["demo", "--html", str(demo_page)])
    assert result.exit_code == 0, result.output
    assert "Who asserts, who denies" in result.stdout
    assert 'data-position="affirms"' in demo_page.read_text(encoding="utf-8")


def test_parties_carry_wikidata_ids_in_export_and_party_show(seeded_cli) -> None:  # noqa: ANN001
    document = json.loads(seeded_cli("export", "-").stdout)
    ids = {p["name"]: p["wikidata_id"] for p in document["parties"]}
    assert ids["Russia"] == "Q159" and ids["Kim Jong Un"] == "Q56226"
    assert "https://www.wikidata.org/wiki/Q423" in seeded_cli("party", "show", "北韓").stdout
    if WIKIDATA.exists():  # the project's checked list: no ID may come from anywhere else
        known = {line.split("\t")[0] for line in WIKIDATA.read_text(encoding="utf-8").splitlines()
                 if line.startswith("Q")}
        assert {q for q in ids.values() if q} <= known


def test_every_listing_command_speaks_json(seeded_cli) -> None:  # noqa: ANN001
    for args in (["list"], ["party", "list"], ["source", "list"], ["merges"], ["log"],
                 ["show", "1"], ["report"], ["party", "show", "Russia"]):
        result = seeded_cli(*args, "--json")
        assert result.exit_code == 0, (args, result.output)
        json.loads(result.stdout)
