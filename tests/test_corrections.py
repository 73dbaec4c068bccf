"""Every mistake can be corrected, every correction is in the log and can be undone;
unmerge leaves what happened after the merge; a merge by hand checks and keeps verdicts."""

from __future__ import annotations

import json
import re

from tests.conftest import in_session
from tests.test_cli_claims import one_error_line

SHELLS = "North Korea shipped 5 million artillery shells to Russia"
CONTAINERS = "North Korea shipped 10,000 containers of munitions to Russia"


def ok(result) -> str:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return result.stdout


def claim_id(result) -> int:  # noqa: ANN001
    return int(re.search(r"claim #(\d+)", ok(result))[1])


def shown(cli, claim: int) -> dict:  # noqa: ANN001
    return json.loads(ok(cli("show", str(claim), "--json")))


def stance_ids(detail: dict) -> list[int]:
    return sorted(s["id"] for group in detail["stances"].values() for s in group)


def log(cli, *args: str) -> list[dict]:  # noqa: ANN001
    return json.loads(ok(cli("log", "--json", "--limit", "1000", *args)))


def latest_entry(cli, action: str, entity: str) -> int:  # noqa: ANN001
    return next(e["id"] for e in log(cli) if e["action"] == action and e["entity"] == entity)


# ---------------------------------------------------------------- stances and evidence


def test_a_stance_recorded_twice_can_be_deleted_and_restored(cli) -> None:  # noqa: ANN001
    claim = claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    ok(cli("stance", str(claim), "Kremlin", "denies", "--create-party"))
    ok(cli("stance", str(claim), "Kremlin", "denies"))
    assert shown(cli, claim)["status"] == "contested"
    twice = stance_ids(shown(cli, claim))[-1]
    assert "undo: nkru-claims restore-stance" in ok(cli("delete-stance", str(twice)))
    assert twice not in stance_ids(shown(cli, claim))
    assert f"no stance with id {twice}" in one_error_line(cli("delete-stance", str(twice)))
    ok(cli("restore-stance", str(twice)))
    assert twice in stance_ids(shown(cli, claim))
    assert [e["action"] for e in log(cli, "--entity", "stance", "--id", str(twice))] == [
        "undo", "delete", "add"]


def test_editing_a_stance_changes_the_status_and_undo_puts_it_back(cli) -> None:  # noqa: ANN001
    claim = claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    ok(cli("stance", str(claim), "Kremlin", "denies", "--create-party"))
    denial = stance_ids(shown(cli, claim))[-1]
    out = ok(cli("edit-stance", str(denial), "--kind", "questions", "--quote", "maybe"))
    assert "kind: denies → questions" in out
    assert shown(cli, claim)["status"] == "questioned"  # nobody denies any more
    ok(cli("undo", str(latest_entry(cli, "edit", "stance"))))
    detail = shown(cli, claim)
    assert detail["status"] == "contested"
    assert detail["stances"]["denies"][0]["quote"] is None
    assert "already undone" in one_error_line(
        cli("undo", str(latest_entry(cli, "edit", "stance"))))


def test_evidence_can_be_edited_deleted_and_restored(cli) -> None:  # noqa: ANN001
    claim = claim_id(cli("add", SHELLS))
    ok(cli("source", "add", "https://example.org/a", "--outlet", "Example"))
    added = ok(cli("evidence", str(claim), "Fragments found", "--source", "1"))
    evidence = int(re.search(r"evidence #(\d+)", added)[1])
    ok(cli("edit-evidence", str(evidence), "--bearing", "undermines"))
    assert shown(cli, claim)["evidence"][0]["bearing"] == "undermines"
    ok(cli("delete-evidence", str(evidence)))
    assert shown(cli, claim)["evidence"] == []
    ok(cli("restore-evidence", str(evidence)))
    assert shown(cli, claim)["evidence"][0]["id"] == evidence
    assert one_error_line(cli("edit-evidence", str(evidence), "--bearing", "sideways"))


