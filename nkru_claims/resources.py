"""Files that ship with the package: the seed fixtures (and, via ``db``, the migrations)."""

from __future__ import annotations

from pathlib import Path


def seed_fixture_path() -> Path:
    """``fixtures/seed.json``: inside the installed wheel, else in the source tree."""
    packaged = Path(__file__).parent / "_fixtures" / "seed.json"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"
