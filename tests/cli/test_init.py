"""``authready init`` and the allowed_signers lint."""

from __future__ import annotations

import subprocess

from tests.helpers.repo import run_git
from tests.helpers.signing import cli, keypair, pubkey
from wizard.trust.allowed_signers import lint_text
from wizard.trust.ssh import NAMESPACE


def test_init_creates_template_and_gitattributes(git_repo, capsys):
    rc, out, err = cli(capsys, "init")
    assert rc == 0, err
    allowed = git_repo / ".authready" / "allowed_signers"
    text = allowed.read_text()
    assert all(line.startswith("#") or not line.strip() for line in text.splitlines())  # a commented template
    assert NAMESPACE in text
    assert ".authready/** -text" in (git_repo / ".gitattributes").read_text()
    assert "Next steps" in out and "authready sign" in out and "authready check" in out
    # git now keeps attestation and signature files byte-exact.
    for name in ("billing.toml", "billing.toml.alice@example.com.sig", "allowed_signers"):
        attr = run_git(git_repo, "check-attr", "text", "--", f".authready/{name}")
        assert attr.endswith(": unset"), attr


def test_init_is_idempotent_and_keeps_files(git_repo, capsys):
    (git_repo / ".gitattributes").write_text("*.png binary")  # no trailing newline
    assert cli(capsys, "init")[0] == 0
    allowed = git_repo / ".authready" / "allowed_signers"
    allowed.write_text("# mine\n")
    rc, out, err = cli(capsys, "init")
    assert rc == 0
    assert "kept .authready/allowed_signers" in out and "kept .gitattributes" in out
    assert allowed.read_text() == "# mine\n"
    attrs = (git_repo / ".gitattributes").read_text()
    assert attrs.startswith("*.png binary\n") and attrs.count(".authready/** -text") == 1


def test_init_seeds_from_git_allowed_signers(git_repo, tmp_path, capsys):
    key = keypair(tmp_path / "keys", "alice")
    seed = tmp_path / "git_allowed_signers"
    seed.write_text(f"alice@example.com {pubkey(key)}\n")
    run_git(git_repo, "config", "gpg.ssh.allowedSignersFile", str(seed))
    rc, out, err = cli(capsys, "init")
    assert rc == 0
    text = (git_repo / ".authready" / "allowed_signers").read_text()
    assert f"alice@example.com {pubkey(key)}" in text
    assert f"seeded from {seed}" in out
    assert "no namespaces= restriction" in out  # the lint speaks up about the seeded line


def test_template_command_adds_a_working_line(git_repo, tmp_path, capsys):
    """The line the guide prints, run through a shell, gives a key ssh-keygen accepts."""
    key = keypair(tmp_path / "keys", "alice")
    assert cli(capsys, "init")[0] == 0
    line = f'echo "$(git config user.email) namespaces=\\"{NAMESPACE}\\" $(cut -d\' \' -f1,2 {key}.pub)" >> .authready/allowed_signers'
    subprocess.run(["bash", "-c", line], check=True, cwd=git_repo)
    text = (git_repo / ".authready" / "allowed_signers").read_text()
    assert text.splitlines()[-1] == f'alice@example.com namespaces="{NAMESPACE}" {pubkey(key)}'
    assert lint_text(text) == []


def test_init_outside_git_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, out, err = cli(capsys, "init")
    assert rc == 2 and "not inside a git repo" in err


def test_lint():
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlaceholderPlaceholderPlaceholder"
    text = "\n".join(
        [
            "# comment",
            "",
            f'alice@example.com namespaces="{NAMESPACE}" {key}',
            f'bob@example.com namespaces="git,{NAMESPACE}",valid-after="20260101" {key}',
            f"*@example.com namespaces=\"{NAMESPACE}\" {key}",
            f"carol@example.com {key}",
            f'dave@example.com namespaces="git" {key}',
            f'"erin@example.com,frank@example.com" valid-before="20300101 " {key} comment words',
            "junk",
        ]
    )
    warnings = lint_text(text, "as")
    assert warnings == [
        "as:5: wildcard principal '*@example.com' lets any matching name verify; list each signer by name",
        f'as:6: key for \'carol@example.com\' has no namespaces= restriction; add namespaces="{NAMESPACE}"',
        f"as:7: key for 'dave@example.com' is limited to namespaces=\"git\"; it cannot sign attestations (add {NAMESPACE})",
        f"as:8: key for 'erin@example.com,frank@example.com' has no namespaces= restriction; add namespaces=\"{NAMESPACE}\"",
        "as:9: not a valid line (expected PRINCIPALS [OPTIONS] KEYTYPE KEY)",
    ]
