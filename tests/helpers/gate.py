"""Helpers for the gate-attack tests: a trusted base branch, a hostile pull-request branch, the gate.

The repo comes from the ``signed`` fixture (``tests/helpers/signing.py``): branch ``main`` holds
``.authready/allowed_signers``, the repo-local tree ``policy/mini.toml`` and ``.authready/billing.toml``
signed by alice and bob. Tests change ``main`` (the trusted base) with ``on_base`` helpers, then
``pr_branch`` and play the attacker, who may change any file but holds none of the reviewers' keys.

The gate is ``authready check --require go --allowed-signers-ref REF --format json`` run in-process;
an uncaught exception is reported as a test failure carrying the traceback (in CI it would be one).
Cases that could hang or eat memory (``/dev/zero``) run in a subprocess with a timeout and a memory cap.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tomllib
import traceback
from pathlib import Path

import pytest
import tomli_w

from tests.helpers.repo import GO_ANSWERS, run_git, write_answers
from tests.helpers.signing import ATT, Signed, keypair, signer_line, stamp
from wizard.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = "refs/heads/main"
TRUST_REFS = ("refs/heads/main", "main")  # the full name and the short name CI configs use
HEADER = "# authready attestation: sign with `authready sign`; do not edit by hand (signatures cover these bytes).\n"
SIGNERS = ("alice@example.com", "bob@example.com")


# -- running the CLI --------------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``authready ARGV`` in-process: (exit code, stdout, stderr). An uncaught exception fails the test."""
    capsys.readouterr()
    try:
        rc = main([*argv])
    except SystemExit as exc:  # argparse: an unknown option (e.g. a flag not implemented yet) exits 2
        rc = exc.code if isinstance(exc.code, int) else 2
    except Exception:  # noqa: BLE001 - that is the finding
        out, err = capsys.readouterr()
        pytest.fail(f"authready {' '.join(argv)!r} raised (a traceback in CI):\n{traceback.format_exc()}\nstderr: {err}")
    out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return rc, out, err


def gate(capsys, *extra: str, ref: str | None = BASE, require: str | None = "go") -> tuple[int, dict | None, str]:
    """The CI gate with JSON output: (exit code, parsed JSON or None when nothing was printed, stderr)."""
    argv = ["check", "--format", "json"]
    if require:
        argv += ["--require", require]
    if ref is not None:
        argv += ["--allowed-signers-ref", ref]
    rc, out, err = run(capsys, *argv, *extra)
    doc = json.loads(out) if out.strip() else None
    return rc, doc, err


def gate_both(capsys, *extra: str) -> tuple[int, dict]:
    """The gate under the full and the short name of the base branch; both must agree."""
    results = []
    for ref in TRUST_REFS:
        rc, doc, err = gate(capsys, *extra, ref=ref)
        assert doc is not None, f"--allowed-signers-ref {ref}: exit {rc}, no JSON; stderr: {err}"
        results.append((ref, rc, by_path(doc)))
    (_, rc0, p0), (_, rc1, p1) = results
    assert (rc0, p0) == (rc1, p1), f"the ref's full and short names disagree: {results}"
    return rc0, doc


def by_path(doc: dict | None) -> dict[str, set[str]]:
    if not doc:
        return {}
    return {a["path"]: {p["code"] for p in a["problems"]} for a in doc["attestations"]}


def all_codes(doc: dict | None) -> set[str]:
    return set().union(*by_path(doc).values()) if doc else set()


