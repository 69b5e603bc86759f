"""Pilot tests of the answer overview (o): every question on the path, jump by number or by text."""

from __future__ import annotations

import pytest

from tests.helpers.tui import SIZE, answer, flat, screen_text, start
from wizard.infra.workspace import Meta
from wizard.review.session import Session
from wizard.ui.tui.screens.overview import OverviewScreen
from wizard.ui.tui.screens.question import QuestionScreen

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop


class TestOverview:
    """Used in live reviews and re-reviews, and to reach a refused note (there was no way to jump)."""

    async def test_lists_the_path_and_jumps_by_number_and_by_text(self, make_app):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            await answer(pilot, "production", note="public API")
            await answer(pilot, "invented")
            await pilot.press("o")
            assert isinstance(app.screen, OverviewScreen)
            text = flat(screen_text(app))
            assert "Where will this code run?" in text and "Production" in text and "✎ note" in text
            assert "An invented flow" in text and "✗ Invented auth flow" in text
            assert "not answered yet" in text
            await pilot.press("1", "enter")
            assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "stage"
            await pilot.press("o", "a", "u", "t", "h", " ", "c", "o", "d", "e", "enter")
            assert app.screen.question.id == "origin"
            assert app.session.answers == {"stage": "production", "origin": "invented"}, "jumping answers nothing"
            await pilot.press("o", "escape")
            assert app.screen.question.id == "origin"

    async def test_marks_what_changed_since_from(self, make_app, git_repo, mini):
        s = Session(mini, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                    answers={"stage": "production", "origin": "managed", "expiry": "yes"}, redo=["expiry"])
        app = make_app(session=s)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.screen.prefilled = {"stage": "production", "origin": "invented", "expiry": "yes"}
            await pilot.press("o")
            text = flat(screen_text(app))
            assert "⟳ answer changed since --from" in text and "⟳ question changed since --from" in text
