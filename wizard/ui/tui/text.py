"""Showing data literally: tree and attestation text never styles or controls the terminal.

Trees and attestations are files anyone can edit. Their text goes on screen
through :func:`literal`, which builds a Rich ``Text`` (so ``[bold]`` is not
markup) and replaces control characters with visible escapes (so ``ESC[31m``
or a bell cannot reach the terminal).
"""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: str) -> str:
    """``value`` with control characters (except newline) shown as ``\\xNN`` and tabs as spaces."""
    value = value.replace("\t", "    ")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def literal(value: str, style: str = "") -> Text:
    """A ``Text`` that shows ``value`` exactly as written (no markup, no control codes)."""
    return Text(clean(value), style=style)


def join(*parts: Text | str) -> Text:
    """Concatenate; ``str`` parts are our own fixed labels (still never parsed as markup)."""
    out = Text()
    for part in parts:
        out.append(part if isinstance(part, Text) else Text(part))
    return out
