"""Red-team tests of the CI gate: a hostile pull request against a trusted base branch.

Threat model: the attacker controls every file in the PR branch (``.gitattributes``, attestations,
signature files, allowed_signers, policy trees) but holds none of the reviewers' private keys; the
base branch ``main`` is trusted. The gate is
``authready check --require go --allowed-signers-ref refs/heads/main`` (and the short name ``main``)
run with the PR checked out. Every attack must fail the gate (exit 1) with a specific code in the
JSON output, or be refused as bad input (exit 2), and never print a traceback.

Real git and real ssh-keygen throughout (see ``tests/helpers/gate.py``); the ``signed`` fixture gives
``main`` with ``.authready/billing.toml`` (component "billing", paths ["src"]) signed by alice and bob.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

import pytest

from tests.helpers.gate import (
    SIGNERS,
    add_component_on_base,
    answer_entry,
    attacker_keys,
    by_path,
    clone,
    commit,
    commit_raw,
    copy_attestation,
    drop_sigs,
    forge_allowed_signers,
    gate,
    gate_both,
    pr_branch,
    record,
    replace_text,
    rereview_on_base,
    rewrite,
    run,
    sha256_hex,
    sig_files,
    sign_both,
    wizard_proc,
)
from tests.helpers.repo import GO_ANSWERS, other_repo, run_git, write_answers
from tests.helpers.signing import ATT, keygen_sign, signer_line, stamp
from wizard.trust.codes import SIGNATURE_CODES

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

GOOD = "def login():\n    return None\n"  # src/auth.py as the fixture commits and reviews it
EVIL = "def login():\n    return 'anyone'\n"
NO_GO_ANSWERS = {"stage": "production", "origin": "invented", "expiry": "yes"}


def _fails_with(doc, path: str, *accepted: str) -> set[str]:
    """The codes for ``path``; asserts at least one of ``accepted`` is among them."""
    problems = by_path(doc)
    assert path in problems, f"{path} not reported; got {problems}"
    assert problems[path] & set(accepted), f"{path}: expected one of {accepted}, got {problems}"
    return problems[path]


# -- 1. substitution ---------------------------------------------------------------------------------


def test_substitution_over_an_existing_component(signed, capsys):
    """Substitution: billing's genuine attestation and signatures copied over payments' file (which
    exists on main), while the PR changes the payments code nobody reviewed again."""
    pay = add_component_on_base(signed, "payments", {"lib/pay.py": "def pay():\n    return 1\n"}, ["lib"])
    pr_branch(signed)
    pay.unlink()
    drop_sigs(pay)
    copy_attestation(signed.att, pay)
    (signed.repo / "lib" / "pay.py").write_text("def pay():\n    return steal()\n")
    commit(signed.repo, "pr: billing's attestation as payments'")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ".authready/payments.toml", "name-mismatch", "supersedes-mismatch")
    assert by_path(doc)[ATT] == set()


def test_substitution_under_a_new_name(signed, capsys):
    """Substitution: billing's attestation and signatures copied to ``.authready/admin.toml``, a name
    the base does not have (so only the file name can tell it is not admin's review)."""
    pr_branch(signed)
    copy_attestation(signed.att, signed.repo / ".authready" / "admin.toml")
    commit(signed.repo, "pr: an 'admin' attestation")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    assert "name-mismatch" in by_path(doc)[".authready/admin.toml"], by_path(doc)


def test_default_file_name_is_the_slug_of_the_component(signed, capsys):
    """Positive control for the name check: ``review`` without ``--out`` writes ``<slug>.toml``
    (lower-cased, runs of other characters replaced by '-'), and that name passes the gate."""
    pr_branch(signed)
    a = write_answers(signed.keys / "answers-api.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS,
                      component="Billing API / v2", reviewers=list(SIGNERS), reviewed_at=stamp(1), paths=["src"])
    rc, out, err = run(capsys, "review", "--answers", str(a))
    att = signed.repo / ".authready" / "billing-api-v2.toml"
    assert rc == 0 and att.is_file(), out + err
    sign_both(signed, att)
    commit(signed.repo, "pr: review of the API")
    rc, doc = gate_both(capsys)
    assert rc == 0, by_path(doc)


# -- 2. rollback and supersede ---------------------------------------------------------------------------


def _restore(s, commit_id: str) -> None:
    """Put billing's attestation and signatures back as they were at ``commit_id`` (from history)."""
    for f in sig_files(s.att):
        f.unlink()
    names = run_git(s.repo, "ls-tree", "--name-only", commit_id, ".authready/").split("\n")
    keep = [n for n in names if n.startswith(ATT)]
    run_git(s.repo, "checkout", commit_id, "--", *keep)


def test_rollback_to_an_older_review_covering_fewer_paths(signed, capsys):
    """Rollback: main re-reviewed billing over src and lib; the PR restores the older (still unexpired,
    genuinely signed) review that covered src only, and changes lib."""
    v1 = run_git(signed.repo, "rev-parse", "HEAD")
    rereview_on_base(signed, {"lib/core.py": "SAFE = True\n"}, paths=("src", "lib"), reviewed_at=stamp(0.5))
    pr_branch(signed)
    _restore(signed, v1)
    (signed.repo / "lib" / "core.py").write_text("SAFE = False\n")
    commit(signed.repo, "pr: restore the old review")
    assert "lib" not in signed.att.read_text()
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "supersedes-mismatch")


