"""Independent origins (relaying sources and stances) and Admiralty grades, through the
commands, every report and every export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from nkru_claims.db import make_engine
from nkru_claims.services.origins import describe_backing, parse_grade
from tests.conftest import SEED_PATH
from tests.test_cli_claims import one_error_line

REPUBLISHED_URL = "https://tw.aboluowang.com/2023/0915/1954134.html"


def sources(cli) -> dict:  # noqa: ANN001
    return {s["id"]: s for s in json.loads(cli("source", "list", "--json").stdout)}


def added(result) -> int:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return int(re.search(r"claim #(\d+)", result.stdout)[1])


def test_the_rfa_republication_counts_as_one_origin_with_its_original(seeded_cli) -> None:  # noqa: ANN001
    by_id = sources(seeded_cli)
    republished = next(s for s in by_id.values() if s["url"] == REPUBLISHED_URL)
    original = next(s for s in by_id.values()
                    if s["url"] is None and s["outlet"] == "自由亞洲電台 Radio Free Asia")
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    assert next(s for s in document["sources"] if s["url"] == REPUBLISHED_URL)["relays"] == {
        "source": "seed-001-rfa-original", "kind": "republication"}

    claims = json.loads(seeded_cli("list", "--all", "--json").stdout)
    citing = next(c for c in claims if republished["id"] in [s["id"] for s in c["sources"]])
    before = json.loads(seeded_cli("show", str(citing["id"]), "--json").stdout)
    # the original reports it too: two sources, one independent origin
    assert seeded_cli("stance", str(citing["id"]), "Russia", "asserts", "--source",
                      str(original["id"])).exit_code == 0
    after = json.loads(seeded_cli("show", str(citing["id"]), "--json").stdout)
    assert len(after["sources"]) == len(before["sources"]) + 1
    assert after["origins"] == before["origins"]
    shown = {s["id"]: s for s in after["sources"]}
    assert shown[republished["id"]]["relays"] == {
        "source": original["id"], "kind": "republication", "original": original["id"]}
    assert f"{after['origins']} independent origin" in after["backing"]
    assert "independent origin" in seeded_cli("show", str(citing["id"])).stdout


def test_every_report_counts_origins_beside_sources(seeded_cli, tmp_path: Path) -> None:  # noqa: ANN001
    report = json.loads(seeded_cli("report", "--json").stdout)
    first = report["claims"][0]
    assert {"sources", "origins", "backing"} <= set(first)
    assert first["backing"].startswith("asserted by ")
    assert "independent origin" in seeded_cli("report").stdout
    assert "independent origin" in seeded_cli("report", "--format", "md").stdout
    page = tmp_path / "r.html"
    assert seeded_cli("report", "--format", "html", "-o", str(page)).exit_code == 0
    assert "independent origin" in page.read_text(encoding="utf-8")
    listed = json.loads(seeded_cli("list", "--json").stdout)
    assert all(row["origins"] <= len(row["sources"]) for row in listed)


def test_source_relay_chains_and_loops(cli) -> None:  # noqa: ANN001
    wire, copy, translation = "https://yna.example/a", "https://paper.example/b", \
        "https://zh.example/c"
    claim = added(cli("add", "North Korea sent 1,000 soldiers to Kursk", "--asserted-by",
                      "Ukraine", "--create-party", "--source", wire, "--yes", "--force-new"))
    for url in (copy, translation):
        assert cli("stance", str(claim), "Ukraine", "asserts", "--source", url).exit_code == 0
    ids = {s["url"]: s["id"] for s in sources(cli).values()}
    assert json.loads(cli("show", str(claim), "--json").stdout)["origins"] == 3
    done = cli("source", "relay", str(ids[copy]), wire, "--kind", "wire")
    assert done.exit_code == 0, done.output
    assert cli("source", "relay", translation, copy, "--kind", "translation").exit_code == 0
    detail = json.loads(cli("show", str(claim), "--json").stdout)
    assert (len(detail["sources"]), detail["origins"]) == (3, 1)
    assert detail["backing"] == "asserted by 1 party, 3 sources, 1 independent origin"
    assert "loop" in one_error_line(cli("source", "relay", wire, translation))
    assert "relay kind" in one_error_line(cli("source", "relay", wire, copy, "--kind", "rumour"))
    assert cli("source", "relay", copy, "--undo").exit_code == 0
    assert json.loads(cli("show", str(claim), "--json").stdout)["origins"] == 2
    log = json.loads(cli("log", "--json").stdout)
    assert {"relay", "unrelay"} <= {e["action"] for e in log}


def test_stance_relays_another_partys_statement(seeded_cli) -> None:  # noqa: ANN001
    result = seeded_cli("stance", "3", "South Korea", "asserts", "--relays",
                        "National Intelligence Service", "--date", "2024-10-19")
    assert result.exit_code == 0, result.output
    detail = json.loads(seeded_cli("show", "3", "--json").stdout)
    relayed = [s for s in detail["stances"]["asserts"] if s["party"] == "South Korea"]
    assert relayed[-1]["relays"] == "National Intelligence Service"
    assert "relaying National Intelligence Service" in seeded_cli("show", "3").stdout
    assert "relaying National Intelligence Service" in seeded_cli(
        "report", "--format", "md").stdout
    assert "own party" in one_error_line(
        seeded_cli("stance", "3", "Kremlin", "denies", "--relays", "Kremlin"))
    assert "unknown party" in one_error_line(
        seeded_cli("stance", "3", "Kremlin", "denies", "--relays", "Kremlim"))


def test_parse_grade_and_backing_words() -> None:
    assert parse_grade("B2") == ("B", 2) and parse_grade(" c6 ") == ("C", 6)
    assert parse_grade(None) is None and parse_grade("") is None
    for bad in ("G1", "A7", "2B", "AB", "A 1 2"):
        with pytest.raises(Exception, match="reliability A–F"):
            parse_grade(bad)
    assert describe_backing(3, 5, 2) == "asserted by 3 parties, 5 sources, 2 independent origins"
    assert describe_backing(1, 1, 1) == "asserted by 1 party, 1 source, 1 independent origin"


def test_grades_are_recorded_filtered_shown_and_exported(seeded_cli, tmp_path: Path) -> None:  # noqa: ANN001
    assert seeded_cli("stance", "3", "Kremlin", "denies", "--grade", "B2").exit_code == 0
    assert seeded_cli("evidence", "5", "Satellite images of the port", "--grade",
                      "c3").exit_code == 0
    assert "reliability A–F" in one_error_line(
        seeded_cli("stance", "4", "Kremlin", "denies", "--grade", "G9"))

    def listed(*options: str) -> list[int]:
        result = seeded_cli("list", "--all", "--json", *options)
        assert result.exit_code == 0, result.output
        return [row["id"] for row in json.loads(result.stdout)]

    assert listed("--grade-at-least", "B3") == [3]
    assert listed("--grade-at-least", "C3") == [3, 5]
    assert listed("--grade-at-least", "A1") == []
    assert listed("--reliability", "B") == [3]
    assert listed("--credibility", "3") == [3, 5]
    assert "reliability A–F" in one_error_line(seeded_cli("list", "--grade-at-least", "Z"))

    detail = json.loads(seeded_cli("show", "3", "--json").stdout)
    assert [s["grade"] for s in detail["stances"]["denies"] if s["party"] == "Kremlin"][-1] == "B2"
    assert json.loads(seeded_cli("show", "5", "--json").stdout)["evidence"][-1]["grade"] == "C3"
    assert "[grade B2]" in seeded_cli("show", "3").stdout
    assert "[grade C3]" in seeded_cli("show", "5").stdout
    assert "grade B2" in seeded_cli("report", "--format", "md").stdout
    page = tmp_path / "r.html"
    assert seeded_cli("report", "--format", "html", "-o", str(page)).exit_code == 0
    assert "[B2]" in page.read_text(encoding="utf-8")

    # the exchange format carries grades and relays, and reads them back
    exported = tmp_path / "all.json"
    assert seeded_cli("export", str(exported)).exit_code == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    stances = [s for c in document["claims"] for s in c["stances"]]
    assert [s["grade"] for s in stances if "grade" in s] == ["B2"]
    assert [e["grade"] for c in document["claims"] for e in c["evidence"] if "grade" in e] == [
        "C3"]
    assert [s["relays"]["kind"] for s in document["sources"] if "relays" in s] == [
        "republication"]
    # CSV: a grade column
    csv_file = tmp_path / "all.csv"
    assert seeded_cli("export", str(csv_file), "--format", "csv").exit_code == 0
    csv_text = csv_file.read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].endswith(",grade") and ",B2" in csv_text


def test_exported_grades_and_relays_round_trip(cli, tmp_path: Path) -> None:  # noqa: ANN001
    claim = added(cli("add", "North Korea sent 1,000 soldiers to Kursk", "--asserted-by",
                      "Ukraine", "--create-party", "--source", "https://b.example/x", "--yes",
                      "--force-new"))
    cli("source", "add", "https://a.example/original")
    assert cli("source", "relay", "https://b.example/x", "https://a.example/original",
               "--kind", "syndication").exit_code == 0
    assert cli("stance", str(claim), "Russia", "denies", "--grade", "E5", "--relays", "Ukraine",
               "--create-party").exit_code == 0
    first = tmp_path / "a.json"
    assert cli("export", str(first)).exit_code == 0
    from typer.testing import CliRunner

    from nkru_claims.cli import app

    other = f"sqlite:///{tmp_path / 'other.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", other, "import", str(first)]).exit_code == 0
    second = tmp_path / "b.json"
    assert runner.invoke(app, ["--db", other, "export", str(second)]).exit_code == 0
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    def kept(document: dict) -> list:
        return [(s["party"], s["kind"], s.get("grade"), s.get("relays"))
                for s in document["claims"][0]["stances"]]

    assert kept(a) == kept(b)
    assert b["claims"][0]["stances"][-1]["grade"] == "E5"
    assert b["claims"][0]["stances"][-1]["relays"] == "Ukraine"
    assert [s.get("relays") for s in a["sources"]] == [s.get("relays") for s in b["sources"]]


def test_claimreview_names_the_original_a_source_relays(seeded_cli) -> None:  # noqa: ANN001
    claims = json.loads(seeded_cli("list", "--all", "--json").stdout)
    citing = next(c for c in claims if REPUBLISHED_URL in [s["url"] for s in c["sources"]])
    assert seeded_cli("verdict", str(citing["id"]), "unproven").exit_code == 0
    result = seeded_cli("export", "-", "--format", "claimreview")
    assert result.exit_code == 0, result.output
    text_out = result.stdout
    reviews = json.loads(text_out[text_out.index("["):text_out.rindex("]") + 1]) \
        if not text_out.lstrip().startswith("{") else [json.loads(text_out)]
    appearances = [a for r in reviews for a in r["itemReviewed"].get("appearance", [])]
    relayed = next(a for a in appearances if a.get("url") == REPUBLISHED_URL)
    assert relayed["isBasedOn"]["publisher"]["name"] == "自由亞洲電台 Radio Free Asia"


def test_the_database_refuses_a_grade_out_of_range(seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    try:
        for statement in ("UPDATE stance SET source_reliability = 'G'",
                          "UPDATE stance SET info_credibility = 7",
                          "UPDATE evidence SET info_credibility = 0",
                          "UPDATE source SET relay_kind = 'rumour'"):
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(text(statement))
    finally:
        engine.dispose()
