"""TOML lines and names for errors: where a key stands (or the table that lacks it), and its place by id."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.helpers.repo import MINI_TREE
from wizard.infra.tomlio import TomlLines, describe_loc, locate, validation_error, validation_problems
from wizard.policy.tree import Tree

DOC = '''\
title = "x"
"quoted key" = 1
site.name = "dotted"
help = """
id = "not a key: inside a multi-line string"
[not-a-table]
"""

[outcomes.go]
valid_days = 1
[outcomes."no-go"]
valid_days = 2

[[questions]]
id = "a"
refs = ["r1",
  "r2"]
[[questions.choices]]
id = "a1"
next = "b"
[[questions.choices]]
id = "a2"

[[questions]]  # a comment
id = "b"
choices = [{ id = "b1", next = "end" }]
'''


@pytest.mark.parametrize("loc, line", [
    (("title",), 1),
    (("quoted key",), 2),
    (("site", "name"), 3),  # a dotted key: the line that assigns it
    (("help",), 4),
    (("outcomes",), 9),  # a table only implied by its sub-tables: the first of them
    (("outcomes", "go", "valid_days"), 10),
    (("outcomes", "no-go", "valid_days"), 12),
    (("questions", 0, "id"), 15),
    (("questions", 0, "refs", 1), 16),  # inside an inline value: the key holding it
    (("questions", 0, "choices", 0, "next"), 20),
    (("questions", 0, "choices", 1, "next"), 21),  # missing: the choice that lacks it, not a later `next`
    (("questions", 0, "text"), 14),  # missing: its question's header
    (("questions", 1, "id"), 25),
    (("questions", 1, "choices", 0, "next"), 26),  # an inline array of tables: its key
    (("questions", 5, "id"), 14),  # no such element: the array's first
    (("start",), None),  # missing from the root table: no line to point at
    (("id",), None),  # not confused by the id inside the multi-line string
])
def test_lines(loc, line):
    assert TomlLines(DOC).line(loc) == line
    assert locate(DOC, loc) == line


def test_a_missing_key_points_into_its_own_table():
    """The old search ran past the end of the table and found the next choice's ``label``."""
    text = MINI_TREE.read_text().replace('label = "No"\n', "", 1)
    data = tomllib.loads(text)
    with pytest.raises(ValidationError) as exc:
        Tree.model_validate(data)
    err = validation_error(exc.value, text, Path("t.toml"))
    assert str(err) == "t.toml:42: questions.1.choices.0.label: Field required"
    assert text.splitlines()[41] == "[[questions.choices]]"


def test_validation_problems_are_every_error_by_id():
    text = (MINI_TREE.read_text().replace('label = "Yes"\n', "", 1)
            .replace('severity = "warning"', 'severity = "warn"').replace('label = "No"', "label = 3"))
    data = tomllib.loads(text)
    with pytest.raises(ValidationError) as exc:
        Tree.model_validate(data)
    assert validation_problems(exc.value, data, text) == [
        (44, "question 'proto-creds', choice 'no': label: Input should be a valid string"),
        (46, "question 'proto-creds', choice 'yes': label: Field required"),
        (102, "finding 'no-rotation': severity: Input should be 'blocker' or 'warning'"),
    ]


@pytest.mark.parametrize("loc, name", [
    ((), "(top level)"),
    (("start",), "start"),
    (("questions", 3, "choices", 1, "next"), "question 'expiry', choice 'partly': next"),
    (("questions", 3), "question 'expiry'"),
    (("findings", 0, "remediation", 1), "finding 'prod-creds-in-prototype': remediation item 2"),
    (("findings", 0, "remediation", 1, "str"), "finding 'prod-creds-in-prototype', remediation item 2 (as text)"),
    (("findings", 0, "remediation", 1, "RemediationStep", "step"),  # a union's forms: text, or a table
     "finding 'prod-creds-in-prototype', remediation item 2 (as a table): step"),
    (("outcomes", "great", "[key]"), "outcomes.great (key)"),
    (("outcomes", "go", "valid_days"), "outcomes.go.valid_days"),
    (("questions", 9, "id"), "question 10: id"),  # no such element (or no id): its 1-based position
])
def test_describe_loc(loc, name):
    assert describe_loc(loc, tomllib.loads(MINI_TREE.read_text())) == name
