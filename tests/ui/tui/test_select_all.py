"""Select-all questions, answer caps and moot questions in the Textual wizard (real app, Pilot, a real git repo).

The tree is ``tests/fixtures/multi.toml``: ``data`` is select-all (customer, payments → pci, special with a
cap, and the exclusive "none" and "dont-know"); answering ``clients = machines`` makes ``sessions`` moot.
"""

from __future__ import annotations

import tomllib

import pytest
from textual.widgets import Input, Static

from tests.helpers.repo import in_repo, run_git
from tests.helpers.tui import MULTI_TREE, expected_bytes, flat, screen_text, select, settled, start
from tests.helpers.tui import answer as pick
from wizard.policy.tree import load_tree_file
from wizard.ui.tui.screens.overview import OverviewScreen
from wizard.ui.tui.screens.question import QuestionScreen
from wizard.ui.tui.screens.summary import SummaryScreen
from wizard.ui.tui.widgets.select_all import SelectAllList

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

WIDE = (100, 40)


def panel(app) -> str:
    """The live verdict panel's text (the side panel at this width), its lines joined."""
    return " ".join(" ".join(str(getattr(s.content, "plain", s.content)).split())
                    for s in app.screen.query_one("#verdict").query(Static))


async def at_data(pilot) -> None:
    """Start the review with the default fields and answer "In production": the select-all question is on screen."""
    await start(pilot)
    await pick(pilot, "production")
    assert pilot.app.screen.question.id == "data"


def boxes(app) -> list[str]:
    """The selected answers of the select-all list on screen, in the question's order."""
    return list(app.screen.query_one(SelectAllList).chosen())