def test_rollback_to_a_better_verdict(signed, capsys):
    """Rollback: main's newer review of billing is NO-GO (an invented flow was found); the PR restores
    the older GO review from history, with its genuine signatures, over unchanged code."""
    v1 = run_git(signed.repo, "rev-parse", "HEAD")
    rereview_on_base(signed, answers=NO_GO_ANSWERS, reviewed_at=stamp(0.5))
    pr_branch(signed)
    _restore(signed, v1)
    commit(signed.repo, "pr: back to GO")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "supersedes-mismatch")


def _hand_supersede(s, capsys, reviewed_at: str, supersedes: str) -> None:
    """Replace billing with a new review carrying ``[review] supersedes`` (written by hand), signed by both."""
    rc, new = record(s, "billing", out=s.repo / ".authready" / "next.toml", reviewed_at=reviewed_at)
    assert rc == 0
    replace_text(new, "[review]\n", f'[review]\nsupersedes = "{supersedes}"\n')
    s.att.unlink()
    drop_sigs(s.att)
    new.rename(s.att)
    for who, key in (("alice", s.alice), ("bob", s.bob)):
        rc, _, err = run(capsys, "sign", str(s.att), "--key", str(key), "--principal", f"{who}@example.com")
        assert rc == 0, f"setup: sign refused an attestation with [review] supersedes: {err}"
    commit(s.repo, "pr: re-review")


@pytest.mark.parametrize("when", ["older", "same-second"])
def test_supersede_that_is_not_newer(signed, capsys, when):
    """A re-review naming the base file's hash in ``supersedes`` but dated before (or at the same second
    as) the review it replaces: a stale review re-signed cannot replace a newer one."""
    base_at = tomllib.loads(signed.att.read_text())["review"]["reviewed_at"]
    pr_branch(signed)
    _hand_supersede(signed, capsys, stamp(2) if when == "older" else base_at, sha256_hex(signed.att))
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "not-newer")


def test_supersede_naming_the_wrong_file(signed, capsys):
    """A newer re-review whose ``supersedes`` is not the hash of the base's file (e.g. of an older one)."""
    old = sha256_hex(signed.att)
    rereview_on_base(signed, reviewed_at=stamp(0.5))  # main moves on: `old` is history now
    pr_branch(signed)
    _hand_supersede(signed, capsys, stamp(0.25), old)
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "supersedes-mismatch")


def test_legitimate_supersede_passes(signed, capsys):
    """Positive control: the PR changes the code and re-reviews with ``review --supersede`` (which records
    the base file's hash and drops the old signatures); both reviewers sign; the gate passes."""
    base_hash = sha256_hex(signed.att)
    pr_branch(signed)
    (signed.repo / "src" / "auth.py").write_text(GOOD + "\n# reviewed change\n")
    commit(signed.repo, "pr: code")
    rc, _ = record(signed, "billing", out=signed.att, extra=("--supersede",), reviewed_at=stamp(0.25))
    assert rc == 0, "review --supersede failed"
    assert sig_files(signed.att) == [], "the old signatures must go"
    assert tomllib.loads(signed.att.read_text())["review"]["supersedes"] == base_hash
    sign_both(signed, signed.att)
    commit(signed.repo, "pr: re-review")
    rc, doc = gate_both(capsys)
    assert rc == 0, by_path(doc)


def test_unchanged_attestation_passes(signed, capsys):
    """Positive control: a PR that keeps the base's attestation byte-identical (and its code) passes."""
    pr_branch(signed)
    (signed.repo / "README").write_text("docs only\n")
    commit(signed.repo, "pr: docs")
    rc, doc = gate_both(capsys)
    assert rc == 0, by_path(doc)


# -- 3. clean filters, ident, eol: the committed code is what counts ----------------------------------------

_ATTR_CASES = {
    # name: (the .gitattributes line, the reviewed file, the attacker's committed file)
    "filter": ("src/auth.py filter=x", GOOD, "def login():\n    return evil\n"),
    "ident": (
        "src/auth.py ident",
        'ID = "$Id$"\n' + GOOD,
        'ID = "$Id: " + str(__import__("os").system("echo pwned")) + " $"\n' + GOOD,
    ),
    "crlf": ("src/auth.py text eol=crlf", GOOD, GOOD.replace("\n", "\r\n")),
}


def _filter_config(repo) -> None:
    """The clean filter as configured on the CI runner (local git config, not a PR file)."""
    run_git(repo, "config", "filter.x.clean", "sed s/evil/None/")


@pytest.mark.parametrize("case", sorted(_ATTR_CASES))
def test_attributes_added_in_the_pr_cannot_launder_committed_code(signed, capsys, case):
    """Clean-filter attributes: the PR commits changed code and a ``.gitattributes`` line (``filter=``,
    ``ident`` or ``text eol=crlf``) whose clean step turns the working tree back into the reviewed bytes."""
    attr, reviewed, evil = _ATTR_CASES[case]
    if reviewed != GOOD:
        rereview_on_base(signed, {"src/auth.py": reviewed})
    reviewed_oid = run_git(signed.repo, "rev-parse", "HEAD:src/auth.py")
    pr_branch(signed)
    with open(signed.repo / ".gitattributes", "a") as fh:
        fh.write(attr + "\n")
    run_git(signed.repo, "add", ".gitattributes")
    run_git(signed.repo, "commit", "-q", "-m", "pr: attributes")
    commit_raw(signed.repo, "src/auth.py", evil.encode(), "pr: code")
    if case == "filter":
        _filter_config(signed.repo)
    # The attack is real: committed bytes differ, the cleaned working tree looks reviewed.
    assert run_git(signed.repo, "rev-parse", "HEAD:src/auth.py") != reviewed_oid
    assert run_git(signed.repo, "hash-object", "src/auth.py") == reviewed_oid
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "code-changed")


