"""The one escaper: nothing from a file reaches the terminal as a control, a newline or a bidi override."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from wizard.render.escape import block, lines, one_line


def test_examples():
    assert one_line("a\nb") == "a\\x0ab"
    assert one_line("x\x1b[31mred") == "x\\x1b[31mred"
    assert one_line("\u202eevil") == "\\u202eevil"
    assert one_line("line\u2028sep") == "line\\u2028sep"
    assert one_line("caf\u00e9 \u00a0 \U0001f642") == "caf\u00e9 \u00a0 \U0001f642"
    assert block("a\n\tb\x07") == "a\n    b\\x07"
    assert lines("one\ntwo") == ["one", "two"]


@given(st.text())
def test_one_line_leaves_no_control(text):
    out = one_line(text)
    assert "\n" not in out and "\r" not in out
    assert all(ch.isprintable() or unicodedata.category(ch) == "Zs" for ch in out)


@given(st.text())
def test_block_keeps_only_newlines(text):
    out = block(text)
    assert all(ch == "\n" or ch.isprintable() or unicodedata.category(ch) == "Zs" for ch in out)
    assert out.count("\n") == text.count("\n")
