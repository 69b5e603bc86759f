"""Pilot tests of the summary's conditions (issue 17): each warning's owner and due date, typed in the wizard.

The mini tree's ``expiry = "partly"`` raises the warning ``no-rotation``; reviewed 2026-11-29, a GO WITH
CONDITIONS is valid 90 days, so the defaults are the first reviewer and 2027-02-27. Keys are pressed
as a person would, in a real git repo; the saved bytes are compared with `authready review --answers`.
"""

from __future__ import annotations

import tomllib

import pytest
from textual.widgets import Static

from tests.helpers.repo import in_repo
from tests.helpers.tui import SIZE, answer, expected_bytes, flat, screen_text, start
from wizard.review.drafts import draft_path
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.summary import SummaryScreen
from wizard.ui.tui.widgets.conditions import ConditionField

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

ANSWERS = {"stage": "production", "origin": "managed", "expiry": "partly"}
OWNER, DUE = "#condition-owner-0", "#condition-due-0"


async def to_summary(pilot) -> SummaryScreen:
    """Start a review of billing-api by alice and bob, answer to the warning, and land on the summary."""
    await start(pilot, "billing-api", "alice@example.com, bob@example.com", "src")
    await answer(pilot, "production", "managed", "partly")
    screen = pilot.app.screen
    assert isinstance(screen, SummaryScreen)
    return screen


async def type_into(pilot, selector: str, text: str, then: str = "enter") -> None:
    """Focus a conditions field (Tab from the summary, as a person would), replace its text and press ``then``."""
    screen = pilot.app.screen
    while screen.focused is None or f"#{screen.focused.id}" != selector:
        await pilot.press("tab")
    await pilot.press("ctrl+a", "ctrl+k", *list(text), then)  # to the start, delete to the end, type
    await pilot.pause()


def problem(screen: SummaryScreen, selector: str) -> str:
    line = screen.query_one(f"{selector}-problem", Static)
    return "" if line.has_class("-hidden") else str(line.render())


