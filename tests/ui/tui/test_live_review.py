"""Pilot tests for the live design review (issue 13): each reproduces a defect found in tmux.

The note field, the capped live verdict, the summary headline, the layout at
60x20 / 80x24 / 100x30, the answer overview and learn mode's titles.
"""

from __future__ import annotations

import tomllib

import pytest
from textual.widgets import Input, OptionList

from tests.helpers.tui import SHIPPED_TREE, SIZE, screen_text
from tests.ui.tui.test_review import answer, start
from wizard.review.session import Meta, Session, draft_path
from wizard.policy.tree import load_tree_file
from wizard.ui.tui.app import LearnApp
from wizard.ui.tui.screens.overview import OverviewScreen
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.summary import SummaryScreen

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

SCENARIOS = SHIPPED_TREE.with_name("generated-auth-code.scenarios.toml")


def scenario(name_start: str) -> dict[str, str]:
    for s in tomllib.loads(SCENARIOS.read_text())["scenarios"]:
        if s["name"].startswith(name_start):
            return s["answers"]
    raise KeyError(name_start)


@pytest.fixture
def shipped():
    return load_tree_file(SHIPPED_TREE)


def shipped_session(loaded, repo, answers: dict[str, str], count: int | None = None) -> Session:
    from wizard.policy.engine import walk

    steps = walk(loaded.tree, answers).steps[:count]
    s = Session(loaded, repo, True, Meta("payments-api", ["alice@example.com"], ["src"]),
                answers={st.question.id: st.choice.id for st in steps})
    s.resume_position()
    return s


def flat(text: str) -> str:
    """The screen with its lines joined (wrapped sentences read as one)."""
    return " ".join(line.strip(" │▏█▊▎").strip() for line in text.splitlines())


# -- 1. the note field ------------------------------------------------------------------------------
async def test_enter_in_the_note_keeps_it_and_returns_to_the_choices_without_answering(make_app, git_repo):
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
        assert b"public" in draft_path(git_repo, "mini").read_bytes(), "the kept note is in the draft"
        await pilot.press("2")
        assert app.session.answers == {"stage": "production"} and app.session.notes == {"stage": "public"}


async def test_escape_in_the_note_returns_without_change(make_app):
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
async def test_a_credential_in_the_note_is_refused_when_the_field_is_left(make_app, git_repo, leave):
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
    assert b"AKIAZ7Q3VN4XKJ2PLM5R" not in draft_path(git_repo, "mini").read_bytes()


# -- 2. an honest live verdict and summary ------------------------------------------------------------
async def test_prototype_path_live_panel_is_capped_at_prototype_only(make_app, git_repo, shipped):
    answers = scenario("prototype whose credentials must be revoked by hand")
    s = shipped_session(shipped, git_repo, answers, 4)
    app = make_app(session=s)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = flat(screen_text(app))
        assert "at best PROTOTYPE ONLY" in text
        assert "GO WITH CONDITIONS" not in text
        assert "This path allows PROTOTYPE ONLY at best" in text


async def test_no_go_summary_headline_names_the_blockers_not_the_ends_text(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot)
        await answer(pilot, "production", "invented", "dont-know")
        assert isinstance(app.screen, SummaryScreen)
        text = flat(screen_text(app))
        assert "NO-GO" in text
        assert "2 blocker(s) stop this code from shipping: Invented auth flow; Team cannot explain expiry." in text
        head, _, rest = text.partition("What this path allows at best (GO):")
        assert "Production path." in rest and "Production path." not in head


async def test_shipped_no_go_headline_never_claims_every_control(make_app, git_repo, shipped):
    s = shipped_session(shipped, git_repo, scenario("invented auth flow"))
    app = make_app(session=s)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = flat(screen_text(app))
        head, _, rest = text.partition("What this path allows at best")
        assert "blocker(s) stop this code from shipping" in head
        assert "Every production area was answered" not in head


async def test_prototype_summary_says_why_it_is_capped(make_app, git_repo, shipped):
    s = shipped_session(shipped, git_repo, scenario("prototype whose credentials must be revoked by hand"))
    app = make_app(session=s)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = flat(screen_text(app))
        head, _, rest = text.partition("What this path allows at best (PROTOTYPE ONLY):")
        assert "PROTOTYPE ONLY" in head and "This path allows PROTOTYPE ONLY at best" in head
        assert "credentials that expire on their own" not in head and "credentials that expire on their own" in rest


# -- 3. responsive layout ----------------------------------------------------------------------------
async def test_hiding_why_never_hides_a_choice_at_100x30(make_app, git_repo, shipped):
    s = shipped_session(shipped, git_repo, scenario("long-lived keys"), 6)
    app = make_app(session=s)
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


async def test_80x24_verdict_under_the_choices_and_references_reachable_by_keyboard(make_app, git_repo, shipped):
    s = shipped_session(shipped, git_repo, scenario("long-lived keys"), 6)
    app = make_app(session=s)
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
        assert "References:" in screen_text(app) or last_ref in screen_text(app)


async def test_60x20_keeps_question_and_footer_visible(make_app, git_repo, shipped):
    s = shipped_session(shipped, git_repo, scenario("long-lived keys"), 6)
    app = make_app(session=s)
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


# -- 4. the overview -------------------------------------------------------------------------------
async def test_overview_lists_the_path_and_jumps_by_number_and_by_text(make_app):
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


async def test_overview_marks_what_changed_since_from(make_app, git_repo, mini):
    s = Session(mini, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                answers={"stage": "production", "origin": "managed", "expiry": "yes"}, redo=["expiry"])
    app = make_app(session=s)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.prefilled = lambda: {"stage": "production", "origin": "invented", "expiry": "yes"}
        await pilot.press("o")
        text = flat(screen_text(app))
        assert "⟳ answer changed since --from" in text and "⟳ question changed since --from" in text


# -- 5. learn mode and the place bar ----------------------------------------------------------------
async def test_learn_mode_shows_full_question_titles(shipped):
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


async def test_place_bar_does_not_jump_from_31_to_5(make_app, git_repo, shipped):
    """On the prototype branch the count of what may follow shrinks; no "of up to 31" turning into "of up to 5"."""
    s = shipped_session(shipped, git_repo, scenario("valid prototype exception"), 2)
    app = make_app(session=s)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "of up to" not in text
        assert "Question 3 · at most 2 more on this path" in text
