"""``authready tree test``: run a tree's scenarios."""

from __future__ import annotations

import argparse

from wizard.infra.errors import EXIT_FAILED, EXIT_OK


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tt = actions.add_parser("test", help="run the tree's scenarios (exit 1 if any fails)")
    tt.add_argument("path", nargs="?")
    tt.set_defaults(handler=cmd_tree_test)


def cmd_tree_test(args: argparse.Namespace) -> int:
    from wizard.policy.scenarios import run_scenarios
    from wizard.policy.tree import resolve_tree

    loaded = resolve_tree(args.path)
    results = run_scenarios(loaded)
    failed = [r for r in results if not r.ok]
    for r in results:
        print(f"{'PASS' if r.ok else 'FAIL'}  {r.name}")
        for prob in r.problems:
            print(f"      {prob}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_FAILED if failed else EXIT_OK
