"""Select-all answers end to end: an answers file lists them, the attestation records them in tree
order (byte-deterministic), and the gate verifies the signed result."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.repo import FIXTURES, run_git, write_answers
from tests.helpers.signing import codes, keypair, signer_line, verify_json
from wizard.cli.main import main
from wizard.infra.errors import EXIT_OK, EXIT_USAGE

ANSWERS = {"stage": "production", "data": ["payments", "customer"], "pci": "provider", "clients": "machines"}


@pytest.fixture
def repo(git_repo):
    (git_repo / "policy").mkdir()
    shutil.copy(FIXTURES / "multi.toml", git_repo / "policy" / "multi.toml")
    run_git(git_repo, "add", ".")
    run_git(git_repo, "commit", "-q", "-m", "policy")
    return git_repo


def record(repo, answers, name):
    a = write_answers(repo / f"{name}.answers.toml", "policy/multi.toml", answers, component=name,
                      reviewers=["alice@example.com", "bob@example.com"])
    out = repo / ".authready" / f"{name}.toml"
    assert main(["review", "--answers", str(a), "--out", str(out)]) == EXIT_OK
    return out


def test_a_selection_is_recorded_in_tree_order_with_its_labels_and_raisers(repo):
    text = record(repo, ANSWERS, "billing").read_text()
    assert 'choice = [\n    "customer",\n    "payments",\n]' in text or 'choice = ["customer", "payments"]' in text
    assert '"Customer personal data"' in text and '"Payment card data"' in text
    assert 'raised_by = [\n    "data=payments",\n]' in text or 'raised_by = ["data=payments"]' in text
    assert 'question = "sessions"' not in text  # moot: not asked, not recorded


def test_the_same_selection_in_any_order_gives_identical_bytes(repo):
    a = record(repo, ANSWERS, "one").read_bytes()
    b = record(repo, {**ANSWERS, "data": ["customer", "payments"]}, "two").read_bytes()
    assert a.replace(b'"one"', b'"two"') == b


def test_a_signed_select_all_review_passes_verify(repo, tmp_path, capsys):
    assert main(["init"]) == EXIT_OK
    att = record(repo, ANSWERS, "billing")
    keys = tmp_path / "keys"
    alice, bob = keypair(keys, "alice"), keypair(keys, "bob")
    with open(repo / ".authready" / "allowed_signers", "a") as fh:
        fh.write(signer_line("alice@example.com", alice) + signer_line("bob@example.com", bob))
    for who, key in (("alice", alice), ("bob", bob)):
        assert main(["sign", str(att), "--key", str(key), "--principal", f"{who}@example.com"]) == EXIT_OK
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-q", "-m", "review")
    rc, doc = verify_json(capsys, str(att))
    assert rc == EXIT_OK, codes(doc)


def test_a_string_for_a_select_all_question_is_refused_naming_the_file(repo, capsys):
    a = write_answers(repo / "bad.toml", "policy/multi.toml", {**ANSWERS, "data": "customer"})
    assert main(["review", "--answers", str(a)]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == (
        f"authready: {a}: question 'data' is select-all-that-apply: give a list of choice ids "
        "(valid: customer, payments, special, none, dont-know)")


def test_a_session_takes_a_selection_keeps_it_in_its_draft_and_saves_the_same_bytes(repo, tmp_path):
    from wizard.infra.workspace import Meta
    from wizard.policy.tree import load_tree_file
    from wizard.review import drafts
    from wizard.review.session import Session

    loaded = load_tree_file(repo / "policy" / "multi.toml")
    s = Session(loaded, repo, True, Meta("billing", ["alice@example.com", "bob@example.com"], ["src"]),
                tree_ref="policy/multi.toml")
    s.answer("production")
    with pytest.raises(Exception) as exc:
        s.answer(["none", "customer"])
    assert str(exc.value).endswith("answer 'none' of question 'data' stands alone; it cannot be selected with others")
    s.answer(["payments", "customer"])
    d = drafts.load_draft(drafts.draft_path(repo, "multi", "billing"))
    assert d.answers["data"] == ["customer", "payments"]
    resumed = Session.from_draft(loaded, repo, True, d)
    assert resumed.current().id == "pci" and resumed.answers["data"] == ("customer", "payments")
    resumed.answer("provider")
    resumed.answer("machines")
    assert resumed.complete
    mine = resumed.save(tmp_path / "session.toml", reviewed_at="2026-11-29T10:00:00Z")
    cli = record(repo, ANSWERS, "billing")
    assert mine.read_bytes() == cli.read_bytes()
