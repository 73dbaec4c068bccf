"""The seed fixtures through the CLI: the claims the issue names, and the report."""

from __future__ import annotations

import json

from tests.conftest import SEED_PATH


def by_ref(rows: list[dict]) -> dict[str, dict]:
    return {row["ref"]: row for row in rows}


def test_seed_claims_are_all_loaded(seeded_cli) -> None:  # noqa: ANN001
    rows = json.loads(seeded_cli("list", "--json").stdout)
    expected = {c["ref"] for c in json.loads(SEED_PATH.read_text(encoding="utf-8"))["claims"]}
    assert {row["ref"] for row in rows} == expected


def test_contested_lists_the_soldiers_and_the_weapons_transfers(seeded_cli) -> None:  # noqa: ANN001
    rows = by_ref(json.loads(seeded_cli("list", "--contested", "--json").stdout))
    soldiers = rows["nk-soldiers-vladivostok-1500"]
    assert "National Intelligence Service" in soldiers["asserted_by"]
    assert "Kremlin" in soldiers["denied_by"]
    assert soldiers["quantity"]["low"] == 1500
    weapons = rows["nk-weapons-transfers-to-russia"]
    assert {"United States", "South Korea"} <= set(weapons["asserted_by"])
    assert {"Kremlin", "North Korea"} <= set(weapons["denied_by"])
    assert all(row["status"] == "contested" for row in rows.values())


def test_contested_table_in_the_terminal(seeded_cli) -> None:  # noqa: ANN001
    result = seeded_cli("list", "--contested")
    assert result.exit_code == 0, result.output
    assert "1,500" in result.stdout and "Kremlin" in result.stdout


def test_report_json_gives_both_sides_with_sources_and_dates(seeded_cli) -> None:  # noqa: ANN001
    report = json.loads(seeded_cli("report", "--json").stdout)
    claims = {c["text"]: c for c in report["claims"]}
    [soldiers] = [c for t, c in claims.items() if "1,500" in t]
    [nis] = [s for s in soldiers["asserting"] if s["party"] == "National Intelligence Service"]
    assert nis["stated_on"] == "2024-10-18"
    assert nis["source"]["published_on"] == "2024-11-13"
    assert any(s["party"] == "Kremlin" and s["quote"] for s in soldiers["denying"])
    kremlin = next(p for p in report["parties"] if p["party"] == "Kremlin")
    assert any("1,500" in c["text"] for c in kremlin["denies"])


def test_report_markdown_and_terminal(seeded_cli, tmp_path) -> None:  # noqa: ANN001
    markdown = seeded_cli("report", "--format", "md").stdout
    assert markdown.startswith("# Who asserts, who denies")
    assert "**National Intelligence Service** asserts on 2024-10-18" in markdown
    out = tmp_path / "report.md"
    assert seeded_cli("report", "--format", "md", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == markdown
    terminal = seeded_cli("report").stdout
    assert "Who asserts, who denies" in terminal and "Party records" in terminal


def test_search_finds_either_chinese_script(seeded_cli) -> None:  # noqa: ANN001
    simplified = json.loads(seeded_cli("list", "--json", "--search", "集装箱").stdout)
    traditional = json.loads(seeded_cli("list", "--json", "--search", "集裝箱").stdout)
    assert simplified and simplified == traditional


def test_period_filter(seeded_cli) -> None:  # noqa: ANN001
    rows = json.loads(seeded_cli("list", "--json", "--from", "2024-10", "--to", "2024-10").stdout)
    refs = {row["ref"] for row in rows}
    assert "nk-soldiers-vladivostok-1500" in refs
    assert "ru-veto-un-panel-of-experts-2024-03" not in refs


def test_party_aliases_resolve_in_every_script(seeded_cli) -> None:  # noqa: ANN001
    for alias in ("普丁", "普京", "Putin", "Vladimir Putin"):
        shown = json.loads(seeded_cli("party", "show", alias, "--json").stdout)
        assert shown["name"] == "Vladimir Putin"
        assert shown["wikidata_url"] == "https://www.wikidata.org/wiki/Q7747"
    for alias in ("北韓", "朝鲜", "朝鮮", "DPRK", "North Korea"):
        assert json.loads(seeded_cli("party", "show", alias, "--json").stdout)["name"] == (
            "North Korea"
        )


def test_demo_prints_the_report(runner, tmp_path) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Who asserts, who denies" in result.stdout
    kept = tmp_path / "demo.db"
    result = runner.invoke(app, ["--db", str(kept), "demo", "--format", "md"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["--db", str(kept), "list", "--contested", "--json"])
    assert json.loads(listed.stdout)
