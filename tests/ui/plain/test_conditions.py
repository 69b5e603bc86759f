"""Plain mode asks who fixes each warning and by when, after the verdict and before the save.

Both modes: numbered line mode through a real pipe, and the questionary prompts through
prompt_toolkit's pipe input. Enter keeps the default in brackets (the first reviewer; the day the
attestation expires); a refusal is one sentence, then the prompt again; what was typed is recorded
byte for byte as an answers file's ``[conditions]`` records it.
"""

from __future__ import annotations

import pytest

from tests.helpers.repo import MINI_TREE
from tests.ui.plain.test_line_mode import START as LINE_START
from tests.ui.plain.test_line_mode import answers_bytes as line_bytes
from tests.ui.plain.test_line_mode import attestations, draft, flat, lines_for, review
from tests.ui.plain.test_prompt import CLEAR, ENTER, START, answers_bytes, drive, keys_for

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

CONDITIONAL = {"stage": "production", "origin": "managed", "expiry": "partly"}  # warning: No rotation schedule
# Line mode's clock is SOURCE_DATE_EPOCH 1790000000 (2026-09-21T14:13:20Z): 90 days -> expires 2026-12-20.
OWNER = "Owner of 'No rotation schedule' [alice@example.com]:"
DUE = "Due date (YYYY-MM-DD) [2026-12-20]:"
PRINCIPAL = ("'Alice Smith' is not a principal; name the owner as allowed_signers would (e.g. alice@example.com), "
             "without spaces, commas, quotes or wildcards.")
AFTER = ("2027-01-01 is after the attestation expires (2026-12-20); a warning must be fixed within the "
         "attestation's life.")
NOT_A_DATE = "'next sprint' is not a date like 2026-12-31 (YYYY-MM-DD)."


def test_line_mode_asks_refuses_and_writes_the_answers_file_bytes(git_repo, tmp_path):
    typed = "Alice Smith\ncarol@example.com\n" + "2027-01-01\nnext sprint\n2026-11-30\n"
    proc = review(git_repo, LINE_START + lines_for(CONDITIONAL) + typed + "y\n")
    out = flat(proc.stdout.decode())
    assert proc.returncode == 0, out + proc.stderr.decode()
    assert ("Each warning ships as a condition: who fixes it, and by when (at the latest 2026-12-20, the day this "
            "attestation expires). Enter keeps the value in brackets.") in out
    assert f"{OWNER} {PRINCIPAL} {OWNER} {DUE} {AFTER} {DUE} {NOT_A_DATE} {DUE} Save to" in out
    assert out.index("Verdict: GO WITH CONDITIONS") < out.index(OWNER), "the verdict first, then its conditions"
    [written] = attestations(git_repo)
    conditions = {"no-rotation": {"owner": "carol@example.com", "due": "2026-11-30"}}
    assert written.read_bytes() == line_bytes(tmp_path, git_repo, CONDITIONAL, conditions=conditions)


def test_line_mode_enter_keeps_the_defaults_and_a_draft_keeps_what_was_typed(git_repo, tmp_path):
    proc = review(git_repo, LINE_START + lines_for(CONDITIONAL) + "carol@example.com\n\n" + "n\n")  # quit at the save
    assert proc.returncode == 0 and attestations(git_repo) == []
    assert draft(git_repo)["conditions"] == {"no-rotation": {"owner": "carol@example.com"}}
    proc = review(git_repo, "\n" + "\n\n" + "y\n")  # resume; Enter keeps carol (kept) and the expiry day
    out = flat(proc.stdout.decode())
    assert proc.returncode == 0, out
    assert f"Owner of 'No rotation schedule' [carol@example.com]: {DUE} Save to" in out
    [written] = attestations(git_repo)
    assert written.read_bytes() == line_bytes(tmp_path, git_repo, CONDITIONAL,
                                              conditions={"no-rotation": {"owner": "carol@example.com"}})


def test_no_warning_asks_nothing(git_repo):
    proc = review(git_repo, LINE_START + lines_for({**CONDITIONAL, "expiry": "yes"}) + "y\n")
    assert proc.returncode == 0
    assert "Owner of" not in proc.stdout.decode()


def test_questionary_prompts_refuse_until_fixed_and_match_the_answers_file(git_repo, tmp_path):
    # reviewed_at 2026-11-29T10:00:00Z: expires 2027-02-27. A refused line stays in the field: clear it first.
    keys = ("Alice Smith\r" + CLEAR + "carol@example.com\r" + "2027-03-01\r" + CLEAR + "2027-01-15\r") + ENTER
    run = drive(git_repo, START + keys_for(MINI_TREE, CONDITIONAL) + keys)
    assert run.rc == 0, run.text
    [written] = run.attestations()
    expected = answers_bytes(tmp_path, git_repo, CONDITIONAL,
                             conditions={"no-rotation": {"owner": "carol@example.com", "due": "2027-01-15"}})
    assert written.read_bytes() == expected
    assert "Each warning ships as a condition" in run.text


def test_questionary_enter_keeps_the_defaults(git_repo, tmp_path):
    run = drive(git_repo, START + keys_for(MINI_TREE, CONDITIONAL) + ENTER * 2 + ENTER)
    assert run.rc == 0, run.text
    [written] = run.attestations()
    assert written.read_bytes() == answers_bytes(tmp_path, git_repo, CONDITIONAL)
    assert 'due = "2027-02-27"' in written.read_text() and 'owner = "alice@example.com"' in written.read_text()
