"""Select-all questions, caps and moot questions in both plain modes, driven as a user would.

Line mode through a real pipe (``authready review --plain`` in a subprocess), the questionary
checkbox through prompt_toolkit's pipe input and through a real pty. The review of
``tests/fixtures/multi.toml`` selecting customer + payments raises both findings and writes the
bytes ``authready review --answers`` writes for the same answers.
"""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest

from tests.helpers.repo import FIXTURES
from tests.ui.plain.test_line_mode import START as LINE_START
from tests.ui.plain.test_line_mode import EPOCH, flat, review
from tests.ui.plain.test_line_mode import answers_bytes as line_bytes
from tests.ui.plain.test_plain_drafts import converse
from tests.ui.plain.test_prompt import CLEAR, CTRL_C, ENTER, START, answers_bytes, drive
from wizard.infra.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from wizard.review import drafts

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

MULTI = FIXTURES / "multi.toml"
ANSWERS = {"stage": "production", "data": ["customer", "payments"], "pci": "provider", "clients": "machines"}
MOOT = ("Not asked: Do user sessions expire? (moot after Who calls this service? "
        "→ Only other services (machine to machine))")
CAP = ("At best GO WITH CONDITIONS: Which kinds of data does it touch? Select all that apply. "
       "→ Special-category data (health, beliefs)")
DOWN, UP = "\x1b[B", "\x1b[A"
KEEP_CONDITIONS = "\n\n" * 2  # line mode: Enter keeps each warning's owner and due date (two warnings)
KEEP = ENTER * 4  # the same with the questionary prompts


def drawn(text: str) -> str:
    """A pattern for ``text`` as prompt_toolkit draws it over a blank line: it may skip a space by moving
    the cursor right (``ESC [ n C``) instead of writing it."""
    return "(?: |\x1b\\[\\d*C)+".join(re.escape(word) for word in text.split(" "))


def written(repo: Path) -> bytes:
    [att] = sorted((repo / ".authready").glob("*.toml"))
    return att.read_bytes()


def draft_answers(repo: Path) -> dict:
    return drafts.load_draft(drafts.draft_path(repo, "multi", "billing-api")).answers


# -- line mode, through a pipe -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1,2", "1, 2", "2,1"])
def test_line_selection_raises_both_findings_with_the_answers_file_bytes(git_repo, tmp_path, typed):
    proc = review(git_repo, LINE_START + f"1\n{typed}\n1\n2\n{KEEP_CONDITIONS}y\n", tree=MULTI)
    out = proc.stdout.decode()
    assert proc.returncode == 0, out + proc.stderr.decode()
    assert written(git_repo) == line_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI)
    assert ("Question 2 of about 5 — Data\nWhich kinds of data does it touch? Select all that apply.\n"
            "1 Customer personal data\n2 Payment card data\n3 Special-category data (health, beliefs)\n"
            "4 None of these\n5 We don't know\n"
            "Select all that apply: numbers separated by commas (e.g. 1,3).\n"
            "Answers 1 to 5, separated by commas:") in out
    assert "→ 1,2 Customer personal data; Payment card data\n" in out
    text = flat(out)
    assert "Verdict: GO WITH CONDITIONS. 0 blockers, 2 warnings." in text
    assert "Warning: Customer data needs a retention rule (from data=customer)." in text
    assert "Warning: Payment data needs a PCI scope review (from data=payments)." in text
    assert text.count(MOOT) == 2, "said when the answer made it moot, and with the verdict"
    assert b"\x1b" not in proc.stdout


def test_line_refusals_are_one_sentence_each_then_the_prompt_again(git_repo):
    typed = LINE_START + "1\n" + "1,4\n" + "2,2\n" + "9\n" + "5,1\n" + "\n" + "1,x\n"
    proc = review(git_repo, typed, tree=MULTI)
    assert proc.returncode == EXIT_USAGE  # the input ends on the question
    out = proc.stdout.decode()
    prompt = "Answers 1 to 5, separated by commas: \n"
    for said in ("Answer 4 (None of these) stands alone: type it by itself, or leave it out.",
                 "Answer 2 is listed twice: list each answer once.",
                 "There is no answer 9: type numbers from 1 to 5, separated by commas.",
                 "Answer 5 (We don't know) stands alone: type it by itself, or leave it out."):
        assert f"{prompt}{said}\n{prompt}" in out, said
    assert out.count("Type numbers from 1 to 5, separated by commas (e.g. 1,3).\n") == 2  # Enter alone, "1,x"
    assert out.count("Which kinds of data does it touch?") == 1, "the question is printed once"
    assert draft_answers(git_repo) == {"stage": "production"}


