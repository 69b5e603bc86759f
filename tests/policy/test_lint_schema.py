"""Lint's schema check (no pydantic) says what the models say: the same errors, in the same order, same words.

Lint validates the raw TOML data by walking the models' JSON Schema (``wizard.policy.lint_schema``)
so that ``tree lint`` never imports pydantic. These tests keep the two from drifting: a corpus of
broken trees (every key deleted, every value replaced by values of other types, an unknown key in
every table) validated both ways, and guards on what the schema cannot carry (field validators).
"""

from __future__ import annotations

import copy
import datetime
import tomllib
from typing import Any, Callable, Iterator

import pytest
from pydantic import ValidationError

from tests.helpers.repo import FIXTURES, MINI_TREE
from wizard.policy import lint_schema, tree
from wizard.policy.lint_schema import KEYWORDS, SchemaWalker, tree_walker

BASE = tomllib.loads(MINI_TREE.read_text())
# The multi tree has what the mini tree lacks: select-all questions, exclusive answers, caps, moots, question `next`;
# only its questions that use them are varied (the rest would repeat the mini tree's cases).
MULTI = tomllib.loads((FIXTURES / "multi.toml").read_text())
MULTI_NEW = {("questions", 1), ("questions", 4), ("questions", 5)}  # data (select-all), clients (moots), sessions
OTHER_VALUES: list[Any] = [7, 0, -1, 10**6, 1.5, 2.0, "x", "", "  ", "Bad Id", True, False, [], ["x"], [{}], {},
                           {"a": 1}, datetime.date(2026, 1, 1)]
# Lint is stricter than the models about TOML types on purpose (format = "1" loads, and lint reports it).
STRICT = ("Input should be a valid integer", "Input should be a valid boolean")


def _paths(node: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*at, k)
            yield from _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*at, i)
            yield from _paths(v, (*at, i))


def _parent(data: Any, path: tuple[str | int, ...]) -> Any:
    for p in path[:-1]:
        data = data[p]
    return data


def corpus() -> Iterator[tuple[str, dict[str, Any]]]:
    """Broken variants of the mini and multi trees (and the trees themselves)."""
    yield from _variants("mini", BASE, lambda path: True)
    yield from _variants("multi", MULTI, lambda path: path[:2] in MULTI_NEW)
    d = copy.deepcopy(BASE)
    d["zzz"], d["format"], d["version"] = 1, 0, "1.2"
    yield "several at once", d


def _variants(tree_name: str, base: dict[str, Any],
              varied: Callable[[tuple[str | int, ...]], bool]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield f"{tree_name} as is", copy.deepcopy(base)
    for path in filter(varied, _paths(base)):
        if isinstance(path[-1], str):
            d = copy.deepcopy(base)
            del _parent(d, path)[path[-1]]
            yield f"{tree_name} {path} deleted", d
        for value in OTHER_VALUES:
            d = copy.deepcopy(base)
            _parent(d, path)[path[-1]] = value
            yield f"{tree_name} {path} = {value!r}", d
        target = _parent(base, path + ("x",))
        if isinstance(target, dict):
            d = copy.deepcopy(base)
            _parent(d, path + ("x",))["zzz"] = 1
            yield f"{tree_name} {path} + unknown key", d


def _models(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    try:
        tree.Tree.model_validate(data)
    except ValidationError as exc:
        out = []
        for e in exc.errors():
            msg = e["msg"]
            if msg.startswith(STRICT) or msg == "Input should be a finite number":  # the reason after the comma
                msg = STRICT[0] if "integer" in msg or "finite" in msg else STRICT[1]
            out.append((tuple(e["loc"]), msg))
        return out
    return []


def test_lint_reports_exactly_what_the_models_report():
    walker = SchemaWalker(tree.json_schema())  # the live models' schema (the published one: test_schema)
    checked = 0
    for name, data in corpus():
        models = _models(data)
        ours = [(e["loc"], e["msg"]) for e in walker.errors(data)]
        # Where lint refuses a type the models coerce (a number, string or boolean), the models may accept
        # the value or judge the coerced one (format = 2.0: "newer than this authready"): either way both fail.
        strict = {loc for loc, msg in ours if msg in STRICT and isinstance(_parent(data, loc)[loc[-1]], (int, float, str))}
        assert [e for e in ours if e[0] not in strict] == [e for e in models if e[0] not in strict], name
        checked += 1
    assert checked > 500


def test_a_tree_that_lints_clean_loads():
    walker = SchemaWalker(tree.json_schema())
    for name, data in corpus():
        if not walker.errors(data):
            tree.Tree.model_validate(data)  # raises if lint were more lenient than the models


def test_the_schema_uses_only_keywords_lint_enforces():
    """A new constraint in the models (say ``max_length``) must be taught to the walker first."""
    annotations = {"title", "description", "default", "examples", "$defs", "$schema", "deprecated"}

    def keywords(node: Any) -> set[str]:
        if isinstance(node, list):
            return set().union(*(keywords(n) for n in node)) if node else set()
        if not isinstance(node, dict):
            return set()
        found = set(node) - annotations
        for key, value in node.items():
            if key in ("properties", "$defs"):
                found |= set().union(*(keywords(v) for v in value.values())) if value else set()
            elif key not in annotations or key == "$defs":
                found |= keywords(value)
        return found

    assert keywords(tree.json_schema()) <= KEYWORDS


def test_the_models_have_no_checks_lint_does_not_know():
    """The schema cannot carry a validator; lint mirrors these three (``lint_schema._FIELD_CHECKS``)."""
    known = {("Tree", "version"), ("Tree", "format"), ("Tree", "outcomes")}
    found = set()
    for model in (tree.Tree, tree.Question, tree.Choice, tree.Finding, tree.End, tree.OutcomePolicy):
        decorators = model.__pydantic_decorators__
        assert not decorators.model_validators, model
        for dec in decorators.field_validators.values():
            found |= {(model.__name__, f) for f in dec.info.fields}
    assert found == known == set(lint_schema._FIELD_CHECKS)
    assert lint_schema.TREE_FORMAT == tree.TREE_FORMAT and lint_schema.SEMVER.pattern == tree.SEMVER.pattern


def test_lint_walks_the_published_schema():
    published = tree_walker().root
    assert published["properties"].keys() == tree.json_schema()["properties"].keys()


@pytest.mark.parametrize("value, message", [
    (5, "Input should be a valid string"),
    ("Bad", "String should match pattern '^[a-z0-9][a-z0-9._-]{0,63}$'"),
])
def test_messages_are_the_models_words(value, message):
    d = copy.deepcopy(BASE)
    d["questions"][0]["id"] = value
    assert tree_walker().errors(d) == [{"loc": ("questions", 0, "id"), "msg": message}]
