"""Pilot tests of the summary: the verdict and its headline, saving (same bytes as --answers), failures, supersede."""

from __future__ import annotations

import subprocess

import pytest

from tests.helpers.repo import MINI_TREE, in_repo
from tests.helpers.tui import (
    SHIPPED_TREE,
    SIZE,
    answer,
    expected_bytes,
    flat,
    scenario,
    screen_text,
    select,
    shipped_session,
    start,
)
from wizard.cli.main import main as cli_main
from wizard.infra.workspace import Meta
from wizard.review.drafts import draft_path
from wizard.review.session import Session
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.summary import SummaryScreen

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop


class TestSummary:
    """What was found, said honestly: the headline is built from the findings, not the end's text."""

    async def test_no_go_groups_findings_with_their_causes(self, make_app, git_repo):
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

    async def test_no_go_headline_names_the_blockers_not_the_ends_text(self, make_app):
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

    async def test_shipped_no_go_headline_never_claims_every_control(self, make_app, git_repo, shipped):
        s = shipped_session(shipped, git_repo, scenario("invented auth flow"))
        app = make_app(session=s)
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            text = flat(screen_text(app))
            head, _, rest = text.partition("What this path allows at best")
            assert "blocker(s) stop this code from shipping" in head
            assert "Every production area was answered" not in head

    async def test_prototype_says_why_it_is_capped(self, make_app, git_repo, shipped):
        s = shipped_session(shipped, git_repo, scenario("valid prototype exception"))
        app = make_app(session=s)
        summary = flat(shipped.tree.end_map["prototype-exception"].summary)[:40]
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            text = flat(screen_text(app))
            head, _, rest = text.partition("What this path allows at best (PROTOTYPE ONLY):")
            assert "PROTOTYPE ONLY" in head and "This path allows PROTOTYPE ONLY at best" in head
            assert summary not in head and summary in rest


class TestSaving:
    """s writes the attestation through the one writer: the same bytes as `review --answers`, never lost work."""

    async def test_go_review_saves_the_same_bytes_as_an_answers_file(self, make_app, git_repo, tmp_path, capsys):
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
            tmp_path, in_repo(git_repo), {"stage": "production", "origin": "managed", "expiry": "yes"},
            notes={"expiry": "TTL is 5 minutes"},
        )
        assert out.read_bytes() == want
        assert not draft_path(git_repo, "mini", "billing-api").exists(), "saving drops the draft"

    async def test_shipped_tree_full_review_matches_answers_file(self, make_app, git_repo, tmp_path, capsys, shipped):
        """A whole review over the shipped policy (its first scenario), saved byte-identical to --answers."""
        import tomllib

        scenarios = tomllib.loads(SHIPPED_TREE.with_name("generated-auth-code.scenarios.toml").read_text())["scenarios"]
        answers = scenarios[0]["answers"]
        out = git_repo / "shipped.toml"
        app = make_app(tree=shipped, out=out)
        async with app.run_test(size=SIZE) as pilot:
            await start(pilot, "billing-api", "alice@example.com", "src")
            while isinstance(app.screen, QuestionScreen):
                given = answers[app.screen.question.id]
                await (select(pilot, *given) if isinstance(given, list) else answer(pilot, given))
            assert isinstance(app.screen, SummaryScreen)
            assert scenarios[0]["outcome"] == app.session.verdict().outcome.value
            await pilot.press("s")
            await pilot.pause()
        capsys.readouterr()
        assert out.read_bytes() == expected_bytes(tmp_path, "generated-auth-code", answers)

    async def test_failed_save_says_why_and_keeps_everything(self, make_app, git_repo):
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
            assert app.session.complete and draft_path(git_repo, "mini", "repo").is_file()
            out.unlink()
            await pilot.press("s")
            await pilot.pause()
            assert app.saved == out and "Saved" in screen_text(app)

    async def test_uncommitted_changes_are_named_and_binding_head_needs_a_second_press(self, make_app, git_repo):
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
        from wizard.attestation.store import load

        att, _ = load(app.saved)
        head_src = subprocess.run(["git", "rev-parse", "HEAD:src"], cwd=git_repo, capture_output=True,
                                  text=True).stdout.strip()
        assert att.subject.paths[0].git_object == head_src

    async def test_changed_question_on_an_abandoned_branch_does_not_block_save(self, make_app, git_repo, mini):
        """A stale answer left behind when the path changes is not part of the review: saving works."""
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

    async def test_rereview_supersedes_the_attestation_it_started_from(self, signed, capsys):
        """`review --from X` in the TUI: the summary says X will be replaced and what changes; s replaces it
        (supersedes = sha256 of X, X's signatures removed); both reviewers sign; the gate passes."""
        import hashlib

        from tests.helpers.repo import run_git
        from wizard.attestation.store import load
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
