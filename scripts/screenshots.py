#!/usr/bin/env python3
"""Regenerate the README screenshots: ``python scripts/screenshots.py`` writes ``screenshots/*.svg``.

Each scene drives the real app headless over the shipped policy, at a fixed
size and theme with no blinking cursor, in a throw-away git repo named
``payments-api`` (so no local path or identity shows). ``--check`` compares
instead of writing and exits 1 when a file is out of date;
``tests/ui/tui/test_screenshots.py`` runs the same comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from wizard.review.session import Session
    from wizard.ui.tui.app import ReviewApp

Steps = Callable[["Pilot[Any]"], Awaitable[None]]
"""What a scene does once the app is up (keys, field values)."""

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "screenshots"
SIZE = (100, 32)
SCENARIOS = ROOT / "decision_trees" / "generated-auth-code.scenarios.toml"
REVIEWED_AT = "2026-11-29T10:00:00Z"
CONDITIONAL = "standard business service with short-lived bearer tokens"  # a GO WITH CONDITIONS review


def scenario(name_start: str) -> dict[str, Any]:
    """The answers of the shipped scenario whose name starts with ``name_start`` (a list: a select-all answer)."""
    for s in tomllib.loads(SCENARIOS.read_text())["scenarios"]:
        if s["name"].startswith(name_start):
            return dict(s["answers"])
    raise KeyError(name_start)


def make_repo(base: Path) -> Path:
    """A one-commit git repo called payments-api, isolated from the user's git config."""
    repo = base / "payments-api"
    (repo / "src" / "auth").mkdir(parents=True)
    (repo / "src" / "auth" / "tokens.py").write_text("def issue():\n    return None\n")
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "HOME": str(base)}
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "alice@example.com"],
                 ["config", "user.name", "Alice"], ["config", "commit.gpgsign", "false"],
                 ["add", "."], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)
    return repo


async def _shot(app: App[int], steps: Steps, size: tuple[int, int] = SIZE) -> str:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await steps(pilot)
        await pilot.pause()
        return str(app.export_screenshot(title="authready"))


def _app(repo: Path, **kw: Any) -> ReviewApp:
    from wizard.policy.tree import resolve_tree
    from wizard.ui.tui.app import ReviewApp

    if "session" not in kw:
        kw["tree"] = resolve_tree("generated-auth-code")
    app = ReviewApp(root=repo, in_git=True, reviewed_at=REVIEWED_AT, **kw)
    app.input_cursor_blink = False
    return app


async def scene_start(repo: Path) -> str:
    """The start screen with its defaults filled in."""
    async def steps(pilot: Pilot[Any]) -> None:
        from textual.widgets import Input

        pilot.app.screen.query_one("#reviewers", Input).value = "alice@example.com, bob@example.com"
        pilot.app.screen.query_one("#paths", Input).value = "src/auth"

    return await _shot(_app(repo), steps)


def _session(repo: Path, answers: dict[str, Any], count: int | None = None) -> Session:
    """A review of payments-api with the first ``count`` answers on the path given (all if None)."""
    from wizard.infra.workspace import Meta
    from wizard.policy.engine import walk
    from wizard.policy.tree import resolve_tree
    from wizard.review.session import Session

    loaded = resolve_tree("generated-auth-code")
    steps = walk(loaded.tree, answers).steps[:count]
    session = Session(loaded, repo, True, Meta("payments-api", ["alice@example.com", "bob@example.com"], ["src/auth"]),
                      answers={s.question.id: s.answer for s in steps})
    session.resume_position()
    return session


async def _nothing(pilot: Pilot[Any]) -> None:
    return None


async def scene_question(repo: Path) -> str:
    """Mid-review on a select-all question: the answers, why it matters, the breadcrumb and the live verdict."""
    return await _shot(_app(repo, session=_session(repo, scenario(CONDITIONAL), 5)), _nothing)


async def scene_question_80x24(repo: Path) -> str:
    """The same question on a laptop-sized terminal: the live verdict moves under the choices."""
    return await _shot(_app(repo, session=_session(repo, scenario(CONDITIONAL), 6)), _nothing, size=(80, 24))


async def scene_question_120x35(repo: Path) -> str:
    """The same question on a shared screen."""
    return await _shot(_app(repo, session=_session(repo, scenario(CONDITIONAL), 6)), _nothing, size=(120, 35))


async def scene_quiz(repo: Path) -> str:
    """learn --quiz: a situation from the policy's scenarios, a guess, and why the verdict is what it is."""
    from wizard.policy.tree import resolve_tree
    from wizard.ui.tui.learn_app import LearnApp

    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.press("1")

    return await _shot(LearnApp(resolve_tree("generated-auth-code"), quiz=True, seed=7), steps)


async def scene_summary(repo: Path) -> str:
    """The summary of a review that ends GO WITH CONDITIONS."""
    return await _shot(_app(repo, session=_session(repo, scenario(CONDITIONAL))), _nothing)


async def scene_no_go(repo: Path) -> str:
    """A NO-GO summary: the headline names the blockers found, the end's text is only the path's best case."""
    return await _shot(_app(repo, session=_session(repo, scenario("team cannot explain expiry"))), _nothing)


async def scene_overview(repo: Path) -> str:
    """The answer overview (o): every question on the path with its answer, notes and findings; jump to any."""
    session = _session(repo, scenario(CONDITIONAL), 9)
    session.set_note("stage", "Public API; customer billing data.")

    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.press("o")

    return await _shot(_app(repo, session=session), steps)


async def scene_saved(repo: Path) -> str:
    """A NO-GO summary after saving: where the attestation went and what to do next."""

    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.press("s")

    app = _app(repo, session=_session(repo, scenario("invented auth flow")), out=repo / ".authready" / "payments-api.toml")
    return await _shot(app, steps)


async def scene_learn(repo: Path) -> str:
    """Learn mode: a question with where each choice leads and what it raises."""
    from wizard.policy.tree import resolve_tree
    from wizard.ui.tui.learn_app import LearnApp

    async def steps(pilot: Pilot[Any]) -> None:
        await pilot.press("down", "down", "down")

    return await _shot(LearnApp(resolve_tree("generated-auth-code")), steps)


SCENES = {
    "start": scene_start,
    "question": scene_question,
    "question-80x24": scene_question_80x24,
    "question-120x35": scene_question_120x35,
    "summary": scene_summary,
    "no-go": scene_no_go,
    "overview": scene_overview,
    "saved": scene_saved,
    "learn": scene_learn,
    "quiz": scene_quiz,
}


def render_all() -> dict[str, str]:
    """Every scene's SVG, each in a fresh repo."""
    saved = {k: os.environ.pop(k, None) for k in ("NO_COLOR", "TEXTUAL_THEME", "SOURCE_DATE_EPOCH")}
    try:
        with tempfile.TemporaryDirectory(prefix="authready-shots-") as tmp:
            repo = make_repo(Path(tmp))
            return {name: asyncio.run(scene(repo)) for name, scene in SCENES.items()}
    finally:
        os.environ.update({k: v for k, v in saved.items() if v is not None})


def main() -> int:
    ap = argparse.ArgumentParser(description="Regenerate (or --check) screenshots/*.svg.")
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 if any is out of date")
    args = ap.parse_args()
    stale = []
    for name, svg in render_all().items():
        path = OUT / f"{name}.svg"
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != svg:
                stale.append(path.name)
        else:
            OUT.mkdir(exist_ok=True)
            path.write_text(svg, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run: python scripts/screenshots.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
