"""The wheel as a user installs it: migrations and fixtures inside, a working entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the wheel and install it (without dependencies) into a prefix of its own."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(work), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(work.glob("nkru_claims-*.whl"))
    prefix = work / "prefix"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--ignore-installed",
         "--prefix", str(prefix), str(wheel)],
        check=True, capture_output=True,
    )
    purelib = sysconfig.get_path("purelib", vars={"base": str(prefix)})
    return {"wheel": wheel, "bin": prefix / "bin", "site": Path(purelib)}


def run_installed(
    installed: dict[str, Path], *args: str, home: Path
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed["site"]), "HOME": str(home),
           "XDG_DATA_HOME": str(home / "data")}
    env.pop("NKRU_CLAIMS_DB", None)
    return subprocess.run(
        [str(installed["bin"] / "nkru-claims"), *args],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120,
        cwd=home,
    )


def test_wheel_carries_migrations_and_fixtures(installed) -> None:  # noqa: ANN001
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert "nkru_claims/_migrations/env.py" in names
    assert any(n.startswith("nkru_claims/_migrations/versions/") for n in names)
    assert "nkru_claims/_fixtures/seed.json" in names


def test_installed_entry_point_migrates_a_new_default_database(installed, tmp_path) -> None:  # noqa: ANN001
    missing = run_installed(installed, "list", "--json", home=tmp_path)
    assert missing.returncode == 1 and missing.stderr.startswith("Error: no database at")
    assert not (tmp_path / "data" / "nkru-claims" / "claims.db").exists()  # reading creates none
    added = run_installed(installed, "add", "A claim", "--yes", home=tmp_path)
    assert added.returncode == 0, added.stderr
    result = run_installed(installed, "list", "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [row["text"] for row in json.loads(result.stdout)] == ["A claim"]
    assert (tmp_path / "data" / "nkru-claims" / "claims.db").exists()
    which = subprocess.run(
        [sys.executable, "-c", "import nkru_claims; print(nkru_claims.__file__)"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(installed["site"])},
        check=True, cwd=tmp_path,
    )
    assert str(installed["site"]) in which.stdout


def test_installed_demo_and_a_clean_error(installed, tmp_path) -> None:  # noqa: ANN001
    demo = run_installed(installed, "demo", home=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Who asserts, who denies" in demo.stdout
    bad = run_installed(installed, "show", "12345", home=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.strip().startswith("Error: no claim with id 12345 in ")
