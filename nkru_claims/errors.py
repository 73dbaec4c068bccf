"""One exception family for everything a user can cause.

The CLI catches ``NkruError`` and prints its message as a single line; anything
else escaping the core is a bug and is allowed to surface with a traceback.
"""

from __future__ import annotations


class NkruError(Exception):
    """Base class: a problem with the user's input or data, never a bug."""


class InvalidInput(NkruError):
    """A value given on the command line or in a file cannot be understood."""


class NotFound(NkruError):
    """A claim, party, source or record named by the user does not exist."""


class UnknownParty(NotFound):
    """A party name or alias that resolves to no known party."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = suggestions or []
        hint = ""
        if self.suggestions:
            hint = "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(
            f"unknown party {name!r}{hint} (add it with 'party add' or pass --create-party)"
        )


class Conflict(NkruError):
    """The change would break a uniqueness rule (a duplicate alias, URL, name…)."""


class ImportFormatError(InvalidInput):
    """An import file is not valid JSON or does not follow the fixture format."""
