"""Pilot tests of the start screen: its fields, the early warnings, coming back to it, resuming a draft."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.helpers.tui import SIZE, answer, screen_text, start, submit_start
from wizard.cli.main import main as cli_main
from wizard.infra.errors import EXIT_INTERRUPTED
from wizard.review.drafts import draft_path
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.start import StartScreen
from wizard.ui.tui.screens.summary import SummaryScreen

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop


class TestStart:
    """Who reviews what: checked in place, warned about early, and returned to with b."""

    async def test_fields_are_checked_in_place(self, make_app):
        """An empty component or a missing path is reported on the start screen."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await submit_start(pilot, component="")
            assert isinstance(app.screen, StartScreen)
            assert "component: give the name" in screen_text(app)
            assert app.screen.focused.id == "component", "the cursor goes to the field to fix"
            await submit_start(pilot, component="x", paths="nope/")
            text = screen_text(app)
            assert "paths: 'nope' does not exist" in text and "component:" not in text
            assert app.screen.focused.id == "paths"

    async def test_a_reviewer_who_cannot_sign_is_refused_at_the_field(self, make_app):
        """"Alice Smith" is no principal: refused here, not at the verdict an hour later (wizard.review.start)."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await submit_start(pilot, reviewers="Alice Smith")
            assert isinstance(app.screen, StartScreen) and app.session is None
            assert "reviewers: 'Alice Smith' cannot sign" in screen_text(app)

    async def test_warns_about_what_would_fail_later(self, make_app, tmp_path):
        """Too few reviewers to sign the best outcome, or no git repo: said when the review starts, not at save."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot, reviewers="alice@example.com")
            messages = [n.message for n in app._notifications]
            assert any("1 reviewer(s) listed, but GO needs 2 distinct signers" in m for m in messages), messages
        app = make_app(root=tmp_path, in_git=False)
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot, reviewers="alice@example.com, bob@example.com", paths="")
            messages = [n.message for n in app._notifications]
            assert any("is not inside a git repo" in m for m in messages), messages

    async def test_back_from_the_first_question_returns_here(self, make_app):
        """b on the first question goes back to the start screen; starting again continues the session."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot)
            await answer(pilot, "production")
            await pilot.press("b", "b")
            assert isinstance(app.screen, StartScreen)
            await start(pilot, component="renamed")
            assert app.session.meta.component == "renamed"
            assert app.session.answers == {"stage": "production"}

    async def test_quit_then_restart_offers_resume_with_answers_and_notes(self, make_app, git_repo):
        """Ctrl+C mid-review keeps every answer and the typed note; the next start resumes them."""
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot, "billing-api", "alice@example.com, bob@example.com", "src")
            await answer(pilot, "production", note="public API")
            await answer(pilot, "managed")
            await pilot.press("n", "u", "n")  # typed keys land in the note field, not on bindings
            assert app.screen.query_one("#note", Input).value == "un"
            app.screen.query_one("#note", Input).value = "unsure"
            await pilot.press("ctrl+c")
        assert app.return_code == EXIT_INTERRUPTED
        assert "kept in .authready/drafts/mini--billing-api.toml" in app.exit_note
        assert draft_path(git_repo, "mini", "billing-api").is_file()

        again = make_app()
        async with again.run_test(size=SIZE) as pilot:
            await pilot.pause()
            text = screen_text(again)
            assert "Saved drafts of this policy" in text and "billing-api · 2 answered · changed" in text
            await pilot.press("ctrl+r")
            await pilot.pause()
            screen = again.screen
            assert isinstance(screen, QuestionScreen) and screen.question.id == "expiry"
            assert screen.query_one("#note", Input).value == "unsure"
            s = again.session
            assert s.meta.reviewers == ["alice@example.com", "bob@example.com"]
            assert s.answers == {"stage": "production", "origin": "managed"}
            assert s.notes["stage"] == "public API"
            await answer(pilot, "yes")
            assert isinstance(again.screen, SummaryScreen)

    async def test_the_first_frames_guess_at_the_repo_is_checked_with_git(self, tmp_path, monkeypatch, mini):
        """The first frame finds the repo without running git (a .git entry); git's answer, a moment later,
        wins: here an empty .git folder git does not accept, so the review is not in a repo after all."""
        from wizard.ui.tui.app import ReviewApp

        folder = tmp_path / "looks-like-a-repo"
        (folder / ".git").mkdir(parents=True)
        monkeypatch.chdir(folder)
        app = ReviewApp(tree=mini)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.in_git is False and app.root == folder.resolve()
            assert app.screen.query_one("#paths", Input).value == "", "no '.' default outside a repo"
            assert "looks-like-a-repo (not a git repo)" in screen_text(app)

    def test_no_terminal_exits_2_pointing_to_plain_and_answers(self, capsys, monkeypatch):
        """Without a TTY the wizard refuses with one line naming --plain and --answers."""
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        assert cli_main(["review"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "--plain" in err and "--answers" in err
