"""Early warnings before the first question, and what a deliberate supersede will change."""

from __future__ import annotations

from tests.helpers.repo import GO_ANSWERS, MINI_TREE
from tests.helpers.signing import stamp
from wizard.review.lifecycle import signer_gap, start_warnings, supersede_summary
from wizard.policy.tree import load_tree_file


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
    from wizard.attestation.store import load

    new_path = signed.record({**GO_ANSWERS, "expiry": "partly"}, name="billing-new", component="billing",
                             reviewed_at=stamp(0.5))
    new, _ = load(new_path)
    lines = supersede_summary(signed.att, new)
    assert any(line.startswith("changed: ") and "-> Mostly; no rotation schedule" in line for line in lines)
    assert "verdict: GO -> GO WITH CONDITIONS" in lines
    assert any(line.startswith("expires: ") for line in lines)
    assert lines[-1].startswith("signatures removed") and "billing.toml.alice@example.com.sig" in lines[-1]


def test_rereview_in_line_mode_supersedes_after_showing_what_changes(signed):
    """expire-or-change -> `review --plain --from X` (line mode through a pipe) -> the team sees what changes
    and confirms -> X is replaced with supersedes set and its signatures removed -> both sign -> check passes."""
    import hashlib
    import os
    import subprocess
    import sys

    from tests.helpers.repo import run_git
    from wizard.attestation.store import load
    from wizard.cli.main import main

    old = signed.att.read_bytes()
    run_git(signed.repo, "commit", "-qm", "nothing", "--allow-empty")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(__import__("time").time()))}
    # Enter keeps the three start defaults and the two unchanged answers; 2 changes expiry (a warning: Enter
    # keeps its default owner and due date); y replaces.
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "review", "--plain", "--from", str(signed.att)],
        input="\n\n\n\n\n2\n\n\ny\n", capture_output=True, text=True, cwd=signed.repo, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "This re-review replaces .authready/billing.toml. What changes:" in proc.stdout
    assert "verdict: GO -> GO WITH CONDITIONS" in proc.stdout and "signatures removed" in proc.stdout
    new, _ = load(signed.att)
    assert new.review.supersedes == hashlib.sha256(old).hexdigest()
    assert list(signed.att.parent.glob("billing.toml.*.sig")) == []
    signed.sign(signed.att, "alice")
    signed.sign(signed.att, "bob")
    run_git(signed.repo, "add", "-A")
    run_git(signed.repo, "commit", "-qm", "re-review")
    assert main(["check", "--require", "conditional"]) == 0
