"""Reading an exchange-format file without holding it in memory.

A wire archive of a million claims is a 600 MB file; ``json.loads`` turns it into
several GB of Python objects before the first claim is checked. Here ijson's C parser
reads the small head (format, version, parties, sources) first, then yields the
claims one by one from a second pass over the file, so memory stays flat.

Our exports put the claims last. A hand-written file that puts them before parties or
sources is still read correctly: the claims are then built in memory with the head.

Every pass reads through ``_BoundedJson``, which looks at the bytes before ijson does and
stops a file that nests deeper than ``limits.MAX_JSON_DEPTH`` (ijson's prefixes make
memory grow with the square of the depth: 20,000 brackets took 1 GB), or whose one
record, string or number runs past ``limits.MAX_RECORD_BYTES``, and refuses a lone
surrogate escape (``"\\ud800"``), which yajl would store as '?'. Standard input is
spooled to an unnamed temporary file, at most ``limits.MAX_STDIN_BYTES`` of it, which
the system removes however the process ends.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from nkru_claims import limits
from nkru_claims.errors import ImportFormatError
from nkru_claims.exchange import check_format

BOM = b"\xef\xbb\xbf"
HEAD_KEYS = frozenset({"format", "version", "parties", "sources"})


@dataclass
class JsonDocument:
    """The head of a document, and where its claims come from."""

    head: dict[str, Any]
    path: str | IO[bytes]  # a file's path, or the spooled standard input
    size: int
    claims_in_head: bool = False
    position: int = 0  # bytes of the file ``claims()`` has read, for a progress bar

    def claims(self) -> Iterator[Any]:
        if self.claims_in_head:
            claims = self.head.get("claims")
            if claims is not None and not isinstance(claims, list):
                raise ImportFormatError("claims: expected a list")
            yield from claims or []
            return
        import ijson

        if _claims_is_not_a_list(self.path):
            raise ImportFormatError("claims: expected a list")
        with _open(self.path) as handle, _json_errors():
            for claim in ijson.items(handle, "claims.item", use_float=True):
                self.position = handle.tell()
                yield claim


def _claims_is_not_a_list(path: str | IO[bytes]) -> bool:
    """ijson yields nothing for ``"claims": 5``; tell that apart from a list. Cheap: the
    head before the claims is small, and the look stops at their first token. (Events
    without prefixes: ``ijson.parse`` builds one per event, as long as the depth.)"""
    import ijson

    depth, key_seen = 0, False
    with _open(path) as handle, _json_errors():
        for event, value in ijson.basic_parse(handle):
            if key_seen:
                return event != "start_array" and event != "null"
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
            elif event == "map_key" and depth == 1 and value == "claims":
                key_seen = True
    return False


@contextmanager
def _open(path: str | IO[bytes]) -> Iterator[_BoundedJson]:
    """The file from its start (past a BOM), read through the bounds; a spooled file
    stays open for the next pass."""
    handle = open(path, "rb") if isinstance(path, str) else path  # noqa: SIM115
    try:
        handle.seek(0)
        if handle.read(3) != BOM:
            handle.seek(0)
        yield _BoundedJson(handle)
    finally:
        if isinstance(path, str):
            handle.close()


_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_PAIRED_QUOTES = re.compile(rb'"[^"]*"')
# A \uD800-\uDBFF escape not followed by a \uDC00-\uDFFF one, or the other way round:
# yajl turns the first into '?' and fails on the second with a misleading error.
_SURROGATE_ESCAPE = re.compile(
    rb'\\u[dD](?:[89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|[c-fC-F][0-9a-fA-F]{2})')
_HIGH_SURROGATE_ESCAPE = re.compile(rb'\\u[dD][89abAB][0-9a-fA-F]{2}')
_START_OF_LOW_SURROGATE = re.compile(rb'\\(?:u(?:[dD](?:[c-fC-F][0-9a-fA-F]?)?)?)?')
_RECORD_DEPTH = 3  # document, a top-level list, one record in it


class _BoundedJson:
    """A file whose bytes are checked as ijson reads them: nesting depth, the size of
    one record (a member of a top-level list), of one string and of any other token.

    Each chunk is boiled down with bytes methods, all in C: escapes dropped, then all but
    quotes and brackets, then the brackets inside strings (an odd number of quotes before
    them). Matched pairs of brackets are then folded away a level at a time, so the depth
    is followed with a few passes over a small string. Sizes are measured a chunk at a
    time, close enough for limits of megabytes. What is valid JSON is still ijson's call.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.depth = 0
        self.in_string = False
        self.carried = b""  # backslashes at the end of a chunk: their escape goes on
        self.consumed = 0  # bytes read so far
        self.record_start: int | None = None
        self.string_start = 0
        self.last_structure = 0
        self.tail = b""  # the end of the last chunk: an escape may straddle two

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        if chunk:
            self._scan(chunk)
        return chunk

    def tell(self) -> int:
        return self.raw.tell()

    def _scan(self, chunk: bytes) -> None:
        data = self.carried + chunk
        body = data.rstrip(b"\\")
        self.carried = data[len(body):]
        start, self.consumed = self.consumed, self.consumed + len(chunk)
        self._refuse_lone_surrogates(chunk, start)
        if b"\\" in body:  # rare outside Windows paths: skip two copies of the chunk
            body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
        skeleton = body.translate(None, _NOT_STRUCTURE)
        if not skeleton:
            self._check_sizes()
            return
        self.last_structure = self.consumed
        if self.in_string:
            skeleton = b'"' + skeleton
        skeleton = skeleton.replace(b'""', b"")  # parity before every bracket unchanged
        was_in_string, self.in_string = self.in_string, skeleton.count(b'"') % 2 == 1
        if self.in_string:
            skeleton = skeleton[:skeleton.rindex(b'"')]
            if not was_in_string or b'"' in chunk:
                self.string_start = start
        if b'"' in skeleton:
            skeleton = _PAIRED_QUOTES.sub(b"", skeleton)
        if skeleton:
            self._follow(skeleton, start)
        self._check_sizes()

    def _refuse_lone_surrogates(self, chunk: bytes, start: int) -> None:
        """Each escape is judged in the window where its neighbours are all in view:
        at least 6 bytes in (the tail of the last chunk comes first), and not at the
        very end when the next chunk may bring its low half."""
        window = self.tail + chunk
        window_start = start - len(self.tail)
        cut = window_start > 0  # the window starts after the start of the file
        self.tail = window[-18:]
        if b"\\ud" not in window and b"\\uD" not in window:
            return
        for found in _SURROGATE_ESCAPE.finditer(window):
            at, rest = found.start(), window[found.end():]
            if cut and at < 6:
                continue  # judged in the last window, with what came before it
            backslashes = len(window[:at]) - len(window[:at].rstrip(b"\\"))
            if backslashes % 2:
                continue  # an escaped backslash, then the letters 'ud…'
            if found.group()[3:4] in b"cdefCDEF":  # a low half: lone unless a high one leads
                if _HIGH_SURROGATE_ESCAPE.fullmatch(window, max(at - 6, 0), at):
                    continue
            elif not rest or len(rest) < 6 and _START_OF_LOW_SURROGATE.fullmatch(rest):
                continue  # its low half may start the next chunk
            escape = found.group().decode("ascii")
            raise ImportFormatError(f"the text at byte {window_start + at:,} holds a lone "
                                    f"surrogate ({escape}), which is not a character")

    def _follow(self, brackets: bytes, start: int) -> None:
        folded = 0  # levels of matched pairs folded away: the depth they reached
        while folded <= limits.MAX_JSON_DEPTH:
            smaller = brackets.replace(b"[]", b"").replace(b"{}", b"")
            if len(smaller) == len(brackets):
                break
            brackets, folded = smaller, folded + 1
        depth = peak = low = self.depth
        for byte in brackets:  # unmatched closers, then openers: short in a valid file
            depth += 1 if byte in b"[{" else -1
            peak, low = max(peak, depth), min(low, depth)
            if peak + folded > limits.MAX_JSON_DEPTH:
                break
        if peak + folded > limits.MAX_JSON_DEPTH:
            raise ImportFormatError(
                f"JSON nested more than {limits.MAX_JSON_DEPTH} levels deep (near byte "
                f"{start:,}); an exchange file needs 5")
        if low < _RECORD_DEPTH or (folded and self.depth < _RECORD_DEPTH):
            self.record_start = None  # a record ended, or began and ended, in this chunk
        if depth >= _RECORD_DEPTH and self.record_start is None:
            self.record_start = start
        self.depth = depth

    def _check_sizes(self) -> None:
        most = limits.MAX_RECORD_BYTES
        shown = f"{most / 2**20:g} MB"
        if self.record_start is not None and self.consumed - self.record_start > most:
            raise ImportFormatError(f"the record starting near byte {self.record_start:,} "
                                    f"is larger than {shown}, the most one claim, party or "
                                    "source may take")
        if self.in_string and self.consumed - self.string_start > most:
            raise ImportFormatError(f"the text starting near byte {self.string_start:,} is "
                                    f"longer than {shown}")
        if not self.in_string and self.consumed - self.last_structure > most:
            raise ImportFormatError(f"more than {shown} without a JSON bracket or string "
                                    f"(from byte {self.last_structure:,})")


@contextmanager
def _json_errors() -> Iterator[None]:
    """ijson's errors as one line: what is wrong, and (yajl's words) where."""
    import ijson

    try:
        yield
    except ijson.JSONError as exc:
        detail = " ".join(str(exc).split())
        raise ImportFormatError(f"not valid JSON: {detail[:200]}") from None
    except UnicodeDecodeError:
        raise ImportFormatError("the file is not UTF-8 text") from None


def read_document(path: str | IO[bytes]) -> JsonDocument:
    """The head of the exchange-format file at ``path``, checked; claims stay on disk."""
    import ijson

    head: dict[str, Any] = {}
    with _open(path) as handle, _json_errors():
        for key, value in ijson.kvitems(handle, "", use_float=True):
            head[key] = value
            if head.keys() >= HEAD_KEYS:
                break
    check_format(head)
    size = os.path.getsize(path) if isinstance(path, str) else os.fstat(path.fileno()).st_size
    return JsonDocument(head, path, size, claims_in_head="claims" in head)


STDIN_CHUNK = 2**20


@contextmanager
def spooled_stdin() -> Iterator[IO[bytes]]:
    """Standard input copied to a temporary file: the reader passes over the file twice.

    The file has no name (``TemporaryFile`` unlinks it at once), so nothing is left in
    /tmp after an error, Ctrl-C or even kill -9. At most ``limits.MAX_STDIN_BYTES`` are
    copied, and input that cannot be an exchange file (``cat /dev/zero``) stops at once.
    """
    source = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    with tempfile.TemporaryFile(prefix="nkru-claims-stdin-") as spool:
        total, looked = 0, False
        while True:
            chunk = source.read(STDIN_CHUNK) if source is not None else (
                sys.stdin.read(STDIN_CHUNK).encode("utf-8", "surrogateescape"))
            if not chunk:
                break
            if not looked:
                looked = _looks_like_json(chunk)
            total += len(chunk)
            if total > limits.MAX_STDIN_BYTES:
                raise ImportFormatError(
                    f"standard input is larger than {limits.MAX_STDIN_BYTES / 2**20:,.0f} MB, "
                    "the most 'import -' reads: save it to a file and import the file")
            spool.write(chunk)
        spool.seek(0)
        yield spool


def _looks_like_json(chunk: bytes) -> bool:
    """Whether the start of the input has been seen; refuses one that is not an object."""
    start = chunk[3:] if chunk.startswith(BOM) else chunk
    start = start.lstrip(b" \t\r\n")
    if not start:
        return False
    if start[:1] != b"{":
        raise ImportFormatError(f"standard input is not an nkru-claims JSON file (it starts "
                                f"with byte 0x{start[0]:02x}, not '{{')")
    return True
