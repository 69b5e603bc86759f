"""Lint finds every problem, each with its file and line, in words that say what to fix.

Each message is asserted whole, with its line (found by the text it points at, so a reader of the
test sees which line is meant).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.lint import at, lint_text
from tests.helpers.repo import MINI_TREE
from wizard.infra.errors import AuthreadyError
from wizard.policy.lint import lint, lint_file, lint_source
from wizard.policy.tree import load_tree_file


def mutate(*pairs: str, count: int = 1) -> str:
    """The mini tree with each ``old`` replaced by ``new`` (pairs: old1, new1, old2, new2, ...)."""
    text = MINI_TREE.read_text()
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert old in text, old
        text = text.replace(old, new, count)
    return text


def cut_off(tmp_path: Path, t: str, indent: str = "") -> list[str]:
    """What stage.production's link to origin reaches, once the link is broken."""
    return [f"{indent}{at(tmp_path, t, 'id = `origin`')}: question 'origin' is unreachable from start 'stage'",
            f"{indent}{at(tmp_path, t, 'id = `expiry`')}: question 'expiry' is unreachable from start 'stage'",
            f"{indent}{at(tmp_path, t, 'id = `end-production`')}: end 'end-production' is unreachable"]


def test_mini_tree_is_clean():
    assert lint(load_tree_file(MINI_TREE)) == []
    assert lint_file(MINI_TREE).problems == []


def test_dangling_link_names_file_and_line(tmp_path):
    t = mutate('next = "origin"', 'next = "nowhere"')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'next = `nowhere`')}: choice stage.production leads to unknown id 'nowhere' (dangling link)",
        *cut_off(tmp_path, t),  # nothing is close to 'nowhere', so what it cut off stands as it is
    ]


def test_a_misspelt_link_suggests_the_id_and_folds_what_it_cut_off(tmp_path):
    t = mutate('next = "origin"', 'next = "orgin"')
    assert lint_text(tmp_path, t) == ["\n".join([
        f"{at(tmp_path, t, 'orgin')}: choice stage.production leads to unknown id 'orgin' (dangling link); "
        "did you mean 'origin'?",
        *cut_off(tmp_path, t, "    "),
    ])]


def test_a_deleted_end_is_one_problem_with_its_knock_ons_under_it(tmp_path):
    t = mutate('[[ends]]\nid = "end-production"\noutcome = "go"\nsummary = "Production path."\n', "")
    assert lint_text(tmp_path, t) == ["\n".join([
        f"{at(tmp_path, t, 'next = `end-production`')}: 'end-production' is missing: 3 choices lead to it, "
        "but no question or end has this id",
        f"    {at(tmp_path, t, 'next = `end-production`', 1)}: choice expiry.yes leads to it",
        f"    {at(tmp_path, t, 'next = `end-production`', 2)}: choice expiry.partly leads to it",
        f"    {at(tmp_path, t, 'next = `end-production`', 3)}: choice expiry.dont-know leads to it",
        f"    {at(tmp_path, t, 'id = `origin`')}: no path from question 'origin' ever reaches an end",
        f"    {at(tmp_path, t, 'id = `expiry`')}: no path from question 'expiry' ever reaches an end",
    ])]


def test_an_unknown_start_suggests_one_and_does_not_flood(tmp_path):
    t = mutate('start = "stage"', 'start = "stag"')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'start =')}: start 'stag' is not a question id; did you mean 'stage'?\n"
        f"    {tmp_path / 't.toml'}: so no question or end is reachable"
    ]


def test_duplicate_question_id_names_the_first_use(tmp_path):
    t = mutate('id = "origin"', 'id = "expiry"')
    probs = lint_text(tmp_path, t)
    first = at(tmp_path, t, 'id = "expiry"', 1).rsplit(":", 1)[1]
    assert f"{at(tmp_path, t, 'id = `expiry`', 2)}: duplicate id 'expiry' (first used at line {first})" in probs


def test_question_and_end_ids_share_a_namespace(tmp_path):
    t = mutate('id = "end-prototype"', 'id = "origin"')
    first = at(tmp_path, t, 'id = "origin"', 1).rsplit(":", 1)[1]
    assert f"{at(tmp_path, t, 'id = `origin`', 2)}: duplicate id 'origin' (first used at line {first})" in \
        lint_text(tmp_path, t)


def test_duplicate_choice_and_finding_ids(tmp_path):
    t = mutate('id = "partly"', 'id = "yes"', 'id = "no-rotation"', 'id = "invented-flow"')
    probs = lint_text(tmp_path, t)
    yes1 = at(tmp_path, t, 'id = "yes"', 2).rsplit(":", 1)[1]  # expiry's first "yes" (proto-creds has one too)
    flow1 = at(tmp_path, t, 'id = "invented-flow"', 1).rsplit(":", 1)[1]
    assert f"{at(tmp_path, t, 'id = `yes`', 3)}: question 'expiry' has duplicate choice id 'yes' " \
           f"(first used at line {yes1})" in probs
    assert f"{at(tmp_path, t, 'id = `invented-flow`', 2)}: duplicate finding id 'invented-flow' " \
           f"(first used at line {flow1})" in probs


