"""prepare_review: the tree, --from prefill, default meta, drafts and warnings, before any prompt."""

from __future__ import annotations

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, write_answers
from wizard.cli.main import main
from wizard.infra.workspace import Meta
from wizard.review.load import prepare_review


def test_a_first_review(git_repo):
    setup = prepare_review(str(in_repo(git_repo)), None)
    assert setup.loaded.tree.id == "mini" and setup.root == git_repo and setup.in_git
    assert setup.meta == Meta("repo", ["alice@example.com"], ["."])
    assert setup.prefill is None and setup.from_path is None and setup.drafts == []
    assert any("needs 2 distinct signers" in w for w in setup.warnings)
    session = setup.start(Meta("billing-api", ["alice@example.com"], ["src"]))
    session.answer("production")
    again = prepare_review(str(in_repo(git_repo)), None)
    [info] = again.drafts
    resumed = again.resume(info)
    assert resumed.answers == {"stage": "production"} and resumed.current().id == "origin"


def test_from_an_attestation(git_repo, tmp_path):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS, notes={"origin": "Entra ID"})
    prev = tmp_path / "prev.toml"
    assert main(["review", "--answers", str(a), "--out", str(prev)]) == 0
    setup = prepare_review(str(in_repo(git_repo)), prev.relative_to(tmp_path), cwd=tmp_path, repo=(git_repo, True))
    assert setup.loaded.tree.id == "mini" and setup.from_path == prev
    assert setup.meta == Meta("billing-api", ["alice@example.com"], ["src"])
    assert setup.prefill is not None and setup.prefill.answers == GO_ANSWERS
    assert setup.prefill.notes == {"origin": "Entra ID"}


def test_outside_git(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    setup = prepare_review(str(MINI_TREE), None)
    assert not setup.in_git and setup.meta.paths == []
    assert any("not inside a git repo" in w for w in setup.warnings)
