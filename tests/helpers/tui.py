"""Constants, a screen reader and Pilot steps for the Textual tests (not a test module)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.helpers.repo import MINI_TREE  # noqa: F401  (re-exported for the snapshot tests)

REVIEWED_AT = "2026-11-29T10:00:00Z"
SIZE = (80, 24)
SHIPPED_TREE = Path(__file__).resolve().parents[2] / "decision_trees" / "generated-auth-code.toml"
SCENARIOS = SHIPPED_TREE.with_name("generated-auth-code.scenarios.toml")
MULTI_TREE = Path(__file__).resolve().parents[1] / "fixtures" / "multi.toml"
"""A select-all question (an exclusive "none of these", an answer with a cap) and a moot question."""


def screen_text(app) -> str:
    """The visible screen as plain text (what a user reads), rendered the way screenshots are."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


def flat(text: str) -> str:
    """The screen with its lines joined (wrapped sentences read as one)."""
    return " ".join(line.strip(" │▏█▊▎").strip() for line in text.splitlines())


def scenario(name_start: str) -> dict[str, str]:
    """The answers of the shipped scenario whose name starts with ``name_start``."""
    for s in tomllib.loads(SCENARIOS.read_text())["scenarios"]:
        if s["name"].startswith(name_start):
            return s["answers"]
    raise KeyError(name_start)


def shipped_session(loaded, repo: Path, answers: dict[str, str], count: int | None = None):
    """A review of payments-api with the first ``count`` of ``answers`` given (all if None), at the next question."""
    from wizard.infra.workspace import Meta
    from wizard.policy.engine import walk
    from wizard.review.session import Session

    steps = walk(loaded.tree, answers).steps[:count]
    s = Session(loaded, repo, True, Meta("payments-api", ["alice@example.com"], ["src"]),
                answers={st.question.id: st.answer for st in steps})
    s.resume_position()
    return s


async def submit_start(pilot, component: str | None = None, reviewers: str | None = None,
                       paths: str | None = None) -> None:
    """Fill the start screen's fields given (the others keep their defaults) and press ctrl+s."""
    from textual.widgets import Input

    from wizard.ui.tui.screens.start import StartScreen

    app = pilot.app
    await pilot.pause()
    assert isinstance(app.screen, StartScreen)
    for field, value in (("component", component), ("reviewers", reviewers), ("paths", paths)):
        if value is not None:
            app.screen.query_one(f"#{field}", Input).value = value
    await pilot.press("ctrl+s")
    await pilot.pause()


async def start(pilot, component: str | None = None, reviewers: str | None = None, paths: str | None = None):
    """Fill the start screen (keeping defaults where None) and begin: the first question is on screen."""
    from wizard.ui.tui.screens.question import QuestionScreen

    await submit_start(pilot, component, reviewers, paths)
    assert isinstance(pilot.app.screen, QuestionScreen), type(pilot.app.screen)


async def answer(pilot, *choices: str, note: str | None = None) -> None:
    """Answer the current question(s) by choice id, optionally typing a note into the last one."""
    from textual.widgets import Input

    from wizard.ui.tui.screens.question import QuestionScreen

    for i, cid in enumerate(choices):
        screen = pilot.app.screen
        assert isinstance(screen, QuestionScreen), type(screen)
        q = screen.question
        index = [c.id for c in q.choices].index(cid)
        if note is not None and i == len(choices) - 1:
            await pilot.press("n")
            screen.query_one("#note", Input).value = note
            await pilot.press("enter")  # Enter in the note field keeps the note and returns to the choices
            assert screen.question is q and screen.focused.id == "choices"
        await pilot.press(str(index + 1))


async def settled(pilot) -> None:
    """Wait until the start screen's background load (tree, prefill, drafts) is done and shown."""
    await pilot.pause(0.5)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def select(pilot, *choices: str) -> None:
    """Answer the select-all question on screen: toggle each choice by its number, then Enter confirms."""
    from wizard.ui.tui.screens.question import QuestionScreen

    screen = pilot.app.screen
    assert isinstance(screen, QuestionScreen) and screen.question.many, type(screen)
    ids = [c.id for c in screen.question.choices]
    for cid in choices:
        await pilot.press(str(ids.index(cid) + 1))
    await pilot.press("enter")
    await pilot.pause()


def expected_bytes(tmp_path: Path, tree, answers: dict, notes: dict | None = None,
                   conditions: dict | None = None, **meta) -> bytes:
    """The attestation `authready review --answers` writes for the same review (``conditions``: the file's
    ``[conditions.<finding>]`` tables)."""
    import tomli_w

    from tests.helpers.repo import write_answers
    from wizard.cli.main import main as cli_main

    doc = write_answers(tmp_path / "answers.toml", tree, answers, **meta)
    if notes or conditions:
        data = tomllib.loads(doc.read_text())
        data.update({k: v for k, v in (("notes", notes), ("conditions", conditions)) if v})
        doc.write_text(tomli_w.dumps(data))
    out = tmp_path / "expected.toml"
    assert cli_main(["review", "--answers", str(doc), "--out", str(out)]) == 0
    return out.read_bytes()
