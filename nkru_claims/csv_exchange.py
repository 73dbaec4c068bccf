"""Claims and stances as a spreadsheet (CSV), for analysts who work in one.

Why a second format: the JSON exchange format (``fixtures/FORMAT.md``) is complete but
nobody edits it in Excel. This layout is flat, one row per stance, so a spreadsheet can
be sorted, filtered and filled in. It carries claims, their stances and the stances'
sources; wordings, evidence, aliases and party details stay in the JSON format.

| column | meaning |
|---|---|
| `claim_ref` | the claim's stable key; rows with one `claim_ref` are one claim |
| `claim_text` | the claim in one sentence; required on a claim's first row |
| `claim_language` | BCP-47 tag of `claim_text` (`en`) |
| `quantity_text` | the amount as a source words it (`约6700个集装箱`) |
| `quantity_low` | lower bound, a non-negative number (`6700`, `6,700`, `1.5k`) |
| `quantity_high` | upper bound: equal to low for a point value, empty for "over N" |
| `quantity_unit` | `shells`, `containers`, `soldiers`, `missiles`, `usd`… |
| `quantity_approximate` | `true` or `false` (also yes/no, 1/0; empty is false) |
| `period_start` | start of the period the claim is about: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` |
| `period_end` | its end (a partial date means the period's last day) |
| `verdict` | `true`, `mostly_true`, `misleading`, `mostly_false`, `false`, `unproven` |
| `verdict_note` | why |
| `party` | who takes the stance: a name or any alias; an unknown name adds a party |
| `party_kind` | a new party's kind (`state`, `person`…; default `organisation`) |
| `stance` | `asserts`, `denies`, `questions`, `supports`, `condemns`, `declines_to_comment` |
| `quote` | the party's words, verbatim, in the original script |
| `quote_language` | BCP-47 tag of `quote` (`zh-Hans`, `zh-Hant`, `ko`, `en`) |
| `stated_on` | when the party said it (`YYYY-MM-DD`); empty when the source gives none |
| `source_url` | the article reporting the stance; matched by normalised URL |
| `source_outlet` | the publication |
| `source_title` | the headline, verbatim |
| `source_published_on` | the article's date |
| `grade` | the stance's Admiralty grade: source reliability A–F and credibility 1–6 (`B2`) |

- The claim columns repeat on each of a claim's rows; later rows may give only
  `claim_text` (or, with a `claim_ref`, leave them all empty), but may not differ. A
  claim without stances is one row with `party` and `stance` empty. Without
  `claim_ref`, consecutive rows with identical `claim_text` are one claim. A
  `claim_ref` already in the database is skipped.
- With both bounds empty, bounds and unit are read from `quantity_text`.
- A source without URL is reused when outlet, title and date are all identical.
- UTF-8, with or without a byte-order mark. The first line is the header (any column
  order; only `claim_text` is required); errors name the file's line numbers, the header
  being line 1. Every row is checked before any is written: one bad row refuses the
  whole file, unless ``skip_bad`` imports the others and lists the bad ones. A row with
  fewer cells than the header, or more that are not empty, is a bad row; a quote never
  closed, text after a closing quote, or a NUL refuses the file whatever ``skip_bad``.
- Export puts an apostrophe before a cell a spreadsheet would run as a formula
  (``=``, ``+``, ``-``, ``@``, tab, CR; not a plain number) and import removes it:
  ``nkru_claims.csv_cells`` says how, and why a round trip is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, col, select

from nkru_claims import audit
from nkru_claims.csv_cells import MalformedCsv, from_spreadsheet, read_records, write_rows
from nkru_claims.errors import ImportFormatError, InvalidInput, NkruError
from nkru_claims.exchange import ImportSummary
from nkru_claims.matching.normalise import alias_key
from nkru_claims.matching.quantities import Quantity, canonical_unit, parse_number, parse_quantity
from nkru_claims.models import PARTY_KINDS, STANCE_KINDS, VERDICTS, Claim, Party, Source, Stance
from nkru_claims.services import claims as claim_service
from nkru_claims.services import parties as party_service
from nkru_claims.services import sources as source_service
from nkru_claims.services.origins import grade_text, parse_grade, set_grade
from nkru_claims.values import choice, normalise_url, parse_date

COLUMNS = (
    "claim_ref", "claim_text", "claim_language", "quantity_text", "quantity_low",
    "quantity_high", "quantity_unit", "quantity_approximate", "period_start", "period_end",
    "verdict", "verdict_note", "party", "party_kind", "stance", "quote", "quote_language",
    "stated_on", "source_url", "source_outlet", "source_title", "source_published_on", "grade",
)
CLAIM_COLUMNS = COLUMNS[1:12]
STANCE_COLUMNS = ("party", "party_kind", "stance", "quote", "quote_language", "stated_on",
                  "grade")
SOURCE_COLUMNS = COLUMNS[18:22]
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass
class CsvImportResult(ImportSummary):
    """What the import added, and the rows it left out (with ``skip_bad``)."""

    bad_rows: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _ClaimFields:
    text: str
    language: str | None
    quantity: Quantity | None
    period_start: date | None
    period_end: date | None
    verdict: str | None
    verdict_note: str | None


@dataclass(frozen=True)
class _SourceFields:
    url: str | None
    outlet: str | None
    title: str | None
    published_on: date | None


@dataclass(frozen=True)
class _Row:
    line: int
    ref: str | None
    claim: _ClaimFields | None  # None: continues the claim named by ``ref``
    stance: claim_service.StanceInput | None
    party_kind: str | None
    source: _SourceFields | None
    grade: str | None = None  # the stance's Admiralty grade (B2)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _claim_cells(claim: Claim, tag: str | None = None) -> list[str]:
    """``tag``: the database's, for the stable key of a claim without a ref of its own."""
    from nkru_claims.history_exchange import claim_key

    q = claim_service.claim_quantity(claim)
    quantity = [""] * 5 if q is None else [
        q.text, _number(q.low), _number(q.high), q.unit or "", str(q.approximate).lower()]
    return [claim_key(tag, claim) or "", claim.text, claim.language or "", *quantity,
            _iso(claim.period_start), _iso(claim.period_end), claim.verdict or "",
            claim.verdict_note or ""]


