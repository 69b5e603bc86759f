"""The one escaper for untrusted text: tree, attestation and answers-file text is data.

Anyone can edit those files, so their text must never drive the terminal or forge a log line.
Every character Python does not call printable is shown as a visible escape (``\\x1b``,
``\\u202e``): C0/C1 controls (ESC starts colour and cursor codes), DEL, bidi overrides and
other format characters (they reorder what a reviewer reads), line and paragraph separators.
Spaces (of any width) stay. Two shapes:

- :func:`one_line` for logs, tables and CI annotations: newlines are escaped too, so one value
  is one line;
- :func:`block` for prose shown on screen: newlines stay, tabs become four spaces.

Markup is a separate concern: the Textual front-end wraps the result in a Rich ``Text`` so
``[bold]`` is shown, not obeyed.
"""

from __future__ import annotations

import unicodedata


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def one_line(text: object) -> str:
    """``text`` as one safe line: every non-printable character (newline included) escaped."""
    s = str(text)
    if s.isprintable():
        return s
    # Spaces of every width stay (Zs); everything else not printable is shown as an escape.
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs" else _escape(ch) for ch in s)


def block(text: str) -> str:
    """``text`` for display over several lines: newlines kept, tabs as spaces, the rest as :func:`one_line`."""
    return "\n".join(one_line(line.replace("\t", "    ")) for line in text.split("\n"))


def lines(text: str) -> list[str]:
    """:func:`block`'s lines, for front-ends that print line by line."""
    return block(text).split("\n")
