"""The published JSON Schema matches the models (regenerate: authready tree schema > decision_trees/tree.schema.json),
describes every field, and rejects what the models reject: editors and authready agree on a tree."""

from __future__ import annotations

import json
import tomllib

import jsonschema
import pytest

from tests.helpers.repo import MINI_TREE
from wizard.cli.main import main
from wizard.infra.errors import AuthreadyError
from wizard.infra.workspace import shipped_trees_dir
from wizard.policy.starter import starter_texts
from wizard.policy.tree import Choice, End, Finding, OutcomePolicy, Question, Tree, json_schema, load_tree_file, parse_tree

MODELS = (Tree, OutcomePolicy, Question, Choice, Finding, End)


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema())


def test_published_schema_is_current():
    published = json.loads((shipped_trees_dir() / "tree.schema.json").read_text())
    assert published == json_schema(), "run: authready tree schema > decision_trees/tree.schema.json"


def test_schema_describes_the_tree_format():
    schema = json_schema()
    assert set(schema["required"]) >= {"id", "version", "title", "start", "outcomes", "questions", "ends", "format"}
    assert "Question" in schema["$defs"] and "Choice" in schema["$defs"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_description(model):
    """The format reference is generated from these: a field without one would be a blank row in the docs."""
    assert model.__doc__
    assert [name for name, f in model.model_fields.items() if not f.description] == []


def test_the_schema_accepts_the_shipped_tree_the_fixture_and_the_starter():
    v = _validator()
    texts = [(shipped_trees_dir() / "generated-auth-code.toml").read_text(), MINI_TREE.read_text(), starter_texts("x")[0]]
    for text in texts:
        assert list(v.iter_errors(tomllib.loads(text))) == []


@pytest.mark.parametrize("outcome", ["go", "conditional", "prototype", "no-go"])
def test_the_schema_requires_every_outcome_as_lint_does(outcome):
    """A tree without one `[outcomes.*]` table is refused by the model; an editor using the schema says so too."""
    data = tomllib.loads(MINI_TREE.read_text())
    del data["outcomes"][outcome]
    errors = [e.message for e in _validator().iter_errors(data)]
    assert errors == [f"'{outcome}' is a required property"]
    with pytest.raises(Exception, match=f"missing: {outcome}"):
        Tree.model_validate(data)


def test_a_schema_key_is_accepted_and_ignored(tmp_path):
    """`"$schema" = "…"` at the top (an editor's hint) loads, validates against the schema, and changes no output."""
    text = '"$schema" = "./tree.schema.json"\n' + MINI_TREE.read_text()
    p = tmp_path / "mini.toml"
    p.write_text(text)
    loaded = load_tree_file(p)
    plain = load_tree_file(MINI_TREE)
    assert loaded.tree.schema_ref == "./tree.schema.json"
    assert loaded.tree.model_dump() == plain.tree.model_dump()  # not in `tree show --format json`
    assert list(_validator().iter_errors(tomllib.loads(text))) == []
    assert main(["tree", "lint", str(p)]) == 0


def test_a_schema_key_must_be_a_string(tmp_path):
    p = tmp_path / "mini.toml"
    p.write_text('"$schema" = 3\n' + MINI_TREE.read_text())
    with pytest.raises(AuthreadyError) as exc:
        load_tree_file(p)
    assert str(exc.value) == f"{p}:1: $schema: Input should be a valid string"


def test_other_unknown_keys_are_still_refused(tmp_path):
    p = tmp_path / "mini.toml"
    text = 'schema = "./tree.schema.json"\n' + MINI_TREE.read_text()
    with pytest.raises(AuthreadyError, match="schema: Extra inputs are not permitted"):
        parse_tree(text, p)
    assert list(_validator().iter_errors(tomllib.loads(text)))