def _stance_cells(stance: Stance | None, party: Party | None, source: Source | None) -> list[str]:
    if stance is None or party is None:
        return [""] * 11
    cited = ["", "", "", ""] if source is None else [
        source.url or "", source.outlet or "", source.title or "", _iso(source.published_on)]
    return [party.name, party.kind, stance.kind, stance.quote or "", stance.quote_language or "",
            _iso(stance.stated_on), *cited,
            grade_text(stance.source_reliability, stance.info_credibility) or ""]


def export_csv(session: Session, *, raw: bool = False) -> str:
    """Every claim, one row per stance (oldest first); claims without stances get one row.

    Cells that a spreadsheet would run as a formula get a leading apostrophe (see
    ``csv_cells``), which ``import_csv`` removes again; ``raw`` writes them as stored.
    """
    parties = {p.id: p for p in session.exec(select(Party)).all()}
    sources = {s.id: s for s in session.exec(select(Source)).all()}
    stances: dict[int, list[Stance]] = {}
    for stance in session.exec(select(Stance).order_by(Stance.id)):
        stances.setdefault(stance.claim_id, []).append(stance)
    from nkru_claims.history_exchange import database_tag

    tag = database_tag(session)
    rows: list[list[str]] = [list(COLUMNS)]
    for claim in session.exec(
        select(Claim).where(col(Claim.deleted_at).is_(None)).order_by(Claim.id)
    ):
        head = _claim_cells(claim, tag)
        for stance in stances.get(claim.id) or [None]:
            party = parties[stance.party_id] if stance else None
            source = sources.get(stance.source_id) if stance and stance.source_id else None
            rows.append(head + _stance_cells(stance, party, source))
    return write_rows(rows, raw=raw)  # CRLF, RFC 4180; a lone CR gets quoted too


