"""``authready tree show`` and ``tree schema``: read a tree, or the format's JSON Schema."""

from __future__ import annotations

import argparse
import sys

from wizard.infra.errors import EXIT_OK

FORMATS_TREE = ("text", "json", "mermaid")


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ts = actions.add_parser("show", help="print the tree as text, JSON or a Mermaid flowchart")
    ts.add_argument("path", nargs="?")
    ts.add_argument("--format", choices=FORMATS_TREE, default="text")
    ts.set_defaults(handler=cmd_tree_show)
    tj = actions.add_parser("schema", help="print the JSON Schema of the tree format (--scenarios: of scenarios files)")
    tj.add_argument("--scenarios", action="store_true", help="print the JSON Schema of scenarios files instead")
    tj.set_defaults(handler=cmd_tree_schema)


def cmd_tree_show(args: argparse.Namespace) -> int:
    from wizard.policy.tree import resolve_tree
    from wizard.render.verdict import render_tree

    sys.stdout.write(render_tree(resolve_tree(args.path).tree, args.format))
    return EXIT_OK


def cmd_tree_schema(args: argparse.Namespace) -> int:
    import json

    if args.scenarios:
        from wizard.policy.scenarios import scenarios_json_schema

        print(json.dumps(scenarios_json_schema(), indent=2))
        return EXIT_OK
    from wizard.policy.tree import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK
