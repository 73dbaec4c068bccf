"""Series of estimates: proposed by the matcher, confirmed by a person, never merged;
listed in the order stated, placed in ``show``, drawn in the HTML report; supersession."""

from __future__ import annotations

import json
import re
from pathlib import Path

from nkru_claims.series_chart import series_svg
from tests.test_cli_claims import one_error_line

DEFENCE = "Ministry of National Defense (South Korea)"
AGENCY = "Defense Intelligence Agency (South Korea)"
CONTAINERS = (  # (text, who, date stated)
    ("North Korea has shipped about 6,700 containers of munitions to Russia", DEFENCE,
     "2024-02-27"),
    ("North Korea has shipped over 13,000 containers of munitions to Russia", AGENCY,
     "2024-08-10"),
    ("North Korea has shipped about 28,000 containers of munitions to Russia", "South Korea",
     "2025-06-01"),
    ("North Korea has shipped over 33,000 containers of munitions to Russia", "South Korea",
     "2026-03-10"),
)
TROOPS = (
    ("North Korea has sent 1,500 soldiers to Russia", "National Intelligence Service",
     "2024-10-18"),
    ("North Korea has sent 10,000–12,000 soldiers to Russia", "National Intelligence Service",
     "2024-11-01"),
    ("North Korea has sent about 16,000 soldiers to Russia", "National Intelligence Service",
     "2025-02-01"),
)


def added(result) -> int:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return int(re.search(r"claim #(\d+)", result.stdout)[1])


def add_estimates(cli, estimates) -> list[int]:  # noqa: ANN001
    """Added in reverse order, so the order a series lists is the date's, not the ID's."""
    ids = [added(cli("add", text, "--asserted-by", who, "--date", when, "--create-party",
                     "--force-new", "--yes"))
           for text, who, when in reversed(estimates)]
    return list(reversed(ids))


def linked_series(cli) -> tuple[list[int], list[int]]:  # noqa: ANN001
    containers, troops = add_estimates(cli, CONTAINERS), add_estimates(cli, TROOPS)
    assert cli("series", "link", *map(str, containers), "--label", "Containers").exit_code == 0
    assert cli("series", "link", *map(str, troops)).exit_code == 0
    return containers, troops


def test_propose_then_link_lists_both_series_in_date_order(seeded_cli) -> None:  # noqa: ANN001
    containers, troops = add_estimates(seeded_cli, CONTAINERS), add_estimates(seeded_cli, TROOPS)

    proposed = json.loads(seeded_cli("series", "propose", "--json").stdout)
    groups = [set(p["claims"]) for p in proposed]
    assert any(set(containers) <= g for g in groups), proposed
    assert any(set(troops) <= g for g in groups), proposed
    assert all(p["reasons"][0].startswith("related: same measure, different figure")
               for p in proposed)
    units = {p["unit"] for p in proposed}
    assert {"containers", "soldiers"} <= units

    assert seeded_cli("series", "link", *map(str, containers), "--label",
                      "Containers shipped").exit_code == 0
    assert seeded_cli("series", "link", *map(str, troops)).exit_code == 0
    listed = json.loads(seeded_cli("series", "--json").stdout)
    by_unit = {s["unit"]: s for s in listed}
    assert by_unit["containers"]["claims"] == containers
    assert by_unit["soldiers"]["claims"] == troops
    assert by_unit["containers"]["label"] == "Containers shipped"
    members = by_unit["containers"]["members"]
    assert [m["stated_by"] for m in members] == [[DEFENCE], [AGENCY], ["South Korea"],
                                                 ["South Korea"]]
    assert [m["stated_on"] for m in members] == [w for _, _, w in CONTAINERS]
    assert [m["figure"] for m in members] == [
        "about 6,700 containers", "over 13,000 containers", "about 28,000 containers",
        "over 33,000 containers"]
    # linked, never merged: every claim is still there with its own figure
    for claim_id in containers + troops:
        assert seeded_cli("show", str(claim_id)).exit_code == 0
    # the series of a proposal already confirmed is not proposed again
    again = json.loads(seeded_cli("series", "propose", "--json").stdout)
    assert not any(set(p["claims"]) == set(containers) for p in again)


def test_terminal_timeline_and_show_place_a_claim(cli) -> None:  # noqa: ANN001
    containers, _ = linked_series(cli)
    listing = cli("series").stdout
    assert "about 6,700 → over 13,000 → about 28,000 → over 33,000 containers" in listing
    assert f"2024-08-10 — over 13,000 containers — {AGENCY}" in listing
    shown = cli("show", str(containers[1]))
    assert shown.exit_code == 0, shown.output
    assert "about 6,700 → over 13,000 → about 28,000 → over 33,000 containers" in shown.stdout
    assert "← this claim" in shown.stdout
    detail = json.loads(cli("show", str(containers[1]), "--json").stdout)
    assert detail["series"]["claims"] == containers
    assert detail["series"]["members"][0]["stated_by"] == [DEFENCE]
    lone = added(cli("add", "Russia pays North Korea in oil", "--asserted-by", "Ukraine",
                     "--create-party", "--force-new", "--yes"))
    assert json.loads(cli("show", str(lone), "--json").stdout)["series"] is None


