"""Installed policy packages for tests: a distribution's metadata and its package folder, on a site folder.

What ``pip install`` leaves behind, minus ``RECORD``: ``<name>-<version>.dist-info`` with
``METADATA`` and ``entry_points.txt``, and the package folder holding the tree. The test puts the
site folder on ``sys.path`` (``monkeypatch.syspath_prepend``) and calls
``wizard.infra.tree_sources.forget()``; ``importlib.metadata`` then finds a real distribution.
The slow test ``tests/cli/test_policy_package.py`` builds and installs a real wheel instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import MINI_TREE
from wizard.infra import tree_sources


@pytest.fixture
def site(tmp_path, monkeypatch):
    """An empty site folder first on ``sys.path``; the scan is forgotten before and after (import it as a fixture)."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    tree_sources.forget()
    yield folder
    tree_sources.forget()


def tree_text(tree_id: str, version: str = "1.2.0") -> str:
    """The mini tree under another id (and version)."""
    text = MINI_TREE.read_text().replace('id = "mini"', f'id = "{tree_id}"', 1)
    return text.replace('version = "1.2.0"', f'version = "{version}"', 1)


def dist(site: Path, name: str, version: str, entry_points: dict[str, str]) -> Path:
    """A distribution's metadata declaring ``entry_points`` (tree id -> package) in ``authready.trees``."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    lines = "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    (info / "entry_points.txt").write_text(f"[console_scripts]\nnot-a-tree = os:getcwd\n\n[authready.trees]\n{lines}")
    return info


def package(site: Path, name: str, files: dict[str, str]) -> Path:
    """A package folder (``__init__.py`` and ``files``) on the site folder."""
    folder = site / name.replace(".", "/")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")
    for fname, text in files.items():
        (folder / fname).write_text(text)
    return folder


def tree_package(site: Path, dist_name: str, tree_id: str, *, version: str = "1.0.0", tree_version: str = "1.2.0") -> Path:
    """One distribution providing one tree: returns the tree file."""
    pkg = tree_id.replace("-", "_").replace(".", "_")
    dist(site, dist_name, version, {tree_id: pkg})
    return package(site, pkg, {f"{tree_id}.toml": tree_text(tree_id, tree_version)}) / f"{tree_id}.toml"
