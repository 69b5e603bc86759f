"""Drafts per review in both plain modes (issue 12), driven as a user would: lines through a pipe,
keys through prompt_toolkit's pipe input, and a pty.

The start lists this tree's drafts (component, answers, last change); starting a review of a
component that has a draft asks resume / replace / cancel; a draft whose start fields no longer
pass the rules (a reviewer "Alice Smith" cannot sign) has them asked again; a draft from the old
one-per-tree layout is still resumed.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo
from tests.ui.plain.test_line_mode import START as LINE_START
from tests.ui.plain.test_line_mode import EPOCH, flat, review
from tests.ui.plain.test_line_mode import answers_bytes as line_bytes
from tests.ui.plain.test_prompt import CLEAR, ENTER, START, answers_bytes, drive
from wizard.infra.workspace import Meta
from wizard.policy.tree import resolve_tree
from wizard.review import drafts
from wizard.review.session import Session

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop


def make_draft(repo: Path, component: str, answers: list[str], reviewers: list[str] | None = None,
               age: float = 0) -> Path:
    tree = in_repo(repo)
    s = Session(resolve_tree(str(tree)), repo, True, Meta(component, reviewers or ["alice@example.com"], ["src"]),
                tree_ref=str(tree))
    for a in answers:
        s.answer(a)
    s.save_draft()
    if age:
        os.utime(s.draft_path, (os.path.getmtime(s.draft_path) - age,) * 2)
    return s.draft_path


def components(repo: Path) -> list[str]:
    return sorted(d.component for d in drafts.list_drafts(repo, "mini"))


# -- line mode, through a pipe ---------------------------------------------------------------------------


def test_line_lists_drafts_and_resumes_the_chosen_one(git_repo, tmp_path):
    make_draft(git_repo, "billing-api", ["production"], age=7200)
    make_draft(git_repo, "search", ["prototype"])
    proc = review(git_repo, "2\n" + "1\n1\n" + "y\n")
    out = flat(proc.stdout.decode())
    assert proc.returncode == 0, out
    assert ("Unfinished reviews of this policy (drafts): 1 search (1 answer, last changed just now) "
            "2 billing-api (1 answer, last changed 2 hours ago) "
            "Resume 1 to 2, or n for a new review (Enter resumes 1):") in out
    assert "Resuming billing-api at question 2." in out
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == line_bytes(tmp_path, git_repo, GO_ANSWERS)
    assert components(git_repo) == ["search"], "the other review's draft is untouched"


def test_line_new_review_of_a_component_with_a_draft_asks_first(git_repo, tmp_path):
    make_draft(git_repo, "billing-api", ["production", "invented"])
    # Decline the draft, start billing-api again: cancel (back to the fields), then replace.
    proc = review(git_repo, "n\n" + LINE_START + "3\n" + "\n\n\n" + "2\n" + "2\n")
    out = flat(proc.stdout.decode())
    assert proc.returncode == 2  # the input ends at the second question
    assert "There is a draft of this review: billing-api (2 answers, last changed just now)." in out
    assert "1 Resume that draft 2 Replace it with a new review (its answers are lost) 3 Cancel" in out
    assert out.count("Component under review") == 2, "cancel asks the start fields again"
    assert "Component under review [billing-api] (Enter keeps it):" in out, "with what was typed as defaults"
    draft = drafts.load_draft(drafts.draft_path(git_repo, "mini", "billing-api"))
    assert draft.answers == {"stage": "production"}, "replaced: a new review"
    # Resume from the same question instead.
    proc = review(git_repo, "n\n" + LINE_START + "1\n" + "1\n1\n" + "y\n")
    assert proc.returncode == 0, proc.stdout.decode()
    assert "Resuming billing-api at question 2." in flat(proc.stdout.decode())
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == line_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_line_resume_asks_start_fields_that_became_invalid(git_repo, tmp_path):
    """A draft naming 'Alice Smith' (who cannot sign) asks the reviewers again, not fail at the verdict."""
    make_draft(git_repo, "billing-api", ["production"], reviewers=["Alice Smith"])
    typed = "\n" + "\n" + "\n" + "alice@example.com\n" + "\n" + "1\n1\n" + "y\n"
    proc = review(git_repo, typed)
    out = flat(proc.stdout.decode())
    assert proc.returncode == 0, out
    assert "This draft's start fields need fixing before the review can be saved: reviewers: 'Alice Smith' cannot sign" in out
    assert "Reviewers, comma-separated [Alice Smith] (Enter keeps it): 'Alice Smith' cannot sign" in out
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == line_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_line_resumes_a_draft_of_the_old_per_tree_layout(git_repo, tmp_path):
    legacy = drafts.legacy_draft_path(git_repo, "mini")
    legacy.parent.mkdir(parents=True)
    legacy.write_text(f'tree = "{MINI_TREE}"\ncomponent = "billing-api"\nreviewers = ["alice@example.com"]\n'
                      'paths = ["src"]\nposition = 1\n\n[answers]\nstage = "production"\n')
    proc = review(git_repo, "\n" + "1\n" + "1\n" + "y\n")
    out = flat(proc.stdout.decode())
    assert proc.returncode == 0, out
    assert "Resume the unfinished review of billing-api (1 answer, last changed" in out
    assert not legacy.exists() and drafts.list_drafts(git_repo) == []
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == line_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_line_go_to_by_words(git_repo):
    proc = review(git_repo, LINE_START + "2\n2\n" + "g where\n" + "g auth code\n" + "1\n" + "g nothing like it\n",
                  env={"COLUMNS": "200"})
    out = proc.stdout.decode()
    assert "2 questions match: 1, 2; give its number." in out
    assert out.count("Question 2 of about 3") == 2, "g auth code went back to question 2"
    assert "No question from 1 to 3 matches 'nothing like it'." in out


# -- the questionary prompts -------------------------------------------------------------------------------


def test_prompt_lists_drafts_and_resumes_the_chosen_one(git_repo, tmp_path):
    make_draft(git_repo, "billing-api", ["production"], age=600)
    make_draft(git_repo, "search", ["prototype"])
    run = drive(git_repo, "2\r" + "1\r1\r" + ENTER)
    assert run.rc == 0, run.text
    assert "Resuming billing-api at question 2." in run.text
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)
    assert components(git_repo) == ["search"]


def test_prompt_new_review_of_a_component_with_a_draft_asks_first(git_repo, tmp_path):
    make_draft(git_repo, "billing-api", ["production", "invented"])
    keys = "n" + START + "3\r" + ENTER * 3 + "1\r" + "1\r" + "1\r" + ENTER  # cancel, same fields again, resume
    run = drive(git_repo, keys)
    assert run.rc == 0, run.text
    assert run.text.count("There is a draft of this review: billing-api (2 answers, last changed just now).") == 2
    assert "Resuming billing-api at question 3." in run.text
    written = (git_repo / ".authready" / "billing-api.toml").read_text()
    assert 'choice = "invented"' in written and 'choice = "yes"' in written


def test_prompt_resume_asks_start_fields_that_became_invalid(git_repo, tmp_path):
    make_draft(git_repo, "billing-api", ["production"], reviewers=["Alice Smith"])
    keys = "y" + ENTER + f"{CLEAR}alice@example.com{ENTER}" + ENTER + "1\r1\r" + ENTER
    run = drive(git_repo, keys)
    assert run.rc == 0, run.text
    assert "reviewers: 'Alice Smith' cannot sign" in run.text
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_prompt_overview_lists_answers_and_jumps(git_repo, tmp_path):
    """o lists every question with its answer, note, findings; typing part of a question jumps there."""
    keys = START + "2\r" + "n\rEntra ID\r" + "2\r" + "o\r" + "auth code\r" + "1\r" + "1\r" + ENTER
    run = drive(git_repo, keys)
    assert run.rc == 0, run.text
    assert ("Questions on this path:\n  1 Where will this code run? — Production\n"
            "  2 Where does the auth code come from? — An invented flow [note; blocker: Invented auth flow]\n"
            "  3 Can the team explain how expiry is handled? — not answered yet (this question)\n") in run.text
    written = (git_repo / ".authready" / "billing-api.toml").read_text()
    assert 'choice = "managed"' in written and 'note = "Entra ID"' in written


def test_prompt_overview_no_match_stays(git_repo):
    run = drive(git_repo, START + "2\r" + "o\r" + "9\r", err=io.StringIO())
    assert "No question from 1 to 2 matches '9'." in run.text


def converse(argv: list[str], cwd: Path, env: dict[str, str], steps: list[tuple[str, str]],
             tree: Path = MINI_TREE, **kw: object) -> bytes:
    """Run authready in a pty: for each step wait for the pattern, then type the keys; expect exit 0."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "wizard", "review", "--tree", str(in_repo(cwd, tree)), *argv], cwd=str(cwd),
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env}, timeout=30, **kw)
    for pattern, keys in steps:
        child.expect(pattern)
        child.send(keys)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    before = child.before
    return before.encode() if isinstance(before, str) else bytes(before)


