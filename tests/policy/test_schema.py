"""The published JSON Schema matches the models (regenerate: authready tree schema > decision_trees/tree.schema.json)."""

from __future__ import annotations

import json

from wizard.policy.tree import json_schema
from wizard.infra.workspace import shipped_trees_dir


def test_published_schema_is_current():
    published = json.loads((shipped_trees_dir() / "tree.schema.json").read_text())
    assert published == json_schema(), "run: authready tree schema > decision_trees/tree.schema.json"


def test_schema_describes_the_tree_format():
    schema = json_schema()
    assert set(schema["required"]) >= {"id", "version", "title", "start", "outcomes", "questions", "ends", "format"}
    assert "Question" in schema["$defs"] and "Choice" in schema["$defs"]
