"""Snapshot tests: every screen at 80x24, dark theme, no cursor blink (synchronous, as snap_compare runs the app).

Update after a deliberate change with ``pytest tests/ui/tui --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.helpers.tui import MINI_TREE, SHIPPED_TREE, SIZE
from wizard.review.session import Meta, Session
from wizard.policy.tree import load_tree_file
from wizard.ui.tui.app import LearnApp

pytestmark = pytest.mark.slow  # SVG snapshots: run by scripts/test and CI, not the quick loop


async def begin(pilot):
    """Fill the start screen with fixed values and start."""
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#component", Input).value = "billing-api"
    screen.query_one("#reviewers", Input).value = "alice@example.com, bob@example.com"
    screen.query_one("#paths", Input).value = "src"
    await pilot.press("ctrl+s")
    await pilot.pause()


def test_start_screen(snap_compare, make_app):
    """The start screen with the defaults from the repo and git identity."""
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_start_screen_offers_draft(snap_compare, make_app, mini, git_repo):
    """A saved draft is offered for resuming."""
    s = Session(mini, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]))
    s.answer("production")
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_start_screen_error(snap_compare, make_app):
    """A missing component is reported in place."""

    async def run_before(pilot):
        await pilot.pause()
        pilot.app.screen.query_one("#component", Input).value = ""
        await pilot.press("ctrl+s")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_first_question(snap_compare, make_app):
    """The first question with its choices, note field, why panel, place bar and verdict panel."""
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=begin)


def test_question_with_findings(snap_compare, make_app):
    """After a blocker: the live panel says NO-GO and names the finding and its cause."""

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press("2", "2")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_question_why_hidden_and_back(snap_compare, make_app):
    """Why panel hidden (w); after going back the earlier answer is marked as current."""

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press("2", "w", "b")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_stale_question(snap_compare, make_app, mini, git_repo):
    """Re-review: a question that changed since the last attestation is marked and must be answered."""
    s = Session(mini, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                answers={"stage": "production", "origin": "managed", "expiry": "yes"}, redo=["expiry"])
    s.resume_position()
    assert snap_compare(make_app(session=s), terminal_size=SIZE)


def test_summary_no_go(snap_compare, make_app):
    """The summary banner, findings grouped by severity with causes, and the checklist."""

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press("2", "2", "2")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_summary_saved(snap_compare, make_app):
    """After saving: the path and the next command."""

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press("2", "1", "1", "s")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_summary_save_failed(snap_compare, make_app, git_repo):
    """A failed save says why and keeps the summary."""
    (git_repo / "taken.toml").write_text("x\n")

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press("2", "1", "1", "s")

    assert snap_compare(make_app(out=git_repo / "taken.toml"), terminal_size=SIZE, run_before=run_before)


def test_learn_mode(snap_compare):
    """Learn mode: the tree of questions, findings and ends, and a question's consequences."""

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("down", "down")

    assert snap_compare(LearnApp(load_tree_file(MINI_TREE)), terminal_size=SIZE, run_before=run_before)


def test_no_color(snap_compare, make_app, monkeypatch):
    """With NO_COLOR the question screen is monochrome and still readable."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press("2", "2")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_shipped_tree_question(snap_compare, make_app):
    """The shipped policy's first question at 80x24."""
    assert snap_compare(make_app(tree=load_tree_file(SHIPPED_TREE)), terminal_size=SIZE, run_before=begin)


# -- the live design review (issue 13) --------------------------------------------------------------
def _shipped_session(git_repo, scenario_start: str, count: int | None = None):
    """A review over the shipped policy with the first ``count`` answers of a shipped scenario."""
    import tomllib

    from wizard.policy.engine import walk

    loaded = load_tree_file(SHIPPED_TREE)
    scenarios = tomllib.loads(SHIPPED_TREE.with_name("generated-auth-code.scenarios.toml").read_text())["scenarios"]
    answers = next(s["answers"] for s in scenarios if s["name"].startswith(scenario_start))
    steps = walk(loaded.tree, answers).steps[:count]
    s = Session(loaded, git_repo, True, Meta("payments-api", ["alice@example.com"], ["src"]),
                answers={st.question.id: st.choice.id for st in steps})
    s.resume_position()
    return s


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
@pytest.mark.parametrize("size", [(60, 20), (80, 24), (100, 30), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_responsive_question(snap_compare, make_app, git_repo, size):
    """Below 90 columns the verdict sits under the choices; at 60x20 the question and footer stay."""
    s = _shipped_session(git_repo, "long-lived keys", 6)
    assert snap_compare(make_app(session=s), terminal_size=size)


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_why_hidden_keeps_every_choice(snap_compare, make_app, git_repo):
    """Hiding "why" at 100x30 shows every choice, no scrollbar inside the box."""
    s = _shipped_session(git_repo, "long-lived keys", 5)

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("w")

    assert snap_compare(make_app(session=s), terminal_size=(100, 30), run_before=run_before)


def test_note_field_focused(snap_compare, make_app):
    """While the note has focus the footer says Enter keeps it and Esc cancels."""

    async def run_before(pilot):
        await begin(pilot)
        await pilot.press("n", "o", "k")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_prototype_live_verdict_capped(snap_compare, make_app, git_repo):
    """On the prototype path the live verdict says PROTOTYPE ONLY at best, and why."""
    s = _shipped_session(git_repo, "prototype whose credentials must be revoked by hand", 4)
    assert snap_compare(make_app(session=s), terminal_size=(100, 30))


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_prototype_summary_headline(snap_compare, make_app, git_repo):
    """PROTOTYPE ONLY: the headline says what was found and why the path caps it."""
    s = _shipped_session(git_repo, "prototype whose credentials must be revoked by hand")
    assert snap_compare(make_app(session=s), terminal_size=(100, 30))


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_overview(snap_compare, make_app, git_repo):
    """The answer overview: every question on the path with answer, note, findings; jump by number or text."""
    s = _shipped_session(git_repo, "long-lived keys", 8)
    s.notes["stage"] = "public API"

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("o")

    assert snap_compare(make_app(session=s), terminal_size=(100, 30), run_before=run_before)


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_presenter_mode(snap_compare, make_app, git_repo):
    """Presenter mode: the question and the live verdict, no chrome."""
    s = _shipped_session(git_repo, "long-lived keys", 6)
    assert snap_compare(make_app(session=s, presenter=True), terminal_size=(100, 30))


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_learn_mode_full_titles(snap_compare):
    """Learn mode over the shipped policy: question titles wrap instead of being cut."""

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("down", "down", "down")

    assert snap_compare(LearnApp(load_tree_file(SHIPPED_TREE)), terminal_size=(100, 30), run_before=run_before)


@pytest.mark.skipif(not SHIPPED_TREE.is_file(), reason="shipped tree not present")
def test_quiz_feedback(snap_compare):
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
