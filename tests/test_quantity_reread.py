"""Migration 0009: quantities stored by earlier readers are read again, with an audit
entry for each change, and downgrade puts the old values back."""

from __future__ import annotations

from sqlalchemy import text

from nkru_claims.db import downgrade, make_engine, upgrade

ROWS = [  # text as stored, and what an earlier reader recorded from it
    ("超過2萬8000個貨櫃", 8000.0, 8000.0, "containers", False),
    ("200多万发炮弹", 10000.0, 10000.0, "shells", False),
    ("约6700个集装箱", 6700.0, 6700.0, "containers", True),  # already right: untouched
]


def _quantities(engine) -> dict[str, tuple]:  # noqa: ANN001
    with engine.connect() as connection:
        return {row[0]: tuple(row[1:]) for row in connection.execute(text(
            "SELECT quantity_text, quantity_low, quantity_high, quantity_unit, "
            "quantity_approximate FROM claim ORDER BY id"))}


def test_upgrade_rereads_wrong_figures_and_downgrade_restores_them(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    upgrade(engine, "0008")
    with engine.begin() as connection:
        for n, (words, low, high, unit, approx) in enumerate(ROWS, 1):
            connection.execute(text(
                "INSERT INTO claim (id, text, status, quantity_text, quantity_low, "
                "quantity_high, quantity_unit, quantity_approximate, created_at, updated_at) "
                "VALUES (:id, :t, 'unverified', :q, :lo, :hi, :u, :a, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)"),
                {"id": n, "t": f"claim {n}: {words}", "q": words, "lo": low, "hi": high,
                 "u": unit, "a": approx})
    before = _quantities(engine)
    upgrade(engine)
    after = _quantities(engine)
    assert after["超過2萬8000個貨櫃"][:3] == (28000.0, None, "containers")
    assert after["200多万发炮弹"][:3] == (2000000.0, None, "shells")
    assert after["约6700个集装箱"] == before["约6700个集装箱"]
    with engine.connect() as connection:
        logged = connection.execute(text(
            "SELECT entity_id FROM audit_log WHERE action = 'reread-quantity' ORDER BY 1")
        ).scalars().all()
    assert logged == [1, 2]
    downgrade(engine, "0008")
    assert _quantities(engine) == before
    engine.dispose()
