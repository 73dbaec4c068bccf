"""A shared database: concurrent writers, killed processes, the audit trail, backups,
moves between backends, and hostile text."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from nkru_claims.db import make_engine, session_scope, upgrade
from nkru_claims.exchange import export_document, import_document
from tests.conftest import SEED_PATH, table_rows
from tests.test_exchange import documents

WORKERS, CLAIMS_EACH = 8, 50

WORKER = textwrap.dedent("""
    import sys
    from nkru_claims.cli import app

    db, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        code = app(["--db", db, "--as", f"worker-{worker}", "add",
                    f"Worker {worker} reports event number {i}",
                    "--asserted-by", "Russia", "--denied-by", "Kremlin",
                    "--force-new", "--no-quantity"], standalone_mode=False)
        if code:
            sys.exit(code)
""")


def _run_cli(db_url: str, *args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nkru_claims", "--db", db_url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env={**os.environ, **(env or {})}, **kw,
    )


def _parties(cli) -> None:  # noqa: ANN001
    assert cli("party", "add", "Russia", "--kind", "state").exit_code == 0
    assert cli("party", "add", "Kremlin", "--kind", "government_body",
               "--parent", "Russia").exit_code == 0


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(db_url: str, cli) -> None:  # noqa: ANN001
    _parties(cli)
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, db_url, str(n), str(CLAIMS_EACH)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for n in range(WORKERS)
    ]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0] * WORKERS, errors
    assert not any("locked" in e for e in errors), errors
    rows = table_rows(db_url)
    assert len(rows["claim"]) == WORKERS * CLAIMS_EACH
    assert len(rows["stance"]) == 2 * WORKERS * CLAIMS_EACH
    listed = json.loads(cli("list", "--contested", "--all", "--json").stdout)
    assert len(listed) == WORKERS * CLAIMS_EACH
    log = json.loads(cli("log", "--user", "worker-3", "--limit", "1000", "--json").stdout)
    assert sum(e["entity"] == "claim" for e in log) == CLAIMS_EACH


def test_overlapping_merges_at_once_keep_every_stance(seeded_url: str) -> None:
    before = table_rows(seeded_url)
    first = _run_cli(seeded_url, "merge", "1", "2", "3", "4", "--force")
    second = _run_cli(seeded_url, "merge", "4", "5", "6", "1", "--force")
    outcomes = [first.communicate(timeout=60), second.communicate(timeout=60)]
    codes = sorted([first.returncode, second.returncode])
    assert codes in ([0, 0], [0, 1]), outcomes
    for _, stderr in outcomes:
        assert "Traceback" not in stderr
    after = table_rows(seeded_url)
    assert len(after["stance"]) == len(before["stance"])
    claim_ids = {row[0] for row in after["claim"]}
    assert all(row[1] in claim_ids for row in after["stance"])


@pytest.mark.parametrize("command", ["import", "merge"])
def test_a_killed_command_leaves_the_database_as_it_was(
    seeded_url: str, tmp_path: Path, command: str
) -> None:
    if command == "import":
        document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
        for claim in document["claims"]:
            claim["ref"] += "-again"
        path = tmp_path / "again.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        args = ["import", str(path)]
    else:
        args = ["merge", "1", *map(str, range(2, 21)), "--force"]
    before = table_rows(seeded_url, skip=())
    process = _run_cli(seeded_url, *args, env={"NKRU_CLAIMS_PAUSE_BEFORE_COMMIT": "60"})
    assert "paused before commit" in process.stderr.readline()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert table_rows(seeded_url, skip=()) == before


def test_every_write_is_in_the_log_with_who_and_what(cli) -> None:  # noqa: ANN001
    _parties(cli)
    assert cli("--as", "alice", "add", "Claim one", "--asserted-by", "Russia").exit_code == 0
    assert cli("--as", "bob", "stance", "1", "Kremlin", "denies", "--quote", "fake").exit_code == 0
    assert cli("--as", "bob", "edit", "1", "--text", "Claim one, edited").exit_code == 0
    assert cli("--as", "carol", "delete", "1").exit_code == 0
    assert json.loads(cli("list", "--json").stdout) == []
    assert "was deleted" in cli("show", "1").stderr
    assert cli("--as", "carol", "restore", "1").exit_code == 0
    assert [c["id"] for c in json.loads(cli("list", "--json").stdout)] == [1]

    log = json.loads(cli("log", "--claim", "1", "--json").stdout)
    actions = [(e["actor"], e["action"], e["entity"]) for e in reversed(log)]
    assert actions == [
        ("alice", "add", "claim"), ("alice", "add", "stance"), ("bob", "add", "stance"),
        ("bob", "edit", "claim"), ("carol", "delete", "claim"), ("carol", "restore", "claim"),
    ]
    edit = next(e for e in log if e["action"] == "edit")
    assert edit["details"]["text"] == ["Claim one", "Claim one, edited"]
    assert edit["command"] == "edit"
    assert json.loads(cli("log", "--user", "bob", "--json").stdout)[0]["actor"] == "bob"
    assert json.loads(cli("log", "--since", "2999-01-01", "--json").stdout) == []
    assert "Claim one" in cli("log").stdout


def test_merge_unmerge_and_import_are_logged(seeded_cli) -> None:  # noqa: ANN001
    seeded_cli("merge", "1", "2", "--force")
    seeded_cli("unmerge", "1")
    actions = [e["action"] for e in json.loads(seeded_cli("log", "--json").stdout)]
    assert actions[:2] == ["unmerge", "merge"]
    assert "import" in actions


def test_backup_is_a_consistent_copy(seeded_url: str, tmp_path: Path, runner) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    if not seeded_url.startswith("sqlite"):
        result = runner.invoke(app, ["--db", seeded_url, "backup", str(tmp_path / "x.db")])
        assert "pg_dump" in result.stderr and result.exit_code == 1
        return
    target = tmp_path / "copy.db"
    result = runner.invoke(app, ["--db", seeded_url, "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert table_rows(f"sqlite:///{target}") == table_rows(seeded_url)
    again = runner.invoke(app, ["--db", seeded_url, "backup", str(target)])
    assert "already exists" in again.stderr


@pytest.mark.postgres
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(document=documents())
def test_sqlite_to_postgres_and_back_is_lossless(document: dict, postgres_server_url: str) -> None:
    from sqlalchemy import create_engine, text

    def fresh(url: str):  # noqa: ANN202
        engine = make_engine(url)
        upgrade(engine)
        return engine

    def load(engine, doc: dict) -> dict:  # noqa: ANN001
        with session_scope(engine) as session:
            import_document(session, doc)
        with session_scope(engine) as session:
            return export_document(session)

    with tempfile.TemporaryDirectory() as folder:
        lite = fresh(f"sqlite:///{folder}/a.db")
        from_sqlite = load(lite, document)
        pg_url = postgres_server_url.rsplit("/", 1)[0] + "/" + Path(folder).name.lower()
        admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{Path(folder).name.lower()}"'))
        try:
            pg = fresh(pg_url)
            from_postgres = load(pg, json.loads(json.dumps(from_sqlite)))
            pg.dispose()
        finally:
            with admin.connect() as connection:
                connection.execute(
                    text(f'DROP DATABASE IF EXISTS "{Path(folder).name.lower()}" WITH (FORCE)'))
            admin.dispose()
        back = load(fresh(f"sqlite:///{folder}/b.db"), json.loads(json.dumps(from_postgres)))
        lite.dispose()
    assert from_postgres == from_sqlite
    assert back == from_sqlite


HOSTILE = [
    "Robert'); DROP TABLE claim;--",
    "$(rm -rf /) `reboot` && echo pwned; | tee /etc/passwd",
    '" OR 1=1 -- \\\\ %s %(x)s {0} \x1b[31mred\x1b[0m',
    "北韓'; DELETE FROM stance WHERE '1'='1",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_stored_and_read_back_verbatim(cli, hostile: str) -> None:  # noqa: ANN001
    assert cli("party", "add", hostile, "--kind", "organisation").exit_code == 0
    result = cli("add", hostile + " claim", "--asserted-by", hostile, "--quote", hostile,
                 "--force-new", "--no-quantity")
    assert result.exit_code == 0, result.output
    [row] = json.loads(cli("list", "--json", "--search", hostile).stdout)
    assert row["text"] == hostile + " claim"
    assert row["asserted_by"] == [hostile]
    detail = json.loads(cli("show", str(row["id"]), "--json").stdout)
    assert detail["stances"]["asserts"][0]["quote"] == hostile


def test_passwords_in_urls_are_never_printed(runner) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    url = "postgresql+psycopg://analyst:s3cret-pass@127.0.0.1:1/claims"
    result = runner.invoke(app, ["--db", url, "list"])
    assert result.exit_code == 1
    assert "s3cret-pass" not in result.output + result.stderr
    assert "***" in result.stderr
