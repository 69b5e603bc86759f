"""The verify, check and inventory renderers: every field a pull request controls is shown, never obeyed.

Reports are built as ``Verifier`` builds them (real ``Report`` objects); the text comes from a
hostile attestation: an ESC colour code, a newline that would forge a second log line, a bidi override.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from wizard.render.check_table import check_json, check_text, summary
from wizard.render.ci import render_github, render_junit, render_sarif
from wizard.render.inventory_page import render_html, render_json, render_markdown, render_text
from wizard.render.verify_text import verify_json, verify_text
from wizard.trust.codes import Code
from wizard.trust.inventory import Row
from wizard.trust.report import Report

EVIL = "billing\x1b[2J\n::error::forged\u202eexe.txt"
SHOWN = "billing\\x1b[2J\\x0a::error::forged\\u202eexe.txt"


def _reports() -> list[Report]:
    ok = Report(Path("/r/.authready/ok.toml"), ".authready/ok.toml", component=EVIL, label="GO", expires_at="2027-01-01T00:00:00Z",
                required_signers=2, signers=["alice@example.com", "bob@example.com"], days_left=3, expiring=True,
                notes=[f"expires in 3 day(s), for {EVIL}"])
    bad = Report(Path("/r/.authready/bad.toml"), ".authready/bad.toml", label=EVIL, required_signers=2, signers=["alice@example.com"])
    bad.fail(Code.TOO_FEW_SIGNERS, f"1 of 2 for {EVIL}")
    bad.fail(Code.BAD_SIGNATURE, "changed", ".authready/bad.toml.bob@example.com.sig")
    return [ok, bad]


def _no_control(text: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text


def test_check_text_escapes_every_field_and_keeps_the_layout():
    out = check_text(_reports())
    _no_control(out)
    lines = out.splitlines()
    assert lines[0].split() == ["STATUS", "VERDICT", "SIGNERS", "EXPIRES", "POLICY", "ATTESTATION"]
    assert lines[1].split()[:3] == ["pass", "GO", "2/2"] and "(in 3d)" in lines[1]
    assert lines[2] == f"    .authready/ok.toml: expires in 3 day(s), for {SHOWN}"
    assert lines[3].startswith("FAIL") and SHOWN in lines[3]
    assert lines[4] == f"    .authready/bad.toml: 1 of 2 for {SHOWN} [too-few-signers]"
    assert lines[-1] == summary(_reports()) == "2 attestation(s): 1 passed, 1 failed"
    assert len(lines) == 7  # nothing forged a line


def test_check_json_keeps_the_text_and_the_keys():
    doc = json.loads(check_json(_reports(), ["w"], "src", trust_note=None))
    assert list(doc) == ["ok", "allowed_signers", "policy_trees", "trust_note", "warnings", "passed", "failed", "attestations"]
    assert doc["attestations"][0]["component"] == EVIL  # JSON escapes what it must; the data is intact
    assert doc["attestations"][1]["problems"][0] == {"code": "too-few-signers", "file": ".authready/bad.toml",
                                                     "message": f"1 of 2 for {EVIL}"}


def test_github_annotations_cannot_be_forged():
    out = render_github(_reports(), [f"lint {EVIL}"])
    _no_control(out)
    lines = out.splitlines()
    assert len(lines) == 5
    assert lines[0] == f"::warning title=authready::lint {SHOWN}"
    assert lines[1].startswith("::warning file=.authready/ok.toml,title=authready expiring-soon::")
    assert lines[2].startswith("::error file=.authready/bad.toml,title=authready too-few-signers::")
    assert lines[3].startswith("::error file=.authready/bad.toml.bob@example.com.sig,title=authready bad-signature::")


def test_sarif_and_junit_carry_codes_and_escaped_text():
    log = json.loads(render_sarif(_reports(), "0.0"))
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["expiring-soon", "too-few-signers", "bad-signature"]
    assert run["tool"]["driver"]["rules"][1]["fullDescription"]["text"] == Code.TOO_FEW_SIGNERS.description
    assert [r["level"] for r in run["results"]] == ["warning", "error", "error"]
    _no_control(json.dumps(log, ensure_ascii=False))
    suite = ET.fromstring(render_junit(_reports())).find("testsuite")
    assert suite is not None
    failure = suite.findall("testcase")[1].find("failure")
    assert failure is not None and failure.get("type") == "too-few-signers"


def test_verify_text_headline_problems_and_notes():
    ok, bad = _reports()
    out = verify_text(ok)
    _no_control(out)
    assert out.splitlines()[0] == (f"PASS .authready/ok.toml: GO ({SHOWN}), signed by alice@example.com, bob@example.com "
                                   "(2 of 2 required), expires 2027-01-01T00:00:00Z")
    assert out.splitlines()[1] == f"  note: expires in 3 day(s), for {SHOWN}"
    out = verify_text(bad)
    assert out.splitlines()[0] == f"FAIL .authready/bad.toml: {SHOWN}"
    assert out.splitlines()[2] == "  .authready/bad.toml.bob@example.com.sig: changed [bad-signature]"
    doc = json.loads(verify_json(bad, allowed_signers="a", warnings=[], policy_trees="working tree", trust_note=None))
    assert doc["ok"] is False and doc["allowed_signers"] == "a" and doc["label"] == EVIL


def test_inventory_escapes_every_field_in_every_format():
    rows = [
        Row("acme/" + EVIL, EVIL, ".authready/x.toml", "GO", "2/2", "2027-01-01T00:00:00Z", 30, conditions=[EVIL]),
        Row("acme/a", "a", ".authready/a.toml", "?", "0/?", "?", None, status="FAIL", problems=[f"x [{Code.NOT_SIGNED}]"]),
    ]
    for out in (render_text(rows), render_markdown(rows), render_json(rows), render_html(rows, "now")):
        _no_control(out)
        assert "\n::error::forged" not in out
    doc = json.loads(render_json(rows))
    assert [r["repo"] for r in doc["attestations"]] == ["acme/a", "acme/" + SHOWN]  # sorted as shown
    assert doc["summary"] == "2 attestation(s) in 2 repo(s): 1 passed, 1 failed"
