"""The full-screen app in a real pty (keys as a person presses them): a token pasted into a note
never reaches the draft file."""

from __future__ import annotations

import os
import sys
import time

import pytest

from tests.helpers.repo import MINI_TREE, in_repo

TOKEN = "ghp_" + "Zx81Qm4Lr7Tp2Wv9Kd3Hs6Jn5Bf1Gc0Ya8Ue"


SCREEN: list[str] = []


def _wait_for(child, predicate, timeout: float = 20.0) -> None:
    """Read the app's output (kept in SCREEN) until ``predicate()`` holds (the draft appears, say)."""
    import pexpect

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            SCREEN.append(child.read_nonblocking(65536, timeout=0.2))
        except pexpect.TIMEOUT:
            pass
        if predicate():
            return
    raise AssertionError("timed out waiting for the app")


@pytest.mark.slow
def test_a_token_pasted_into_a_note_never_reaches_the_draft(git_repo):
    pexpect = pytest.importorskip("pexpect")
    from wizard.review.drafts import draft_path

    draft = draft_path(git_repo, "mini", git_repo.name)  # the start screen's default component: the repo's name
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "wizard", "review", "--tree", str(in_repo(git_repo))], cwd=str(git_repo),
                          env=env, encoding="utf-8", timeout=30, dimensions=(30, 100))
    try:
        child.expect("Component")
        time.sleep(1.0)  # the tree loads off the UI thread
        child.send("\x13")  # ctrl+s: start with the defaults
        _wait_for(child, draft.is_file)  # the start answers are saved as a draft
        time.sleep(0.5)
        child.send("2")  # production
        _wait_for(child, lambda: 'stage = "production"' in draft.read_text())
        time.sleep(0.5)
        child.send("n")  # the note field
        time.sleep(0.5)
        child.send(TOKEN)
        time.sleep(0.3)
        child.send("\r")  # leave the note: refused, nothing kept; the field stays open to fix it
        _wait_for(child, lambda: "GitHub token" in "".join(SCREEN), timeout=10)
        child.send("\x1b")  # Esc: back to the choices without the note
        time.sleep(0.5)
        child.send("1")  # answer the question (with no note)
        _wait_for(child, lambda: "origin" in draft.read_text())
        child.send("\x03")  # ctrl+c: quit, the draft is kept
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    text = draft.read_text()
    assert TOKEN not in text and "ghp_" not in text
    assert 'origin = "managed"' in text
