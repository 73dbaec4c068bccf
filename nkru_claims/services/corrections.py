"""Correcting what was recorded: stances, evidence, parties and sources.

Every correction writes one audit entry holding what it needs to be reversed, and
``undo`` reverses any of them by the entry's ID (``nkru-claims log`` shows it):

- an edit stores ``{field: [old, new]}``; undoing it puts the old values back, provided
  nobody changed those fields since;
- a delete stores the whole row (and a party's aliases) under ``row``; the row is gone
  from the table, so lists, reports and statuses no longer see it, and undoing it puts
  it back with its own ID (IDs are never reused, so the ID is still free);
- a party merge stores the merged party's row and the IDs of the aliases, stances and
  child parties it moved; undoing it moves exactly those back.

No new column is needed: the audit trail is the record of what was removed.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, insert, update
from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.countries import check_country
from nkru_claims.errors import Conflict, InvalidInput, NotFound
from nkru_claims.limits import check_id
from nkru_claims.models import (
    BEARINGS,
    PARTY_KINDS,
    STANCE_KINDS,
    AuditEntry,
    Evidence,
    Party,
    PartyAlias,
    Source,
    Stance,
)
from nkru_claims.services.merges import _restore, _row
from nkru_claims.services.parties import (
    alias_key,
    check_wikidata_id,
    find_party,
    get_party,
    resolve_party,
)
from nkru_claims.status import refresh_statuses
from nkru_claims.values import choice, normalise_url, optional_text, required_text

MODELS: dict[str, type] = {"stance": Stance, "evidence": Evidence, "party": Party,
                           "source": Source}
UNSET: Any = object()  # "not given", as opposed to None: "clear this field"


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]


def _get(session: Session, entity: str, row_id: int) -> Any:
    row = session.get(MODELS[entity], check_id(row_id, f"{entity} ID"))
    if row is None:
        raise NotFound(f"no {entity} with id {row_id}")
    return row


def _apply_edit(session: Session, entity: str, row: Any, new: dict[str, Any]) -> dict[str, Any]:
    """Set the given fields, record {field: [old, new]} of what changed; return that."""
    before = {name: getattr(row, name) for name in new}
    changed = audit.changes(before, new)
    if not changed:
        return {}
    for name, (_, value) in changed.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    audit.record(session, action="edit", entity=entity, entity_id=row.id,
                 claim_id=getattr(row, "claim_id", None), details=changed)
    return changed


def _given(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not UNSET}


def edit_stance(session: Session, stance_id: int, *, party: Any = UNSET, kind: Any = UNSET,
                source_id: Any = UNSET, quote: Any = UNSET, quote_language: Any = UNSET,
                stated_on: Any = UNSET) -> dict[str, Any]:
    """Correct a stance; the claim's status follows (the session hook recomputes it)."""
    stance = _get(session, "stance", stance_id)
    new = _given(kind=kind, source_id=source_id, quote=quote, quote_language=quote_language,
                 stated_on=stated_on)
    if party is not UNSET:
        new["party_id"] = resolve_party(session, party).id
    if "kind" in new:
        new["kind"] = choice(new["kind"], STANCE_KINDS, "stance kind")
    for name in ("quote", "quote_language"):
        if name in new:
            new[name] = optional_text(new[name])
    if new.get("source_id") is not None:
        _get(session, "source", new["source_id"])
    return _apply_edit(session, "stance", stance, new)


def edit_evidence(session: Session, evidence_id: int, *, description: Any = UNSET,
                  bearing: Any = UNSET, source_id: Any = UNSET,
                  quote: Any = UNSET) -> dict[str, Any]:
    item = _get(session, "evidence", evidence_id)
    new = _given(description=description, bearing=bearing, source_id=source_id, quote=quote)
    if "description" in new:
        new["description"] = required_text(new["description"], "evidence description")
    if "bearing" in new:
        new["bearing"] = choice(new["bearing"], BEARINGS, "evidence bearing")
    if "quote" in new:
        new["quote"] = optional_text(new["quote"])
    if new.get("source_id") is not None:
        _get(session, "source", new["source_id"])
    return _apply_edit(session, "evidence", item, new)


def delete_row(session: Session, entity: str, row_id: int) -> dict[str, Any]:
    """Remove a stance or piece of evidence, keeping it in the trail to be restored."""
    if entity not in ("stance", "evidence"):
        raise InvalidInput(f"cannot delete a {entity} this way")
    row = _get(session, entity, row_id)
    values = _row(_table(MODELS[entity]), row)
    session.delete(row)
    session.flush()
    audit.record(session, action="delete", entity=entity, entity_id=row_id,
                 claim_id=values["claim_id"], details={"row": values})
    return values


