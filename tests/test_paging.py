"""`list` and `report` show a page at a time, and the pages add up to everything."""

from __future__ import annotations

import json

from sqlmodel import select

from nkru_claims.config import PAGE_SIZE
from nkru_claims.db import make_engine, session_scope
from nkru_claims.models import Claim


def _live_ids(url: str, status: str | None = None) -> list[int]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        query = select(Claim.id).where(Claim.deleted_at.is_(None))
        if status:
            query = query.where(Claim.status == status)
        ids = list(session.exec(query.order_by(Claim.id)).all())
    engine.dispose()
    return ids


def _pages(seeded_cli, *args: str, limit: int) -> list[list[int]]:  # noqa: ANN001
    """Follow --after from the first page to the last, as a script would."""
    pages, after = [], None
    while True:
        extra = ["--after", str(after)] if after is not None else []
        result = seeded_cli(*args, "--json", "--limit", str(limit), *extra)
        assert result.exit_code == 0, result.output
        ids = [row["id"] for row in json.loads(result.stdout)]
        pages.append(ids)
        if not result.stderr:
            return pages
        assert "next page: --after" in result.stderr
        after = int(result.stderr.split("--after ")[1].split(",")[0])
        assert after == ids[-1]


def test_pages_of_a_listing_cover_every_claim_once_in_order(seeded_cli, seeded_url) -> None:  # noqa: ANN001
    everything = _live_ids(seeded_url)
    pages = _pages(seeded_cli, "list", limit=3)
    assert [i for page in pages for i in page] == everything
    assert all(len(page) == 3 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 3
    every = seeded_cli("list", "--json", "--all")
    assert [row["id"] for row in json.loads(every.stdout)] == everything
    assert every.stderr == ""


def test_the_table_says_how_many_match_and_where_the_next_page_is(seeded_cli, seeded_url) -> None:  # noqa: ANN001
    contested = _live_ids(seeded_url, "contested")
    assert len(contested) > 2
    result = seeded_cli("list", "--contested", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert f"2 of {len(contested)} claims; next page: --after {contested[1]}" in result.stdout
    last = seeded_cli("list", "--contested", "--after", str(contested[-2]))
    assert f"1 of {len(contested)} claims" in last.stdout and "next page" not in last.stdout


def test_listing_without_options_shows_one_page(seeded_cli, seeded_url) -> None:  # noqa: ANN001
    rows = json.loads(seeded_cli("list", "--json").stdout)
    assert len(rows) == min(PAGE_SIZE, len(_live_ids(seeded_url)))


def test_limit_and_all_together_is_an_error(seeded_cli) -> None:  # noqa: ANN001
    for command in ("list", "report"):
        result = seeded_cli(command, "--limit", "2", "--all")
        assert result.exit_code != 0
        assert "choose one of --limit and --all" in result.stderr
        assert "Traceback" not in result.output


def test_report_pages_and_keeps_party_records_to_the_claims_shown(seeded_cli, seeded_url) -> None:  # noqa: ANN001
    contested = _live_ids(seeded_url, "contested")
    first = json.loads(seeded_cli("report", "--json", "--limit", "1").stdout)
    assert [c["id"] for c in first["claims"]] == contested[:1]
    assert first["total"] == len(contested) and first["next_after"] == contested[0]
    on_records = {c["id"] for p in first["parties"] for b in ("asserts", "denies", "questions")
                  for c in p[b]}
    assert on_records == {contested[0]}
    full = json.loads(seeded_cli("report", "--json", "--all").stdout)
    assert [c["id"] for c in full["claims"]] == contested and full["next_after"] is None
    markdown = seeded_cli("report", "--format", "md", "--limit", "1").stdout
    assert f"1 of {len(contested)} contested claims; next page: --after {contested[0]}" in markdown


def test_party_show_lists_only_that_partys_record(seeded_cli) -> None:  # noqa: ANN001
    shown = json.loads(seeded_cli("party", "show", "Kremlin", "--json").stdout)
    report = json.loads(seeded_cli("report", "--json", "--all").stdout)
    kremlin = next(p for p in report["parties"] if p["party"] == "Kremlin")
    assert {c["id"] for c in kremlin["denies"]} <= {c["id"] for c in shown["denies"]}
    assert shown["denies"], "the Kremlin denies claims in the seed articles"


def test_the_count_line_reads_as_english() -> None:
    from nkru_claims.reports import describe_page

    assert describe_page(1, 1, None) == "1 claim"
    assert describe_page(0, 0, None) == "0 claims"
    assert describe_page(2, 2, None, "contested claim") == "2 contested claims"
    assert describe_page(1, 3, 7) == "1 of 3 claims; next page: --after 7, or --all"
