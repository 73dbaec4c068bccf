"""Parties and their aliases: every spelling, in every script, resolves to one party."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from nkru_claims import audit
from nkru_claims.countries import check_country
from nkru_claims.errors import Conflict, InvalidInput, NotFound, UnknownParty
from nkru_claims.limits import WIKIDATA_ID, check_id, check_single_script
from nkru_claims.models import PARTY_KINDS, Party, PartyAlias, Stance
from nkru_claims.values import choice, optional_text, required_text

SUGGESTION_CUTOFF = 60


def alias_key(text: str) -> str:
    """``normalise.alias_key``, imported on first use: listing commands never need it,
    and loading OpenCC and the number patterns is a fair share of their start-up."""
    from nkru_claims.matching.normalise import alias_key as normalised

    return normalised(text)


@dataclass(frozen=True)
class PartyRow:
    id: int
    name: str
    kind: str
    country: str | None
    parent: str | None
    wikidata_id: str | None
    aliases: list[str]
    stances: int


def find_party(session: Session, name: str) -> Party | None:
    key = alias_key(name)
    if not key:
        return None
    return session.exec(
        select(Party).join(PartyAlias, col(PartyAlias.party_id) == Party.id)
        .where(PartyAlias.alias_key == key)
    ).first()


def suggest_parties(session: Session, name: str, limit: int = 3) -> list[str]:
    """The names of the known parties whose aliases come closest to ``name``."""
    rows = session.exec(
        select(PartyAlias.alias_key, Party.name).join(Party, col(Party.id) == PartyAlias.party_id)
    ).all()
    if not rows:
        return []
    from rapidfuzz import fuzz, process

    keys = [key for key, _ in rows]
    matches = process.extract(
        alias_key(name), keys, scorer=fuzz.WRatio, limit=limit * 4,
        score_cutoff=SUGGESTION_CUTOFF,
    )
    names: list[str] = []
    for _, _, index in matches:
        party_name = rows[index][1]
        if party_name not in names:
            names.append(party_name)
    return names[:limit]


def resolve_party(session: Session, name: str, *, create: bool = False) -> Party:
    """The party an alias names; with ``create``, a new party of kind 'organisation'."""
    name = check_single_script(required_text(name, "party name"), "party name")
    party = find_party(session, name)
    if party is not None:
        return party
    if create:
        return add_party(session=session, name=name, kind="organisation")
    raise UnknownParty(name, suggest_parties(session, name))


def add_party(
    *,
    session: Session,
    name: str,
    kind: str,
    country: str | None = None,
    parent: str | None = None,
    wikidata_id: str | None = None,
    description: str | None = None,
    aliases: list[tuple[str, str | None]] = (),
    allow_mixed_scripts: bool = False,
) -> Party:
    name = required_text(name, "party name")
    if not allow_mixed_scripts:
        check_single_script(name, "party name")
    if find_party(session, name) is not None:
        raise Conflict(f"a party named {name!r} already exists (or it is another's alias)")
    party = Party(
        name=name,
        kind=choice(kind, PARTY_KINDS, "party kind"),
        country=check_country(optional_text(country)),
        parent_id=resolve_party(session, parent).id if optional_text(parent) else None,
        wikidata_id=check_wikidata_id(optional_text(wikidata_id)),
        description=optional_text(description),
    )
    session.add(party)
    session.flush()
    audit.record(session, action="add", entity="party", entity_id=party.id,
                 details={"name": name, "kind": party.kind, "country": party.country,
                          "parent_id": party.parent_id, "wikidata_id": party.wikidata_id})
    with audit.quiet(session):
        add_alias(session=session, party=party, alias=name, language=None)
    for alias, language in aliases:
        if alias.strip() != name:
            add_alias(session=session, party=party, alias=alias, language=language,
                      allow_mixed_scripts=allow_mixed_scripts)
    return party


def check_wikidata_id(wikidata_id: str | None) -> str | None:
    """'Q7747' upper-cased, or one line saying it is not a Wikidata item ID."""
    if wikidata_id is not None and not (
        wikidata_id[:1] in "Qq" and wikidata_id[1:].isascii() and wikidata_id[1:].isdigit()
        and not wikidata_id[1:].startswith("0") and len(wikidata_id) <= WIKIDATA_ID
    ):
        raise InvalidInput(f"not a Wikidata ID: {wikidata_id[:40]!r} (expected Q followed by "
                           f"at most {WIKIDATA_ID - 1} digits)")
    return wikidata_id.upper() if wikidata_id else None


def add_alias(*, session: Session, party: Party, alias: str, language: str | None,
              allow_mixed_scripts: bool = False) -> PartyAlias:
    alias = required_text(alias, "alias")
    if not allow_mixed_scripts:
        check_single_script(alias, "alias")
    key = alias_key(alias)
    if not key:
        raise InvalidInput(f"alias {alias!r} has no letters or digits")
    owner = find_party(session, alias)
    if owner is not None and owner.id != party.id:
        raise Conflict(f"{alias!r} already names another party: {owner.name!r}")
    if session.exec(select(PartyAlias).where(PartyAlias.alias == alias)).first() is not None:
        raise Conflict(f"{alias!r} is already an alias of {party.name!r}")
    row = PartyAlias(
        party_id=party.id, alias=alias, alias_key=key, language=optional_text(language)
    )
    session.add(row)
    session.flush()
    audit.record(session, action="add", entity="alias", entity_id=row.id,
                 details={"party": party.name, "alias": alias, "language": row.language})
    return row


def has_alias(session: Session, party: Party, alias: str) -> bool:
    """Whether this exact spelling is already one of the party's names."""
    return session.exec(
        select(PartyAlias.id).where(PartyAlias.party_id == party.id,
                                    PartyAlias.alias == (alias or "").strip())
    ).first() is not None


def list_parties(session: Session, *, kind: str | None = None) -> list[PartyRow]:
    query = select(Party).order_by(Party.name)
    if kind:
        query = query.where(Party.kind == choice(kind, PARTY_KINDS, "party kind"))
    parties = session.exec(query).all()
    names = {p.id: p.name for p in session.exec(select(Party)).all()}
    aliases: dict[int, list[str]] = {}
    for party_id, alias in session.exec(
        select(PartyAlias.party_id, PartyAlias.alias).order_by(PartyAlias.id)
    ):
        aliases.setdefault(party_id, []).append(alias)
    counts = dict(session.exec(
        select(Stance.party_id, func.count()).group_by(Stance.party_id)
    ).all())
    return [
        PartyRow(
            id=p.id, name=p.name, kind=p.kind, country=p.country,
            parent=names.get(p.parent_id) if p.parent_id else None,
            wikidata_id=p.wikidata_id,
            aliases=[a for a in aliases.get(p.id, []) if a != p.name],
            stances=counts.get(p.id, 0),
        )
        for p in parties
    ]


def get_party(session: Session, name: str) -> Party:
    party = find_party(session, name)
    if party is None:
        raise UnknownParty(name, suggest_parties(session, name))
    return party


def party_aliases(session: Session, party_id: int) -> list[PartyAlias]:
    return list(session.exec(
        select(PartyAlias).where(PartyAlias.party_id == party_id).order_by(PartyAlias.id)
    ).all())


def require_party_id(session: Session, party_id: int) -> Party:
    party = session.get(Party, check_id(party_id, "party ID"))
    if party is None:
        raise NotFound(f"no party with id {party_id}")
    return party
