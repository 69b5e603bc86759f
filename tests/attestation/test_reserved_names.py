"""A component cannot take the name of a file the gate reads as something else (the policy pins)."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, write_answers
from wizard.attestation.store import default_path
from wizard.cli.main import main
from wizard.infra.errors import EXIT_USAGE


def test_a_component_named_policies_is_written_beside_the_pins_file(tmp_path):
    assert default_path(tmp_path, "Policies") == tmp_path / ".authready" / "component-policies.toml"
    assert default_path(tmp_path, "billing") == tmp_path / ".authready" / "billing.toml"


@pytest.mark.parametrize("out", [".authready/policies.toml"])
def test_out_may_not_name_the_pins_file(git_repo, out, capsys):
    (git_repo / "policy").mkdir()
    shutil.copy(MINI_TREE, git_repo / "policy" / "mini.toml")
    answers = write_answers(git_repo / "a.toml", "policy/mini.toml", GO_ANSWERS)
    assert main(["review", "--answers", str(answers), "--out", out]) == EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err == (f"authready: {out}: .authready/policies.toml is the repo's policy pins file, not an "
                   "attestation; choose another --out")
    assert not (git_repo / out).exists()
