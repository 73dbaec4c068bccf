"""An ID keeps meaning one record: never reused, and a merged claim's ID points onwards."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import text

from nkru_claims.db import (
    downgrade,
    highest_id_ever,
    make_engine,
    open_database,
    session_scope,
    upgrade,
)
from tests.conftest import in_session
from tests.test_cli_claims import one_error_line

STABLE_ID_TABLES = ("party", "party_alias", "source", "claim", "claim_wording", "stance",
                    "evidence", "merge_record")
SHELLS = "North Korea shipped 5 million artillery shells to Russia"


def added_id(result) -> int:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return int(re.search(r"claim #(\d+)", result.stdout)[1])


def merge_id(result) -> int:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return int(re.search(r"unmerge (\d+)", result.stdout)[1])


def test_sqlite_tables_at_head_never_reuse_ids(sqlite_template: Path) -> None:
    """AUTOINCREMENT is invisible to reflection: a later batch migration that rebuilds
    one of these tables without table_kwargs would silently drop it. This says so."""
    engine = make_engine(f"sqlite:///{sqlite_template}")
    with engine.connect() as connection:
        schema = dict(connection.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    engine.dispose()
    for table in STABLE_ID_TABLES:
        assert "AUTOINCREMENT" in schema[table], table


def test_dedupe_of_the_newest_claim_then_add_gets_a_new_id(cli) -> None:  # noqa: ANN001
    first = added_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    newest = added_id(cli("add", SHELLS + ".", "--asserted-by", "NIS", "--force-new"))
    applied = cli("dedupe", "--apply", "--json")
    assert applied.exit_code == 0, applied.output
    merges = json.loads(applied.stdout)["merges"]
    assert merges == [{"merge": merges[0]["merge"], "kept": first, "merged": [newest]}]

    later = added_id(cli("add", "Russia sent MiG-29 fighters to North Korea"))
    assert later > newest
    undone = cli("unmerge", str(merges[0]["merge"]))
    assert undone.exit_code == 0, undone.output
    assert f"restored #{newest}" in undone.stdout
    for claim_id in (first, newest, later):
        assert cli("show", str(claim_id)).exit_code == 0
    history = json.loads(cli("log", "--claim", str(later), "--json").stdout)
    assert {entry["claim_id"] for entry in history} == {later}


def test_import_after_the_newest_claim_was_merged_gets_new_ids(cli, tmp_path) -> None:  # noqa: ANN001
    kept = added_id(cli("add", SHELLS))
    other = added_id(cli("add", "Russia sent oil to North Korea"))
    merge = merge_id(cli("merge", str(kept), str(other), "--force"))
    document = tmp_path / "new.json"
    document.write_text(json.dumps({"format": "nkru-claims", "version": 1, "claims": [
        {"ref": "new-1", "text": "Russia sent MiG-29 fighters to North Korea"}]}),
        encoding="utf-8")
    assert cli("import", str(document)).exit_code == 0
    imported = json.loads(cli("list", "--json", "--all").stdout)
    assert [c["id"] for c in imported if c["ref"] == "new-1"][0] > other
    assert cli("unmerge", str(merge)).exit_code == 0


def test_ids_of_every_kind_are_not_reused(db_url: str) -> None:
    """Delete the newest row of each kind outright; the next one gets a new ID."""
    from nkru_claims.models import Claim, Party, Source, Stance
    from nkru_claims.services.claims import StanceInput, add_claim, add_stance
    from nkru_claims.services.parties import add_party

    def add_all(session) -> dict[str, int]:  # noqa: ANN001
        party = add_party(session=session, name=f"Party {highest_id_ever(session, 'party')}",
                          kind="state")
        source = Source(url=f"https://example.org/{highest_id_ever(session, 'source')}")
        session.add(source)
        claim = add_claim(session=session, text=f"Claim {highest_id_ever(session, 'claim')}")
        session.flush()
        stance = add_stance(session=session, claim_id=claim.id,
                            stance=StanceInput(party=party.name, kind="asserts"))
        return {"party": party.id, "source": source.id, "claim": claim.id, "stance": stance.id}

    first = in_session(db_url, add_all)

    def remove(session) -> None:  # noqa: ANN001
        for model in (Stance, Claim, Source, Party):
            session.execute(model.__table__.delete())

    in_session(db_url, remove)
    second = in_session(db_url, add_all)
    assert all(second[kind] > first[kind] for kind in first), (first, second)


def test_a_merged_claims_id_names_the_claim_it_was_merged_into(cli) -> None:  # noqa: ANN001
    kept = added_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    other = added_id(cli("add", "Pyongyang sent five million shells to Moscow"))
    merge = merge_id(cli("merge", str(kept), str(other), "--force"))
    expected = f"claim #{other} was merged into #{kept}"
    for args in (("show", str(other)), ("stance", str(other), "NIS", "denies"),
                 ("evidence", str(other), "Satellite images"),
                 ("verdict", str(other), "false"), ("edit", str(other), "--text", "x"),
                 ("delete", str(other)), ("restore", str(other))):
        line = one_error_line(cli(*args))
        assert expected in line and f"unmerge {merge}" in line, (args, line)
    # Nothing was written to the kept claim either.
    shown = json.loads(cli("show", str(kept), "--json").stdout)
    assert shown["verdict"] is None and len(shown["stances"]) == 1
    # Merged again later: the old ID follows to where the claim lives now.
    third = added_id(cli("add", "Shells went north to south", "--asserted-by", "NIS"))
    merge_id(cli("merge", str(third), str(kept), "--force"))
    assert f"claim #{other} was merged into #{third}" in one_error_line(cli("show", str(other)))


def test_unmerge_refuses_when_a_new_claim_took_the_freed_ref(cli) -> None:  # noqa: ANN001
    kept = added_id(cli("add", SHELLS, "--ref", "shells-a"))
    other = added_id(cli("add", "Five million shells went to Russia", "--ref", "shells-b"))
    merge = merge_id(cli("merge", str(kept), str(other), "--force"))
    taker = added_id(cli("add", "Russia sent oil to North Korea", "--ref", "shells-b"))
    line = one_error_line(cli("unmerge", str(merge)))
    assert f"claim #{other}" in line and f"claim #{taker}" in line and "shells-b" in line
    assert cli("edit", str(taker), "--ref", "oil").exit_code == 0
    assert cli("unmerge", str(merge)).exit_code == 0
    assert json.loads(cli("show", str(other), "--json").stdout)["ref"] == "shells-b"


def test_migration_keeps_ids_above_every_id_the_ledger_used(tmp_path: Path) -> None:
    """A 0005 file whose newest claim was merged away: after the upgrade the next claim
    gets an ID above it, as the audit trail and the merge record remember it."""
    from nkru_claims.services.claims import add_claim
    from nkru_claims.services.merges import merge_claims

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, "0005")
    with session_scope(engine) as session:
        ids = [add_claim(session=session, text=f"Claim {n}").id for n in range(3)]
    with session_scope(engine) as session:
        merge_claims(session, kept_id=ids[0], other_ids=ids[1:], actor="test")
    upgrade(engine)
    with session_scope(engine) as session:
        assert highest_id_ever(session, "claim") == ids[-1]
        assert add_claim(session=session, text="After the upgrade").id > ids[-1]
    downgrade(engine, "0005")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM claim")).scalar() == 2
    upgrade(engine)
    engine.dispose()
    assert open_database(url).dialect.name == "sqlite"
