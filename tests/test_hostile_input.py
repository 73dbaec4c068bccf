"""Hostile input, on SQLite and PostgreSQL: one line on stderr, a non-zero exit, nothing
written, and the same answer from both backends (issue 14).

The limits come from ``nkru_claims.limits``; the fuzz suites at the end throw generated
arguments and import files at the commands and check only the contract, not the words.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

from nkru_claims import limits
from tests.conftest import SEED_PATH, table_rows

TOO_BIG = "99999999999999999999"
PAST_INT32 = str(2**31)


def everything(url: str) -> dict[str, list]:
    """Every row of every table, the audit log included: a failure writes nothing."""
    return table_rows(url, skip=())


def assert_one_line_error(result: Any, *words: str, notes: bool = False) -> str:
    """The contract: non-zero exit, exactly one stderr line starting 'Error:', no
    traceback; returns the line. ``notes``: allow ``add``'s "Note: …" lines before it
    (it explains a quantity it did not record before the claim is checked)."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    lines = [line for line in result.stderr.splitlines()
             if not (notes and line.startswith("Note: "))]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])
    return lines[0]


def refused(cli_run: Any, url: str, *args: str, words: tuple[str, ...] = (),
            input: str | None = None) -> str:  # noqa: A002
    before = everything(url)
    result = cli_run(*args, input=input)
    line = assert_one_line_error(result, *words)
    assert everything(url) == before
    return line


# --- 1. IDs and limits out of range ----------------------------------------------------
ID_COMMANDS = [
    ("show", "{id}"),
    ("list", "--limit", "{id}"),
    ("list", "--after", "{id}"),
    ("stance", "{id}", "Kremlin", "asserts"),
    ("evidence", "{id}", "fragments found"),
    ("verdict", "{id}", "false"),
    ("merge", "1", "{id}"),
    ("merge", "{id}", "1"),
    ("unmerge", "{id}"),
    ("distinct", "1", "{id}"),
    ("delete", "{id}"),
    ("restore", "{id}"),
    ("edit", "{id}", "--text", "x"),
    ("log", "--claim", "{id}"),
    ("add", "a claim", "--attach-to", "{id}"),
]


@pytest.mark.parametrize("value", [TOO_BIG, PAST_INT32])
@pytest.mark.parametrize("template", ID_COMMANDS, ids=lambda t: " ".join(t[:2]))
def test_ids_out_of_range_are_one_line(seeded_cli, seeded_url, template, value) -> None:
    args = [part.format(id=value) for part in template]
    line = refused(seeded_cli, seeded_url, *args, words=(str(limits.MAX_ID),))
    assert "'" in line  # names the field: 'claim_id', '--limit', 'others'…


@pytest.mark.parametrize("args", [
    ("stance", "1", "Kremlin", "asserts", "--source", TOO_BIG),
    ("stance", "1", "Kremlin", "asserts", "--source", "²"),
    ("compare", f"#{TOO_BIG}", "some text"),
], ids=["source-id", "superscript-digit", "compare"])
def test_source_and_compare_ids_are_one_line(seeded_cli, seeded_url, args) -> None:
    refused(seeded_cli, seeded_url, *args)


def test_largest_id_is_accepted_and_simply_not_found(seeded_cli) -> None:
    result = seeded_cli("show", str(limits.MAX_ID))
    assert_one_line_error(result, f"no claim with id {limits.MAX_ID}")


# --- 2. Text limits, NUL, surrogates, bytes that are not UTF-8 --------------------------
LONG_CASES = [
    (("party", "add", "P" * 300, "--kind", "state"), ("party name", "200")),
    (("party", "alias", "Kremlin", "K" * 300), ("alias", "200")),
    (("add", "Some new claim about shells", "--language", "e" * 300, "--force-new"),
     ("language", "20")),
    (("source", "add", "https://example.org/" + "a" * 3000), ("source URL", "2,000")),
    (("party", "add", "Nobody", "--kind", "state", "--wikidata", "Q" + "1" * 30),
     ("Wikidata", "19")),
    (("--as", "u" * 500, "add", "Some new claim about shells", "--force-new"),
     ("--as", "200")),
    (("add", "x" * (limits.CLAIM_TEXT + 1), "--force-new"), ("claim text", "5,000")),
    (("stance", "1", "Kremlin", "asserts", "--quote-language", "z" * 300),
     ("language", "20")),
    (("add", "Some new claim about shells", "--ref", "r" * 300, "--force-new"),
     ("ref", "200")),
]


