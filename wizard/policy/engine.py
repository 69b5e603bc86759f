"""Walk a tree with answers and return a verdict. Pure: no I/O, no clock, no UI.

Only the path the answers decide is walked. Answers to questions off that
path are ignored and reported; a missing answer stops the walk with
"unanswered: <question>" instead of a guess. The verdict is the worst of
the end's outcome (the best its path can give), NO-GO if any blocker was
raised, and GO WITH CONDITIONS if any warning was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from wizard.infra.errors import AuthreadyError
from wizard.policy.tree import Choice, End, Finding, Outcome, Question, Severity, Tree


@dataclass(frozen=True)
class Step:
    """One answered question on the path."""

    question: Question
    choice: Choice


@dataclass(frozen=True)
class RaisedFinding:
    """A finding with the answers that raised it (the "why")."""

    finding: Finding
    raised_by: tuple[Step, ...]


@dataclass(frozen=True)
class Walk:
    """The path the answers decide: steps taken, and where it stopped."""

    steps: tuple[Step, ...]
    end: End | None
    unanswered: Question | None
    ignored: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.end is not None


@dataclass(frozen=True)
class Verdict:
    """The result of a walk. ``outcome`` is None while a question is unanswered."""

    walk: Walk
    outcome: Outcome | None
    findings: tuple[RaisedFinding, ...]
    remediation: tuple[str, ...]
    references: tuple[str, ...]
    required_signers: int | None = None
    valid_days: int | None = None

    @property
    def blockers(self) -> tuple[RaisedFinding, ...]:
        return tuple(f for f in self.findings if f.finding.severity is Severity.BLOCKER)

    @property
    def warnings(self) -> tuple[RaisedFinding, ...]:
        return tuple(f for f in self.findings if f.finding.severity is Severity.WARNING)

    @property
    def label(self) -> str:
        if self.outcome is None:
            q = self.walk.unanswered
            return f"unanswered: {q.id}" if q else "unanswered"
        return self.outcome.label


def check_answers(tree: Tree, answers: Mapping[str, str], *, source: str | None = None) -> None:
    """Reject answers naming a question or choice the tree does not have."""
    for qid, cid in answers.items():
        q = tree.question_map.get(qid)
        if q is None:
            raise AuthreadyError(f"unknown question id {qid!r} for tree {tree.id!r}", path=source)
        if q.choice(cid) is None:
            valid = ", ".join(c.id for c in q.choices)
            raise AuthreadyError(f"unknown choice {cid!r} for question {qid!r} (valid: {valid})", path=source)


def walk(tree: Tree, answers: Mapping[str, str]) -> Walk:
    """Follow the answers from the start; stop at an end or the first unanswered question."""
    steps: list[Step] = []
    seen: set[str] = set()
    node = tree.start
    end: End | None = None
    unanswered: Question | None = None
    while True:
        if node in tree.end_map:
            end = tree.end_map[node]
            break
        q = tree.question_map.get(node)
        if q is None or node in seen:  # dangling link or cycle: lint reports these
            raise AuthreadyError(f"tree {tree.id!r} is broken at {node!r}; run `authready tree lint`")
        seen.add(node)
        cid = answers.get(q.id)
        choice = q.choice(cid) if cid is not None else None
        if choice is None:
            if cid is not None:
                raise AuthreadyError(f"unknown choice {cid!r} for question {q.id!r}")
            unanswered = q
            break
        steps.append(Step(q, choice))
        node = choice.next
    ignored = tuple(qid for qid in answers if qid not in seen)
    return Walk(tuple(steps), end, unanswered, ignored)


def evaluate(tree: Tree, answers: Mapping[str, str]) -> Verdict:
    """Walk and judge. Deterministic: the same tree and answers give the same verdict."""
    w = walk(tree, answers)
    raised: dict[str, list[Step]] = {}
    for step in w.steps:
        for fid in step.choice.raises:
            raised.setdefault(fid, []).append(step)
    findings = [RaisedFinding(tree.finding_map[fid], tuple(by)) for fid, by in raised.items() if fid in tree.finding_map]
    # Blockers first, then warnings; within a severity, in path order.
    findings.sort(key=lambda rf: rf.finding.severity is not Severity.BLOCKER)

    remediation: list[str] = []
    for rf in findings:
        for fix in rf.finding.remediation:
            if fix not in remediation:
                remediation.append(fix)

    references: list[str] = []
    for step in w.steps:
        for ref in step.question.refs:
            if ref not in references:
                references.append(ref)
    for rf in findings:
        for ref in rf.finding.refs:
            if ref not in references:
                references.append(ref)

    outcome: Outcome | None = None
    policy = None
    if w.end is not None:
        candidates = [w.end.outcome]
        if any(rf.finding.severity is Severity.BLOCKER for rf in findings):
            candidates.append(Outcome.NO_GO)
        if any(rf.finding.severity is Severity.WARNING for rf in findings):
            candidates.append(Outcome.CONDITIONAL)
        outcome = min(candidates, key=lambda o: o.rank)
        policy = tree.outcomes[outcome]
    return Verdict(
        walk=w,
        outcome=outcome,
        findings=tuple(findings),
        remediation=tuple(remediation),
        references=tuple(references),
        required_signers=policy.required_signers if policy else None,
        valid_days=policy.valid_days if policy else None,
    )


@dataclass(frozen=True)
class Cap:
    """The best outcome a path can still reach, and the answer that set that limit (None: the tree's)."""

    outcome: Outcome
    by: Step | None


def reachable_ends(tree: Tree, node: str) -> list[End]:
    """Every end reachable from ``node`` (a question or an end id)."""
    out: list[End] = []
    seen: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in tree.end_map:
            out.append(tree.end_map[n])
        elif n in tree.question_map:
            stack.extend(c.next for c in tree.question_map[n].choices)
    return out


def _best(tree: Tree, node: str) -> Outcome:
    ends = reachable_ends(tree, node)
    return max((e.outcome for e in ends), key=lambda o: o.rank) if ends else Outcome.NO_GO


def path_cap(tree: Tree, w: Walk) -> Cap:
    """The best outcome still reachable along ``w`` (the end's, once it is reached), and which answer
    lowered it to that (the first step after which nothing better can be reached)."""
    node = w.end.id if w.end is not None else (w.unanswered.id if w.unanswered is not None else tree.start)
    cap = _best(tree, node)
    by: Step | None = None
    if cap is not _best(tree, tree.start):
        for step in w.steps:
            if _best(tree, step.choice.next).rank <= cap.rank:
                by = step
                break
    return Cap(cap, by)


def best_possible(verdict: Verdict, cap: Outcome) -> Outcome:
    """The best verdict the answers so far still allow: the cap, lowered by any finding raised."""
    candidates = [cap]
    if verdict.blockers:
        candidates.append(Outcome.NO_GO)
    if verdict.warnings:
        candidates.append(Outcome.CONDITIONAL)
    return min(candidates, key=lambda o: o.rank)
