"""The learn-mode quiz behind both front-ends: its rounds (wizard.policy.quiz, no Textual) and line mode.

The quiz screen itself is driven through Pilot in test_learn.py (TestQuiz).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from tests.helpers.tui import SCENARIOS
from wizard.infra.errors import AuthreadyError
from wizard.policy.tree import Outcome, load_tree_file


class TestQuizRounds:
    """Situations from the scenarios file, one guess each, explained, scored; headless."""

    def test_quiz_module_is_headless(self):
        code = "import sys, wizard.policy.quiz; print(sorted(m for m in ('textual', 'questionary') if m in sys.modules))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == "[]"

    def test_situations_are_the_scenarios_that_reach_an_end(self, shipped):
        from wizard.policy.quiz import situations

        raw = tomllib.loads(SCENARIOS.read_text())["scenarios"]
        got = situations(shipped)
        assert [s.name for s in got] == [r["name"] for r in raw if "unanswered" not in r]
        for s, r in zip(got, [r for r in raw if "unanswered" not in r]):
            assert s.outcome.value == r["outcome"]

    def test_a_guess_is_scored_and_explained_with_findings_answers_and_references(self, shipped):
        from wizard.policy.quiz import Quiz

        quiz = Quiz(shipped)
        first = quiz.current
        assert first.name.startswith("production on a managed IdP")
        fb = quiz.guess(Outcome.NO_GO)
        assert not fb.correct and fb.right is Outcome.GO and quiz.score == 0 and quiz.answered == 1
        assert quiz.guess(Outcome.GO) is fb, "one guess per situation"
        quiz.next()
        # Find the invented-flow situation: its findings name the answers that raised them.
        while not quiz.current.name.startswith("invented auth flow"):
            quiz.guess(quiz.current.outcome)
            quiz.next()
        fb = quiz.guess(Outcome.NO_GO)
        assert fb.correct
        titles = {title for _, title, _ in fb.findings}
        assert "Invented auth flow" in titles
        raised = [by for _, title, by in fb.findings if title == "Invented auth flow"][0]
        askers = {q.text for q in shipped.tree.questions for c in q.choices
                  if any(shipped.tree.finding_map[f].title == "Invented auth flow" for f in c.raises)}
        assert askers and any(b.startswith(tuple(askers)) for b in raised)
        assert fb.references and all(ref for ref, _ in fb.references)
        assert any("blocker" in r for r in fb.reasons)

    def test_prototype_situation_explains_the_cap(self, shipped):
        from wizard.policy.quiz import Quiz

        quiz = Quiz(shipped)
        while not quiz.current.name.startswith("valid prototype exception"):
            quiz.guess(Outcome.GO)
            quiz.next()
        fb = quiz.guess(Outcome.CONDITIONAL)
        assert fb.right is Outcome.PROTOTYPE and not fb.correct
        assert any("This path allows PROTOTYPE ONLY at best" in r for r in fb.reasons)

    def test_a_round_ends_with_the_score(self, shipped):
        from wizard.policy.quiz import Quiz

        quiz = Quiz(shipped, seed=7)
        n = quiz.total
        while not quiz.done:
            with pytest.raises(AuthreadyError):
                quiz.next()  # a situation is answered before moving on
            quiz.guess(quiz.current.outcome)
            quiz.next()
        assert quiz.score == quiz.answered == n
        assert sorted(s.name for s in quiz.items) == sorted(s.name for s in Quiz(shipped).items)

    def test_no_scenarios_file_is_an_error(self, tmp_path):
        from tests.helpers.repo import MINI_TREE
        from wizard.policy.quiz import situations

        copy = tmp_path / "mini.toml"
        copy.write_text(MINI_TREE.read_text())
        with pytest.raises(AuthreadyError, match="no scenarios"):
            situations(load_tree_file(copy))


class TestQuizLineMode:
    """`learn --quiz` through a pipe: numbered lines, no escape bytes."""

    def test_through_a_pipe_scores_and_explains(self, git_repo):
        """learn --quiz through a pipe: numbered lines, no escape bytes, a wrong guess explained, the score, nothing written."""
        from tests.helpers.repo import MINI_TREE

        before = sorted(p.name for p in git_repo.iterdir())
        proc = subprocess.run([sys.executable, "-m", "wizard", "learn", "--quiz", "--tree", str(MINI_TREE)],
                              input="x\n1\n4\nq\n", capture_output=True, text=True, cwd=git_repo, timeout=60)
        assert proc.returncode == 0, proc.stderr
        out = proc.stdout
        assert "\x1b" not in out
        assert "Situation 1 of 6: managed, explained" in out and "Type a number from 1 to 4, or q to stop." in out
        assert "Right: the verdict is GO." in out
        assert "Not quite: you said NO-GO; the verdict is GO WITH CONDITIONS." in out
        assert "Warning: No rotation schedule" in out and out.rstrip().endswith("Score: 1 of 2.")
        assert sorted(p.name for p in git_repo.iterdir()) == before


MULTI_SCENARIOS = """
tree = "multi"

