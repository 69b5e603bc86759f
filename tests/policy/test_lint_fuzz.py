"""Lint reads raw TOML data, so junk must not crash it: every input gives problems or one AuthreadyError.

And lint agrees with the loader: what lints clean loads, and what the loader refuses, lint reports.
"""

from __future__ import annotations

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.repo import MINI_TREE
from wizard.infra.errors import AuthreadyError
from wizard.policy.lint import lint_file
from wizard.policy.tree import parse_tree

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = MINI_TREE.read_text()
keys = st.sampled_from(["id", "format", "version", "start", "title", "questions", "choices", "findings", "ends",
                        "next", "raises", "label", "text", "help", "outcomes", "severity", "summary", "x"])
scalars = st.one_of(st.text(max_size=12), st.integers(-3, 3), st.booleans())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=10)


def _check(path) -> None:
    try:
        problems = lint_file(path).problems
    except AuthreadyError:
        return
    for prob in problems:
        assert str(prob).startswith(str(path))
    try:
        parse_tree(path.read_text(), path)
    except AuthreadyError:
        assert problems, "the loader refused a tree lint passed"


@SETTINGS
@given(st.integers(0, len(TEXT)), st.text(max_size=6))
def test_a_mutated_tree(tmp_path_factory, pos, insert):
    p = tmp_path_factory.mktemp("lz") / "t.toml"
    p.write_text(TEXT[:pos] + insert + TEXT[pos + 1:])
    _check(p)


@SETTINGS
@given(st.dictionaries(keys, values, max_size=8))
def test_wrong_shapes(tmp_path_factory, doc):
    p = tmp_path_factory.mktemp("lz") / "t.toml"
    p.write_text(tomli_w.dumps(doc))
    _check(p)