@pytest.mark.parametrize("case", sorted(_ATTR_CASES))
def test_attributes_on_the_base_cannot_launder_committed_code(signed, capsys, case):
    """Clean-filter attributes already on main when the review was recorded; the PR commits changed
    bytes without running the filter (an attacker's git), and the runner's clean step would undo them."""
    attr, reviewed, evil = _ATTR_CASES[case]
    with open(signed.repo / ".gitattributes", "a") as fh:
        fh.write(attr + "\n")
    if case == "filter":
        _filter_config(signed.repo)
    rereview_on_base(signed, {"src/auth.py": reviewed, ".gitattributes": (signed.repo / ".gitattributes").read_text()})
    reviewed_oid = run_git(signed.repo, "rev-parse", "HEAD:src/auth.py")
    pr_branch(signed)
    commit_raw(signed.repo, "src/auth.py", evil.encode(), "pr: code")
    assert run_git(signed.repo, "rev-parse", "HEAD:src/auth.py") != reviewed_oid
    assert run_git(signed.repo, "hash-object", "src/auth.py") == reviewed_oid
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "code-changed")


def test_gate_reads_the_committed_code_not_the_working_tree(signed, capsys):
    """The PR commits changed code, and the checkout's working tree is put back to the reviewed bytes
    (uncommitted): the gate judges the commit."""
    pr_branch(signed)
    (signed.repo / "src" / "auth.py").write_text(EVIL)
    commit(signed.repo, "pr: code")
    (signed.repo / "src" / "auth.py").write_text(GOOD)
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "code-changed")


@pytest.mark.parametrize("dirt", ["modified", "untracked", "staged"])
def test_review_refuses_uncommitted_changes_in_a_subject_path(signed, capsys, dirt):
    """Reviewing with uncommitted or untracked changes inside a subject path: exit 2 naming the files
    (the review would otherwise bind code that was never committed), nothing written."""
    f = signed.repo / "src" / ("new.py" if dirt == "untracked" else "auth.py")
    f.write_text(EVIL)
    if dirt == "staged":
        run_git(signed.repo, "add", "src/auth.py")
    a = write_answers(signed.keys / "answers-dirty.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS,
                      component="dirty", reviewers=list(SIGNERS), reviewed_at=stamp(1), paths=["src"])
    out = signed.repo / ".authready" / "dirty.toml"
    rc, stdout, err = run(capsys, "review", "--answers", str(a), "--out", str(out))
    assert rc == 2, stdout + err
    assert f"src/{f.name}" in err and not out.exists()


def test_review_allow_dirty_binds_the_committed_version(signed, capsys):
    """``review --allow-dirty`` with a modified subject file records the committed tree's id, not the
    working tree's."""
    (signed.repo / "src" / "auth.py").write_text(EVIL)
    (signed.repo / "src" / "new.py").write_text("x = 1\n")
    a = write_answers(signed.keys / "answers-dirty.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS,
                      component="dirty", reviewers=list(SIGNERS), reviewed_at=stamp(1), paths=["src"])
    out = signed.repo / ".authready" / "dirty.toml"
    rc, stdout, err = run(capsys, "review", "--answers", str(a), "--out", str(out), "--allow-dirty")
    assert rc == 0, stdout + err
    recorded = tomllib.loads(out.read_text())["subject"]["paths"][0]["git_object"]
    assert recorded == run_git(signed.repo, "rev-parse", "HEAD:src")


# -- 4. which commit is the trust ref -----------------------------------------------------------------


@pytest.fixture
def ci_clone(signed, tmp_path, monkeypatch):
    """A CI-style checkout: a clone of the base (so ``origin/main`` is a real remote-tracking branch)
    on the attacker's branch ``pr``, whose allowed_signers maps alice and bob to the attacker's keys."""
    ci = clone(signed.repo, tmp_path / "ci")
    monkeypatch.chdir(ci)
    run_git(ci, "checkout", "-q", "-b", "pr")
    forge_allowed_signers(signed, ci)
    commit(ci, "pr: our own signers")
    return ci


def _ambiguous(capsys, ref: str) -> None:
    rc, doc, err = gate(capsys, ref=ref)
    assert rc == 2, f"--allowed-signers-ref {ref}: exit {rc}, {by_path(doc)}; stderr: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "ambiguous" in lines[0], err


def _forged_fails(capsys, ref: str) -> None:
    rc, doc, err = gate(capsys, ref=ref)
    assert rc == 1, f"--allowed-signers-ref {ref}: exit {rc}; stderr: {err}"
    assert by_path(doc)[ATT] & SIGNATURE_CODES, by_path(doc)


def test_tag_shadowing_the_remote_tracking_branch(ci_clone, capsys):
    """Trust-ref ambiguity: a tag ``origin/main`` on the PR's own commit beside ``refs/remotes/origin/main``
    (git prefers the tag): the short name is refused as ambiguous; the full name still judges."""
    run_git(ci_clone, "tag", "origin/main", "HEAD")
    _ambiguous(capsys, "origin/main")
    _forged_fails(capsys, "refs/remotes/origin/main")


