"""Failure codes are one enum: unique kebab-case values, a description each, no bare code strings elsewhere,
and every code that reaches the output is a member."""

from __future__ import annotations

import ast
import json
import re

import pytest

from tests.helpers.repo import GO_ANSWERS, ROOT
from tests.helpers.signing import ATT, cli, codes, verify_json
from wizard.trust.codes import SIGNATURE_CODES, Code
from wizard.trust.report import Report

KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")

# Layers below trust cannot import Code (imports only run down); they hand verify plain strings,
# which it turns into members with Code(text). Listed here so a new one is a deliberate choice.
LOWER_LAYER_CODES = {
    "wizard/infra/files.py": {"unreadable", "not-a-file", "too-large"},
    "wizard/attestation/model.py": {"answers-duplicate", "answer-text-mismatch"},
}


def test_values_are_unique_kebab_case_with_a_description():
    values = [c.value for c in Code]
    assert len(values) == len(set(values))
    for c in Code:
        assert KEBAB.match(c.value), c.value
        assert c.description and "\n" not in c.description and c.description.endswith("."), c
        assert str(c) == c.value and f"{c}" == c.value  # what JSON, SARIF and the text lines carry
    assert SIGNATURE_CODES <= set(Code)


def _string_constants(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc_nodes = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in doc_nodes:
            yield node.lineno, node.value


def test_no_bare_code_strings_outside_codes_py():
    """A code written as a string literal would drift from the enum; only codes.py spells them."""
    values = {c.value for c in Code} - {"schema", "expired"}  # also plain words (a subcommand, ssh-keygen's wording)
    found = []
    for path in sorted((ROOT / "wizard").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "wizard/trust/codes.py":
            continue
        allowed = LOWER_LAYER_CODES.get(rel, set())
        for line, text in _string_constants(path):
            if text in values and text not in allowed:
                found.append(f"{rel}:{line}: {text!r}")
    assert found == []


def test_a_report_accepts_only_members():
    r = Report(ROOT / "x.toml", "x.toml")
    r.fail(Code.EXPIRED, "m")
    r.fail("not-signed", "m")  # a lower layer's string becomes the member
    assert [type(p.code) for p in r.problems] == [Code, Code]
    with pytest.raises(ValueError):
        r.fail("no-such-code", "m")


def test_every_code_in_the_output_is_a_member(signed, capsys):
    """A run that fails many ways at once: every code it prints (JSON, text, SARIF) is a member."""
    half = signed.record(name="search")
    signed.sign(half, "alice")
    signed.record(name="unsigned", answers=dict(GO_ANSWERS, expiry="partly"))
    (signed.repo / ".authready" / "broken.toml").write_text('kind = "authready-attestation"\nnot toml [')
    (signed.repo / ".authready" / "broken.toml.alice@example.com.sig").write_text("not a signature\n")
    signed.att.write_bytes(signed.att.read_bytes().replace(b"billing", b"Billing", 1))
    rc, out, err = cli(capsys, "check", "--format", "json", "--require", "go")
    doc = json.loads(out)
    seen = {p["code"] for a in doc["attestations"] for p in a["problems"]}
    assert rc == 1 and len(seen) >= 5, seen
    assert seen <= {c.value for c in Code}
    rc, out, _ = cli(capsys, "check", "--require", "go")
    assert set(re.findall(r"\[([a-z-]+)\]$", out, re.M)) == seen
    rc, out, _ = cli(capsys, "check", "--format", "sarif", "--require", "go")
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == seen
    assert all(r["fullDescription"]["text"] == Code(r["id"]).description for r in rules)
    rc, doc = verify_json(capsys, ATT)
    assert codes(doc) <= {c.value for c in Code} and codes(doc)