[[scenarios]]
name = "customer and payment data, machine callers"
outcome = "conditional"
findings = ["customer-data", "payment-data"]
[scenarios.answers]
stage = "production"
data = ["customer", "payments"]
pci = "provider"
clients = "machines"

[[scenarios]]
name = "special-category data, users with sessions"
outcome = "conditional"
[scenarios.answers]
stage = "production"
data = ["special"]
clients = "users"
sessions = "yes"
"""


@pytest.fixture
def multi_copy(tmp_path):
    """tests/fixtures/multi.toml with a scenarios file beside it (what `learn --quiz` needs)."""
    from tests.helpers.tui import MULTI_TREE

    tree = tmp_path / "multi.toml"
    tree.write_text(MULTI_TREE.read_text())
    tree.with_name("multi.scenarios.toml").write_text(MULTI_SCENARIOS)
    return tree


class TestSelectAllSituations:
    """Select-all answers, caps and moot questions in the quiz (both front-ends read wizard.policy.quiz)."""

    def test_the_team_answered_every_label_and_the_moot_question_is_not_asked(self, multi_copy):
        from wizard.policy.quiz import Quiz

        quiz = Quiz(load_tree_file(multi_copy))
        s = quiz.current
        assert ("Data", "Which kinds of data does it touch? Select all that apply.",
                "Customer personal data; Payment card data") in s.steps, "marked only when its words do not say it"
        from wizard.policy.quiz import marked

        assert marked("Which data does it touch?") == "Which data does it touch? (select all that apply)"
        assert s.not_asked == ["Not asked: Do user sessions expire? (moot after Who calls this service? → "
                               "Only other services (machine to machine))"]
        fb = quiz.guess(Outcome.CONDITIONAL)
        assert fb.correct
        raised = {title: by for _, title, by in fb.findings}
        assert raised["Customer data needs a retention rule"] == (
            "Which kinds of data does it touch? Select all that apply. → Customer personal data",)
        assert raised["Payment data needs a PCI scope review"] == (
            "Which kinds of data does it touch? Select all that apply. → Payment card data",)

    def test_an_answer_that_caps_the_verdict_is_a_reason(self, multi_copy):
        from wizard.policy.quiz import Quiz

        quiz = Quiz(load_tree_file(multi_copy))
        quiz.guess(Outcome.CONDITIONAL)
        quiz.next()
        fb = quiz.guess(Outcome.GO)
        assert not fb.correct and fb.right is Outcome.CONDITIONAL and not fb.findings
        assert ("At best GO WITH CONDITIONS: Which kinds of data does it touch? Select all that apply. → "
                "Special-category data (health, beliefs).") in fb.reasons
        assert not any(r.startswith("This path allows") for r in fb.reasons), "the cap is named once"

    def test_line_mode_shows_labels_and_not_asked(self, multi_copy, git_repo):
        """learn --quiz --plain: the select-all answer's labels and the moot question, no escape bytes."""
        proc = subprocess.run([sys.executable, "-m", "wizard", "learn", "--quiz", "--plain", "--tree", str(multi_copy)],
                              input="2\n1\n", capture_output=True, text=True, cwd=git_repo, timeout=60)
        assert proc.returncode == 0, proc.stderr
        out = " ".join(proc.stdout.split())
        assert "\x1b" not in out
        assert ("- Which kinds of data does it touch? Select all that apply. Customer personal data; Payment "
                "card data") in out
        assert "- Not asked: Do user sessions expire? (moot after Who calls this service? → Only other" in out
        assert "At best GO WITH CONDITIONS: Which kinds of data does it touch?" in out
