"""The learn-mode quiz: situations drawn from a tree's own scenarios, "what is the verdict?".

Headless (no UI imports): ``authready learn --quiz`` shows it in Textual, and the
tests drive it directly. Each situation is a shipped scenario that reaches an end:
the answers on its path are shown, the learner picks an outcome, and the
explanation gives the right verdict with the findings, the answers that raised
them, the path's cap and the references. Nothing is written anywhere.

A select-all question is marked so and its answer is every selected label; a
finding names the very answers that raised it; an answer that caps the verdict
is one of the reasons; a question an answer made moot is listed as not asked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from wizard.infra.errors import AuthreadyError
from wizard.policy.engine import Cap, Skip, Step, Verdict, evaluate, path_cap
from wizard.policy.scenarios import scenarios_for
from wizard.policy.tree import LoadedTree, Outcome

CHOICES: tuple[Outcome, ...] = (Outcome.GO, Outcome.CONDITIONAL, Outcome.PROTOTYPE, Outcome.NO_GO)
"""The verdicts offered, in the order they are numbered (1-4)."""

SELECT_ALL = "(select all that apply)"
"""How a select-all question is marked in a situation."""


def marked(text: str) -> str:
    """A select-all question's text, marked so (unless its own words already say it)."""
    return text if SELECT_ALL[1:-1] in text.lower() else f"{text} {SELECT_ALL}"


def raised_by(step: Step, finding_id: str) -> str:
    """``question → answer``: the answers of ``step`` that raised ``finding_id``."""
    chosen = step.raising(finding_id)
    return f"{step.question.text} → {'; '.join(c.label for c in chosen) if chosen else step.label}"


def skip_line(skip: Skip) -> str:
    """``Not asked: <question> (moot after <question> → <answer>)``."""
    by = next((c for c in skip.by.selected if skip.question.id in c.moots), skip.by.choice)
    return f"Not asked: {skip.question.text} (moot after {skip.by.question.text} → {by.label})"


@dataclass(frozen=True)
class Situation:
    """One scenario of the tree, judged: what the learner sees and what explains the answer."""

    name: str
    verdict: Verdict
    cap: Cap

    @property
    def outcome(self) -> Outcome:
        assert self.verdict.outcome is not None
        return self.verdict.outcome

    @property
    def steps(self) -> list[tuple[str, str, str | None]]:
        """(area, question text, answer label) along the path; a select-all question is marked, and
        its answer is every selected label ("; "-joined)."""
        return [(s.question.area or "", marked(s.question.text) if s.question.many else s.question.text, s.label)
                for s in self.verdict.walk.steps]

    @property
    def not_asked(self) -> list[str]:
        """``Not asked: <question> (moot after <question> → <answer>)`` for each question passed as moot."""
        return [skip_line(k) for k in self.verdict.walk.skipped]


@dataclass(frozen=True)
class Feedback:
    """The result of one guess."""

    guess: Outcome
    right: Outcome
    correct: bool
    reasons: tuple[str, ...]
    """Why the right answer is right, one sentence each (plain text; front-ends render it literally)."""
    findings: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(severity, title, the answers that raised it as "question → answer")."""
    references: tuple[tuple[str, str], ...]
    """(reference id, its title or "")."""


def situations(loaded: LoadedTree, path: Path | None = None) -> list[Situation]:
    """Every scenario of the tree that reaches an end, judged, in file order."""
    sf, path = scenarios_for(loaded, path)
    tree = loaded.tree
    out = []
    for sc in sf.scenarios:
        if sc.unanswered is not None:
            continue
        v = evaluate(tree, sc.answers)
        if v.outcome is None:
            continue
        out.append(Situation(sc.name, v, path_cap(tree, v.walk)))
    if not out:
        raise AuthreadyError("no scenario reaches an end: nothing to quiz on", path=path)
    return out


def explain(
    situation: Situation, references: dict[str, str]
) -> tuple[tuple[str, ...], tuple[tuple[str, str, tuple[str, ...]], ...], tuple[tuple[str, str], ...]]:
    """The reasons, findings and references behind a situation's verdict."""
    v = situation.verdict
    reasons = []
    if v.blockers:
        reasons.append(f"{len(v.blockers)} blocker(s) were raised: any blocker makes it NO-GO.")
    if v.warnings:
        reasons.append(f"{len(v.warnings)} warning(s) were raised: a warning allows GO WITH CONDITIONS at best.")
    cap = situation.cap
    answer_capped = cap.by is not None and any(c.cap is cap.outcome for c in cap.by.selected)
    if cap.outcome is not Outcome.GO and not answer_capped:  # an answer's own cap is named below
        why = f"This path allows {cap.outcome.label} at best"
        if cap.by is not None:
            why += f", since: {cap.by.question.text} → {cap.by.label}"
        reasons.append(why + ".")
    for step, choice in v.capped:
        if choice.cap is not None:
            reasons.append(f"At best {choice.cap.label}: {step.question.text} → {choice.label}.")
    if not reasons:
        reasons.append("No findings were raised and the path can reach GO: every answer gave the expected control.")
    reasons.append(f"The verdict is the worst of these: {situation.outcome.label}.")
    findings = tuple(
        (rf.finding.severity.value, rf.finding.title,
         tuple(raised_by(s, rf.finding.id) for s in rf.raised_by))
        for rf in v.findings
    )
    refs: list[str] = []
    for rf in v.findings:
        for r in rf.finding.refs:
            if r not in refs:
                refs.append(r)
    if not refs:
        refs = list(v.references[:5])
    return tuple(reasons), findings, tuple((r, references.get(r, "")) for r in refs)


@dataclass
class Quiz:
    """A round of situations with a score. ``seed`` shuffles them (None keeps the file's order)."""

    loaded: LoadedTree
    items: list[Situation] = field(default_factory=list)
    seed: int | None = None
    index: int = 0
    score: int = 0
    answered: int = 0
    last: Feedback | None = None

    def __post_init__(self) -> None:
        if not self.items:
            self.items = situations(self.loaded)
        if self.seed is not None:
            random.Random(self.seed).shuffle(self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> bool:
        return self.index >= len(self.items)

    @property
    def current(self) -> Situation | None:
        return None if self.done else self.items[self.index]

    def guess(self, outcome: Outcome) -> Feedback:
        """Judge a guess for the current situation (once; a second guess returns the first feedback)."""
        s = self.current
        if s is None:
            raise AuthreadyError("the quiz is over")
        if self.last is not None:
            return self.last
        reasons, findings, refs = explain(s, self.loaded.tree.references)
        fb = Feedback(outcome, s.outcome, outcome is s.outcome, reasons, findings, refs)
        self.answered += 1
        self.score += int(fb.correct)
        self.last = fb
        return fb

    def next(self) -> Situation | None:
        """Move on to the next situation (after a guess); None when the round is over."""
        if self.last is None and not self.done:
            raise AuthreadyError("answer this situation first")
        self.index += 1
        self.last = None
        return self.current
