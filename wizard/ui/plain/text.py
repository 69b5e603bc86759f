"""Text helpers both plain modes share: wrapping at word boundaries, counts, short labels, drafts, paths.

Untrusted text (tree, attestation and draft text) goes through
``wizard.render.escape`` before it reaches the terminal; wrapping never splits
a word at the margin (a screen reader reads a split word as two).
"""

from __future__ import annotations

import os
import shutil
import textwrap
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wizard.render.escape import lines as escaped_lines

if TYPE_CHECKING:  # pragma: no cover
    from wizard.review.drafts import DraftInfo


def plural(n: int, word: str) -> str:
    """``1 answer``, ``2 answers``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def isatty(stream: object) -> bool:
    """Whether ``stream`` is a terminal (False for anything that cannot say)."""
    try:
        return bool(getattr(stream, "isatty")())
    except (AttributeError, ValueError):
        return False


def terminal_width(stdout: TextIO) -> int:
    """The width to wrap at: the terminal's, else $COLUMNS, else 80 (never below 20)."""
    width = 0
    try:
        if stdout.isatty():
            width = os.get_terminal_size(stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        width = 0
    if not width:
        try:
            width = int(os.environ.get("COLUMNS", "0"))
        except ValueError:
            width = 0
    return max(20, width or 80)


def screen_width() -> int:
    """The terminal's width for the questionary prompts (80 when unknown, never below 20)."""
    return max(20, shutil.get_terminal_size((80, 24)).columns)


def wrap_block(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` escaped and wrapped at ``width``; continuation lines keep the paragraph's lead plus ``indent``."""
    out: list[str] = []
    for para in escaped_lines(text):
        if not para.strip():
            out.append("")
            continue
        lead = para[: len(para) - len(para.lstrip(" "))]
        out += textwrap.wrap(
            para, width=width, subsequent_indent=lead + indent, break_long_words=False, break_on_hyphens=False,
        ) or [""]
    return out


def wrap(text: str, first: int = 0, indent: int = 0, width: int | None = None) -> str:
    """``text`` wrapped at word boundaries so the terminal never splits a word at the margin.

    ``first``: columns already taken on the first line (the ``? `` prefix, a pointer); ``indent``:
    spaces before each continuation line. The text is not escaped here (see ``wrap_block``).
    """
    width = (width or screen_width()) - 1
    out: list[str] = []
    for para in text.split("\n"):
        lines = textwrap.wrap(
            " " * first + para, width=width, subsequent_indent=" " * indent,
            break_long_words=False, break_on_hyphens=False,
        ) or [""]
        lines[0] = lines[0][first:]
        out += lines
        first = indent
    return "\n".join(out)


def short(label: str, limit: int = 16) -> str:
    """An answer's label for a confirmation: up to its first colon, else its first words, then "…"."""
    head, colon, _ = label.partition(":")
    if colon and len(head) <= limit:
        return head + ": …"
    if len(label) <= limit + 6:
        return label
    cut = label[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;.")
    return cut + " …"


def ago(when: datetime, now: datetime | None = None) -> str:
    """``just now``, ``5 minutes ago``, ``3 hours ago``, ``2 days ago``; a date beyond a month."""
    now = now or datetime.now(timezone.utc)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return when.strftime("on %Y-%m-%d") if unit == "day" and n > 30 else f"{plural(n, unit)} ago"
    return "just now"  # pragma: no cover (seconds >= 60 always matches a unit)


def draft_summary(info: "DraftInfo", now: datetime | None = None) -> str:
    """How a draft is listed: ``billing-api (2 answers, last changed 5 minutes ago)``."""
    return (f"{info.component or 'an unnamed component'} "
            f"({plural(info.answered, 'answer')}, last changed {ago(info.changed, now)})")


def as_path(raw: str, base: Path) -> Path:
    """A typed path: ``~`` expanded, relative to ``base``."""
    p = Path(raw.strip()).expanduser()
    return p if p.is_absolute() else base / p


def new_file_problem(text: str, base: Path) -> str | None:
    """Why ``text`` cannot name a new attestation file (relative to ``base``), or None."""
    if not text.strip():
        return "give a file path (relative to the repo root)"
    p = as_path(text, base)
    if p.exists():
        return f"{p} exists; choose a new file"
    if p.suffix != ".toml":
        return "attestations are TOML files: end the name with .toml"
    return None
