"""Lint of the tree as a graph: links, cycles, reachability, paths that never end; causes before their echoes.

A deleted end leaves every ``next`` naming it dangling, and every question whose paths all ran
through it can no longer end; a misspelt ``next`` cuts off the question it meant and all below
it. Reported flat, the echoes come before the cause and outnumber it. So each missing id is one
problem (with a "did you mean" when an existing id is close), and what follows from it is folded
under it: lint asks the graph again as if the link were repaired (pointing at the id it probably
meant, or at an end when nothing is close), and whatever that repair would fix is a knock-on of
that link, not a problem of its own. A choice with no route (no ``next``, and its question has none)
is such a broken link too. The edges are every route the walk can take (``Question.routes``): each choice's
``next`` or its question's, and the question's own ``next``, taken when no selected answer routes and
when the question is moot, so "every path ends" covers the moot routes. Everything is linear in the
size of the tree.
"""

from __future__ import annotations

from typing import Iterable

from wizard.policy.lint_core import Context, Problem
from wizard.policy.lint_moots import check_moots

_VIRTUAL_END = ""  # where a dangling link with no close match is assumed to lead (no id can be empty)
_NO_ROUTE = "\0"  # prefix of the key of a choice with no route at all (no id can hold it)
Link = tuple[int, int | None]  # (question index, choice index; None: the question's own `next`)


