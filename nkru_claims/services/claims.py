"""Claims, their stances, wordings and evidence: adding, reading and filtering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from nkru_claims import audit
from nkru_claims.errors import Conflict, InvalidInput, NotFound
from nkru_claims.limits import CLAIM_REF, check_id, check_text
from nkru_claims.matching.quantity import Quantity
from nkru_claims.models import (
    BEARINGS,
    STANCE_KINDS,
    VERDICTS,
    Claim,
    ClaimSource,
    ClaimWording,
    Evidence,
    Stance,
    utcnow,
)
from nkru_claims.services.parties import resolve_party
from nkru_claims.services.sources import link_source
from nkru_claims.values import choice, optional_text, required_text


@dataclass(frozen=True)
class StanceInput:
    """A stance as the user gives it: a party's name or alias, not its id."""

    party: str
    kind: str
    source_id: int | None = None
    quote: str | None = None
    quote_language: str | None = None
    stated_on: date | None = None


def _match_columns(text: str) -> tuple[str, str]:
    from nkru_claims.matching.compare import match_columns  # the matcher's patterns load on demand

    return match_columns(text)


def check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})")


def add_claim(
    *,
    session: Session,
    text: str,
    language: str | None = None,
    quantity: Quantity | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    verdict: str | None = None,
    verdict_note: str | None = None,
    ref: str | None = None,
    stances: Sequence[StanceInput] = (),
    source_ids: Sequence[int] = (),
    create_parties: bool = False,
) -> Claim:
    check_period(period_start, period_end)
    claim = Claim(
        text=required_text(text, "claim text"),
        language=optional_text(language),
        period_start=period_start,
        period_end=period_end,
        verdict=choice(verdict, VERDICTS, "verdict") if optional_text(verdict) else None,
        verdict_note=optional_text(verdict_note),
        ref=optional_text(ref),
    )
    set_quantity(claim, quantity)
    check_ref_free(session, claim.ref)
    claim.match_form, claim.match_key = _match_columns(claim.text)
    session.add(claim)
    session.flush()
    audit.record(session, action="add", entity="claim", entity_id=claim.id, claim_id=claim.id,
                 details=claim_fields(claim))
    for source_id in source_ids:
        link_source(session, claim.id, source_id)
    for stance in stances:
        add_stance(session=session, claim_id=claim.id, stance=stance, create_party=create_parties)
    return claim


EDITABLE = ("text", "language", "quantity_text", "quantity_low", "quantity_high",
            "quantity_unit", "quantity_approximate", "period_start", "period_end", "ref")


def claim_fields(claim: Claim) -> dict[str, object]:
    return {name: getattr(claim, name) for name in EDITABLE if getattr(claim, name) is not None}


def edit_claim(
    *,
    session: Session,
    claim_id: int,
    text: str | None = None,
    language: str | None = None,
    quantity: Quantity | None = None,
    clear_quantity: bool = False,
    period_start: date | None = None,
    period_end: date | None = None,
    ref: str | None = None,
) -> dict[str, list[object]]:
    """Change a claim's own fields; returns {field: [old, new]} of what changed."""
    claim = get_claim(session, claim_id)
    before = {name: getattr(claim, name) for name in EDITABLE}
    if text is not None:
        claim.text = required_text(text, "claim text")
        claim.match_form, claim.match_key = _match_columns(claim.text)
    if language is not None:
        claim.language = optional_text(language)
    if quantity is not None or clear_quantity:
        set_quantity(claim, quantity)
    if period_start is not None:
        claim.period_start = period_start
    if period_end is not None:
        claim.period_end = period_end
    check_period(claim.period_start, claim.period_end)
    if ref is not None:
        claim.ref = optional_text(ref)
        check_ref_free(session, claim.ref, claim_id)
    changed = audit.changes(before, {name: getattr(claim, name) for name in EDITABLE})
    if changed:
        claim.updated_at = utcnow()
        session.add(claim)
        session.flush()
        audit.record(session, action="edit", entity="claim", entity_id=claim_id,
                     claim_id=claim_id, details=changed)
    return changed


def delete_claim(*, session: Session, claim_id: int, actor: str) -> Claim:
    """A soft delete: the claim disappears from lists and reports until restored."""
    claim = get_claim(session, claim_id)
    claim.deleted_at, claim.deleted_by = utcnow(), actor
    session.add(claim)
    session.flush()
    audit.record(session, action="delete", entity="claim", entity_id=claim_id,
                 claim_id=claim_id, details={"text": claim.text})
    return claim


def restore_claim(*, session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, check_id(claim_id, "claim ID"))
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}")
    if claim.deleted_at is None:
        raise InvalidInput(f"claim #{claim_id} is not deleted")
    claim.deleted_at = claim.deleted_by = None
    session.add(claim)
    session.flush()
    audit.record(session, action="restore", entity="claim", entity_id=claim_id,
                 claim_id=claim_id, details={"text": claim.text})
    return claim


