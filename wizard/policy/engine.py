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
from wizard.policy.remediation import PHASES, Phase, phase_of, step_text
from wizard.policy.tree import Choice, End, Finding, Outcome, Question, Severity, Tree


AnswerValue = str | tuple[str, ...]
"""One question's answer: a choice id, or for a ``select = "many"`` question the selected ids in tree order."""


def as_value(q: Question, given: object) -> AnswerValue:
    """An answer in its one form (a tuple in tree order for a select-all question), or ``AuthreadyError``."""
    chosen = selected_choices(q, given)
    return tuple(c.id for c in chosen) if q.many else chosen[0].id


@dataclass(frozen=True)
class Step:
    """One answered question on the path: the answers selected (one, or several for a select-all
    question, in tree order) and where the walk went from it."""

    question: Question
    selected: tuple[Choice, ...]
    next: str

    @property
    def choice(self) -> Choice:
        """The answer of a one-answer question (for a select-all question: the first selected)."""
        return self.selected[0]

    @property
    def answer(self) -> str | tuple[str, ...]:
        """The answer as recorded: a choice id, or the selected ids of a select-all question."""
        return tuple(c.id for c in self.selected) if self.question.many else self.selected[0].id

    @property
    def label(self) -> str:
        """The answer as shown: its label, or the selected labels joined by "; "."""
        return "; ".join(c.label for c in self.selected)

    def raising(self, finding_id: str) -> tuple[Choice, ...]:
        """The selected answers that raise ``finding_id``."""
        return tuple(c for c in self.selected if finding_id in c.raises)


@dataclass(frozen=True)
class Skip:
    """A question the walk passed without asking: an earlier answer made it moot."""

    question: Question
    by: Step


@dataclass(frozen=True)
class PlanStep:
    """One remediation step of a verdict: its phase, its text (with its "done when") and its finding."""

    phase: Phase
    text: str
    finding: str


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
    skipped: tuple[Skip, ...] = ()

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
    capped: tuple[tuple[Step, Choice], ...] = ()  # answers with a ``cap``, in path order
    plan: tuple[PlanStep, ...] = ()  # ``remediation`` with each step's phase and finding

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


def selected_choices(q: Question, value: object) -> tuple[Choice, ...]:
    """The choices an answer selects, in tree order; ``AuthreadyError`` saying what is wrong with it.

    A one-answer question takes a choice id; a select-all question a non-empty list of distinct
    ids, where an exclusive answer ("none of these", "don't know") stands alone.
    """
    valid = ", ".join(c.id for c in q.choices)
    if not q.many:
        if not isinstance(value, str):
            raise AuthreadyError(f"question {q.id!r} takes one answer (a choice id), not {type(value).__name__}")
        choice = q.choice(value)
        if choice is None:
            raise AuthreadyError(f"unknown choice {value!r} for question {q.id!r} (valid: {valid})")
        return (choice,)
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise AuthreadyError(f"question {q.id!r} is select-all-that-apply: give a list of choice ids (valid: {valid})")
    ids = list(value)
    if not ids:
        raise AuthreadyError(f"question {q.id!r} needs at least one answer (a \"none of these\" answer, if that is the truth)")
    for cid in ids:
        if not isinstance(cid, str) or q.choice(cid) is None:
            raise AuthreadyError(f"unknown choice {cid!r} for question {q.id!r} (valid: {valid})")
    if len(set(ids)) != len(ids):
        raise AuthreadyError(f"question {q.id!r} lists a choice twice")
    chosen = tuple(c for c in q.choices if c.id in ids)
    alone = [c.id for c in chosen if c.exclusive]
    if alone and len(chosen) > 1:
        raise AuthreadyError(f"answer {alone[0]!r} of question {q.id!r} stands alone; it cannot be selected with others")
    return chosen


def check_answers(tree: Tree, answers: Mapping[str, object], *, source: str | None = None) -> None:
    """Reject answers naming a question or choice the tree does not have, or of the wrong shape."""
    for qid, value in answers.items():
        q = tree.question_map.get(qid)
        if q is None:
            raise AuthreadyError(f"unknown question id {qid!r} for tree {tree.id!r}", path=source)
        try:
            selected_choices(q, value)
        except AuthreadyError as exc:
            exc.path = source
            raise