class _Graph:
    """Questions (first definition of each id) and their links: as written, and as repaired.

    A choice with no route (no ``next``, and its question has none) is a broken link like a dangling one,
    keyed ``_NO_ROUTE`` + its place: repaired, it leads to an end, so what it strands folds under it.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.q, self.e = ctx.question_index, ctx.end_index
        self.dangling: dict[str, list[Link]] = {}  # missing id -> the links naming it, file order
        links: dict[str, list[str]] = {}  # question (first definition) -> its routes, a choice with none keyed
        for qi, q in enumerate(ctx.questions):
            own = q.get("next")
            nexts: list[str] = []
            for ci, c in enumerate(q["choices"]):
                n = c.get("next")
                if n is None and own is None:
                    n = f"{_NO_ROUTE}{qi}.{ci}"
                    self.dangling[n] = [(qi, ci)]
                elif n is None:
                    n = own
                elif n not in self.q and n not in self.e:
                    self.dangling.setdefault(n, []).append((qi, ci))
                nexts.append(n)
            if own is not None:
                nexts.append(own)
                if own not in self.q and own not in self.e:
                    self.dangling.setdefault(own, []).append((qi, None))
            if self.q[q["id"]] == qi:
                links[q["id"]] = list(dict.fromkeys(nexts))
        known = [*self.q, *(e for e in self.e if e not in self.q)] if self.dangling else []
        self.fix: dict[str, str | None] = {}
        for t, where in self.dangling.items():  # never a question holding the link: nobody means a loop to itself
            holders = {ctx.questions[qi]["id"] for qi, _ in where}
            missing = not t.startswith(_NO_ROUTE)
            self.fix[t] = ctx.closest(t, (k for k in known if k not in holders)) if missing else None
        if not self.fix:  # nothing to repair (a tree that lints clean)
            self.real = self.repaired = links
            return
        self.real = {qid: [n for n in nexts if n not in self.fix] for qid, nexts in links.items()}
        self.repaired = {qid: [n if n not in self.fix else self.fix[n] or _VIRTUAL_END for n in nexts]
                         for qid, nexts in links.items()}

    def is_end(self, node: str) -> bool:
        return node == _VIRTUAL_END or (node in self.e and node not in self.q)

    def reach(self, start: str | None, succ: dict[str, list[str]]) -> set[str]:
        """Questions and ends reachable from ``start``."""
        if start is None:
            return set()
        seen, stack = {start}, [start]
        while stack:
            for n in succ.get(stack.pop(), ()):
                if n not in seen and n != _VIRTUAL_END:
                    seen.add(n)
                    stack.append(n)
        return seen

    def can_end(self, succ: dict[str, list[str]]) -> tuple[set[str], dict[str, list[str]]]:
        """Questions from which some end is reachable (a reverse search from the ends), and the predecessors."""
        preds: dict[str, list[str]] = {qid: [] for qid in self.q}
        done: set[str] = set()
        for qid, nexts in succ.items():
            for n in nexts:
                if self.is_end(n):
                    done.add(qid)
                elif n in preds:
                    preds[n].append(qid)
        stack = list(done)
        while stack:
            for p in preds[stack.pop()]:
                if p not in done:
                    done.add(p)
                    stack.append(p)
        return done, preds

    def line_of(self, node: str) -> int | None:
        if node in self.q:
            return self.ctx.line(("questions", self.q[node], "id"))
        return self.ctx.line(("ends", self.e[node], "id"))


def check_graph(ctx: Context) -> None:
    """Dangling links and an unknown start (with their knock-ons folded under them), cycles, unreachable
    questions and ends, and questions from which no end is reachable."""
    g = _Graph(ctx)
    start: str = ctx.data["start"]
    start_ok = start in g.q
    start_fix = start if start_ok else ctx.closest(start, g.q)
    real_reach = g.reach(start if start_ok else None, g.real)
    real_end, real_preds = g.can_end(g.real)
    if g.dangling or not start_ok:
        fixed_reach = g.reach(start_fix, g.repaired)
        fixed_end, fixed_preds = g.can_end(g.repaired)
    else:  # nothing to repair (a tree that lints clean): the repaired graph is the graph
        fixed_reach, fixed_end, fixed_preds = real_reach, real_end, real_preds
    knock_ons: dict[str, list[Problem]] = {t: [] for t in g.dangling}
    loops, finished = _cycles(ctx, g, start if start_ok else None)
    ctx.problems.extend(loops)  # a loop before the "never ends" it causes

    def unreachable(node: str) -> Problem:
        kind = f"question {node!r} is unreachable from start {start!r}" if node in g.q else f"end {node!r} is unreachable"
        return Problem(ctx.path, g.line_of(node), kind)

    # Unreachable: what the repaired graph reaches and the real one does not is a knock-on of the repair
    # that reached it. (An unknown start makes everything unreachable: its problem says so once.)
    if start_ok:
        owner = _owners([(t, g.fix[t]) for t in g.dangling], fixed_reach - real_reach, g.repaired)
        for node in [*g.q, *(e for e in g.e if e not in g.q)]:
            if node not in fixed_reach:
                ctx.problems.append(unreachable(node))
            elif node not in real_reach:
                target = owner.get(node)
                (knock_ons[target] if target is not None else ctx.problems).append(unreachable(node))
    # Never ending: the same, searching backwards from the choices that hold the dangling links.
    visible = real_reach | fixed_reach
    echo = {qid for qid in g.q if qid in visible and qid in fixed_end and qid not in real_end}
    sources = [(t, [ctx.questions[qi]["id"] for qi, _ in g.dangling[t]]) for t in g.dangling]
    end_owner = _owners_back(sources, echo, fixed_preds)
    for qid in g.q:
        if qid not in visible or (qid in real_end):
            continue
        p = Problem(ctx.path, g.line_of(qid), f"no path from question {qid!r} ever reaches an end")
        target = end_owner.get(qid) if qid in echo else None
        (knock_ons[target] if target is not None else ctx.problems).append(p)

    if not start_ok:
        hint = f"; did you mean {start_fix!r}?" if start_fix else ""
        ctx.add(("start",), f"start {start!r} is not a question id{hint}",
                [Problem(ctx.path, None, "so no question or end is reachable")])
    for target, links in g.dangling.items():
        ctx.problems.append(_dangling(ctx, target, links, g.fix[target], knock_ons[target]))
    check_moots(ctx, g.real, finished)


def _owners(roots: list[tuple[str, str | None]], within: set[str], succ: dict[str, list[str]]) -> dict[str, str]:
    """Each node of ``within`` -> the first root (missing id) whose repair target reaches it."""
    owner: dict[str, str] = {}
    for target, fixed in roots:
        stack = [fixed] if fixed in within and fixed not in owner else []
        for n in stack:
            owner[n] = target
        while stack:
            for n in succ.get(stack.pop(), ()):
                if n in within and n not in owner:
                    owner[n] = target
                    stack.append(n)
    return owner


def _owners_back(roots: list[tuple[str, list[str]]], within: set[str], preds: dict[str, list[str]]) -> dict[str, str]:
    """Each node of ``within`` -> the first root (missing id) whose choices it can reach."""
    owner: dict[str, str] = {}
    for target, sources in roots:
        stack = [s for s in dict.fromkeys(sources) if s in within and s not in owner]
        for s in stack:
            owner[s] = target
        while stack:
            for p in preds[stack.pop()]:
                if p in within and p not in owner:
                    owner[p] = target
                    stack.append(p)
    return owner


def _dangling(ctx: Context, target: str, links: list[Link], fix: str | None,
              echoes: Iterable[Problem]) -> Problem:
    """One problem per missing id: the link (or every link) naming it, then what follows from it. A choice
    with no route is one problem too, with what it strands."""
    hint = f"; did you mean {fix!r}?" if fix else ""
    later = sorted(echoes, key=lambda p: p.line or 0)
    locs: list[tuple[str | int, ...]] = []
    names: list[str] = []
    for qi, ci in links:
        q = ctx.questions[qi]
        locs.append(("questions", qi, "next") if ci is None else ("questions", qi, "choices", ci, "next"))
        names.append(f"question {q['id']!r}" if ci is None else f"choice {q['id']}.{q['choices'][ci]['id']}")
    if target.startswith(_NO_ROUTE):
        qi, ci = links[0]
        return ctx.problem(locs[0][:-1], f"{names[0]} leads nowhere: it has no `next`, and question "
                           f"{ctx.questions[qi]['id']!r} has none for it to follow", later)
    if len(links) == 1:
        return ctx.problem(locs[0], f"{names[0]} leads to unknown id {target!r} (dangling link){hint}", later)
    leads = [ctx.problem(loc, f"{name} leads to it") for loc, name in zip(locs, names)]
    kinds = {ci is None for _, ci in links}
    noun = "choices" if kinds == {False} else "questions" if kinds == {True} else "choices and questions"
    return ctx.problem(locs[0], f"{target!r} is missing: {len(links)} {noun} lead to it, but no question or end "
                       f"has this id{hint}", [*leads, *later])


def _cycles(ctx: Context, g: _Graph, start: str | None) -> tuple[list[Problem], dict[str, int] | None]:
    """Back edges of an iterative depth-first search from the start, each as the loop it closes; and, when
    there is none, the order in which the search finished each question (``wizard.policy.lint_moots``
    reads reachability from it)."""
    out: list[Problem] = []
    if start is None:
        return out, None
    succ = {qid: [n for n in nexts if n in g.q] for qid, nexts in g.real.items()}
    grey, black = {start}, set()
    finished: dict[str, int] = {}
    stack: list[tuple[str, int]] = [(start, 0)]
    trail = [start]
    reported: set[tuple[str, str]] = set()
    while stack:
        node, i = stack[-1]
        nexts = succ[node]
        if i < len(nexts):
            stack[-1] = (node, i + 1)
            nxt = nexts[i]
            if nxt not in grey and nxt not in black:
                grey.add(nxt)
                stack.append((nxt, 0))
                trail.append(nxt)
            elif nxt in grey and (node, nxt) not in reported:
                reported.add((node, nxt))
                loop = trail[trail.index(nxt):] + [nxt]
                out.append(Problem(ctx.path, g.line_of(node), "cycle: " + " -> ".join(loop)))
        else:
            grey.discard(node)
            black.add(node)
            finished[node] = len(finished)
            stack.pop()
            trail.pop()
    return out, None if out else finished
