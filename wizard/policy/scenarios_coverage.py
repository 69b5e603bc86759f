"""What a tree's scenarios cover: choices taken, findings raised, ends and outcomes reached.

Two scenarios can "pass" on a twelve-question tree; coverage says how much of the policy they
prove. It counts every scenario that was walked (a failing one too: its path was exercised, and
the run fails anyway), including the partial path of an ``unanswered`` scenario; a scenario whose
answers name unknown ids walks nothing and counts for nothing.

- **choice coverage**: distinct (question, choice) pairs on some scenario's path / every choice
  of every question;
- **finding coverage**: distinct findings raised on some scenario's path / every finding the tree
  defines (100% when it defines none);
- **ends** and **outcomes** reached are reported, not gated: ends follow from choices (every end
  is reached through some choice), and a tree need not be able to give every outcome.

``tree test --min-coverage PCT`` gates on ``gate_percent``: the lower of choice and finding coverage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wizard.policy.scenarios_run import Result
from wizard.policy.tree import Outcome, Tree


@dataclass(frozen=True)
class Part:
    """One measure: the items covered and every item, in the tree's order."""

    covered: tuple[str, ...]
    total: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        done = set(self.covered)
        return tuple(x for x in self.total if x not in done)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.covered) / len(self.total) if self.total else 100.0


@dataclass(frozen=True)
class Coverage:
    """Coverage of a tree by a scenario run. Choice items are ``"question → choice"``."""

    choices: Part
    findings: Part
    ends: Part
    outcomes: Part

    @property
    def gate_percent(self) -> float:
        """What ``--min-coverage`` compares: the lower of choice and finding coverage."""
        return min(self.choices.percent, self.findings.percent)

    def meets(self, minimum: float) -> bool:
        return self.gate_percent >= minimum


def choice_key(question: str, choice: str) -> str:
    return f"{question} → {choice}"


def coverage(tree: Tree, results: list[Result]) -> Coverage:
    """Measure what ``results`` (one run of the tree's scenarios) cover of ``tree``."""
    taken: set[str] = set()
    raised: set[str] = set()
    ends: set[str] = set()
    outcomes: set[str] = set()
    for r in results:
        v = r.verdict
        if v is None:
            continue
        taken |= {choice_key(s.question.id, c.id) for s in v.walk.steps for c in s.selected}
        raised |= {rf.finding.id for rf in v.findings}
        if v.walk.end is not None:
            ends.add(v.walk.end.id)
        if v.outcome is not None:
            outcomes.add(v.outcome.value)
    every_choice = _unique(choice_key(q.id, c.id) for q in tree.question_map.values() for c in q.choices)
    return Coverage(
        choices=_part(taken, every_choice),
        findings=_part(raised, _unique(f.id for f in tree.findings)),
        ends=_part(ends, _unique(e.id for e in tree.ends)),
        outcomes=_part(outcomes, tuple(o.value for o in Outcome)),
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _part(covered: set[str], total: tuple[str, ...]) -> Part:
    return Part(tuple(x for x in total if x in covered), total)
