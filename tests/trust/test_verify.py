"""``authready verify``: one accepted attestation, and each way to be rejected with its own message.

Real ssh-keygen and git; keys are generated per test (alice ed25519, bob ecdsa).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helpers.repo import GO_ANSWERS, other_repo, run_git
from tests.helpers.signing import (
    ATT,
    cli,
    codes,
    keygen_sign,
    keypair,
    signer_line,
    stamp,
    verify_json,
)
from wizard.trust.ssh import NAMESPACE, sign_bytes


def test_two_signers_ed25519_and_ecdsa_pass(signed, capsys):
    """A GO attestation signed by its two reviewers (ed25519 + ecdsa) verifies."""
    rc, doc = verify_json(capsys)
    assert rc == 0, doc["problems"]
    assert doc["ok"] is True
    assert sorted(doc["signers"]) == ["alice@example.com", "bob@example.com"]
    assert doc["required_signers"] == 2
    rc, out, _ = cli(capsys, "verify", ATT)
    assert rc == 0
    assert out.startswith("PASS .authready/billing.toml: GO (billing)")


def test_text_failure_names_file_and_fix(signed, capsys):
    """Each failure is one line: the file, what is wrong, what to do, and a code."""
    (signed.repo / "src" / "auth.py").write_text("def login():\n    return True\n")
    rc, out, err = cli(capsys, "verify", ATT)
    assert rc == 0 and "uncommitted changes under its subject paths are not covered until committed: src/auth.py" in out
    run_git(signed.repo, "commit", "-qam", "change the code")
    rc, out, err = cli(capsys, "verify", ATT)
    assert rc == 1
    assert out.splitlines()[0] == "FAIL .authready/billing.toml: GO (billing)"
    assert out.splitlines()[1].startswith("  .authready/billing.toml: the committed code under 'src' changed since the review")
    assert "(M src/auth.py)" in out
    assert "re-review" in out and "[code-changed]" in out
    assert "Traceback" not in err


def test_crlf_signature_gets_the_gitattributes_hint(signed, capsys):
    """A signature file checked out with CRLF line ends cannot be parsed: say why and how to fix it."""
    sig = signed.repo / ".authready" / "billing.toml.alice@example.com.sig"
    sig.write_bytes(sig.read_bytes().replace(b"\n", b"\r\n"))
    rc, doc = verify_json(capsys)
    assert rc == 1 and "malformed-signature" in codes(doc)
    msg = next(p["message"] for p in doc["problems"] if p["code"] == "malformed-signature")
    assert "CRLF" in msg and ".gitattributes" in msg


def test_crlf_copy_is_rejected(signed, capsys):
    data = signed.att.read_bytes()
    signed.att.write_bytes(data.replace(b"\n", b"\r\n"))
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"bad-signature"}
    assert all("CRLF" in p["message"] and ".gitattributes" in p["message"] for p in doc["problems"])


def test_signer_not_in_allowed_signers(signed, capsys):
    """Carol is a listed reviewer, but her key is not in allowed_signers."""
    carol = keypair(signed.keys, "carol")
    sig = signed.repo / f"{ATT}.carol@example.com.sig"
    sig.write_bytes(sign_bytes(signed.att.read_bytes(), carol))
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"unknown-signer"}
    assert "not in allowed_signers" in doc["problems"][0]["message"]
    assert doc["problems"][0]["file"].endswith("carol@example.com.sig")


def test_signature_file_claiming_another_principal(signed, capsys):
    """A file named for bob but signed with alice's key: the name is only a claim."""
    sig = signed.repo / f"{ATT}.bob@example.com.sig"
    sig.write_bytes(sign_bytes(signed.att.read_bytes(), signed.alice))
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert "wrong-principal" in codes(doc)
    assert "lists this key for alice@example.com" in doc["problems"][0]["message"]


