"""The README's first-time walkthrough works when pasted: init, keys, review, two signatures, the gate."""

from __future__ import annotations

from tests.helpers.repo import ROOT

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = ROOT / "README.md"
MARKER = "<!-- first-time-user: tests/cli/test_readme_walkthrough.py runs this block as written -->"


def walkthrough() -> str:
    text = README.read_text()
    assert MARKER in text, "the README lost its first-time walkthrough"
    block = re.search(r"```sh\n(.*?)\n```", text[text.index(MARKER):], re.S)
    assert block is not None
    return block.group(1)


@pytest.mark.slow
def test_readme_walkthrough_runs_as_pasted(tmp_path):
    repo = tmp_path / "shop"
    (repo / "services" / "billing").mkdir(parents=True)
    (repo / "services" / "billing" / "auth.py").write_text("def login():\n    return None\n")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("SSH_AUTH_SOCK", None)
    env.pop("CI", None)
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "alice@example.com"],
                 ["config", "user.name", "Alice"], ["add", "."], ["commit", "-qm", "billing service"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", walkthrough()], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 of 2 required signatures: complete" in proc.stdout
    assert proc.stdout.rstrip().endswith("1 attestation(s): 1 passed, 0 failed"), proc.stdout
