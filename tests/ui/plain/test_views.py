"""What the plain modes print about questions and drafts (quick unit tests, no terminal)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.helpers.repo import MINI_TREE
from wizard.infra.workspace import Meta
from wizard.policy.tree import load_tree_file
from wizard.review.drafts import DraftInfo
from wizard.review.session import Session
from wizard.ui.plain import views
from wizard.ui.plain.text import ago, draft_summary, new_file_problem, short


def _session(tmp_path: Path, **kw: object) -> Session:
    return Session(load_tree_file(MINI_TREE), tmp_path, False, Meta("svc", ["a@example.com"], []), **kw)  # type: ignore[arg-type]


def test_overview_marks_notes_findings_and_changes_since_from(tmp_path):
    s = _session(tmp_path, answers={"stage": "production", "origin": "invented", "expiry": "yes"},
                 notes={"origin": "ticket 7"}, redo=["expiry"])
    s.go_to(2)
    lines = [text for text, _ in views.overview_lines(s, {"stage": "production", "origin": "managed"})]
    assert lines == [
        "Questions on this path:",
        "  1 Where will this code run? — Production",
        "  2 Where does the auth code come from? — An invented flow (this question) "
        "[note; blocker: Invented auth flow; answer changed since --from]",
        "  3 Can the team explain how expiry is handled? — not answered yet [question changed since --from]",
    ]


def test_find_question_by_number_or_words(tmp_path):
    s = _session(tmp_path, answers={"stage": "production", "origin": "managed"})
    assert views.find_question(s, {}, "2") == 2
    assert views.find_question(s, {}, " expiry ") == 3
    assert views.find_question(s, {}, "managed") == 2  # the answer counts too
    assert views.find_question(s, {}, "where") == "2 questions match: 1, 2; give its number."
    assert views.find_question(s, {}, "4") == "No question from 1 to 3 matches '4'."


def test_help_lines_and_stale_line(tmp_path):
    s = _session(tmp_path, answers={"stage": "production"}, redo=["stage"])
    q = s.tree.question_map["stage"]
    assert views.help_lines(s, q, "Why it matters") == [
        ("Why it matters: Prototype exceptions only hold while the blast radius is small.", ""),
        ("References:", ""), ("  - NHI7:2025: OWASP NHI Top 10 2025: Long-Lived Secrets", "    "),
    ]
    assert views.stale_line(s, q, {"stage": "Production"}, "Question 1") == (
        "Question 1 changed since the last review; answer it again (previously: Production).")
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"
    problem = views.note_problem(q, f"use {token}")
    assert problem is not None and 'note on "Where will this code run?"' in problem and token not in problem


def test_draft_summary_and_ago(tmp_path):
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    info = DraftInfo(tmp_path / "d.toml", "mini", "billing-api", 1, now - timedelta(minutes=5))
    assert draft_summary(info, now) == "billing-api (1 answer, last changed 5 minutes ago)"
    assert ago(now - timedelta(seconds=5), now) == "just now"
    assert ago(now - timedelta(hours=1, minutes=2), now) == "1 hour ago"
    assert ago(now - timedelta(days=3), now) == "3 days ago"
    assert ago(now - timedelta(days=40), now) == "on 2026-10-22"


def test_short_labels_and_new_files(tmp_path):
    assert short("No: a CI gate fails any build") == "No: …"
    assert short("Managed identity service") == "Managed identity …"
    (tmp_path / "x.toml").write_text("")
    assert new_file_problem("x.toml", tmp_path) == f"{tmp_path / 'x.toml'} exists; choose a new file"
    assert new_file_problem("y.txt", tmp_path) == "attestations are TOML files: end the name with .toml"
    assert new_file_problem("y.toml", tmp_path) is None
