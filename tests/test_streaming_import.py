"""`import` streams a JSON file: any key order, stdin, several chunks, all or nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from nkru_claims import bulk
from nkru_claims.db import make_engine, session_scope
from nkru_claims.matching.compare import match_columns
from nkru_claims.models import Claim, ClaimWording
from tests.conftest import SEED_PATH
from tests.test_cli_claims import one_error_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate_corpus  # noqa: E402


def seed_document() -> dict:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def _claims_listed(cli) -> list[str]:  # noqa: ANN001
    return sorted(c["text"] for c in json.loads(cli("list", "--all", "--json").stdout))


def _many_claims(count: int) -> dict:
    """The seed document with its claims repeated under new refs, ``count`` in all."""
    document = seed_document()
    seed_claims = document["claims"]
    document["claims"] = [
        {**seed_claims[i % len(seed_claims)], "ref": f"copy-{i}",
         "text": f"{seed_claims[i % len(seed_claims)]['text']} (copy {i})"}
        for i in range(count)
    ]
    return document


def test_claims_before_parties_and_sources_are_still_read(cli, tmp_path) -> None:  # noqa: ANN001
    document = seed_document()
    reordered = {"claims": document["claims"], "sources": document["sources"],
                 "parties": document["parties"], "version": document["version"],
                 "format": document["format"]}
    path = tmp_path / "reordered.json"
    path.write_text(json.dumps(reordered, ensure_ascii=False), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert _claims_listed(cli) == sorted(c["text"] for c in document["claims"])


def test_a_file_with_a_byte_order_mark_and_standard_input(cli, tmp_path) -> None:  # noqa: ANN001
    text = SEED_PATH.read_text(encoding="utf-8")
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert cli("import", str(path)).exit_code == 0
    listed = _claims_listed(cli)
    assert listed == sorted(c["text"] for c in seed_document()["claims"])
    again = cli("import", "-", input=text)
    assert again.exit_code == 0, again.output
    assert "already present" in again.stdout and _claims_listed(cli) == listed


@pytest.mark.parametrize(("claims", "message"), [(5, "claims: expected a list"),
                                                  ([5], "claims[0]: expected an object")])
def test_claims_that_are_not_a_list_of_objects(cli, tmp_path, claims, message) -> None:  # noqa: ANN001
    document = {**seed_document(), "claims": claims}
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert message in one_error_line(cli("import", str(path)))
    assert json.loads(cli("party", "list", "--json").stdout) == []


def test_many_chunks_go_in_on_worker_processes(cli, db_url, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(bulk, "CHUNK", 7)  # 60 claims: 9 chunks, normalised by a pool
    document = _many_claims(60)
    path = tmp_path / "many.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert "Imported 60 claims" in result.stdout
    assert _claims_listed(cli) == sorted(c["text"] for c in document["claims"])
    # The workers' match columns came back in order: each claim and wording has its own.
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        stored = [*session.execute(select(Claim.text, Claim.match_form, Claim.match_key)),
                  *session.execute(select(ClaimWording.text, ClaimWording.match_form,
                                          ClaimWording.match_key))]
    engine.dispose()
    assert len(stored) == 60 + sum(len(c.get("wordings") or []) for c in document["claims"])
    assert all((form, key) == match_columns(text) for text, form, key in stored)


@pytest.mark.parametrize("where", ["a late chunk", "broken JSON at the end"])
def test_an_error_after_several_chunks_leaves_nothing(cli, tmp_path, monkeypatch, where) -> None:  # noqa: ANN001
    monkeypatch.setattr(bulk, "CHUNK", 5)
    document = _many_claims(40)
    text = json.dumps(document, ensure_ascii=False)
    if where == "a late chunk":
        document["claims"][37]["stances"] = [{"party": "Nobody At All", "kind": "asserts"}]
        text = json.dumps(document, ensure_ascii=False)
        expected = "claims[37].stances[0]: unknown party"
    else:
        text = text[: text.rindex("}")]  # the last claim is cut off
        expected = "not valid JSON"
    path = tmp_path / "late-error.json"
    path.write_text(text, encoding="utf-8")
    assert expected in one_error_line(cli("import", str(path)))
    assert _claims_listed(cli) == []
    assert json.loads(cli("party", "list", "--json").stdout) == []


def test_imported_statuses_are_what_the_status_rules_give(cli, db_url, tmp_path) -> None:  # noqa: ANN001
    """Import derives each new claim's status from its stances instead of re-reading
    them; recomputing every status from the database must change nothing."""
    from nkru_claims.status import refresh_statuses

    document = generate_corpus(400, seed=5)[0]
    party = document["parties"][0]["name"]
    document["claims"].append({  # one party changes its mind: its later stance counts
        "ref": "changed-mind", "text": "A claim first asserted, then denied",
        "stances": [{"party": party, "kind": "asserts"}, {"party": party, "kind": "denies"}],
    })
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert cli("import", str(path)).exit_code == 0
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        stored = dict(session.execute(select(Claim.id, Claim.status)).all())
        refresh_statuses(session, list(stored))
        recomputed = dict(session.execute(select(Claim.id, Claim.status)).all())
    engine.dispose()
    assert len(set(stored.values())) >= 3, "the corpus has several kinds of status"
    assert recomputed == stored
