"""How a verdict shows its conditions: each warning's owner and due date in text, Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.repo import GO_ANSWERS, in_repo, write_answers
from tests.helpers.signing import cli

CONDITIONAL = {**GO_ANSWERS, "expiry": "partly"}


def evaluate(tmp: Path, capsys, fmt: str, answers=CONDITIONAL) -> str:
    af = write_answers(tmp / "a.toml", in_repo(Path.cwd()), answers,
                       conditions={"no-rotation": {"owner": "bob_[x]@example.com", "due": "2027-01-15"}}
                       if answers == CONDITIONAL else None)
    rc, out, err = cli(capsys, "evaluate", str(af), "--format", fmt)
    assert rc == 0, err
    return out


def test_text_names_the_owner_and_due_date_under_the_warning(git_repo, tmp_path, capsys):
    out = evaluate(tmp_path, capsys, "text")
    assert ("Warnings:\n  - [no-rotation] No rotation schedule\n      because: expiry=partly\n"
            "      owner: bob_[x]@example.com, due 2027-01-15\n") in out


def test_markdown_has_a_conditions_table_with_escaped_owners(git_repo, tmp_path, capsys):
    out = evaluate(tmp_path, capsys, "markdown")
    assert ("**Conditions**\n\n| Warning | Owner | Due |\n| --- | --- | --- |\n"
            "| No rotation schedule | bob\\_\\[x\\]@example.com | 2027-01-15 |\n") in out


def test_json_carries_the_recorded_conditions(git_repo, tmp_path, capsys):
    doc = json.loads(evaluate(tmp_path, capsys, "json"))
    assert doc["verdict"]["conditions"] == [{"finding": "no-rotation", "owner": "bob_[x]@example.com", "due": "2027-01-15"}]


def test_no_warning_no_conditions_anywhere(git_repo, tmp_path, capsys):
    for fmt in ("text", "markdown", "json"):
        out = evaluate(tmp_path, capsys, fmt, GO_ANSWERS)
        assert "owner" not in out.lower() and "conditions" not in out.lower(), fmt