def test_unknown_finding_and_reference_suggest_the_closest(tmp_path):
    t = mutate('raises = ["invented-flow"]', 'raises = ["invented-flw"]',
               'refs = ["NHI7:2025"]\n[[questions.choices]]', 'refs = ["NHI7:2026"]\n[[questions.choices]]')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'NHI7:2026')}: question 'stage' cites unknown reference 'NHI7:2026' "
        "(add it to [references]); did you mean 'NHI7:2025'?",
        f"{at(tmp_path, t, 'invented-flw')}: choice origin.invented raises unknown finding 'invented-flw'; "
        "did you mean 'invented-flow'?",
        f"{at(tmp_path, t, 'id = `invented-flow`')}: finding 'invented-flow' is raised by no choice",
    ]


def test_unknown_ids_with_nothing_close_get_no_guess(tmp_path):
    t = mutate('raises = ["invented-flow"]', 'raises = ["ghost"]')
    assert f"{at(tmp_path, t, 'ghost')}: choice origin.invented raises unknown finding 'ghost'" in lint_text(tmp_path, t)


def test_a_finding_raised_twice_by_one_choice(tmp_path):
    t = mutate('raises = ["no-rotation"]', 'raises = ["no-rotation", "no-rotation"]')
    assert lint_text(tmp_path, t) == [f"{at(tmp_path, t, 'no-rotation`, `no-rotation')}: choice expiry.partly "
                                      "raises 'no-rotation' twice"]


def test_cycle_and_never_ending_path(tmp_path):
    # expiry's answers all loop back to origin: a cycle, and nothing after origin can end.
    t = MINI_TREE.read_text().replace('next = "end-production"', 'next = "origin"')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'id = `origin`')}: no path from question 'origin' ever reaches an end",
        f"{at(tmp_path, t, 'id = `expiry`')}: cycle: origin -> expiry -> origin",
        f"{at(tmp_path, t, 'id = `expiry`')}: no path from question 'expiry' ever reaches an end",
        f"{at(tmp_path, t, 'id = `end-production`')}: end 'end-production' is unreachable",
    ]


def test_unreachable_question(tmp_path):
    t = mutate('next = "proto-creds"', 'next = "end-prototype"')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'id = `proto-creds`')}: question 'proto-creds' is unreachable from start 'stage'",
    ]


def test_blocker_without_remediation_and_dont_know_raising_nothing(tmp_path):
    t = mutate('remediation = ["Replace with a managed identity service."]', "remediation = []",
               'raises = ["cannot-explain-expiry"]\ndont_know = true', "dont_know = true")
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'dont_know = true')}: " + 'choice expiry.dont-know is a "don\'t know" answer but raises '
        "no finding; it must count against readiness",
        f"{at(tmp_path, t, 'remediation = []')}: blocker 'invented-flow' has no remediation steps",
        f"{at(tmp_path, t, 'id = `cannot-explain-expiry`')}: finding 'cannot-explain-expiry' is raised by no choice",
    ]


def test_whitespace_only_text_is_blank(tmp_path):
    t = mutate('title = "Mini policy for tests"', 'title = "  "',
               'help = "Invented flows are the warning sign."', 'help = " \\t "',
               'label = "No"', 'label = "   "',
               'remediation = ["Schedule rotation."]', 'remediation = ["Schedule rotation.", " "]',
               'summary = "Prototype only."', 'summary = "\\n"')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'title = `  `')}: title is blank (only whitespace)",
        f"{at(tmp_path, t, 'label = `   `')}: question 'proto-creds', choice 'no': label is blank (only whitespace)",
        f"{at(tmp_path, t, 'help = ` ')}: question 'origin': help is blank (only whitespace)",
        f"{at(tmp_path, t, 'Schedule rotation.')}: finding 'no-rotation': remediation step 2 is blank",
        f"{at(tmp_path, t, 'summary = ')}: end 'end-prototype': summary is blank (only whitespace)",
    ]


def test_two_choices_of_a_question_with_one_label(tmp_path):
    t = mutate('label = "Mostly; no rotation schedule"', 'label = "yes,  short TTLs"')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'yes,  short')}: question 'expiry': choices 'yes' and 'partly' have the same label "
        "'yes,  short TTLs'; a reader cannot tell them apart"
    ]


