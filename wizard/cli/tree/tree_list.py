"""``authready tree list``: every tree an id can name here, who provides it, and its hash.

The shipped trees and those installed packages declare (entry-point group ``authready.trees``,
``wizard.infra.tree_sources``). A policy owner checks what a repo's CI will judge by; a pin in
``.authready/policies.toml`` copies the hash from here. Problems (an id provided twice, an entry
point whose package or file is missing or says another id) are listed too, and make the exit 1:
such an id cannot be resolved, so a review or the gate naming it would stop.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from wizard.infra.errors import EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:  # pragma: no cover
    from wizard.infra.tree_sources import Catalogue, TreeSource

FORMATS_LIST = ("text", "json")
SHORT_HASH = 12


DESCRIPTION = (
    "List every tree an id can name: the shipped ones and those installed packages declare (entry-point group "
    "authready.trees), with version, provider, sha256 and path, then any problem (an id provided twice, a broken "
    "entry point). Exit 0, or 1 when a problem is listed."
)


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    help_line = "list the trees ids can name: shipped and from installed packages (exit 1 on a problem)"
    tl = actions.add_parser("list", help=help_line, description=DESCRIPTION)
    tl.add_argument("--format", choices=FORMATS_LIST, default="text")
    tl.set_defaults(handler=cmd_tree_list)


def _problems(cat: Catalogue) -> list[dict[str, Any]]:
    """Clashes first (by id), then broken entry points that clash with nothing."""
    from wizard.infra.tree_sources import clash_message

    clashes = cat.clashes()
    out: list[dict[str, Any]] = [
        {"id": tree_id, "kind": "clash", "providers": [c.provider for c in claims],
         "message": clash_message(tree_id, claims)}
        for tree_id, claims in clashes.items()
    ]
    out += [
        {"id": b.id, "kind": "broken", "providers": [b.provider], "message": b.problem}
        for b in cat.broken if b.id not in clashes
    ]
    return out


def _sha(t: TreeSource) -> str:
    try:
        return t.sha256
    except OSError as exc:
        return f"unreadable ({exc.strerror})"


def cmd_tree_list(args: argparse.Namespace) -> int:
    from wizard.infra.tree_sources import catalogue

    cat = catalogue()
    problems = _problems(cat)
    clashing = {p["id"] for p in problems if p["kind"] == "clash"}
    if args.format == "json":
        import json

        trees = [
            {"id": t.id, "version": t.version, "provider": t.provider, "path": str(t.path), "sha256": _sha(t),
             "problem": "clash" if t.id in clashing else None}
            for t in cat.trees
        ]
        print(json.dumps({"trees": trees, "problems": problems}, indent=2))
    else:
        sys.stdout.write(_text(cat.trees, problems, clashing))
    return EXIT_FAILED if problems else EXIT_OK


def _text(trees: tuple[TreeSource, ...], problems: list[dict[str, Any]], clashing: set[str]) -> str:
    from wizard.render.escape import one_line

    rows = [("ID", "VERSION", "PROVIDER", "SHA256", "PATH")]
    rows += [
        (one_line(t.id) + (" (!)" if t.id in clashing else ""), one_line(t.version or "?"), one_line(t.provider),
         _sha(t)[:SHORT_HASH], one_line(t.path))
        for t in trees
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    out = ["  ".join([*(cell.ljust(w) for cell, w in zip(r[:4], widths)), r[4]]).rstrip() for r in rows]
    if problems:
        out.append("")
        out.append(f"{len(problems)} problem(s):")
        out += [f"  {one_line(p['id'])} ({one_line(', '.join(p['providers']))}): {one_line(p['message'])}"
                for p in problems]
    return "\n".join(out) + "\n"
