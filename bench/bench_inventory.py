"""Benchmark: ``authready inventory`` over R repos x N attestations against a shell loop of ``authready check``.

A script, not a test. It builds one signed repo with N attestations (bench_check's
builder), clones it R times (local clones: cheap, and each a real checkout with
its own root commit binding), then times, interleaved and ``--repeat`` times:

  (a) ``authready inventory`` over a file listing the R clones (one process),
  (b) ``for r in ...; do (cd $r && authready check); done`` (one process per repo),
  (c) the floor: the bare ``ssh-keygen -Y verify`` calls, ``xargs -P $(nproc)``.

It prints the best of each and the ratios (b)/(a) (inventory should win: it pays
Python's start-up once) and (a)/(c).

    python bench/bench_inventory.py [--repos 500] [--n 10] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_check import NAMESPACE, build_repo, sh, timed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repos", type=int, default=500, help="repo checkouts (default 500)")
    ap.add_argument("--n", type=int, default=10, help="attestations per repo (default 10)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command; the best counts (default 1)")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="authready-bench-inv-"))
    try:
        t = time.perf_counter()
        repo, triples = build_repo(base, args.n)
        clones = base / "clones"
        clones.mkdir()
        for i in range(args.repos):
            sh(["git", "clone", "-q", "--local", str(repo), str(clones / f"repo-{i:04d}")])
        listing = base / "repos.txt"
        listing.write_text("".join(f"{clones / f'repo-{i:04d}'}\n" for i in range(args.repos)))
        jobs = base / "jobs.txt"
        with open(jobs, "w") as fh:
            for i in range(args.repos):
                clone = clones / f"repo-{i:04d}"
                for att, sig, principal in triples:
                    fh.write(f"{clone / att.relative_to(repo)} {clone / sig.relative_to(repo)} {principal}\n")
        calls = args.repos * len(triples)
        print(f"setup: {args.repos} repos x {args.n} attestations ({calls} signatures) in {time.perf_counter() - t:.1f}s")
        allowed = repo / ".authready" / "allowed_signers"
        verify = f'ssh-keygen -Y verify -f {allowed} -n {NAMESPACE} -I "$3" -s "$2" < "$1" > /dev/null'
        nproc = os.cpu_count() or 2
        py = sys.executable
        cmds = {
            "inventory": f"{py} -m wizard inventory {listing} --format json > /dev/null",
            "loop": f"while read -r r; do (cd \"$r\" && {py} -m wizard check > /dev/null) || exit 1; done < {listing}",
            "floor": f"xargs -P {nproc} -L 1 sh -c '{verify}' sh < {jobs}",
        }
        best = {k: float("inf") for k in cmds}
        for r in range(args.repeat):
            for name, cmd in cmds.items():
                dt = timed(cmd, base, shell=True)
                best[name] = min(best[name], dt)
                print(f"  run {r + 1}: {name:9s} {dt:7.2f}s")
        print(f"\n{args.repos} repos, {calls} signatures, {nproc} cores; best of {args.repeat}:")
        for name in cmds:
            print(f"  {name:9s} {best[name]:7.2f}s")
        print(f"\nshell loop of check / inventory = {best['loop'] / best['inventory']:.2f}x  (inventory should be faster)")
        print(f"inventory / xargs floor          = {best['inventory'] / best['floor']:.2f}x")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
