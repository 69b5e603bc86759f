"""The shipped trees' parsed twins: current, used only for the very text they were made from, and equal to
what parsing the TOML gives (so the speed-up can never change a verdict)."""

from __future__ import annotations

import shutil

from wizard.infra.tomlio import parse_toml
from wizard.infra.workspace import shipped_tree_ids, shipped_trees_dir
from wizard.policy.parsed import shipped_data, stale_twins, twin_path
from wizard.policy.tree import Tree, load_tree_file, parse_tree


def test_every_shipped_tree_has_a_current_twin():
    assert stale_twins() == [], "a shipped tree changed: run python -m wizard.policy.parsed"


def test_the_twin_holds_exactly_what_the_toml_parses_to():
    for tree_id in shipped_tree_ids():
        path = shipped_trees_dir() / f"{tree_id}.toml"
        loaded = load_tree_file(path)
        data = shipped_data(path, loaded.sha256)
        assert data is not None
        parsed = parse_toml(loaded.text, path)
        assert data == parsed and list(data) == list(parsed)  # key order too: it orders references and outcomes
        assert loaded.tree == Tree.model_validate(parsed)


def test_a_twin_of_other_text_is_ignored():
    """An edited tree whose twin was not regenerated is parsed as TOML: slower, never wrong."""
    path = shipped_trees_dir() / f"{shipped_tree_ids()[0]}.toml"
    text = path.read_text().replace('title = "', 'title = "Edited: ', 1)
    assert shipped_data(path, "0" * 64) is None
    assert parse_tree(text, path).tree.title.startswith("Edited: ")


def test_a_tree_outside_the_package_never_uses_a_twin(tmp_path):
    """A repo's tree (a pull request may edit it) is always parsed from its own text, even beside a twin."""
    shipped = shipped_trees_dir() / f"{shipped_tree_ids()[0]}.toml"
    copy = tmp_path / shipped.name
    shutil.copy(shipped, copy)
    shutil.copy(twin_path(shipped), twin_path(copy))
    loaded = load_tree_file(copy)
    assert shipped_data(copy, loaded.sha256) is None
