"""Showing data literally: tree and attestation text never styles or controls the terminal.

Trees and attestations are files anyone can edit. Their text goes on screen
through :func:`literal`: ``wizard.render.escape.block`` (the one escaper)
shows control, bidi and other invisible characters as visible escapes, and a
Rich ``Text`` keeps ``[bold]`` from being read as markup. The helpers that
several screens share (the "why this matters" text, how a path is shown)
live here too, so screens never import each other for them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from wizard.render.escape import block

if TYPE_CHECKING:
    from wizard.policy.tree import Question, Tree


def clean(value: str) -> str:
    """``value`` safe for the terminal, for places that need a ``str`` (see ``escape.block``)."""
    return block(value)


def literal(value: str, style: str = "") -> Text:
    """A ``Text`` that shows ``value`` exactly as written (no markup, no control codes)."""
    return Text(block(value), style=style)


def join(*parts: Text | str) -> Text:
    """Concatenate; ``str`` parts are our own fixed labels (still never parsed as markup)."""
    out = Text()
    for part in parts:
        out.append(part if isinstance(part, Text) else Text(part))
    return out


def why_text(q: Question, tree: Tree) -> Text:
    """The help text and the references (with their titles) of a question: the review and learn mode show it."""
    out = join(literal(q.help))
    if q.refs:
        out.append("\n\nReferences:")
        for ref in q.refs:
            out.append("\n• ")
            out.append(literal(ref, "bold"))
            title = tree.references.get(ref)
            if title:
                out.append(" — ")
                out.append(literal(title))
    return out


def display_path(path: Path, root: Path) -> str:
    """``path`` as the user would type it: relative to the working folder (else the repo root) when inside it."""
    path = Path(os.path.abspath(path))
    for base in (Path.cwd(), root):
        try:
            return path.relative_to(Path(os.path.abspath(base))).as_posix()
        except ValueError:
            continue
    return str(path)