def test_line_enter_keeps_an_announced_selection_only(git_repo, tmp_path):
    typed = LINE_START + "1\n" + "2,1\n" + "b\n" + "\n" + "1\n" + "2\n" + KEEP_CONDITIONS + "y\n"
    proc = review(git_repo, typed, tree=MULTI)
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert ("Earlier answer: 1,2 Customer personal data; Payment card data.\n"
            "Answers 1 to 5, separated by commas (Enter keeps 1,2):") in out
    assert written(git_repo) == line_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI)


def test_line_keys_work_on_a_select_all_question(git_repo, tmp_path):
    typed = LINE_START + "1\n" + "h\n" + "?\n" + "o\n" + "g 1\n" + "\n" + "n\nCards via the provider\n" + "1,2\n"
    proc = review(git_repo, typed + "1\n2\n" + KEEP_CONDITIONS + "y\n", tree=MULTI, env={"COLUMNS": "200"})
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert "Why it matters: Each kind of data brings its own obligations; payment data brings the strictest." in out
    assert "  - REF-1: An example reference" not in out  # the data question cites nothing
    assert "  2 Which kinds of data does it touch? Select all that apply. — not answered yet (this question)" in out
    assert "Note kept; it is recorded with your answer." in out
    assert "→ 1,2 Customer personal data; Payment card data (with your note)" in out
    expected = line_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI, notes={"data": "Cards via the provider"})
    assert written(git_repo) == expected


def test_line_caps_findings_by_answer_and_moot_questions_are_said(git_repo, tmp_path):
    typed = LINE_START + "1\n" + "1,3\n" + "o\n" + "2\n" + "\n\n" + "y\n"  # one warning: keep its owner and date
    proc = review(git_repo, typed, tree=MULTI, env={"COLUMNS": "300"})
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert f"→ 1,3 Customer personal data; Special-category …\n{CAP}\n" in out, "said at once"
    assert ("  2 Which kinds of data does it touch? Select all that apply. — Customer personal data; "
            "Special-category data (health, beliefs) [warning: Customer data needs a retention rule "
            f"(from Customer personal data)]\n  3 Who calls this service? — not answered yet (this question)\n"
            f"  {CAP}\n") in out
    assert f"→ 2 Only other …\n{MOOT}\n" in out
    assert "Verdict: GO WITH CONDITIONS. 0 blockers, 1 warning.\n" in out
    assert f"Warning: Customer data needs a retention rule (from data=customer).\n{CAP}\n{MOOT}\nRemediation:\n" in out
    answers = {"stage": "production", "data": ["customer", "special"], "clients": "machines"}
    assert written(git_repo) == line_bytes(tmp_path, git_repo, answers, tree=MULTI)


def test_line_re_review_enter_keeps_the_earlier_selection(git_repo, tmp_path):
    prev = tmp_path / "previous.toml"
    prev.write_bytes(line_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI))
    out = tmp_path / "again.toml"
    proc = review(git_repo, "\n" * 12, "--from", str(prev), "--out", str(out), tree=MULTI)
    assert proc.returncode == 0, proc.stdout.decode()
    assert "(Enter keeps 1,2):" in proc.stdout.decode()
    assert out.read_bytes() == prev.read_bytes()


# -- the questionary checkbox, through prompt_toolkit's pipe input ----------------------------------------


def test_checkbox_numbers_select_and_match_the_answers_file(git_repo, tmp_path):
    run = drive(git_repo, START + "1\r" + "12\r" + "1\r" + "2\r" + KEEP + ENTER, tree=MULTI)
    assert run.rc == EXIT_OK, run.text
    assert written(git_repo) == answers_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI)
    assert "[customer-data] Customer data needs a retention rule\n      because: data=customer" in run.text
    assert "[payment-data] Payment data needs a PCI scope review\n      because: data=payments" in run.text
    assert run.text.count(MOOT) == 2, "said when the answer made it moot, and with the verdict"


def test_checkbox_space_and_arrows_select_too(git_repo, tmp_path):
    run = drive(git_repo, START + "1\r" + " " + DOWN + " " + DOWN + " " + " " + UP + "\r" + "1\r2\r" + KEEP + ENTER,
                tree=MULTI)
    assert run.rc == EXIT_OK, run.text
    assert written(git_repo) == answers_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI)


