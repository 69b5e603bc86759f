"""How soon does `authready review --plain` show its first prompt?

A script, not a test: absolute times drift on shared machines, so it measures
a floor in the same run and prints the ratio.

- floor: ``python -c "import questionary, pydantic"``, start to exit;
- plain: ``authready review --plain`` under a pseudo-terminal, in a fresh git
  repo with no draft, from process start until the first prompt
  ("Component under review") is on the terminal; then the process is sent
  Ctrl+C and reaped.
- resume (for information): the same with a draft in the repo, until the
  "Resume the unfinished review" prompt (the tree is loaded first there).

The runs are interleaved, repeated, and the medians compared. Target: the
first prompt within 1.3x of the floor.

    python bench/bench_plain.py [--runs 15] [--tree PATH|ID]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_PROMPT = b"Component under review"
RESUME_PROMPT = b"Resume the unfinished review"
TARGET = 1.3


def floor_once() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import questionary, pydantic"], check=True)
    return time.perf_counter() - t0


def command(tree: str | None) -> list[str]:
    """The console script installed beside this interpreter, else ``python -m wizard``."""
    script = Path(sys.executable).parent / "authready"
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "wizard"]
    return base + ["review", "--plain"] + (["--tree", tree] if tree else [])


def plain_once(cmd: list[str], cwd: Path, timeout: float = 30.0, prompt: bytes = FIRST_PROMPT) -> float:
    """Seconds from spawn until the first prompt shows on the pty."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - t0 < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if prompt in seen:
                elapsed = time.perf_counter() - t0
                break
        if elapsed is None:
            raise SystemExit(f"no first prompt within {timeout}s; output was:\n{seen.decode(errors='replace')}")
        os.write(master, b"\x03")  # Ctrl+C: the review stops, exit 130
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        # Drain so the child never blocks on a full pty.
        while select.select([master], [], [], 0)[0]:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return elapsed


def make_repo(tmp: Path) -> Path:
    repo = tmp / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.email=bench@example.com", "-c", "user.name=Bench", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "config", "user.email", "bench@example.com"], cwd=repo, check=True)
    (repo / "auth.py").write_text("def login():\n    return None\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "init"], cwd=repo, check=True)
    return repo


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--tree", help="tree id or path (default: the shipped policy)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-plain-"))
    try:
        repo = make_repo(tmp)
        cmd = command(args.tree)
        floor_once(), plain_once(cmd, repo)  # warm the OS caches
        floors, plains, resumes = [], [], []
        draft = repo / ".authready" / "drafts" / f"{args.tree or 'generated-auth-code'}.toml"
        for _ in range(args.runs):
            shutil.rmtree(repo / ".authready", ignore_errors=True)  # no draft: the first prompt is the component
            floors.append(floor_once())
            plains.append(plain_once(cmd, repo))
            if args.tree is None:
                draft.parent.mkdir(parents=True, exist_ok=True)
                draft.write_text('draft = 1\ntree = "generated-auth-code"\ncomponent = "bench"\n')
                resumes.append(plain_once(cmd, repo, prompt=RESUME_PROMPT))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    f, p = statistics.median(floors), statistics.median(plains)
    ratio = p / f
    print(f"command: {' '.join(cmd)}")
    print(f"runs: {args.runs} (interleaved)")
    print(f"floor  python -c 'import questionary, pydantic'  median {f * 1000:7.1f} ms  (min {min(floors) * 1000:.1f})")
    print(f"plain  first prompt on the terminal              median {p * 1000:7.1f} ms  (min {min(plains) * 1000:.1f})")
    if resumes:
        r = statistics.median(resumes)
        print(f"resume first prompt with a draft (info)        median {r * 1000:7.1f} ms  ({r / f:.2f}x)")
    print(f"ratio  {ratio:.2f}x  (target <= {TARGET}x: {'ok' if ratio <= TARGET else 'MISSED'})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
