"""What the ledger accepts, declared once and checked before the database sees a value.

SQLite stores a 3,000-character URL in a ``VARCHAR(2000)`` column, a NUL character or a
lone surrogate without complaint; PostgreSQL refuses all three with a ``DataError``. A
database that works on one backend must move to the other with ``export`` and
``import``, so the limits are the application's, not the backend's:

- ``COLUMN_LIMITS``: the longest text each column takes. ``models.py`` sizes its
  ``String`` columns from the constants below; the unbounded ``Text`` columns get a
  limit here too, so one pasted book cannot stall ``dedupe`` for minutes.
- IDs are PostgreSQL ``INTEGER``s: 1 to 2^31 − 1 on both backends.
- Text never holds NUL or a lone surrogate (an argument that was not valid UTF-8
  arrives as one), since neither can be stored in PostgreSQL or encoded as UTF-8.
- A date a party stated something, or a source was published, is never more than
  ``FUTURE_TOLERANCE`` after today: a typo such as 2204 would outrank every real stance.
- A party name never mixes Latin, Cyrillic and Greek letters inside one word: "Russіa"
  with a Cyrillic і looks like Russia and is not.
- The readers are bounded too: JSON nesting depth, one record's size, standard input.

The ORM path is checked by a ``before_flush`` hook (every command that writes through
the services); the bulk importer, which inserts without the ORM, calls ``check_record``
and ``check_text`` itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from nkru_claims.errors import InvalidInput

# --- IDs ---------------------------------------------------------------------------
MIN_ID = 1
MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column

# --- Column lengths (characters); models.py builds its String columns from these ----
PARTY_NAME = 200  # party.name, party_alias.alias and its folded alias_key
WIKIDATA_ID = 20
COUNTRY = 2
LANGUAGE = 20
URL = 2000
OUTLET = 200
AUTHOR = 300
CLAIM_REF = 200
QUANTITY_TEXT = 200
QUANTITY_UNIT = 40
MATCH_KEY = 200
ACTOR = 200  # --as, and every column that records who did something
KEYWORD = 40  # our own words: status, verdict, kind, audit action and command
# --- Text columns: unbounded in both databases, bounded here -----------------------
CLAIM_TEXT = 5_000
QUOTE = 20_000
DESCRIPTION = 20_000
NOTE = 5_000
TITLE = 1_000

COLUMN_LIMITS: dict[str, int] = {
    "party.name": PARTY_NAME, "party.kind": 30, "party.country": COUNTRY,
    "party.wikidata_id": WIKIDATA_ID, "party.description": DESCRIPTION,
    "party_alias.alias": PARTY_NAME, "party_alias.alias_key": PARTY_NAME,
    "party_alias.language": LANGUAGE,
    "source.url": URL, "source.outlet": OUTLET, "source.title": TITLE,
    "source.author": AUTHOR, "source.language": LANGUAGE, "source.archive_url": URL,
    "claim.ref": CLAIM_REF, "claim.text": CLAIM_TEXT, "claim.language": LANGUAGE,
    "claim.quantity_text": QUANTITY_TEXT, "claim.quantity_unit": QUANTITY_UNIT,
    "claim.status": 20, "claim.verdict": 20, "claim.verdict_note": NOTE,
    "claim.match_key": MATCH_KEY, "claim.deleted_by": ACTOR,
    "claim_wording.text": CLAIM_TEXT, "claim_wording.language": LANGUAGE,
    "claim_wording.match_key": MATCH_KEY,
    "stance.kind": 30, "stance.quote": QUOTE, "stance.quote_language": LANGUAGE,
    "evidence.description": DESCRIPTION, "evidence.bearing": 20, "evidence.quote": QUOTE,
    "merge_record.actor": ACTOR, "merge_record.undone_by": ACTOR,
    "match_rejection.actor": ACTOR, "match_rejection.note": NOTE,
    "audit_log.actor": ACTOR, "audit_log.command": KEYWORD, "audit_log.action": KEYWORD,
    "audit_log.entity": KEYWORD,
    "claim_vector.model": 80, "claim_vector.text_hash": 32, "claim_vector.figure_key": MATCH_KEY,
    "claim_series.label": 200, "claim_series.actor": ACTOR, "claim_supersession.actor": ACTOR,
    "source.relay_kind": 20, "evidence.source_reliability": 1, "stance.source_reliability": 1,
}  # fmt: skip

LABELS = {
    "party.name": "party name", "party_alias.alias": "alias",
    "party_alias.alias_key": "alias (folded for lookup)", "source.url": "source URL",
    "source.archive_url": "archive URL", "claim.text": "claim text", "claim.ref": "ref",
    "claim.match_key": "the list of numbers in the claim text", "claim_wording.text": "wording",
    "claim_wording.match_key": "the list of numbers in the wording",
    "evidence.description": "evidence description", "audit_log.actor": "--as",
    "claim.deleted_by": "--as", "merge_record.actor": "--as", "match_rejection.actor": "--as",
}  # fmt: skip

# --- Dates -------------------------------------------------------------------------
FUTURE_TOLERANCE = timedelta(days=3)  # time zones, and a report dated by its embargo
FUTURE_CHECKED = frozenset({"stance.stated_on", "source.published_on", "source.retrieved_on"})

# --- Readers -----------------------------------------------------------------------
MAX_JSON_DEPTH = 32  # an exchange file needs 5 (document, claims, claim, stances, stance)
MAX_RECORD_BYTES = 4 * 2**20  # one claim, party or source, with everything inside it
MAX_STDIN_BYTES = 2**30  # standard input is spooled to disk; a file has no such limit

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_WORD = re.compile(r"\w+")


def check_id(value: int, what: str = "ID") -> int:
    """An id both databases can hold; beyond it SQLite overflows and PostgreSQL errs."""
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_ID <= value <= MAX_ID:
        raise InvalidInput(f"{what} must be a whole number from {MIN_ID} to {MAX_ID}, "
                           f"not {_short(value)}")
    return value


def unstorable(value: str) -> str | None:
    """Why this text cannot be stored on every backend, or None when it can."""
    if value.isascii() and "\x00" not in value:
        return None
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains a NUL character (U+0000), which PostgreSQL cannot store"
    if "\udc80" <= char <= "\udcff":  # how Python passes on bytes that are not UTF-8
        return "is not valid UTF-8"
    return f"contains a lone surrogate (U+{ord(char):04X}), which is not a character"


def check_text(value: str, what: str, limit: int | None = None) -> str:
    """``value`` unchanged, or ``InvalidInput`` naming ``what`` and the limit it breaks."""
    problem = unstorable(value)
    if problem is not None:
        raise InvalidInput(f"{what} {problem}")
    if limit is not None and len(value) > limit:
        raise InvalidInput(f"{what} is too long: at most {limit:,} characters, "
                           f"not {len(value):,}")
    return value


def check_column(column: str, value: Any) -> None:
    """One value bound for ``table.column``, by that column's rules."""
    if isinstance(value, str):
        check_text(value, LABELS.get(column, column.split(".")[1].replace("_", " ")),
                   COLUMN_LIMITS.get(column))
    elif isinstance(value, date) and column in FUTURE_CHECKED:
        check_not_future(value, column.split(".")[1].replace("_", " "))


