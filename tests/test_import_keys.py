"""Every exported claim has a stable key; importing twice adds nothing; conflicts in a
file are errors naming both records; --dry-run writes nothing; export then import into
an empty database restores it exactly, history included; and the issue's session."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEED_PATH, _empty_postgres, table_rows
from tests.test_cli_claims import one_error_line

SHELLS = "North Korea shipped 5 million artillery shells to Russia"


def ok(result) -> str:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return result.stdout


def claim_id(result) -> int:  # noqa: ANN001
    return int(re.search(r"claim #(\d+)", ok(result))[1])


def count(cli) -> int:  # noqa: ANN001
    return len(json.loads(ok(cli("list", "--json", "--all"))))


def exported(cli, tmp_path: Path, name: str = "export.json") -> Path:  # noqa: ANN001
    target = tmp_path / name
    ok(cli("export", str(target)))
    return target


def test_every_exported_claim_has_a_stable_key(cli, tmp_path: Path) -> None:  # noqa: ANN001
    claim_id(cli("add", SHELLS))
    claim_id(cli("add", "Russia sent MiG-29 fighters to North Korea", "--ref", "mig-29"))
    first = json.loads(exported(cli, tmp_path, "a.json").read_text(encoding="utf-8"))
    second = json.loads(exported(cli, tmp_path, "b.json").read_text(encoding="utf-8"))
    refs = [c["ref"] for c in first["claims"]]
    assert None not in refs and len(set(refs)) == len(refs)
    assert refs == [c["ref"] for c in second["claims"]]
    assert refs[1] == "mig-29" and re.fullmatch(r"claim-[0-9a-f]{8}-1", refs[0])


def test_importing_a_file_twice_or_an_own_export_adds_nothing(cli, tmp_path: Path) -> None:  # noqa: ANN001
    ok(cli("import", str(SEED_PATH)))
    claim_id(cli("add", SHELLS, "--force-new"))
    before = count(cli)
    own = exported(cli, tmp_path)
    assert "0 claims" in ok(cli("import", str(own)))
    assert "0 claims" in ok(cli("import", str(SEED_PATH)))
    assert count(cli) == before


def test_an_export_imported_elsewhere_twice_adds_its_claims_once(cli, runner, tmp_path: Path,
                                                                 sqlite_template: Path) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    ok(cli("import", str(SEED_PATH)))
    claim_id(cli("add", SHELLS, "--force-new"))
    document = exported(cli, tmp_path)
    other = tmp_path / "other.db"
    shutil.copy(sqlite_template, other)
    seeded = runner.invoke(app, ["--db", str(other), "add", "Something else entirely"])
    assert seeded.exit_code == 0, seeded.output
    first = runner.invoke(app, ["--db", str(other), "import", str(document)])
    second = runner.invoke(app, ["--db", str(other), "import", str(document)])
    assert "Imported 21 claims" in first.stdout, first.output
    assert "Imported 0 claims, 21 already present" in second.stdout, second.output


def _claim(ref: str, text: str) -> dict:
    return {"ref": ref, "text": text, "stances": [], "evidence": [], "wordings": []}


def test_two_claims_with_one_ref_are_an_error_naming_both(cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "twice.json"
    path.write_text(json.dumps({"format": "nkru-claims", "version": 1, "parties": [],
                                "sources": [], "claims": [_claim("a", "One"), _claim("b", "Two"),
                                                          _claim("a", "Three")]}))
    line = one_error_line(cli("import", str(path)))
    assert "claims[2]" in line and "claims[0]" in line
    assert count_or_missing(cli) == 0


def count_or_missing(cli) -> int:  # noqa: ANN001
    result = cli("list", "--json", "--all")
    return len(json.loads(result.stdout)) if result.exit_code == 0 else 0


def test_two_records_of_one_party_that_disagree_are_an_error(cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "parties.json"
    parties = [{"name": "Kremlin", "kind": "government_body", "country": "RU"},
               {"name": "Kremlin", "kind": "government_body", "country": "RU"},
               {"name": "Kremlin", "kind": "state", "country": "RU"}]
    path.write_text(json.dumps({"format": "nkru-claims", "version": 1, "parties": parties,
                                "sources": [], "claims": []}))
    line = one_error_line(cli("import", str(path)))
    assert "parties[2]" in line and "parties[0]" in line and "kind" in line


def test_dry_run_says_what_would_change_and_writes_nothing(cli, tmp_path: Path) -> None:  # noqa: ANN001
    ok(cli("import", str(SEED_PATH)))
    ok(cli("edit", "1", "--text", "An edited first claim"))
    changed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    changed["claims"].append(_claim("brand-new", "A claim nobody had"))
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    before = count(cli)
    out = ok(cli("import", str(path), "--dry-run"))
    assert "Would import 1 claims, 19 already present, 1 whose ref is here with a " \
           "different text" in out
    assert "Dry run: nothing was written" in out
    assert count(cli) == before


def _reset(db_url: str, sqlite_template: Path) -> None:
    """The same database, emptied back to a fresh one at head."""
    if db_url.startswith("sqlite"):
        shutil.copy(sqlite_template, db_url.removeprefix("sqlite:///"))
    else:
        _empty_postgres(db_url)


def test_export_then_import_into_an_empty_database_is_lossless(cli, db_url: str,  # noqa: ANN001
                                                               tmp_path: Path,
                                                               sqlite_template: Path) -> None:
    ok(cli("import", str(SEED_PATH)))
    kept = claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--force-new"))
    merge = re.search(r"unmerge (\d+)", ok(cli("merge", "1", str(kept), "--force")))[1]
    ok(cli("distinct", "2", "3", "--note", "different shipments"))
    ok(cli("delete", "5"))
    ok(cli("verdict", "3", "false", "--note", "checked"))
    document = exported(cli, tmp_path)
    skip = ("claim_vector",)  # derived (sentence vectors), made again on demand
    before = table_rows(db_url, skip=skip)
    _reset(db_url, sqlite_template)
    out = ok(cli("import", str(document)))
    assert "every ID kept" in out
    after = table_rows(db_url, skip=skip)
    assert after.keys() == before.keys()
    for table in before:  # the audit trail too: a restore adds no entry of its own
        assert after[table] == before[table], table
    again = json.loads(exported(cli, tmp_path, "again.json").read_text(encoding="utf-8"))
    first = json.loads(document.read_text(encoding="utf-8"))
    assert again["claims"] == first["claims"]
    assert again["history"]["merges"] == first["history"]["merges"]
    ok(cli("unmerge", merge))  # the merge history works in the copy
    assert claim_id(cli("add", "A claim added to the copy", "--force-new")) > kept


@pytest.mark.parametrize("step", ["session"])
def test_the_issue_session_keeps_every_id_meaning_what_it_meant(cli, tmp_path: Path,  # noqa: ANN001
                                                                step: str) -> None:
    """add, merge, add, unmerge, correct a party, import twice."""
    first = claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    second = claim_id(cli("add", SHELLS + " last year", "--denied-by", "Kremlim",
                          "--create-party", "--force-new"))
    merge = re.search(r"unmerge (\d+)", ok(cli("merge", str(first), str(second), "--force")))[1]
    third = claim_id(cli("add", "Russia sent MiG-29 fighters to North Korea"))
    assert third > second
    ok(cli("unmerge", merge))
    ok(cli("party", "add", "Kremlin", "--kind", "government_body", "--country", "RU"))
    ok(cli("party", "merge", "Kremlim", "Kremlin"))
    document = exported(cli, tmp_path)
    ok(cli("import", str(document)))
    ok(cli("import", str(document)))
    texts = {c["id"]: c["text"] for c in json.loads(ok(cli("list", "--json", "--all")))}
    assert texts == {first: SHELLS, second: SHELLS + " last year",
                     third: "Russia sent MiG-29 fighters to North Korea"}
    second_detail = json.loads(ok(cli("show", str(second), "--json")))
    assert second_detail["denied_by"] == ["Kremlin"]
    history = json.loads(ok(cli("log", "--json", "--claim", str(second))))
    assert [e["action"] for e in history][-1] == "add"
    assert [e["action"] for e in history if e["entity"] == "merge"] == ["unmerge", "merge"]
    assert all(e["claim_id"] in (first, second) for e in history)
    party_history = json.loads(ok(cli("log", "--json", "--entity", "party")))
    assert "merge" in [e["action"] for e in party_history]
    assert "#" in ok(cli("log", "--claim", str(third)))


def test_a_csv_export_keys_every_claim_and_imports_into_itself_as_nothing(
        cli, tmp_path: Path) -> None:  # noqa: ANN001
    import csv
    import io

    claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    path = tmp_path / "claims.csv"
    ok(cli("export", str(path), "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert all(row["claim_ref"] for row in rows)
    assert "Imported 0 claims" in ok(cli("import", str(path)))
    assert count(cli) == 1
