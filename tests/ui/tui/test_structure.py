"""The Textual front-end's shape: the app opens screens, screens never import it or change the review's state.

Screens post messages or return results (``dismiss``) and the app acts on them; a
screen importing ``wizard.ui.tui.app`` would bring back the app<->screen cycle. The
review (``wizard.review.session.Session``) changes only through its methods, so every
front-end routes, prunes and saves the same way. Both are read from the source (AST),
so the check is quick and needs no terminal.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers.repo import ROOT

TUI = ROOT / "wizard" / "ui" / "tui"
ENTRY = {"app.py", "learn_app.py", "__init__.py"}  # the two apps, and the package's entry points
NOT_THE_APP = sorted(p for p in TUI.rglob("*.py") if p.relative_to(TUI).as_posix() not in ENTRY)
MUTATORS = {"pop", "clear", "update", "append", "extend", "discard", "add", "remove", "setdefault", "popitem"}


def _imports(tree: ast.AST) -> set[str]:
    """Every module a file imports, at the top, under TYPE_CHECKING or inside a function."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _session_attribute(node: ast.AST) -> str | None:
    """``x.session.attr`` (through any subscripts) -> "attr"; else None."""
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "session":
        return node.attr
    return None


def _session_writes(tree: ast.AST) -> list[str]:
    """Assignments to, deletions of and mutating calls on a session's attributes, as ``line: attr``."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = list(node.targets)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            targets = [node.func.value]
        for target in targets:
            attr = _session_attribute(target)
            if attr is not None:
                out.append((node.lineno, f"{node.lineno}: session.{attr}"))
    return [text for _, text in sorted(out)]


def test_the_files_checked_are_the_screens_widgets_and_helpers():
    names = {p.relative_to(TUI).as_posix() for p in NOT_THE_APP}
    assert {"screens/start.py", "screens/question.py", "screens/summary.py", "widgets/footer.py",
            "text.py", "view.py"} <= names
    assert "app.py" not in names


@pytest.mark.parametrize("path", NOT_THE_APP, ids=lambda p: p.relative_to(TUI).as_posix())
def test_no_screen_or_widget_imports_the_app(path: Path):
    """Screens post messages (or dismiss with a result); only the app opens screens."""
    imported = _imports(ast.parse(path.read_text(encoding="utf-8")))
    assert not {m for m in imported if m == "wizard.ui.tui.app" or m.startswith("wizard.ui.tui.app.")}


@pytest.mark.parametrize("path", sorted(TUI.rglob("*.py")), ids=lambda p: p.relative_to(TUI).as_posix())
def test_nothing_in_the_front_end_changes_session_attributes(path: Path):
    """The session changes only through its methods (answer, back, go_to, set_note, set_meta, bind_head…)."""
    assert _session_writes(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_checks_catch_what_they_look_for():
    """The AST checks themselves: a planted assignment, mutation and app import are found."""
    planted = ast.parse(
        "from wizard.ui.tui.app import ReviewApp\n"
        "self.session.position = 3\n"
        "self.session.notes['q'] = 'x'\n"
        "self.session.notes.pop('q')\n"
        "del self.session.answers['q']\n"
    )
    assert "wizard.ui.tui.app" in _imports(planted)
    assert _session_writes(planted) == ["2: session.position", "3: session.notes", "4: session.notes",
                                        "5: session.answers"]