def restore_row(session: Session, entity: str, row_id: int) -> AuditEntry:
    """Undo the latest deletion of this stance, piece of evidence or party."""
    entry = session.exec(select(AuditEntry).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == check_id(row_id, f"{entity} ID"),
        AuditEntry.action == "delete").order_by(col(AuditEntry.id).desc())).first()
    if entry is None:
        raise NotFound(f"no deleted {entity} with id {row_id}")
    return undo(session, entry.id)


def edit_party(session: Session, party_name: str, *, name: Any = UNSET, kind: Any = UNSET,
               country: Any = UNSET, parent: Any = UNSET, wikidata_id: Any = UNSET,
               description: Any = UNSET) -> dict[str, Any]:
    """Rename a party or change its kind, country, parent, Wikidata ID or description.

    A new name replaces the old one among the aliases (a typo does not live on as one).
    """
    party = get_party(session, party_name)
    new = _given(kind=kind, description=description)
    if "kind" in new:
        new["kind"] = choice(new["kind"], PARTY_KINDS, "party kind")
    if "description" in new:
        new["description"] = optional_text(new["description"])
    if country is not UNSET:
        new["country"] = check_country(optional_text(country))
    if wikidata_id is not UNSET:
        new["wikidata_id"] = check_wikidata_id(optional_text(wikidata_id))
    if parent is not UNSET:
        parent_party = resolve_party(session, parent) if optional_text(parent) else None
        if parent_party is not None and _is_within(session, parent_party, party.id):
            raise InvalidInput(f"{parent_party.name!r} is part of {party.name!r}; a party "
                               "cannot belong to itself")
        new["parent_id"] = parent_party.id if parent_party else None
    if name is not UNSET:
        new["name"] = required_text(name, "party name")
        owner = find_party(session, new["name"])
        if owner is not None and owner.id != party.id:
            raise Conflict(f"{new['name']!r} already names {owner.name!r}; to make them one, "
                           f"use 'party merge {party.name!r} {owner.name!r}'")
    old_name = party.name
    changed = _apply_edit(session, "party", party, new)
    if "name" in changed:
        _rename_alias(session, party.id, old_name, party.name)
    return changed


def _rename_alias(session: Session, party_id: int, old: str, new: str) -> None:
    """The alias spelled as the old name becomes the new name (or the new one is added)."""
    if session.exec(select(PartyAlias.id).where(PartyAlias.alias == new)).first() is not None:
        session.execute(delete(PartyAlias).where(PartyAlias.party_id == party_id,
                                                 PartyAlias.alias == old))
        return
    session.execute(update(PartyAlias).where(PartyAlias.party_id == party_id,
                                             PartyAlias.alias == old)
                    .values(alias=new, alias_key=alias_key(new)))
    if session.exec(select(PartyAlias.id).where(PartyAlias.alias == new)).first() is None:
        session.add(PartyAlias(party_id=party_id, alias=new, alias_key=alias_key(new)))
        session.flush()


def _is_within(session: Session, party: Party, ancestor_id: int) -> bool:
    seen: set[int] = set()
    current: Party | None = party
    while current is not None and current.id not in seen:
        if current.id == ancestor_id:
            return True
        seen.add(current.id)
        current = session.get(Party, current.parent_id) if current.parent_id else None
    return False


def merge_parties(session: Session, from_name: str, into_name: str) -> dict[str, Any]:
    """Fold one party into another: its aliases, stances and member parties move, and it
    is removed. ``undo`` (or ``party unmerge``) splits them again."""
    source, target = get_party(session, from_name), get_party(session, into_name)
    if source.id == target.id:
        raise InvalidInput(f"{from_name!r} and {into_name!r} are the same party")
    details = {
        "row": _row(_table(Party), source), "into": target.id, "into_name": target.name,
        "aliases": list(session.exec(select(PartyAlias.id).where(
            PartyAlias.party_id == source.id)).all()),
        "stances": list(session.exec(select(Stance.id).where(
            Stance.party_id == source.id)).all()),
        "children": list(session.exec(select(Party.id).where(
            Party.parent_id == source.id)).all()),
    }
    claims = _claims_of_stances(session, details["stances"])
    _move(session, PartyAlias, "party_id", details["aliases"], target.id)
    _move(session, Stance, "party_id", details["stances"], target.id)
    _move(session, Party, "parent_id", [i for i in details["children"] if i != target.id],
          target.id)
    if target.parent_id == source.id:
        target.parent_id = source.parent_id if source.parent_id != target.id else None
        session.add(target)
    session.flush()
    session.execute(delete(Party).where(Party.id == source.id))
    session.expunge_all()
    refresh_statuses(session, claims)
    audit.record(session, action="merge", entity="party", entity_id=details["row"]["id"],
                 details=details)
    return details


