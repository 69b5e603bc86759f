"""`authready tree new ID`: a starter tree and scenarios that lint and test clean, never over an existing file."""

from __future__ import annotations

import os
import tomllib

import pytest

from wizard.cli.main import main
from wizard.policy.engine import walk
from wizard.policy.lint import lint
from wizard.policy.starter import starter_texts
from wizard.policy.tree import Severity, load_tree_file


def _new(tmp_path, capsys, tree_id="personal-data"):
    code = main(["tree", "new", tree_id, "--dir", str(tmp_path / "policy")])
    return code, capsys.readouterr()


def test_new_writes_a_tree_and_scenarios_that_lint_and_test_clean(tmp_path, capsys):
    code, out = _new(tmp_path, capsys)
    tree, scenarios = tmp_path / "policy" / "personal-data.toml", tmp_path / "policy" / "personal-data.scenarios.toml"
    assert code == 0, out.err
    assert out.out.splitlines()[0] == f"wrote {tree} and {scenarios}"
    assert f"authready tree lint {tree} && authready tree test {tree}" in out.out
    assert main(["tree", "lint", str(tree)]) == 0
    assert main(["tree", "test", str(tree)]) == 0
    assert " 0 failed" in capsys.readouterr().out
    assert oct(os.stat(tree).st_mode & 0o777) == "0o644"


def test_the_starter_shows_what_the_brief_asks_for(tmp_path, capsys):
    """Three questions, a "don't know" answer, a warning and a blocker with remediation, three ends (one per
    kind of cap), the id in both files, and taplo's schema comment first."""
    _new(tmp_path, capsys)
    loaded = load_tree_file(tmp_path / "policy" / "personal-data.toml")
    t = loaded.tree
    assert lint(loaded) == []
    assert (t.id, len(t.questions), len(t.ends)) == ("personal-data", 3, 3)
    assert any(c.dont_know for q in t.questions for c in q.choices)
    assert {f.severity for f in t.findings} == {Severity.BLOCKER, Severity.WARNING}
    assert all(f.remediation for f in t.findings)
    assert {e.outcome.value for e in t.ends} == {"go", "prototype", "no-go"}
    assert loaded.text.splitlines()[0] == "#:schema ./tree.schema.json"
    sc_text = (tmp_path / "policy" / "personal-data.scenarios.toml").read_text()
    assert sc_text.splitlines()[0] == "#:schema ./scenarios.schema.json"
    assert tomllib.loads(sc_text)["tree"] == "personal-data"


def test_the_scenarios_take_every_choice_and_raise_every_finding(tmp_path, capsys):
    """The starter teaches coverage by having it: every choice is taken and every finding raised by some scenario."""
    _new(tmp_path, capsys)
    t = load_tree_file(tmp_path / "policy" / "personal-data.toml").tree
    sf = tomllib.loads((tmp_path / "policy" / "personal-data.scenarios.toml").read_text())
    taken = {(s.question.id, s.choice.id) for sc in sf["scenarios"] for s in walk(t, sc["answers"]).steps}
    assert taken == {(q.id, c.id) for q in t.questions for c in q.choices}
    raised = {f for q, c in taken for f in t.question_map[q].choice(c).raises}
    assert raised == {f.id for f in t.findings}


@pytest.mark.parametrize("which", ["personal-data.toml", "personal-data.scenarios.toml"])
def test_new_never_overwrites_and_writes_nothing_when_either_file_exists(tmp_path, capsys, which):
    (tmp_path / "policy").mkdir()
    existing = tmp_path / "policy" / which
    existing.write_text("mine\n")
    code, out = _new(tmp_path, capsys)
    assert code == 2
    assert out.err == f"authready: {existing}: already exists; nothing was written (choose another id or --dir)\n"
    assert sorted(p.name for p in (tmp_path / "policy").iterdir()) == [which]
    assert existing.read_text() == "mine\n"


@pytest.mark.parametrize("bad", ["Personal-Data", "_data", "data!", "", "x" * 65, "a/b"])
def test_a_bad_id_is_one_clear_line(tmp_path, capsys, bad):
    code, out = _new(tmp_path, capsys, bad)
    assert code == 2
    assert out.err == (
        f"authready: {bad!r} is not a valid tree id: use 1 to 64 lowercase letters, digits, '.', '_' or '-', "
        "starting with a letter or a digit (e.g. personal-data)\n"
    )
    assert not (tmp_path / "policy").exists()


def test_the_shipped_tree_id_is_refused(tmp_path, capsys):
    code, out = _new(tmp_path, capsys, "generated-auth-code")
    assert code == 2
    assert out.err == ("authready: 'generated-auth-code' is the id of a shipped tree; choose another id "
                       "(attestations name a tree by id)\n")


def test_the_texts_name_the_id_everywhere_and_hold_no_placeholder():
    tree, scenarios = starter_texts("team.policy_2")
    assert "@ID@" not in tree + scenarios
    assert 'id = "team.policy_2"' in tree and 'tree = "team.policy_2"' in scenarios
    assert "authready tree test team.policy_2.toml" in tree
