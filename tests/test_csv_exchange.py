"""The CSV layout: lossless round trips, line-numbered errors, all or nothing."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from nkru_claims.csv_exchange import COLUMNS, export_csv, import_csv
from nkru_claims.db import make_engine, session_scope
from nkru_claims.errors import ImportFormatError
from nkru_claims.matching.quantities import Quantity
from nkru_claims.models import STANCE_KINDS, VERDICTS, Claim, Party, Source, Stance
from nkru_claims.services.claims import StanceInput, add_claim, add_stance
from nkru_claims.services.parties import add_party, get_party
from nkru_claims.services.sources import add_source
from tests.conftest import in_session

HEADER = ",".join(COLUMNS)


def fresh_sqlite(folder: Path, template: Path) -> str:
    path = folder / "fresh.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def export(url: str) -> str:
    return in_session(url, export_csv)


def load(url: str, text: str, **kwargs: bool):  # noqa: ANN201
    return in_session(url, lambda session: import_csv(session, text, **kwargs))


def counts(url: str) -> tuple[int, int, int, int]:
    return in_session(url, lambda session: tuple(
        session.exec(select(func.count()).select_from(model)).one()
        for model in (Claim, Stance, Party, Source)))


def row(**cells: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cells.get(c, "") for c in COLUMNS])
    return out.getvalue()


def test_seed_round_trip_is_unchanged(seeded_url: str, tmp_path: Path,
                                      sqlite_template: Path) -> None:
    first = export(seeded_url)
    rows = list(csv.DictReader(io.StringIO(first, newline="")))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 55 + 1  # every stance, and the one claim without stances
    target = fresh_sqlite(tmp_path, sqlite_template)
    result = load(target, first)
    assert (result.claims_added, result.stances_added, result.bad_rows) == (20, 55, [])
    assert export(target) == first
    again = load(target, first)
    assert (again.claims_added, len(again.claims_skipped)) == (0, 20)
    assert export(target) == first


BAD_FILE = (
    HEADER + "\n"
    + row(claim_ref="a", claim_text="North Korea sent shells, lots of them.", party="Kremlin",
          party_kind="government_body", stance="denies", quote='He said "no".',
          source_url="https://example.org/a", source_published_on="2024-10-01")
    + row(claim_ref="a", party="Ukraine", party_kind="state", stance="asserts",
          quote="two\nlines", stated_on="2024-10-02")  # lines 3 and 4
    + row(claim_ref="a", party="Japan", party_kind="state", stance="asserts",
          stated_on="2024-13-45")  # line 5: bad date
    + row(claim_text="朝鲜向俄罗斯运送了约6700个集装箱", claim_language="zh-Hans",
          quantity_text="约6700个集装箱", party="Shin Won-sik", party_kind="person",
          stance="asserts", source_outlet="轉角國際", source_title="冷戰再現?")
)


def test_a_bad_row_refuses_the_whole_file(db_url: str) -> None:
    with pytest.raises(ImportFormatError, match=r"^line 5: not a date: '2024-13-45'"):
        load(db_url, BAD_FILE)
    assert counts(db_url) == (0, 0, 0, 0)


def test_skip_bad_imports_the_other_rows(db_url: str) -> None:
    result = load(db_url, BAD_FILE, skip_bad=True)
    assert [line for line, _ in result.bad_rows] == [5]
    assert "not a date" in result.bad_rows[0][1]
    assert (result.claims_added, result.stances_added, result.parties_added) == (2, 3, 3)
    assert counts(db_url) == (2, 3, 3, 2)
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        assert get_party(session, "Shin Won-sik").kind == "person"
        claim = session.exec(select(Claim).where(Claim.ref.is_(None))).one()
        assert (claim.quantity_low, claim.quantity_unit, claim.quantity_approximate) == (
            6700, "containers", True)
        stance = session.exec(select(Stance).where(Stance.quote == "two\nlines")).one()
        assert stance.stated_on == date(2024, 10, 2)
    engine.dispose()


def test_a_file_with_a_byte_order_mark_imports(db_url: str) -> None:
    text = "\ufeff" + HEADER + "\r\n" + row(
        claim_ref="bom", claim_text="Russia denies it.", party="Russia", stance="denies"
    ).replace("\n", "\r\n")
    result = load(db_url, text)
    assert (result.claims_added, result.stances_added, result.bad_rows) == (1, 1, [])
    assert export(db_url).splitlines()[0] == HEADER


def test_parties_are_found_by_alias_and_claim_columns_must_agree(db_url: str) -> None:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        add_party(session=session, name="Vladimir Putin", kind="person",
                  aliases=[("普京", "zh-Hans")])
    engine.dispose()
    text = (HEADER + "\n" + row(claim_ref="x", claim_text="Putin said so.", party="普京",
                                party_kind="state", stance="asserts")
            + row(claim_ref="x", claim_text="Putin said otherwise.", party="Kremlin",
                  stance="supports")
            + row(claim_text="No ref, no stance.", period_start="2024-06", period_end="2024-06")
            + row(claim_text="No ref, no stance.", source_url="https://example.org/b"))
    with pytest.raises(ImportFormatError, match=r"^line 3: claim columns differ from line 2"):
        load(db_url, text)
    result = load(db_url, text, skip_bad=True)
    assert result.bad_rows == [(3, "claim columns differ from line 2 for claim_ref 'x'")]
    assert (result.claims_added, result.stances_added, result.parties_added) == (2, 1, 0)
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        putin = get_party(session, "Vladimir Putin")
        assert putin.kind == "person"
        assert session.exec(select(Stance.party_id)).all() == [putin.id]
        claim = session.exec(select(Claim).where(Claim.text == "No ref, no stance.")).one()
        assert (claim.period_start, claim.period_end) == (date(2024, 6, 1), date(2024, 6, 30))
    engine.dispose()


@pytest.mark.parametrize(("cells", "reason"), [
    ({"quantity_low": "-5"}, "cannot be negative"),
    ({"quantity_low": "10", "quantity_high": "5"}, "below"),
    ({"party": "Kremlin", "stance": "shrugs"}, "unknown stance kind"),
    ({"party": "Kremlin"}, "party given without stance"),
    ({"party": "Kremlin", "stance": "denies", "party_kind": "planet"}, "unknown party kind"),
    ({"source_url": "not a url"}, "not a web address"),
    ({"verdict": "maybe"}, "unknown verdict"),
    ({"period_start": "2024-05", "period_end": "2024-01"}, "ends"),
    ({"claim_text": "", "verdict": "true"}, "claim_text is empty"),
    ({"claim_text": "", "party": "Kremlin", "stance": "denies"}, "no claim_ref"),
])
def test_each_bad_value_names_its_line(db_url: str, cells: dict[str, str], reason: str) -> None:
    text = HEADER + "\n" + row(claim_text="Fine claim.") + row(
        **{"claim_text": "Another claim.", **cells})
    with pytest.raises(ImportFormatError, match=rf"^line 3: .*{reason}"):
        load(db_url, text)
    assert counts(db_url) == (0, 0, 0, 0)


def test_header_problems_are_reported(db_url: str) -> None:
    with pytest.raises(ImportFormatError, match="line 1: unknown column 'claim_txt'"):
        load(db_url, "claim_txt,party\nx,y\n")
    with pytest.raises(ImportFormatError, match="empty"):
        load(db_url, "\ufeff\n\n")
    result = load(db_url, "party,stance,claim_text\nRussia,denies,Short file.\n")
    assert (result.claims_added, result.stances_added) == (1, 1)


# -------------------------------------------------- property: export → import → export

TRICKY = list(',"\n\r \'；、，北韓朝鲜普京조선軍') + ["“", "”", "\u3000"]
TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(TRICKY),
                       st.characters(exclude_categories=("Cs", "Cc"))),
    min_size=1, max_size=30,
).filter(lambda t: t.strip())
PARTIES = [("Kremlin", "government_body"), ("普京", "person"),
           ('조선중앙통신, "KCNA"', "media_outlet"), ("Acme\nDefence", "organisation")]
SOURCES = [("https://example.org/a,b?x=1", 'Outlet, "One"', "标题\n二", date(2024, 1, 2)),
           (None, "轉角國際", "冷戰再現?", date(2024, 7, 9)), (None, None, "Only a title", None)]
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date.today())  # later ones are refused
AMOUNT = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)


@st.composite
def quantities(draw: st.DrawFn) -> Quantity | None:
    if draw(st.booleans()):
        return None
    low, high = draw(st.one_of(st.none(), AMOUNT)), draw(st.one_of(st.none(), AMOUNT))
    if low is None and high is None:
        low = 0.0
    if low is not None and high is not None and high < low:
        low, high = high, low
    return Quantity(low=low, high=high, unit=draw(st.sampled_from([None, "shells", "soldiers"])),
                    approximate=draw(st.booleans()), text=draw(st.one_of(st.just(""), TEXT)))


STANCE = st.tuples(
    st.integers(0, len(PARTIES) - 1), st.sampled_from(STANCE_KINDS), st.one_of(st.none(), TEXT),
    st.sampled_from([None, "zh-Hans", "ko"]), st.one_of(st.none(), DATES),
    st.one_of(st.none(), st.integers(0, len(SOURCES) - 1)),
)
CLAIM = st.fixed_dictionaries({
    "ref": st.one_of(st.none(), TEXT), "quantity": quantities(),
    "language": st.sampled_from([None, "en", "zh-Hant"]),
    "period": st.one_of(st.none(), st.tuples(st.one_of(st.none(), DATES), DATES)),
    "verdict": st.one_of(st.none(), st.sampled_from(VERDICTS)),
    "note": st.one_of(st.none(), TEXT), "stances": st.lists(STANCE, max_size=4),
})


def _build(url: str, texts: list[str], claims: list[dict]) -> None:
    engine = make_engine(url)
    with session_scope(engine) as session:
        for name, kind in PARTIES:
            add_party(session=session, name=name, kind=kind)
        source_ids = [add_source(session=session, url=u, outlet=o, title=t, published_on=d).id
                      for u, o, t, d in SOURCES]
        refs = set()
        for text, data in zip(texts, claims, strict=True):
            start, end = data["period"] or (None, None)
            if start and start > end:
                start, end = end, start
            ref = data["ref"] if data["ref"] and data["ref"].strip() not in refs else None
            refs.add(ref and ref.strip())
            claim = add_claim(session=session, text=text, language=data["language"],
                              quantity=data["quantity"], period_start=start, period_end=end,
                              verdict=data["verdict"], verdict_note=data["note"], ref=ref)
            for party, kind, quote, language, said, source in data["stances"]:
                add_stance(session=session, claim_id=claim.id, stance=StanceInput(
                    party=PARTIES[party][0], kind=kind, quote=quote, quote_language=language,
                    stated_on=said, source_id=None if source is None else source_ids[source]))
    engine.dispose()


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_generated_claims_survive_a_round_trip(sqlite_template: Path, data: st.DataObject) -> None:
    texts = data.draw(st.lists(TEXT, min_size=1, max_size=5, unique_by=str.strip))
    claims = data.draw(st.lists(CLAIM, min_size=len(texts), max_size=len(texts)))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a").mkdir()
        (Path(folder) / "b").mkdir()
        first_url = fresh_sqlite(Path(folder) / "a", sqlite_template)
        second_url = fresh_sqlite(Path(folder) / "b", sqlite_template)
        _build(first_url, texts, claims)
        first = export(first_url)
        result = load(second_url, first)
        assert result.bad_rows == []
        assert result.claims_added == len(texts)
        assert result.stances_added == sum(len(c["stances"]) for c in claims)
        assert export(second_url) == first
