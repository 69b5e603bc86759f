"""Lint of ``moots``: each names a later question the answer can make moot, and that question can be passed.

An answer's ``moots`` list names questions the walk then passes without asking, going on at each
one's own ``next``. So each id must be a question (not an end, not unknown, not the answer's own
question), one the walk can still meet after that answer (else it is moot for nothing: a typo or a
stale entry), and the mooted question needs a ``next`` of its own.

"Can still meet" is reachability, and asked for every moot it could cost a search of the whole tree
each: quadratic, where lint must stay linear (it runs on every save; ``bench/bench_core.py`` lints
10,000-question trees). So an acyclic tree first asks the order in which the graph's depth-first
search from the start finished its questions (``lint_graph``'s cycle search): a question reaches
another only if it finished after it, so "finished before the mooted question" is a certain "no";
the remaining cases search breadth first, stopping at the question, within one budget for the
whole tree (a few times its size). A search the budget cuts short reports nothing: lint may miss a
moot for nothing in a huge, unusual tree, but never reports one that is not.
"""

from __future__ import annotations

from typing import Any

from wizard.policy.lint_core import Context

BUDGET_PER_NODE = 8  # nodes the searches may visit, all together, per question and end of the tree


def check_moots(ctx: Context, succ: dict[str, list[str]], finished: dict[str, int] | None) -> None:
    """Every ``moots`` entry names a reachable later question with a ``next``. ``succ``: the graph as written;
    ``finished``: the order its depth-first search from the start finished each question (None: a cycle)."""
    budget = [BUDGET_PER_NODE * (len(succ) + len(ctx.ends)) + 1000]
    needs_next: dict[str, str] = {}  # mooted question -> the first choice mooting it
    for qi, q in enumerate(ctx.questions):
        for ci, c in enumerate(q["choices"]):
            name = f"choice {q['id']}.{c['id']}"
            loc = ("questions", qi, "choices", ci, "moots")
            for target in c.get("moots", []):
                if target == q["id"]:
                    ctx.add(loc, f"{name} moots its own question {target!r}; an answer can only make later "
                            "questions moot")
                elif target not in ctx.question_index:
                    if target in ctx.end_index:
                        ctx.add(loc, f"{name} moots {target!r}, an end; only a question can be moot")
                    else:
                        ctx.add(loc, f"{name} moots unknown question {target!r}"
                                f"{ctx.did_you_mean(target, ctx.question_index)}")
                elif not _reaches(_after(q, c), target, succ, finished, budget):
                    ctx.add(loc, f"{name} moots {target!r}, which no path after this answer reaches: it is moot "
                            "for nothing")
                else:
                    needs_next.setdefault(target, name)
    for target, by in needs_next.items():
        qi = ctx.question_index[target]
        if ctx.questions[qi].get("next") is None:
            ctx.add(("questions", qi, "id"), f"question {target!r} has no `next` of its own, so the walk cannot "
                    f"pass it when {by} makes it moot; give it the `next` a moot question goes on at")


def _after(q: dict[str, Any], c: dict[str, Any]) -> list[str]:
    """Where the walk can go from ``q`` when ``c`` is among the answers (see ``Question.routes``).

    One answer, or an exclusive one: its route. In a select-all question the walk follows the first
    selected answer (tree order) with a ``next``, else the question's: with ``c`` selected, that is
    ``c``'s own ``next`` or an earlier answer's, or, when ``c`` has none, any other answer's or the
    question's.
    """
    own = q.get("next")
    if q.get("select") != "many" or c.get("exclusive") is True:
        return [n for n in (c.get("next") or own,) if n]
    plain = [o for o in q["choices"] if o.get("exclusive") is not True]
    i = next(k for k, o in enumerate(plain) if o is c)
    if c.get("next"):
        return [c["next"], *(o["next"] for o in plain[:i] if o.get("next"))]
    return [n for n in (own, *(o.get("next") for k, o in enumerate(plain) if k != i)) if n]


def _reaches(sources: list[str], target: str, succ: dict[str, list[str]], finished: dict[str, int] | None,
             budget: list[int]) -> bool:
    """Whether ``target`` is reachable from ``sources`` (True when the search budget runs out).

    ``finished`` (acyclic graphs only): a question reaches another only if the search finished it later;
    an end reaches nothing; a question the search never met (off the start's paths) says nothing.
    """
    if target in sources:
        return True
    if finished is not None and target in finished and all(
            s not in succ or (s in finished and finished[s] < finished[target]) for s in sources):
        return False
    seen, frontier = set(sources), [s for s in sources if s in succ]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for n in succ[node]:
                if n == target:
                    return True
                budget[0] -= 1
                if budget[0] < 0:
                    return True
                if n not in seen and n in succ:
                    seen.add(n)
                    following.append(n)
        frontier = following
    return False
