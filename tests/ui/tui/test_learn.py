"""Pilot tests of learn mode (browse the policy) and its quiz (`learn --quiz`)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.helpers.repo import MINI_TREE
from tests.helpers.tui import screen_text
from wizard.policy.tree import load_tree_file
from wizard.ui.tui.learn_app import LearnApp

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop


class TestLearn:
    """Every question, why it matters, where each answer leads; nothing is recorded."""

    async def test_shows_where_choices_lead(self):
        """Learn mode lists every question and shows help, references, next steps and findings raised."""
        app = LearnApp(load_tree_file(MINI_TREE))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert "Where will this code run?" in text
            assert "→ next: Where does the auth code come from?" in text
            await pilot.press("down", "down")
            await pilot.pause()
            text = screen_text(app)
            assert "Where does the auth code come from?" in text
            assert "raises ✗ BLOCKER Invented auth flow" in text
            await pilot.press("q")
        assert app.return_code == 0

    async def test_shows_full_question_titles(self, shipped):
        """Every question title reads in full in the left pane (it was cut at ~30 characters)."""
        app = LearnApp(shipped)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            nav = app.screen.query_one("#learn-tree", OptionList)
            width = nav.region.right
            seen = set()
            for _ in range(len(shipped.tree.questions) + 12):
                pane = " ".join(" ".join(line[:width].strip(" ▊▕▎").split()) for line in screen_text(app).splitlines())
                seen |= {q.id for q in shipped.tree.questions if " ".join(q.text.split()) in pane}
                await pilot.press("down")
            assert seen == {q.id for q in shipped.tree.questions}


class TestQuiz:
    """A situation from the tree's scenarios: guess the verdict, see why; a score; nothing written."""

    async def test_asks_explains_and_scores(self, shipped, tmp_path, monkeypatch):
        """1-4 guess, the explanation shows findings, the answers and references; n moves on; nothing is written."""
        monkeypatch.chdir(tmp_path)
        app = LearnApp(shipped, quiz=True)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert "What is the verdict?" in text and "situation 1 of" in text and "score 0/0" in text
            assert "Where will this generated auth code run?" in text
            await pilot.press("1")
            await pilot.pause()
            text = screen_text(app)
            assert "✓ Right: GO" in text and "score 1/1" in text
            await pilot.press("n")
            await pilot.press("4")
            await pilot.pause()
            text = screen_text(app)
            assert "✗ Not quite: you said NO-GO;" in text and "score 1/2" in text
            await pilot.press("q")
        assert list(tmp_path.iterdir()) == [], "the quiz writes nothing"
