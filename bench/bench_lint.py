"""``tree lint`` on save: how far above the floor of any Python tool that reads TOML?

A script, not a test: absolute times drift on shared machines, so every figure is a median of
interleaved runs next to a floor measured in the same run, ``python -c "import tomllib"`` (the
least a TOML linter in Python can cost). Wall time and CPU time (user + system of the child) are
both printed; CPU time is the steadier on a loaded machine. Three cases:

- a repo's own tree, given by path (the lint-on-save case: an editor passes the file it saved);
- the shipped policy by path (parsed from its JSON twin, not its TOML);
- ``tree lint`` with no argument (the shipped policy found by id among the installed trees).

``--root DIR`` runs the same cases against another checkout of authready (e.g. the commit before
a change: ``git archive REV | tar -x -C DIR``) beside this one, to print before/after. Bytecode is
cached (as in an installed package), outside the checkouts.

    python bench/bench_lint.py [--runs 15] [--root DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_oneshot import run_once  # noqa: E402  (wall, CPU and exit code of one child run)

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SHIPPED = ROOT / "decision_trees" / "generated-auth-code.toml"


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--root", type=Path, action="append", default=[],
                    help="another authready checkout to compare (repeatable)")
    args = ap.parse_args()

    base = Path(tempfile.mkdtemp(prefix="bench-lint-"))
    repo_tree = base / "policy.toml"  # the shipped policy as a repo's own tree: parsed from TOML
    shutil.copy(SHIPPED, repo_tree)
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(base / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    try:
        commands: dict[str, tuple[list[str], Path]] = {"floor: import tomllib": ([PY, "-c", "import tomllib"], ROOT)}
        for root in [ROOT, *args.root]:
            tag = "" if root == ROOT else f" [{root}]"
            lint = [PY, "-m", "wizard", "tree", "lint"]
            commands[f"tree lint REPO-TREE{tag}"] = ([*lint, str(repo_tree)], root)  # cwd: that checkout's wizard
            commands[f"tree lint SHIPPED-PATH{tag}"] = ([*lint, str(root / SHIPPED.relative_to(ROOT))], root)
            commands[f"tree lint (default id){tag}"] = (lint, root)
        for name, (argv, cwd) in commands.items():  # fill the bytecode cache; every command must succeed
            _, _, rc = run_once(argv, cwd, env)
            if rc != 0:
                raise SystemExit(f"{name} exited {rc}")
        wall: dict[str, list[float]] = {k: [] for k in commands}
        cpu: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for name, (argv, cwd) in commands.items():
                w, c, _ = run_once(argv, cwd, env)
                wall[name].append(w)
                cpu[name].append(c)
        floor = next(iter(commands))
        floor_w, floor_c = statistics.median(wall[floor]), statistics.median(cpu[floor])
        print(f"medians of {args.runs} interleaved runs; ratios to the floor")
        for name in commands:
            w, c = statistics.median(wall[name]), statistics.median(cpu[name])
            print(f"  {name:60} wall {w * 1000:6.0f} ms {w / floor_w:5.2f}x   cpu {c * 1000:6.0f} ms {c / floor_c:5.2f}x")
        return 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
