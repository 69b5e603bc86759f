"""``authready sign``: exact bytes, one file per signer, keys from git or ssh-agent, clear refusals."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.repo import run_git
from tests.helpers.signing import ATT, cli, keypair, make_signed, signer_line, verify_json
from wizard.trust.ssh import NAMESPACE


@pytest.fixture
def unsigned(git_repo, tmp_path):
    return make_signed(git_repo, tmp_path, sign=())


def test_sign_writes_one_file_per_signer_and_prints_it(unsigned, capsys):
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")
    assert rc == 0, err
    assert out.splitlines()[0] == f"{ATT}.alice@example.com.sig"
    assert "1 of 2 required signatures; still needed: 1 more from bob@example.com" in out
    assert err == ""
    sig = unsigned.repo / f"{ATT}.alice@example.com.sig"
    assert sig.read_bytes().startswith(b"-----BEGIN SSH SIGNATURE-----")
    rc, out, _ = cli(capsys, "sign", ATT, "--key", str(unsigned.bob), "--principal", "bob@example.com")
    assert rc == 0 and out.splitlines()[0].endswith("bob@example.com.sig") and "2 of 2 required signatures: complete" in out
    assert verify_json(capsys)[0] == 0


def test_sign_covers_the_exact_bytes(unsigned, capsys):
    """The signature is over the file as it is on disk: plain ssh-keygen agrees."""
    assert cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")[0] == 0
    with open(unsigned.att, "rb") as fh:
        proc = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(unsigned.allowed), "-I", "alice@example.com", "-n", NAMESPACE,
             "-s", f"{ATT}.alice@example.com.sig"], stdin=fh, capture_output=True, cwd=unsigned.repo)
    assert proc.returncode == 0


def test_defaults_come_from_git_config(unsigned, capsys):
    """Key: user.signingkey; principal: the name allowed_signers gives that key."""
    run_git(unsigned.repo, "config", "user.signingkey", str(unsigned.alice))
    rc, out, err = cli(capsys, "sign", ATT)
    assert rc == 0, err
    assert out.splitlines()[0] == f"{ATT}.alice@example.com.sig"
    assert "signed as alice@example.com with the key from git config user.signingkey" in out


def test_two_reviewers_sign_from_one_machine_without_flags(unsigned, capsys, monkeypatch):
    """Keys found as git would (~/.ssh/id_ed25519, then id_ecdsa); the principal comes from allowed_signers,
    not git's user.email: the second run skips the key whose reviewer signed already."""
    import os
    import shutil

    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    ssh = Path(os.environ["HOME"]) / ".ssh"
    ssh.mkdir(parents=True)
    for src, name in ((unsigned.alice, "id_ed25519"), (unsigned.bob, "id_ecdsa")):
        shutil.copy(src, ssh / name)
        shutil.copy(f"{src}.pub", ssh / f"{name}.pub")
    run_git(unsigned.repo, "config", "user.email", "someone.else@example.com")
    rc, out, err = cli(capsys, "sign", ATT)
    assert rc == 0, err
    assert "signed as alice@example.com with the key from ~/.ssh/id_ed25519" in out
    assert "still needed: 1 more from bob@example.com" in out
    rc, out, err = cli(capsys, "sign", ATT)
    assert rc == 0, err
    assert "signed as bob@example.com with the key from ~/.ssh/id_ecdsa" in out and "complete" in out
    assert verify_json(capsys)[0] == 0
    rc, out, err = cli(capsys, "sign", ATT)
    assert rc == 2 and "signed already" in err and len(err.strip().splitlines()) == 1


def test_never_overwrites_a_signature(unsigned, capsys):
    assert cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")[0] == 0
    bob_sig = unsigned.repo / f"{ATT}.bob@example.com.sig"
    bob_sig.write_text("bob's file\n")
    before = (unsigned.repo / f"{ATT}.alice@example.com.sig").read_bytes()
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")
    assert rc == 2 and "already signed by alice@example.com" in err and "never overwritten" in err
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(unsigned.bob), "--principal", "bob@example.com")
    assert rc == 2 and "already signed by bob@example.com" in err
    assert bob_sig.read_text() == "bob's file\n"
    assert (unsigned.repo / f"{ATT}.alice@example.com.sig").read_bytes() == before


def test_sign_through_ssh_agent_with_a_pub_key(unsigned, capsys, tmp_path, monkeypatch):
    """Only the public half on disk: ssh-keygen asks the agent (agent-held and hardware keys work)."""
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            subprocess.run(["sleep", "0.05"])
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        subprocess.run(["ssh-add", "-q", str(unsigned.bob)], check=True, capture_output=True)
        pub_only = tmp_path / "agent-only"
        pub_only.mkdir()
        pub = pub_only / "bob.pub"
        pub.write_bytes((unsigned.keys / "bob.pub").read_bytes())
        rc, out, err = cli(capsys, "sign", ATT, "--key", str(pub), "--principal", "bob@example.com")
        assert rc == 0, err
        # git's literal form `key::ssh-... AAAA` signs through the agent too.
        run_git(unsigned.repo, "config", "user.signingkey", "key::" + pub.read_text().strip())
        (unsigned.repo / f"{ATT}.bob@example.com.sig").rename(tmp_path / "first.sig")
        rc, out, err = cli(capsys, "sign", ATT, "--principal", "bob@example.com")
        assert rc == 0, err
    finally:
        agent.terminate()
        agent.wait(timeout=10)
    assert cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")[0] == 0
    assert verify_json(capsys)[0] == 0