@pytest.mark.parametrize("args,words", LONG_CASES, ids=lambda v: str(v)[:30])
def test_text_past_its_limit_is_one_line(seeded_cli, seeded_url, args, words) -> None:
    refused(seeded_cli, seeded_url, *args, words=words)


UNSTORABLE = [("a\x00b", "NUL"), ("a\ud800b", "surrogate"), ("abc\udcff", "UTF-8")]


@pytest.mark.parametrize("text,word", UNSTORABLE, ids=["nul", "surrogate", "not-utf8"])
@pytest.mark.parametrize("where", ["claim", "party", "source", "as", "quote"])
def test_unstorable_text_is_refused_everywhere(seeded_cli, seeded_url, text, word,
                                               where) -> None:
    args = {
        "claim": ("add", text, "--force-new"),
        "party": ("party", "add", text, "--kind", "state"),
        "source": ("source", "add", "https://example.org/" + text),
        "as": ("--as", text, "delete", "1"),
        "quote": ("stance", "1", "Kremlin", "asserts", "--quote", text),
    }[where]
    refused(seeded_cli, seeded_url, *args, words=(word,))


def test_a_non_utf8_argument_from_a_real_shell(seeded_url, tmp_path) -> None:
    """The bytes arrive as surrogate escapes; before, UnicodeEncodeError."""
    before = everything(seeded_url)
    done = subprocess.run(
        [sys.executable, "-m", "nkru_claims", "--db", seeded_url, "add", b"caf\xe9 shells",
         "--force-new"], capture_output=True, timeout=120,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert done.returncode != 0
    stderr = done.stderr.decode("utf-8", "replace").splitlines()
    assert len(stderr) == 1 and stderr[0].startswith("Error: ") and "UTF-8" in stderr[0]
    assert everything(seeded_url) == before


def test_limits_match_the_model_columns() -> None:
    """Declared once: every sized column of the models is in ``COLUMN_LIMITS`` with its
    length, so what one backend stores the other stores too."""
    sized = {f"{table.name}.{column.name}": column.type.length
             for table in SQLModel.metadata.sorted_tables for column in table.columns
             if getattr(column.type, "length", None)}
    assert {k: limits.COLUMN_LIMITS.get(k) for k in sized} == sized


# --- 3. Duplicate refs ---------------------------------------------------------------
def _first_ref(url: str) -> str:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))["claims"][0]["ref"]


def test_duplicate_ref_on_add_and_edit(seeded_cli, seeded_url) -> None:
    ref = _first_ref(seeded_url)
    refused(seeded_cli, seeded_url, "add", "A new claim about drones", "--ref", ref,
            "--force-new", words=("ref", "already"))
    refused(seeded_cli, seeded_url, "edit", "2", "--ref", ref, words=("ref", "already"))
    assert seeded_cli("edit", "1", "--ref", ref).exit_code == 0  # its own ref: no change


# --- 4. Import files with values of the wrong type -------------------------------------
def _document(**claim_changes: Any) -> dict[str, Any]:
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    claim = document["claims"][0]
    claim["ref"] = "hostile-1"
    for path, value in claim_changes.items():
        target = claim
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    document["claims"] = [claim]
    return document


WRONG_TYPES = [
    ({"text": 5}, "claims[0]", "text"),
    ({"language": ["en"]}, "claims[0]", "language"),
    ({"stances": "Kremlin denies"}, "claims[0]", "stances"),
    ({"quantity": "5 million"}, "claims[0]", "quantity"),
    ({"quantity": {"low": 5, "approximate": "no"}}, "claims[0]", "approximate"),
    ({"stances__0__quote": {"text": "x"}}, "claims[0].stances[0]", "quote"),
    ({"stances__0__party": 7}, "claims[0].stances[0]", "party"),
    ({"stances__0": "Kremlin"}, "claims[0].stances[0]", "object"),
    ({"sources": "source-1"}, "claims[0]", "sources"),
    ({"sources": [3]}, "claims[0]", "sources[0]"),
    ({"period_start": 2024}, "claims[0]", "period_start"),
    ({"text": "a\x00b"}, "claims[0]", "NUL"),
    ({"text": "a\ud800b"}, "at byte", "surrogate"),  # found by the reader, before ijson
    ({"language": "x" * 300}, "claims[0]", "20"),
    ({"stances__0__stated_on": "2204-01-01"}, "claims[0].stances[0]", "future"),
]


