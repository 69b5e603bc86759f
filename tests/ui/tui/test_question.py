"""Pilot tests of the question screen: answering, going back, the live verdict, re-reviews, the layout, presenter mode."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input, OptionList

from tests.helpers.repo import MINI_TREE, run_git
from tests.helpers.tui import (
    SIZE,
    answer,
    flat,
    scenario,
    screen_text,
    shipped_session,
    start,
)
from wizard.infra.workspace import Meta
from wizard.policy.tree import load_tree_file
from wizard.review.session import Session
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.summary import SummaryScreen

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

CONDITIONAL = "standard business service with short-lived bearer tokens"  # a shipped GO WITH CONDITIONS scenario


class TestQuestion:
    """One question at a time: what each answer does, going back, re-reviews, text shown literally."""

    async def test_live_verdict_shows_what_each_answer_does(self, make_app):
        """The provisional panel turns NO-GO as soon as a blocker is raised."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            assert "open: no findings yet" in screen_text(app)
            await answer(pilot, "production", "invented")
            text = screen_text(app)
            assert "NO-GO" in text and "Invented auth flow" in text

    async def test_prototype_path_live_panel_is_capped_at_prototype_only(self, make_app, git_repo, shipped):
        """On the prototype path the live verdict says PROTOTYPE ONLY at best (it said GO WITH CONDITIONS)."""
        s = shipped_session(shipped, git_repo, scenario("prototype whose credentials must be revoked by hand"), 4)
        app = make_app(session=s)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            text = flat(screen_text(app))
            assert "at best PROTOTYPE ONLY" in text
            assert "GO WITH CONDITIONS" not in text
            assert "This path allows PROTOTYPE ONLY at best" in text

    async def test_back_and_change_reroutes_and_prunes(self, make_app):
        """Changing an earlier answer drops the abandoned branch and keeps answers still on the path."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            await answer(pilot, "production", "invented")
            s = app.session
            assert s.answers == {"stage": "production", "origin": "invented"}
            await pilot.press("b", "b")
            assert app.screen.question.id == "stage"
            # Same answer again: the rest of the path is kept and pre-selected.
            await answer(pilot, "production")
            assert app.screen.question.id == "origin"
            assert app.screen.query_one("#choices", OptionList).highlighted == 1
            assert s.answers == {"stage": "production", "origin": "invented"}
            await pilot.press("b")
            await answer(pilot, "prototype")
            assert app.screen.question.id == "proto-creds"
            assert s.answers == {"stage": "prototype"}, "the production branch is dropped"
            assert "at best PROTOTYPE ONLY" in screen_text(app)
            await answer(pilot, "no")
            assert isinstance(app.screen, SummaryScreen)
            assert "PROTOTYPE ONLY" in screen_text(app)
            # Back from the summary returns to the last question.
            await pilot.press("b")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "proto-creds"

    async def test_mouse_click_answers(self, make_app):
        """Clicking a choice answers it."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            options = app.screen.query_one("#choices", OptionList)
            await pilot.click(options, offset=(4, 2))  # second line inside the border: "Production"
            await pilot.pause()
            assert app.session.answers == {"stage": "production"}

    async def test_why_panel_toggles(self, make_app):
        """w hides and shows the help and references (shown: scrolled into view)."""
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await start(pilot)
            assert "OWASP NHI Top 10 2025" in screen_text(app)
            await pilot.press("w")
            assert "OWASP NHI Top 10 2025" not in screen_text(app)
            await pilot.press("w")
            await pilot.pause()
            assert "Why this matters" in screen_text(app) and "OWASP NHI Top 10 2025" in screen_text(app)

    async def test_rereview_marks_changed_questions(self, make_app, git_repo, tmp_path):
        """--from pre-fills answers; a question whose text changed is marked and must be answered again."""
        old = git_repo / ".authready" / "old.toml"
        app = make_app(out=old)
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot, "billing-api")
            await answer(pilot, "production", "managed", "yes")
            await pilot.press("s")
            await pilot.pause()
        assert old.is_file()

        changed = git_repo / "policy" / "mini-changed.toml"
        changed.write_text(MINI_TREE.read_text().replace(
            "Can the team explain how expiry is handled?", "Can the team explain expiry and rotation?"))
        run_git(git_repo, "add", "policy")
        run_git(git_repo, "commit", "-qm", "the policy changes")
        app = make_app(tree=str(changed), from_attestation=old, out=git_repo / "new.toml")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = screen_text(app)
            assert "Re-review of old.toml" in text and "1 question(s) changed" in text
            assert app.screen.query_one("#component", Input).value == "billing-api"
            await start(pilot)
            # The pre-filled answer is highlighted; Enter confirms it.
            assert app.screen.question.id == "stage"
            await pilot.press("f")  # skip to the first question still to answer
            assert app.screen.question.id == "expiry"
            text = screen_text(app)
            assert "Changed since the last review" in text and "Previously: Yes, short" in text
            await pilot.press("s")  # nothing to save yet: not a binding on the question screen
            assert app.saved is None
            await answer(pilot, "partly")
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("s")
            await pilot.pause()
            assert app.saved == git_repo / "new.toml"

    async def test_tree_text_is_shown_literally(self, make_app, git_repo):
        """Markup and escape sequences in a tree are data: shown as written, never styling the screen."""
        evil = git_repo / "policy" / "evil.toml"
        evil.write_text(
            MINI_TREE.read_text()
            .replace('text = "Where will this code run?"', 'text = "Where [bold red]x[/] \\u001b[31mruns? \\u202e"')
            .replace('label = "A prototype"', 'label = "[link=http://e.test]proto[/link]"')
        )
        app = make_app(tree=load_tree_file(evil))
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            text = screen_text(app)
            assert "Where [bold red]x[/] \\x1b[31mruns? \\u202e" in text, "controls and bidi overrides shown"
            assert "[link=http://e.test]proto[/link]" in text
            assert "\x1b" not in text and "\u202e" not in text

    async def test_place_bar_does_not_jump_from_31_to_5(self, make_app, git_repo, shipped):
        """On the prototype branch the count of what may follow shrinks; no "of up to 31" turning into "of up to 5"."""
        s = shipped_session(shipped, git_repo, scenario("valid prototype exception"), 2)
        app = make_app(session=s)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            text = screen_text(app)
            assert "of up to" not in text
            assert re.search(r"Question 3 · at most \d+ more on this path", text)