def test_allowed_key_whose_principal_is_not_a_reviewer(signed, capsys):
    dave = keypair(signed.keys, "dave")
    with open(signed.allowed, "a") as fh:
        fh.write(signer_line("dave@example.com", dave))
    (signed.repo / f"{ATT}.dave@example.com.sig").write_bytes(sign_bytes(signed.att.read_bytes(), dave))
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"not-reviewer"}
    assert "not a reviewer listed" in doc["problems"][0]["message"]


@pytest.mark.parametrize("namespace", ["git", "file"])
def test_signature_under_another_namespace(signed, capsys, namespace):
    sig = signed.repo / f"{ATT}.bob@example.com.sig"
    sig.unlink()
    keygen_sign(signed.bob, signed.att, sig, namespace=namespace)
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert "wrong-namespace" in codes(doc)
    assert NAMESPACE in next(p["message"] for p in doc["problems"] if p["code"] == "wrong-namespace")


def test_expired_attestation(git_repo, tmp_path, capsys):
    from tests.helpers.signing import make_signed

    s = make_signed(git_repo, tmp_path, sign=())
    old = s.record(name="old", reviewed_at=stamp(400))  # GO is valid for 180 days
    rc, _, err = cli(capsys, "sign", str(old), "--key", str(s.alice), "--principal", "alice@example.com")
    assert rc == 2 and "expired" in err and "re-review" in err
    for who, key in (("alice", s.alice), ("bob", s.bob)):
        (old.parent / f"old.toml.{who}@example.com.sig").write_bytes(sign_bytes(old.read_bytes(), key))
    rc, doc = verify_json(capsys, str(old))
    assert rc == 1
    assert codes(doc) == {"expired"}


def test_key_revoked_by_valid_before(signed, capsys):
    text = signed.allowed.read_text()
    bob_line = next(ln for ln in text.splitlines() if ln.startswith("bob@"))
    revoked = bob_line.replace('namespaces="', 'valid-before="20200101",namespaces="')
    signed.allowed.write_text(text.replace(bob_line, revoked))
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert "key-expired" in codes(doc)
    msg = next(p["message"] for p in doc["problems"] if p["code"] == "key-expired")
    assert "valid-before" in msg
    assert codes(doc) == {"key-expired"}
    # The message names the real file and line, never the private copy ssh-keygen was given.
    line_no = text.splitlines().index(bob_line) + 1
    assert f".authready/allowed_signers:{line_no}" in msg and "authready-signers-" not in msg, msg


def test_key_in_revoked_keys_file(signed, capsys):
    shutil.copy(f"{signed.bob}.pub", signed.repo / ".authready" / "revoked_keys")
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert "key-revoked" in codes(doc)
    assert "revoked-keys file" in next(p["message"] for p in doc["problems"] if p["code"] == "key-revoked")
    # Also as an explicit option, when the default file is absent.
    (signed.repo / ".authready" / "revoked_keys").rename(signed.keys / "krl")
    rc, doc = verify_json(capsys, ATT, "--revoked-keys", str(signed.keys / "krl"))
    assert rc == 1 and "key-revoked" in codes(doc)


def test_one_signer_where_two_are_required(signed, capsys):
    (signed.repo / f"{ATT}.bob@example.com.sig").unlink()
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"too-few-signers"}
    assert "1 of 2 required distinct signers" in doc["problems"][0]["message"]


def test_same_signer_twice(signed, capsys):
    """Alice's own file plus a plain ssh-keygen signature by alice: still one signer."""
    (signed.repo / f"{ATT}.bob@example.com.sig").unlink()
    keygen_sign(signed.alice, signed.att, signed.repo / f"{ATT}.sig")
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"duplicate-signer"}
    assert "alice@example.com (2 signatures)" in doc["problems"][0]["message"]


