"""Snapshot tests, grouped by feature: each screen at a fixed size, dark theme, no cursor blink.

Synchronous, as ``snap_compare`` runs the app itself. The SVGs live in
``__snapshots__/test_snapshots/<Class>.<test>.svg``. Update after a deliberate
change with ``pytest tests/ui/tui/test_snapshots.py --snapshot-update`` and look at them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.helpers.tui import MINI_TREE, SHIPPED_TREE, SIZE, scenario, shipped_session
from wizard.infra.workspace import Meta
from wizard.policy.tree import load_tree_file
from wizard.review.session import Session
from wizard.ui.tui.learn_app import LearnApp

pytestmark = pytest.mark.slow  # SVG snapshots: run by scripts/test and CI, not the quick loop

needs_shipped = pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")


async def begin(pilot):
    """Fill the start screen with fixed values and start."""
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#component", Input).value = "billing-api"
    screen.query_one("#reviewers", Input).value = "alice@example.com, bob@example.com"
    screen.query_one("#paths", Input).value = "src"
    await pilot.press("ctrl+s")
    await pilot.pause()


def _press(*keys: str):
    """A ``run_before`` that starts the review, then presses ``keys``."""

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press(*keys)

    return run_before


def _shipped(git_repo, name: str, count: int | None = None) -> Session:
    return shipped_session(load_tree_file(SHIPPED_TREE), git_repo, scenario(name), count)


CONDITIONAL = "standard business service with short-lived bearer tokens"  # a shipped GO WITH CONDITIONS scenario


class TestStart:
    def test_defaults(self, snap_compare, make_app):
        """The start screen with the defaults from the repo and git identity."""
        assert snap_compare(make_app(), terminal_size=SIZE)

    def test_lists_the_drafts(self, snap_compare, make_app, mini, git_repo):
        """The saved drafts of this policy, newest first, to resume (fixed times: the files' mtimes are set)."""
        import os

        for minutes, (component, answers) in enumerate([("billing-api", ["production"]),
                                                         ("payments", ["production", "managed"])]):
            s = Session(mini, git_repo, True, Meta(component, ["alice@example.com"], ["src"]))
            for choice in answers:
                s.answer(choice)
            stamp = 1795946400 + 300 * minutes  # 2026-11-29 10:00 UTC, then 10:05
            os.utime(s.draft_path, (stamp, stamp))
        assert snap_compare(make_app(), terminal_size=SIZE)

    def test_a_draft_would_be_replaced(self, snap_compare, make_app, mini, git_repo):
        """Starting a review of a component that has a draft asks: resume, replace or cancel."""
        import os

        s = Session(mini, git_repo, True, Meta("repo", ["alice@example.com"], ["src"]))
        s.answer("production")
        os.utime(s.draft_path, (1795946400, 1795946400))

        async def run_before(pilot):
            await pilot.pause()
            await pilot.press("ctrl+s")

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)

    def test_field_problem_in_place(self, snap_compare, make_app):
        """A missing component is reported in place."""

        async def run_before(pilot):
            await pilot.pause()
            pilot.app.screen.query_one("#component", Input).value = ""
            await pilot.press("ctrl+s")

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


