"""The dedupe workflow from the terminal: compare, dedupe, and add's duplicate warning."""

from __future__ import annotations

import json

from tests.test_cli_claims import one_error_line


def test_compare_json_gives_verdict_score_and_reasons(seeded_cli) -> None:  # noqa: ANN001
    result = seeded_cli("compare", "北韓向俄羅斯運送了約6,700個貨櫃",
                        "朝鲜向俄罗斯运送了约六千七百个集装箱", "--json")
    verdict = json.loads(result.stdout)
    assert verdict["duplicate"] is True and verdict["band"] == "same"
    assert 0 <= verdict["score"] <= 100
    assert verdict["a"]["facts"]["figures"] == verdict["b"]["facts"]["figures"] == [
        "about 6,700 containers"]
    different = json.loads(seeded_cli("compare", "1,500 soldiers moved to Vladivostok",
                                      "3,000 soldiers moved to Vladivostok", "--json").stdout)
    assert different["duplicate"] is False and different["band"] == "different"
    assert any("differ" in r and "1,500" in r for r in different["reasons"])


def test_compare_in_the_terminal_and_by_claim_id(seeded_cli) -> None:  # noqa: ANN001
    result = seeded_cli("compare", "#1", "#2")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Not a duplicate")
    assert "no claim with id 999" in one_error_line(seeded_cli("compare", "#999", "x"))
    assert "threshold" in one_error_line(seeded_cli("compare", "a", "b", "--threshold", "300"))


def test_dedupe_dry_run_changes_nothing_and_says_what_it_found(seeded_cli) -> None:  # noqa: ANN001
    before = seeded_cli("export", "-").stdout
    result = seeded_cli("dedupe")
    assert result.exit_code == 0, result.output
    assert "nothing changed (dry run)" in result.stdout or "No duplicate" in result.stdout
    assert seeded_cli("export", "-").stdout == before
    found = json.loads(seeded_cli("dedupe", "--json").stdout)
    assert {"groups", "review", "merges"} <= found.keys() and found["merges"] == []


def test_add_refuses_a_likely_duplicate_without_a_terminal(seeded_cli) -> None:  # noqa: ANN001
    before = seeded_cli("export", "-").stdout
    text = ("俄羅斯海軍艦艇在10月8日至10月13日期間將1500名朝鮮士兵"
            "轉移到俄羅斯太平洋港口城市符拉迪沃斯托克")
    line = one_error_line(seeded_cli("add", text, "--denied-by", "Kremlin"))
    assert "likely duplicate of #3" in line and "--attach-to 3" in line
    assert seeded_cli("export", "-").stdout == before

    attached = seeded_cli("add", text, "--denied-by", "Kremlin", "--attach-to", "3")
    assert attached.exit_code == 0, attached.output
    assert attached.stdout.startswith("Attached to claim #3")
    shown = json.loads(seeded_cli("show", "3", "--json").stdout)
    assert text in [w["text"] for w in shown["wordings"]]
    assert len(shown["stances"]["denies"]) == 3

    forced = seeded_cli("add", text, "--force-new", "--no-quantity")
    assert forced.exit_code == 0 and forced.stdout.startswith("Added claim #21")