@pytest.mark.parametrize("changes,where,word", WRONG_TYPES, ids=lambda v: str(v)[:24])
def test_import_with_wrong_types_is_one_line(seeded_cli, seeded_url, tmp_path, changes,
                                             where, word) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document(**changes)), encoding="utf-8")
    line = refused(seeded_cli, seeded_url, "import", str(path), words=(word,))
    assert where in line


@pytest.mark.parametrize("party,word", [
    ({"name": 5, "kind": "state"}, "name"),
    ({"name": "Someone", "kind": "state", "aliases": "S"}, "aliases"),
    ({"name": "Someone", "kind": "state", "aliases": [{"alias": ["S"]}]}, "alias"),
    ({"name": "Someone", "kind": "state", "country": "ÅÖ"}, "country"),
    ({"name": "Russіa", "kind": "state"}, "Cyrillic"),
    ({"name": "N" * 300, "kind": "state"}, "200"),
])
def test_import_with_bad_parties_is_one_line(seeded_cli, seeded_url, tmp_path, party,
                                             word) -> None:
    document = {"format": "nkru-claims", "version": 1, "parties": [party]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    line = refused(seeded_cli, seeded_url, "import", str(path), words=(word,))
    assert "parties[0]" in line


def test_approximate_false_and_true_still_import(cli, db_url, tmp_path) -> None:
    document = _document(quantity={"low": 5, "high": 5, "unit": "shells",
                                   "approximate": False})
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert cli("import", str(path)).exit_code == 0


CSV_CASES = [("claim_language", "x" * 300, "20"), ("claim_ref", "r" * 300, "200"),
             ("quote_language", "q" * 30, "20"), ("party", "Russіa", "Cyrillic"),
             ("stated_on", "2204-01-01", "future"),
             ("source_url", "https://example.org/" + "a" * 3000, "2,000")]


@pytest.mark.parametrize("column,value,word", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_csv_import_past_the_limits_is_one_line(seeded_cli, seeded_url, tmp_path, column,
                                                value, word) -> None:
    import csv
    import io

    exported = tmp_path / "out.csv"
    assert seeded_cli("export", str(exported), "--format", "csv").exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8"))))
    header, row = rows[0], rows[1]
    row[header.index("claim_ref")] = "from-csv"
    row[header.index(column)] = value
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, row])
    line = refused(seeded_cli, seeded_url, "import", str(bad), words=(word,))
    assert "line 2" in line


# --- 5. Bounded readers ----------------------------------------------------------------
def _deep_file(tmp_path: Path, depth: int = 20_000) -> Path:
    path = tmp_path / "deep.json"
    path.write_text('{"format": "nkru-claims", "version": 1, "claims": ['
                    + "[" * depth + "]" * depth + "]}", encoding="utf-8")
    return path


def test_deep_nesting_fails_fast_with_little_memory(seeded_url, tmp_path) -> None:
    """40 KB of brackets took 1 GB and seconds (ijson's prefixes grow with the depth)."""
    path = _deep_file(tmp_path)
    peak_file = tmp_path / "peak"
    # The command's own peak memory (VmHWM, which starts afresh at exec; ru_maxrss would
    # carry over the forking test process's size), written however the command exits.
    probe = ("import os, sys\n"
             "target = sys.argv[1]\n"
             "def peak():\n"
             "    for line in open('/proc/self/status'):\n"
             "        if line.startswith('VmHWM'):\n"
             "            open(target, 'w').write(line.split()[1])\n"
             "real_exit = os._exit\n"
             "os._exit = lambda code: (peak(), real_exit(code))\n"
             "import atexit; atexit.register(peak)\n"
             "from nkru_claims.cli import main\n"
             "sys.argv = ['nkru-claims', *sys.argv[2:]]\n"
             "main()\n")
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", probe, str(peak_file), "--db", seeded_url, "import", str(path)],
        capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    stderr = process.stderr
    assert process.returncode == 1
    assert stderr.startswith("Error: ") and len(stderr.splitlines()) == 1
    assert "nested more than" in stderr and str(limits.MAX_JSON_DEPTH) in stderr
    peak_kb = int(peak_file.read_text())
    assert peak_kb < 250_000, peak_kb  # KB: the interpreter and imports
    assert elapsed < 30


