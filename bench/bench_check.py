"""Benchmark: ``authready check`` over N signed attestations against bare ``ssh-keygen`` floors.

A script, not a test (absolute times drift on shared machines; the ratios,
measured in one run, do not). It builds a temp git repo with N attestations
(mini tree, GO, two signers each: alice ed25519, bob ecdsa), then times

  (a) the bare ``ssh-keygen -Y verify`` calls check needs, via ``xargs -P $(nproc)``,
  (b) the same calls in a serial shell loop,
  (c) ``authready check`` (a fresh process, as CI runs it),

each ``--repeat`` times, interleaved, and reports the best of each. Targets:
check within 1.2x of (a), and at least 1.7x faster than (b).

    python bench/bench_check.py [--n 1000] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from wizard.trust.ssh import NAMESPACE  # noqa: E402

MINI = HERE.parent / "tests" / "fixtures" / "mini.toml"
ANSWERS = {"stage": "production", "origin": "managed", "expiry": "yes"}
SIGNERS = (("alice@example.com", "alice", "ed25519"), ("bob@example.com", "bob", "ecdsa"))


def sh(args, cwd=None, **kw):
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, **kw)


def build_repo(base: Path, n: int) -> tuple[Path, list[tuple[Path, Path, str]]]:
    """A git repo with ``n`` signed attestations; returns it and (attestation, signature, principal) triples."""
    from wizard.infra import git as gitinfo
    from wizard.attestation.model import SubjectPath
    from wizard.attestation.build import ReviewInfo, build
    from wizard.attestation.store import dumps
    from wizard.policy.tree import load_tree_file

    repo = base / "repo"
    keys = base / "keys"
    repo.mkdir()
    keys.mkdir()
    env = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(base / "gitconfig")}
    os.environ.update(env)
    sh(["git", "init", "-q", "-b", "main"], repo)
    sh(["git", "config", "user.email", "alice@example.com"], repo)
    sh(["git", "config", "user.name", "Alice"], repo)
    (repo / "src").mkdir()
    (repo / "src" / "auth.py").write_text("def login():\n    return None\n")
    (repo / "policy").mkdir()
    shutil.copy(MINI, repo / "policy" / "mini.toml")
    (repo / ".authready").mkdir()
    (repo / ".gitattributes").write_text(".authready/** -text\n")
    lines = []
    for principal, name, kind in SIGNERS:
        extra = ["-b", "256"] if kind == "ecdsa" else []
        sh(["ssh-keygen", "-q", "-t", kind, *extra, "-N", "", "-C", name, "-f", str(keys / name)])
        pub = " ".join((keys / f"{name}.pub").read_text().split()[:2])
        lines.append(f'{principal} namespaces="{NAMESPACE}" {pub}\n')
    (repo / ".authready" / "allowed_signers").write_text("".join(lines))
    sh(["git", "add", "."], repo)
    sh(["git", "commit", "-q", "-m", "init"], repo)

    loaded = load_tree_file(repo / "policy" / "mini.toml")
    objects = {p: o.oid for p, o in gitinfo.committed_objects(repo, gitinfo.head_commit(repo), ["src"]).items()}
    root_commit = gitinfo.root_commit(repo)
    reviewed = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)
    atts = []
    for i in range(n):
        info = ReviewInfo(
            component=f"component-{i:04d}",
            reviewers=[p for p, _, _ in SIGNERS],
            paths=[SubjectPath(path="src", git_object=objects["src"])],
            repo="bench",
            root_commit=root_commit,
            reviewed_at=reviewed,
            root=repo,
        )
        path = repo / ".authready" / f"component-{i:04d}.toml"
        path.write_bytes(dumps(build(loaded, ANSWERS, {}, info)))
        atts.append(path)

    jobs = [(a, keys / name, principal) for a in atts for principal, name, _ in SIGNERS]

    def sign(job):
        att, key, principal = job
        sig = att.with_name(f"{att.name}.{principal}.sig")
        with open(att, "rb") as fh:
            out = sh(["ssh-keygen", "-Y", "sign", "-n", NAMESPACE, "-f", str(key)], stdin=fh).stdout
        sig.write_bytes(out)
        return att, sig, principal

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        triples = list(pool.map(sign, jobs))
    sh(["git", "add", "."], repo)
    sh(["git", "commit", "-q", "-m", "attestations"], repo)
    return repo, triples


def timed(cmd: list[str] | str, cwd: Path, shell: bool = False) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, shell=shell, capture_output=True, executable="/bin/bash" if shell else None)
    dt = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {cmd}\n{proc.stderr.decode()[-2000:]}")
    return dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="attestations (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command; the best counts (default 3)")
    ap.add_argument("--keep", action="store_true", help="keep the temp repo")
    args = ap.parse_args()
    if not shutil.which("ssh-keygen"):
        sys.exit("ssh-keygen not found; install openssh-client")
    base = Path(tempfile.mkdtemp(prefix="authready-bench-"))
    try:
        t = time.perf_counter()
        repo, triples = build_repo(base, args.n)
        print(f"setup: {args.n} attestations, {len(triples)} signatures in {time.perf_counter() - t:.1f}s ({base})")
        listing = base / "jobs.txt"
        listing.write_text("".join(f"{a} {s} {p}\n" for a, s, p in triples))
        allowed = repo / ".authready" / "allowed_signers"
        verify = f'ssh-keygen -Y verify -f {allowed} -n {NAMESPACE} -I "$3" -s "$2" < "$1" > /dev/null'
        nproc = os.cpu_count() or 2
        cmds = {
            "xargs": f"xargs -P {nproc} -L 1 sh -c '{verify}' sh < {listing}",
            "serial": f"while read -r a s p; do set -- \"$a\" \"$s\" \"$p\"; {verify} || exit 1; done < {listing}",
            "check": f"{sys.executable} -m wizard check > /dev/null",
        }
        best = {k: float("inf") for k in cmds}
        for r in range(args.repeat):
            for name, cmd in cmds.items():
                dt = timed(cmd, repo, shell=True)
                best[name] = min(best[name], dt)
                print(f"  run {r + 1}: {name:6s} {dt:6.2f}s")
        calls = len(triples)
        print(f"\n{calls} signatures, {nproc} cores; best of {args.repeat}:")
        for name in cmds:
            print(f"  {name:6s} {best[name]:6.2f}s  ({1000 * best[name] / calls:.2f} ms per signature)")
        vs_xargs = best["check"] / best["xargs"]
        vs_serial = best["serial"] / best["check"]
        print(f"\ncheck / xargs -P{nproc} = {vs_xargs:.2f}x   (target <= 1.20x)  {'OK' if vs_xargs <= 1.2 else 'MISSED'}")
        print(f"serial / check      = {vs_serial:.2f}x   (target >= 1.70x)  {'OK' if vs_serial >= 1.7 else 'MISSED'}")
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
