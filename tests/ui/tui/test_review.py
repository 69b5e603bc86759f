"""Pilot tests: complete reviews driven through the Textual app like a team would."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.helpers.repo import MINI_TREE, write_answers
from tests.helpers.tui import SIZE, screen_text
from wizard.cli.main import main as cli_main
from wizard.infra.errors import EXIT_INTERRUPTED
from wizard.review.session import draft_path
from wizard.ui.tui.app import LearnApp
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.start import StartScreen
from wizard.ui.tui.screens.summary import SummaryScreen

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop


async def start(pilot, component: str | None = None, reviewers: str | None = None, paths: str | None = None):
    """Fill the start screen (keeping defaults where None) and begin."""
    app = pilot.app
    await pilot.pause()
    assert isinstance(app.screen, StartScreen)
    for field, value in (("component", component), ("reviewers", reviewers), ("paths", paths)):
        if value is not None:
            app.screen.query_one(f"#{field}", Input).value = value
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, QuestionScreen)


async def answer(pilot, *choices: str, note: str | None = None) -> None:
    """Answer the current question(s) by choice id, optionally typing a note into the last one."""
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


def expected_bytes(tmp_path: Path, tree, answers: dict, notes: dict | None = None, **meta) -> bytes:
    """The attestation `authready review --answers` writes for the same review."""
    doc = write_answers(tmp_path / "answers.toml", tree, answers, **meta)
    if notes:
        import tomllib

        import tomli_w

        data = tomllib.loads(doc.read_text())
        data["notes"] = notes
        doc.write_text(tomli_w.dumps(data))
    out = tmp_path / "expected.toml"
    assert cli_main(["review", "--answers", str(doc), "--out", str(out)]) == 0
    return out.read_bytes()


async def test_go_review_saves_the_same_bytes_as_an_answers_file(make_app, git_repo, tmp_path, capsys):
    """A full GO review with a note; the saved attestation equals `review --answers` byte for byte."""
    out = git_repo / "att.toml"
    app = make_app(out=out)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "billing-api", "alice@example.com", "src")
        await answer(pilot, "production", "managed")
        await answer(pilot, "yes", note="TTL is 5 minutes")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "GO" in text and "No findings" in text
        await pilot.press("s")
        await pilot.pause()
        assert app.saved == out
        text = screen_text(app)
        assert "Saved att.toml" in text and "authready sign att.toml" in text
        await pilot.press("q")
    assert app.return_code == 0
    capsys.readouterr()
    want = expected_bytes(
        tmp_path, MINI_TREE, {"stage": "production", "origin": "managed", "expiry": "yes"},
        notes={"expiry": "TTL is 5 minutes"},
    )
    assert out.read_bytes() == want
    assert not draft_path(git_repo, "mini").exists(), "saving drops the draft"


async def test_no_go_summary_groups_findings_with_their_causes(make_app, git_repo):
    """Blockers and warnings are grouped, each with the answer that raised it, plus the checklist."""
    app = make_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await start(pilot)
        await answer(pilot, "production", "invented", "partly")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "NO-GO" in text
        assert "Blockers (1)" in text and "Warnings (1)" in text
        assert "raised by: Where does the auth code come from? → An invented flow" in text.replace("\n  ", " ")
        assert "☐ Replace with a managed identity service." in text
        assert "☐ Schedule rotation." in text


async def test_live_verdict_shows_what_each_answer_does(make_app):
    """The provisional panel turns NO-GO as soon as a blocker is raised."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert "open: no findings yet" in screen_text(app)
        await answer(pilot, "production", "invented")
        text = screen_text(app)
        assert "NO-GO" in text and "Invented auth flow" in text


async def test_back_and_change_reroutes_and_prunes(make_app):
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


async def test_back_from_first_question_returns_to_start(make_app):
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


async def test_quit_then_restart_offers_resume_with_answers_and_notes(make_app, git_repo):
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
    assert "kept in .authready/drafts/mini.toml" in app.exit_note
    assert draft_path(git_repo, "mini").is_file()

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(again)
        assert "A saved draft of this review exists" in text and "2 answer(s)" in text
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


