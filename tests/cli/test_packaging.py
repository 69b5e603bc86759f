"""Every package of the source tree is in the wheel: pyproject lists packages by hand, so a new
folder (``wizard/cli/tree`` was one) would install as a command that cannot start."""

from __future__ import annotations

import tomllib

from tests.helpers.repo import ROOT


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "wizard").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_package_data_covers_the_starter_templates():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    templates = sorted(p.name for p in (ROOT / "wizard" / "policy" / "templates").glob("*.toml"))
    assert templates and "templates/*.toml" in data["wizard.policy"]
