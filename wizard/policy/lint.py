"""Lint a tree: every problem, one per line with file and line; causes first, their echoes folded under them.

Three stages, all on the tree's raw TOML data:

1. what the file is: a scenarios file, an answers file, an attestation or a tree of a newer format
   is one clear error (``AuthreadyError``) saying what to run instead, not a page of "Field required";
2. the schema: *every* error the models would report (not the first), each named by id rather than
   index (``question 'expiry', choice 'yes': next: Field required``) at its line, or at the header of
   the table a missing key belongs in;
3. when the schema holds, what only the whole tree shows: duplicate and unknown ids (with "did you
   mean"), citations, findings nothing raises or raised twice, blockers without remediation,
   "don't know" answers that count for nothing, blank text, duplicate labels, select-all questions
   and their exclusive answers, caps and rewordings that change nothing (``wizard.policy.lint_choices``),
   then the graph over every route the walk can take, a question's own ``next`` included
   (``wizard.policy.lint_graph``: dangling links and choices with no route, with their knock-ons,
   cycles, unreachable questions and ends, paths that never end; ``wizard.policy.lint_moots``:
   answers that make moot what they cannot meet, moot questions the walk cannot pass).

Lint imports no pydantic (``wizard.policy.lint_schema`` says why): ``tree lint`` runs on every save.
Every check is linear in the size of the tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from wizard.infra.errors import AuthreadyError
from wizard.infra.tomlio import error_problems, locate, parse_toml, read_text
from wizard.policy.lint_choices import check_choices
from wizard.policy.lint_core import Context, Problem
from wizard.policy.lint_graph import check_graph
from wizard.policy.lint_ids import check_citations_and_findings, check_ids, check_text
from wizard.policy.lint_schema import TREE_FORMAT, schema_errors, trees_dir

if TYPE_CHECKING:
    from wizard.policy.tree import LoadedTree

__all__ = ["Linted", "Problem", "SCENARIOS_SUFFIX", "lint", "lint_file", "lint_source"]

SCENARIOS_SUFFIX = ".scenarios.toml"


def lint(loaded: LoadedTree) -> list[Problem]:
    """Every problem in a tree already loaded (its text is linted again, for the lines)."""
    return lint_source(loaded.text, loaded.path)


class Linted(NamedTuple):
    """One tree file's lint: its problems, and its size for the "ok" line."""

    path: Path
    problems: list[Problem]
    size: str  # "34 questions, 67 findings, 3 ends"


def lint_file(path: Path) -> Linted:
    """Lint the tree file at ``path``; an unreadable file or another kind of file raises ``AuthreadyError``."""
    if path.name.endswith(SCENARIOS_SUFFIX):
        raise _scenarios_file(path, None)
    text = read_text(path)
    data = None
    if path.resolve().parent == trees_dir():  # a shipped tree: its parsed twin spares the TOML parse
        import hashlib

        from wizard.policy.parsed import shipped_data

        data = shipped_data(path, hashlib.sha256(text.encode("utf-8")).hexdigest())
    if data is None:
        data = parse_toml(text, path)
    problems = lint_source(text, path, data)
    size = ", ".join(f"{len(data[k]) if isinstance(data.get(k), list) else 0} {k}" for k in ("questions", "findings", "ends"))
    return Linted(path, problems, size)


def lint_source(text: str, path: Path, data: dict[str, Any] | None = None) -> list[Problem]:
    """Every problem in a tree's TOML ``text`` (``data``: its parsed form, when already at hand)."""
    if data is None:
        data = parse_toml(text, path)
    _a_tree(data, text, path)
    errors = schema_errors(data)
    if errors:
        problems = [Problem(str(path), line, message) for line, message in error_problems(errors, data, text)]
    else:
        ctx = Context(str(path), text, data)
        check_ids(ctx)
        check_citations_and_findings(ctx)
        check_text(ctx)
        check_choices(ctx)
        check_graph(ctx)
        problems = ctx.problems
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return problems


def _a_tree(data: dict[str, Any], text: str, path: Path) -> None:
    """Refuse another kind of file, or a tree of a format this authready cannot read, with what to do."""
    if "questions" not in data:
        if data.get("kind") == "authready-attestation":
            raise AuthreadyError(f"is an attestation, not a decision tree; to re-review it: authready review --from "
                                 f"{path}", path=path)
        if isinstance(data.get("answers"), dict):
            raise AuthreadyError(f"is an answers file, not a decision tree; record it: authready review --answers "
                                 f"{path}", path=path)
        if isinstance(data.get("scenarios"), list):
            raise _scenarios_file(path, data)
    fmt = data.get("format")
    if type(fmt) is int and fmt > TREE_FORMAT:  # its other keys may be valid there: no "Extra inputs" noise
        raise AuthreadyError(f"format: Value error, tree format {fmt} is newer than this authready supports "
                             f"({TREE_FORMAT}); upgrade authready", path=path, line=locate(text, ("format",)))


def _scenarios_file(path: Path, data: dict[str, Any] | None) -> AuthreadyError:
    """A scenarios file: point at ``tree test`` with the tree beside it (or the one it names)."""
    beside = path.with_name(path.name[: -len(SCENARIOS_SUFFIX)] + ".toml")
    named = data.get("tree") if data is not None else None
    if path.name.endswith(SCENARIOS_SUFFIX) and (beside.is_file() or not isinstance(named, str)):
        tree = str(beside)
    else:
        tree = named if isinstance(named, str) else "TREE"
    return AuthreadyError(f"is a scenarios file, not a tree; run: authready tree test {tree}", path=path)