def _amount(text: str, name: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = parse_number(text)  # 6,700 / 1.5k / 五百萬; raises InvalidInput
    if math.isnan(value) or math.isinf(value):
        raise InvalidInput(f"{name}: not a number: {text!r}")
    if value < 0:
        raise InvalidInput(f"{name}: quantity cannot be negative: {text!r}")
    return value


def _quantity(cells: dict[str, str]) -> Quantity | None:
    text, unit = cells["quantity_text"], cells["quantity_unit"]
    low = _amount(cells["quantity_low"], "quantity_low")
    high = _amount(cells["quantity_high"], "quantity_high")
    flag = cells["quantity_approximate"].lower()
    if flag and flag not in _BOOLEANS:
        raise InvalidInput(f"quantity_approximate: expected true or false, not {flag!r}")
    if low is None and high is None:
        if not text:
            if unit:
                raise InvalidInput("quantity_unit given without quantity_low or quantity_high")
            return None
        found = parse_quantity(text)
        low, high = found.low, found.high
        unit = unit or found.unit or ""
        approximate = _BOOLEANS[flag] if flag else found.approximate
    else:
        approximate = _BOOLEANS.get(flag, False)
    if low is not None and high is not None and high < low:
        raise InvalidInput("quantity_high is below quantity_low")
    return Quantity(low=low, high=high, unit=(canonical_unit(unit) or unit) if unit else None,
                    approximate=approximate, text=text)


def _read_row(line: int, cells: dict[str, str]) -> _Row:
    """One CSV row, checked; raises InvalidInput with a one-line reason."""
    ref = cells["claim_ref"] or None
    claim = None
    if any(cells[c] for c in CLAIM_COLUMNS):
        if not cells["claim_text"]:
            raise InvalidInput("claim_text is empty")
        start = parse_date(cells["period_start"])
        end = parse_date(cells["period_end"], end_of_period=True)
        claim_service.check_period(start, end)
        claim = _ClaimFields(
            text=cells["claim_text"], language=cells["claim_language"] or None,
            quantity=_quantity(cells), period_start=start, period_end=end,
            verdict=choice(cells["verdict"], VERDICTS, "verdict") if cells["verdict"] else None,
            verdict_note=cells["verdict_note"] or None,
        )
    elif ref is None:
        raise InvalidInput("claim_text is empty (and no claim_ref names the claim)")
    party, kind = cells["party"], cells["stance"]
    if bool(party) != bool(kind):
        raise InvalidInput("party given without stance" if party else "stance given without party")
    if not party and any(cells[c] for c in STANCE_COLUMNS):
        raise InvalidInput("stance columns filled in but party and stance are empty")
    if party and not alias_key(party):
        raise InvalidInput(f"party {party!r} has no letters or digits")
    source = None
    if any(cells[c] for c in SOURCE_COLUMNS):
        source = _SourceFields(
            url=normalise_url(cells["source_url"]), outlet=cells["source_outlet"] or None,
            title=cells["source_title"] or None,
            published_on=parse_date(cells["source_published_on"]),
        )
    stance = claim_service.StanceInput(
        party=party, kind=choice(kind, STANCE_KINDS, "stance kind"), quote=cells["quote"] or None,
        quote_language=cells["quote_language"] or None, stated_on=parse_date(cells["stated_on"]),
    ) if party else None
    party_kind = cells["party_kind"] and choice(cells["party_kind"], PARTY_KINDS, "party kind")
    grade = grade_text(*parsed) if (parsed := parse_grade(cells["grade"])) else None
    return _Row(line, ref, claim, stance, party_kind or None, source, grade)


def _records(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (first line number, cells) of every non-blank record."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        records = [(line, cells) for line, cells in read_records(text)
                   if any(c.strip() for c in cells)]
    except MalformedCsv as exc:
        raise ImportFormatError(str(exc)) from None
    if not records:
        raise ImportFormatError("the file is empty (expected a header line)")
    (_, header), *rows = records
    return [h.strip().lower() for h in header], rows


def _header_index(header: list[str]) -> dict[str, int]:
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ImportFormatError(f"line 1: unknown column {unknown[0]!r}; columns are: "
                                + ", ".join(COLUMNS))
    if len(set(header)) != len(header):
        raise ImportFormatError("line 1: a column appears twice")
    if "claim_text" not in header:
        raise ImportFormatError("line 1: the claim_text column is missing")
    return {name: header.index(name) for name in header}


def _names(a: _ClaimFields | None, b: _ClaimFields | None) -> bool:
    """``a`` gives only ``b``'s claim_text: it names the claim without restating it."""
    return a is not None and b is not None and a == _ClaimFields(b.text, *[None] * 6)


def _group(rows: list[_Row], bad: list[tuple[int, str]]) -> list[tuple[_ClaimFields, list[_Row]]]:
    """Rows to claims: by claim_ref, or consecutive rows with the same text and no ref."""
    groups: dict[object, tuple[list[_ClaimFields | None], list[_Row]]] = {}
    previous: object = None
    for row in rows:
        continues = (isinstance(previous, tuple) and previous[0] == "text"
                     and row.claim is not None and groups[previous][0][0].text == row.claim.text)
        if row.ref is not None:
            key: object = ("ref", row.ref)
        elif row.claim is not None and continues:
            key = previous
        else:
            key = ("text", row.line)
        fields, members = groups.setdefault(key, ([row.claim], []))
        if fields[0] is None or _names(fields[0], row.claim):
            fields[0] = row.claim or fields[0]
        elif row.claim not in (None, fields[0]) and not _names(row.claim, fields[0]):
            named = f" for claim_ref {row.ref!r}" if row.ref else ""
            bad.append((row.line, f"claim columns differ from line {members[0].line}{named}"))
            continue
        members.append(row)
        previous = key
    result = []
    for key, (fields, members) in groups.items():
        if fields[0] is None:
            bad.extend((r.line, f"no row gives claim_text for claim_ref {key[1]!r}")
                       for r in members)
        else:
            result.append((fields[0], members))
    return result


def import_csv(session: Session, text: str, *, skip_bad: bool = False,
               origin: str | None = None) -> CsvImportResult:
    """Read a CSV written in this layout into the caller's transaction (flushes only);
    one audit entry for the file, as for a JSON import."""
    header, records = _records(text)
    index = _header_index(header)
    result = CsvImportResult()
    rows: list[_Row] = []
    for line, raw in records:
        # Fewer cells, or more that are not empty, is a broken row (often a stray quote).
        if len(raw) < len(header) or any(c.strip() for c in raw[len(header):]):
            result.bad_rows.append((line, f"{len(raw)} cells but the header has {len(header)}"))
            continue
        raw = [from_spreadsheet(c) for c in raw[:len(header)]]
        cells = dict.fromkeys(COLUMNS, "")
        cells.update({name: raw[i].strip() for name, i in index.items()})
        if cells["quantity_text"]:  # kept verbatim, as the services keep it
            cells["quantity_text"] = raw[index["quantity_text"]]
        try:
            rows.append(_read_row(line, cells))
        except NkruError as exc:
            result.bad_rows.append((line, str(exc)))
    groups = _group(rows, result.bad_rows)
    result.bad_rows.sort()
    if result.bad_rows and not skip_bad:
        line, reason = result.bad_rows[0]
        more = len(result.bad_rows) - 1
        raise ImportFormatError(f"line {line}: {reason}"
                                + (f" (and {more} more bad rows)" if more else ""))
    with audit.quiet(session):
        for fields, members in sorted(groups, key=lambda g: g[1][0].line):
            _import_claim(session, fields, members, result)
    audit.record(session, action="import", entity="file", details={
        "file": origin, "format": "csv", "claims": result.claims_added,
        "stances": result.stances_added, "bad_rows": [line for line, _ in result.bad_rows],
    })
    return result


def _import_claim(session: Session, fields: _ClaimFields, members: list[_Row],
                  result: CsvImportResult) -> None:
    from nkru_claims.history_exchange import database_tag, generated_id

    ref = members[0].ref
    if "nkru_database_tag" not in session.info:  # once an import, not once a claim
        session.info["nkru_database_tag"] = database_tag(session)
    own_id = generated_id(session.info["nkru_database_tag"], ref)
    if ref and (own_id is not None or session.exec(
            select(Claim.id).where(Claim.ref == ref)).first() is not None):
        result.claims_skipped.append(ref)  # here already (a generated key: this database's)
        return
    line = members[0].line
    try:
        claim = claim_service.add_claim(
            session=session, text=fields.text, language=fields.language,
            quantity=fields.quantity, period_start=fields.period_start,
            period_end=fields.period_end, verdict=fields.verdict,
            verdict_note=fields.verdict_note, ref=ref,
        )
        result.claims_added += 1
        for row in members:
            line = row.line
            source_id = _source_id(session, row.source, result)
            if row.stance is None:
                source_service.link_source(session, claim.id, source_id)
                continue
            if party_service.find_party(session, row.stance.party) is None:
                party_service.add_party(session=session, name=row.stance.party,
                                        kind=row.party_kind or "organisation")
                result.parties_added += 1
            added = claim_service.add_stance(session=session, claim_id=claim.id,
                                             stance=replace(row.stance, source_id=source_id))
            set_grade(session, added, row.grade)
            result.stances_added += 1
    except NkruError as exc:
        raise ImportFormatError(f"line {line}: {exc}") from None


def _source_id(session: Session, data: _SourceFields | None,
               result: CsvImportResult) -> int | None:
    if data is None:
        return None
    if data.url is not None:
        existing = source_service.find_source_by_url(session, data.url)
    else:
        existing = session.exec(select(Source).where(
            col(Source.url).is_(None), Source.outlet == data.outlet, Source.title == data.title,
            Source.published_on == data.published_on,
        ).order_by(Source.id)).first()
    if existing is None:
        existing = source_service.add_source(
            session=session, url=data.url, outlet=data.outlet, title=data.title,
            published_on=data.published_on)
        result.sources_added += 1
    return existing.id
