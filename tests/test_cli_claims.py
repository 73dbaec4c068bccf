"""The terminal workflow: add, stance, list, show, verdict, evidence, with bad input."""

from __future__ import annotations

import json

import pytest


def one_error_line(result) -> str:  # noqa: ANN001
    """The command failed with exactly one line on stderr and no traceback."""
    assert result.exit_code != 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def listed(cli, *args: str) -> list[dict]:  # noqa: ANN001
    result = cli("list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def with_parties(cli):  # noqa: ANN001, ANN201
    for args in (
        ("South Korea", "--kind", "state", "--country", "KR", "--alias", "韓國@zh-Hant",
         "--alias", "韩国@zh-Hans"),
        ("National Intelligence Service", "--kind", "government_body", "--parent",
         "South Korea", "--alias", "NIS", "--alias", "韩国国家情报院@zh-Hans"),
        ("Russia", "--kind", "state", "--country", "RU", "--wikidata", "Q159"),
        ("Kremlin", "--kind", "government_body", "--parent", "Russia",
         "--alias", "克里姆林宫@zh-Hans", "--alias", "克里姆林宮@zh-Hant"),
    ):
        result = cli("party", "add", *args)
        assert result.exit_code == 0, result.output
    return cli


def test_add_with_stances_sets_status_and_lists_both_sides(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    result = cli(
        "add", "Russian navy ships moved 1,500 North Korean soldiers to Vladivostok",
        "--asserted-by", "NIS", "--denied-by", "克里姆林宮",
        "--source", "https://example.org/news/1", "--outlet", "Example", "--date", "2024-10-18",
        "--period-start", "2024-10-08", "--period-end", "2024-10-13",
    )
    assert result.exit_code == 0, result.output
    assert "[contested]" in result.stdout
    [row] = listed(cli, "--contested")
    assert row["asserted_by"] == ["National Intelligence Service"]
    assert row["denied_by"] == ["Kremlin"]
    assert row["quantity"]["low"] == 1500 and row["quantity"]["unit"] == "soldiers"
    assert row["period_start"] == "2024-10-08"


def test_a_stance_added_later_changes_the_status(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    result = cli("add", "North Korea shipped shells to Russia", "--asserted-by", "韩国")
    assert result.exit_code == 0, result.output
    [row] = listed(cli)
    assert row["status"] == "asserted"
    result = cli("stance", str(row["id"]), "Kremlin", "denies", "--quote", "假新闻",
                 "--source", "https://example.org/b", "--date", "2024-10-21")
    assert result.exit_code == 0, result.output
    assert "now contested" in result.stdout
    assert listed(cli, "--status", "contested")[0]["id"] == row["id"]
    assert listed(cli, "--denied-by", "克里姆林宫")[0]["id"] == row["id"]
    assert listed(cli, "--asserted-by", "Kremlin") == []


def test_unknown_party_suggests_close_names_and_writes_nothing(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    result = cli("add", "Some claim", "--asserted-by", "Kremlim")
    line = one_error_line(result)
    assert "unknown party 'Kremlim'" in line and "'Kremlin'" in line
    assert listed(cli) == []


def test_create_party_adds_the_missing_party(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    result = cli("add", "Some claim", "--asserted-by", "Conflict Armament Research",
                 "--create-party", "--no-quantity")
    assert result.exit_code == 0, result.output
    assert listed(cli)[0]["asserted_by"] == ["Conflict Armament Research"]


def test_quote_needs_exactly_one_party(with_parties) -> None:  # noqa: ANN001
    result = with_parties("add", "x", "--asserted-by", "NIS", "--denied-by", "Kremlin",
                          "--quote", "words")
    one_error_line(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "x", "--date", "2024-13-40", "--asserted-by", "NIS"), "not a date"),
        (("add", "   "), "claim text is required"),
        (("add", "x", "--quantity", "-5 shells"), "negative"),
        (("add", "x", "--source", "not a url", "--asserted-by", "NIS"), "not a web address"),
        (("add", "x", "--period-start", "2024-10", "--period-end", "2024-01"), "period ends"),
        (("stance", "999", "NIS", "asserts"), "no claim with id 999"),
        (("show", "999"), "no claim with id 999"),
        (("stance", "1", "NIS", "believes"), "unknown stance kind"),
        (("verdict", "1", "maybe"), "unknown verdict"),
        (("list", "--status", "sort-of"), "unknown status"),
        (("party", "add", "NIS", "--kind", "state"), "already exists"),
        (("party", "add", "X", "--kind", "alien"), "unknown party kind"),
        (("party", "add", "X", "--kind", "state", "--wikidata", "7747"), "not a Wikidata ID"),
        (("party", "alias", "Russia", "Kremlin"), "already names another party"),
        (("source", "add", "ftp://example.org/x"), "not a web address"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(with_parties, args, message) -> None:  # noqa: ANN001
    cli = with_parties
    assert cli("add", "An existing claim", "--asserted-by", "NIS").exit_code == 0
    before = cli("export", "-").stdout
    result = cli(*args)
    assert message in one_error_line(result)
    assert cli("export", "-").stdout == before


def test_show_groups_stances_and_prints_quotes(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    cli("add", "Claim A", "--asserted-by", "NIS", "--quote", "极有可能",
        "--source", "https://example.org/a", "--no-quantity")
    cli("stance", "1", "Kremlin", "denies", "--quote", "这似乎又是一则假新闻")
    result = cli("show", "1")
    assert result.exit_code == 0, result.output
    assert "Asserts" in result.stdout and "Denies" in result.stdout
    assert "这似乎又是一则假新闻" in result.stdout
    detail = json.loads(cli("show", "1", "--json").stdout)
    assert [s["party"] for s in detail["stances"]["denies"]] == ["Kremlin"]
    assert detail["sources"][0]["url"] == "https://example.org/a"


def test_verdict_is_kept_apart_from_status(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    cli("add", "Claim A", "--asserted-by", "NIS", "--no-quantity")
    assert cli("verdict", "1", "unproven", "--note", "no public evidence").exit_code == 0
    [row] = listed(cli)
    assert (row["status"], row["verdict"]) == ("asserted", "unproven")


def test_evidence_is_attached_with_its_source(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    cli("add", "Claim A", "--asserted-by", "NIS", "--source", "https://example.org/a")
    result = cli("evidence", "1", "Warhead fragments", "--bearing", "supports", "--source", "1")
    assert result.exit_code == 0, result.output
    detail = json.loads(cli("show", "1", "--json").stdout)
    assert detail["evidence"][0]["description"] == "Warhead fragments"


def test_list_csv_has_a_header_and_one_row_per_claim(with_parties) -> None:  # noqa: ANN001
    cli = with_parties
    cli("add", "Claim A", "--asserted-by", "NIS")
    cli("add", "Claim B, with a comma", "--denied-by", "Kremlin")
    lines = cli("list", "--csv").stdout.splitlines()
    assert lines[0].startswith("id,ref,status")
    assert len(lines) == 3
    assert '"Claim B, with a comma"' in lines[2]


def test_nothing_waits_for_input_without_a_terminal(cli) -> None:  # noqa: ANN001
    result = cli("add")
    assert "claim text is required" in one_error_line(result)
