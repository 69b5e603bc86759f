"""Generated junk thrown at every parser: each either parses or raises one AuthreadyError, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.repo import MINI_TREE
from wizard.review.answers import load_answers
from wizard.attestation.store import load as load_attestation
from wizard.infra.errors import AuthreadyError
from wizard.policy.scenarios import load_scenarios
from wizard.policy.tree import parse_tree

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

keys = st.sampled_from(
    ["tree", "id", "format", "version", "start", "questions", "choices", "answers", "notes", "schema_version",
     "subject", "policy", "review", "verdict", "reviewers", "paths", "component", "next", "raises", "outcome", "x"]
)
scalars = st.one_of(st.text(max_size=20), st.integers(-5, 5), st.booleans(), st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4), max_leaves=12)
documents = st.dictionaries(keys, values, max_size=6)

pytestmark = pytest.mark.slow



def _parsers(path: Path):
    text = path.read_text(encoding="utf-8", errors="replace")
    return [
        lambda: parse_tree(text, path),
        lambda: load_answers(path),
        lambda: load_attestation(path),
        lambda: load_scenarios(path),
    ]


def _only_clean_errors(path: Path) -> None:
    for parse in _parsers(path):
        try:
            parse()
        except AuthreadyError as exc:
            line = str(exc)
            assert "\n" not in line.strip() and line


@SETTINGS
@given(st.binary(max_size=300))
def test_raw_bytes(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("fz") / "f.toml"
    p.write_bytes(data)
    _only_clean_errors(p)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list('[]{}="\'.,#\n tqaxy1-_:')), max_size=200))
def test_toml_like_text(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("fz") / "f.toml"
    p.write_text(text)
    _only_clean_errors(p)


@SETTINGS
@given(documents)
def test_valid_toml_wrong_shapes(tmp_path_factory, doc):
    p = tmp_path_factory.mktemp("fz") / "f.toml"
    p.write_text(tomli_w.dumps(doc))
    _only_clean_errors(p)


@SETTINGS
@given(st.integers(0, 4000), st.text(max_size=8))
def test_mutated_real_tree(tmp_path_factory, pos, insert):
    text = MINI_TREE.read_text()
    pos %= len(text)
    p = tmp_path_factory.mktemp("fz") / "t.toml"
    p.write_text(text[:pos] + insert + text[pos + 1 :])
    try:
        loaded = parse_tree(p.read_text(), p)
    except AuthreadyError:
        return
    from wizard.policy.lint import lint

    for prob in lint(loaded):
        assert str(prob).startswith(str(p))
