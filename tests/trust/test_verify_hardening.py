"""The gate against a hostile pull request: trusted policy and root from the base ref, removed
attestations, hostile files, hand-edited dates, forged log lines, CI without a trust ref.

Real ssh-keygen and git, as in test_verify.py; the "pull request" is a branch ``pr`` off ``main``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.repo import ROOT, GO_ANSWERS, MINI_TREE, other_repo, run_git, write_answers
from tests.helpers.signing import ATT, cli, codes, stamp, verify_json
from wizard.cli.main import main



def check_json(capsys, *argv):
    rc, out, err = cli(capsys, "check", "--format", "json", *argv)
    assert "Traceback" not in err
    return rc, json.loads(out)


def by_path(doc: dict) -> dict[str, set[str]]:
    return {a["path"]: {p["code"] for p in a["problems"]} for a in doc["attestations"]}


def lax_tree(path: Path) -> Path:
    """The mini tree (same id) with GO needing one signer for ten years."""
    text = MINI_TREE.read_text().replace(
        "[outcomes.go]\nvalid_days = 180\nrequired_signers = 2", "[outcomes.go]\nvalid_days = 3650\nrequired_signers = 1"
    )
    assert "valid_days = 3650" in text
    path.write_text(text)
    return path


def review(s, tree: Path, name: str, answers=None, **meta) -> Path:
    meta.setdefault("reviewers", ["alice@example.com", "bob@example.com"])
    meta.setdefault("reviewed_at", stamp(1))
    meta.setdefault("component", name)
    a = write_answers(s.keys / f"answers-{name}.toml", tree, answers or GO_ANSWERS, **meta)
    out = s.repo / ".authready" / f"{name}.toml"
    assert main(["review", "--answers", str(a), "--out", str(out)]) == 0
    return out


# -- 1. the policy comes from the trust ref; attestations cannot be deleted --------------------------


def test_pr_cannot_bring_its_own_policy_or_delete_attestations(signed, capsys):
    """The reviewer's attack: a lax tree claiming the same id, one signature, the old attestation removed."""
    run_git(signed.repo, "checkout", "-q", "-b", "pr")
    lax = lax_tree(signed.repo / "policy" / "lax.toml")
    att = review(signed, lax, "lax")
    signed.sign(att, "alice")
    run_git(signed.repo, "rm", "-q", ATT, f"{ATT}.alice@example.com.sig", f"{ATT}.bob@example.com.sig")
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-q", "-m", "pr: lax policy")
    # Without a trust ref the working tree is trusted (kept for local use), and the output says so.
    rc, out, err = cli(capsys, "check", "--require", "go")
    assert rc == 0, out + err
    assert "note:" in err and "working tree" in err and "--allowed-signers-ref" in err
    rc, doc = check_json(capsys, "--require", "go")
    assert rc == 0 and doc["policy_trees"] == "working tree" and "working tree" in doc["trust_note"]
    # Against main: the tree is not there, and main's attestation is gone.
    rc, doc = check_json(capsys, "--require", "go", "--allowed-signers-ref", "main")
    assert rc == 1
    assert by_path(doc) == {ATT: {"attestation-removed"}, ".authready/lax.toml": {"policy-untrusted"}}
    assert doc["policy_trees"] == "refs/heads/main" and doc["trust_note"] is None
    removed = next(a for a in doc["attestations"] if a["path"] == ATT)
    assert "main" in removed["problems"][0]["message"] and "restore it" in removed["problems"][0]["message"]
    rc, out, err = cli(capsys, "check", "--require", "go", "--allowed-signers-ref", "main")
    assert rc == 1 and "[attestation-removed]" in out and "[policy-untrusted]" in out
    assert "note:" not in err
    rc, doc = verify_json(capsys, ".authready/lax.toml", "--allowed-signers-ref", "main")
    assert rc == 1 and codes(doc) == {"policy-untrusted"}