def attach_to_claim(
    *,
    session: Session,
    claim_id: int,
    text: str,
    language: str | None = None,
    stances: Sequence[StanceInput] = (),
    source_ids: Sequence[int] = (),
    create_parties: bool = False,
) -> Claim:
    """Add a new report of an existing claim: its wording, sources and stances."""
    claim = get_claim(session, claim_id)
    text = required_text(text, "claim text")
    known = {claim.text, *session.exec(
        select(ClaimWording.text).where(ClaimWording.claim_id == claim_id)).all()}
    if text not in known:
        add_wording(session=session, claim_id=claim_id, text=text, language=language,
                    source_id=source_ids[0] if source_ids else None)
    for source_id in source_ids:
        link_source(session, claim_id, source_id)
    for stance in stances:
        add_stance(session=session, claim_id=claim_id, stance=stance, create_party=create_parties)
    return claim


def set_quantity(claim: Claim, quantity: Quantity | None) -> None:
    if quantity is None:
        claim.quantity_text = claim.quantity_low = claim.quantity_high = None
        claim.quantity_unit = None
        claim.quantity_approximate = False
        return
    for bound in (quantity.low, quantity.high):
        if bound is not None and bound < 0:
            raise InvalidInput(f"quantity cannot be negative: {quantity.text!r}")
    claim.quantity_text = quantity.text
    claim.quantity_low = quantity.low
    claim.quantity_high = quantity.high
    claim.quantity_unit = quantity.unit
    claim.quantity_approximate = quantity.approximate


def claim_quantity(claim: Claim) -> Quantity | None:
    if claim.quantity_low is None and claim.quantity_high is None:
        return None
    return Quantity(
        low=claim.quantity_low, high=claim.quantity_high, unit=claim.quantity_unit,
        approximate=claim.quantity_approximate, text=claim.quantity_text or "",
    )


def check_ref_free(session: Session, ref: str | None, claim_id: int | None = None) -> None:
    """A ref names one claim: say so in one line rather than let the unique index fail."""
    if ref is None:
        return
    check_text(ref, "ref", CLAIM_REF)  # before it goes into a query
    with session.no_autoflush:
        owner = session.exec(select(Claim.id).where(Claim.ref == ref)).first()
    if owner is not None and owner != claim_id:
        raise Conflict(f"ref {ref!r} already names claim #{owner}")


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, check_id(claim_id, "claim ID"))
    if claim is None:
        raise NotFound(f"no claim with id {claim_id}")
    if claim.deleted_at is not None:
        raise NotFound(f"claim #{claim_id} was deleted (bring it back with "
                       f"'nkru-claims restore {claim_id}')")
    return claim


def add_stance(
    *, session: Session, claim_id: int, stance: StanceInput, create_party: bool = False
) -> Stance:
    get_claim(session, claim_id)
    party = resolve_party(session, stance.party, create=create_party)
    row = Stance(
        claim_id=claim_id,
        party_id=party.id,
        source_id=stance.source_id,
        kind=choice(stance.kind, STANCE_KINDS, "stance kind"),
        quote=optional_text(stance.quote),
        quote_language=optional_text(stance.quote_language),
        stated_on=stance.stated_on,
    )
    session.add(row)
    session.flush()
    link_source(session, claim_id, stance.source_id)
    audit.record(session, action="add", entity="stance", entity_id=row.id, claim_id=claim_id,
                 details={"party": party.name, "kind": row.kind, "source_id": row.source_id,
                          "quote": row.quote, "stated_on": row.stated_on})
    return row


def add_wording(
    *, session: Session, claim_id: int, text: str, language: str | None, source_id: int | None
) -> ClaimWording:
    get_claim(session, claim_id)
    row = ClaimWording(
        claim_id=claim_id, text=required_text(text, "wording"),
        language=optional_text(language), source_id=source_id,
    )
    row.match_form, row.match_key = _match_columns(row.text)
    session.add(row)
    session.flush()
    link_source(session, claim_id, source_id)
    audit.record(session, action="add", entity="wording", entity_id=row.id, claim_id=claim_id,
                 details={"text": row.text, "language": row.language, "source_id": source_id})
    return row


def add_evidence(
    *,
    session: Session,
    claim_id: int,
    description: str,
    bearing: str,
    source_id: int | None,
    quote: str | None = None,
) -> Evidence:
    get_claim(session, claim_id)
    row = Evidence(
        claim_id=claim_id, source_id=source_id,
        description=required_text(description, "evidence description"),
        bearing=choice(bearing, BEARINGS, "evidence bearing"), quote=optional_text(quote),
    )
    session.add(row)
    session.flush()
    link_source(session, claim_id, source_id)
    audit.record(session, action="add", entity="evidence", entity_id=row.id, claim_id=claim_id,
                 details={"description": row.description, "bearing": row.bearing,
                          "source_id": source_id})
    return row


def set_verdict(
    *, session: Session, claim_id: int, verdict: str | None, note: str | None
) -> Claim:
    claim = get_claim(session, claim_id)
    before = {"verdict": claim.verdict, "verdict_note": claim.verdict_note}
    claim.verdict = choice(verdict, VERDICTS, "verdict") if optional_text(verdict) else None
    claim.verdict_note = optional_text(note)
    claim.updated_at = utcnow()
    session.add(claim)
    session.flush()
    audit.record(session, action="verdict", entity="claim", entity_id=claim_id,
                 claim_id=claim_id, details=audit.changes(
                     before, {"verdict": claim.verdict, "verdict_note": claim.verdict_note}))
    return claim


def claim_source_ids(session: Session, claim_id: int) -> list[int]:
    return list(session.exec(
        select(ClaimSource.source_id).where(ClaimSource.claim_id == claim_id)
        .order_by(ClaimSource.source_id)
    ).all())