def test_deep_nesting_in_process(seeded_cli, seeded_url, tmp_path) -> None:
    refused(seeded_cli, seeded_url, "import", str(_deep_file(tmp_path)), words=("nested",))


def test_a_record_larger_than_the_limit(seeded_cli, seeded_url, tmp_path,
                                        monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_RECORD_BYTES", 200_000)
    document = _document(stances__0__quote="q" * 300_000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    refused(seeded_cli, seeded_url, "import", str(path), words=("0.19", "MB"))


def test_stdin_stops_at_its_limit_and_leaves_no_file(seeded_cli, seeded_url, tmp_path,
                                                     monkeypatch) -> None:
    import tempfile

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setattr(limits, "MAX_STDIN_BYTES", 3 * 2**20)
    refused(seeded_cli, seeded_url, "import", "-", input="{" + " " * (4 * 2**20),
            words=("standard input is larger than", "3 MB"))
    assert list(spool.iterdir()) == []
    good = SEED_PATH.read_text(encoding="utf-8")
    assert seeded_cli("import", "-", input=good).exit_code == 0
    assert list(spool.iterdir()) == []


def test_cat_dev_zero_into_import_stops_at_once(seeded_url, tmp_path) -> None:
    started = time.monotonic()
    done = subprocess.run(
        f"cat /dev/zero | {sys.executable} -m nkru_claims --db '{seeded_url}' import -",
        shell=True, capture_output=True, timeout=120, env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: standard input is not")
    assert time.monotonic() - started < 60
    assert [p for p in tmp_path.iterdir() if p.name.startswith("nkru")] == []


def _wait_for_spool(pid: int, folder: Path, seconds: float = 60) -> bool:
    """Whether the process opened a file in ``folder`` (already unlinked, as it should)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            targets = []
        if any(target.startswith(str(folder)) for target in targets):
            return True
        time.sleep(0.05)
    return False


def test_a_killed_stdin_import_leaves_no_file(seeded_url, tmp_path) -> None:
    """The spool has no name: even kill -9 leaves nothing in the temporary folder."""
    import signal

    spool = tmp_path / "spool"
    spool.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "nkru_claims", "--db", seeded_url, "import", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(spool)})
    assert process.stdin is not None
    process.stdin.write(b'{"format": "nkru-claims", "version": 1, "claims": [' + b" " * 2**20)
    process.stdin.flush()
    assert _wait_for_spool(process.pid, spool), "the import never opened its spool"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert list(spool.iterdir()) == []


# --- 6. Dates in the future, look-alike party names -------------------------------------
def test_a_stance_dated_in_the_future_is_refused(seeded_cli, seeded_url) -> None:
    refused(seeded_cli, seeded_url, "stance", "1", "Kremlin", "asserts", "--date",
            "2204-01-01", words=("future", str(limits.FUTURE_TOLERANCE.days)))
    refused(seeded_cli, seeded_url, "source", "add", "https://example.org/x", "--published",
            "2204-05-01", words=("future",))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()  # another time zone's today
    assert seeded_cli("stance", "1", "Kremlin", "asserts", "--date", tomorrow).exit_code == 0


@pytest.mark.parametrize("args", [
    ("party", "add", "Russіa", "--kind", "state"),
    ("party", "alias", "Kremlin", "Krеmlin"),  # Cyrillic е
    ("stance", "1", "Russіa", "asserts"),
    ("add", "Some new claim about shells", "--asserted-by", "Russіa", "--create-party",
     "--force-new"),
])
def test_look_alike_party_names_are_refused(seeded_cli, seeded_url, args) -> None:
    refused(seeded_cli, seeded_url, *args, words=("Cyrillic", "U+0"))


def test_names_in_one_script_each_are_fine(seeded_cli) -> None:
    assert seeded_cli("party", "add", "Россия Russia", "--kind", "state").exit_code == 0
    assert seeded_cli("party", "add", "Ελλάδα", "--kind", "state").exit_code == 0


# --- 7. Fuzzing --------------------------------------------------------------------
FUZZ = settings(max_examples=int(os.environ.get("NKRU_FUZZ_EXAMPLES", "25")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
HOSTILE = ["\x00", "\ud800", "\udcff", "[/]", "\x1b[2J", "=HYPERLINK()", "Russіa", "\u202e",
           "9" * 25, "-1", "0", "²", "١٢", "", " ", "\n", "Kremlin"]
ids = st.one_of(st.integers(-(10**25), 10**25).map(str), st.sampled_from(HOSTILE))
texts = st.one_of(
    st.text(st.characters(codec=None, categories=None), max_size=30),
    st.sampled_from(HOSTILE),
    st.builds(lambda char, count: char * count, st.characters(codec=None, categories=None),
              st.sampled_from([199, 201, 2001, 5001])),
)
COMMANDS = [
    lambda i, t: ["show", i], lambda i, t: ["list", "--limit", i],
    lambda i, t: ["list", "--after", i, "--search", t],
    lambda i, t: ["stance", i, t, "asserts"], lambda i, t: ["stance", "1", t, "denies"],
    lambda i, t: ["stance", "1", "Kremlin", "asserts", "--source", t, "--quote", t],
    lambda i, t: ["evidence", i, t], lambda i, t: ["verdict", i, t],
    lambda i, t: ["merge", i, "2"], lambda i, t: ["unmerge", i], lambda i, t: ["delete", i],
    lambda i, t: ["distinct", "1", i, "--note", t], lambda i, t: ["log", "--claim", i],
    lambda i, t: ["party", "add", t, "--kind", "state", "--country", t[:3]],
    lambda i, t: ["party", "alias", "Kremlin", t], lambda i, t: ["party", "show", t],
    lambda i, t: ["source", "add", "https://example.org/" + t, "--language", t],
    lambda i, t: ["add", t, "--force-new", "--language", t[:25]],
    lambda i, t: ["--as", t, "add", "A new claim about shells", "--force-new"],
    lambda i, t: ["edit", i, "--ref", t], lambda i, t: ["add", "x y z", "--date", t],
]


@FUZZ
@given(command=st.sampled_from(COMMANDS), id_text=ids, text=texts)
def test_fuzz_command_arguments(seeded_cli, seeded_url, command, id_text, text) -> None:
    args = command(id_text, text)
    before = everything(seeded_url)
    result = seeded_cli(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args, repr(result.exception))
    if result.exit_code != 0:
        assert_one_line_error(result, notes=True)
        assert everything(seeded_url) == before, args


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False)
    | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6,
)
CLAIM_FIELDS = ["ref", "text", "language", "quantity", "period_start", "verdict", "sources",
                "wordings", "stances", "evidence", "stances__0", "stances__0__party",
                "stances__0__kind", "stances__0__stated_on", "stances__0__quote",
                "quantity__approximate", "quantity__low", "quantity__unit"]


DEEP = "__nested_{}__"  # replaced by that many brackets once the document is text
_DEEP_MARK = re.compile(r'"__nested_(\d+)__"')


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(CLAIM_FIELDS), json_values | st.sampled_from(
    [DEEP.format(10), DEEP.format(40), DEEP.format(20_000)]), min_size=1, max_size=3))
def test_fuzz_import_files(seeded_cli, seeded_url, tmp_path, changes) -> None:
    document = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    claim = {**document["claims"][1], "ref": "fuzzed", "quantity": {"low": 1, "high": 2}}
    for path, value in changes.items():
        target: Any = claim
        *parents, last = path.split("__")
        try:
            for part in parents:
                target = target[0] if part == "0" else target[part]
            target[last] = value
        except (KeyError, IndexError, TypeError):
            continue
    document["claims"] = [claim]
    file = tmp_path / "fuzzed.json"
    text = _DEEP_MARK.sub(lambda m: "[" * int(m[1]) + "]" * int(m[1]),
                          json.dumps(document, ensure_ascii=True))
    file.write_text(text, encoding="utf-8")
    before = everything(seeded_url)
    result = seeded_cli("import", str(file))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        changes, repr(result.exception))
    if result.exit_code != 0:
        assert_one_line_error(result, notes=True)
        assert everything(seeded_url) == before


# --- The bounded reader agrees with a real parser ---------------------------------------
def _real_depth(node: Any) -> int:
    if isinstance(node, list):
        return 1 + max((_real_depth(n) for n in node), default=0)
    if isinstance(node, dict):
        return 1 + max((_real_depth(n) for n in node.values()), default=0)
    return 0


def _has_lone_surrogate(node: Any) -> bool:
    if isinstance(node, str):
        return limits.unstorable(node.replace("\x00", "")) is not None
    if isinstance(node, list):
        return any(_has_lone_surrogate(n) for n in node)
    if isinstance(node, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in node.items())
    return False


tricky_text = st.text(st.sampled_from(['a', '"', "\\", "[", "]", "{", "}", "\ud83d", "\ude00",
                                       "\U0001f600", "\u00e9"]), max_size=8)
json_trees = st.recursive(
    st.none() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=25)


@settings(max_examples=6 * int(os.environ.get("NKRU_FUZZ_EXAMPLES", "25")), deadline=None)
@given(value=json_trees | st.builds(_nested, st.integers(25, 40)), chunk=st.integers(1, 19),
       ascii_only=st.booleans())
def test_bounded_reader_agrees_with_the_parser(value, chunk, ascii_only) -> None:
    """Read in tiny chunks, valid JSON ends at depth 0 outside a string; it is refused
    exactly when it nests too deeply or holds a lone surrogate."""
    import io

    from nkru_claims.errors import ImportFormatError
    from nkru_claims.json_stream import _BoundedJson

    document = {"claims": [value]}
    encoded = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    too_deep = _real_depth(document) > limits.MAX_JSON_DEPTH
    lone = ascii_only and _has_lone_surrogate(json.loads(encoded))  # pairs rejoin there
    reader = _BoundedJson(io.BytesIO(encoded))
    try:
        while reader.read(chunk):
            pass
    except ImportFormatError as exc:
        assert too_deep or lone, (str(exc), encoded[:200])
        return
    assert not too_deep and not lone, encoded[:200]
    assert reader.depth == 0 and not reader.in_string


# --- Anything SQLite accepts, PostgreSQL accepts: export from one, import into the other
@pytest.mark.postgres
def test_hostile_text_at_every_limit_moves_from_sqlite_to_postgres(
        runner, tmp_path, sqlite_template, request) -> None:
    import shutil

    from nkru_claims.cli import app
    from tests.conftest import _empty_postgres

    postgres_url = request.getfixturevalue("migrated_postgres_url")
    _empty_postgres(postgres_url)
    shutil.copy(sqlite_template, tmp_path / "source.db")
    sqlite_url = f"sqlite:///{tmp_path / 'source.db'}"

    def run(url: str, *args: str) -> Any:
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 0, (args[:3], result.output)
        return result

    hostile = ("\x1b[2J\x1b]0;pwned\x07 [/] [link=https://evil.example]x[/link] "
               "=HYPERLINK() \u202e 😀 ")
    name = ("Москва " + "Kremlin " * 30)[:limits.PARTY_NAME - 1] + "К"
    run(sqlite_url, "--as", "a" * limits.ACTOR, "party", "add", name, "--kind", "state",
        "--wikidata", "Q" + "9" * (limits.WIKIDATA_ID - 1), "--alias",
        "普京" * (limits.PARTY_NAME // 2) + "@" + "x" * limits.LANGUAGE)
    run(sqlite_url, "source", "add", "https://example.org/" + "a" * (limits.URL - 20),
        "--title", hostile + "t" * (limits.TITLE - len(hostile)), "--language", "l" * 20)
    text = (hostile + "北韓向俄羅斯運送了砲彈 " * 400)[:limits.CLAIM_TEXT]
    run(sqlite_url, "add", text, "--force-new", "--no-quantity", "--language",
        "z" * limits.LANGUAGE, "--ref", "r" * limits.CLAIM_REF, "--asserted-by", name,
        "--quote", hostile + "q" * (limits.QUOTE - len(hostile)), "--quote-language",
        "y" * limits.LANGUAGE)
    exported = tmp_path / "all.json"
    run(sqlite_url, "export", str(exported))
    run(postgres_url, "import", str(exported))
    again = tmp_path / "again.json"
    run(postgres_url, "export", str(again))
    assert json.loads(again.read_text(encoding="utf-8")) == json.loads(
        exported.read_text(encoding="utf-8"))