def walk(tree: Tree, answers: Mapping[str, object]) -> Walk:
    """Follow the answers from the start; stop at an end or the first unanswered question.

    A question an earlier answer made moot is passed without asking, at its own ``next``.
    """
    steps: list[Step] = []
    skipped: list[Skip] = []
    visited: set[str] = set()
    asked: set[str] = set()
    mooted: dict[str, Step] = {}
    node: str | None = tree.start
    end: End | None = None
    unanswered: Question | None = None
    while True:
        if node in tree.end_map:
            end = tree.end_map[node]
            break
        q = tree.question_map.get(node) if node is not None else None
        if q is None or q.id in visited:  # dangling link, missing route or cycle: lint reports these
            raise AuthreadyError(f"tree {tree.id!r} is broken at {node or steps[-1].question.id!r}; run `authready tree lint`")
        visited.add(q.id)
        if q.id in mooted:
            skipped.append(Skip(q, mooted[q.id]))
            node = q.next
            continue
        asked.add(q.id)
        value = answers.get(q.id)
        if value is None:
            unanswered = q
            break
        chosen = selected_choices(q, value)
        route = next((c.next for c in chosen if c.next), None) or q.next
        if route is None:
            raise AuthreadyError(f"tree {tree.id!r} is broken at {q.id!r} (no route); run `authready tree lint`")
        step = Step(q, chosen, route)
        steps.append(step)
        for c in chosen:
            for moot in c.moots:
                mooted.setdefault(moot, step)
        node = route
    ignored = tuple(qid for qid in answers if qid not in asked)
    return Walk(tuple(steps), end, unanswered, ignored, tuple(skipped))


def evaluate(tree: Tree, answers: Mapping[str, object]) -> Verdict:
    """Walk and judge. Deterministic: the same tree and answers give the same verdict."""
    w = walk(tree, answers)
    raised: dict[str, list[Step]] = {}
    capped: list[tuple[Step, Choice]] = []
    for step in w.steps:
        for choice in step.selected:
            for fid in choice.raises:
                by = raised.setdefault(fid, [])
                if step not in by:
                    by.append(step)
            if choice.cap is not None:
                capped.append((step, choice))
    findings = [RaisedFinding(tree.finding_map[fid], tuple(by)) for fid, by in raised.items() if fid in tree.finding_map]
    # Blockers first, then warnings; within a severity, in path order.
    findings.sort(key=lambda rf: rf.finding.severity is not Severity.BLOCKER)

    # The plan: every step in its phase (contain, fix, condition, verify), in finding order within it.
    plan: list[PlanStep] = []
    for rf in findings:
        for fix in rf.finding.remediation:
            item = PlanStep(phase_of(fix, rf.finding.severity.value), step_text(fix), rf.finding.id)
            if all(p.text != item.text for p in plan):
                plan.append(item)
    plan.sort(key=lambda p: PHASES.index(p.phase))
    remediation = [p.text for p in plan]

    # A verdict cites what supports its findings: a question's references stay with the question (its
    # help), so a review with two findings cites their sources, not every source on the path.
    references: list[str] = []
    for rf in findings:
        for ref in rf.finding.refs:
            if ref not in references:
                references.append(ref)

    outcome: Outcome | None = None
    policy = None
    if w.end is not None:
        candidates = [w.end.outcome] + [c.cap for _, c in capped if c.cap is not None]
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
        plan=tuple(plan),
        references=tuple(references),
        required_signers=policy.required_signers if policy else None,
        valid_days=policy.valid_days if policy else None,
        capped=tuple(capped),
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
            stack.extend(tree.question_map[n].routes)
    return out


def _best(tree: Tree, node: str) -> Outcome:
    ends = reachable_ends(tree, node)
    return max((e.outcome for e in ends), key=lambda o: o.rank) if ends else Outcome.NO_GO


def path_cap(tree: Tree, w: Walk) -> Cap:
    """The best outcome still reachable along ``w`` (the end's, once it is reached), and which answer
    lowered it to that: an answer's own ``cap``, or the first step after which nothing better can be
    reached."""
    node = w.end.id if w.end is not None else (w.unanswered.id if w.unanswered is not None else tree.start)
    cap = _best(tree, node)
    by: Step | None = None
    for step in w.steps:
        for choice in step.selected:
            if choice.cap is not None and choice.cap.rank < cap.rank:
                cap, by = choice.cap, step
    if by is None and cap is not _best(tree, tree.start):
        for step in w.steps:
            if _best(tree, step.next).rank <= cap.rank:
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
