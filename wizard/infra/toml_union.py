"""Where a validation error stands when pydantic names a union's form in its place.

A value that may take two forms (a remediation step: text, or a ``[[findings.remediation]]`` table)
fails as both, and pydantic puts the form in the error's place: ``remediation.0.str``,
``remediation.0.RemediationStep.step``. No TOML key of the formats is spelled like a form, so a
reader's name for the place says "(as text)" or "(as a table)" instead, and the line lookup skips it.
"""

from __future__ import annotations

from typing import Any, Sequence

_FORMS = {"str": "text", "int": "a number", "float": "a number", "bool": "true or false", "dict": "a table",
          "list": "a list"}


def is_tag(part: str | int, node: Any) -> bool:
    """Whether ``part`` of an error's place is pydantic's name for a form of a union (``str``, or a model's
    name such as ``RemediationStep``) rather than a key of ``node``, the value the place has reached."""
    return isinstance(part, str) and not (isinstance(node, dict) and part in node) and (
        part in _FORMS or part[:1].isupper())


def form_of(tag: str) -> str:
    """The form a tag names, as a reader says it: ``text``, ``a table``."""
    return _FORMS.get(tag, "a table")


def in_file(loc: Sequence[str | int], data: Any) -> list[str | int]:
    """``loc`` as keys of the file: without pydantic's ``[key]`` marker and without union tags (a tag would
    send the line lookup to the enclosing table)."""
    out: list[str | int] = []
    node: Any = data
    for part in loc:
        if part == "[key]" or is_tag(part, node):
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list):
            node = node[part] if isinstance(part, int) and 0 <= part < len(node) else None
        else:
            node = None
    return out
