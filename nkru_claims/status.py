"""A claim's status, derived from its stances and kept true on every flush.

The rules (also in the README):

1. Each party has one *position* on a claim: its latest stance that takes a position
   (asserts, supports and condemns affirm; denies denies; questions doubts). Stances
   are ordered by the date stated, undated ones before dated ones, then by the order
   they were recorded. "declines_to_comment" never changes a position.
2. No party holds a position → ``unverified``.
3. At least one party affirms and at least one denies → ``contested``.
4. Some party denies and none affirms → ``denied``.
5. Some party doubts and none denies → ``questioned``.
6. Parties only affirm → ``asserted``.

The status column is rewritten by a session hook after every flush that adds, changes
or removes a stance, inside the same transaction; no code path can leave it stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from nkru_claims.in_lists import in_batches
from nkru_claims.models import Claim, Stance, utcnow

AFFIRMING = frozenset({"asserts", "supports", "condemns"})
DENYING = frozenset({"denies"})
DOUBTING = frozenset({"questions"})
POSITIONAL = AFFIRMING | DENYING | DOUBTING


@dataclass(frozen=True)
class StanceFact:
    """The parts of a stance that decide status."""

    party_id: int
    kind: str
    stated_on: date | None
    order: int


def positions(stances: Iterable[StanceFact]) -> dict[int, str]:
    """Each party's current position: 'affirms', 'denies' or 'doubts'."""
    latest: dict[int, StanceFact] = {}
    for stance in stances:
        if stance.kind not in POSITIONAL:
            continue
        current = latest.get(stance.party_id)
        if current is None or _sort_key(stance) >= _sort_key(current):
            latest[stance.party_id] = stance
    return {party: _position(stance.kind) for party, stance in latest.items()}


def derive_status(stances: Iterable[StanceFact]) -> str:
    held = set(positions(stances).values())
    if "affirms" in held and "denies" in held:
        return "contested"
    if "denies" in held:
        return "denied"
    if "doubts" in held:
        return "questioned"
    if "affirms" in held:
        return "asserted"
    return "unverified"


def _sort_key(stance: StanceFact) -> tuple[bool, date, int]:
    return (stance.stated_on is not None, stance.stated_on or date.min, stance.order)


def _position(kind: str) -> str:
    if kind in AFFIRMING:
        return "affirms"
    if kind in DENYING:
        return "denies"
    return "doubts"


def refresh_statuses(session: Session, claim_ids: Iterable[int]) -> None:
    """Recompute and store the status of these claims from the rows in the database."""
    ids = sorted({i for i in claim_ids if i is not None})
    for chunk in in_batches(ids):
        # Lock the claims first (PostgreSQL; SQLite's writer already holds the database), so
        # two transactions adding stances to one claim cannot each miss the other's stance.
        session.execute(
            select(Claim.id).where(Claim.id.in_(chunk)).order_by(Claim.id).with_for_update()
        )
        facts: dict[int, list[StanceFact]] = {claim_id: [] for claim_id in chunk}
        rows = session.execute(
            select(Stance.claim_id, Stance.party_id, Stance.kind, Stance.stated_on, Stance.id)
            .where(Stance.claim_id.in_(chunk))
        )
        for claim_id, party_id, kind, stated_on, stance_id in rows:
            facts[claim_id].append(StanceFact(party_id, kind, stated_on, stance_id))
        by_status: dict[str, list[int]] = {}
        for claim_id, claim_facts in facts.items():
            by_status.setdefault(derive_status(claim_facts), []).append(claim_id)
        for status, claim_ids_with_status in by_status.items():
            session.execute(
                update(Claim)
                .where(Claim.id.in_(claim_ids_with_status), Claim.status != status)
                .values(status=status, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )


_PENDING_KEY = "nkru_claims_pending_status"


def _touched_claim_ids(session: Session) -> set[int]:
    touched: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Stance) and obj.claim_id is not None:
            touched.add(obj.claim_id)
            history = _claim_id_history(obj)
            touched.update(history)
    return touched


def _claim_id_history(stance: Stance) -> list[int]:
    from sqlalchemy import inspect

    state = inspect(stance)
    history = state.attrs.claim_id.history
    return [i for i in (history.deleted or ()) if i is not None]


@event.listens_for(Session, "before_flush")
def _remember_touched_claims(session: Session, flush_context, instances) -> None:  # noqa: ANN001
    touched = _touched_claim_ids(session)
    if touched:
        session.info.setdefault(_PENDING_KEY, set()).update(touched)


@event.listens_for(Session, "after_flush_postexec")
def _store_statuses(session: Session, flush_context) -> None:  # noqa: ANN001
    pending = session.info.pop(_PENDING_KEY, None)
    if not pending:
        return
    refresh_statuses(session, pending)
    for obj in session.identity_map.values():
        if isinstance(obj, Claim) and obj.id in pending:
            session.expire(obj, ["status", "updated_at"])