def test_local_branch_shadowing_the_remote_tracking_branch(ci_clone, capsys):
    """Trust-ref ambiguity: a local branch ``origin/main`` (``refs/heads/origin/main``, preferred by git
    over the remote-tracking branch) created in the PR checkout."""
    run_git(ci_clone, "branch", "origin/main", "HEAD")
    _ambiguous(capsys, "origin/main")
    _forged_fails(capsys, "refs/remotes/origin/main")


def test_tag_shadowing_the_base_branch(signed, capsys):
    """Trust-ref ambiguity in the repo itself: a tag ``main`` on the PR's commit beside branch ``main``."""
    pr_branch(signed)
    forge_allowed_signers(signed)
    commit(signed.repo, "pr: our own signers")
    run_git(signed.repo, "tag", "main", "HEAD")
    _ambiguous(capsys, "main")
    _forged_fails(capsys, "refs/heads/main")


def test_tag_named_like_the_full_ref(signed, capsys):
    """A tag literally named ``refs/heads/main`` (``refs/tags/refs/heads/main``) on the PR's commit: the
    full name must still mean the branch (or be refused as ambiguous), never the tag."""
    pr_branch(signed)
    forge_allowed_signers(signed)
    commit(signed.repo, "pr: our own signers")
    run_git(signed.repo, "tag", "refs/heads/main", "HEAD")
    rc, doc, err = gate(capsys, ref="refs/heads/main")
    assert rc in (1, 2), f"exit {rc}: {by_path(doc)} {err}"
    if rc == 1:
        assert by_path(doc)[ATT] & SIGNATURE_CODES, by_path(doc)
    else:
        assert "ambiguous" in err


@pytest.mark.parametrize("ref", ["", " ", "\t"])
def test_empty_or_blank_trust_ref_is_refused(signed, capsys, ref):
    """``--allowed-signers-ref "$BASE"`` with the CI variable unset or blank: refused (exit 2), not
    silently treated as "no trust ref" (which would trust the PR's own allowed_signers)."""
    pr_branch(signed)
    forge_allowed_signers(signed)
    commit(signed.repo, "pr: our own signers")
    rc, doc, err = gate(capsys, ref=ref)
    assert rc == 2, f"exit {rc}: {by_path(doc)} {err}"
    assert len(err.strip().splitlines()) == 1 and "--allowed-signers-ref" in err, err


@pytest.mark.parametrize("ref", ["--all", "-h", "--output=x", "main:.authready"])
def test_option_like_or_non_commit_trust_ref_is_refused(signed, capsys, ref):
    """A trust ref that git would read as an option, or that names a tree rather than a commit: exit 2."""
    rc, out, err = run(capsys, "check", "--require", "go", "--format", "json", f"--allowed-signers-ref={ref}")
    assert rc == 2, out + err
    assert err.strip() and len(err.strip().splitlines()) == 1, err


def test_remote_tracking_branch_by_full_or_unambiguous_short_name(ci_clone, capsys, signed):
    """Positive control: in a real clone, ``refs/remotes/origin/main`` and (unambiguous) ``origin/main``
    both name the base; a benign PR passes under both, the forged one fails under both."""
    run_git(ci_clone, "checkout", "-q", "-b", "benign", "origin/main")
    (ci_clone / "README").write_text("docs\n")
    commit(ci_clone, "benign")
    for ref in ("refs/remotes/origin/main", "origin/main"):
        rc, doc, err = gate(capsys, ref=ref)
        assert rc == 0, f"{ref}: {by_path(doc)} {err}"
    run_git(ci_clone, "checkout", "-q", "pr")
    for ref in ("refs/remotes/origin/main", "origin/main"):
        _forged_fails(capsys, ref)


# -- 5. attestations that bind nothing -------------------------------------------------------------


def test_signed_attestation_with_no_subject_paths(signed, capsys):
    """Binds nothing: a hand-written, signed attestation with ``paths = []`` would vouch for any code."""
    pr_branch(signed)
    rc, att = record(signed, "empty")
    assert rc == 0
    rewrite(att, lambda d: d["subject"].__setitem__("paths", []))
    sign_both(signed, att)
    commit(signed.repo, "pr: empty review")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ".authready/empty.toml", "no-subject")


def test_subject_path_that_is_a_symlink_in_the_commit(signed, capsys):
    """Binds nothing: the subject path ``link`` is a symlink to lib/impl.py; its blob is the link text,
    which stays the same while the PR rewrites the target."""
    (signed.repo / "lib").mkdir()
    (signed.repo / "lib" / "impl.py").write_text("SAFE = True\n")
    (signed.repo / "link").symlink_to("lib/impl.py")
    commit(signed.repo, "base: lib and a link")
    rc, att = record(signed, "linked")
    assert rc == 0
    link_oid = run_git(signed.repo, "rev-parse", "HEAD:link")
    rewrite(att, lambda d: d["subject"].__setitem__("paths", [{"path": "link", "git_object": link_oid}]))
    sign_both(signed, att)
    commit(signed.repo, "base: review of the link")
    pr_branch(signed)
    (signed.repo / "lib" / "impl.py").write_text("SAFE = False\n")
    commit(signed.repo, "pr: change the target")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ".authready/linked.toml", "subject-symlink")


