"""The gate and review with trees from everywhere: installed packages, ids taken, git submodules.

- An attestation naming an installed tree by id (no ``policy.source``) is judged by that package's tree.
- A repo-local tree with an installed tree's id fails ``policy-id-taken``: a team's one-question tree
  cannot pass as the central (or shipped) policy, pins or no pins; review refuses it up front.
- A repo-local tree inside a git submodule is read at the trust ref: the commit the base records for
  the submodule, from the submodule's own objects; missing objects say to fetch the submodule.
- Review refuses a tree the gate could not find later (outside the repo, git-ignored), naming the file.
"""

from __future__ import annotations

import shutil
import tomllib

import pytest

from tests.helpers.gate import BASE, by_path, commit, gate, rewrite, run, sign_both
from tests.helpers.packages import dist, package, site, tree_package, tree_text  # noqa: F401 (site: a fixture)
from tests.helpers.repo import GO_ANSWERS, MINI_TREE, run_git, write_answers
from tests.helpers.signing import ATT, Signed, stamp
from wizard.cli.main import main

SHIPPED = "generated-auth-code"
SIGNERS = ["alice@example.com", "bob@example.com"]


def review(s: Signed, tree, name: str = "pkg", **meta) -> tuple[int, str]:
    """``review --answers`` of ``name`` judged by ``tree`` (an id or a file): (exit code, stderr)."""
    meta.setdefault("reviewers", SIGNERS)
    meta.setdefault("reviewed_at", stamp(1))
    a = write_answers(s.keys / f"answers-{name}.toml", tree, GO_ANSWERS, component=name, **meta)
    return run_cli(["review", "--answers", str(a), "--out", str(s.repo / ".authready" / f"{name}.toml")])


def run_cli(argv: list[str]) -> tuple[int, str]:
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = main(argv)
    assert "Traceback" not in err.getvalue()
    return rc, err.getvalue()


def signed_on_base(s: Signed, name: str) -> str:
    sign_both(s, s.repo / ".authready" / f"{name}.toml")
    commit(s.repo, f"base: {name}")
    return f".authready/{name}.toml"


# -- installed trees -----------------------------------------------------------------------------------------


def test_a_package_tree_is_named_by_id_and_judges_at_the_gate(signed, site, capsys):
    tree = tree_package(site, "acme-policy", "acme-data")
    assert review(signed, "acme-data") == (0, "")
    policy = tomllib.loads((signed.repo / ".authready" / "pkg.toml").read_text())["policy"]
    assert policy["tree"] == "acme-data" and "source" not in policy
    att = signed_on_base(signed, "pkg")
    rc, doc, _ = gate(capsys)
    assert rc == 0 and by_path(doc)[att] == set(), doc
    # the package's tree changes under the review (a new release): judged by what is installed now
    tree.write_text(tree_text("acme-data").replace('outcome = "go"', 'outcome = "conditional"'))
    rc, doc, _ = gate(capsys)
    assert rc == 1 and by_path(doc)[att] == {"verdict-changed"}


def test_an_uninstalled_or_clashing_package_tree_fails_policy_missing(signed, site, capsys):
    tree_package(site, "acme-policy", "acme-data")
    assert review(signed, "acme-data")[0] == 0
    att = signed_on_base(signed, "pkg")
    dist(site, "rogue-policy", "6.6.6", {"acme-data": "rogue_pkg"})
    package(site, "rogue_pkg", {"acme-data.toml": tree_text("acme-data")})
    from wizard.infra import tree_sources

    tree_sources.forget()
    rc, doc, _ = gate(capsys)
    [problem] = [p for a in doc["attestations"] if a["path"] == att for p in a["problems"]]
    assert rc == 1 and problem["code"] == "policy-missing"
    assert "is provided 2 times, by acme-policy 1.0.0" in problem["message"] and "rogue-policy 6.6.6" in problem["message"]
    shutil.rmtree(site)
    tree_sources.forget()
    rc, doc, _ = gate(capsys)
    [problem] = [p for a in doc["attestations"] if a["path"] == att for p in a["problems"]]
    assert problem["code"] == "policy-missing" and "no installed package provides it" in problem["message"]


def test_a_package_installed_inside_the_repo_is_still_named_by_id(signed, monkeypatch, capsys):
    """A git-ignored ``.venv`` in the repo is where CI often installs: its trees are installed ones, not
    repo-local files (no ``policy.source``), even when review is given the installed file's path."""
    from wizard.infra import tree_sources

    (signed.repo / ".gitignore").write_text(".venv/\n")
    site_in_repo = signed.repo / ".venv" / "site-packages"
    path = tree_package(site_in_repo, "acme-policy", "acme-data")
    monkeypatch.syspath_prepend(str(site_in_repo))
    tree_sources.forget()
    try:
        assert review(signed, path, "by-path") == (0, "")
        assert review(signed, "acme-data", "by-id") == (0, "")
        for name in ("by-path", "by-id"):
            policy = tomllib.loads((signed.repo / ".authready" / f"{name}.toml").read_text())["policy"]
            assert policy["tree"] == "acme-data" and "source" not in policy
    finally:
        tree_sources.forget()