async def test_failed_save_says_why_and_keeps_everything(make_app, git_repo):
    """Saving over an existing file fails with the reason; the summary and answers stay; retry works."""
    out = git_repo / ".authready" / "taken.toml"
    out.parent.mkdir()
    out.write_text("someone else's\n")
    app = make_app(out=out)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await answer(pilot, "production", "managed", "yes")
        await pilot.press("s")
        await pilot.pause()
        assert app.saved is None and isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Not saved" in text and "already exists" in text
        assert app.session.complete and draft_path(git_repo, "mini").is_file()
        out.unlink()
        await pilot.press("s")
        await pilot.pause()
        assert app.saved == out and "Saved" in screen_text(app)


async def test_secret_in_a_note_is_refused_before_anything_is_written(make_app, git_repo):
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
        assert b"AKIAZ7Q3VN4XKJ2PLM5R" not in draft_path(git_repo, "mini").read_bytes()


async def test_uncommitted_changes_are_named_and_binding_head_needs_a_second_press(make_app, git_repo):
    """The attestation binds committed code: uncommitted files under a subject path are listed on the
    first save, and only a second press binds HEAD as it is."""
    (git_repo / "src" / "auth.py").write_text("def login():\n    return 'changed'\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, paths="src")
        await answer(pilot, "production", "managed", "yes")
        await pilot.press("s")
        await pilot.pause()
        text = screen_text(app)
        assert app.saved is None and "uncommitted changes" in text and "src/auth.py" in text
        await pilot.press("s")
        await pilot.pause()
        assert app.saved is not None
    from wizard.attestation.model import load

    att, _ = load(app.saved)
    head_src = subprocess.run(["git", "rev-parse", "HEAD:src"], cwd=git_repo, capture_output=True, text=True).stdout.strip()
    assert att.subject.paths[0].git_object == head_src


async def test_start_screen_checks_fields(make_app):
    """An empty component or a missing path is reported on the start screen."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#component", Input).value = ""
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, StartScreen)
        assert "component: give the name" in screen_text(app)
        app.screen.query_one("#component", Input).value = "x"
        app.screen.query_one("#paths", Input).value = "nope/"
        await pilot.press("ctrl+s")
        assert "'nope/' does not exist" in screen_text(app)


async def test_mouse_click_answers(make_app):
    """Clicking a choice answers it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        options = app.screen.query_one("#choices", OptionList)
        await pilot.click(options, offset=(4, 2))  # second line inside the border: "Production"
        await pilot.pause()
        assert app.session.answers == {"stage": "production"}


async def test_why_panel_toggles(make_app):
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


async def test_rereview_marks_changed_questions(make_app, git_repo, tmp_path):
    """--from pre-fills answers; a question whose text changed is marked and must be answered again."""
    old = git_repo / ".authready" / "old.toml"
    app = make_app(out=old)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "billing-api")
        await answer(pilot, "production", "managed", "yes")
        await pilot.press("s")
        await pilot.pause()
    assert old.is_file()

    changed = tmp_path / "mini-changed.toml"
    changed.write_text(MINI_TREE.read_text().replace(
        "Can the team explain how expiry is handled?", "Can the team explain expiry and rotation?"))
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


async def test_tree_text_is_shown_literally(make_app, tmp_path):
    """Markup and escape sequences in a tree are data: shown as written, never styling the screen."""
    evil = tmp_path / "evil.toml"
    evil.write_text(
        MINI_TREE.read_text()
        .replace('text = "Where will this code run?"', 'text = "Where [bold red]x[/] \\u001b[31mruns?"')
        .replace('label = "A prototype"', 'label = "[link=http://e.test]proto[/link]"')
    )
    from wizard.policy.tree import load_tree_file

    app = make_app(tree=load_tree_file(evil))
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        text = screen_text(app)
        assert "Where [bold red]x[/] \\x1b[31mruns?" in text
        assert "[link=http://e.test]proto[/link]" in text
        assert "\x1b" not in text


@pytest.mark.slow
async def test_shipped_tree_full_review_matches_answers_file(make_app, git_repo, tmp_path, capsys):
    """A whole review over the shipped policy (its first scenario), saved byte-identical to --answers."""
    import tomllib

    from tests.helpers.tui import SHIPPED_TREE
    from wizard.policy.tree import load_tree_file

    scenarios = tomllib.loads(SHIPPED_TREE.with_name("generated-auth-code.scenarios.toml").read_text())["scenarios"]
    answers = scenarios[0]["answers"]
    out = git_repo / "shipped.toml"
    app = make_app(tree=load_tree_file(SHIPPED_TREE), out=out)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "billing-api", "alice@example.com", "src")
        while isinstance(app.screen, QuestionScreen):
            await answer(pilot, answers[app.screen.question.id])
        assert isinstance(app.screen, SummaryScreen)
        assert scenarios[0]["outcome"] == app.session.verdict().outcome.value
        await pilot.press("s")
        await pilot.pause()
    capsys.readouterr()
    assert out.read_bytes() == expected_bytes(tmp_path, "generated-auth-code", answers)


async def test_learn_mode_shows_where_choices_lead():
    """Learn mode lists every question and shows help, references, next steps and findings raised."""
    from wizard.policy.tree import load_tree_file

    app = LearnApp(load_tree_file(MINI_TREE))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Where will this code run?" in text
        assert "→ next: Where does the auth code come from?" in text
        await pilot.press("down", "down")
        await pilot.pause()
        text = screen_text(app)
        assert "Where does the auth code come from?" in text
        assert "raises ✗ BLOCKER Invented auth flow" in text
        await pilot.press("q")
    assert app.return_code == 0


def test_no_terminal_exits_2_pointing_to_plain_and_answers(capsys, monkeypatch):
    """Without a TTY the wizard refuses with one line naming --plain and --answers."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli_main(["review"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--plain" in err and "--answers" in err


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_resizes_cleanly(make_app, size):
    """The question screen keeps its question, choices and footer at small and large sizes."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        text = screen_text(app)
        assert "Where will this code run?" in text and "2  Production" in text and "^c Quit" in text


async def test_rereview_changed_question_on_an_abandoned_branch_does_not_block_save(make_app, git_repo, mini):
    """A stale answer left behind when the path changes is not part of the review: saving works."""
    from wizard.review.session import Meta, Session

    s = Session(mini, git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]),
                answers={"stage": "production", "origin": "managed", "expiry": "yes"}, redo=["expiry"])
    app = make_app(session=s, out=git_repo / "a.toml")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.question.id == "stage"
        await answer(pilot, "prototype", "no")
        await pilot.press("s")
        await pilot.pause()
        assert app.saved == git_repo / "a.toml"


async def test_rereview_supersedes_the_attestation_it_started_from(signed, capsys):
    """`review --from X` in the TUI: the summary says X will be replaced and what changes; s replaces it
    (supersedes = sha256 of X, X's signatures removed); both reviewers sign; the gate passes."""
    import hashlib

    from tests.helpers.repo import run_git
    from wizard.attestation.model import load
    from wizard.policy.tree import load_tree_file
    from wizard.ui.tui.app import ReviewApp

    old = signed.att.read_bytes()
    app = ReviewApp(tree=load_tree_file(signed.repo / "policy" / "mini.toml"), root=signed.repo, in_git=True,
                    from_attestation=signed.att)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await start(pilot)
        await answer(pilot, "production", "managed", "partly")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "This re-review replaces .authready/billing.toml" in text and "GO -> GO WITH CONDITIONS" in text
        await pilot.press("s")
        await pilot.pause()
        assert app.saved == signed.att
    new, _ = load(signed.att)
    assert new.review.supersedes == hashlib.sha256(old).hexdigest()
    assert list(signed.att.parent.glob("billing.toml.*.sig")) == []
    signed.sign(signed.att, "alice")
    signed.sign(signed.att, "bob")
    run_git(signed.repo, "add", "-A")
    run_git(signed.repo, "commit", "-qm", "re-review")
    assert cli_main(["check", "--require", "conditional"]) == 0


async def test_start_warns_about_what_would_fail_later(make_app, tmp_path):
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
