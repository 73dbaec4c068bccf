"""The status rules, as pure functions and as stored by the flush hook."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from nkru_claims.models import STANCE_KINDS, STATUSES
from nkru_claims.status import StanceFact, derive_status, positions


def fact(party: int, kind: str, stated_on: date | None = None, order: int = 0) -> StanceFact:
    return StanceFact(party, kind, stated_on, order)


def test_no_stances_is_unverified() -> None:
    assert derive_status([]) == "unverified"


def test_declining_to_comment_takes_no_position() -> None:
    assert derive_status([fact(1, "declines_to_comment")]) == "unverified"


def test_assertions_only_are_asserted() -> None:
    assert derive_status([fact(1, "asserts"), fact(2, "supports"), fact(3, "condemns")]) == (
        "asserted"
    )


def test_assertion_and_denial_from_different_parties_is_contested() -> None:
    assert derive_status([fact(1, "asserts", order=1), fact(2, "denies", order=2)]) == "contested"


def test_denial_alone_is_denied() -> None:
    assert derive_status([fact(2, "denies")]) == "denied"


def test_doubt_without_denial_is_questioned() -> None:
    assert derive_status([fact(1, "asserts"), fact(2, "questions")]) == "questioned"


def test_a_party_that_changes_its_mind_counts_once_by_its_latest_stance() -> None:
    stances = [
        fact(1, "asserts", date(2024, 1, 1), order=5),
        fact(1, "denies", date(2024, 2, 1), order=1),
    ]
    assert positions(stances) == {1: "denies"}
    assert derive_status(stances) == "denied"


def test_undated_stances_count_as_older_than_dated_ones() -> None:
    stances = [fact(1, "denies", None, order=9), fact(1, "asserts", date(2024, 1, 1), order=1)]
    assert derive_status(stances) == "asserted"


stance_facts = st.lists(
    st.builds(
        StanceFact,
        party_id=st.integers(1, 4),
        kind=st.sampled_from(STANCE_KINDS),
        stated_on=st.none() | st.dates(date(2020, 1, 1), date(2026, 1, 1)),
        order=st.integers(0, 1000),
    ),
    max_size=12,
)


@given(stance_facts)
def test_status_is_always_one_of_the_documented_values(stances: list[StanceFact]) -> None:
    assert derive_status(stances) in STATUSES


@given(stance_facts)
def test_contested_exactly_when_some_party_affirms_and_another_denies(
    stances: list[StanceFact],
) -> None:
    held = positions(stances)
    affirming = {p for p, pos in held.items() if pos == "affirms"}
    denying = {p for p, pos in held.items() if pos == "denies"}
    assert (derive_status(stances) == "contested") == bool(affirming and denying)
    assert not affirming & denying


@given(stance_facts, st.randoms(use_true_random=False))
def test_status_does_not_depend_on_the_order_rows_arrive_in(stances, rnd) -> None:  # noqa: ANN001
    unique = list({(s.party_id, s.stated_on, s.order): s for s in stances}.values())
    shuffled = unique[:]
    rnd.shuffle(shuffled)
    assert derive_status(unique) == derive_status(shuffled)