def _claims_of_stances(session: Session, stance_ids: list[int]) -> list[int]:
    if not stance_ids:
        return []
    return sorted(set(session.exec(select(Stance.claim_id).where(
        col(Stance.id).in_(stance_ids))).all()))


def _move(session: Session, model: type, column: str, ids: list[int], to: int | None) -> None:
    if ids:
        session.execute(update(model).where(col(model.id).in_(ids)).values({column: to})
                        .execution_options(synchronize_session=False))


def unmerge_party(session: Session, name: str) -> AuditEntry:
    """Undo the latest merge of the party once called ``name``."""
    for entry in session.exec(select(AuditEntry).where(
            AuditEntry.entity == "party", AuditEntry.action == "merge")
            .order_by(col(AuditEntry.id).desc())):
        if json.loads(entry.details or "{}").get("row", {}).get("name") == name.strip():
            return undo(session, entry.id)
    raise NotFound(f"no merged party named {name!r} (see 'nkru-claims log')")


def delete_party(session: Session, name: str) -> dict[str, Any]:
    """Remove a party that no stance names and no party belongs to (a typo)."""
    party = get_party(session, name)
    stances = session.exec(select(Stance.id).where(Stance.party_id == party.id)).all()
    members = session.exec(select(Party.name).where(Party.parent_id == party.id)).all()
    if stances or members:
        used = f"{len(stances)} stance(s)" if stances else f"parties {', '.join(members)}"
        raise Conflict(f"{party.name!r} is used by {used}; merge it into the right party "
                       f"with 'party merge' instead")
    details = {"row": _row(_table(Party), party),
               "aliases": [_row(_table(PartyAlias), a) for a in session.exec(
                   select(PartyAlias).where(PartyAlias.party_id == party.id)).all()]}
    session.execute(delete(PartyAlias).where(PartyAlias.party_id == party.id))
    session.execute(delete(Party).where(Party.id == party.id))
    session.expunge_all()
    audit.record(session, action="delete", entity="party", entity_id=details["row"]["id"],
                 details=details)
    return details


SOURCE_FIELDS = ("url", "outlet", "title", "author", "language", "published_on",
                 "retrieved_on", "archive_url")


def edit_source(session: Session, reference: str, **fields: Any) -> dict[str, Any]:
    """Fill in or correct a source's details (one made by ``add --source URL`` has none)."""
    from nkru_claims.services.sources import find_source_by_url, resolve_source

    source = resolve_source(session, reference)
    new = _given(**{name: fields.get(name, UNSET) for name in SOURCE_FIELDS})
    for name in ("outlet", "title", "author", "language"):
        if name in new:
            new[name] = optional_text(new[name])
    for name in ("url", "archive_url"):
        if name in new:
            new[name] = normalise_url(new[name])
    if new.get("url") is not None:
        holder = find_source_by_url(session, new["url"])
        if holder is not None and holder.id != source.id:
            raise Conflict(f"source #{holder.id} already has the URL {new['url']}")
    for name in ("published_on", "retrieved_on"):
        if name in new and new[name] is not None and not isinstance(new[name], date):
            raise InvalidInput(f"{name} must be a date")
    return _apply_edit(session, "source", source, new)


def _undone(session: Session, entry_id: int) -> AuditEntry | None:
    for entry in session.exec(select(AuditEntry).where(AuditEntry.action == "undo")):
        if json.loads(entry.details or "{}").get("entry") == entry_id:
            return entry
    return None


