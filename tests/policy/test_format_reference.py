"""docs/tree-format.md is generated from the models: it is current, and it documents every field.

Fix a failure with ``python scripts/format_reference.py`` (after changing a description in
``wizard/policy/tree.py`` or ``wizard/policy/scenarios.py``, or a rule in ``wizard/policy/diff.py``).
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.helpers.repo import ROOT
from wizard.policy.diff import RULES
from wizard.policy.scenarios import Scenario, ScenarioFile
from wizard.policy.tree import ID_PATTERN, Choice, End, Finding, Outcome, OutcomePolicy, Question, Tree

SCRIPT = ROOT / "scripts" / "format_reference.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("authready_format_reference", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def doc(script) -> str:
    return str(script.generate())


def test_the_committed_reference_is_current(script, doc):
    assert (ROOT / "docs" / "tree-format.md").read_text(encoding="utf-8") == doc, "run: python scripts/format_reference.py"
    assert script.main(["--check"]) == 0


def test_check_fails_when_the_file_differs(script, tmp_path, monkeypatch, capsys):
    stale = tmp_path / "tree-format.md"
    stale.write_text("old\n")
    monkeypatch.setattr(script, "OUT", stale)
    monkeypatch.setattr(script, "ROOT", tmp_path)
    assert script.main(["--check"]) == 1
    assert capsys.readouterr().err == "tree-format.md is out of date: run python scripts/format_reference.py\n"
    assert script.main([]) == 0 and script.main(["--check"]) == 0


@pytest.mark.parametrize("model", [Tree, OutcomePolicy, Question, Choice, Finding, End, ScenarioFile, Scenario],
                         ids=lambda m: m.__name__)
def test_every_field_has_a_row_with_its_description(doc, model):
    for name, field in model.model_fields.items():
        key = field.alias or name
        rows = [line for line in doc.splitlines() if line.startswith(f"| `{key}` |")]
        assert rows, f"{model.__name__}.{key} is not documented"
        if field.description:
            assert any(" ".join(field.description.split()).replace("|", "\\|") in row for row in rows), key


def test_the_semantics_the_issue_asked_for_are_documented(doc):
    """Caps, `dont_know`, id rules, file name = id, `$schema` / `#:schema`, every outcome, every diff rule."""
    for phrase in ("its *cap*", "dont_know = true", ID_PATTERN, "lives in `personal-data.toml`",
                   '"$schema" = "./tree.schema.json"', "#:schema ./tree.schema.json", "`Question.text_sha256`"):
        assert phrase in doc, phrase
    for o in Outcome:
        assert f"- `{o.value}`: **{o.label}**" in doc
    for key, rule in RULES.items():
        assert f"| {rule.part} | " in doc and f"| `{key}` |" in doc
