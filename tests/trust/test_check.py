"""``authready check``: the repo-wide gate (discovery, table, JSON, --require, allowed signers from a ref)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.helpers.imports import modules_after
from tests.helpers.repo import GO_ANSWERS, run_git
from tests.helpers.signing import ATT, cli, keypair, make_signed, signer_line

CONDITIONAL = dict(GO_ANSWERS, expiry="partly")
NO_GO = dict(GO_ANSWERS, origin="invented")
PROTOTYPE = {"stage": "prototype", "proto-creds": "no"}


def check_json(capsys, *argv):
    rc, out, err = cli(capsys, "check", "--format", "json", *argv)
    assert "Traceback" not in err
    return rc, json.loads(out)


def test_all_pass(signed, capsys):
    rc, out, err = cli(capsys, "check")
    assert rc == 0, out + err
    lines = out.splitlines()
    assert lines[0].split() == ["STATUS", "VERDICT", "SIGNERS", "EXPIRES", "POLICY", "ATTESTATION"]
    assert lines[1].split()[:3] == ["pass", "GO", "2/2"] and lines[1].endswith(ATT)
    assert "mini v1.2.0 sha256:" in lines[1]  # the policy each verdict was judged by (id, version, short hash)
    assert lines[-1] == "1 attestation(s): 1 passed, 0 failed"


def test_some_fail_exit_1_with_reasons_under_the_row(signed, capsys):
    ok2 = signed.record(name="payments")
    signed.sign(ok2, "alice")
    signed.sign(ok2, "bob")
    half = signed.record(name="search")
    signed.sign(half, "alice")
    rc, out, err = cli(capsys, "check")
    assert rc == 1
    rows = out.splitlines()
    assert [r.split()[0] for r in rows if r.startswith(("pass", "FAIL"))] == ["pass", "pass", "FAIL"]
    fail_at = next(i for i, r in enumerate(rows) if r.startswith("FAIL"))
    assert rows[fail_at].endswith(".authready/search.toml")
    assert "[too-few-signers]" in rows[fail_at + 1]
    assert rows[-1] == "3 attestation(s): 2 passed, 1 failed"


def test_json(signed, capsys):
    half = signed.record(name="search")
    signed.sign(half, "alice")
    rc, doc = check_json(capsys)
    assert rc == 1
    assert doc["ok"] is False and doc["passed"] == 1 and doc["failed"] == 1
    by = {a["path"]: a for a in doc["attestations"]}
    assert by[ATT]["ok"] and by[".authready/search.toml"]["problems"][0]["code"] == "too-few-signers"
    assert doc["allowed_signers"].endswith(".authready/allowed_signers")


def test_require_levels(signed, capsys):
    cond = signed.record(answers=CONDITIONAL, name="cond")
    signed.sign(cond, "alice")
    signed.sign(cond, "bob")
    assert check_json(capsys, "--require", "conditional")[0] == 0
    rc, doc = check_json(capsys, "--require", "go")
    assert rc == 1
    bad = [a for a in doc["attestations"] if not a["ok"]]
    assert [a["path"] for a in bad] == [".authready/cond.toml"]
    assert bad[0]["problems"][0]["code"] == "outcome-below-required"
    assert "GO WITH CONDITIONS" in bad[0]["problems"][0]["message"]


def test_no_go_fails_the_gate_by_default(signed, capsys):
    nogo = signed.record(answers=NO_GO, name="nogo")
    signed.sign(nogo, "alice")
    rc, doc = check_json(capsys)
    assert rc == 1
    bad = [a for a in doc["attestations"] if not a["ok"]]
    assert [p["code"] for p in bad[0]["problems"]] == ["outcome-below-required"]
    # verify checks authenticity only: a signed NO-GO is a valid record of a NO-GO.
    rc, out, _ = cli(capsys, "verify", str(nogo))
    assert rc == 0 and out.startswith("PASS") and "NO-GO" in out


def test_prototype_needs_one_signer(signed, capsys):
    proto = signed.record(answers=PROTOTYPE, name="proto")
    signed.sign(proto, "bob")
    assert check_json(capsys, "--require", "prototype")[0] == 0


def test_paths_limit_the_check(signed, capsys):
    half = signed.record(name="search")
    signed.sign(half, "alice")
    assert check_json(capsys, ATT)[0] == 0
    rc, doc = check_json(capsys, ".authready")
    assert rc == 1 and len(doc["attestations"]) == 2
    rc, out, err = cli(capsys, "check", "nowhere")
    assert rc == 2 and err.strip() == "authready: nowhere: no such file or folder"


def test_discovery(signed, capsys):
    """Attestations anywhere in the repo; not other TOML, not ignored files; a signed file with a damaged kind line still."""
    svc = signed.repo / "services" / "pay"
    svc.mkdir(parents=True)
    shutil.copy(signed.att, svc / "attestation.toml")
    (signed.repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (signed.repo / ".gitignore").write_text("ignored/\n")
    (signed.repo / "ignored").mkdir()
    shutil.copy(signed.att, signed.repo / "ignored" / "a.toml")
    damaged = signed.repo / ".authready" / "hidden.toml"
    damaged.write_bytes(signed.att.read_bytes().replace(b'kind = "authready-attestation"', b'kind = "something-else-entirely"'))
    shutil.copy(f"{signed.att}.alice@example.com.sig", f"{damaged}.alice@example.com.sig")
    rc, doc = check_json(capsys)
    paths = [a["path"] for a in doc["attestations"]]
    assert paths == [".authready/billing.toml", ".authready/hidden.toml", "services/pay/attestation.toml"]
    hidden = doc["attestations"][1]
    assert hidden["problems"][0]["code"] == "bad-signature"


def test_allowed_signers_from_a_ref(signed, capsys):
    """A pull request that adds its own key to allowed_signers passes locally, but not against main."""
    run_git(signed.repo, "checkout", "-q", "-b", "pr")
    eve = keypair(signed.keys, "eve")
    with open(signed.allowed, "a") as fh:
        fh.write(signer_line("eve@example.com", eve))
    att = signed.record(name="eve", reviewers=["alice@example.com", "eve@example.com"])
    signed.sign(att, "alice")
    assert cli(capsys, "sign", str(att), "--key", str(eve), "--principal", "eve@example.com")[0] == 0
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-q", "-m", "pr: add eve")
    assert check_json(capsys)[0] == 0
    rc, doc = check_json(capsys, "--allowed-signers-ref", "main")
    assert rc == 1
    assert doc["allowed_signers"] == "refs/heads/main:.authready/allowed_signers"
    bad = [a for a in doc["attestations"] if not a["ok"]]
    assert [a["path"] for a in bad] == [".authready/eve.toml"]
    assert [p["code"] for p in bad[0]["problems"]] == ["unknown-signer"]


def test_revoked_keys_come_from_the_ref_too(signed, capsys):
    """Deleting revoked_keys in a pull request does not un-revoke a key."""
    shutil.copy(f"{signed.bob}.pub", signed.repo / ".authready" / "revoked_keys")
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-q", "-m", "revoke bob")
    run_git(signed.repo, "checkout", "-q", "-b", "pr")
    run_git(signed.repo, "rm", "-q", ".authready/revoked_keys")
    assert check_json(capsys)[0] == 0
    rc, doc = check_json(capsys, "--allowed-signers-ref", "main")
    assert rc == 1 and doc["attestations"][0]["problems"][0]["code"] == "key-revoked"


def test_bad_usage_exit_2(signed, capsys):
    rc, out, err = cli(capsys, "check", "--allowed-signers-ref", "no-such-branch")
    assert rc == 2 and "names no branch, remote branch or tag" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as exc:
        cli(capsys, "check", "--require", "excellent")
    assert exc.value.code == 2
    rc, out, err = cli(capsys, "check", "--allowed-signers", "missing_file")
    assert rc == 2 and "missing_file: allowed signers file not found" in err


def test_no_attestations(git_repo, capsys):
    (git_repo / ".authready").mkdir()
    (git_repo / ".authready" / "allowed_signers").write_text("# empty\n")
    rc, out, err = cli(capsys, "check")
    assert rc == 0 and "no attestations found" in err
    rc, out, err = cli(capsys, "check", "--require", "go")
    assert rc == 1 and "needs at least one" in err


def test_outside_a_repo_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, out, err = cli(capsys, "check")
    assert rc == 2 and "not inside a git repo" in err


def test_lint_warnings_are_printed(signed, capsys):
    with open(signed.allowed, "a") as fh:
        fh.write(f"*@example.com {(signed.keys / 'alice.pub').read_text().split()[0]} {(signed.keys / 'alice.pub').read_text().split()[1]}\n")
    rc, out, err = cli(capsys, "check")
    assert "wildcard principal '*@example.com'" in err
    assert "no namespaces= restriction" in err
    rc, doc = check_json(capsys)
    assert len(doc["warnings"]) == 2


@pytest.mark.slow
def test_many_attestations_in_parallel(signed, capsys):
    """Twelve attestations, 24 signatures: all verified, reported in path order."""
    names = [f"c{i:02d}" for i in range(12)]
    for n in names:
        att = signed.record(name=n)
        signed.sign(att, "alice")
        signed.sign(att, "bob")
    rc, doc = check_json(capsys)
    assert rc == 0
    assert [a["path"] for a in doc["attestations"]] == [ATT] + [f".authready/{n}.toml" for n in names]


@pytest.mark.parametrize(
    "argv",
    [["check"], ["check", "--format", "json"], ["verify", ATT], ["export", ATT], ["init"]],
)
def test_signing_commands_stay_headless(signed, argv):
    assert modules_after(argv, signed.repo) == []


def test_sign_stays_headless(git_repo, tmp_path):
    s = make_signed(git_repo, tmp_path, sign=())
    assert modules_after(["sign", ATT, "--key", str(s.alice), "--principal", "alice@example.com"], s.repo) == []
    assert (s.repo / f"{ATT}.alice@example.com.sig").exists()


def test_expiring_within_reports_and_can_fail(signed, capsys):
    """--expiring-within notes what expires inside the window (days left in JSON); --fail-expiring fails it."""
    rc, out, err = cli(capsys, "check", "--format", "json")
    doc = json.loads(out)
    days = doc["attestations"][0]["days_left"]
    assert rc == 0 and 170 <= days <= 180 and doc["attestations"][0]["expiring"] is False
    rc, out, err = cli(capsys, "check", "--expiring-within", "365d")
    assert rc == 0 and f"(in {days}d)" in out and "re-review before then" in out
    rc, out, err = cli(capsys, "check", "--expiring-within", "365", "--fail-expiring", "--format", "json")
    doc = json.loads(out)
    assert rc == 1 and {p["code"] for p in doc["attestations"][0]["problems"]} == {"expiring-soon"}
    rc, out, err = cli(capsys, "check", "--expiring-within", "30", "--fail-expiring")
    assert rc == 0
    rc, out, err = cli(capsys, "check", "--fail-expiring")
    assert rc == 2 and "needs --expiring-within" in err
    with pytest.raises(SystemExit) as exc:
        cli(capsys, "check", "--expiring-within", "soon")
    assert exc.value.code == 2 and "number of days" in capsys.readouterr().err


def test_github_annotations_name_the_files(signed, capsys):
    """--format github: one ::error per problem on its file, messages with newlines and colons encoded."""
    (signed.repo / "src" / "auth.py").write_text("def login():\n    return True\n")
    run_git(signed.repo, "commit", "-qam", "change")
    rc, out, err = cli(capsys, "check", "--format", "github")
    assert rc == 1
    errors = [ln for ln in out.splitlines() if ln.startswith("::error ")]
    assert len(errors) == 1
    assert errors[0].startswith("::error file=.authready/billing.toml,title=authready code-changed::the committed code")
    assert out.splitlines()[-1] == "1 attestation(s): 0 passed, 1 failed"
    run_git(signed.repo, "revert", "--no-edit", "HEAD")
    rc, out, err = cli(capsys, "check", "--format", "github", "--expiring-within", "365")
    assert rc == 0 and any(ln.startswith("::warning file=.authready/billing.toml,title=authready expiring-soon::") for ln in out.splitlines())


def test_sarif_and_junit_outputs(signed, capsys):
    """--format sarif: a SARIF 2.1.0 log the object model reads back, checked against the JSON Schema of that
    model and GitHub code scanning's required fields; --format junit: a JUnit suite with one case per file."""
    import xml.etree.ElementTree as ET

    import jsonschema
    from sarif_pydantic import Sarif

    (signed.repo / "src" / "auth.py").write_text("def login():\n    return True\n")
    run_git(signed.repo, "commit", "-qam", "change")
    signed.record(name="payments")  # unsigned: a second attestation, failing not-signed
    rc, out, err = cli(capsys, "check", "--format", "sarif")
    assert rc == 1
    doc = json.loads(out)
    jsonschema.validate(doc, Sarif.model_json_schema(by_alias=True))
    log = Sarif.model_validate(doc)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "authready"
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in run["results"]}
    assert {("code-changed", ".authready/billing.toml"), ("not-signed", ".authready/payments.toml")} <= results
    assert {rid for rid, _ in results} == rule_ids and all(r["message"]["text"] for r in run["results"])
    assert len(log.runs[0].results) == len(run["results"])
    rc, out, err = cli(capsys, "check", "--format", "junit")
    assert rc == 1
    root = ET.fromstring(out)
    cases = root.findall(".//testcase")
    assert sorted(c.get("name") for c in cases) == [".authready/billing.toml", ".authready/payments.toml"]
    failures = {c.get("name"): c.find("failure") for c in cases}
    assert failures[".authready/billing.toml"].get("type") == "code-changed"


def test_check_json_names_the_policy_each_attestation_was_judged_by(signed, capsys):
    import hashlib

    rc, out, _ = cli(capsys, "check", "--format", "json")
    assert rc == 0
    (entry,) = json.loads(out)["attestations"]
    text = (signed.repo / "policy" / "mini.toml").read_bytes()
    assert entry["policy"] == {"tree": "mini", "version": "1.2.0", "sha256": hashlib.sha256(text).hexdigest()}