def check_not_future(day: date | None, what: str) -> date | None:
    latest = date.today() + FUTURE_TOLERANCE
    if day is not None and day > latest:
        raise InvalidInput(f"{what} {day.isoformat()} is in the future (dates more than "
                           f"{FUTURE_TOLERANCE.days} days after today are refused)")
    return day


def check_single_script(value: str, what: str) -> str:
    """Refuse a word that mixes Latin, Cyrillic and Greek letters: a look-alike name.

    Whole words in different scripts are fine ("Russia Россия"); one word that
    switches script is almost always a spoof or a keyboard slip.
    """
    if value.isascii():
        return value
    for word in _WORD.findall(value):
        scripts: dict[str, str] = {}
        for char in word:
            if char.isalpha():
                script = unicodedata.name(char, "").split(" ")[0]
                if script in _CONFUSABLE_SCRIPTS:
                    scripts.setdefault(script, char)
        if len(scripts) > 1:
            odd = [c for s, c in scripts.items() if s != "LATIN"][0]
            described = " and ".join(s.title() for s in scripts)
            raise InvalidInput(
                f"{what} {value!r} mixes {described} letters in one word ({odd!r} is "
                f"U+{ord(odd):04X} {unicodedata.name(odd, '?')}); type it in one script")
    return value


