"""One-shot commands against the floor: ``evaluate`` (answers file, attestation) and ``verify``.

A script, not a test: absolute times drift on shared machines, so every figure is
a median of interleaved runs next to a floor measured in the same run,
``python -c "import pydantic, tomllib, tomli_w"`` (target: each command at most
2x the floor). Wall time and CPU time (user + system of the child) are both
printed; CPU time is the steadier of the two on a loaded machine. A reference
row shows what validating a single one-field pydantic model costs, the least
any command that validates its input with pydantic can take.

The repo is real: git, the shipped policy, an attestation of a production GO
signed by two reviewers with ``ssh-keygen`` keys. Bytecode is cached (as in an
installed package), outside the checkout.

    python bench/bench_oneshot.py [--runs 15] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0
PY = sys.executable
REFERENCE = "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)\n"


def sh(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)


def build_repo(base: Path, env: dict[str, str]) -> tuple[Path, Path, Path]:
    """A repo with a signed attestation of the shipped policy; returns it, the answers file and the attestation."""
    import tomli_w

    from wizard.trust.ssh import NAMESPACE

    repo, keys = base / "repo", base / "keys"
    (repo / "src").mkdir(parents=True)
    keys.mkdir()
    sh(["git", "init", "-q", "-b", "main"], repo, env)
    sh(["git", "config", "user.email", "alice@example.com"], repo, env)
    sh(["git", "config", "user.name", "Alice"], repo, env)
    (repo / "src" / "auth.py").write_text("def login():\n    return None\n")
    (repo / ".authready").mkdir()
    (repo / ".gitattributes").write_text(".authready/** -text\n")
    lines = []
    for name, kind in (("alice", "ed25519"), ("bob", "ecdsa")):
        sh(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", name, "-f", str(keys / name)], keys, env)
        pub = " ".join((keys / f"{name}.pub").read_text().split()[:2])
        lines.append(f'{name}@example.com namespaces="{NAMESPACE}" {pub}\n')
    (repo / ".authready" / "allowed_signers").write_text("".join(lines))
    sh(["git", "add", "."], repo, env)
    sh(["git", "commit", "-q", "-m", "init"], repo, env)

    scenarios = tomllib.loads((ROOT / "decision_trees" / "generated-auth-code.scenarios.toml").read_text())
    go = next(s for s in scenarios["scenarios"] if s.get("outcome") == "go")
    reviewed = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    answers = base / "answers.toml"
    answers.write_text(tomli_w.dumps({
        "tree": "generated-auth-code", "component": "billing-api", "paths": ["src"], "reviewed_at": reviewed,
        "reviewers": ["alice@example.com", "bob@example.com"], "answers": go["answers"],
    }))
    att = repo / ".authready" / "billing-api.toml"
    sh([PY, "-m", "wizard", "review", "--answers", str(answers)], repo, env)
    for name in ("alice", "bob"):
        sh([PY, "-m", "wizard", "sign", str(att), "--key", str(keys / name), "--principal", f"{name}@example.com"],
           repo, env)
    sh(["git", "add", "."], repo, env)
    sh(["git", "commit", "-q", "-m", "signed review"], repo, env)
    return repo, answers, att


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit code of one run."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--keep", action="store_true", help="keep the temp repo and print where it is")
    args = ap.parse_args()

    base = Path(tempfile.mkdtemp(prefix="bench-oneshot-"))
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(base / "gitconfig"), HOME=str(base),
               PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(base / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("SOURCE_DATE_EPOCH", None)
    try:
        repo, answers, att = build_repo(base, env)
        commands = {
            "floor: import pydantic, tomllib, tomli_w": [PY, "-c", "import pydantic, tomllib, tomli_w"],
            "evaluate ANSWERS": [PY, "-m", "wizard", "evaluate", str(answers)],
            "evaluate ATTESTATION": [PY, "-m", "wizard", "evaluate", str(att)],
            "verify ATTESTATION": [PY, "-m", "wizard", "verify", str(att)],
            "reference: one pydantic model validated": [PY, "-c", REFERENCE],
        }
        for name, argv in commands.items():  # fill the bytecode cache; every command must succeed
            _, _, rc = run_once(argv, repo, env)
            if rc != 0:
                raise SystemExit(f"{name} exited {rc}")
        wall: dict[str, list[float]] = {k: [] for k in commands}
        cpu: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                w, c, _ = run_once(argv, repo, env)
                wall[name].append(w)
                cpu[name].append(c)
        floor_w, floor_c = statistics.median(wall[next(iter(commands))]), statistics.median(cpu[next(iter(commands))])
        print(f"medians of {args.runs} interleaved runs; ratios to the floor (target <= {TARGET:.1f}x)")
        worst = 0.0
        for name in commands:
            w, c = statistics.median(wall[name]), statistics.median(cpu[name])
            print(f"  {name:42} wall {w * 1000:6.0f} ms {w / floor_w:5.2f}x   cpu {c * 1000:6.0f} ms {c / floor_c:5.2f}x")
            if not name.startswith(("floor", "reference")):
                worst = max(worst, w / floor_w)
        if args.keep:
            print(f"kept: {base}")
        return 0 if worst <= TARGET else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
