"""Which answer paths get another verdict from the new version of a tree.

Why: a structural diff says *what* changed; a reviewer of a policy change also wants to know
*whose* verdict changes ("production + managed service + short-lived: GO → NO-GO"). The answer
sets compared are the scenarios of both trees (the files beside them, read leniently: a broken
one is noted and skipped) and, for a tree with at most ``limit`` complete paths, every path from
its start to an end. Each set is judged by both trees; a set is reported when the verdicts differ,
except one only the new tree can judge (a path through an added choice): that is new, not changed.
A verdict is an outcome label, ``unanswered: <question>`` (the new tree asks more) or
``invalid: …`` (an answer names a removed choice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from wizard.infra.errors import AuthreadyError
from wizard.infra.tomlio import parse_toml, read_text
from wizard.policy.engine import evaluate
from wizard.policy.scenarios import scenarios_path
from wizard.policy.tree import LoadedTree, Tree

PATH_LIMIT = 10_000
Answers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class VerdictChange:
    """One answer set whose verdict differs: ``name`` is a scenario's name or the path's answers."""

    name: str
    answers: Answers
    old: str
    new: str


@dataclass(frozen=True)
class PathReport:
    """The verdict changes, how many answer sets were compared, and what limited the comparison."""

    changes: tuple[VerdictChange, ...]
    compared: int
    notes: tuple[str, ...]
    limit: int = PATH_LIMIT


def count_paths(tree: Tree) -> int:
    """Complete paths from the start to an end (a cycle's back edge counts none: lint reports cycles)."""
    memo: dict[str, int] = {eid: 1 for eid in tree.end_map}
    on_stack: set[str] = set()
    stack: list[tuple[str, bool]] = [(tree.start, False)]
    while stack:
        node, expanded = stack.pop()
        if node in memo:
            continue
        q = tree.question_map.get(node)
        if q is None:
            memo[node] = 0
        elif expanded:
            on_stack.discard(node)
            memo[node] = sum(memo.get(c.next, 0) for c in q.choices)
        elif node not in on_stack:
            on_stack.add(node)
            stack.append((node, True))
            stack.extend((c.next, False) for c in q.choices if c.next not in memo and c.next not in on_stack)
    return memo.get(tree.start, 0)


def iter_paths(tree: Tree) -> Iterator[Answers]:
    """Every complete path as its answers, depth first in choice order (skips cycles and dangling links)."""
    stack: list[tuple[str, Answers]] = [(tree.start, ())]
    while stack:
        node, path = stack.pop()
        if node in tree.end_map:
            yield path
            continue
        q = tree.question_map.get(node)
        if q is None or any(qid == node for qid, _ in path):
            continue
        stack.extend((c.next, path + ((q.id, c.id),)) for c in reversed(q.choices))


def judge(tree: Tree, answers: Answers) -> tuple[str, bool]:
    """The verdict label of ``answers`` and whether the walk reached an end with them."""
    try:
        v = evaluate(tree, dict(answers))
    except AuthreadyError as exc:
        return f"invalid: {exc.message}", False
    return v.label, v.outcome is not None


def _scenarios(loaded: LoadedTree, notes: list[str], which: str) -> list[tuple[str, Answers]]:
    """The named answer sets of the scenarios file beside ``loaded`` (none when it is missing or unreadable)."""
    path = scenarios_path(loaded.path)
    if not path.is_file():
        return []
    try:
        data = parse_toml(read_text(path), path)
    except AuthreadyError as exc:
        notes.append(f"{which} scenarios skipped: {exc}")
        return []
    out: list[tuple[str, Answers]] = []
    entries = data.get("scenarios")
    for i, sc in enumerate(entries if isinstance(entries, list) else [], 1):
        answers = sc.get("answers") if isinstance(sc, dict) else None
        if isinstance(answers, dict) and all(isinstance(v, str) for v in answers.values()):
            name = sc.get("name")
            out.append((f"scenario {name if isinstance(name, str) else f'#{i}'!r}", tuple(answers.items())))
    return out


def path_name(answers: Answers) -> str:
    """A path as ``path q1=c1 q2=c2``: copyable into an answers file's ``[answers]``."""
    return "path " + " ".join(f"{q}={c}" for q, c in answers) if answers else "path (no answers)"


def _answer_sets(old: LoadedTree, new: LoadedTree, limit: int, notes: list[str]) -> dict[frozenset[tuple[str, str]], tuple[str, Answers, bool]]:
    """Every answer set to compare, once: name, answers, and whether the old tree contributed it."""
    sets: dict[frozenset[tuple[str, str]], tuple[str, Answers, bool]] = {}

    def add(name: str, answers: Answers, from_old: bool) -> None:
        key = frozenset(answers)
        if key in sets:
            first = sets[key]
            sets[key] = (first[0], first[1], first[2] or from_old)
        else:
            sets[key] = (name, answers, from_old)

    for which, loaded, from_old in (("OLD", old, True), ("NEW", new, False)):
        for name, answers in _scenarios(loaded, notes, which):
            add(name, answers, from_old)
    big: list[str] = []
    for which, loaded, from_old in (("OLD", old, True), ("NEW", new, False)):
        n = count_paths(loaded.tree)
        if n > limit:
            big.append(f"{which} has {n:,}")
            continue
        for answers in iter_paths(loaded.tree):
            add(path_name(answers), answers, from_old)
    if big:
        notes.append(f"{' and '.join(big)} answer paths, more than {limit:,}: only scenarios stand for "
                     f"{'them' if len(big) > 1 else 'it'}")
    return sets


def verdict_changes(old: LoadedTree, new: LoadedTree, *, limit: int = PATH_LIMIT) -> PathReport:
    """The answer sets (scenarios of both trees, every path of a tree with at most ``limit``) whose verdict changes."""
    notes: list[str] = []
    sets = _answer_sets(old, new, limit, notes)
    changes: list[VerdictChange] = []
    for name, answers, from_old in sets.values():
        was, was_complete = judge(old.tree, answers)
        now, _ = judge(new.tree, answers)
        if was != now and (from_old or was_complete):
            changes.append(VerdictChange(name, answers, was, now))
    return PathReport(tuple(changes), len(sets), tuple(notes), limit)

