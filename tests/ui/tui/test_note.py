"""Pilot tests of the note field: Enter keeps, Esc cancels, neither answers; a credential is never kept."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.helpers.tui import SIZE, answer, screen_text, start
from wizard.review.drafts import draft_path

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop


class TestNote:
    """The note on a question, as issue 13 found it (Enter answered the highlighted choice; Esc did nothing)."""

    async def test_enter_keeps_it_and_returns_to_the_choices_without_answering(self, make_app, git_repo):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            screen = app.screen
            await pilot.press("n")
            text = screen_text(app)
            footer = text.splitlines()[-1]
            assert "Save note" in footer and "esc" in footer and "Cancel note" in footer, footer
            assert "1-9 Answer" not in footer, "number keys type into the note; the footer says so"
            await pilot.press("p", "u", "b", "l", "i", "c")
            await pilot.press("enter")
            assert screen.question.id == "stage" and app.session.answers == {}, "Enter does not answer"
            assert app.session.notes == {"stage": "public"}
            assert screen.focused.id == "choices"
            assert "1-9 Answer" in screen_text(app).splitlines()[-1]
            assert b"public" in draft_path(git_repo, "mini", "repo").read_bytes(), "the kept note is in the draft"
            await pilot.press("2")
            assert app.session.answers == {"stage": "production"} and app.session.notes == {"stage": "public"}

    async def test_escape_returns_without_change(self, make_app):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            await answer(pilot, "production", note="kept")
            await pilot.press("b")
            screen = app.screen
            assert screen.query_one("#note", Input).value == "kept"
            await pilot.press("n", "x", "y")
            assert screen.query_one("#note", Input).value == "keptxy"
            await pilot.press("escape")
            assert screen.query_one("#note", Input).value == "kept"
            assert screen.focused.id == "choices" and screen.question.id == "stage"
            assert app.session.notes["stage"] == "kept"

    @pytest.mark.parametrize("leave", ["enter", "tab"])
    async def test_a_credential_is_refused_when_the_field_is_left(self, make_app, git_repo, leave):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            screen = app.screen
            await pilot.press("n")
            screen.query_one("#note", Input).value = "key AKIAZ7Q3VN4XKJ2PLM5R"
            await pilot.press(leave)
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any('note on "Where will this code run?"' in m and "AKIA…" in m for m in messages), messages
            assert not any("AKIAZ7Q3VN4XKJ2PLM5R" in m for m in messages)
            assert "stage" not in app.session.notes
            if leave == "enter":
                assert screen.focused.id == "note", "stays in the field to fix it"
            await pilot.press("ctrl+c")
        assert b"AKIAZ7Q3VN4XKJ2PLM5R" not in draft_path(git_repo, "mini", "repo").read_bytes()

    async def test_a_credential_is_refused_before_anything_is_written(self, make_app, git_repo):
        """A credential-looking note is refused when the answer is given: the question stays, the
        message names the question by its text and masks the value, and the draft never holds it."""
        app = make_app(out=git_repo / ".authready" / "a.toml")
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            await answer(pilot, "production", "managed")
            question = app.screen.question
            app.screen.query_one("#note", Input).value = "key AKIAZ7Q3VN4XKJ2PLM5R"
            app.screen.answer("yes")
            await pilot.pause()
            assert app.screen.question is question and "expiry" not in app.session.answers
            messages = [n.message for n in app._notifications]
            assert any(question.text[:20] in m and "AKIA…" in m for m in messages), messages
            assert not any("AKIAZ7Q3VN4XKJ2PLM5R" in m for m in messages)
            assert b"AKIAZ7Q3VN4XKJ2PLM5R" not in draft_path(git_repo, "mini", "repo").read_bytes()
