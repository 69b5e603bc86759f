"""``authready tree new`` and ``tree diff``: start a tree, and see what an edit of one changes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard.infra.errors import EXIT_OK, InputError

FORMATS_DIFF = ("text", "markdown", "json")


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tn = actions.add_parser("new", help="write a small starter tree ID.toml and its scenarios ID.scenarios.toml",
                            description="Write ID.toml (a starter tree that lints and tests clean, with a comment on "
                                        "every field) and ID.scenarios.toml beside it. Never overwrites a file.")
    tn.add_argument("id", metavar="ID", help="the new tree's id (lowercase letters, digits, '.', '_', '-')")
    tn.add_argument("--dir", type=Path, default=Path("."), help="folder to write into (default: the working folder)")
    tn.set_defaults(handler=cmd_tree_new)
    td = actions.add_parser("diff", help="what changed between two versions of a tree, and the version bump it needs",
                            description="Added, removed and changed questions, choices, findings, ends, outcome "
                                        "policies and references; the semver part each change needs; the answer "
                                        "paths whose verdict changes (scenarios of both trees, and every path of a "
                                        "tree with at most 10,000). Exit 0 (tree lint --against gates the bump).")
    td.add_argument("old", metavar="OLD", help="the old tree: a file, an id, or REV:PATH (as committed, e.g. main:policy/x.toml)")
    td.add_argument("new", metavar="NEW", help="the new tree: a file, an id, or REV:PATH")
    td.add_argument("--format", choices=FORMATS_DIFF, default="text",
                    help="text, markdown (a policy pull request's description) or json")
    td.set_defaults(handler=cmd_tree_diff)


def cmd_tree_new(args: argparse.Namespace) -> int:
    from wizard.infra.workspace import shipped_tree_ids
    from wizard.policy.starter import check_tree_id, write_starter

    tree_id = check_tree_id(args.id)
    if tree_id in shipped_tree_ids():
        raise InputError(f"{tree_id!r} is the id of a shipped tree; choose another id (attestations name a tree by id)")
    tree_path, scenarios_path = write_starter(tree_id, args.dir)
    print(f"wrote {tree_path} and {scenarios_path}")
    print(f"next: authready tree lint {tree_path} && authready tree test {tree_path}")
    where = tree_path.parent
    print(f"editor completion: authready tree schema > {where / 'tree.schema.json'}")
    return EXIT_OK


def cmd_tree_diff(args: argparse.Namespace) -> int:
    from wizard.policy.diff import compare
    from wizard.policy.tree_at import resolve_tree_at
    from wizard.render.tree_diff import render_diff

    sys.stdout.write(render_diff(compare(resolve_tree_at(args.old), resolve_tree_at(args.new)), args.format))
    return EXIT_OK
