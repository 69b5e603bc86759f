"""The published scenarios schema matches the models (regenerate: authready tree schema --scenarios >
decision_trees/scenarios.schema.json), and every scenarios file in the project validates against it."""

from __future__ import annotations

import json
import tomllib

import pytest
from jsonschema import Draft202012Validator

from tests.helpers.repo import FIXTURES
from wizard.cli.main import main
from wizard.infra.workspace import shipped_trees_dir
from wizard.policy.scenarios import scenarios_json_schema

PUBLISHED = shipped_trees_dir() / "scenarios.schema.json"
FILES = sorted(shipped_trees_dir().glob("*.scenarios.toml")) + sorted(FIXTURES.glob("*.scenarios.toml"))


def test_published_scenarios_schema_is_current():
    published = json.loads(PUBLISHED.read_text())
    assert published == scenarios_json_schema(), "run: authready tree schema --scenarios > decision_trees/scenarios.schema.json"


def test_tree_schema_scenarios_prints_it(capsys):
    assert main(["tree", "schema", "--scenarios"]) == 0
    assert json.loads(capsys.readouterr().out) == scenarios_json_schema()


def test_schema_describes_every_field():
    schema = scenarios_json_schema()
    Draft202012Validator.check_schema(schema)
    assert set(schema["required"]) == {"tree", "scenarios"}
    assert set(schema["properties"]) == {"$schema", "tree", "exact", "scenarios"}
    fields = {**schema["properties"], **schema["$defs"]["Scenario"]["properties"]}
    assert [k for k, v in fields.items() if not v.get("description")] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_project_scenarios_files_validate(path):
    errors = list(Draft202012Validator(scenarios_json_schema()).iter_errors(tomllib.loads(path.read_text())))
    assert errors == []


def test_schema_refuses_what_the_loader_refuses():
    bad = {"tree": "t", "exactly": True, "scenarios": [{"name": "a", "answers": {}, "outcome": "maybe"}]}
    messages = sorted(e.message for e in Draft202012Validator(scenarios_json_schema()).iter_errors(bad))
    assert len(messages) == 2 and "'maybe'" in messages[0]
