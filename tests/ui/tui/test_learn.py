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
            assert "Where will this generated auth code run" in text
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


def shown(app, selector: str) -> str:
    """The text of one pane (its Static's content), whitespace folded: panes side by side do not mix."""
    from textual.widgets import Static

    return " ".join(app.screen.query_one(selector, Static).content.plain.split())


class TestSelectAllInLearnMode:
    """Select-all questions, exclusive answers, caps and moot questions, in the browser and the quiz."""

    async def test_select_all_question_caps_and_moots(self):
        """The select-all question says so and how it routes; answers say they stand alone, cap, or make moot."""
        from tests.helpers.tui import MULTI_TREE

        app = LearnApp(load_tree_file(MULTI_TREE))
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause()
            await pilot.press("down")  # the data question
            await pilot.pause()
            text = shown(app, "#detail")
            assert "Select all that apply: every selected answer raises its findings." in text
            assert ("The walk follows the first selected answer (in this order) with a route of its own; "
                    "else next: Who calls this service?") in text
            assert "None of these (stands alone: selecting it clears the others)" in text
            assert "caps the verdict: at best GO WITH CONDITIONS" in text
            await pilot.press("down", "down")  # who calls
            await pilot.pause()
            assert "makes moot (not asked): Do user sessions expire?" in shown(app, "#detail")
            await pilot.press("down")  # sessions
            await pilot.pause()
            text = shown(app, "#detail")
            assert "Not asked when" in text and "• Who calls this service? → Only other services" in text

    async def test_quiz_screen_shows_labels_and_not_asked(self, tmp_path):
        """The quiz screen: every selected label, the question passed as moot."""
        from tests.helpers.tui import MULTI_TREE
        from tests.ui.tui.test_quiz import MULTI_SCENARIOS

        tree = tmp_path / "multi.toml"
        tree.write_text(MULTI_TREE.read_text())
        tree.with_name("multi.scenarios.toml").write_text(MULTI_SCENARIOS)
        app = LearnApp(load_tree_file(tree), quiz=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            text = shown(app, "#quiz-situation")
            assert "→ Customer personal data; Payment card data" in text
            assert "• Not asked: Do user sessions expire? (moot after Who calls this service?" in text