class TestQuestion:
    def test_first_question(self, snap_compare, make_app):
        """The first question with its choices, note field, why panel, place bar and verdict panel."""
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=begin)

    def test_live_verdict_after_a_blocker(self, snap_compare, make_app):
        """After a blocker: the live panel says NO-GO and names the finding and its cause."""
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=_press("2", "2"))

    def test_why_hidden_and_back(self, snap_compare, make_app):
        """Why panel hidden (w); after going back the earlier answer is marked as current."""
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=_press("2", "w", "b"))

    def test_changed_since_the_last_review(self, snap_compare, make_app, mini, git_repo):
        """Re-review: a question that changed since the last attestation is marked and must be answered."""
        s = Session(mini, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                    answers={"stage": "production", "origin": "managed", "expiry": "yes"}, redo=["expiry"])
        s.resume_position()
        assert snap_compare(make_app(session=s), terminal_size=SIZE)

    def test_no_color(self, snap_compare, make_app, monkeypatch):
        """With NO_COLOR the question screen is monochrome and still readable."""
        monkeypatch.setenv("NO_COLOR", "1")
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=_press("2", "2"))

    @needs_shipped
    def test_shipped_policy_first_question(self, snap_compare, make_app):
        """The shipped policy's first question at 80x24."""
        assert snap_compare(make_app(tree=load_tree_file(SHIPPED_TREE)), terminal_size=SIZE, run_before=begin)

    @needs_shipped
    @pytest.mark.parametrize("size", [(60, 20), (80, 24), (100, 30), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
    def test_responsive(self, snap_compare, make_app, git_repo, size):
        """Below 90 columns the verdict sits under the choices; at 60x20 the question and footer stay."""
        s = _shipped(git_repo, CONDITIONAL, 6)
        assert snap_compare(make_app(session=s), terminal_size=size)

    @needs_shipped
    def test_why_hidden_keeps_every_choice(self, snap_compare, make_app, git_repo):
        """Hiding "why" at 100x30 shows every choice, no scrollbar inside the box."""
        s = _shipped(git_repo, CONDITIONAL, 5)

        async def run_before(pilot):
            await pilot.pause()
            await pilot.press("w")

        assert snap_compare(make_app(session=s), terminal_size=(100, 30), run_before=run_before)

    @needs_shipped
    def test_prototype_live_verdict_capped(self, snap_compare, make_app, git_repo):
        """On the prototype path the live verdict says PROTOTYPE ONLY at best, and why."""
        s = _shipped(git_repo, "prototype whose credentials must be revoked by hand", 4)
        assert snap_compare(make_app(session=s), terminal_size=(100, 30))


class TestSelectAll:
    def test_select_all_question(self, snap_compare, make_app, multi, git_repo):
        """A select-all question: boxes ([x] selected), numbers, "stands alone" answers, keys in title and footer."""
        s = Session(multi, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                    answers={"stage": "production"})
        s.resume_position()

        async def run_before(pilot):
            await pilot.pause()
            await pilot.press("1", "3")

        assert snap_compare(make_app(session=s), terminal_size=SIZE, run_before=run_before)

    def test_exclusive_clears_and_the_cap_in_the_live_verdict(self, snap_compare, make_app, multi, git_repo):
        """Back on the answered question: "None of these" clears the others and says so; the live verdict names
        the finding's answer and the answer that caps the verdict."""
        s = Session(multi, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                    answers={"stage": "production", "data": ("customer", "special")})
        s.go_to(2)

        async def run_before(pilot):
            await pilot.pause()
            await pilot.press("4")

        assert snap_compare(make_app(session=s), terminal_size=(100, 30), run_before=run_before)

    def test_narrow(self, snap_compare, make_app, multi, git_repo):
        """At 60x20 the select-all keys and Quit still fit the footer; the title keeps its keys."""
        s = Session(multi, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                    answers={"stage": "production"})
        s.resume_position()
        assert snap_compare(make_app(session=s), terminal_size=(60, 20))


class TestNote:
    def test_focused_footer_says_enter_and_esc(self, snap_compare, make_app):
        """While the note has focus the footer says Enter keeps it and Esc cancels."""
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=_press("n", "o", "k"))


class TestOverview:
    @needs_shipped
    def test_path_answers_notes_findings(self, snap_compare, make_app, git_repo):
        """The answer overview: every question on the path with answer, note, findings; jump by number or text."""
        s = _shipped(git_repo, CONDITIONAL, 8)
        s.set_note("stage", "public API")

        async def run_before(pilot):
            await pilot.pause()
            await pilot.press("o")

        assert snap_compare(make_app(session=s), terminal_size=(100, 30), run_before=run_before)


class TestSummary:
    def test_no_go(self, snap_compare, make_app):
        """The summary banner, findings grouped by severity with causes, and the checklist."""
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=_press("2", "2", "2"))

    def test_saved(self, snap_compare, make_app):
        """After saving: the path and the next command."""
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=_press("2", "1", "1", "s"))

    def test_save_failed(self, snap_compare, make_app, git_repo):
        """A failed save says why and keeps the summary."""
        (git_repo / "taken.toml").write_text("x\n")
        assert snap_compare(make_app(out=git_repo / "taken.toml"), terminal_size=SIZE,
                            run_before=_press("2", "1", "1", "s"))

    def test_conditions(self, snap_compare, make_app):
        """A review with a warning: its owner and due fields (empty, the defaults dimmed), a refused due date
        under its field, which keeps focus; the footer shows the field's keys and ^s."""
        assert snap_compare(make_app(), terminal_size=SIZE,
                            run_before=_press("2", "1", "2", "tab", "tab", *"2027-03-01", "enter"))

    @needs_shipped
    def test_prototype_headline(self, snap_compare, make_app, git_repo):
        """PROTOTYPE ONLY: the headline says what was found and why the path caps it."""
        s = _shipped(git_repo, "prototype whose credentials must be revoked by hand")
        assert snap_compare(make_app(session=s), terminal_size=(100, 30))


class TestPresenter:
    @needs_shipped
    def test_question_and_verdict_only(self, snap_compare, make_app, git_repo):
        """Presenter mode: the question and the live verdict, no chrome."""
        s = _shipped(git_repo, CONDITIONAL, 6)
        assert snap_compare(make_app(session=s, presenter=True), terminal_size=(100, 30))


class TestLearn:
    def test_mini_tree(self, snap_compare):
        """Learn mode: the tree of questions, findings and ends, and a question's consequences."""

        async def run_before(pilot):
            await pilot.pause()
            await pilot.press("down", "down")

        assert snap_compare(LearnApp(load_tree_file(MINI_TREE)), terminal_size=SIZE, run_before=run_before)

    @needs_shipped
    def test_full_titles(self, snap_compare):
        """Learn mode over the shipped policy: question titles wrap instead of being cut."""

        async def run_before(pilot):
            await pilot.pause()
            await pilot.press("down", "down", "down")

        assert snap_compare(LearnApp(load_tree_file(SHIPPED_TREE)), terminal_size=(100, 30), run_before=run_before)


class TestQuiz:
    @needs_shipped
    def test_feedback(self, snap_compare):
        """learn --quiz: a situation, a wrong guess, and the explanation with findings and references."""

        async def run_before(pilot):
            await pilot.pause()
            for _ in range(16):  # move to "invented auth flow" (file order)
                if pilot.app.screen.quiz.current.name.startswith("invented auth flow"):
                    break
                await pilot.press("1", "n")
            await pilot.press("2")

        assert snap_compare(LearnApp(load_tree_file(SHIPPED_TREE), quiz=True), terminal_size=(100, 30),
                            run_before=run_before)
