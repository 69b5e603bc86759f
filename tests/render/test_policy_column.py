"""Which policy judged each verdict: ``id vVERSION sha256:abcd1234`` in the table and the PR markdown,
``{tree, version, sha256}`` in JSON. The short hash is what tells a borrowed id and version apart."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.repo import FIXTURES
from wizard.attestation.store import load
from wizard.render.check_table import check_json, check_text
from wizard.render.verdict import verdict_markdown
from wizard.trust.report import Report

H = "0123456789abcdef" * 4


def _report(version: str = "1.2.0") -> Report:
    return Report(Path("/r/.authready/a.toml"), ".authready/a.toml", label="GO", expires_at="2027-01-01T00:00:00Z",
                  policy={"tree": "mini", "version": version, "sha256": H})


def test_the_table_shows_id_version_and_short_hash():
    lines = check_text([_report(), Report(Path("/r/x.toml"), "x.toml")]).splitlines()
    header = lines[0]
    col = header.index("POLICY")
    assert lines[1][col:].startswith("mini v1.2.0 sha256:01234567  .authready/a.toml")
    assert lines[2][col:].split() == ["?", "x.toml"]  # not parsed: no policy to name


def test_a_hostile_version_cannot_break_the_row():
    out = check_text([_report("1.2.0\x1b[2J\n::error::x")])
    assert "\x1b" not in out and "mini v1.2.0\\x1b[2J\\x0a::error::x sha256:01234567" in out
    assert len(out.splitlines()) == 3


def test_json_keeps_tree_version_and_the_full_hash():
    (entry,) = json.loads(check_json([_report()], [], "src"))["attestations"]
    assert entry["policy"] == {"tree": "mini", "version": "1.2.0", "sha256": H}


def test_pr_markdown_names_the_policy_the_same_way():
    path = FIXTURES / "attestations" / "valid-prototype-exception.toml"
    att, _ = load(path)
    md = verdict_markdown(att)
    assert f"Policy `generated-auth-code` v{att.policy.version} sha256:{att.policy.sha256[:8]} · reviewed" in md
