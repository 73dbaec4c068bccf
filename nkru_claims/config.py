"""Where the database is: ``--db``, then ``NKRU_CLAIMS_DB``, then a per-user default.

A value is either a SQLAlchemy URL (``postgresql+psycopg://host/db``) or a path to a
SQLite file. The per-user default follows the XDG convention on Linux
(``$XDG_DATA_HOME/nkru-claims/claims.db``) and the platform's data folder elsewhere.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "NKRU_CLAIMS_DB"
# The lowest text similarity (0-100) at which two claims can be duplicates; the facts
# must agree as well. Chosen on tests/data/match_pairs.jsonl (see the README).
DEFAULT_THRESHOLD = 75.0
ACTOR_ENV_VAR = "NKRU_CLAIMS_USER"
# Claims a listing or report shows unless told otherwise: a page a person can read, and
# an answer that stays instant on a database of a million claims. --all shows every one.
PAGE_SIZE = 50


def default_database_path() -> Path:
    """The SQLite file used when nothing else is given."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "nkru-claims" / "claims.db"


def looks_like_url(value: str) -> bool:
    return "://" in value


def database_url(value: str | None = None) -> str:
    """Turn an option, the environment or the default into a SQLAlchemy URL."""
    chosen = value or os.environ.get(ENV_VAR) or str(default_database_path())
    if looks_like_url(chosen):
        return chosen
    path = Path(chosen).expanduser()
    return f"sqlite:///{path}"


def database_label(url: str) -> str:
    """How messages name a database: a SQLite file by its absolute path, any other
    database by its URL without the password."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # not a URL: let redact_url say so without echoing it
        return redact_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        return str(Path(parsed.database).expanduser().absolute())
    return redact_url(url)


def redact_url(url: str) -> str:
    """Hide a password so that errors and logs never print one."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show nothing that might be secret
        return "<database URL>"