class TestConditions:
    async def test_typed_owner_and_due_save_the_bytes_of_an_answers_file(self, make_app, git_repo, tmp_path, capsys):
        """The team types who fixes the warning and by when; the attestation equals `review --answers` with the
        same [conditions.no-rotation], byte for byte."""
        out = git_repo / "att.toml"
        app = make_app(out=out)
        async with app.run_test(size=SIZE) as pilot:
            screen = await to_summary(pilot)
            assert isinstance(screen.focused, ConditionField) is False, "the summary's keys work on arrival"
            await type_into(pilot, OWNER, "bob@example.com")
            assert screen.focused.id == DUE[1:], "Enter keeps the owner and moves to the due date"
            await type_into(pilot, DUE, "2027-01-31")
            assert screen.focused.id == "summary-body", "Enter in the last field returns to the summary"
            await pilot.press("s")
            await pilot.pause()
            assert app.saved == out
        capsys.readouterr()
        want = expected_bytes(tmp_path, in_repo(git_repo), ANSWERS, reviewers=["alice@example.com", "bob@example.com"],
                              conditions={"no-rotation": {"owner": "bob@example.com", "due": "2027-01-31"}})
        assert out.read_bytes() == want
        assert 'owner = "bob@example.com", due = "2027-01-31"' in want.decode()

    async def test_untouched_fields_keep_the_defaults(self, make_app, git_repo, tmp_path, capsys):
        """Empty fields show the defaults dimmed and record them: the first reviewer, due the day it expires."""
        out = git_repo / "att.toml"
        app = make_app(out=out)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await to_summary(pilot)
            owner, due = screen.query_one(OWNER, ConditionField), screen.query_one(DUE, ConditionField)
            assert (owner.value, owner.placeholder) == ("", "alice@example.com (default)")
            assert (due.value, due.placeholder) == ("", "2027-02-27 (default)")
            await pilot.press("s")
            await pilot.pause()
            assert app.saved == out
        capsys.readouterr()
        want = expected_bytes(tmp_path, in_repo(git_repo), ANSWERS, reviewers=["alice@example.com", "bob@example.com"])
        assert out.read_bytes() == want
        assert 'owner = "alice@example.com", due = "2027-02-27"' in want.decode()

    async def test_refusals_are_the_sessions_and_block_saving(self, make_app, git_repo):
        """An owner that is not a principal and a date after the expiry are refused in the session's words under the
        field, which keeps focus (Enter and Tab alike); s waits with one line naming the field; Esc puts it back."""
        out = git_repo / "att.toml"
        app = make_app(out=out)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await to_summary(pilot)
            await type_into(pilot, OWNER, "bob smith")
            assert problem(screen, OWNER) == (
                "warning 'no-rotation': 'bob smith' is not a principal; name the owner as allowed_signers would "
                "(e.g. alice@example.com), without spaces, commas, quotes or wildcards")
            assert screen.focused.id == OWNER[1:]
            await pilot.press("ctrl+a", "ctrl+k", *"bob@example.com", "tab")
            await pilot.pause()
            assert problem(screen, OWNER) == "" and screen.focused.id == DUE[1:]
            await pilot.press(*"2027-03-01", "tab")  # leaving checks too; the refused field takes focus back
            await pilot.pause()
            assert problem(screen, DUE) == (
                "warning 'no-rotation': 2027-03-01 is after the attestation expires (2027-02-27); "
                "a warning must be fixed within the attestation's life")
            assert screen.focused.id == DUE[1:]
            assert "2027-03-01" in flat(screen_text(app)), "the refusal is on screen"
            await pilot.press("ctrl+s")  # s would type an s here
            await pilot.pause()
            assert app.saved is None
            assert ("Not saved: the due date of 'No rotation schedule' is refused (see under it): fix it, or Esc puts "
                    "back the kept one.") in flat(screen_text(app))
            assert app.session.conditions["no-rotation"].due is None, "nothing refused is kept"
            await pilot.press("escape")
            assert problem(screen, DUE) == "" and screen.query_one(DUE, ConditionField).value == ""
            assert screen.focused.id == "summary-body"
            await pilot.press("s")
            await pilot.pause()
            assert app.saved == out
        text = out.read_text()
        assert 'owner = "bob@example.com", due = "2027-02-27"' in text

    async def test_letters_type_into_a_field_and_the_footer_says_ctrl_s(self, make_app):
        """In a field s, b and q are letters of an address; the footer shows Enter, Esc and ^s instead of s and b."""
        app = make_app()
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await to_summary(pilot)
            footer = screen_text(app).splitlines()[-1]
            assert "s Save attestation" in footer and "b Back" in footer and "tab Next field" in footer
            await type_into(pilot, OWNER, "bqs@example.com", then="tab")
            assert isinstance(app.screen, SummaryScreen) and app.saved is None and app.is_running
            assert app.session.conditions["no-rotation"].owner == "bqs@example.com"
            footer = screen_text(app).splitlines()[-1]
            assert "⏎ Keep" in footer and "esc Put back" in footer and "^s Save attestation" in footer
            assert "b Back" not in footer

    async def test_a_resumed_draft_shows_what_was_typed(self, make_app, git_repo):
        """Typed values go to the session and its draft; quitting and resuming shows them in the fields."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await to_summary(pilot)
            await type_into(pilot, OWNER, "bob@example.com", then="tab")
            await pilot.press(*"2027-01-15")  # typed, not yet kept: quitting keeps it too
            await pilot.press("ctrl+c")
            await pilot.pause()
        draft = tomllib.loads(draft_path(git_repo, "mini", "billing-api").read_text())
        assert draft["conditions"] == {"no-rotation": {"owner": "bob@example.com", "due": "2027-01-15"}}
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+r")
            await pilot.pause()
            if isinstance(app.screen, QuestionScreen):  # a finished review resumes at its last question
                await answer(pilot, "partly")
            screen = app.screen
            assert isinstance(screen, SummaryScreen)
            assert screen.query_one(OWNER, ConditionField).value == "bob@example.com"
            assert screen.query_one(DUE, ConditionField).value == "2027-01-15"