class TestSelectAll:
    async def test_two_answers_raise_both_findings_and_save_the_bytes_of_an_answers_file(
        self, make_app, multi, git_repo, tmp_path, capsys
    ):
        """customer + payments: both findings, each naming its answer; the attestation equals `review --answers`."""
        out = git_repo / "att.toml"
        app = make_app(tree=multi, out=out)
        async with app.run_test(size=WIDE) as pilot:
            await start(pilot, "billing-api", "alice@example.com, bob@example.com", "src")
            await pick(pilot, "production")
            assert app.screen.question.id == "data"
            text = screen_text(app)
            assert "Select all that apply · 1-9/␣ toggle · ⏎ confirm" in text
            assert "⏎ Confirm" in text and "␣ Toggle" in text, "the footer names the keys"
            assert "[ ] 1  Customer personal data" in text and "None of these  (stands alone)" in text
            await select(pilot, "customer", "payments")
            assert app.screen.question.id == "pci", "payments routes to the PCI question"
            text = panel(app)
            assert "Customer data needs a retention rule ← Customer personal data" in text
            assert "Payment data needs a PCI scope review ← Payment card data" in text
            await pick(pilot, "provider", "machines")
            assert isinstance(app.screen, SummaryScreen)
            text = flat(screen_text(app))
            assert "GO WITH CONDITIONS" in text
            assert "→ Customer personal data" in text and "→ Payment card data" in text  # raised by: each its own
            await pilot.press("s")
            await pilot.pause()
            assert app.saved == out
        capsys.readouterr()
        answers = {"stage": "production", "data": ["customer", "payments"], "pci": "provider", "clients": "machines"}
        want = expected_bytes(tmp_path, in_repo(git_repo, MULTI_TREE), answers,
                              reviewers=["alice@example.com", "bob@example.com"])
        assert out.read_bytes() == want
        att = tomllib.loads(out.read_text())
        assert [a["choice"] for a in att["answers"] if a["question"] == "data"] == [["customer", "payments"]]
        assert [f["raised_by"] for f in att["verdict"]["findings"]] == [["data=customer"], ["data=payments"]]

    async def test_an_exclusive_answer_stands_alone(self, make_app, multi):
        """Selecting "None of these" clears the others and says so; selecting another clears it; space toggles."""
        app = make_app(tree=multi)
        async with app.run_test(size=WIDE) as pilot:
            await at_data(pilot)
            await pilot.press("1", "2")
            assert boxes(app) == ["customer", "payments"]
            await pilot.press("4")
            await pilot.pause()
            assert boxes(app) == ["none"]
            text = flat(screen_text(app))
            assert ("Cleared “Customer personal data”, “Payment card data”: “None of these” stands alone."
                    in text)
            await pilot.press("5")
            await pilot.pause()
            assert boxes(app) == ["dont-know"]
            assert "Cleared “None of these”: “We don't know” stands alone." in flat(screen_text(app))
            await pilot.press("up", "up", "up", "up", "space")  # the highlight is on answer 1
            await pilot.pause()
            assert boxes(app) == ["customer"]
            text = flat(screen_text(app))
            assert "Cleared “We don't know”: it stands alone." in text
            await pilot.press("space")  # toggles it off again: the notice no longer applies
            await pilot.pause()
            assert boxes(app) == [] and "Cleared" not in flat(screen_text(app))
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.question.id == "data", "an empty selection is not an answer"
            assert ("Nothing selected: select every answer that applies, or “None of these” if that is the truth."
                    in flat(screen_text(app)))
            await pilot.press("4", "enter")
            await pilot.pause()
            assert app.screen.question.id == "clients" and app.session.answers["data"] == ("none",)

    async def test_going_back_shows_the_selection_and_a_new_one_reroutes(self, make_app, multi):
        """Back on an answered select-all question: its answers are selected; dropping payments drops PCI."""
        app = make_app(tree=multi)
        async with app.run_test(size=WIDE) as pilot:
            await at_data(pilot)
            await select(pilot, "customer", "payments")
            await pick(pilot, "provider")
            await pilot.press("b", "b")
            await pilot.pause()
            assert app.screen.question.id == "data" and boxes(app) == ["customer", "payments"]
            assert "[x] 1  Customer personal data" in screen_text(app)
            await pilot.press("2", "enter")
            await pilot.pause()
            assert app.screen.question.id == "clients"
            assert app.session.answers == {"stage": "production", "data": ("customer",)}

    async def test_caps_and_moot_questions_in_the_live_verdict_overview_and_summary(self, make_app, multi):
        """A cap reads "At best …: question → answer"; a moot question reads "Not asked: … (moot after …)"."""
        cap = ("At best GO WITH CONDITIONS: Which kinds of data does it touch? Select all that apply. → "
               "Special-category data (health, beliefs)")
        moot = ("Not asked: Do user sessions expire? (moot after Who calls this service? → Only other services "
                "(machine to machine))")
        app = make_app(tree=multi)
        async with app.run_test(size=WIDE) as pilot:
            await at_data(pilot)
            await select(pilot, "special")
            text = panel(app)
            assert "at best GO WITH CONDITIONS" in text and cap in text
            await pick(pilot, "machines")
            assert isinstance(app.screen, SummaryScreen)
            text = flat(screen_text(app))
            assert cap + "." in text, "the headline names the answer that caps the verdict"
            await pilot.press("b")
            await pilot.pause()
            assert app.screen.question.id == "clients"
            text = panel(app)
            assert "Verdict" in text and moot in text and cap in text
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
            text = flat(screen_text(app))
            assert moot in text and "at best GO WITH CONDITIONS: Special-category data" in text
            await pilot.press("up")  # the not-asked line is passed over: no jump target
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "data"

    async def test_rereview_preselects_the_earlier_selection(self, make_app, multi, git_repo):
        """--from: a select-all question that changed is asked again with the earlier answers selected and listed."""
        old = git_repo / ".authready" / "old.toml"
        app = make_app(tree=multi, out=old)
        async with app.run_test(size=WIDE) as pilot:
            await start(pilot, "billing-api")
            await pick(pilot, "production")
            await select(pilot, "customer", "payments")
            await pick(pilot, "provider", "machines")
            await pilot.press("s")
            await pilot.pause()
        assert old.is_file()

        changed = git_repo / "policy" / "multi.toml"
        changed.write_text(MULTI_TREE.read_text().replace("Which kinds of data does it touch?",
                                                          "Which kinds of personal or payment data does it touch?"))
        run_git(git_repo, "commit", "-qam", "the policy changes")
        app = make_app(tree=str(changed), from_attestation=old, out=git_repo / "new.toml")
        async with app.run_test(size=WIDE) as pilot:
            await settled(pilot)
            await start(pilot)
            await pilot.press("f")
            assert app.screen.question.id == "data"
            assert boxes(app) == ["customer", "payments"]
            text = flat(screen_text(app))
            assert ("Changed since the last review: answer again. "
                    "Previously: Customer personal data; Payment card data") in text
            await pilot.press("enter")  # confirms the earlier selection
            await pilot.pause()
            assert app.screen.question.id == "pci" and app.session.answers["data"] == ("customer", "payments")
            await pilot.press("f")
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen), "the other answers were kept"

    async def test_select_all_text_is_shown_literally(self, make_app, git_repo):
        """Markup and escapes in a select-all answer stay data: in the list, the notice and the live verdict."""
        evil = git_repo / "policy" / "evil.toml"
        evil.parent.mkdir(exist_ok=True)
        evil.write_text(MULTI_TREE.read_text()
                        .replace('label = "None of these"', 'label = "[bold red]None[/] \\u001b[31mof these"')
                        .replace('label = "Customer personal data"', 'label = "Customer [i]data[/i]"'))
        run_git(git_repo, "add", "policy")
        run_git(git_repo, "commit", "-qm", "evil")
        app = make_app(tree=load_tree_file(evil))
        async with app.run_test(size=WIDE) as pilot:
            await at_data(pilot)
            await pilot.press("1", "4")
            await pilot.pause()
            text = flat(screen_text(app))
            assert "[bold red]None[/] \\x1b[31mof these" in text and "\x1b[31m" not in text
            assert "Cleared “Customer [i]data[/i]”: “[bold red]None[/] \\x1b[31mof these” stands alone." in text
            await pilot.press("4", "1", "enter")
            await pilot.pause()
            assert "← Customer [i]data[/i]" in panel(app)

    async def test_the_note_returns_to_the_select_all_list(self, make_app, multi):
        """n, type, Enter keeps the note and gives the focus back to the list on screen (nothing is answered)."""
        app = make_app(tree=multi)
        async with app.run_test(size=WIDE) as pilot:
            await at_data(pilot)
            await pilot.press("1", "n")
            app.screen.query_one("#note", Input).value = "billing data only"
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.focused is app.screen.query_one(SelectAllList)
            assert app.screen.question.id == "data" and app.session.notes["data"] == "billing data only"
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.answers["data"] == ("customer",)

    async def test_a_draft_keeps_the_selection(self, make_app, multi, git_repo):
        """Ctrl+C after a select-all answer keeps it in the draft (a list); resuming shows it selected."""
        app = make_app(tree=multi)
        async with app.run_test(size=WIDE) as pilot:
            await start(pilot, "billing-api")
            await pick(pilot, "production")
            await select(pilot, "payments", "customer")
            await pilot.press("ctrl+c")
            await pilot.pause()
        draft = tomllib.loads(app.session.draft_path.read_text())
        assert draft["answers"]["data"] == ["customer", "payments"], "tree order, whatever the order of the keys"
        app = make_app(tree=multi)
        async with app.run_test(size=WIDE) as pilot:
            await settled(pilot)
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "pci"
            await pilot.press("b")
            await pilot.pause()
            assert boxes(app) == ["customer", "payments"]