# -- a repo-local tree may not take an installed id --------------------------------------------------------


def test_a_team_tree_with_the_shipped_id_fails_policy_id_taken(signed, capsys):
    """The issue's governance gap: a one-question team tree with the shipped id and version passed."""
    lax = signed.repo / "policy" / "lax.toml"
    lax.write_text(tree_text(SHIPPED))
    rc, err = review(signed, lax, "lax")
    assert rc == 2 and not (signed.repo / ".authready" / "lax.toml").exists()
    assert err.strip() == (
        f"authready: {lax}: this repo-local tree uses the id '{SHIPPED}' of the installed tree from shipped; "
        f"the gate refuses it (policy-id-taken): give it an id of its own, or review against the installed tree "
        f"(--tree {SHIPPED})"
    )
    # Written by hand (or by an older authready), signed, committed to the base: the gate still refuses it.
    signed.att.write_text(signed.att.read_text())
    rewrite(signed.att, lambda doc: doc["policy"].update(tree=SHIPPED, source="policy/lax.toml"))
    sign_both(signed, signed.att)
    commit(signed.repo, "base: the team's own 'shipped' policy")
    for ref in (BASE, None):
        rc, doc, _ = gate(capsys, ref=ref)
        [problem] = [p for a in doc["attestations"] if a["path"] == ATT for p in a["problems"]]
        assert rc == 1 and problem["code"] == "policy-id-taken"
        assert problem["message"] == (
            f"the repo-local policy tree 'policy/lax.toml' uses the id '{SHIPPED}' of the installed tree from shipped; "
            f"a team's tree cannot pass as that policy: give the repo's tree an id of its own and re-review, or "
            f"review against the installed tree (--tree {SHIPPED})"
        )


def test_a_package_installed_later_takes_its_id_from_a_repo_local_tree(signed, site, capsys):
    """``mini`` was the team's own tree; once a central package provides ``mini``, the team's copy cannot pass as it."""
    rc, doc, _ = gate(capsys)
    assert rc == 0
    tree_package(site, "central-policy", "mini")
    from wizard.infra import tree_sources

    tree_sources.forget()
    rc, doc, _ = gate(capsys)
    assert rc == 1 and by_path(doc)[ATT] == {"policy-id-taken"}
    rc, err = review(signed, signed.repo / "policy" / "mini.toml", "again")
    assert rc == 2 and "uses the id 'mini' of the installed tree from central-policy 1.0.0" in err


# -- review refuses a tree the gate could not find later ----------------------------------------------------


def test_review_refuses_a_tree_outside_the_repo(signed, tmp_path):
    outside = tmp_path / "drafts" / "mini.toml"
    outside.parent.mkdir()
    shutil.copy(MINI_TREE, outside)
    rc, err = review(signed, outside, "outside")
    assert rc == 2 and not (signed.repo / ".authready" / "outside.toml").exists()
    assert err.strip() == (
        f"authready: {outside}: this tree is outside the repo ({signed.repo}), so the gate could not find it to "
        "verify the review: commit it inside the repo (e.g. policy/mini.toml) or install it as a package "
        "(see docs/distributing-trees.md)"
    )
    # every front-end: prepare_review is where the TUI and the plain modes start
    from wizard.infra.errors import InputError
    from wizard.review.load import prepare_review

    with pytest.raises(InputError, match="this tree is outside the repo"):
        prepare_review(str(outside), None)


def test_review_refuses_a_git_ignored_tree(signed):
    (signed.repo / ".gitignore").write_text("scratch/\n")
    ignored = signed.repo / "scratch" / "mini.toml"
    ignored.parent.mkdir()
    shutil.copy(MINI_TREE, ignored)
    rc, err = review(signed, ignored, "ignored")
    assert rc == 2 and err.strip() == (
        f"authready: {ignored}: git ignores this tree (scratch/mini.toml), so it will never be committed and the "
        "gate could not find it: move it out of the ignored folder (or un-ignore it) and commit it, or install it "
        "as a package (see docs/distributing-trees.md)"
    )
    # Judging writes nothing, so evaluate still works with any tree.
    a = write_answers(signed.keys / "answers-judge.toml", ignored, GO_ANSWERS)
    assert run_cli(["evaluate", str(a)])[0] == 0


def test_review_accepts_a_tree_not_committed_yet(signed):
    """Authoring: the tree is committed with the review; untracked is not ignored."""
    fresh = signed.repo / "policy" / "team.toml"
    fresh.write_text(tree_text("team"))
    assert review(signed, fresh, "team") == (0, "")


