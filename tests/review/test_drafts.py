"""Drafts per review (wizard.review.drafts): keyed by tree and component; the old per-tree file still resumes."""

from __future__ import annotations

import os
import time

import pytest

from tests.helpers.repo import MINI_TREE
from wizard.infra.errors import InputError
from wizard.infra.workspace import Meta
from wizard.policy.tree import load_tree_file
from wizard.review import drafts
from wizard.review.session import Session


@pytest.fixture
def loaded():
    return load_tree_file(MINI_TREE)


def test_slug_is_safe_and_collision_free():
    assert drafts.component_slug("billing-api") == "billing-api"
    assert drafts.component_slug("billing.v2") == "billing.v2"
    odd = ["Billing API", "billing api", "../../etc/passwd", "a--b", "", "x" * 300, "ä/ö\n\x1b[2J", "-", "."]
    slugs = [drafts.component_slug(c) for c in odd]
    assert len(set(slugs)) == len(odd)
    for s in slugs:
        assert "/" not in s and "--" not in s and not s.startswith(".") and len(s) <= 60
        assert all(c.isalnum() and c.isascii() or c in "._-" for c in s), s


def test_draft_path(git_repo):
    assert drafts.draft_path(git_repo, "mini", "billing-api") == git_repo / ".authready/drafts/mini--billing-api.toml"


def test_one_draft_per_component_listed_newest_first(git_repo, loaded):
    a = Session(loaded, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]))
    a.answer("production")
    a.answer("managed")
    b = Session(loaded, git_repo, True, Meta("Search UI", ["alice@example.com"], ["src"]))
    b.answer("prototype")
    past = time.time() - 3600
    os.utime(a.draft_path, (past, past))
    found = drafts.list_drafts(git_repo, "mini")
    assert [(d.component, d.answered, d.tree_id) for d in found] == [("Search UI", 1, "mini"), ("billing-api", 2, "mini")]
    assert found[1].changed.tzinfo is not None and found[1].changed.timestamp() == pytest.approx(past, abs=1)
    assert drafts.list_drafts(git_repo, "other") == []
    assert [d.component for d in drafts.list_drafts(git_repo)] == ["Search UI", "billing-api"]
    assert drafts.draft_for(git_repo, "mini", "billing-api") == found[1]
    assert drafts.draft_for(git_repo, "mini", "billing") is None
    b.discard_draft()  # removes only its own
    assert [d.component for d in drafts.list_drafts(git_repo, "mini")] == ["billing-api"]


def test_unreadable_drafts_are_skipped_and_named(git_repo, loaded):
    Session(loaded, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"])).save_draft()
    bad = drafts.drafts_dir(git_repo) / "mini--broken.toml"
    bad.write_text("answers = [")
    (drafts.drafts_dir(git_repo) / "mini--odd.toml").write_text('tree = 3\n')
    assert [d.component for d in drafts.list_drafts(git_repo, "mini")] == ["billing-api"]
    problems = drafts.unreadable_drafts(git_repo, "mini")
    assert len(problems) == 2 and any(str(bad) in p and "malformed TOML" in p for p in problems)
    with pytest.raises(InputError, match="malformed TOML") as e:
        drafts.load_draft(bad)
    assert e.value.path == str(bad)


def test_old_per_tree_draft_is_found_resumed_and_moved(git_repo, loaded):
    """A draft from the one-per-tree layout (.authready/drafts/<tree>.toml) lists, resumes, and moves on save."""
    legacy = drafts.legacy_draft_path(git_repo, "mini")
    legacy.parent.mkdir(parents=True)
    legacy.write_text('draft = 1\ntree = "mini"\ncomponent = "billing-api"\nreviewers = ["alice@example.com"]\n'
                      'paths = ["src"]\nposition = 1\n\n[answers]\nstage = "production"\n')
    [info] = drafts.list_drafts(git_repo, "mini")
    assert (info.path, info.tree_id, info.component, info.answered) == (legacy, "mini", "billing-api", 1)
    s = Session.from_draft(loaded, git_repo, True, drafts.load_draft(info.path), source=info.path)
    assert s.current().id == "origin"
    s.answer("managed")
    assert not legacy.exists()
    [moved] = drafts.list_drafts(git_repo, "mini")
    assert moved.path == drafts.draft_path(git_repo, "mini", "billing-api") and moved.answered == 2


def test_renaming_the_component_moves_the_draft(git_repo, loaded):
    s = Session(loaded, git_repo, True, Meta("billing", ["alice@example.com"], ["src"]))
    s.answer("production")
    s.set_meta(Meta("billing-api", ["alice@example.com"], ["src"]))
    s.save_draft()
    assert [d.component for d in drafts.list_drafts(git_repo, "mini")] == ["billing-api"]


def test_a_tree_id_with_dashes(git_repo, tmp_path):
    tree = tmp_path / "t.toml"
    tree.write_text(MINI_TREE.read_text().replace('id = "mini"', 'id = "a--b"', 1))
    s = Session(load_tree_file(tree), git_repo, True, Meta("c", ["alice@example.com"], ["src"]))
    s.save_draft()
    assert [(d.tree_id, d.component) for d in drafts.list_drafts(git_repo)] == [("a--b", "c")]
    assert drafts.list_drafts(git_repo, "a") == []