def test_every_schema_error_by_id_at_its_line(tmp_path):
    t = mutate('label = "No"\n', "",  # proto-creds.no loses its label
               'label = "Yes, short TTLs"\n', 'label = ""\nlabell = "x"\n',
               "[outcomes.prototype]", "[outcomes.protoype]",
               'remediation = ["Schedule rotation."]', 'remediation = ["Schedule rotation.", 3]',
               'severity = "warning"', 'severity = "warn"',
               'version = "1.2.0"', 'version = "1.2"')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'version =')}: version: Value error, version '1.2' is not semver (MAJOR.MINOR.PATCH)",
        f"{at(tmp_path, t, 'protoype')}: outcomes.protoype (key): Input should be 'go', 'conditional', 'prototype' "
        "or 'no-go'",
        # a missing key points at the table that lacks it, not at the next choice's `label`
        f"{at(tmp_path, t, '[[questions.choices]]', 3)}: question 'proto-creds', choice 'no': label: Field required",
        f"{at(tmp_path, t, 'label = ``')}: question 'expiry', choice 'yes': label: String should have at least "
        "1 character",
        f"{at(tmp_path, t, 'labell')}: question 'expiry', choice 'yes': labell: Extra inputs are not permitted",
        f"{at(tmp_path, t, 'warn`')}: finding 'no-rotation': severity: Input should be 'blocker' or 'warning'",
        # a step is text or a table: the models (and lint) say what is wrong with it as either
        f"{at(tmp_path, t, 'Schedule rotation.')}: finding 'no-rotation', remediation item 2 (as text): Input should "
        "be a valid string",
        f"{at(tmp_path, t, 'Schedule rotation.')}: finding 'no-rotation', remediation item 2 (as a table): Input "
        "should be a valid dictionary or instance of RemediationStep",
    ]


def test_an_element_without_an_id_is_named_by_its_position(tmp_path):
    t = mutate('[[ends]]\nid = "end-prototype"\n', "[[ends]]\n")
    assert lint_text(tmp_path, t) == [f"{at(tmp_path, t, '[[ends]]')}: end 1: id: Field required"]


def test_a_newer_format_is_one_error_not_a_list(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text(mutate("format = 1", "format = 7", 'title = "Mini policy for tests"', 'title = ""'))
    with pytest.raises(AuthreadyError) as exc:
        lint_file(p)
    assert str(exc.value) == (f"{p}:1: format: Value error, tree format 7 is newer than this authready supports (1); "
                              "upgrade authready")


@pytest.mark.parametrize("text, says", [
    ('kind = "authready-attestation"\n', "is an attestation, not a decision tree; to re-review it: authready review "
                                         "--from {p}"),
    ('tree = "mini"\n[answers]\nstage = "production"\n', "is an answers file, not a decision tree; record it: "
                                                         "authready review --answers {p}"),
    ('tree = "mini"\n[[scenarios]]\nname = "x"\n', "is a scenarios file, not a tree; run: authready tree test mini"),
])
def test_another_kind_of_file_says_what_it_is(tmp_path, text, says):
    p = tmp_path / "other.toml"
    p.write_text(text)
    with pytest.raises(AuthreadyError) as exc:
        lint_file(p)
    assert str(exc.value) == f"{p}: " + says.format(p=p)


def test_a_scenarios_file_points_at_its_tree(tmp_path):
    (tmp_path / "mini.toml").write_text(MINI_TREE.read_text())
    p = tmp_path / "mini.scenarios.toml"
    p.write_text("not even TOML [")
    with pytest.raises(AuthreadyError) as exc:
        lint_file(p)
    assert str(exc.value) == f"{p}: is a scenarios file, not a tree; run: authready tree test {tmp_path / 'mini.toml'}"


def test_lint_source_takes_text(tmp_path):
    t = mutate('next = "origin"', 'next = "nowhere"')
    assert [p.message for p in lint_source(t, tmp_path / "t.toml")][0].startswith("choice stage.production leads to")


def test_cli_lint_reports_every_problem_and_exits_2(tmp_path):
    t = mutate('next = "origin"', 'next = "nowhere"', 'raises = ["invented-flow"]', 'raises = ["ghost"]')
    p = tmp_path / "t.toml"
    p.write_text(t)
    proc = subprocess.run([sys.executable, "-m", "wizard", "tree", "lint", str(p)], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stdout.strip().splitlines()
    assert len(lines) >= 3 and all(ln.startswith(str(p)) for ln in lines)
    assert proc.stderr == f"{len(lines)} problem(s) in {p}\n"


def test_remediation_tables_lint_like_text_steps(tmp_path):
    t = mutate('remediation = ["Replace with a managed identity service."]\n',
               '[[findings.remediation]]\nstep = "Replace with a managed identity service."\n'
               '[[findings.remediation]]\nstep = " "\nphase = "verify"\n')
    assert lint_text(tmp_path, t) == [f"{at(tmp_path, t, 'step = ` `')}: finding 'invented-flow': remediation step 2 "
                                      "is blank"]
    t = mutate('remediation = ["Replace with a managed identity service."]\n',
               '[[findings.remediation]]\nstep = "Replace with a managed identity service."\nphase = "later"\n')
    assert lint_text(tmp_path, t) == [  # a union's errors: one per form the step could take, as the models say
        f"{at(tmp_path, t, '[[findings.remediation]]')}: finding 'invented-flow', remediation 1 (as text): Input "
        "should be a valid string",
        f"{at(tmp_path, t, 'phase = ')}: finding 'invented-flow', remediation 1 (as a table): phase: Input should "
        "be 'contain', 'fix', 'condition' or 'verify'",
    ]