def test_same_key_under_two_principals_counts_once(git_repo, tmp_path, capsys):
    """One key listed for two reviewers cannot satisfy the two-person rule."""
    from tests.helpers.signing import make_signed

    s = make_signed(git_repo, tmp_path, sign=())
    with open(s.allowed, "a") as fh:
        fh.write(signer_line("alice2@example.com", s.alice))
    att = s.record(name="two", reviewers=["alice@example.com", "alice2@example.com"])
    for who in ("alice", "alice2"):
        assert cli(capsys, "sign", str(att), "--key", str(s.alice), "--principal", f"{who}@example.com")[0] == 0
    rc, doc = verify_json(capsys, str(att))
    assert rc == 1
    assert codes(doc) == {"duplicate-signer"}


def test_copied_into_another_repo(signed, tmp_path, capsys, monkeypatch):
    """Same code, same files, same signatures: a different repo is still rejected."""
    other = other_repo(tmp_path / "other")
    shutil.copytree(signed.repo / "src", other / "src")
    shutil.copytree(signed.repo / "policy", other / "policy")
    shutil.copytree(signed.repo / ".authready", other / ".authready")
    run_git(other, "add", ".")
    run_git(other, "commit", "-q", "-m", "copied")
    monkeypatch.chdir(other)
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"repo-mismatch"}
    assert "cannot be copied between repos" in doc["problems"][0]["message"]


def test_code_changed_since_review(signed, capsys):
    """The committed code is what is bound: a commit that changes it fails, naming the files."""
    (signed.repo / "src" / "auth.py").write_text("def login():\n    return True\n")
    run_git(signed.repo, "commit", "-qam", "change")
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"code-changed"} and "M src/auth.py" in doc["problems"][0]["message"]
    # Changed back: the same tree again passes. A new file in the reviewed folder counts too.
    (signed.repo / "src" / "auth.py").write_text("def login():\n    return None\n")
    run_git(signed.repo, "commit", "-qam", "back")
    assert verify_json(capsys)[0] == 0
    (signed.repo / "src" / "token.py").write_text("SECRET_TTL = 60\n")
    rc, doc = verify_json(capsys)
    assert rc == 0 and "src/token.py" in doc["notes"][0]  # uncommitted: not the code that will run, but said
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-qm", "new file")
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"code-changed"} and "A src/token.py" in doc["problems"][0]["message"]


def test_subject_path_removed(signed, capsys):
    run_git(signed.repo, "rm", "-q", "-r", "src")
    run_git(signed.repo, "commit", "-qm", "remove src")
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"path-missing"}


def test_policy_changed_under_an_answered_question(signed, capsys):
    tree = signed.repo / "policy" / "mini.toml"
    tree.write_text(tree.read_text().replace("Where does the auth code come from?", "Who wrote the auth code?"))
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"policy-stale"}
    assert "origin" in doc["problems"][0]["message"]


def test_policy_changed_elsewhere_passes_with_a_note(signed, capsys):
    """A change under a question the review did not take is noted, not failed."""
    tree = signed.repo / "policy" / "mini.toml"
    tree.write_text(tree.read_text().replace("Does the prototype use production credentials?", "Production credentials in the prototype?"))
    rc, doc = verify_json(capsys)
    assert rc == 0, doc["problems"]
    assert any("policy changed" in n for n in doc["notes"])


def test_policy_change_that_changes_the_verdict(signed, capsys):
    """Same question text, but the chosen answer now raises a blocker: the verdict differs."""
    tree = signed.repo / "policy" / "mini.toml"
    text = tree.read_text().replace(
        'label = "Managed identity service"\nnext = "expiry"\n',
        'label = "Managed identity service"\nnext = "expiry"\nraises = ["no-rotation"]\n',
    )
    tree.write_text(text)
    rc, doc = verify_json(capsys)
    assert rc == 1
    assert codes(doc) == {"verdict-changed"}
    assert "GO WITH CONDITIONS" in doc["problems"][0]["message"]


def test_policy_file_missing(signed, capsys):
    (signed.repo / "policy" / "mini.toml").unlink()
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"policy-missing"}