def test_checkbox_refuses_an_empty_or_mixed_selection_until_fixed(git_repo):
    # Enter with nothing checked, then "none" with "customer": both refused; clearing "none" confirms.
    run = drive(git_repo, START + "1\r" + "\r" + "14\r" + "4\r", tree=MULTI)
    assert draft_answers(git_repo) == {"stage": "production", "data": ["customer"]}
    assert run.rc == EXIT_USAGE  # the input ends at the next question


def test_checkbox_actions_keep_what_is_checked(git_repo, tmp_path):
    keys = START + "1\r" + "1" + "h\r" + "n\rCards via the provider\r" + "2\r" + "1\r2\r" + KEEP + ENTER
    run = drive(git_repo, keys, tree=MULTI)
    assert run.rc == EXIT_OK, run.text
    assert "Why this matters: Each kind of data brings its own obligations" in run.text
    expected = answers_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI, notes={"data": "Cards via the provider"})
    assert written(git_repo) == expected


def test_checkbox_back_and_overview(git_repo, tmp_path):
    keys = START + "1\r" + "b\r" + ENTER + "o\r" + ENTER + "12\r" + "1\r" + "2\r" + KEEP + ENTER
    run = drive(git_repo, keys, tree=MULTI)
    assert run.rc == EXIT_OK, run.text
    assert "  2 Which kinds of data does it touch? Select all that apply. — not answered yet (this question)" \
        in run.text
    assert written(git_repo) == answers_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI)


def test_checkbox_caps_are_said_and_shown_with_the_verdict(git_repo):
    run = drive(git_repo, START + "1\r" + "3\r" + "1\r" + "1\r" + ENTER, tree=MULTI)
    assert run.rc == EXIT_OK, run.text
    assert run.text.count(CAP) == 2 and "Verdict: GO WITH CONDITIONS" in run.text
    assert MOOT not in run.text, "people call it: sessions are asked"


def test_checkbox_re_review_pre_selects_the_earlier_answer(git_repo, tmp_path):
    prev = tmp_path / "previous.toml"
    prev.write_bytes(answers_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI))
    out = tmp_path / "again.toml"
    run = drive(git_repo, ENTER * 12, tree=MULTI, from_attestation=prev, out=out)
    assert run.rc == EXIT_OK, run.text
    assert out.read_bytes() == prev.read_bytes()


def test_checkbox_ctrl_c_keeps_the_draft(git_repo):
    err = io.StringIO()
    run = drive(git_repo, START + "1\r" + "12" + CTRL_C, tree=MULTI, err=err)
    assert run.rc == EXIT_INTERRUPTED
    assert "1 answer kept in the draft" in err.getvalue()
    assert draft_answers(git_repo) == {"stage": "production"}


# -- the checkbox in a real terminal ------------------------------------------------------------------------


def test_checkbox_under_a_real_terminal(git_repo, tmp_path, monkeypatch):
    """`authready review --plain` in a pty: the refusals are drawn under the list; the file matches --answers."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # for the --answers run in this process
    converse(["--plain"], git_repo, {"TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}, [
        ("Component under review", CLEAR + "billing-api\r"), ("Reviewers", "\r"), ("Subject paths", CLEAR + "src\r"),
        ("Where will this code run", "1\r"),
        ("Space or a number checks an answer; Enter confirms", ""),
        ("b\\) Back to the previous question", "\r"),  # nothing checked: refused
        (drawn("Select at least one answer: Space or its number checks it ('None of these' if none applies)"), "1"),
        ("●", "4"),  # customer is checked (the message goes); then "none" with it
        (drawn("'None of these' stands alone: clear the other answers, or clear it"), "\r42\r"),  # refused; fixed
        ("PCI-compliant provider", "1\r"), ("Who calls this service", "2\r"),
        ("Owner of 'Customer data needs a retention rule'", "\r"), ("Due date", "\r"),
        ("Owner of 'Payment data needs a PCI scope review'", "\r"), ("Due date", "\r"), ("Save it", "\r"),
        ("next: authready sign", ""),
    ], tree=MULTI, encoding="utf-8", dimensions=(40, 120))
    expected = answers_bytes(tmp_path, git_repo, ANSWERS, tree=MULTI, reviewed_at=None)
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == expected
    assert tomllib.loads(expected.decode())["verdict"]["outcome"] == "conditional"
