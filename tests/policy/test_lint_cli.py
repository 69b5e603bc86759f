"""``authready tree lint``: folders, several trees at once, a scenarios file, and what it imports.

What it imports is the test of speed that does not drift: lint on save must not pay for pydantic
(about three quarters of the old command's time), nor for an entry-point scan or a temp file module.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.repo import MINI_TREE
from wizard.cli.main import main


def broken(folder: Path, name: str = "broken.toml") -> Path:
    p = folder / name
    p.write_text(MINI_TREE.read_text().replace('next = "origin"', 'next = "nowhere"'))
    return p


def test_a_folder_lints_every_tree_in_it_but_not_scenarios(tmp_path, capsys):
    (tmp_path / "mini.toml").write_text(MINI_TREE.read_text())
    (tmp_path / "mini.scenarios.toml").write_text("tree = 'mini'\n")
    bad = broken(tmp_path)
    assert main(["tree", "lint", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"{bad}:36: choice stage.production leads to unknown id 'nowhere' (dangling link)"
    assert out.splitlines()[-1] == f"{tmp_path / 'mini.toml'}: ok (4 questions, 4 findings, 2 ends)"
    assert err == "4 problem(s) in 1 of 2 trees\n"


def test_a_folder_without_trees_says_so(tmp_path, capsys):
    (tmp_path / "mini.scenarios.toml").write_text("tree = 'mini'\n")
    assert main(["tree", "lint", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"authready: {tmp_path}: is a folder with no trees in it (no *.toml files other "
                                       "than *.scenarios.toml); give a tree file or a folder of them\n")


def test_a_folder_named_like_a_word_is_a_folder(tmp_path, capsys, monkeypatch):
    """``tree lint policy`` with a folder ``policy`` lints the folder (it used to say "unknown tree 'policy'")."""
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "mini.toml").write_text(MINI_TREE.read_text())
    monkeypatch.chdir(tmp_path)
    assert main(["tree", "lint", "policy"]) == 0
    assert capsys.readouterr().out == "policy/mini.toml: ok (4 questions, 4 findings, 2 ends)\n"


def test_a_scenarios_file_points_at_tree_test(tmp_path, capsys):
    tree = tmp_path / "mini.toml"
    tree.write_text(MINI_TREE.read_text())
    scen = tmp_path / "mini.scenarios.toml"
    scen.write_text("tree = 'mini'\n")
    assert main(["tree", "lint", str(scen)]) == 2
    assert capsys.readouterr().err == (f"authready: {scen}: is a scenarios file, not a tree; run: authready tree test "
                                       f"{tree}\n")


def test_several_trees_in_one_call(tmp_path, capsys):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(MINI_TREE.read_text())
    b.write_text(MINI_TREE.read_text())
    assert main(["tree", "lint", str(a), str(b)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "all 2 trees ok"
    bad = broken(tmp_path)
    assert main(["tree", "lint", str(a), str(tmp_path / "missing.toml"), str(bad)]) == 2
    out, err = capsys.readouterr()
    assert f"{a}: ok (4 questions, 4 findings, 2 ends)" in out.splitlines()
    assert err.splitlines() == [f"authready: {tmp_path / 'missing.toml'}: no such file",
                                "5 problem(s) in 2 of 3 trees"]


def test_one_tree_keeps_its_one_line_summary(tmp_path, capsys):
    bad = broken(tmp_path)
    assert main(["tree", "lint", str(bad)]) == 2
    assert capsys.readouterr().err == f"4 problem(s) in {bad}\n"


PROBE = """
import json, sys
from wizard.cli.main import main
rc = main({argv!r})
print(json.dumps([rc, sorted(sys.modules)]), file=sys.stderr)
"""
HEAVY = {"pydantic", "pydantic_core", "textual", "rich", "questionary", "dataclasses", "inspect", "difflib",
         "importlib.metadata", "importlib.resources", "tempfile", "zipfile", "hashlib", "wizard.policy.tree"}


def imports(argv: list[str], cwd: Path) -> tuple[int, set[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, cwd=cwd)
    rc, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    return rc, set(modules)


def test_lint_on_save_imports_only_what_lint_needs(tmp_path):
    """A repo's tree by path, as an editor passes it: no pydantic, no dataclasses/inspect, no entry points."""
    tree = tmp_path / "policy.toml"
    tree.write_text(MINI_TREE.read_text())
    rc, modules = imports(["tree", "lint", str(tree)], tmp_path)
    assert rc == 0 and modules & HEAVY == set()
    rc, modules = imports(["tree", "lint", str(broken(tmp_path))], tmp_path)  # a problem: difflib for the guesses
    assert rc == 2 and modules & HEAVY == {"difflib"}


def test_lint_of_the_shipped_policy_does_not_import_pydantic(tmp_path):
    rc, modules = imports(["tree", "lint"], tmp_path)
    assert rc == 0 and not {m for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core", "textual")}