# --- Records of the exchange format ---------------------------------------------------
TEXT, NUMBER, BOOL, LIST, OBJECT = "text", "number", "true or false", "a list", "an object"
_FIELDS: dict[str, dict[str, tuple[str, str | None]]] = {
    "party": {"name": (TEXT, "party.name"), "kind": (TEXT, "party.kind"),
              "country": (TEXT, "party.country"), "parent": (TEXT, "party.name"),
              "wikidata_id": (TEXT, "party.wikidata_id"),
              "description": (TEXT, "party.description"), "aliases": (LIST, None)},
    "alias": {"alias": (TEXT, "party_alias.alias"), "language": (TEXT, "party_alias.language")},
    "source": {"ref": (TEXT, "claim.ref"), "url": (TEXT, "source.url"),
               "outlet": (TEXT, "source.outlet"), "title": (TEXT, "source.title"),
               "author": (TEXT, "source.author"), "language": (TEXT, "source.language"),
               "published_on": (TEXT, None), "retrieved_on": (TEXT, None),
               "archive_url": (TEXT, "source.archive_url")},
    "claim": {"ref": (TEXT, "claim.ref"), "text": (TEXT, "claim.text"),
              "language": (TEXT, "claim.language"), "quantity": (OBJECT, None),
              "period_start": (TEXT, None), "period_end": (TEXT, None),
              "verdict": (TEXT, "claim.verdict"), "verdict_note": (TEXT, "claim.verdict_note"),
              "deleted_at": (TEXT, None), "deleted_by": (TEXT, "claim.deleted_by"),
              "sources": (LIST, None), "wordings": (LIST, None), "stances": (LIST, None),
              "evidence": (LIST, None)},
    "quantity": {"text": (TEXT, "claim.quantity_text"), "low": (NUMBER, None),
                 "high": (NUMBER, None), "unit": (TEXT, "claim.quantity_unit"),
                 "approximate": (BOOL, None)},
    "wording": {"text": (TEXT, "claim_wording.text"),
                "language": (TEXT, "claim_wording.language"), "source": (TEXT, "claim.ref")},
    "stance": {"party": (TEXT, "party.name"), "kind": (TEXT, "stance.kind"),
               "source": (TEXT, "claim.ref"), "quote": (TEXT, "stance.quote"),
               "quote_language": (TEXT, "stance.quote_language"), "stated_on": (TEXT, None)},
    "evidence": {"source": (TEXT, "claim.ref"), "description": (TEXT, "evidence.description"),
                 "bearing": (TEXT, "evidence.bearing"), "quote": (TEXT, "evidence.quote")},
}  # fmt: skip
_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    TEXT: str, NUMBER: (int, float), BOOL: bool, LIST: list, OBJECT: dict}
# Per record kind: (field, expected, Python type, length limit for text, else 0).
_RULES = {
    kind: tuple((name, expected, _PYTHON_TYPES[expected],
                 COLUMN_LIMITS.get(column or "", CLAIM_REF) if expected == TEXT
                 else 0)
                for name, (expected, column) in fields.items())
    for kind, fields in _FIELDS.items()
}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return {str: "text", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def check_record(kind: str, data: Any) -> dict[str, Any]:
    """A record of an import file (``claim``, ``stance``…): an object whose known fields
    have the right JSON type and fit their columns. Unknown fields are left alone (a
    newer version's additions); ``null`` is always allowed, as "not given"."""
    if not isinstance(data, dict):
        raise InvalidInput(f"expected an object, not {_kind_of(data)}")
    for name, expected, python_type, limit in _RULES[kind]:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, python_type) or (expected == NUMBER and isinstance(value, bool)):
            raise InvalidInput(f"{name}: expected {expected}, not {_kind_of(value)}")
        if limit and (len(value) > limit or not value.isascii() or "\x00" in value):
            check_text(value, name, limit)
    return data


def check_texts(values: Iterable[Any], what: str) -> None:
    """Each element of a list of texts (a claim's ``sources``)."""
    for index, value in enumerate(values):
        if not isinstance(value, str):
            raise InvalidInput(f"{what}[{index}]: expected text, not {_kind_of(value)}")
        check_text(value, f"{what}[{index}]", CLAIM_REF)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


# --- The ORM path: every row a flush writes -----------------------------------------
def _check_pending_rows(session: Any, flush_context: Any, instances: Any) -> None:
    """Before a flush: every new row, and every changed value of a row, within limits."""
    from sqlalchemy import inspect

    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table is None:
            continue
        for name, value in vars(obj).items():
            if not name.startswith("_"):
                check_column(f"{table}.{name}", value)
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table is None:
            continue
        for attribute in inspect(obj).attrs:
            history = attribute.history
            for value in history.added or ():
                check_column(f"{table}.{attribute.key}", value)


def _register() -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _check_pending_rows):
        event.listen(Session, "before_flush", _check_pending_rows)


_register()