def test_subject_file_replaced_by_a_symlink_with_the_same_blob_id(signed, capsys):
    """A symlink's blob is its target text: the PR replaces the reviewed file src/auth.py with a symlink
    whose target *is* the reviewed bytes (a legal file name), and adds that file with new code. The
    object id of ``src/auth.py`` is unchanged, but the code that runs is not."""
    rereview_on_base(signed, paths=("src/auth.py",))
    reviewed_oid = run_git(signed.repo, "rev-parse", "HEAD:src/auth.py")
    pr_branch(signed)
    (signed.repo / "src" / "auth.py").unlink()
    (signed.repo / "src" / "auth.py").symlink_to(GOOD)
    (signed.repo / "src" / GOOD).write_text(EVIL)
    commit(signed.repo, "pr: indirection")
    assert run_git(signed.repo, "rev-parse", "HEAD:src/auth.py") == reviewed_oid  # the collision is real
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "subject-symlink", "code-changed")


def test_subject_folder_replaced_by_a_gitlink_with_the_reviewed_id(signed, capsys):
    """The PR replaces the reviewed folder src with a submodule entry (gitlink) whose commit id is the
    reviewed tree's id: ``HEAD:src`` resolves to the same id, but there is no reviewed code any more.
    The working tree is as a CI checkout leaves an uninitialised submodule: an empty folder."""
    tree_oid = run_git(signed.repo, "rev-parse", "HEAD:src")
    pr_branch(signed)
    run_git(signed.repo, "rm", "-r", "-q", "--cached", "src")
    run_git(signed.repo, "update-index", "--add", "--cacheinfo", f"160000,{tree_oid},src")
    run_git(signed.repo, "commit", "-q", "-m", "pr: src is a submodule now")
    shutil.rmtree(signed.repo / "src")
    (signed.repo / "src").mkdir()
    assert run_git(signed.repo, "rev-parse", "HEAD:src") == tree_oid
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    assert by_path(doc)[ATT], by_path(doc)


def test_review_refuses_a_symlinked_subject_path(signed, capsys):
    """``review --answers`` with a subject path that is a symlink: exit 2, nothing written."""
    (signed.repo / "link").symlink_to("src/auth.py")
    commit(signed.repo, "link")
    a = write_answers(signed.keys / "answers-link.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS,
                      component="link", reviewers=list(SIGNERS), reviewed_at=stamp(1), paths=["link"])
    out = signed.repo / ".authready" / "link.toml"
    rc, stdout, err = run(capsys, "review", "--answers", str(a), "--out", str(out))
    assert rc == 2 and not out.exists(), stdout + err
    assert "link" in err and "symlink" in err, err


# -- 6. hand-written attestations that reviewers sign -------------------------------------------------


def _hand_written(s, capsys, change) -> tuple[int, dict]:
    pr_branch(s)
    rc, att = record(s, "hand")
    assert rc == 0
    rewrite(att, change)
    sign_both(s, att)
    commit(s.repo, "pr: hand-written review")
    return gate_both(capsys)


@pytest.mark.parametrize("kind", ["conflicting", "identical"])
def test_question_answered_twice(signed, capsys, kind):
    """A question answered twice: the file shows "an invented flow" first; the verdict used the last."""

    def change(d):
        origin = next(i for i, a in enumerate(d["answers"]) if a["question"] == "origin")
        dup = answer_entry("origin", "invented") if kind == "conflicting" else dict(d["answers"][origin])
        d["answers"].insert(origin, dup)

    rc, doc = _hand_written(signed, capsys, change)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ".authready/hand.toml", "answers-duplicate")


@pytest.mark.parametrize("field", ["answer", "asked"])
def test_recorded_text_differs_from_the_tree(signed, capsys, field):
    """The recorded ``answer`` (or ``asked``) text is not the tree's text for that choice (question):
    what people read is not what was decided."""
    lie = {"answer": "An invented flow", "asked": "Is the auth code from a managed identity service?"}[field]

    def change(d):
        next(a for a in d["answers"] if a["question"] == "origin")[field] = lie

    rc, doc = _hand_written(signed, capsys, change)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ".authready/hand.toml", "answer-text-mismatch")


def test_answer_off_the_decided_path(signed, capsys):
    """An answer to a question the decided path never asks (the prototype branch's question, on a
    production review): it reads as if it had been considered."""
    rc, doc = _hand_written(signed, capsys, lambda d: d["answers"].append(answer_entry("proto-creds", "no")))
    assert rc == 1, by_path(doc)
    _fails_with(doc, ".authready/hand.toml", "answers-off-path")


# -- 7. no tracebacks, bounded work -----------------------------------------------------------------


def _verify_and_check(capsys, att: Path) -> list[tuple[str, int, str]]:
    """``verify`` (with and without the trust ref) and ``check`` (JSON): each exits 1 or 2, no traceback."""
    seen = []
    for argv in (
        ["verify", str(att), "--format", "json"],
        ["verify", str(att), "--format", "json", "--allowed-signers-ref", "main"],
        ["check", "--format", "json", "--require", "go", "--allowed-signers-ref", "main"],
        ["check", "--format", "json"],
    ):
        rc, out, err = run(capsys, *argv)
        if rc == 0 and argv[0] == "check":
            # Only if discovery did not take it for an attestation (no marker in its first 4 KiB, no signature).
            assert ".authready/" + att.name not in by_path(json.loads(out)), out
            seen.append((argv[0], rc, out))
            continue
        assert rc in (1, 2), f"{argv}: exit {rc}\n{out}\n{err}"
        if rc == 1:
            json.loads(out)
        else:
            assert len(err.strip().splitlines()) == 1, err
        seen.append((argv[0], rc, out))
    return seen