def wizard_proc(cwd: Path, *argv: str, timeout: float = 60, mem_bytes: int = 1 << 30,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m wizard ARGV`` in a fresh process: a hang times out, a runaway read hits a memory cap.

    ``env``: extra environment (e.g. ``PYTHONIOENCODING=utf-8:strict``, as Python sets up stdout under a
    UTF-8 locale other than C.UTF-8). Returns the completed process (text, errors replaced); a timeout
    fails the test.
    """

    def cap() -> None:  # a read of /dev/zero must not take the machine down with it
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))

    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    env.pop("CI", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "wizard", *argv], check=False, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
            timeout=timeout, env=env, preexec_fn=cap,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"authready {' '.join(argv)} hung (no exit within {timeout} s)")
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    )


# -- git ----------------------------------------------------------------------------------------------


def commit(repo: Path, message: str = "change") -> str:
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return run_git(repo, "rev-parse", "HEAD")


def pr_branch(s: Signed, name: str = "pr") -> None:
    """Start the attacker's branch off ``main``."""
    run_git(s.repo, "checkout", "-q", "-b", name, "main")


def commit_raw(repo: Path, rel: str, data: bytes, message: str = "raw", mode: str = "100644") -> str:
    """Commit ``data`` at ``rel`` byte for byte, bypassing clean filters, ident and eol conversion
    (as an attacker's git without the filter configured would), and leave those bytes in the working tree."""
    oid = subprocess.run(["git", "hash-object", "-w", "--no-filters", "--stdin"], cwd=repo, input=data,
                         capture_output=True, check=True).stdout.decode().strip()
    run_git(repo, "update-index", "--add", "--cacheinfo", f"{mode},{oid},{rel}")
    run_git(repo, "commit", "-q", "-m", message)
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    path.write_bytes(data)
    return oid


def clone(src: Path, dest: Path) -> Path:
    """A clone of ``src`` (so ``origin/main`` is a real remote-tracking branch), with an identity."""
    subprocess.run(["git", "clone", "-q", str(src), str(dest)], check=True, capture_output=True)
    run_git(dest, "config", "user.email", "mallory@example.com")
    run_git(dest, "config", "user.name", "Mallory")
    run_git(dest, "config", "commit.gpgsign", "false")
    return dest


# -- attestations ----------------------------------------------------------------------------------------


def sha256_hex(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sig_files(att: Path) -> list[Path]:
    return sorted(att.parent.glob(att.name + ".*sig"))


def drop_sigs(att: Path) -> None:
    for sig in sig_files(att):
        sig.unlink()


def sign_both(s: Signed, att: Path) -> Path:
    s.sign(att, "alice")
    s.sign(att, "bob")
    return att


def record(s: Signed, name: str, *, answers=None, out: Path | None = None, extra: tuple[str, ...] = (), **meta) -> tuple[int, Path]:
    """``authready review --answers`` (in-process, no capsys): (exit code, the output path)."""
    meta.setdefault("reviewers", list(SIGNERS))
    meta.setdefault("reviewed_at", stamp(1))
    meta.setdefault("component", name)
    a = write_answers(s.keys / f"answers-{name}.toml", s.repo / "policy" / "mini.toml", answers or GO_ANSWERS, **meta)
    out = out or s.repo / ".authready" / f"{name}.toml"
    try:
        rc = main(["review", "--answers", str(a), "--out", str(out), *extra])
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 2
    return rc, out


def record_signed(s: Signed, name: str, **meta) -> Path:
    rc, out = record(s, name, **meta)
    assert rc == 0, f"setup: review of {name} failed"
    return sign_both(s, out)


def rewrite(att: Path, change) -> Path:
    """Hand-edit an attestation as data: ``change(doc)`` mutates the parsed TOML; old signatures are dropped."""
    doc = tomllib.loads(att.read_text())
    change(doc)
    att.write_text(HEADER + tomli_w.dumps(doc))
    drop_sigs(att)
    return att


def replace_text(att: Path, old: str, new: str, count: int = 1) -> Path:
    """Hand-edit an attestation as text (for what tomli_w cannot write, e.g. a 5000-digit integer)."""
    text = att.read_text()
    assert old in text, f"{old!r} not in {att}"
    att.write_text(text.replace(old, new, count))
    drop_sigs(att)
    return att


def rereview_on_base(s: Signed, files: dict[str, bytes | str] | None = None, *, paths=("src",), message: str = "base: re-review",
                     **meta) -> Path:
    """On the current (trusted) branch: write ``files``, replace billing's review with a fresh one over
    ``paths`` signed by alice and bob, and commit. Returns the attestation."""
    for rel, data in (files or {}).items():
        p = s.repo / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
    if files:
        commit(s.repo, "base: code")
    s.att.unlink()
    drop_sigs(s.att)
    meta.setdefault("reviewed_at", stamp(1))
    rc, _ = record(s, "billing", paths=list(paths), **meta)
    assert rc == 0, "setup: base re-review failed"
    sign_both(s, s.att)
    commit(s.repo, message)
    return s.att


def add_component_on_base(s: Signed, name: str, code: dict[str, str], paths: list[str], **meta) -> Path:
    """On ``main``: commit ``code`` and a second component's attestation over ``paths``, signed by both."""
    for rel, text in code.items():
        p = s.repo / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    commit(s.repo, f"base: {name} code")
    att = record_signed(s, name, paths=paths, **meta)
    commit(s.repo, f"base: {name} attestation")
    return att


def attacker_keys(s: Signed) -> tuple[Path, Path]:
    """Two keys the attacker owns (two, so the forged pair counts as two distinct signers)."""
    return keypair(s.keys, "mallory1", "ed25519"), keypair(s.keys, "mallory2", "ed25519")


def forge_allowed_signers(s: Signed, repo: Path | None = None) -> Path:
    """The attacker's PR: allowed_signers maps alice and bob to the attacker's keys; billing is re-reviewed
    over changed code and "signed by alice and bob" with those keys. The code and list are committed, the
    new attestation is left uncommitted; returns it."""
    repo = repo or s.repo
    m1, m2 = attacker_keys(s)
    allowed = repo / ".authready" / "allowed_signers"
    allowed.write_text(signer_line("alice@example.com", m1) + signer_line("bob@example.com", m2))
    (repo / "src" / "auth.py").write_text("def login():\n    return 'anyone'\n")
    commit(repo, "pr: code and our own signers")  # a review binds committed code only
    att = repo / ATT
    att.unlink()
    drop_sigs(att)
    a = write_answers(s.keys / "answers-forged.toml", repo / "policy" / "mini.toml", GO_ANSWERS,
                      reviewers=list(SIGNERS), reviewed_at=stamp(1), component="billing", paths=["src"])
    assert main(["review", "--answers", str(a), "--out", str(att)]) == 0
    for key, who in ((m1, "alice@example.com"), (m2, "bob@example.com")):
        assert main(["sign", str(att), "--key", str(key), "--principal", who]) == 0
    return att


def tree_question(qid: str):
    """The mini tree's question ``qid`` (its text, choices and ``text_sha256``)."""
    from tests.helpers.repo import MINI_TREE
    from wizard.policy.tree import load_tree_file

    return load_tree_file(MINI_TREE).tree.question_map[qid]


def answer_entry(qid: str, cid: str) -> dict:
    """An ``[[answers]]`` table exactly as authready writes it for ``qid=cid``."""
    q = tree_question(qid)
    return {"question": qid, "question_sha256": q.text_sha256, "asked": q.text, "choice": cid, "answer": q.choice(cid).label}


def copy_attestation(src: Path, dest: Path) -> None:
    """Copy an attestation and its signature files under another name (signatures renamed to match)."""
    shutil.copyfile(src, dest)
    for sig in sig_files(src):
        shutil.copyfile(sig, dest.parent / (dest.name + sig.name[len(src.name):]))