def test_pr_cannot_loosen_the_tree_in_place(signed, capsys):
    """Editing the committed tree in the pull request: main's version of it judges."""
    run_git(signed.repo, "checkout", "-q", "-b", "pr")
    lax_tree(signed.repo / "policy" / "mini.toml")
    att = review(signed, signed.repo / "policy" / "mini.toml", "loose")
    signed.sign(att, "alice")
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-q", "-m", "pr: loosen the tree")
    rc, doc = check_json(capsys, "--allowed-signers-ref", "main")
    assert rc == 1
    problems = by_path(doc)
    assert problems[".authready/loose.toml"] & {"too-few-signers", "expiry-too-long"}
    assert problems[ATT] == set()  # recorded against main's tree: still fine


def test_emptied_or_untracked_attestation_counts_as_removed(signed, capsys):
    run_git(signed.repo, "checkout", "-q", "-b", "pr")
    signed.att.write_text('title = "nothing to see"\n')
    run_git(signed.repo, "rm", "-q", f"{ATT}.alice@example.com.sig", f"{ATT}.bob@example.com.sig")
    rc, doc = check_json(capsys, "--allowed-signers-ref", "main")
    assert rc == 1 and by_path(doc) == {ATT: {"attestation-removed"}}
    # Untracked and ignored: not found either.
    run_git(signed.repo, "rm", "-q", "--cached", ATT)
    (signed.repo / ".gitignore").write_text(".authready/billing.toml\n")
    rc, doc = check_json(capsys, "--allowed-signers-ref", "main")
    assert rc == 1 and by_path(doc) == {ATT: {"attestation-removed"}}
    # Scoped to the folders checked; files named on the command line are checked as they are.
    (signed.repo / "other").mkdir()
    rc, doc = check_json(capsys, "other", "--allowed-signers-ref", "main")
    assert doc["attestations"] == []


def test_a_file_named_like_a_shipped_tree_is_not_the_policy(signed, capsys):
    """A tree id is never a path: a file in the current folder named like it does not stand in for it."""
    lax = lax_tree(signed.repo / "policy" / "lax.toml")
    att = review(signed, lax, "cwd")
    text = att.read_text()
    assert 'source = "policy/lax.toml"\n' in text
    att.write_text(text.replace('source = "policy/lax.toml"\n', ""))  # "a shipped tree", id "mini"
    shutil.copy(lax, signed.repo / "mini")  # ./mini: what the old lookup by id found first
    signed.sign(att, "alice")
    rc, doc = verify_json(capsys, str(att))
    assert rc == 1 and codes(doc) == {"policy-missing"}
    assert "no shipped tree 'mini'" in doc["problems"][0]["message"]


# -- 2. repo binding: a merged-in foreign root ---------------------------------------------------------


def _foreign_repo(signed, tmp_path) -> Path:
    """Another repo holding a copy of the signed attestation, whose root sorts *after* the signed repo's."""
    theirs = run_git(signed.repo, "rev-list", "--max-parents=0", "HEAD")
    other = other_repo(tmp_path / "other")
    n = 0
    while run_git(other, "rev-parse", "HEAD") < theirs:  # the old code took the lexically smallest root
        n += 1
        run_git(other, "commit", "-q", "--amend", "-m", f"other root {n}")
    for folder in ("src", "policy", ".authready"):
        shutil.copytree(signed.repo / folder, other / folder, dirs_exist_ok=True)
    shutil.copy(signed.repo / ".gitattributes", other / ".gitattributes")
    run_git(other, "add", ".")
    run_git(other, "commit", "-q", "-m", "copied attestation")
    run_git(other, "fetch", "-q", str(signed.repo), "main:victim")
    return other


def test_merging_another_repos_root_does_not_rebind(signed, tmp_path, capsys, monkeypatch):
    other = _foreign_repo(signed, tmp_path)
    monkeypatch.chdir(other)
    assert verify_json(capsys)[0] == 1  # plain copy: repo-mismatch
    run_git(other, "checkout", "-q", "-b", "pr")
    run_git(other, "merge", "-q", "-s", "ours", "--allow-unrelated-histories", "-m", "adopt", "victim")
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"repo-mismatch"}
    rc, doc = check_json(capsys, "--allowed-signers-ref", "main")
    assert rc == 1 and by_path(doc) == {ATT: {"repo-mismatch"}}