def _hostile_copy(s, name: str = "hostile") -> Path:
    """An unsigned copy of billing under a new name, to be mangled (the checks run unsigned too)."""
    att = s.repo / ".authready" / f"{name}.toml"
    shutil.copyfile(s.att, att)
    return att


@pytest.mark.parametrize("field", ["schema_version = 1", "required_signers = 2"])
def test_integer_beyond_the_int_string_limit(signed, capsys, field):
    """An integer of 5000 digits (past Python's int-string conversion limit) in the attestation."""
    att = replace_text(_hostile_copy(signed), field + "\n", field + "0" * 5000 + "\n")
    for cmd, rc, out in _verify_and_check(capsys, att):
        if cmd == "verify" and rc == 1:
            assert "schema" in {p["code"] for p in json.loads(out)["problems"]}


@pytest.mark.parametrize(
    "reviewed_at,expires_at,code",
    [
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "reviewed-in-future"),
        (None, "9999-12-31T23:59:59Z", "expiry-too-long"),
        ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "reviewed-in-future"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:01Z", "expired"),
    ],
    ids=["both-9999", "expires-9999", "reviewed-9999", "year-1"],
)
def test_dates_at_the_ends_of_the_calendar(signed, capsys, reviewed_at, expires_at, code):
    """``reviewed_at``/``expires_at`` near year 9999 (adding valid_days overflows) or year 1."""

    def change(d):
        if reviewed_at:
            d["review"]["reviewed_at"] = reviewed_at
        d["review"]["expires_at"] = expires_at

    att = rewrite(_hostile_copy(signed), change)
    for cmd, rc, out in _verify_and_check(capsys, att):
        if cmd == "verify":
            assert rc == 1 and code in {p["code"] for p in json.loads(out)["problems"]}, out


@pytest.mark.parametrize("path", ["a" * 5000, "a/" * 2500 + "b", "src/" + "x" * 300], ids=["5000-chars", "2500-levels", "300-byte-name"])
def test_very_long_subject_path(signed, capsys, path):
    """A subject path of 5000 characters (ENAMETOOLONG), or with a 300-byte component."""
    att = rewrite(_hostile_copy(signed), lambda d: d["subject"]["paths"][0].__setitem__("path", path))
    for cmd, rc, out in _verify_and_check(capsys, att):
        if cmd == "verify":
            assert rc == 1, out


@pytest.mark.parametrize(
    "where",
    [("policy", "source", "policy/mini.toml\x00x"), ("policy", "tree", "mini\x00"), ("subject", "component", "bill\x00ing"),
     ("subject", "repo", "r\x00"), ("review", "reviewed_at", "2026-01-01T00:00:00Z\x00")],
    ids=["policy.source", "policy.tree", "component", "repo", "reviewed_at"],
)
def test_nul_bytes_in_fields(signed, capsys, where):
    """NUL bytes (``\\u0000``) in policy fields and other strings: git and the OS refuse them in paths."""
    table, key, value = where
    att = rewrite(_hostile_copy(signed), lambda d: d[table].__setitem__(key, value))
    _verify_and_check(capsys, att)


def test_nul_byte_in_a_subject_path(signed, capsys):
    """A NUL byte in a subject path (``os.stat`` raises ValueError, not OSError)."""
    att = rewrite(_hostile_copy(signed), lambda d: d["subject"]["paths"][0].__setitem__("path", "src\x00/auth.py"))
    _verify_and_check(capsys, att)


def test_thousands_of_subject_paths(signed, capsys):
    """Argument-list overflow: 10 000 existing, committed subject paths of ~240 characters, spread over
    four unsigned attestations (each under the 1 MiB limit); their ids must not be asked for in one
    command line (ARG_MAX is 2 MiB here)."""
    many = signed.repo / "many"
    many.mkdir()
    names = [f"many/{i:05d}-{'x' * 230}.py" for i in range(10_000)]
    for n in names:
        (signed.repo / n).write_bytes(b"")
    commit(signed.repo, "many files")
    base = tomllib.loads(signed.att.read_text())
    for k in range(4):
        att = signed.repo / ".authready" / f"many-{k}.toml"
        shutil.copyfile(signed.att, att)
        chunk = names[k * 2500 : (k + 1) * 2500]
        rewrite(att, lambda d, chunk=chunk: d["subject"].__setitem__(
            "paths", [{"path": n, "git_object": base["subject"]["paths"][0]["git_object"]} for n in chunk]))
        assert att.stat().st_size < 1 << 20
    rc, doc, err = gate(capsys)
    assert rc in (1, 2), err
    if rc == 1:
        assert all(by_path(doc)[f".authready/many-{k}.toml"] for k in range(4))


