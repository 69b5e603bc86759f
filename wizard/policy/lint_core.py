"""What every lint check shares: a problem (with the knock-on problems folded under it) and the context.

The checks read the tree's raw TOML data, after ``wizard.policy.lint_schema`` found it valid, so
lint never imports pydantic (see ``wizard.policy.lint``).
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple, Sequence

from wizard.infra.tomlio import TomlLines

HINTS = 50  # "did you mean" guesses per tree (see ``Context.closest``)


class Problem(NamedTuple):
    """One lint problem; ``line`` is 1-based, or None when it cannot be placed.

    ``details`` are what follows from it: the choices a missing id breaks, the questions that
    became unreachable because of it. They print indented under it, so a reader fixes the cause
    first instead of reading its echoes first. (A named tuple, not a dataclass: ``dataclasses``
    imports ``inspect``, a sixth of what lint-on-save costs above the interpreter's start.)
    """

    path: str
    line: int | None
    message: str
    details: tuple[Problem, ...] = ()

    def head(self) -> str:
        """The problem's own line, without its details."""
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def __str__(self) -> str:
        return "\n".join([self.head(), *("    " + d.head() for d in self.details)])


class Context:
    """The tree being linted: its file, text, data and the problems found so far."""

    def __init__(self, path: str, text: str, data: dict[str, Any]) -> None:
        self.path, self.text, self.data = path, text, data
        self.problems: list[Problem] = []
        self._lines: TomlLines | None = None  # indexed on the first problem: a clean tree never needs a line
        self.questions: list[dict[str, Any]] = data["questions"]
        self.findings: list[dict[str, Any]] = data.get("findings", [])
        self.ends: list[dict[str, Any]] = data["ends"]
        self.references: dict[str, Any] = data.get("references", {})
        # First definition wins, as in the models' lookups; duplicates are reported.
        self.question_index: dict[str, int] = {}
        for i, q in enumerate(self.questions):
            self.question_index.setdefault(q["id"], i)
        self.end_index: dict[str, int] = {}
        for i, e in enumerate(self.ends):
            self.end_index.setdefault(e["id"], i)
        self.finding_ids = {f["id"] for f in self.findings}
        self.hints_left = HINTS

    def line(self, loc: Sequence[str | int]) -> int | None:
        if self._lines is None:
            self._lines = TomlLines(self.text)
        return self._lines.line(loc)

    def problem(self, loc: Sequence[str | int], message: str, details: Iterable[Problem] = ()) -> Problem:
        return Problem(self.path, self.line(loc) if loc else None, message, tuple(details))

    def closest(self, word: str, candidates: Iterable[str]) -> str | None:
        """The candidate a misspelt id most likely meant, or None when none is close.

        Each guess compares the word with every candidate, so a tree broken everywhere gets guesses
        for its first ``HINTS`` misspellings only: lint stays linear in the size of the tree.
        """
        if self.hints_left <= 0:
            return None
        self.hints_left -= 1
        import difflib  # here: only a tree with a problem pays for it

        close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
        return close[0] if close else None

    def did_you_mean(self, word: str, candidates: Iterable[str]) -> str:
        """``; did you mean 'x'?`` for the closest candidate to a misspelt id, or ``""``."""
        close = self.closest(word, candidates)
        return f"; did you mean {close!r}?" if close else ""

    def add(self, loc: Sequence[str | int], message: str, details: Iterable[Problem] = ()) -> None:
        self.problems.append(self.problem(loc, message, details))
