"""Which database a command uses: reading never creates one, writing says it did,
``info`` names it, ``--db`` goes anywhere, ``demo`` respects the user's choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from nkru_claims.cli import app, run
from tests.test_cli_claims import one_error_line

CLAIM = "North Korea shipped 5 million artillery shells to Russia"


@pytest.fixture
def nkru(runner: CliRunner):  # noqa: ANN201
    def invoke(*args: str):  # noqa: ANN202
        return runner.invoke(app, list(args))

    return invoke


@pytest.mark.parametrize("command", [("list",), ("show", "3"), ("report",), ("info",),
                                     ("export", "-"), ("log",), ("merges",), ("dedupe",),
                                     ("party", "list"), ("stance", "1", "NIS", "asserts")])
def test_a_command_that_reads_never_creates_a_database(nkru, tmp_path, command) -> None:  # noqa: ANN001
    missing = tmp_path / "typo" / "claimz.db"
    line = one_error_line(nkru("--db", str(missing), *command))
    assert line.startswith(f"Error: no database at {missing}")
    assert not missing.parent.exists()


def test_the_default_database_is_not_created_by_reading(nkru, isolated_database_env) -> None:  # noqa: ANN001
    assert str(isolated_database_env) in one_error_line(nkru("list"))
    assert not isolated_database_env.exists()


def test_a_file_without_a_ledger_is_named_and_left_alone(nkru, tmp_path) -> None:  # noqa: ANN001
    empty = tmp_path / "empty.db"
    empty.touch()
    assert "holds no nkru-claims ledger" in one_error_line(nkru("--db", str(empty), "list"))
    assert empty.stat().st_size == 0


def test_a_write_on_a_new_path_says_once_that_it_created_it(nkru, tmp_path) -> None:  # noqa: ANN001
    new = tmp_path / "new" / "claims.db"
    first = nkru("--db", str(new), "add", CLAIM)
    assert first.exit_code == 0, first.output
    assert first.stderr.strip() == f"Created a new database at {new}"
    second = nkru("--db", str(new), "add", "Russia sent oil to North Korea")
    assert second.exit_code == 0 and second.stderr == ""
    assert "claim" in nkru("--db", str(new), "list").stdout


def test_a_failed_write_into_a_new_file_leaves_nothing_behind(nkru, tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nkru-claims", "version": 1, "claims": [{"text": ""}]}',
                   encoding="utf-8")
    new = tmp_path / "made" / "for" / "it.db"
    one_error_line(nkru("--db", str(new), "import", str(bad)))
    one_error_line(nkru("--db", str(new), "add", "x", "--date", "2024-13-40"))
    assert not (tmp_path / "made").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_info_names_the_database_its_revision_and_counts(seeded_url, runner) -> None:  # noqa: ANN001
    from nkru_claims.db import SCHEMA_HEAD

    url = make_url(seeded_url)
    if url.drivername.startswith("postgresql"):
        url = url.set(password="not-shown")  # trust authentication ignores it
    given = url.render_as_string(hide_password=False)
    shown = runner.invoke(app, ["--db", given, "info"])
    assert shown.exit_code == 0, shown.output
    assert "not-shown" not in shown.output
    expected = url.database if url.drivername.startswith("sqlite") else (
        url.render_as_string(hide_password=True))
    assert f"Database: {expected}" in shown.stdout
    assert f"revision {SCHEMA_HEAD} (current)" in shown.stdout
    info = json.loads(runner.invoke(app, ["info", "--json", "--db", given]).stdout)
    assert info["schema_revision"] == SCHEMA_HEAD and info["chosen_by"] == "--db"
    assert info["counts"]["claims"] > 0 and info["counts"]["stances"] > 0
    listed = json.loads(runner.invoke(app, ["--db", given, "list", "--all", "--json"]).stdout)
    assert info["counts"]["claims"] == len(listed)


def test_db_goes_before_or_after_the_command(seeded_url, capsys) -> None:  # noqa: ANN001
    assert run(["list", "--json", "--all", "--db", seeded_url]) == 0
    after = capsys.readouterr().out
    assert run(["--db", seeded_url, "list", "--json", "--all"]) == 0
    assert capsys.readouterr().out == after and json.loads(after)
    assert run(["list", f"--db={seeded_url}", "--json", "--all"]) == 0
    assert capsys.readouterr().out == after


def test_version(nkru) -> None:  # noqa: ANN001
    from nkru_claims import __version__

    shown = nkru("--version")
    assert shown.exit_code == 0 and shown.stdout.strip() == f"nkru-claims {__version__}"


def test_show_of_a_missing_claim_names_the_database(cli, db_url) -> None:  # noqa: ANN001
    from nkru_claims.config import database_label

    line = one_error_line(cli("show", "3"))
    assert line == f"Error: no claim with id 3 in {database_label(db_url)}"


def test_demo_uses_nkru_claims_db_and_never_a_ledger_with_data(
    nkru, tmp_path, monkeypatch  # noqa: ANN001
) -> None:
    chosen = tmp_path / "mine.db"
    monkeypatch.setenv("NKRU_CLAIMS_DB", str(chosen))
    shown = nkru("demo", "--format", "md")
    assert shown.exit_code == 0, shown.output
    assert f"The demo claims are in {chosen}" in shown.stdout
    listed = json.loads(nkru("list", "--json", "--all").stdout)
    assert listed
    again = nkru("demo")
    assert f"{chosen} already holds data" in one_error_line(again)
    assert json.loads(nkru("list", "--json", "--all").stdout) == listed


def test_demo_refuses_a_ledger_that_holds_data(seeded_cli, seeded_url) -> None:  # noqa: ANN001
    before = seeded_cli("export", "-").stdout
    assert "already holds data" in one_error_line(seeded_cli("demo"))
    assert seeded_cli("export", "-").stdout == before


def test_demo_into_an_empty_ledger(cli) -> None:  # noqa: ANN001
    shown = cli("demo")
    assert shown.exit_code == 0, shown.output
    assert "Who asserts, who denies" in shown.stdout


def test_a_path_is_named_as_an_absolute_path(nkru, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    line = one_error_line(nkru("--db", "relative.db", "list"))
    assert str(Path(tmp_path / "relative.db")) in line
