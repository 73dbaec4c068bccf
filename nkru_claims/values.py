"""Checking and normalising the plain values users type: dates, URLs, choices, text."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from nkru_claims.errors import InvalidInput

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref_src)$", re.I)


def parse_date(text: str | None, *, end_of_period: bool = False) -> date | None:
    """'2024', '2024-10' or '2024-10-18'; a partial date is the period's first day, or last."""
    if text is None or isinstance(text, date):
        return text
    if not isinstance(text, str):  # str(5) would read a number in an import as year 5
        raise InvalidInput(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return _parse_date_text(text, end_of_period)


@lru_cache(maxsize=4096)
def _parse_date_text(text: str, end_of_period: bool) -> date | None:
    """Cached: an import of a million stances names a few thousand distinct days."""
    if not text.strip():
        return None
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise InvalidInput(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return date(year, 12, 31) if end_of_period else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last if end_of_period else 1)
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"not a date: {text!r}") from None


def normalise_url(url: str | None) -> str | None:
    """One spelling per address: lower-case host, no default port, fragment or tracking."""
    if url is None or not url.strip():
        return None
    from url_normalize import url_normalize

    raw = url.strip()
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in raw:
        raise InvalidInput(f"not a web address: {url!r} (expected http:// or https://…)")
    try:
        normalised = url_normalize(raw)
    except Exception:  # url_normalize raises bare errors on malformed input
        raise InvalidInput(f"not a web address: {url!r}") from None
    parts = urlsplit(normalised)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """Accept a value from a fixed list, forgiving case and dashes."""
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in allowed:
        raise InvalidInput(f"unknown {what} {value!r}; choose one of: {', '.join(allowed)}")
    return cleaned


def required_text(value: str | None, what: str) -> str:
    if value is not None and not isinstance(value, str):  # a number or list in an import
        raise InvalidInput(f"{what}: expected text, not {type(value).__name__}")
    if value is None or not value.strip():
        raise InvalidInput(f"{what} cannot be empty")
    return value.strip()


def optional_text(value: str | None, what: str = "value") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what}: expected text, not {type(value).__name__}")
    value = value.strip()
    return value or None