def test_prompt_overview_in_a_pty(git_repo, tmp_path):
    """The overview as a user sees it in a real terminal, then a jump by words."""
    converse(["--plain"], git_repo, {"TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}, [
        ("Component under review", CLEAR + "billing-api\r"), ("Reviewers", "\r"), ("Subject paths", CLEAR + "src\r"),
        ("Where will this code run", "2\r"), ("Where does the auth", "2\r"), ("explain how expiry", "o\r"),
        ("An invented flow \\[blocker: Invented auth flow\\]", ""), ("Go to question", "where does\r"),
        ("Where does the auth", "1\r"), ("explain how expiry", "1\r"), ("Save it", "\r"), ("next: authready sign", ""),
    ], encoding="utf-8", dimensions=(40, 120))
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == line_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_line_drafts_in_a_pty(git_repo, tmp_path):
    """Line mode in a real terminal lists two drafts and resumes the second."""
    make_draft(git_repo, "billing-api", ["production"], age=90)
    make_draft(git_repo, "search", ["prototype"])
    out = converse(["--accessible"], git_repo, {"TERM": "xterm"}, [
        ("2 billing-api \\(1 answer, last changed 1 minute ago\\)", ""), ("Enter resumes 1\\): ", "2\n"),
        ("Answer 1 to ", "1\n"), ("Answer 1 to ", "1\n"), ("Save to .authready/billing-api.toml\\? \\[Y/n\\]", "\n"),
    ], dimensions=(24, 80))
    assert b"\x1b" not in out
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == line_bytes(tmp_path, git_repo, GO_ANSWERS)
