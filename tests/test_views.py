"""The views a migration creates for Datasette and other SQL tools."""

from __future__ import annotations

from sqlalchemy import text

from nkru_claims.db import make_engine


def query(url: str, sql: str) -> list[dict]:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(text(sql))]
    engine.dispose()
    return rows


def test_contested_claims_view_names_both_sides(seeded_url: str, seeded_cli) -> None:  # noqa: ANN001
    rows = {r["id"]: r for r in query(seeded_url, "SELECT * FROM contested_claims")}
    listed = {c["id"] for c in __import__("json").loads(
        seeded_cli("list", "--contested", "--json").stdout)}
    assert set(rows) == listed
    soldiers = next(r for r in rows.values() if "1,500" in r["text"])
    assert "National Intelligence Service" in soldiers["asserted_by"]
    assert "Kremlin" in soldiers["denied_by"]


def test_stance_matrix_has_one_row_per_stance(seeded_url: str) -> None:
    [(stances,)] = [tuple(r.values()) for r in query(seeded_url, "SELECT count(*) FROM stance")]
    matrix = query(seeded_url, "SELECT * FROM stance_matrix")
    assert len(matrix) == stances
    assert {"claim", "party", "stance", "quote", "source_url"} <= set(matrix[0])


def test_party_record_counts_claims_by_side(seeded_url: str, seeded_cli) -> None:  # noqa: ANN001
    [kremlin] = query(seeded_url, "SELECT * FROM party_record WHERE name = 'Kremlin'")
    assert kremlin["denies"] == 3 and kremlin["contested_claims"] == 3
    seeded_cli("delete", "3")
    [after] = query(seeded_url, "SELECT * FROM party_record WHERE name = 'Kremlin'")
    assert after["denies"] == 2
