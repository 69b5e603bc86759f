"""Pilot tests of drafts per review (issue 12): listed on the start screen, resumed, never replaced unasked.

Each test presses keys in order, as a person would, over drafts written by real
sessions in a real git repo.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from textual.widgets import Input, OptionList

from tests.helpers.tui import SIZE, answer, screen_text, start
from wizard.infra.workspace import Meta
from wizard.review.drafts import draft_path, list_drafts
from wizard.review.session import Session
from wizard.ui.tui.screens.draft_choice import DraftChoiceScreen
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.start import StartScreen

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

WHEN = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def saved_draft(mini, repo, component: str, answers: list[str], minutes: int = 0) -> None:
    """A review of ``component`` answered as given, left as a draft last changed ``minutes`` after WHEN."""
    s = Session(mini, repo, True, Meta(component, ["alice@example.com"], ["src"]))
    for choice in answers:
        s.answer(choice)
    stamp = WHEN.timestamp() + 60 * minutes
    os.utime(draft_path(repo, "mini", component), (stamp, stamp))


async def start_component(pilot, component: str) -> None:
    """Type ``component`` into the (cleared) component field, key by key, and press ctrl+s."""
    await pilot.pause()
    pilot.app.screen.query_one("#component", Input).focus()
    await pilot.press("home", "ctrl+k", *list(component), "ctrl+s")  # to the start, delete to the end, type
    await pilot.pause()


@pytest.fixture
def two_drafts(mini, git_repo) -> None:
    """billing-api (1 answered, 10:00 UTC) and payments (2 answered, 10:05 UTC)."""
    saved_draft(mini, git_repo, "billing-api", ["production"], minutes=0)
    saved_draft(mini, git_repo, "payments", ["production", "managed"], minutes=5)


class TestDrafts:
    """Drafts are per review (tree and component): a second review never replaces the first's silently."""

    @pytest.mark.usefixtures("two_drafts")
    async def test_the_start_screen_lists_every_draft_newest_first(self, make_app):
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert "payments · 2 answered · changed 2026-11-29 10:05 UTC" in text
            assert "billing-api · 1 answered · changed 2026-11-29 10:00 UTC" in text
            assert text.index("payments ·") < text.index("billing-api ·"), "newest first"
            assert "^r Resume draft" in text

    @pytest.mark.usefixtures("two_drafts")
    async def test_ctrl_r_resumes_the_highlighted_draft(self, make_app):
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.screen.query_one("#drafts", OptionList).focus()
            await pilot.press("down", "ctrl+r")  # the second line: billing-api
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen)
            assert app.session.meta.component == "billing-api" and app.session.answers == {"stage": "production"}
            assert app.screen.question.id == "origin"

    async def test_enter_in_the_list_resumes_that_draft(self, make_app, git_repo, mini):
        saved_draft(mini, git_repo, "payments", ["production", "managed"])
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.screen.query_one("#drafts", OptionList).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "expiry"
            assert app.session.meta.component == "payments"

    async def test_a_new_review_of_another_component_keeps_the_first_draft(self, make_app, git_repo, mini):
        saved_draft(mini, git_repo, "billing-api", ["production", "managed"])
        before = draft_path(git_repo, "mini", "billing-api").read_bytes()
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await start_component(pilot, "payments")
            assert isinstance(app.screen, QuestionScreen), "no question asked: that component has no draft"
            await answer(pilot, "prototype")
        assert draft_path(git_repo, "mini", "billing-api").read_bytes() == before
        assert {d.component: d.answered for d in list_drafts(git_repo, "mini")} == {"billing-api": 2, "payments": 1}

    async def test_starting_a_component_with_a_draft_asks_and_esc_cancels(self, make_app, git_repo, mini):
        saved_draft(mini, git_repo, "billing-api", ["production", "managed"])
        before = draft_path(git_repo, "mini", "billing-api").read_bytes()
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await start_component(pilot, "billing-api")
            assert isinstance(app.screen, DraftChoiceScreen)
            text = screen_text(app)
            assert "A saved draft of a review of billing-api exists: 2 answered" in text
            assert "1  Resume the draft" in text and "2  Start over: replace the draft" in text
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, StartScreen) and app.session is None
        assert draft_path(git_repo, "mini", "billing-api").read_bytes() == before, "cancel leaves the draft as it was"

    @pytest.mark.parametrize("key, question, answers, left", [
        ("enter", "expiry", {"stage": "production", "origin": "managed"}, 2),  # highlighted: the safe choice
        ("1", "expiry", {"stage": "production", "origin": "managed"}, 2),
        ("2", "stage", {}, 0),  # replace: only when chosen
    ], ids=["enter-resumes", "1-resumes", "2-replaces"])
    async def test_the_choice_resumes_or_replaces(self, make_app, git_repo, mini, key, question, answers, left):
        saved_draft(mini, git_repo, "billing-api", ["production", "managed"])
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await start_component(pilot, "billing-api")
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == question
            assert app.session.answers == answers
        assert [(d.component, d.answered) for d in list_drafts(git_repo, "mini")] == [("billing-api", left)]

    async def test_coming_back_to_the_start_with_the_same_component_does_not_ask(self, make_app):
        """The review's own draft is no reason to ask: b to the start screen, ctrl+s carries on."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot, component="billing-api")
            await answer(pilot, "production")
            await pilot.press("b", "b")
            assert isinstance(app.screen, StartScreen)
            assert "billing-api · 1 answered" in screen_text(app), "the list shows the review just left"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.session.answers == {"stage": "production"}

    async def test_an_unreadable_draft_is_named_and_skipped(self, make_app, git_repo, mini):
        saved_draft(mini, git_repo, "billing-api", ["production"])
        broken = draft_path(git_repo, "mini", "payments")
        broken.write_text("this is [not toml\n")
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            text = " ".join(screen_text(app).split())
            assert "Skipped (could not be read): .authready/drafts/mini--payments.toml: malformed TOML" in text
            assert "billing-api · 1 answered" in text
            await start(pilot, component="payments")  # no question: the broken file is not a draft to keep
            assert app.session.meta.component == "payments"
