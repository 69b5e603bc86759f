"""Which answer paths get another verdict from the new version of a tree.

Why: a structural diff says *what* changed; a reviewer of a policy change also wants to know
*whose* verdict changes ("production + managed service + short-lived: GO → NO-GO"). The answer
sets compared are the scenarios of both trees (the files beside them, read leniently: a broken
one is noted and skipped) and, for a tree with at most ``limit`` complete paths, every path from
its start to an end. Each set is judged by both trees; a set is reported when the verdicts differ,
except one only the new tree can judge (a path through an added choice): that is new, not changed.
A verdict is an outcome label, ``unanswered: <question>`` (the new tree asks more) or
``invalid: …`` (an answer names a removed choice).

Paths follow the walk: a question an earlier answer made moot is passed at its own ``next``,
unanswered. A select-all question of n answers has 2^n combinations; the paths take each answer
alone (each non-exclusive one, each exclusive one) and all the non-exclusive ones together. That
is at most n + 1 answer sets per question, and it loses no route and no finding: a combination
goes where the first of its answers with a ``next`` goes (so where that answer alone goes), or to
the question's ``next`` (where any answer without one goes alone), and it raises what its answers
raise, all of which "all together" raises. ``count_paths`` counts these paths; with ``moots`` it is
an upper bound (a question that can be moot counts as the larger of asked and passed), so the limit
still bounds the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from wizard.infra.errors import AuthreadyError
from wizard.infra.tomlio import parse_toml, read_text
from wizard.policy.engine import AnswerValue, evaluate
from wizard.policy.scenarios import scenarios_path
from wizard.policy.tree import Choice, LoadedTree, Question, Tree

PATH_LIMIT = 10_000
Answers = tuple[tuple[str, AnswerValue], ...]


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


def answer_options(q: Question) -> list[tuple[Choice, ...]]:
    """The answers a path takes at ``q``: each choice alone, and for a select-all question with two or
    more non-exclusive answers, those all together (the module docstring says why that is enough)."""
    out: list[tuple[Choice, ...]] = [(c,) for c in q.choices]
    plain = tuple(c for c in q.choices if not c.exclusive)
    if q.many and len(plain) > 1:
        out.append(plain)
    return out


def _route(q: Question, chosen: tuple[Choice, ...]) -> str:
    """Where the walk goes from ``q`` with these answers (as ``wizard.policy.engine.walk``)."""
    return next((c.next for c in chosen if c.next), None) or q.next or ""


def count_paths(tree: Tree) -> int:
    """Complete paths from the start to an end (a cycle's back edge counts none: lint reports cycles); an
    upper bound when answers make questions moot (see the module docstring)."""
    mootable = {qid for q in tree.questions for c in q.choices for qid in c.moots}
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
            memo[node] = sum(memo.get(_route(q, chosen), 0) for chosen in answer_options(q))
            if q.id in mootable and q.next:  # asked or passed: whichever gives more
                memo[node] = max(memo[node], memo.get(q.next, 0))
        elif node not in on_stack:
            on_stack.add(node)
            stack.append((node, True))
            stack.extend((r, False) for r in q.routes if r not in memo and r not in on_stack)
    return memo.get(tree.start, 0)


def iter_paths(tree: Tree) -> Iterator[Answers]:
    """Every complete path as its answers, depth first in choice order (skips cycles and dangling links)."""
    stack: list[tuple[str, Answers, frozenset[str], frozenset[str]]] = [(tree.start, (), frozenset(), frozenset())]
    while stack:
        node, path, seen, moot = stack.pop()
        if node in tree.end_map:
            yield path
            continue
        q = tree.question_map.get(node)
        if q is None or node in seen:
            continue
        seen = seen | {node}
        if node in moot:
            stack.append((q.next or "", path, seen, moot))
            continue
        for chosen in reversed(answer_options(q)):
            value: AnswerValue = tuple(c.id for c in chosen) if q.many else chosen[0].id
            moots = moot.union(*(c.moots for c in chosen)) if any(c.moots for c in chosen) else moot
            stack.append((_route(q, chosen), path + ((q.id, value),), seen, moots))


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
        if isinstance(answers, dict) and all(_an_answer(v) for v in answers.values()):
            name = sc.get("name")
            out.append((f"scenario {name if isinstance(name, str) else f'#{i}'!r}",
                        tuple((q, v if isinstance(v, str) else tuple(v)) for q, v in answers.items())))
    return out


def _an_answer(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def path_name(answers: Answers) -> str:
    """A path as ``path q1=c1 q2=[c2,c3]`` (a select-all answer as its list), in the order of ``[answers]``."""
    if not answers:
        return "path (no answers)"
    return "path " + " ".join(f"{q}={c}" if isinstance(c, str) else f"{q}=[{','.join(c)}]" for q, c in answers)


def _answer_sets(old: LoadedTree, new: LoadedTree, limit: int, notes: list[str]) -> dict[frozenset[tuple[str, AnswerValue]], tuple[str, Answers, bool]]:
    """Every answer set to compare, once: name, answers, and whether the old tree contributed it."""
    sets: dict[frozenset[tuple[str, AnswerValue]], tuple[str, Answers, bool]] = {}

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
            moots = any(c.moots for q in loaded.tree.questions for c in q.choices)
            big.append(f"{which} has {'up to ' if moots else ''}{n:,}")
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