@pytest.mark.parametrize("stdout", ["default", "strict-utf8"])
def test_non_utf8_attestation_file_name(signed, stdout):
    """A file ``.authready/\\xff.toml`` (not UTF-8) with a valid-looking body, in a fresh process as CI
    runs it, text and JSON: exit 1, no traceback, and the JSON stays parseable. ``strict-utf8``: stdout
    as Python sets it up under e.g. en_US.UTF-8 (strict errors; C.UTF-8 gets surrogateescape)."""
    env = {"PYTHONIOENCODING": "utf-8:strict"} if stdout == "strict-utf8" else {}
    bad = os.path.join(os.fsencode(signed.repo / ".authready"), b"\xff.toml")
    with open(bad, "wb") as fh:
        fh.write(signed.att.read_bytes())
    for extra in ([], ["--allowed-signers-ref", "main"]):
        proc = wizard_proc(signed.repo, "check", "--format", "json", *extra, env=env)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 1, proc.stdout + proc.stderr
        json.loads(proc.stdout)
        proc = wizard_proc(signed.repo, "check", *extra, env=env)
        assert "Traceback" not in proc.stderr and proc.returncode == 1, proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["allowed_signers", "revoked_keys"])
def test_trust_file_symlinked_to_dev_zero(signed, name):
    """allowed_signers or revoked_keys a symlink to /dev/zero in the working tree (no trust ref): a
    one-line error or a failure, quickly (a read to EOF would never end). Fresh process, 60 s timeout,
    1 GiB memory cap."""
    f = signed.repo / ".authready" / name
    if f.exists():
        f.unlink()
    f.symlink_to("/dev/zero")
    for argv in (["check", "--format", "json", "--require", "go"], ["verify", ATT, "--format", "json"]):
        proc = wizard_proc(signed.repo, *argv, timeout=60)
        assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr, proc.stderr[-2000:]
        assert proc.returncode in (1, 2), f"{argv}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"


# -- 8. further attacks from the PR side -------------------------------------------------------------------


def test_extra_signature_from_an_unlisted_key(signed, capsys):
    """An extra ``billing.toml.mallory@example.com.sig`` made with the attacker's own key: the gate fails
    closed (an unverifiable signature is a failure, not ignored)."""
    pr_branch(signed)
    m1, _ = attacker_keys(signed)
    keygen_sign(m1, signed.att, signed.repo / f"{ATT}.mallory@example.com.sig")
    commit(signed.repo, "pr: extra signature")
    rc, doc = gate_both(capsys)
    assert rc == 1
    _fails_with(doc, ATT, "unknown-signer", "not-reviewer", "wrong-principal")


def test_signature_from_another_attestation_renamed(signed, capsys):
    """Bob's signature of payments' attestation renamed to stand in for his signature of billing."""
    pay = add_component_on_base(signed, "payments", {"lib/pay.py": "x = 1\n"}, ["lib"])
    pr_branch(signed)
    shutil.copyfile(f"{pay}.bob@example.com.sig", f"{signed.att}.bob@example.com.sig")
    commit(signed.repo, "pr: swap a signature")
    rc, doc = gate_both(capsys)
    assert rc == 1
    _fails_with(doc, ATT, "bad-signature")


def test_one_signers_signature_under_the_other_signers_name(signed, capsys):
    """Alice's signature copied over bob's file name: a claimed principal must match the key."""
    pr_branch(signed)
    shutil.copyfile(f"{signed.att}.alice@example.com.sig", f"{signed.att}.bob@example.com.sig")
    commit(signed.repo, "pr: alice twice")
    rc, doc = gate_both(capsys)
    assert rc == 1
    _fails_with(doc, ATT, "wrong-principal", "duplicate-signer", "bad-signature")


def test_duplicate_plain_signature_adds_nothing_and_passes(signed, capsys):
    """Alice's signature also copied to a plain ``billing.toml.sig``. Passes, correctly: the attestation's
    bytes are the reviewed ones, every signature verifies, and the copy counts as the same signer (two
    distinct signers, as before); nothing new is vouched for."""
    pr_branch(signed)
    shutil.copyfile(f"{signed.att}.alice@example.com.sig", f"{signed.att}.sig")
    commit(signed.repo, "pr: a spare signature")
    rc, doc = gate_both(capsys)
    assert rc == 0, by_path(doc)
    assert sorted(doc["attestations"][0]["signers"]) == sorted(SIGNERS)


def test_signature_file_replaced_by_a_folder(signed, capsys):
    """Bob's signature file replaced by a folder of the same name (holding a signature)."""
    pr_branch(signed)
    sig = Path(f"{signed.att}.bob@example.com.sig")
    data = sig.read_bytes()
    sig.unlink()
    sig.mkdir()
    (sig / "x").write_bytes(data)
    commit(signed.repo, "pr: a folder")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    assert by_path(doc)[ATT], by_path(doc)


def test_attestation_folder_replaced_by_a_symlink(signed, capsys):
    """``.authready`` is a symlink in the PR (to a real folder ``shadow/`` holding a copy and the
    attacker's allowed_signers): git sees a symlink, not the base's attestation."""
    pr_branch(signed)
    shadow = signed.repo / "shadow"
    (signed.repo / ".authready").rename(shadow)
    (signed.repo / ".authready").symlink_to("shadow")
    m1, _ = attacker_keys(signed)
    with open(shadow / "allowed_signers", "a") as fh:
        fh.write(signer_line("mallory@example.com", m1))
    commit(signed.repo, "pr: .authready is a link")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "attestation-removed", "not-a-file")


def test_attestation_path_replaced_by_a_folder(signed, capsys):
    """``.authready/billing.toml`` becomes a folder holding the attestation and its signatures."""
    pr_branch(signed)
    data = {p.name: p.read_bytes() for p in [signed.att, *sig_files(signed.att)]}
    for name in data:
        (signed.repo / ".authready" / name).unlink()
    (signed.repo / ATT).mkdir()
    for name, b in data.items():
        (signed.repo / ATT / name).write_bytes(b)
    commit(signed.repo, "pr: a folder")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "attestation-removed", "unreadable", "not-a-file")