def test_html_report_draws_each_series_as_inert_svg(cli, tmp_path: Path) -> None:  # noqa: ANN001
    containers, troops = linked_series(cli)
    hostile = '<script>alert(1)</script>"onload="x'
    assert cli("series", "link", str(containers[0]), "--label", hostile).exit_code == 0
    out = tmp_path / "report.html"
    assert cli("report", "--format", "html", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("class=\"series-chart\"") == 2
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&quot;x" in page
    assert "http://www.w3.org/2000/svg" in page and "<image" not in page
    for claim_id in containers + troops:
        assert f"data-claim-id=\"{claim_id}\"" in page


def test_chart_draws_bounds_and_ranges_as_such() -> None:
    def member(claim_id: int, low, high, when: str, approximate: bool = False) -> dict:  # noqa: ANN001
        return {"id": claim_id, "figure": f"figure {claim_id}", "low": low, "high": high,
                "approximate": approximate, "stated_on": when, "stated_by": ["NIS"]}

    svg = series_svg({"id": 7, "label": "Troops", "unit": "soldiers", "members": [
        member(1, 1500.0, 1500.0, "2024-10-18"), member(2, 10000.0, 12000.0, "2024-11-01"),
        member(3, 13000.0, None, "2025-01-01"), member(4, None, 20000.0, "2025-03-01"),
        member(5, 16000.0, 16000.0, "2025-02-01", approximate=True)]})
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("class=\"point\"") == 2  # 1,500 and about 16,000
    assert "class=\"range\"" in svg and "class=\"lower-bound\"" in svg
    assert "class=\"upper-bound\"" in svg
    assert "fill=\"#fff\"" in svg  # "about": a hollow marker, told apart without colour
    assert "<title" in svg and "<desc>" in svg  # read out by screen readers
    assert "2024-10-18" in svg and "NIS" in svg


def test_link_unlink_and_refusals(cli) -> None:  # noqa: ANN001
    containers, troops = linked_series(cli)
    assert "one unit" in one_error_line(cli("series", "link", str(containers[0]), str(troops[0])))
    assert cli("series", "unlink", str(containers[0])).exit_code == 0
    listed = {s["unit"]: s for s in json.loads(cli("series", "--json").stdout)}
    assert listed["containers"]["claims"] == containers[1:]
    # extending a series: a claim outside it joins the one its partner is in
    assert cli("series", "link", str(containers[0]), str(containers[1])).exit_code == 0
    listed = {s["unit"]: s for s in json.loads(cli("series", "--json").stdout)}
    assert listed["containers"]["claims"] == containers
    assert "in no series" in one_error_line(cli("series", "unlink", "999"))
    # claims of two series are not joined behind anyone's back
    assert cli("series", "unlink", *map(str, containers[2:])).exit_code == 0
    assert cli("series", "link", *map(str, containers[2:])).exit_code == 0
    assert "different series" in one_error_line(
        cli("series", "link", str(containers[1]), str(containers[2])))
    assert cli("series", "unlink", *map(str, containers[2:])).exit_code == 0
    assert cli("series", "link", *map(str, containers)).exit_code == 0
    # a series left with one claim goes
    assert cli("series", "unlink", *map(str, troops[1:])).exit_code == 0
    assert [s["unit"] for s in json.loads(cli("series", "--json").stdout)] == ["containers"]


def test_same_figure_or_reversed_direction_is_not_proposed(cli) -> None:  # noqa: ANN001
    first = added(cli("add", "North Korea has shipped about 6,700 containers to Russia",
                      "--asserted-by", "South Korea", "--create-party", "--force-new", "--yes"))
    reversed_ = added(cli("add", "Russia has shipped about 9,000 containers to North Korea",
                          "--asserted-by", "South Korea", "--force-new", "--yes"))
    proposed = json.loads(cli("series", "propose", "--json").stdout)
    assert not any({first, reversed_} <= set(p["claims"]) for p in proposed)


def test_supersede_keeps_both_is_logged_and_undone(cli) -> None:  # noqa: ANN001
    containers, _ = linked_series(cli)
    old, new = containers[0], containers[1]
    assert "--reason" in one_error_line(cli("supersede", str(old), str(new)))
    done = cli("supersede", str(old), str(new), "--reason", "the agency's count is later")
    assert done.exit_code == 0, done.output
    detail = json.loads(cli("show", str(old), "--json").stdout)
    assert detail["supersession"] == {"by": new, "reason": "the agency's count is later"}
    assert json.loads(cli("show", str(new), "--json").stdout)["supersession"] == {
        "replaces": [old]}
    assert f"Superseded by #{new}" in cli("show", str(old)).stdout
    series = json.loads(cli("series", "--json").stdout)
    assert {m["id"]: m["superseded_by"] for m in series[0]["members"]}[old] == new
    assert "already superseded" in one_error_line(
        cli("supersede", str(old), str(containers[2]), "--reason", "again"))
    log = json.loads(cli("log", "--claim", str(old), "--json").stdout)
    assert any(e["action"] == "supersede" for e in log)
    assert cli("supersede", str(old), str(new), "--undo").exit_code == 0
    assert json.loads(cli("show", str(old), "--json").stdout)["supersession"] is None
    log = json.loads(cli("log", "--claim", str(old), "--json").stdout)
    assert any(e["action"] == "unsupersede" for e in log)
    assert "not superseded" in one_error_line(cli("supersede", str(old), str(new), "--undo"))
