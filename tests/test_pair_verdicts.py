"""`compare --pairs` and `evaluate`: verdicts in bands across languages, in order."""

from __future__ import annotations

import json

from nkru_claims.matching.scoring import DIFFERENT, SAME, conflicts, judge_pairs

ENGLISH = "North Korea shipped about 6,700 containers of munitions to Russia"
TRANSLATIONS = [
    "朝鲜向俄罗斯运送了约6700个集装箱的弹药",
    "北韓向俄羅斯運送了約6700個貨櫃的彈藥",
    "북한은 러시아에 탄약 컨테이너 약 6천700개를 보냈다",
    "北朝鮮はロシアに弾薬入りのコンテナ約6700個を送った",
]


def test_translations_of_one_claim_are_the_same_claim() -> None:
    verdicts = judge_pairs([(ENGLISH, t) for t in TRANSLATIONS])
    assert [v.band for v in verdicts] == [SAME] * len(TRANSLATIONS)


def test_a_changed_figure_or_a_negation_is_never_the_same_claim() -> None:
    changed = [
        "北韓向俄羅斯運送了約7600個貨櫃的彈藥",
        "북한은 러시아에 탄약 컨테이너 약 1만3천개를 보냈다",
        "North Korea did not ship 6,700 containers of munitions to Russia",
        "北朝鮮はロシアに弾薬入りのコンテナを送っていない",
    ]
    verdicts = judge_pairs([(ENGLISH, t) for t in changed])
    assert [v.band for v in verdicts] == [DIFFERENT] * len(changed)
    assert all(v.reasons for v in verdicts)


def test_units_that_differ_conflict_even_with_the_same_number() -> None:
    assert conflicts("6,700 containers were shipped", "6,700 shells were shipped")


def test_compare_pairs_prints_one_verdict_per_pair_in_order(cli, tmp_path) -> None:
    pairs = [{"a": ENGLISH, "b": TRANSLATIONS[0]},
             {"a": ENGLISH, "b": "Russia and North Korea signed a treaty in Pyongyang"}]
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")
    result = cli("compare", "--pairs", str(path), "--json")
    assert result.exit_code == 0, result.output
    verdicts = json.loads(result.stdout)
    assert [v["duplicate"] for v in verdicts] == [True, False]
    assert {"duplicate", "band", "score", "reasons"} <= verdicts[0].keys()
    assert 0 <= verdicts[1]["score"] <= 100


def test_evaluate_reports_precision_and_recall_by_kind(cli, tmp_path) -> None:
    pairs = [{"a": ENGLISH, "b": TRANSLATIONS[0], "duplicate": True, "kind": "translation"},
             {"a": ENGLISH, "b": "North Korea did not ship 6,700 containers of munitions to Russia",
              "duplicate": False, "kind": "negation"}]
    path = tmp_path / "labelled.json"
    path.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")
    result = cli("evaluate", str(path), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["all"]["precision"] == 1.0 and report["all"]["recall"] == 1.0
    assert set(report) == {"all", "translation", "negation"}


def test_a_broken_pairs_file_is_one_line(cli, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"a": 1}]', encoding="utf-8")
    result = cli("compare", "--pairs", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error:") and "\n" not in result.stderr.strip()
