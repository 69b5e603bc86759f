"""Running a scenarios file: every scenario, each judged on its own, with what its walk did.

A scenario whose answers name a question or choice the tree does not have fails alone, with the
answer's line; the others still run (a typo in one must not hide the rest). A failing scenario
keeps its verdict, so the report can show the path taken and the findings raised, not only
"expected X, got Y".

Exact mode: the findings raised must be exactly the scenario's ``findings`` (as a set), so
``findings = []`` asserts that nothing is raised. It applies when ``--exact`` is given (to every
scenario), else when the scenario sets ``exact``, else when the file does.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from wizard.infra.errors import AuthreadyError
from wizard.policy.engine import Verdict, evaluate, selected_choices
from wizard.policy.scenarios import Scenario, ScenarioSource, scenario_line
from wizard.policy.tree import Tree

_At = Callable[..., "int | None"]  # at(*keys): the line of a key in the scenario being run


@dataclass(frozen=True)
class Issue:
    """Why a scenario failed, and the line it concerns when that is not the scenario's own header."""

    message: str
    line: int | None = None


@dataclass(frozen=True)
class Result:
    """One scenario, run."""

    name: str
    line: int | None
    """The line of its ``[[scenarios]]`` header (None when the file does not use such tables)."""
    issues: tuple[Issue, ...]
    verdict: Verdict | None
    """The walk and its judgement; None when the answers named unknown ids (nothing was walked)."""
    exact: bool

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(i.message for i in self.issues)


def run_source(tree: Tree, src: ScenarioSource, *, exact: bool = False) -> list[Result]:
    """Run every scenario of ``src`` against ``tree``, in file order; ``exact`` forces exact mode on all."""
    results = []
    for index, sc in enumerate(src.file.scenarios):
        is_exact = exact or (sc.exact if sc.exact is not None else src.file.exact)
        results.append(_run_one(tree, sc, is_exact, src.text, index))
    return results


def _run_one(tree: Tree, sc: Scenario, exact: bool, text: str, index: int) -> Result:
    def at(*keys: str) -> int | None:
        return scenario_line(text, index, keys)

    issues = _unknown_answers(tree, sc, at)
    verdict: Verdict | None = None
    if not issues:
        try:
            verdict = evaluate(tree, sc.answers)
        except AuthreadyError as exc:  # a broken tree (dangling link, cycle): lint's job, this scenario's failure
            issues.append(Issue(exc.message))
    issues += _unknown_expectations(tree, sc, at)
    if verdict is not None:
        issues += [Issue(m) for m in expectations(sc, verdict, exact)]
    return Result(sc.name, at(), tuple(issues), verdict, exact)


def _near(word: str, options: list[str]) -> str:
    near = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


def _unknown_answers(tree: Tree, sc: Scenario, at: _At) -> list[Issue]:
    issues = []
    for qid, cid in sc.answers.items():
        q = tree.question_map.get(qid)
        if q is None:
            msg = f"unknown question id {qid!r} for tree {tree.id!r}{_near(qid, list(tree.question_map))}"
            issues.append(Issue(msg, at("answers", qid)))
        else:
            valid = [c.id for c in q.choices]
            unknown = [c for c in ([cid] if isinstance(cid, str) else cid) if q.choice(c) is None]
            if unknown:
                msg = f"unknown choice {unknown[0]!r} for question {qid!r} (valid: {', '.join(valid)}){_near(unknown[0], valid)}"
                issues.append(Issue(msg, at("answers", qid)))
                continue
            try:
                selected_choices(q, cid)
            except AuthreadyError as exc:  # the wrong shape: a list for a one-answer question, or the reverse
                issues.append(Issue(exc.message, at("answers", qid)))
    return issues


def _unknown_expectations(tree: Tree, sc: Scenario, at: _At) -> list[Issue]:
    issues = []
    if sc.unanswered is not None and sc.unanswered not in tree.question_map:
        msg = f"unknown question id {sc.unanswered!r} in unanswered{_near(sc.unanswered, list(tree.question_map))}"
        issues.append(Issue(msg, at("unanswered")))
    for key, ids in (("findings", sc.findings), ("absent", sc.absent)):
        for fid in ids:
            if fid not in tree.finding_map:
                msg = f"unknown finding id {fid!r} in {key}{_near(fid, list(tree.finding_map))}"
                issues.append(Issue(msg, at(key)))
    return issues


def expectations(sc: Scenario, v: Verdict, exact: bool) -> list[str]:
    """What the verdict breaks of the scenario's expectations (empty: it holds)."""
    problems = []
    got = [rf.finding.id for rf in v.findings]
    if sc.unanswered is not None and sc.outcome is not None:
        problems.append("sets both outcome and unanswered; a scenario expects one of them")
    elif sc.unanswered is not None:
        stop = v.walk.unanswered.id if v.walk.unanswered else None
        if stop != sc.unanswered:
            problems.append(f"expected unanswered {sc.unanswered!r}, walk stopped at {stop or v.label!r}")
    elif sc.outcome is None:
        problems.append("scenario sets neither outcome nor unanswered")
    elif v.outcome != sc.outcome:
        problems.append(f"expected {sc.outcome.label}, got {v.label}")
    problems += [f"expected finding {fid!r} was not raised" for fid in sc.findings if fid not in got]
    problems += [f"finding {fid!r} was raised but must not be" for fid in sc.absent if fid in got]
    if exact:
        listed = set(sc.findings) | set(sc.absent)
        problems += [f"finding {fid!r} was raised but is not in findings (exact)" for fid in got if fid not in listed]
    if v.walk.ignored:
        problems.append(f"answers off the path: {', '.join(v.walk.ignored)}")
    return problems