def test_pub_key_without_agent_is_one_line(unsigned, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    pub = tmp_path / "lonely.pub"
    pub.write_bytes((unsigned.keys / "bob.pub").read_bytes())
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(pub), "--principal", "bob@example.com")
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and "ssh-keygen could not sign" in err and str(pub) in err
    assert not (unsigned.repo / f"{ATT}.bob@example.com.sig").exists()


def test_passphrase_key_without_terminal(unsigned, capsys, tmp_path):
    keys = tmp_path / "k"  # not under the test's own name, which holds the word "passphrase"
    keys.mkdir()
    key = keys / "locked"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "secret-pass", "-f", str(key)], check=True)
    with open(unsigned.allowed, "a") as fh:
        fh.write(signer_line("alice@example.com", key))
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(key), "--principal", "alice@example.com")
    assert rc == 2
    assert len(err.strip().splitlines()) == 1
    assert "needs a passphrase" in err and "ssh-agent" in err and "exited 255" not in err
    assert list(unsigned.att.parent.glob("*.sig")) == []


@pytest.mark.parametrize(
    "argv, expect",
    [
        (["--key", "nokey", "--principal", "alice@example.com"], "nokey: signing key not found"),
        (["--principal", "alice@example.com"], "no signing key"),
        (["--key", "KEY", "--principal", "zed@example.com"], "zed@example.com is not a reviewer listed"),
        (["--key", "KEY", "--principal", "alice/../x"], "cannot name a signature file"),
    ],
)
def test_refusals_are_one_line_exit_2(unsigned, capsys, argv, expect):
    argv = [str(unsigned.alice) if a == "KEY" else a for a in argv]
    rc, out, err = cli(capsys, "sign", ATT, *argv)
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and expect in err, err
    assert list(unsigned.att.parent.glob("*.sig")) == []


def test_principal_comes_from_the_key_not_git_email(unsigned, capsys):
    """No user.email, or another one: allowed_signers names the key's owner."""
    run_git(unsigned.repo, "config", "--unset", "user.email")
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(unsigned.bob))
    assert rc == 0 and "signed as bob@example.com" in out, err
    stranger = keypair(unsigned.keys, "stranger")
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(stranger))
    assert rc == 2 and "not in allowed_signers" in err and len(err.strip().splitlines()) == 1


def test_refuses_crlf_and_malformed_and_missing(unsigned, capsys):
    data = unsigned.att.read_bytes()
    unsigned.att.write_bytes(data.replace(b"\n", b"\r\n"))
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")
    assert rc == 2 and "CRLF" in err
    unsigned.att.write_bytes(b"schema_version = \n")
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")
    assert rc == 2 and "malformed TOML" in err and ATT in err
    rc, out, err = cli(capsys, "sign", ".authready/none.toml", "--key", str(unsigned.alice))
    assert rc == 2 and err.strip() == "authready: .authready/none.toml: no such file"


def test_refuses_a_key_not_in_allowed_signers(unsigned, capsys):
    """A signature that can never verify is not written: add the key to allowed_signers first."""
    carol = keypair(unsigned.keys, "carol")
    att = unsigned.record(name="team", reviewers=["alice@example.com", "carol@example.com"])
    rc, out, err = cli(capsys, "sign", str(att), "--key", str(carol), "--principal", "carol@example.com")
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "not listed for carol@example.com" in err and "add it there first" in err
    assert list(att.parent.glob("team.toml*.sig")) == []
    # alice's key under carol's name: listed, but not for carol.
    rc, out, err = cli(capsys, "sign", str(att), "--key", str(unsigned.alice), "--principal", "carol@example.com")
    assert rc == 2 and "not listed for carol@example.com" in err
    assert list(att.parent.glob("team.toml*.sig")) == []


def test_warns_without_the_gitattributes_rule(unsigned, capsys):
    (unsigned.repo / ".gitattributes").write_text("")
    rc, out, err = cli(capsys, "sign", ATT, "--key", str(unsigned.alice), "--principal", "alice@example.com")
    assert rc == 0
    assert "authready init" in err and "line ends" in err


def test_signature_index_matches_names():
    """Each signature file belongs to the attestation its name starts with; strangers are left out."""
    from pathlib import Path

    from wizard.attestation.signatures import principal_from_name, signature_files, signature_index

    names = [
        "billing.toml", "billing.toml.sig", "billing.toml.alice.smith@example.com.sig", "billing.toml.bob@example.com.sig",
        "billing.v2.toml", "billing.v2.toml.carol@example.com.sig",
        "billing", "release.tar.gz.sig", "orphan.toml.dave@example.com.sig", "billing.toml.bad name.sig", "allowed_signers",
    ]
    index = signature_index(names)
    assert sorted(index) == ["billing.toml", "billing.v2.toml"]
    att = Path("/r/.authready/billing.toml")
    sigs = signature_files(att, index)
    assert [s.name for s in sigs] == [
        "billing.toml.alice.smith@example.com.sig", "billing.toml.bob@example.com.sig", "billing.toml.sig"
    ]
    assert [principal_from_name(att, s) for s in sigs] == ["alice.smith@example.com", "bob@example.com", None]
    assert index["billing.v2.toml"] == ["billing.v2.toml.carol@example.com.sig"]
