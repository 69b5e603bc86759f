"""``authready tree lint``: every structural problem of a tree, with file and line."""

from __future__ import annotations

import argparse
import sys

from wizard.infra.errors import EXIT_OK, EXIT_USAGE


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tl = actions.add_parser("lint", help="report every structural problem (exit 2 if any)")
    tl.add_argument("path", nargs="?", help="tree file or id (default: the shipped policy)")
    tl.set_defaults(handler=cmd_tree_lint)


def cmd_tree_lint(args: argparse.Namespace) -> int:
    from wizard.policy.lint import lint
    from wizard.policy.tree import resolve_tree

    loaded = resolve_tree(args.path)
    problems = lint(loaded)
    for prob in problems:
        print(prob)
    if problems:
        print(f"{len(problems)} problem(s) in {loaded.path}", file=sys.stderr)
        return EXIT_USAGE
    t = loaded.tree
    print(f"{loaded.path}: ok ({len(t.questions)} questions, {len(t.findings)} findings, {len(t.ends)} ends)")
    return EXIT_OK
