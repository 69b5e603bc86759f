"""The layering is checked, not just described: import-linter's contracts from pyproject.toml.

``cli → ui → review → render → trust → attestation → policy → infra``; the two front-ends are
independent; only ``wizard.ui`` imports a terminal UI library. The second test proves the check
can fail: an upward import planted in a copy of the package breaks the contract.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.repo import ROOT

LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT, "--config", str(where / "pyproject.toml"), "--no-cache"],
        cwd=where, capture_output=True, text=True, env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
    )


def test_import_contracts_are_kept():
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "wizard", tmp_path / "wizard", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    files = tmp_path / "wizard" / "infra" / "files.py"
    files.write_text(files.read_text() + "\nfrom wizard.review import session  # planted upward import\n")
    run = _lint(tmp_path)
    assert run.returncode != 0
    assert "wizard.infra is not allowed to import wizard.review" in run.stdout


def test_modules_stay_small():
    """A module a newcomer can read in one sitting: none over 350 lines (split by what it does)."""
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in (ROOT / "wizard").rglob("*.py")}
    assert {p: n for p, n in sizes.items() if n > 350} == {}


@pytest.mark.slow
def test_types_check_strictly(tmp_path):
    """mypy in strict mode (pyproject's [tool.mypy]) over the whole package: no errors."""
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