# -- submodules at the trust ref -------------------------------------------------------------------------------


def _policy_repo(tmp_path):
    """A separate repo holding the team's tree (``trees/mini.toml``), as a shared policy repo would."""
    repo = tmp_path / "policy-repo"
    (repo / "trees").mkdir(parents=True)
    run_git(repo, "init", "-q", "-b", "main")
    shutil.copy(MINI_TREE, repo / "trees" / "mini.toml")
    run_git(repo, "add", ".")
    run_git(repo, "-c", "user.email=p@example.com", "-c", "user.name=P", "commit", "-qm", "policy v1")
    return repo


@pytest.fixture
def in_submodule(signed, tmp_path):
    """``main`` has the policy repo as submodule ``vendor/policy`` and a signed review judged by its tree."""
    policy = _policy_repo(tmp_path)
    run_git(signed.repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(policy), "vendor/policy")
    commit(signed.repo, "base: the policy submodule")
    assert review(signed, signed.repo / "vendor" / "policy" / "trees" / "mini.toml", "sub") == (0, "")
    text = (signed.repo / ".authready" / "sub.toml").read_text()
    assert 'source = "vendor/policy/trees/mini.toml"' in text
    signed_on_base(signed, "sub")
    return signed


def test_a_tree_in_a_submodule_is_read_at_the_trust_ref(in_submodule, capsys):
    s = in_submodule
    rc, doc, _ = gate(capsys)
    assert rc == 0 and by_path(doc)[".authready/sub.toml"] == set(), doc
    # The PR moves the submodule to another tree (checkout and gitlink), one under which the review would
    # fail (verdict-changed): the commit the base records still judges.
    run_git(s.repo, "checkout", "-q", "-b", "pr")
    sub = s.repo / "vendor" / "policy"
    (sub / "trees" / "mini.toml").write_text(tree_text("mini").replace('outcome = "go"', 'outcome = "conditional"'))
    run_git(sub, "-c", "user.email=m@example.com", "-c", "user.name=M", "commit", "-qam", "lax")
    commit(s.repo, "pr: a laxer policy")
    rc, doc, _ = gate(capsys)
    assert rc == 0 and by_path(doc)[".authready/sub.toml"] == set(), doc


def test_a_submodule_not_fetched_says_to_fetch_it(in_submodule, tmp_path, capsys, monkeypatch):
    s = in_submodule
    ci = tmp_path / "ci"
    run_git(tmp_path, "clone", "-q", str(s.repo), str(ci))  # no --recurse-submodules: vendor/policy is empty
    monkeypatch.chdir(ci)
    recorded = run_git(s.repo, "rev-parse", "HEAD:vendor/policy")
    rc, doc, _ = gate(capsys, ref="origin/main")
    [problem] = [p for a in doc["attestations"] if a["path"] == ".authready/sub.toml" for p in a["problems"]]
    assert rc == 1 and problem["code"] == "policy-missing"
    assert problem["message"] == (
        "policy tree 'vendor/policy/trees/mini.toml' is in the submodule 'vendor/policy', which refs/remotes/origin/main "
        f"records at commit {recorded[:12]}; the submodule is not cloned here: fetch it (git submodule update --init "
        "--recursive vendor/policy) and run the check again"
    )
    # A submodule repo without that commit (another history) says so too.
    shutil.rmtree(ci / "vendor" / "policy")
    run_git(ci, "init", "-q", "vendor/policy")
    rc, doc, _ = gate(capsys, ref="origin/main")
    [problem] = [p for a in doc["attestations"] if a["path"] == ".authready/sub.toml" for p in a["problems"]]
    assert problem["code"] == "policy-missing" and "the submodule does not hold that commit: fetch it" in problem["message"]
    # Fetched: it passes.
    shutil.rmtree(ci / "vendor" / "policy")
    run_git(ci, "-c", "protocol.file.allow=always", "submodule", "update", "-q", "--init")
    rc, doc, _ = gate(capsys, ref="origin/main")
    assert rc == 0, doc


def test_a_path_through_a_submodule_the_base_lacks_is_untrusted(signed, tmp_path, capsys):
    """The PR adds the submodule and a review judged by its tree: not at the trust ref, as for any file."""
    policy = _policy_repo(tmp_path)
    run_git(signed.repo, "checkout", "-q", "-b", "pr")
    run_git(signed.repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(policy), "vendor/policy")
    commit(signed.repo, "pr: bring a policy")
    assert review(signed, signed.repo / "vendor" / "policy" / "trees" / "mini.toml", "sub")[0] == 0
    signed_on_base(signed, "sub")
    rc, doc, _ = gate(capsys)
    assert rc == 1 and by_path(doc)[".authready/sub.toml"] == {"policy-untrusted"}
    rc, out, _ = run(capsys, "verify", ".authready/sub.toml")  # no trust ref: the working tree's submodule
    assert rc == 0, out
