"""``authready tree lint``: every problem of one or more trees, with file and line (exit 2 if any).

Fast enough to run on every save: it imports no pydantic and no UI (``wizard.policy.lint``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard.infra.errors import EXIT_OK, EXIT_USAGE, AuthreadyError


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tl = actions.add_parser(
        "lint", help="report every problem of one or more trees, causes first (exit 2 if any)",
        description="Report every problem of each tree: schema errors named by id, duplicate and unknown ids "
                    "(with \"did you mean\"), dangling links with what they break folded under them, cycles, "
                    "unreachable questions and ends, paths that never end, findings nothing raises, blank text.",
    )
    tl.add_argument("paths", nargs="*", metavar="PATH",
                    help="tree files, folders of trees, or tree ids (default: the shipped policy)")
    tl.add_argument("--against", metavar="OLD",
                    help="also fail when the version bump is too small for what changed since OLD (a file, an id, "
                         "or REV:PATH such as main:policy/x.toml); see `authready tree diff`")
    tl.set_defaults(handler=cmd_tree_lint)


def cmd_tree_lint(args: argparse.Namespace) -> int:
    refs: list[str | None] = list(args.paths) or [None]
    files: list[Path | AuthreadyError] = []
    for ref in refs:
        files.extend(_tree_files(ref))
    if len(files) == 1:  # one tree: an unreadable file is the command's one error line
        only = files[0]
        if isinstance(only, AuthreadyError):
            raise only
        found = _lint_one(only)
        if args.against and not found:
            found = _bump(only, args.against)
        return EXIT_USAGE if found else EXIT_OK
    if args.against:
        raise AuthreadyError("--against compares one tree with its old version; give one tree")
    problems = failed = 0
    for item in files:
        try:
            if isinstance(item, AuthreadyError):
                raise item
            found = _lint_one(item, summary=False)
        except AuthreadyError as exc:
            print(f"authready: {exc}", file=sys.stderr)
            found = 1
        problems += found
        failed += bool(found)
    if failed:
        print(f"{problems} problem(s) in {failed} of {len(files)} trees", file=sys.stderr)
        return EXIT_USAGE
    print(f"all {len(files)} trees ok")
    return EXIT_OK


def _tree_files(ref: str | None) -> list[Path | AuthreadyError]:
    """The tree files a command-line reference names: a file, an id, or every tree in a folder."""
    if ref and ref.endswith(".toml") and not Path(ref).is_dir():  # a file: what an editor passes on save
        return [Path(ref)]
    from wizard.infra.workspace import looks_like_path, tree_file

    folder = Path(ref) if ref else None
    if folder is not None and folder.is_dir() and not looks_like_path(str(ref)):
        try:  # a folder named like a tree id does not hide the tree
            return [tree_file(ref)]
        except AuthreadyError:
            pass
    if folder is not None and folder.is_dir():
        from wizard.policy.lint import SCENARIOS_SUFFIX

        trees = sorted(p for p in folder.glob("*.toml") if not p.name.endswith(SCENARIOS_SUFFIX))
        if trees:
            return list(trees)
        return [AuthreadyError(f"is a folder with no trees in it (no *.toml files other than *{SCENARIOS_SUFFIX}); "
                               "give a tree file or a folder of them", path=folder)]
    try:
        return [tree_file(ref)]
    except AuthreadyError as exc:
        return [exc]


def _bump(path: Path, against: str) -> int:
    """The version-bump check of ``--against``: print why the bump is too small; returns how many problems."""
    from wizard.policy.diff import bump_problems
    from wizard.policy.tree import load_tree_file
    from wizard.policy.tree_at import resolve_tree_at

    problems = bump_problems(resolve_tree_at(against), load_tree_file(path))
    for message in problems:
        print(f"{path}: {message}")
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
    return len(problems)


def _lint_one(path: Path, summary: bool = True) -> int:
    """Print one tree's problems (or that it is ok); returns how many there are."""
    from wizard.policy.lint import lint_file

    linted = lint_file(path)
    for prob in linted.problems:
        print(prob)
    if not linted.problems:
        print(f"{path}: ok ({linted.size})")
    elif summary:
        print(f"{len(linted.problems)} problem(s) in {path}", file=sys.stderr)
    return len(linted.problems)