def test_not_signed(git_repo, tmp_path, capsys):
    from tests.helpers.signing import make_signed

    s = make_signed(git_repo, tmp_path, sign=())
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"not-signed"}
    assert "authready sign" in doc["problems"][0]["message"]


def test_malformed_signature_file(signed, capsys):
    (signed.repo / f"{ATT}.bob@example.com.sig").write_text("not a signature\n")
    rc, doc = verify_json(capsys)
    assert rc == 1 and "malformed-signature" in codes(doc)


def test_hand_edited_and_resigned_verdict_is_caught(signed, capsys):
    """Someone edits the verdict and both sign the edit: the answers do not give that verdict."""
    nogo = dict(GO_ANSWERS, origin="invented")
    att = signed.record(answers=nogo, name="edited")
    text = att.read_text()
    text = text.replace('outcome = "no-go"\nlabel = "NO-GO"', 'outcome = "go"\nlabel = "GO"').replace("required_signers = 1", "required_signers = 2")
    att.write_text(text)
    signed.sign(att, "alice")
    signed.sign(att, "bob")
    rc, doc = verify_json(capsys, str(att))
    assert rc == 1
    assert codes(doc) == {"verdict-mismatch"}


def test_policy_requires_more_signers_than_recorded(signed, capsys):
    """If the tree now asks for three signers for GO, two no longer do."""
    tree = signed.repo / "policy" / "mini.toml"
    tree.write_text(tree.read_text().replace("[outcomes.go]\nvalid_days = 180\nrequired_signers = 2", "[outcomes.go]\nvalid_days = 180\nrequired_signers = 3"))
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"too-few-signers"}
    assert "2 of 3" in doc["problems"][0]["message"]


def test_not_an_attestation(signed, capsys):
    """A TOML file that is not an attestation: schema failure, exit 1, no traceback."""
    bad = signed.repo / ".authready" / "other.toml"
    bad.write_text('title = "hello"\n')
    rc, doc = verify_json(capsys, str(bad))
    assert rc == 1 and "schema" in codes(doc) and "not-signed" in codes(doc)


# -- interop with plain ssh-keygen --------------------------------------------------------------


def test_authready_signature_verifies_with_plain_ssh_keygen(signed):
    """The README's command: plain ssh-keygen accepts authready's signature files."""
    for who in ("alice", "bob"):
        with open(signed.att, "rb") as fh:
            proc = subprocess.run(
                ["ssh-keygen", "-Y", "verify", "-f", ".authready/allowed_signers", "-I", f"{who}@example.com",
                 "-n", NAMESPACE, "-s", f"{ATT}.{who}@example.com.sig"],
                stdin=fh, capture_output=True, text=True, cwd=signed.repo,
            )
        assert proc.returncode == 0, proc.stderr
        assert f"Good \"{NAMESPACE}\" signature for {who}@example.com" in proc.stdout


def test_plain_ssh_keygen_signature_verifies_in_authready(signed, capsys):
    """bob signs with bare `ssh-keygen -Y sign` (writes <file>.sig); authready finds his principal."""
    (signed.repo / f"{ATT}.bob@example.com.sig").unlink()
    subprocess.run(["ssh-keygen", "-Y", "sign", "-n", NAMESPACE, "-f", str(signed.bob), ATT], check=True, capture_output=True, cwd=signed.repo)
    assert (signed.repo / f"{ATT}.sig").exists()
    rc, doc = verify_json(capsys)
    assert rc == 0, doc["problems"]
    assert sorted(doc["signers"]) == ["alice@example.com", "bob@example.com"]


# -- bad input: one line, exit 2 ------------------------------------------------------------------


def test_missing_file_exit_2(signed, capsys):
    rc, out, err = cli(capsys, "verify", ".authready/nope.toml")
    assert rc == 2
    assert err.strip() == "authready: .authready/nope.toml: no such file"


def test_missing_allowed_signers_exit_2(signed, capsys):
    signed.allowed.unlink()
    rc, out, err = cli(capsys, "verify", ATT)
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and "authready init" in err and "allowed_signers" in err
    rc, out, err = cli(capsys, "verify", ATT, "--allowed-signers", "nowhere")
    assert rc == 2 and "nowhere: allowed signers file not found" in err


def test_allowed_signers_from_git_config(signed, capsys):
    moved = signed.keys / "git_allowed"
    signed.allowed.rename(moved)
    run_git(signed.repo, "config", "gpg.ssh.allowedSignersFile", str(moved))
    rc, doc = verify_json(capsys)
    assert rc == 0, doc["problems"]
    assert doc["allowed_signers"] == str(moved)


def test_missing_ssh_keygen_exit_2(signed, capsys, monkeypatch, tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "git").symlink_to(shutil.which("git"))
    monkeypatch.setenv("PATH", str(bindir))
    for argv in (["verify", ATT], ["check"], ["sign", ATT, "--key", str(signed.alice), "--principal", "bob@example.com"]):
        if argv[0] == "sign":
            (signed.repo / f"{ATT}.bob@example.com.sig").unlink()
        rc, out, err = cli(capsys, *argv)
        assert rc == 2, argv
        assert err.strip().splitlines() == [err.strip()] and "ssh-keygen not found" in err and "openssh-client" in err


def test_verify_outside_git_fails_binding(signed, tmp_path, capsys, monkeypatch):
    loose = tmp_path / "loose"
    shutil.copytree(signed.repo / ".authready", loose / ".authready")
    monkeypatch.chdir(loose)
    rc, doc = verify_json(capsys, ".authready/billing.toml", "--allowed-signers", ".authready/allowed_signers")
    assert rc == 1 and "not-in-repo" in codes(doc)


def test_folder_instead_of_file_exit_2(signed, capsys):
    rc, out, err = cli(capsys, "verify", ".authready")
    assert rc == 2 and err.strip() == "authready: .authready: is a folder, expected an attestation file"


def test_policy_stale_says_whether_the_verdict_differs(signed, capsys):
    """Changed text and a new blocker under 'origin': stale, and the verdict would now be NO-GO."""
    tree = signed.repo / "policy" / "mini.toml"
    text = tree.read_text().replace("Where does the auth code come from?", "Who wrote the auth code?")
    text = text.replace('label = "Managed identity service"\nnext = "expiry"\n',
                        'label = "Managed identity service"\nnext = "expiry"\nraises = ["invented-flow"]\n')
    tree.write_text(text)
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"policy-stale"}
    assert "would be NO-GO, not GO" in doc["problems"][0]["message"]


def test_shallow_clone_is_told_to_fetch_history(signed, tmp_path, capsys, monkeypatch):
    run_git(signed.repo, "commit", "-q", "--allow-empty", "-m", "one more")
    clone = tmp_path / "shallow"
    run_git(tmp_path, "clone", "-q", "--depth", "1", f"file://{signed.repo}", str(clone))
    monkeypatch.chdir(clone)
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"shallow-clone"}
    assert "fetch-depth: 0" in doc["problems"][0]["message"]


def test_whole_repo_review_survives_its_own_signatures(signed, capsys):
    """Subject path '.': writing and signing the attestation (in .authready/) is not a code change."""
    att = signed.record(name="whole", paths=["."])
    signed.sign(att, "alice")
    signed.sign(att, "bob")
    rc, doc = verify_json(capsys, str(att))
    assert rc == 0, doc["problems"]
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-qm", "attestation")
    rc, doc = verify_json(capsys, str(att))
    assert rc == 0, doc["problems"]  # committing .authready/ changes nothing bound
    (signed.repo / "README.md").write_text("new file\n")
    run_git(signed.repo, "add", ".")
    run_git(signed.repo, "commit", "-qm", "readme")
    rc, doc = verify_json(capsys, str(att))
    assert rc == 1 and codes(doc) == {"code-changed"}