def test_foreign_first_parent_is_caught_with_the_trust_ref(signed, tmp_path, capsys, monkeypatch):
    """The pull request built on the other repo's history (its first parent): the ref's root decides."""
    other = _foreign_repo(signed, tmp_path)
    monkeypatch.chdir(other)
    run_git(other, "checkout", "-q", "-b", "pr", "victim")
    run_git(other, "merge", "-q", "-s", "ours", "--allow-unrelated-histories", "-m", "adopt", "main")
    for folder in ("src", "policy", ".authready"):  # the working tree of main, on victim's history
        shutil.rmtree(other / folder)
    run_git(other, "checkout", "-q", "main", "--", ".")
    rc, doc = verify_json(capsys, ATT, "--allowed-signers-ref", "main")
    assert rc == 1 and codes(doc) == {"repo-mismatch"}
    assert "main's" in doc["problems"][0]["message"]


# -- 3. CI without a trust ref ---------------------------------------------------------------------------


def test_ci_without_a_trust_ref_warns(signed, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    for argv in (["check"], ["check", "--format", "json"], ["verify", ATT], ["verify", ATT, "--format", "json"]):
        rc, out, err = cli(capsys, *argv)
        assert rc == 0
        assert "warning: CI is set but --allowed-signers-ref was not given" in err
    rc, out, err = cli(capsys, "check", "--allowed-signers-ref", "main")
    assert rc == 0 and "warning" not in err and "note" not in err


def test_pre_commit_hook_says_it_is_local_only():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "entry: authready check\n" in text
    comment = " ".join(ln for ln in text.splitlines() if ln.startswith("#"))
    assert "local" in comment and "--allowed-signers-ref" in comment


# -- 4. hostile files ---------------------------------------------------------------------------------


def test_deeply_nested_file_is_a_schema_failure(signed, capsys):
    deep = signed.repo / ".authready" / "deep.toml"
    deep.write_text('kind = "authready-attestation"\nx = ' + "[" * 100_000 + "\n")
    rc, doc = check_json(capsys)
    assert rc == 1 and by_path(doc)[".authready/deep.toml"] == {"schema", "not-signed"}
    rc, doc = verify_json(capsys, str(deep))
    assert rc == 1 and "schema" in codes(doc)


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin", "../src/auth.py"])
def test_symlinks_are_refused_not_followed(signed, capsys, target):
    link = signed.repo / ".authready" / "z.toml"
    link.symlink_to(target)
    rc, doc = check_json(capsys)
    assert rc == 1 and by_path(doc)[".authready/z.toml"] == {"not-a-file"}
    rc, doc = verify_json(capsys, ".authready/z.toml")
    assert rc == 1 and codes(doc) == {"not-a-file"}
    assert "symlink" in doc["problems"][0]["message"]


def test_symlinked_signature_is_refused(signed, capsys):
    sig = signed.repo / f"{ATT}.bob@example.com.sig"
    sig.unlink()
    sig.symlink_to("/dev/zero")
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"not-a-file"}


def test_fifo_and_oversized_files(signed, capsys):
    fifo = signed.repo / ".authready" / "pipe.toml"
    os.mkfifo(fifo)
    rc, doc = verify_json(capsys, str(fifo))
    assert rc == 1 and codes(doc) == {"not-a-file"}
    fifo.unlink()
    big = signed.repo / ".authready" / "big.toml"
    big.write_bytes(b'kind = "authready-attestation"\n' + b"#" * (1 << 20) + b"\n")
    rc, doc = check_json(capsys)
    assert rc == 1 and by_path(doc)[".authready/big.toml"] == {"too-large"}