# ---------------------------------------------------------------- parties and sources


def test_a_party_typo_is_renamed_and_the_rename_undone(cli) -> None:  # noqa: ANN001
    claim = claim_id(cli("add", SHELLS, "--denied-by", "Kremlim", "--create-party"))
    out = ok(cli("party", "edit", "Kremlim", "--name", "Kremlin", "--kind", "government_body",
                 "--country", "ru", "--wikidata", "Q42"))
    assert "name: Kremlim → Kremlin" in out
    party = json.loads(ok(cli("party", "show", "Kremlin", "--json")))
    assert (party["kind"], party["country"], party["wikidata_id"]) == (
        "government_body", "RU", "Q42")
    assert "Kremlim" not in party["aliases"]
    assert shown(cli, claim)["denied_by"] == ["Kremlin"]
    assert "ISO 3166" in one_error_line(cli("party", "edit", "Kremlin", "--country", "XX"))
    assert "Wikidata" in one_error_line(cli("party", "edit", "Kremlin", "--wikidata", "P31"))
    ok(cli("undo", str(latest_entry(cli, "edit", "party"))))
    assert shown(cli, claim)["denied_by"] == ["Kremlim"]
    assert json.loads(ok(cli("party", "show", "Kremlim", "--json")))["country"] is None


def test_party_add_checks_the_country_code(cli) -> None:  # noqa: ANN001
    assert "ISO 3166" in one_error_line(cli("party", "add", "Nowhere", "--kind", "state",
                                            "--country", "XX"))
    ok(cli("party", "add", "North Korea", "--kind", "state", "--country", "kp"))


def test_a_party_merges_into_another_and_unmerges(cli) -> None:  # noqa: ANN001
    ok(cli("party", "add", "Kremlin", "--kind", "government_body", "--alias", "克里姆林宫"))
    claim = claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--denied-by", "Kremlim",
                         "--create-party"))
    other = claim_id(cli("add", CONTAINERS, "--asserted-by", "Kremlim", "--force-new"))
    out = ok(cli("party", "merge", "Kremlim", "Kremlin"))
    assert "2 stance(s)" in out
    assert shown(cli, claim)["denied_by"] == ["Kremlin"]
    assert shown(cli, other)["asserted_by"] == ["Kremlin"]
    assert json.loads(ok(cli("party", "show", "Kremlim", "--json")))["name"] == "Kremlin"
    ok(cli("party", "unmerge", "Kremlim"))
    assert shown(cli, claim)["denied_by"] == ["Kremlim"]
    assert shown(cli, other)["asserted_by"] == ["Kremlim"]
    assert json.loads(ok(cli("party", "show", "克里姆林宫", "--json")))["name"] == "Kremlin"
    assert [e["action"] for e in log(cli, "--entity", "party")][:2] == ["undo", "merge"]


def test_only_an_unused_party_can_be_deleted(cli) -> None:  # noqa: ANN001
    claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    ok(cli("party", "add", "Kremlim", "--kind", "organisation"))
    assert "party merge" in one_error_line(cli("party", "delete", "NIS"))
    ok(cli("party", "delete", "Kremlim"))
    assert one_error_line(cli("party", "show", "Kremlim"))
    ok(cli("undo", str(latest_entry(cli, "delete", "party"))))
    assert json.loads(ok(cli("party", "show", "Kremlim", "--json")))["kind"] == "organisation"


def test_a_source_made_by_add_gets_its_details(cli) -> None:  # noqa: ANN001
    claim = claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party",
                         "--source", "https://example.org/a"))
    out = ok(cli("source", "edit", "https://example.org/a", "--outlet", "Yonhap", "--title",
                 "Shells", "--author", "Kim", "--published", "2024-10-18", "--archive",
                 "https://web.archive.org/x"))
    assert "outlet: None → Yonhap" in out
    source = shown(cli, claim)["sources"][0]
    assert (source["outlet"], source["title"], source["published_on"]) == (
        "Yonhap", "Shells", "2024-10-18")
    ok(cli("undo", str(latest_entry(cli, "edit", "source"))))
    assert shown(cli, claim)["sources"][0]["outlet"] is None


