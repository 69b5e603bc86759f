"""The pre-commit hook definition and the benchmark script stay runnable (smoke tests, not timings)."""

from __future__ import annotations

from tests.helpers.repo import ROOT

import subprocess
import sys
from pathlib import Path



def test_pre_commit_hook_runs_authready_check():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "- id: authready-check" in text
    assert "entry: authready check\n" in text
    assert "pass_filenames: false" in text and "language: python" in text


def test_bench_script_runs_small():
    """bench/bench_check.py end to end on 3 attestations: it builds, verifies, and prints both ratios."""
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_check.py"), "--n", "3", "--repeat", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "check / xargs" in proc.stdout and "serial / check" in proc.stdout