def test_attestation_moved_to_a_subfolder(signed, capsys):
    """The attestation and its signatures moved to ``.authready/archive/`` (and the code changed): the
    base's file is gone, whatever the copy says."""
    pr_branch(signed)
    (signed.repo / ".authready" / "archive").mkdir()
    for p in [signed.att, *sig_files(signed.att)]:
        run_git(signed.repo, "mv", str(p), f".authready/archive/{p.name}")
    (signed.repo / "src" / "auth.py").write_text(EVIL)
    commit(signed.repo, "pr: archive it")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "attestation-removed")


def test_policy_tree_loosened_and_a_signature_dropped(signed, capsys):
    """The PR lowers the tree's GO to one signer and removes bob's signature: the base's tree judges."""
    pr_branch(signed)
    tree = signed.repo / "policy" / "mini.toml"
    tree.write_text(tree.read_text().replace("[outcomes.go]\nvalid_days = 180\nrequired_signers = 2",
                                             "[outcomes.go]\nvalid_days = 180\nrequired_signers = 1"))
    Path(f"{signed.att}.bob@example.com.sig").unlink()
    commit(signed.repo, "pr: one signer is enough")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "too-few-signers")


def test_policy_tree_deleted_in_the_pr_passes(signed, capsys):
    """The PR deletes ``policy/mini.toml``. Passes, correctly: under the trust ref the tree is read from
    main, the attestation and its code are unchanged, so the review still holds."""
    pr_branch(signed)
    (signed.repo / "policy" / "mini.toml").unlink()
    commit(signed.repo, "pr: no policy")
    rc, doc = gate_both(capsys)
    assert rc == 0, by_path(doc)


def test_allowed_signers_changed_in_the_pr(signed, capsys):
    """The PR maps alice and bob to the attacker's keys, changes the code and re-signs billing with those
    keys: under the trust ref the base's allowed_signers judges the signatures."""
    pr_branch(signed)
    forge_allowed_signers(signed)
    commit(signed.repo, "pr: our own signers")
    rc, doc, _ = gate(capsys, ref=None)
    assert rc == 0, by_path(doc)  # without a trust ref the PR's own list is trusted (the documented gap)
    rc, doc = gate_both(capsys)
    assert rc == 1
    assert by_path(doc)[ATT] & SIGNATURE_CODES, by_path(doc)


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_revoked_keys_dropped_in_the_pr(signed, capsys, how):
    """main revokes bob's key (``.authready/revoked_keys``); the PR deletes or empties that file."""
    shutil.copyfile(f"{signed.bob}.pub", signed.repo / ".authready" / "revoked_keys")
    commit(signed.repo, "base: revoke bob")
    pr_branch(signed)
    rk = signed.repo / ".authready" / "revoked_keys"
    if how == "deleted":
        rk.unlink()
    else:
        rk.write_text("")
    commit(signed.repo, "pr: unrevoke")
    rc, doc = gate_both(capsys)
    assert rc == 1
    _fails_with(doc, ATT, "key-revoked")


def test_orphan_branch_with_identical_files_passes(signed, capsys):
    """The PR is an orphan branch (no shared history, another root) with main's files byte for byte.
    Passes, correctly: under the trust ref the repo binding is main's root, and the attestation's bytes,
    signatures and code are exactly the reviewed ones."""
    run_git(signed.repo, "checkout", "-q", "--orphan", "pr")
    run_git(signed.repo, "commit", "-q", "-m", "orphan root")
    assert run_git(signed.repo, "rev-list", "--max-parents=0", "HEAD") != run_git(signed.repo, "rev-list", "--max-parents=0", "main")
    rc, doc = gate_both(capsys)
    assert rc == 0, by_path(doc)


def test_merge_of_unrelated_history_bringing_new_code(signed, capsys, tmp_path):
    """The PR merges an unrelated repo's history (``--allow-unrelated-histories``) whose version of
    src/auth.py wins the merge: the merged commit's code is what is judged."""
    other = other_repo(tmp_path / "other")
    (other / "src").mkdir()
    (other / "src" / "auth.py").write_text(EVIL)
    commit(other, "their auth")
    pr_branch(signed)
    run_git(signed.repo, "fetch", "-q", str(other), "main:theirs")
    run_git(signed.repo, "merge", "-q", "--allow-unrelated-histories", "-X", "theirs", "-m", "adopt", "theirs")
    assert (signed.repo / "src" / "auth.py").read_text() == EVIL
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "code-changed")


def test_attestation_outside_the_attestation_folder_cannot_shadow(signed, capsys):
    """The PR deletes the base's attestation and adds a byte-identical copy (with signatures) at
    ``docs/billing.toml``, then changes the code: the base's file is still missing."""
    pr_branch(signed)
    (signed.repo / "docs").mkdir()
    copy_attestation(signed.att, signed.repo / "docs" / "billing.toml")
    for p in [signed.att, *sig_files(signed.att)]:
        p.unlink()
    commit(signed.repo, "pr: moved")
    rc, doc = gate_both(capsys)
    assert rc == 1, by_path(doc)
    _fails_with(doc, ATT, "attestation-removed")
