"""A non-editable install into a fresh venv carries the shipped trees and runs from any folder."""

from __future__ import annotations

from tests.helpers.repo import ROOT

import subprocess
import sys
from pathlib import Path

import pytest

REPO = ROOT

pytestmark = pytest.mark.slow



def test_wheel_install_lints_and_tests_default_tree(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(REPO)],
        capture_output=True, text=True,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    exe = str(venv / "bin" / "authready")
    lint = subprocess.run([exe, "tree", "lint"], cwd=elsewhere, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "site-packages/wizard/decision_trees/generated-auth-code.toml: ok" in lint.stdout
    test = subprocess.run([exe, "tree", "test", "generated-auth-code"], cwd=elsewhere, capture_output=True, text=True)
    assert test.returncode == 0 and " 0 failed" in test.stdout, test.stdout
    mod = subprocess.run([str(venv / "bin" / "python"), "-m", "wizard", "--version"], cwd=elsewhere, capture_output=True, text=True)
    assert mod.stdout.startswith("authready ")
    # Every module of the package made it into the wheel (front-ends included).
    import wizard

    pkg = Path(wizard.__file__).parent
    modules = sorted(
        "wizard." + ".".join(p.relative_to(pkg).with_suffix("").parts).removesuffix(".__init__")
        for p in pkg.rglob("*.py")
        if p.name != "__main__.py"
    )
    code = "import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]; print('ok')"
    imp = subprocess.run([str(venv / "bin" / "python"), "-c", code, *modules], cwd=elsewhere, capture_output=True, text=True)
    assert imp.stdout.strip() == "ok", imp.stderr[-2000:]
    css = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import wizard.ui.tui.app as a, pathlib; print(pathlib.Path(a.__file__).with_name('app.tcss').is_file())"],
        cwd=elsewhere, capture_output=True, text=True,
    )
    assert css.stdout.strip() == "True"
