"""Lint a tree: every structural problem, one per line, with file and line.

The models already reject wrong types; lint checks what only the whole tree
shows: duplicate and unknown ids, dangling links, cycles, unreachable
questions, paths that never end, findings nothing raises, blockers without
remediation, "don't know" answers that count for nothing. All checks are
linear in the size of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.infra.tomlio import locate
from wizard.policy.tree import LoadedTree, Severity


@dataclass(frozen=True)
class Problem:
    """One lint problem; ``line`` is 1-based, or None when it cannot be placed."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def lint(loaded: LoadedTree) -> list[Problem]:
    """Return every problem in the tree, in file order where lines are known."""
    tree, text, path = loaded.tree, loaded.text, str(loaded.path)
    problems: list[Problem] = []

    def add(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(path, locate(text, loc) if loc else None, message))

    # Duplicate ids. Questions and ends share one namespace: `next` names either.
    seen: dict[str, str] = {}
    ids: tuple[tuple[str, list[str]], ...] = (("question", [q.id for q in tree.questions]), ("end", [e.id for e in tree.ends]))
    for kind, item_ids in ids:
        table = "questions" if kind == "question" else "ends"
        for i, item_id in enumerate(item_ids):
            if item_id in seen:
                add((table, i, "id"), f"duplicate id {item_id!r} (already used by a {seen[item_id]})")
            else:
                seen[item_id] = kind
    fseen: set[str] = set()
    for i, f in enumerate(tree.findings):
        if f.id in fseen:
            add(("findings", i, "id"), f"duplicate finding id {f.id!r}")
        fseen.add(f.id)

    questions, ends, findings = tree.question_map, tree.end_map, tree.finding_map
    refs = tree.references

    if tree.start not in questions:
        add(("start",), f"start {tree.start!r} is not a question id")

    raised: set[str] = set()
    for qi, q in enumerate(tree.questions):
        cseen: set[str] = set()
        for ref in q.refs:
            if ref not in refs:
                add(("questions", qi, "refs"), f"question {q.id!r} cites unknown reference {ref!r} (add it to [references])")
        for ci, c in enumerate(q.choices):
            loc = ("questions", qi, "choices", ci)
            if c.id in cseen:
                add(loc + ("id",), f"question {q.id!r} has duplicate choice id {c.id!r}")
            cseen.add(c.id)
            if c.next not in questions and c.next not in ends:
                add(loc + ("next",), f"choice {q.id}.{c.id} leads to unknown id {c.next!r} (dangling link)")
            for fid in c.raises:
                if fid not in findings:
                    add(loc + ("raises",), f"choice {q.id}.{c.id} raises unknown finding {fid!r}")
                raised.add(fid)
            if c.dont_know and not c.raises:
                add(loc + ("dont_know",), f"choice {q.id}.{c.id} is a \"don't know\" answer but raises no finding; it must count against readiness")

    for fi, f in enumerate(tree.findings):
        if f.id not in raised:
            add(("findings", fi, "id"), f"finding {f.id!r} is raised by no choice")
        if f.severity is Severity.BLOCKER and not f.remediation:
            add(("findings", fi, "remediation"), f"blocker {f.id!r} has no remediation steps")
        for ref in f.refs:
            if ref not in refs:
                add(("findings", fi, "refs"), f"finding {f.id!r} cites unknown reference {ref!r} (add it to [references])")

    problems.extend(_graph_problems(loaded))
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return problems


def _graph_problems(loaded: LoadedTree) -> list[Problem]:
    """Cycles, unreachable questions and ends, and questions from which no end is reachable."""
    tree, text, path = loaded.tree, loaded.text, str(loaded.path)
    questions, ends = tree.question_map, tree.end_map
    index = {q.id: i for i, q in reversed(list(enumerate(tree.questions)))}
    out: list[Problem] = []

    def line_of(qid: str) -> int | None:
        return locate(text, ("questions", index[qid], "id"))

    succ = {qid: [c.next for c in q.choices if c.next in questions] for qid, q in questions.items()}

    # Iterative DFS from the start: reachability and back edges (cycles).
    WHITE, GREY, BLACK = 0, 1, 2
    colour = {qid: WHITE for qid in questions}
    reported_cycles: set[tuple[str, str]] = set()
    if tree.start in questions:
        stack: list[tuple[str, int]] = [(tree.start, 0)]
        colour[tree.start] = GREY
        trail = [tree.start]
        while stack:
            node, i = stack[-1]
            nexts = succ[node]
            if i < len(nexts):
                stack[-1] = (node, i + 1)
                nxt = nexts[i]
                if colour[nxt] == WHITE:
                    colour[nxt] = GREY
                    stack.append((nxt, 0))
                    trail.append(nxt)
                elif colour[nxt] == GREY and (node, nxt) not in reported_cycles:
                    reported_cycles.add((node, nxt))
                    loop = trail[trail.index(nxt):] + [nxt]
                    out.append(Problem(path, line_of(node), "cycle: " + " -> ".join(loop)))
            else:
                colour[node] = BLACK
                stack.pop()
                trail.pop()

    reachable_ends: set[str] = set()
    for qid, q in questions.items():
        if colour[qid] == WHITE:
            out.append(Problem(path, line_of(qid), f"question {qid!r} is unreachable from start {tree.start!r}"))
        else:
            reachable_ends.update(c.next for c in q.choices if c.next in ends)
    if tree.start in questions:
        for ei, e in enumerate(tree.ends):
            if e.id not in reachable_ends:
                out.append(Problem(path, locate(text, ("ends", ei, "id")), f"end {e.id!r} is unreachable"))

    # Paths that never end: questions from which no end can be reached (reverse BFS from ends).
    preds: dict[str, list[str]] = {qid: [] for qid in questions}
    can_end: set[str] = set()
    for qid, q in questions.items():
        for c in q.choices:
            if c.next in ends:
                can_end.add(qid)
            elif c.next in questions:
                preds[c.next].append(qid)
    frontier = list(can_end)
    while frontier:
        node = frontier.pop()
        for p in preds[node]:
            if p not in can_end:
                can_end.add(p)
                frontier.append(p)
    for qid in questions:
        if qid not in can_end and colour[qid] != WHITE:
            out.append(Problem(path, line_of(qid), f"no path from question {qid!r} ever reaches an end"))
    return out