# ---------------------------------------------------------------- merge and unmerge


def test_a_merge_by_hand_names_the_conflicts_and_keeps_verdicts(db_url: str, cli) -> None:  # noqa: ANN001
    from nkru_claims.errors import Conflict
    from nkru_claims.services.merges import merge_claims, merge_conflicts

    kept = claim_id(cli("add", CONTAINERS))
    other = claim_id(cli("add", SHELLS, "--force-new"))
    ok(cli("verdict", str(other), "false", "--note", "no such shipment"))

    def check(session):  # noqa: ANN001, ANN202
        found = merge_conflicts(session, kept_id=kept, other_ids=[other])
        assert found and all(f.startswith(f"#{kept} and #{other}") for f in found)
        try:
            merge_claims(session, kept_id=kept, other_ids=[other], actor="t", force=False)
        except Conflict as refused:
            assert "--force" in str(refused)
        else:
            raise AssertionError("merged conflicting claims without force")

    in_session(db_url, check)
    refused = cli("merge", str(kept), str(other))  # the command checks too
    assert refused.exit_code == 1 and "--force" in refused.stderr
    ok(cli("merge", str(kept), str(other), "--force"))
    detail = shown(cli, kept)
    assert detail["verdict"] == "false"
    assert f"merged #{other}: false — no such shipment" in detail["verdict_note"]


def test_unmerge_leaves_later_work_and_recomputes_status(cli) -> None:  # noqa: ANN001
    kept = claim_id(cli("add", SHELLS, "--asserted-by", "NIS", "--create-party"))
    other = claim_id(cli("add", SHELLS + " in 2024", "--denied-by", "Kremlin",
                         "--create-party", "--force-new"))
    merge = int(re.search(r"unmerge (\d+)", ok(cli("merge", str(kept), str(other), "--force")))[1])
    assert shown(cli, kept)["status"] == "contested"
    ok(cli("stance", str(kept), "Russia", "denies", "--create-party"))
    ok(cli("verdict", str(kept), "unproven"))
    ok(cli("edit", str(kept), "--text", SHELLS + " (edited)"))
    ok(cli("delete", str(kept)))
    ok(cli("unmerge", str(merge)))
    assert "was deleted" in one_error_line(cli("show", str(kept)))  # still deleted
    ok(cli("restore", str(kept)))
    detail = shown(cli, kept)
    assert detail["text"].endswith("(edited)")
    assert detail["verdict"] == "unproven"
    assert detail["status"] == "contested"  # NIS asserts, Russia (later) denies
    assert sorted(detail["denied_by"]) == ["Russia"]
    assert shown(cli, other)["status"] == "denied"
    assert "already undone" in one_error_line(cli("unmerge", str(merge)))


def test_unmerge_refuses_in_one_line_when_a_ref_was_taken(cli) -> None:  # noqa: ANN001
    kept = claim_id(cli("add", SHELLS))
    other = claim_id(cli("add", CONTAINERS, "--ref", "containers", "--force-new"))
    merge = int(re.search(r"unmerge (\d+)", ok(cli("merge", str(kept), str(other), "--force")))[1])
    claim_id(cli("add", "Another claim", "--ref", "containers"))
    assert "ref 'containers'" in one_error_line(cli("unmerge", str(merge)))


def test_an_undated_denial_says_why_the_claim_is_still_asserted(cli) -> None:  # noqa: ANN001
    claim = claim_id(cli("add", SHELLS, "--asserted-by", "Kremlin", "--create-party",
                         "--date", "2024-10-01"))
    out = ok(cli("stance", str(claim), "Kremlin", "denies"))
    assert "(now asserted: this stance has no date" in out
    assert "2024-10-01" in out
