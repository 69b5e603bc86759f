"""``authready learn --quiz`` as numbered lines: the same quiz (``wizard.policy.quiz``) for screen readers and pipes.

Each situation is printed once (the answers on its path), the learner types
1-4 for a verdict, and the explanation follows: the reasons, each finding with
the answers that raised it, the references. ``q`` ends the round early; the
score is printed at the end. Nothing is written anywhere. No escape sequences,
text wrapped at word boundaries and tree text escaped, as in the review's line mode.
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from wizard.policy.quiz import CHOICES, Quiz
from wizard.ui.plain.text import wrap_block


def run_line_quiz(tree_ref: str | None, stdin: TextIO | None = None, stdout: TextIO | None = None,
                  seed: int | None = None) -> int:
    from wizard.policy.tree import resolve_tree

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))

    def say(text: str = "", indent: str = "") -> None:
        stdout.write("\n".join(wrap_block(text, width, indent)) + "\n")  # tree text escaped, as in the review
        stdout.flush()

    quiz = Quiz(resolve_tree(tree_ref), seed=seed)
    say(f"authready quiz: {quiz.total} situations from the policy's own scenarios. For each, type the "
        "number of the verdict you expect and Enter; q ends the round. Nothing is written.")
    numbered = "  ".join(f"{i} {o.label}" for i, o in enumerate(CHOICES, 1))
    while not quiz.done:
        s = quiz.current
        assert s is not None
        say("")
        say(f"Situation {quiz.index + 1} of {quiz.total}: {s.name}")
        for _area, question, answer in s.steps:
            say(f"- {question} {answer}", indent="  ")
        for line in s.not_asked:
            say(f"- {line}", indent="  ")
        while True:
            stdout.write(f"Verdict? {numbered}: ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                say("")
                say(f"Input ended. Score: {quiz.score} of {quiz.answered}.")
                return 0
            raw = line.strip().lower()
            if raw == "q":
                say(f"Score: {quiz.score} of {quiz.answered}.")
                return 0
            if raw.isdigit() and 1 <= int(raw) <= len(CHOICES):
                break
            say(f"Type a number from 1 to {len(CHOICES)}, or q to stop.")
        fb = quiz.guess(CHOICES[int(raw) - 1])
        say(("Right: " if fb.correct else f"Not quite: you said {fb.guess.label}; ") + f"the verdict is {fb.right.label}.")
        for reason in fb.reasons:
            say(f"  {reason}", indent="  ")
        for severity, title, raised_by in fb.findings:
            say(f"  {severity.capitalize()}: {title} (from: {'; '.join(raised_by)})", indent="  ")
        if fb.references:
            say("  References: " + "; ".join(f"{r} {t}".strip() for r, t in fb.references), indent="  ")
        quiz.next()
    say("")
    say(f"Score: {quiz.score} of {quiz.total}.")
    return 0