def undo(session: Session, entry_id: int) -> AuditEntry:
    """Reverse one correction (an edit, a delete, a party merge) named by its log entry."""
    entry = session.get(AuditEntry, check_id(entry_id, "log entry ID"))
    if entry is None:
        raise NotFound(f"no log entry with id {entry_id}")
    done = _undone(session, entry_id)
    if done is not None:
        raise Conflict(f"log entry #{entry_id} was already undone (entry #{done.id})")
    details = json.loads(entry.details or "{}")
    kind = (entry.action, entry.entity)
    if entry.action == "edit" and entry.entity in MODELS:
        _undo_edit(session, entry, details)
    elif kind in {("delete", "stance"), ("delete", "evidence")}:
        _reinsert(session, MODELS[entry.entity], details["row"])
        refresh_statuses(session, [details["row"]["claim_id"]])
    elif kind == ("delete", "party"):
        _reinsert(session, Party, details["row"])
        for alias in details["aliases"]:
            _reinsert(session, PartyAlias, alias)
    elif kind == ("merge", "party"):
        _undo_party_merge(session, details)
    else:
        raise InvalidInput(f"log entry #{entry_id} ({entry.action} {entry.entity}) is not a "
                           "correction 'undo' reverses (see 'unmerge', 'restore', 'edit')")
    session.flush()
    audit.record(session, action="undo", entity=entry.entity, entity_id=entry.entity_id,
                 claim_id=entry.claim_id, details={"entry": entry_id, "undid": entry.action})
    return entry


def _undo_edit(session: Session, entry: AuditEntry, details: dict[str, Any]) -> None:
    model = MODELS[entry.entity]
    row = _get(session, entry.entity, entry.entity_id)
    table = _table(model)
    later = {name: new for name, (_, new) in details.items()}
    current = {name: value for name, value in _row(table, row).items() if name in later}
    if current != later:
        moved = ", ".join(sorted(n for n in later if current.get(n) != later[n]))
        raise Conflict(f"{entry.entity} #{entry.entity_id} changed again since ({moved}); "
                       "undo the later change first")
    old = _restore(table, {**_row(table, row), **{n: old for n, (old, _) in details.items()}})
    if entry.entity == "party" and "name" in details:
        _rename_alias(session, row.id, row.name, old["name"])
    for name in details:
        setattr(row, name, old[name])
    session.add(row)
    session.flush()


def _reinsert(session: Session, model: type, values: dict[str, Any]) -> None:
    """Put a removed row back with its own ID, after checking what it points at."""
    from nkru_claims.models import Claim

    table = _table(model)
    if session.get(model, values["id"]) is not None:
        raise Conflict(f"{table.name} #{values['id']} is already there")
    values = dict(values)
    if "claim_id" in values and session.get(Claim, values["claim_id"]) is None:
        raise Conflict(f"cannot bring back {table.name} #{values['id']}: claim "
                       f"#{values['claim_id']} is gone (merged or never restored)")
    if model in (Stance, PartyAlias) and session.get(Party, values["party_id"]) is None:
        raise Conflict(f"cannot bring back {table.name} #{values['id']}: its party "
                       f"#{values['party_id']} is gone (see 'party unmerge')")
    if values.get("source_id") is not None and session.get(Source, values["source_id"]) is None:
        values["source_id"] = None
    if model is Party:
        if session.exec(select(Party.id).where(Party.name == values["name"])).first():
            raise Conflict(f"a party named {values['name']!r} exists again")
        if values.get("parent_id") and session.get(Party, values["parent_id"]) is None:
            values["parent_id"] = None
    if model is PartyAlias and find_party(session, values["alias"]) is not None:
        raise Conflict(f"{values['alias']!r} names another party now")
    session.execute(insert(table).values(**_restore(table, values)))


def _undo_party_merge(session: Session, details: dict[str, Any]) -> None:
    row = details["row"]
    if find_party(session, row["name"]) not in (None, session.get(Party, details["into"])):
        raise Conflict(f"{row['name']!r} names another party now; rename that one first")
    if session.exec(select(Party.id).where(Party.name == row["name"])).first() is not None:
        raise Conflict(f"a party named {row['name']!r} exists again; rename it first")
    parent = row.get("parent_id")
    session.execute(insert(_table(Party)).values(**{
        **_restore(_table(Party), row),
        "parent_id": parent if parent and session.get(Party, parent) else None}))
    _move_back(session, PartyAlias, "party_id", details["aliases"], details["into"], row["id"])
    _move_back(session, Stance, "party_id", details["stances"], details["into"], row["id"])
    _move_back(session, Party, "parent_id", details["children"], details["into"], row["id"])
    session.expunge_all()
    refresh_statuses(session, _claims_of_stances(session, details["stances"]))


def _move_back(session: Session, model: type, column: str, ids: list[int], now: int,
               back: int) -> None:
    if ids:
        session.execute(update(model).where(col(model.id).in_(ids),
                                            getattr(model, column) == now)
                        .values({column: back}).execution_options(synchronize_session=False))