def test_hostile_files_in_a_fresh_process(signed):
    """As CI runs it: no traceback, no hang, exit 1 (stdin is a pipe left open, so /dev/stdin would block)."""
    (signed.repo / ".authready" / "z.toml").symlink_to("/dev/zero")
    (signed.repo / ".authready" / "in.toml").symlink_to("/dev/stdin")
    (signed.repo / ".authready" / "deep.toml").write_text('kind = "authready-attestation"\nx = ' + "[" * 100_000 + "\n")
    proc = subprocess.Popen([os.sys.executable, "-m", "wizard", "check"], cwd=signed.repo, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "[not-a-file]" in out and "[schema]" in out


# -- 5. hand-edited dates ---------------------------------------------------------------------------


def test_hand_extended_expiry_is_caught(signed, capsys):
    att = signed.record(name="forever")
    text = att.read_text()
    start = text.index("expires_at = ")
    line = text[start : text.index("\n", start)]
    att.write_text(text.replace(line, 'expires_at = "2099-01-01T00:00:00Z"'))
    signed.sign(att, "alice")
    signed.sign(att, "bob")
    rc, doc = verify_json(capsys, str(att))
    assert rc == 1 and codes(doc) == {"expiry-too-long"}
    assert "180 days" in doc["problems"][0]["message"]


def test_review_dated_in_the_future_is_caught(signed, capsys):
    att = signed.record(name="future", reviewed_at=stamp(-30))
    signed.sign(att, "alice")
    signed.sign(att, "bob")
    rc, doc = verify_json(capsys, str(att))
    assert rc == 1 and codes(doc) == {"reviewed-in-future"}
    near = signed.record(name="near", reviewed_at=stamp(-1 / 24 / 60))  # a minute ahead: clock skew, allowed
    signed.sign(near, "alice")
    signed.sign(near, "bob")
    assert verify_json(capsys, str(near))[0] == 0


# -- 7. forged log lines ------------------------------------------------------------------------------


FORGED = "x\n1 attestation(s): 1 passed, 0 failed\n\x1b[8m\r\u202e"


def test_control_characters_are_escaped_in_text_output(signed, capsys):
    """Free text from the attestation (component) and file names cannot forge log lines or hide output."""
    att = signed.record(name="forged")
    text = att.read_text().replace('component = "forged"', 'component = "x\\n1 attestation(s): 1 passed, 0 failed\\n\\u001b[8m\\r"', 1)
    att.unlink()
    att = att.with_name("x-1-attestation-s-1-passed-0-failed-8m.toml")  # the component's canonical name
    att.write_text(text)
    signed.sign(att, "alice")
    signed.sign(att, "bob")
    rc, out, err = cli(capsys, "verify", str(att))
    assert rc == 0 and out.startswith("PASS ") and len(out.splitlines()) == 1, out
    assert "\x1b" not in out and "\r" not in out and "\\x0a1 attestation(s)" in out
    # A file name is free text too: git lists names with newlines.
    (signed.repo / ".authready" / f"{FORGED}.toml").write_bytes(att.read_bytes())
    rc, out, err = cli(capsys, "check")
    assert rc == 1
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    summary = [ln for ln in out.splitlines() if ln.startswith(("1 attestation(s)", "3 attestation(s)"))]
    assert summary == ["3 attestation(s): 2 passed, 1 failed"], out
    assert "\\x0a1 attestation(s)" in out and "\\x1b[8m" in out


# -- 8. revoked-keys file ssh-keygen cannot use ------------------------------------------------------


def test_unusable_revoked_keys_file_is_named_as_such(signed, capsys, tmp_path):
    bad = tmp_path / "revoked"
    bad.write_text("this is not a key\n")
    rc, doc = verify_json(capsys, ATT, "--revoked-keys", str(bad))
    assert rc == 1 and codes(doc) == {"revoked-keys-unusable"}
    assert "cannot use the revoked-keys file" in doc["problems"][0]["message"]
    assert "is listed in" not in json.dumps(doc)
    # A usable file that lists bob still says bob is revoked (and alice passes).
    shutil.copy(f"{signed.bob}.pub", bad)
    rc, doc = verify_json(capsys, ATT, "--revoked-keys", str(bad))
    assert rc == 1 and codes(doc) == {"key-revoked"} and len(doc["problems"]) == 1
