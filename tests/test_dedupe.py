"""Deduplication: folding rewordings, never different facts, and undoing merges exactly."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkru_claims.db import make_engine, session_scope, upgrade
from nkru_claims.exchange import import_document, load_document
from nkru_claims.services.dedupe import find_duplicate_groups
from nkru_claims.services.merges import merge_claims, unmerge
from tests.conftest import SEED_PATH, in_session, other_script_document, table_rows


def _seed_with_rewordings(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        import_document(session, load_document(SEED_PATH.read_text(encoding="utf-8")))
        import_document(session, other_script_document())
    engine.dispose()
    return _ids_by_ref(url)


def _ids_by_ref(url: str) -> dict[str, int]:
    rows = table_rows(url)["claim"]
    engine = make_engine(url)
    from sqlalchemy import text

    with engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT ref, id FROM claim")).all())
    engine.dispose()
    assert len(ids) == len(rows)
    return ids


def test_dedupe_folds_each_rewording_into_its_original_and_unmerge_restores(
    db_url: str, cli,  # noqa: ANN001
) -> None:
    ids = _seed_with_rewordings(db_url)
    reworded = {ref: i for ref, i in ids.items() if ref.endswith("-other-script")}
    before = table_rows(db_url)
    stances_before = len(before["stance"])

    dry = json.loads(cli("dedupe", "--json").stdout)
    proposed = {tuple(c["id"] for c in g["claims"]) for g in dry["groups"]}
    assert table_rows(db_url) == before, "a dry run changes nothing"
    expected = {(ids[ref.removesuffix("-other-script")], i) for ref, i in reworded.items()}
    for original, copy in expected:  # every rewording is proposed with its original
        assert any(original in group and copy in group for group in proposed), (original, copy)

    applied = cli("dedupe", "--apply", "--json")
    assert applied.exit_code == 0, applied.output
    merges = json.loads(applied.stdout)["merges"]
    after = table_rows(db_url)
    assert len(after["claim"]) == len(before["claim"]) - sum(len(m["merged"]) for m in merges)
    assert len(after["stance"]) == stances_before
    shown = json.loads(cli("show", str(ids["nk-soldiers-vladivostok-1500"]), "--json").stdout)
    assert len(shown["stances"]["denies"]) == 4  # Russia and the Kremlin, from both imports
    assert any(w["language"] == "zh-Hant" for w in shown["wordings"])

    for merge in reversed(merges):
        result = cli("unmerge", str(merge["merge"]))
        assert result.exit_code == 0, result.output
    assert table_rows(db_url) == before


def test_no_merge_between_different_quantities(seeded_url: str) -> None:
    from nkru_claims.models import Claim

    def quantities_of_groups(session):  # noqa: ANN001, ANN202
        return [{(c.quantity_low, c.quantity_high, c.quantity_unit)
                 for c in (session.get(Claim, i) for i in group.claim_ids)
                 if c.quantity_unit is not None}
                for group in find_duplicate_groups(session)]

    assert all(len(found) <= 1 for found in in_session(seeded_url, quantities_of_groups))


def test_a_rejected_pair_is_not_proposed_again(db_url: str, cli) -> None:  # noqa: ANN001
    ids = _seed_with_rewordings(db_url)
    original, copy = ids["nk-ammo-6700-containers-since-sep-2023"], ids[
        "nk-ammo-6700-containers-since-sep-2023-other-script"]
    assert cli("distinct", str(original), str(copy), "--note", "checked").exit_code == 0
    groups = json.loads(cli("dedupe", "--json").stdout)["groups"]
    assert all(copy not in [c["id"] for c in g["claims"]] for g in groups)
    again = json.loads(cli("dedupe", "--json", "--include-rejected").stdout)["groups"]
    assert any(copy in [c["id"] for c in g["claims"]] for g in again)
    assert "already marked" in cli("distinct", str(copy), str(original)).stderr


def test_merge_and_unmerge_by_hand(seeded_cli, seeded_url: str) -> None:  # noqa: ANN001
    before = table_rows(seeded_url)
    result = seeded_cli("merge", "1", "2", "3", "--force")
    assert result.exit_code == 0, result.output
    assert "unmerge 1" in result.stdout
    listed = json.loads(seeded_cli("merges", "--json").stdout)
    assert listed[0]["merged"] == [2, 3] and listed[0]["undone_at"] is None
    assert seeded_cli("unmerge", "1").exit_code == 0
    assert table_rows(seeded_url) == before
    assert "already undone" in seeded_cli("unmerge", "1").stderr
    assert "no merge with id 9" in seeded_cli("unmerge", "9").stderr


# ---- properties -----------------------------------------------------------------------

_TEMPLATE: dict[str, Path] = {}


def _fresh_seeded_copy(folder: Path) -> str:
    import shutil

    if "db" not in _TEMPLATE:
        path = Path(tempfile.mkdtemp()) / "seeded.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        with session_scope(engine) as session:
            import_document(session, load_document(SEED_PATH.read_text(encoding="utf-8")))
        engine.dispose()
        _TEMPLATE["db"] = path
    target = folder / "copy.db"
    shutil.copy(_TEMPLATE["db"], target)
    return f"sqlite:///{target}"


claim_groups = st.lists(st.integers(1, 20), min_size=2, max_size=6, unique=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_groups)
def test_a_merge_followed_by_an_unmerge_restores_every_row(claim_ids: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = _fresh_seeded_copy(Path(folder))
        before = table_rows(url)
        engine = make_engine(url)
        with session_scope(engine) as session:
            record = merge_claims(session, kept_id=claim_ids[0], other_ids=claim_ids[1:],
                                  actor="tester")
            merge_id = record.id
        merged = table_rows(url)
        assert len(merged["stance"]) == len(before["stance"])
        assert len(merged["evidence"]) == len(before["evidence"])
        assert len(merged["claim"]) == len(before["claim"]) - len(claim_ids) + 1
        with session_scope(engine) as session:
            unmerge(session, merge_id=merge_id, actor="tester")
        engine.dispose()
        assert table_rows(url) == before
