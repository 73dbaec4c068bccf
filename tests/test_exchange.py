"""Import and export: all-or-nothing imports, lossless round trips."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkru_claims.db import make_engine, session_scope, upgrade
from nkru_claims.errors import ImportFormatError
from nkru_claims.exchange import export_document, import_document, load_document
from nkru_claims.models import PARTY_KINDS, STANCE_KINDS
from tests.conftest import SEED_PATH
from tests.test_cli_claims import one_error_line


def seed_document() -> dict:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))


def test_import_reports_counts_and_a_second_import_adds_nothing(cli, tmp_path) -> None:  # noqa: ANN001
    first = cli("import", str(SEED_PATH))
    assert first.exit_code == 0, first.output
    claims = len(seed_document()["claims"])
    assert f"Imported {claims} claims" in first.stdout
    before = cli("export", "-").stdout
    second = cli("import", str(SEED_PATH))
    assert f"Imported 0 claims, {claims} already present" in second.stdout
    assert cli("export", "-").stdout == before


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: "[]", "not an nkru-claims file"),
        (lambda text: text.replace('"version": 1', '"version": 7', 1), "unsupported format"),
    ],
)
def test_broken_files_are_refused_whole(cli, tmp_path, mutate, message) -> None:  # noqa: ANN001
    path = tmp_path / "broken.json"
    path.write_text(mutate(SEED_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    assert message in one_error_line(cli("import", str(path)))
    assert json.loads(cli("list", "--json").stdout) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("party", "Nobody At All", "claims[-1].stances[0]: unknown party"),
        ("kind", "shrugs", "unknown stance kind"),
        ("stated_on", "2024-02-30", "not a date"),
        ("source", "seed-999", "unknown source ref"),
    ],
)
def test_an_error_in_the_last_claim_rolls_back_everything(cli, tmp_path, field, value, message) -> None:  # noqa: ANN001, E501
    document = seed_document()
    document["claims"][-1]["stances"] = [
        {**{"party": "Russia", "kind": "asserts", "source": "seed-004"}, field: value}
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    line = one_error_line(cli("import", str(path)))
    assert message.replace("[-1]", f"[{len(document['claims']) - 1}]") in line
    assert json.loads(cli("list", "--json").stdout) == []
    assert json.loads(cli("party", "list", "--json").stdout) == []


def test_missing_file_is_one_line(cli, tmp_path) -> None:  # noqa: ANN001
    assert "no such file" in one_error_line(cli("import", str(tmp_path / "absent.json")))


def test_export_then_import_reproduces_the_database(cli, runner, tmp_path) -> None:  # noqa: ANN001
    from nkru_claims.cli import app

    assert cli("import", str(SEED_PATH)).exit_code == 0
    exported = tmp_path / "export.json"
    assert cli("export", str(exported)).exit_code == 0
    other = tmp_path / "other.db"
    assert runner.invoke(app, ["--db", str(other), "import", str(exported)]).exit_code == 0
    again = runner.invoke(app, ["--db", str(other), "export", "-"]).stdout
    assert again == exported.read_text(encoding="utf-8")
    first = load_document(exported.read_text(encoding="utf-8"))
    seed = seed_document()
    assert [c["text"] for c in first["claims"]] == [c["text"] for c in seed["claims"]]
    assert sum(len(c["stances"]) for c in first["claims"]) == sum(
        len(c["stances"]) for c in seed["claims"]
    )


# ---- a property: any database, exported and imported, is exported identically ----

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=12).filter(lambda s: s.strip() == s and s.strip())
# statements and publications dated after today are refused as typos
dates = st.none() | st.dates(max_value=date.today()).map(lambda d: d.isoformat()).filter(
    lambda s: s >= "1000")


@st.composite
def documents(draw) -> dict:  # noqa: ANN001
    from nkru_claims.matching.normalise import alias_key

    party_names = draw(st.lists(names, min_size=1, max_size=4,
                                unique_by=alias_key).filter(lambda ns: all(map(alias_key, ns))))
    parties = [{"name": n, "kind": draw(st.sampled_from(PARTY_KINDS)), "country": None,
                "parent": None, "wikidata_id": None, "description": draw(st.none() | names),
                "aliases": []} for n in party_names]
    sources = [{"ref": f"s{i}", "url": draw(st.none() | st.just(f"https://example.org/{i}")),
                "outlet": draw(st.none() | names), "title": draw(st.none() | names),
                "author": None, "language": draw(st.sampled_from([None, "en", "zh-Hans"])),
                "published_on": draw(dates), "retrieved_on": None, "archive_url": None}
               for i in range(draw(st.integers(0, 3)))]
    source_refs = st.none() | st.sampled_from([s["ref"] for s in sources]) if sources \
        else st.none()
    claims = []
    for _ in range(draw(st.integers(0, 4))):
        low = draw(st.none() | st.integers(0, 10**9))
        claims.append({
            "ref": draw(st.none() | names), "text": draw(names), "language": "en",
            "quantity": None if low is None else {
                "text": str(low), "low": float(low), "high": draw(st.none() | st.just(float(low))),
                "unit": draw(st.sampled_from([None, "shells", "containers"])),
                "approximate": draw(st.booleans())},
            "period_start": None, "period_end": None,
            "verdict": draw(st.sampled_from([None, "true", "false", "unproven"])),
            "verdict_note": None, "sources": [],
            "wordings": [{"text": draw(names), "language": None, "source": draw(source_refs)}
                         for _ in range(draw(st.integers(0, 2)))],
            "stances": [{"party": draw(st.sampled_from(party_names)),
                         "kind": draw(st.sampled_from(STANCE_KINDS)),
                         "source": draw(source_refs), "quote": draw(st.none() | names),
                         "quote_language": None, "stated_on": draw(dates)}
                        for _ in range(draw(st.integers(0, 3)))],
            "evidence": [],
        })
    unique_refs = {c["ref"] for c in claims if c["ref"]}
    if len(unique_refs) != len([c for c in claims if c["ref"]]):
        for i, claim in enumerate(claims):
            claim["ref"] = f"c{i}"
    return {"format": "nkru-claims", "version": 1, "parties": parties, "sources": sources,
            "claims": claims}


def _roundtrip(document: dict, folder: Path, name: str) -> dict:
    engine = make_engine(f"sqlite:///{folder / name}")
    upgrade(engine)
    with session_scope(engine) as session:
        import_document(session, document)
    with session_scope(engine) as session:
        exported = export_document(session)
    engine.dispose()
    return exported


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_export_import_is_lossless(document: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = _roundtrip(document, Path(folder), "a.db")
        second = _roundtrip(json.loads(json.dumps(first)), Path(folder), "b.db")
    assert second == first
    assert [c["text"] for c in first["claims"]] == [c["text"] for c in document["claims"]]
    assert [[(s["party"], s["kind"], s["quote"], s["stated_on"]) for s in c["stances"]]
            for c in first["claims"]] == [
        [(s["party"], s["kind"], s["quote"], s["stated_on"]) for s in c["stances"]]
        for c in document["claims"]]


def test_import_document_raises_the_format_error_type(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(ImportFormatError):
        load_document("{")
