"""Helpers for the signing, verify, check and export tests: real keys, a real repo, a signed attestation.

Keys are generated with ssh-keygen in the test's temp folder (alice: ed25519,
bob: ecdsa). The repo carries its own copy of the mini tree, so tests can
change the policy under a recorded review.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, run_git, write_answers
from wizard.cli.main import main
from wizard.trust.ssh import NAMESPACE

ATT = ".authready/billing.toml"


def stamp(days_ago: float) -> str:
    """A UTC timestamp ``days_ago`` days before now (attestations expire relative to the real clock)."""
    t = datetime.now(timezone.utc) - timedelta(days=days_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def keypair(folder: Path, name: str, kind: str = "ed25519") -> Path:
    """A fresh unencrypted key (private path returned; ``.pub`` beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    args = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", name, "-f", str(key)]
    if kind == "ecdsa":
        args[4:4] = ["-b", "256"]
    subprocess.run(args, check=True, capture_output=True)
    return key


def pubkey(key: Path) -> str:
    """``KEYTYPE BASE64`` of a key's public half."""
    return " ".join(Path(f"{key}.pub").read_text().split()[:2])


def signer_line(principal: str, key: Path, options: str | None = f'namespaces="{NAMESPACE}"') -> str:
    return f"{principal} {options + ' ' if options else ''}{pubkey(key)}\n"


def keygen_sign(key: Path, data_file: Path, out: Path, namespace: str = NAMESPACE) -> Path:
    """Sign with bare ssh-keygen (no authready), reading the file on stdin."""
    with open(data_file, "rb") as fh:
        proc = subprocess.run(["ssh-keygen", "-Y", "sign", "-n", namespace, "-f", str(key)], stdin=fh, capture_output=True, check=True)
    out.write_bytes(proc.stdout)
    return out


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    rc = main([*argv])
    out, err = capsys.readouterr()
    return rc, out, err


def verify_json(capsys, path: str = ATT, *extra: str) -> tuple[int, dict]:
    rc, out, err = cli(capsys, "verify", path, "--format", "json", *extra)
    assert "Traceback" not in err
    return rc, json.loads(out)


def codes(doc: dict) -> set[str]:
    return {p["code"] for p in doc["problems"]}


@dataclass
class Signed:
    """A repo with allowed signers, a repo-local policy tree and a GO attestation (two signers required)."""

    repo: Path
    keys: Path
    alice: Path
    bob: Path
    att: Path
    allowed: Path

    def record(self, answers=None, name="billing", **meta) -> Path:
        """Record another attestation with ``authready review --answers`` (not signed)."""
        meta.setdefault("reviewers", ["alice@example.com", "bob@example.com"])
        meta.setdefault("reviewed_at", stamp(1))
        meta.setdefault("component", name)
        tree = self.repo / "policy" / "mini.toml"
        a = write_answers(self.keys / f"answers-{name}.toml", tree, answers or GO_ANSWERS, **meta)
        out = self.repo / ".authready" / f"{name}.toml"
        assert main(["review", "--answers", str(a), "--out", str(out)]) == 0
        return out

    def sign(self, att: Path, who: str = "alice") -> Path:
        key = self.alice if who == "alice" else self.bob
        assert main(["sign", str(att), "--key", str(key), "--principal", f"{who}@example.com"]) == 0
        return Path(f"{att}.{who}@example.com.sig")


def make_signed(repo: Path, tmp_path: Path, *, sign: tuple[str, ...] = ("alice", "bob")) -> Signed:
    keys = tmp_path / "keys"
    alice = keypair(keys, "alice", "ed25519")
    bob = keypair(keys, "bob", "ecdsa")
    (repo / "policy").mkdir()
    shutil.copy(MINI_TREE, repo / "policy" / "mini.toml")
    assert main(["init"]) == 0
    allowed = repo / ".authready" / "allowed_signers"
    with open(allowed, "a") as fh:
        fh.write(signer_line("alice@example.com", alice))
        fh.write(signer_line("bob@example.com", bob))
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-q", "-m", "authready init + policy")
    s = Signed(repo, keys, alice, bob, repo / ATT, allowed)
    s.record()
    for who in sign:
        s.sign(s.att, who)
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-q", "-m", "signed attestation")
    return s
