"""Ctrl-C during a long import or dedupe, with its worker processes busy: one line,
exit 130, and the database as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import table_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import write_corpus  # noqa: E402


def _ctrl_c(db_url: str, *args: str, after: float) -> subprocess.CompletedProcess:
    """Run the CLI in its own process group and press Ctrl-C (SIGINT to the whole group,
    as a terminal does) once it has worked for ``after`` seconds."""
    process = subprocess.Popen(
        [sys.executable, "-m", "nkru_claims", "--db", db_url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        start_new_session=True,
    )
    time.sleep(after)
    assert process.poll() is None, "finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _assert_interrupted(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == "Error: interrupted; nothing was written", result.stderr
    assert "Traceback" not in result.stdout


@pytest.mark.slow
def test_ctrl_c_stops_import_and_dedupe_without_writing(db_url: str, cli, tmp_path) -> None:  # noqa: ANN001
    corpus = tmp_path / "corpus.json"
    write_corpus(corpus, 60_000, 3)
    empty = table_rows(db_url)
    _assert_interrupted(_ctrl_c(db_url, "import", str(corpus), after=2.5))
    assert table_rows(db_url) == empty

    imported = cli("import", str(corpus))
    assert imported.exit_code == 0, imported.output
    proposed = json.loads(cli("dedupe", "--json").stdout)["groups"]
    assert proposed, "the corpus has duplicates for dedupe --apply to merge"
    before = table_rows(db_url)
    _assert_interrupted(_ctrl_c(db_url, "dedupe", "--apply", after=2.0))
    assert table_rows(db_url) == before


_INTERRUPT_INSIDE_A_DRIVER_PIPELINE = """
import sys
from nkru_claims import bulk
from nkru_claims.cli import main

insert_rows = bulk._insert_rows

def interrupted(session, model, rows):
    insert_rows(session, model, rows)
    driver = session.connection().connection.driver_connection
    with driver.pipeline():  # Ctrl-C while psycopg has a failed pipeline in flight
        driver.execute("SELECT 1/0")
        raise KeyboardInterrupt

bulk._insert_rows = interrupted
sys.argv = ["nkru-claims", *sys.argv[1:]]
main()
"""


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_ctrl_c_inside_a_driver_pipeline_prints_only_our_line(db_url: str, tmp_path: Path) -> None:
    """psycopg's complaint about the pipeline it could not finish stays off the terminal."""
    corpus = tmp_path / "corpus.json"
    write_corpus(corpus, 10, 1)
    before = table_rows(db_url)
    result = subprocess.run(
        [sys.executable, "-c", _INTERRUPT_INSIDE_A_DRIVER_PIPELINE,
         "--db", db_url, "import", str(corpus)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )
    _assert_interrupted(result)
    assert table_rows(db_url) == before
