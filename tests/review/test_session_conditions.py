"""The session's conditions: ``set_condition`` checks as an answers file does, drafts keep them, ``save`` records them."""

from __future__ import annotations

import tomllib

import pytest

from tests.helpers.repo import GO_ANSWERS, in_repo, write_answers
from wizard.cli.main import main
from wizard.infra.errors import InputError
from wizard.policy.tree import load_tree_file
from wizard.review import drafts
from wizard.review.session import Meta, Session

WHEN = "2026-11-29T10:00:00Z"  # the mini tree's GO WITH CONDITIONS lasts 90 days: expires 2027-02-27


@pytest.fixture
def session(git_repo) -> Session:
    """A finished GO WITH CONDITIONS review of the mini tree (committed in the repo): warning no-rotation."""
    tree = in_repo(git_repo)
    s = Session(load_tree_file(tree), git_repo, True, Meta("billing-api", ["alice@example.com", "bob@example.com"],
                                                           ["src"]), tree_ref=str(tree))
    for cid in ("production", "managed", "partly"):
        s.answer(cid)
    return s


REFUSALS = {
    "unknown": (("nope", "bob@example.com", None), "warning 'nope': no finding 'nope' in tree 'mini'"),
    "not raised": (("invented-flow", None, None),
                   "warning 'invented-flow': finding 'invented-flow' is not raised by these answers; conditions are "
                   "for the warnings a review raises"),
    "bad date": (("no-rotation", None, "2027-02-29"),
                 "warning 'no-rotation': '2027-02-29' is not a date like 2026-12-31 (YYYY-MM-DD)"),
    "after expiry": (("no-rotation", None, "2027-02-28"),
                     "warning 'no-rotation': 2027-02-28 is after the attestation expires (2027-02-27); a warning "
                     "must be fixed within the attestation's life"),
    "before the review": (("no-rotation", None, "2026-11-01"),
                          "warning 'no-rotation': 2026-11-01 is before the review (2026-11-29); give a date from then on"),
    "owner": (("no-rotation", "bob, carol", None),
              "warning 'no-rotation': 'bob, carol' is not a principal; name the owner as allowed_signers would (e.g. "
              "alice@example.com), without spaces, commas, quotes or wildcards"),
    "credential": (("no-rotation", "AKIA" + "Z7QWERTYUIOPASDF", None),  # made up
                   "owner of warning 'no-rotation' looks like it contains an AWS access key id"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_set_condition_refuses_and_changes_nothing(session, name):
    args, message = REFUSALS[name]
    with pytest.raises(InputError) as info:
        session.set_condition(*args, reviewed_at=WHEN)
    assert info.value.message.startswith(message), info.value.message
    assert session.conditions == {}


def test_save_records_what_was_set_and_equals_the_answers_file(session, git_repo, tmp_path):
    session.set_condition("no-rotation", "carol@example.com", "2027-01-15", reviewed_at=WHEN)
    written = session.save(tmp_path / "session.toml", reviewed_at=WHEN)
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), {**GO_ANSWERS, "expiry": "partly"},
                      reviewers=["alice@example.com", "bob@example.com"],
                      conditions={"no-rotation": {"owner": "carol@example.com", "due": "2027-01-15"}})
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "cli.toml")]) == 0
    assert written.read_bytes() == (tmp_path / "cli.toml").read_bytes()
    recorded = tomllib.loads(written.read_text())["verdict"]["conditions"]
    assert recorded == [{"finding": "no-rotation", "owner": "carol@example.com", "due": "2027-01-15"}]


def test_none_keeps_the_default(session, tmp_path):
    session.set_condition("no-rotation", None, "2026-12-01", reviewed_at=WHEN)
    written = session.save(tmp_path / "session.toml", reviewed_at=WHEN)
    recorded = tomllib.loads(written.read_text())["verdict"]["conditions"]
    assert recorded == [{"finding": "no-rotation", "owner": "alice@example.com", "due": "2026-12-01"}]


def test_drafts_keep_conditions_and_a_resumed_review_records_them(session, git_repo, tmp_path):
    session.set_condition("no-rotation", "carol@example.com", None, reviewed_at=WHEN)
    session.save_draft()
    d = drafts.load_draft(session.draft_path)
    assert d.conditions == {"no-rotation": {"owner": "carol@example.com"}}
    resumed = Session.from_draft(session.loaded, git_repo, True, d)
    written = resumed.save(tmp_path / "resumed.toml", reviewed_at=WHEN)
    recorded = tomllib.loads(written.read_text())["verdict"]["conditions"]
    assert recorded == [{"finding": "no-rotation", "owner": "carol@example.com", "due": "2027-02-27"}]


def test_a_condition_whose_warning_is_gone_is_not_recorded(session, tmp_path):
    session.set_condition("no-rotation", "carol@example.com", None, reviewed_at=WHEN)
    session.back()
    session.answer("yes")  # no warning any more: a GO
    written = session.save(tmp_path / "go.toml", reviewed_at=WHEN)
    assert "conditions" not in written.read_text()
    assert "no-rotation" in session.conditions, "kept while the warning may come back"


def test_a_kept_due_date_outside_a_later_review_falls_back_to_the_default(session, tmp_path):
    session.set_condition("no-rotation", None, "2026-12-01", reviewed_at=WHEN)
    later = "2027-01-10T10:00:00Z"  # the draft resumed weeks later: 2026-12-01 is before this review
    written = session.save(tmp_path / "later.toml", reviewed_at=later)
    recorded = tomllib.loads(written.read_text())["verdict"]["conditions"]
    assert recorded == [{"finding": "no-rotation", "owner": "alice@example.com", "due": "2027-04-10"}]


def test_a_re_review_keeps_the_owners_and_due_dates_of_the_warnings_it_raises_again(session, tmp_path, monkeypatch):
    from wizard.review.load import prepare_review

    session.set_condition("no-rotation", "bob@example.com", "2027-01-15", reviewed_at=WHEN)
    first = session.save(session.root / ".authready" / "billing-api.toml", reviewed_at=WHEN)
    setup = prepare_review(None, first)
    assert setup.prefill is not None
    again = setup.start(setup.meta)
    assert again.conditions["no-rotation"].owner == "bob@example.com"
    assert again.conditions["no-rotation"].due == "2027-01-15"