class TestLayout:
    """The question screen from 60x20 to a shared screen: no choice hidden, the footer kept."""

    @staticmethod
    def long_lived_keys(make_app, git_repo, shipped):
        """The shipped policy's bearer-token review at its seventh question (long rationale)."""
        return make_app(session=shipped_session(shipped, git_repo, scenario(CONDITIONAL), 6))

    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    async def test_resizes_cleanly(self, make_app, size):
        """The question screen keeps its question, choices and footer at small and large sizes."""
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await start(pilot)
            await pilot.resize_terminal(*size)
            await pilot.pause()
            text = screen_text(app)
            assert "Where will this code run?" in text and "2  Production" in text and "^c Quit" in text

    async def test_hiding_why_never_hides_a_choice_at_100x30(self, make_app, git_repo, shipped):
        app = self.long_lived_keys(make_app, git_repo, shipped)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            q = app.screen.question
            await pilot.press("w")
            await pilot.pause()
            text = flat(screen_text(app))
            for i, c in enumerate(q.choices, 1):
                assert f"{i}  {c.label[:30]}" in text, (c.label, text)
            choices = app.screen.query_one("#choices", OptionList)
            assert choices.virtual_size.height <= choices.content_region.height, "no scrollbar inside the box"

    async def test_80x24_verdict_under_the_choices_and_references_reachable_by_keyboard(self, make_app, git_repo,
                                                                                         shipped):
        app = self.long_lived_keys(make_app, git_repo, shipped)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            q = app.screen.question
            lines = screen_text(app).splitlines()
            last_choice = max(i for i, line in enumerate(lines) if f"{len(q.choices)}  " in line)
            panel = next(i for i, line in enumerate(lines) if "Provisional verdict" in line)
            assert panel > last_choice, "the live verdict sits under the choices"
            last_ref = q.refs[-1]
            for _ in range(6):
                if last_ref in screen_text(app):
                    break
                await pilot.press("pagedown")
            assert last_ref in screen_text(app)

    async def test_60x20_keeps_question_and_footer_visible(self, make_app, git_repo, shipped):
        app = self.long_lived_keys(make_app, git_repo, shipped)
        async with app.run_test(size=(60, 20)) as pilot:
            await pilot.pause()
            q = app.screen.question
            for _ in range(len(q.choices)):
                await pilot.press("down")
            await pilot.press("pagedown", "pagedown")
            text = screen_text(app)
            assert q.text[:40] in flat(text)
            footer = text.splitlines()[-1]
            assert "^c Quit" in footer and "1-9 Answer" in footer


class TestPresenter:
    """Presenter mode (p or --presenter): the question and the live verdict, large; the keys still work."""

    async def test_p_hides_the_chrome_and_the_keys_still_answer(self, make_app, git_repo, mini):
        s = Session(mini, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]))
        app = make_app(session=s)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "^c Quit" in screen_text(app)
            await pilot.press("p")
            await pilot.pause()
            text = screen_text(app)
            assert "Where will this code run?" in text and "Provisional verdict" in text
            assert "^c Quit" not in text and "Why this matters" not in text, "no footer, no why panel"
            await pilot.press("2")
            assert app.screen.question.id == "origin" and app.session.answers == {"stage": "production"}
            assert "Why this matters" not in screen_text(app), "presenter mode outlasts the question"
            await pilot.press("w")  # the why panel back: presenter mode ends
            await pilot.pause()
            text = screen_text(app)
            assert "Why this matters" in text and "^c Quit" in text

    async def test_presenter_flag_starts_in_presenter_mode_and_outlasts_the_start_screen(self, make_app):
        app = make_app(presenter=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await start(pilot)
            assert app.screen.has_class("-presenter")
            await pilot.press("b")  # back to the start screen, then start again: still presenting
            await start(pilot)
            assert app.screen.has_class("-presenter")
