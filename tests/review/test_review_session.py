"""The shared review session: re-routing on changed answers, drafts that survive, same bytes as --answers."""

from __future__ import annotations

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, write_answers
from wizard.cli.main import main
from wizard.review import drafts
from wizard.review.session import Meta, Session, prune
from wizard.policy.tree import load_tree_file


@pytest.fixture
def loaded():
    return load_tree_file(MINI_TREE)


def test_prune_drops_abandoned_branch_keeps_reachable(loaded):
    t = loaded.tree
    assert prune(t, {"stage": "prototype", "proto-creds": "no", "origin": "managed"}) == {"stage": "prototype", "proto-creds": "no"}
    # expiry is still reachable once origin is answered: kept.
    assert prune(t, {"stage": "production", "expiry": "yes", "proto-creds": "no"}) == {"stage": "production", "expiry": "yes"}


def test_back_and_change_reroutes(git_repo, loaded):
    s = Session(loaded, git_repo, True, Meta("svc", ["alice@example.com"], ["src"]))
    for cid in ("production", "managed", "yes"):
        s.answer(cid)
    assert s.complete and s.current() is None
    s.back(); s.back(); s.back()
    assert s.current().id == "stage"
    s.answer("prototype")
    assert s.answers == {"stage": "prototype"}
    assert [q.id for q in s.path()] == ["stage", "proto-creds"]
    assert s.current().id == "proto-creds"


def test_back_then_same_answer_keeps_later_answers(git_repo, loaded):
    s = Session(loaded, git_repo, True, Meta("svc", ["a@example.com"], []))
    s.answer("production"); s.answer("invented"); s.answer("partly", note="ticket SEC-1")
    s.back(); s.back()
    s.answer("managed")
    assert s.answers == {"stage": "production", "origin": "managed", "expiry": "partly"}
    assert s.notes == {"expiry": "ticket SEC-1"}
    assert s.current().id == "expiry"


def test_draft_after_every_answer_and_resume(git_repo, loaded):
    s = Session(loaded, git_repo, True, Meta("svc", ["a@example.com"], ["src"]))
    s.answer("production", note="public API")
    d = drafts.load_draft(drafts.draft_path(git_repo, "mini", "svc"))
    assert d.answers == {"stage": "production"} and d.notes == {"stage": "public API"} and d.position == 1
    assert (git_repo / ".authready" / "drafts" / ".gitignore").read_text().strip().endswith("*")
    r = Session.from_draft(loaded, git_repo, True, d)
    assert r.current().id == "origin" and r.meta.component == "svc"


def test_session_save_equals_answers_file_bytes(git_repo, tmp_path):
    tree = in_repo(git_repo)
    s = Session(load_tree_file(tree), git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]), tree_ref=str(tree))
    for cid in ("production", "managed", "partly"):
        s.answer(cid)
    p = s.save(tmp_path / "session.toml", reviewed_at="2026-11-29T10:00:00Z")
    assert drafts.list_drafts(git_repo, "mini") == []
    a = write_answers(tmp_path / "a.toml", tree, {**GO_ANSWERS, "expiry": "partly"})
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "cli.toml")]) == 0
    assert p.read_bytes() == (tmp_path / "cli.toml").read_bytes()


def test_redo_questions_must_be_answered_again(git_repo, loaded):
    s = Session(loaded, git_repo, True, Meta("svc", ["a@example.com"], []), answers=dict(GO_ANSWERS), redo=["origin"])
    s.resume_position()
    assert s.current().id == "origin" and not s.complete
    s.answer("managed")
    assert s.complete and s.redo == set()


def test_note_on_an_unanswered_question_survives_going_back(git_repo, loaded):
    s = Session(loaded, git_repo, True, Meta("svc", ["a@example.com"], []))
    s.answer("production")
    s.notes["origin"] = "still deciding between Auth0 and Cognito"  # typed, not answered yet
    s.back()
    s.answer("production")
    assert s.notes == {"origin": "still deciding between Auth0 and Cognito"}
    s.back()
    s.answer("prototype")  # origin can no longer come up: its note goes with the branch
    assert s.notes == {}
