"""Attestations are byte-identical to fixtures written before the code moved.

Every finished scenario of the shipped tree is recorded with ``review --answers`` in a git repo
whose commits are deterministic (fixed dates and author), then compared with the bytes in
``tests/fixtures/attestations/``. A refactor that changes one byte of what a reviewer signs
fails here. Regenerate only for a deliberate format change: ``AUTHREADY_WRITE_FIXTURES=1 pytest
tests/attestation/test_attestation_bytes.py``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from tests.helpers.repo import ROOT, FIXTURES, run_git, write_answers
from tests.helpers.signing import cli

SHIPPED = ROOT / "decision_trees"
SCENARIOS = tomllib.loads((SHIPPED / "generated-auth-code.scenarios.toml").read_text())["scenarios"]
FINISHED = [s for s in SCENARIOS if "unanswered" not in s]
OUT = FIXTURES / "attestations"
FIXED = "2026-11-01T09:00:00+00:00"


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:60]


@pytest.fixture
def fixed_repo(git_repo, monkeypatch):
    """The git_repo fixture, recommitted with a fixed date so the commit id never changes."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", FIXED)
    monkeypatch.setenv("GIT_COMMITTER_DATE", FIXED)
    run_git(git_repo, "commit", "-q", "--amend", "--no-edit", "--reset-author")
    return git_repo


@pytest.mark.parametrize("scenario", FINISHED, ids=[_slug(s["name"]) for s in FINISHED])
def test_attestation_bytes_match_fixture(scenario, fixed_repo, tmp_path, capsys):
    answers = write_answers(
        tmp_path / "a.toml", "generated-auth-code", scenario["answers"],
        component="billing-api", reviewers=["alice@example.com", "bob@example.com"],
    )
    out = tmp_path / "att.toml"
    rc, _, err = cli(capsys, "review", "--answers", str(answers), "--out", str(out))
    assert rc == 0, err
    fixture = OUT / f"{_slug(scenario['name'])}.toml"
    if os.environ.get("AUTHREADY_WRITE_FIXTURES"):
        fixture.write_bytes(out.read_bytes())
    assert out.read_bytes() == fixture.read_bytes()


def test_every_fixture_has_a_scenario():
    """A fixture left behind by a renamed scenario would silently stop being compared."""
    assert {p.stem for p in OUT.glob("*.toml")} == {_slug(s["name"]) for s in FINISHED}
