"""``authready tree new``: a small, valid starter tree and its scenarios, with comments on every field.

Why a starter and not an empty file: a policy owner learns the format fastest by editing something
that already lints and tests clean — three questions, a "don't know" answer that counts against
readiness, a warning and a blocker with remediation, three ends and scenarios that cover every
choice. The texts are real TOML files (``templates/starter*.toml``, package data, so an editor
checks them) with ``@ID@`` where the id goes. Both files are written atomically and never over an
existing file; neither is written when either exists.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from wizard.infra.errors import InputError
from wizard.infra.tomlio import write_atomic
from wizard.policy.tree import ID_PATTERN

_ID = re.compile(ID_PATTERN)
PLACEHOLDER = "@ID@"


def check_tree_id(tree_id: str) -> str:
    """``tree_id`` when it is a valid tree id; else one line saying what an id may hold."""
    if not _ID.fullmatch(tree_id):  # fullmatch: `$` alone would let a trailing newline through
        raise InputError(
            f"{tree_id!r} is not a valid tree id: use 1 to 64 lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or a digit (e.g. personal-data)"
        )
    return tree_id


def starter_texts(tree_id: str) -> tuple[str, str]:
    """The starter tree's text and its scenarios file's text for ``tree_id``."""
    check_tree_id(tree_id)
    folder = files("wizard.policy") / "templates"
    texts = ((folder / name).read_text(encoding="utf-8") for name in ("starter.toml", "starter.scenarios.toml"))
    tree, scenarios = (t.replace(PLACEHOLDER, tree_id) for t in texts)
    return tree, scenarios


def write_starter(tree_id: str, folder: Path) -> tuple[Path, Path]:
    """Write ``<id>.toml`` and ``<id>.scenarios.toml`` into ``folder``; refuse (writing nothing) if either exists."""
    tree_text, scenarios_text = starter_texts(tree_id)
    tree_path, scenarios_path = folder / f"{tree_id}.toml", folder / f"{tree_id}.scenarios.toml"
    for p in (tree_path, scenarios_path):
        if p.exists() or p.is_symlink():
            raise InputError("already exists; nothing was written (choose another id or --dir)", path=p)
    write_atomic(tree_path, tree_text.encode("utf-8"))
    try:
        write_atomic(scenarios_path, scenarios_text.encode("utf-8"))
    except BaseException:
        tree_path.unlink(missing_ok=True)  # both files or neither
        raise
    return tree_path, scenarios_path
