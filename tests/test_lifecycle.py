"""Early warnings before the first question, and what a deliberate supersede will change."""

from __future__ import annotations

from tests.helpers.repo import GO_ANSWERS, MINI_TREE
from tests.helpers.signing import stamp
from wizard.lifecycle import signer_gap, start_warnings, supersede_summary
from wizard.tree import load_tree_file


def test_start_warnings_name_what_would_fail_later(git_repo, tmp_path):
    tree = load_tree_file(MINI_TREE).tree
    assert start_warnings(git_repo, True, ["alice@example.com", "bob@example.com"], ["src"], tree) == []
    warnings = start_warnings(git_repo, True, ["alice@example.com", " alice@example.com"], ["src", "nope"], tree)
    assert any("1 reviewer(s) listed, but GO needs 2 distinct signers" in w for w in warnings)
    assert any("'nope' does not exist" in w for w in warnings)
    outside = start_warnings(tmp_path, False, ["a@x", "b@x"], [], tree)
    assert len(outside) == 1 and "not inside a git repo" in outside[0]


def test_signer_gap():
    assert signer_gap(2, ["alice@example.com", "bob@example.com"]) is None
    assert "needs 2 distinct signers but 1 reviewer(s)" in signer_gap(2, ["alice@example.com"])


def test_supersede_summary_lists_answers_verdict_expiry_and_signatures(signed):
    from wizard.attestation import load

    new_path = signed.record({**GO_ANSWERS, "expiry": "partly"}, name="billing-new", component="billing",
                             reviewed_at=stamp(0.5))
    new, _ = load(new_path)
    lines = supersede_summary(signed.att, new)
    assert any(line.startswith("changed: ") and "-> Mostly; no rotation schedule" in line for line in lines)
    assert "verdict: GO -> GO WITH CONDITIONS" in lines
    assert any(line.startswith("expires: ") for line in lines)
    assert lines[-1].startswith("signatures removed") and "billing.toml.alice@example.com.sig" in lines[-1]
