"""``authready tree ACTION``: the policy owner's commands, one module per action.

Each module has ``register(actions)`` (its argparse sub-parser) and its handler;
handlers import what they need when they run, so ``tree lint`` loads no UI.
"""

from __future__ import annotations

import argparse

from wizard.cli.tree import tree_lint, tree_show, tree_test
from wizard.cli.tree import tree_author
from wizard.cli.tree import tree_list


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``tree`` and its actions to the top-level sub-parsers."""
    t = sub.add_parser("tree", help="lint, show, test a decision tree, or print its JSON Schema")
    actions = t.add_subparsers(dest="tree_command", parser_class=parser_class, metavar="ACTION", required=True)
    tree_lint.register(actions)
    tree_show.register(actions)
    tree_test.register(actions)
    tree_author.register(actions)
    tree_list.register(actions)
