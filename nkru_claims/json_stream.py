"""Reading an exchange-format file without holding it in memory.

A wire archive of a million claims is a 600 MB file; ``json.loads`` turns it into
several GB of Python objects before the first claim is checked. Here ijson's C parser
reads the small head (format, version, parties, sources) first, then yields the
claims one by one from a second pass over the file, so memory stays flat.

Our exports put the claims last. A hand-written file that puts them before parties or
sources is still read correctly: the claims are then built in memory with the head.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from nkru_claims.errors import ImportFormatError
from nkru_claims.exchange import check_format

BOM = b"\xef\xbb\xbf"
HEAD_KEYS = frozenset({"format", "version", "parties", "sources"})


@dataclass
class JsonDocument:
    """The head of a document, and where its claims come from."""

    head: dict[str, Any]
    path: str
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


def _claims_is_not_a_list(path: str) -> bool:
    """ijson yields nothing for ``"claims": 5``; tell that apart from a list. Cheap: the
    head before the claims is small, and the look stops at their first token."""
    import ijson

    with _open(path) as handle, _json_errors():
        for prefix, event, _ in ijson.parse(handle):
            if prefix == "claims":
                return event != "start_array" and event != "null"
    return False


@contextmanager
def _open(path: str) -> Iterator[IO[bytes]]:
    handle = open(path, "rb")  # noqa: SIM115 (closed below)
    try:
        if handle.read(3) != BOM:
            handle.seek(0)
        yield handle
    finally:
        handle.close()


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


def read_document(path: str) -> JsonDocument:
    """The head of the exchange-format file at ``path``, checked; claims stay on disk."""
    import ijson

    head: dict[str, Any] = {}
    with _open(path) as handle, _json_errors():
        for key, value in ijson.kvitems(handle, "", use_float=True):
            head[key] = value
            if head.keys() >= HEAD_KEYS:
                break
    check_format(head)
    return JsonDocument(head, path, os.path.getsize(path), claims_in_head="claims" in head)


@contextmanager
def spooled_stdin() -> Iterator[str]:
    """Standard input copied to a temporary file: the reader passes over the file twice."""
    with tempfile.TemporaryDirectory(prefix="nkru-claims-stdin-") as folder:
        path = os.path.join(folder, "stdin.json")
        with open(path, "wb") as out:
            source = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
            if source is None:
                out.write(sys.stdin.read().encode("utf-8"))
            else:
                shutil.copyfileobj(source, out)
        yield path
