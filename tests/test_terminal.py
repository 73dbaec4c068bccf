"""Terminal manners: progress only on a terminal, Ctrl-C writes nothing, NO_COLOR,
prompts only when a person is there."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SEED_PATH, table_rows


def _in_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI with stdin, stdout and stderr on a pseudo-terminal; returns (code, output)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "nkru_claims", *args], stdin=follower, stdout=follower,
        stderr=follower, env={**os.environ, **env}, close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_import_shows_progress_on_a_terminal_and_not_when_piped(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    code, output = _in_a_terminal(["--db", db, "import", str(SEED_PATH)], {"TERM": "xterm"})
    assert code == 0, output
    assert "Importing claims" in output
    piped = subprocess.run([sys.executable, "-m", "nkru_claims", "--db", str(tmp_path / "p.db"),
                            "import", str(SEED_PATH)], capture_output=True, text=True)
    assert piped.returncode == 0
    assert "Importing" not in piped.stdout + piped.stderr


def test_ctrl_c_leaves_the_database_unchanged(seeded_url: str, tmp_path: Path) -> None:
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    for claim in document["claims"]:
        claim["ref"] += "-again"
    path = tmp_path / "again.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = table_rows(seeded_url, skip=())
    process = subprocess.Popen(
        [sys.executable, "-m", "nkru_claims", "--db", seeded_url, "import", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NKRU_CLAIMS_PAUSE_BEFORE_COMMIT": "60"},
    )
    assert "paused before commit" in process.stderr.readline()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip() == "Error: interrupted; nothing was written"
    assert table_rows(seeded_url, skip=()) == before


def test_no_color_turns_colour_off(seeded_cli, tmp_path: Path) -> None:  # noqa: ANN001
    db = str(tmp_path / "c.db")
    subprocess.run([sys.executable, "-m", "nkru_claims", "--db", db, "import", str(SEED_PATH)],
                   check=True, capture_output=True)
    coloured = _in_a_terminal(["--db", db, "list", "--contested"], {"TERM": "xterm"})[1]
    plain = _in_a_terminal(["--db", db, "list", "--contested"],
                           {"TERM": "xterm", "NO_COLOR": "1"})[1]
    assert "\x1b[31m" in coloured or "\x1b[1;31m" in coloured
    assert "\x1b[31m" not in plain and "\x1b[1;31m" not in plain
    assert "contested" in plain


def test_add_prompts_for_the_text_in_a_terminal(tmp_path: Path) -> None:
    db = str(tmp_path / "prompt.db")
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "nkru_claims", "--db", db, "add",
                                "--no-quantity"], stdin=follower, stdout=follower,
                               stderr=follower, close_fds=True)
    os.close(follower)
    seen, deadline = b"", time.monotonic() + 60
    while b"Claim" not in seen:  # "Claim (? for help, q to quit):"
        assert time.monotonic() < deadline, f"no prompt: {seen!r}"
        if select.select([leader], [], [], 1)[0]:
            seen += os.read(leader, 1024)
    os.write(leader, "北韓向俄羅斯運送砲彈\r".encode())
    while process.poll() is None:
        try:
            seen += os.read(leader, 1024)
        except OSError:
            break
    os.close(leader)
    assert process.wait(timeout=60) == 0
    listed = subprocess.run([sys.executable, "-m", "nkru_claims", "--db", db, "list", "--json"],
                            capture_output=True, text=True, check=True)
    assert [c["text"] for c in json.loads(listed.stdout)] == ["北韓向俄羅斯運送砲彈"]
