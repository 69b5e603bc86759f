"""Plain mode: the real questionary prompts, driven through prompt_toolkit pipe input.

Each test types keys into a pipe (number keys pick a choice, ``h`` help,
``n`` note, ``b`` back, ``\\r`` Enter, ``\\x03`` Ctrl+C, ``\\x15`` clears a
line) and asserts on what was printed and on the attestation bytes written,
usually against ``authready review --answers`` for the same answers.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, run_git, write_answers
from wizard.cli.main import main as cli_main
from wizard.infra.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from wizard.policy.tree import load_tree_file
from wizard.review import drafts
from wizard.ui.plain.prompt import run_plain

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

WHEN = "2026-11-29T10:00:00Z"
CLEAR = "\x15"  # Ctrl+U: clear the pre-filled default
ENTER = "\r"
CTRL_C = "\x03"
START = f"{CLEAR}billing-api{ENTER}{ENTER}{CLEAR}src{ENTER}"  # component, reviewers (git default), paths


def load_draft(root: Path, tree_id: str = "mini"):
    """The one draft of this tree in the repo (fails when there are several)."""
    [info] = drafts.list_drafts(root, tree_id)
    return drafts.load_draft(info.path)


def no_draft(root: Path, tree_id: str = "mini") -> bool:
    return drafts.list_drafts(root, tree_id) == [] and drafts.unreadable_drafts(root, tree_id) == []


def keys_for(tree_path: Path, answers: dict[str, str]) -> str:
    """The keys that answer a fresh review along ``answers`` (the shortcut of each choice, then Enter)."""
    from questionary.prompts.common import InquirerControl

    from wizard.policy.engine import walk

    tree = load_tree_file(tree_path).tree
    free = [k for k in InquirerControl.SHORTCUT_KEYS if k not in "hnob"]
    keys = ""
    for step in walk(tree, answers).steps:
        keys += free[[c.id for c in step.question.choices].index(step.choice.id)] + ENTER
    return keys


def keep_conditions(tree_path: Path | str, answers: dict) -> str:
    """Enter twice per warning the answers raise: each keeps its default owner, then its due date."""
    from wizard.policy.engine import evaluate
    from wizard.policy.tree import resolve_tree

    return ENTER * 2 * len(evaluate(resolve_tree(str(tree_path)).tree, answers).warnings)


class Run:
    """The result of one plain-mode run."""

    def __init__(self, rc: int, text: str, root: Path) -> None:
        self.rc = rc
        self.text = text
        self.root = root

    def attestations(self) -> list[Path]:
        return sorted((self.root / ".authready").glob("*.toml"))


def drive(root: Path, keys: str, *, tree: Path | str = MINI_TREE, **kw) -> Run:
    """Run ``run_plain`` in ``root`` with ``keys`` typed ahead, then the input closed (so a test never hangs:
    a prompt the keys do not cover meets end-of-file)."""
    buf = io.StringIO()
    tree = in_repo(root, tree)
    kw.setdefault("reviewed_at", WHEN)
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        rc = run_plain(tree_ref=str(tree), input=inp, output=DummyOutput(), cwd=root, stream=buf, **kw)
    return Run(rc, buf.getvalue(), root)


def answers_bytes(tmp_path: Path, root: Path, answers: dict[str, str], tree: Path | str = MINI_TREE, **meta) -> bytes:
    """The attestation ``authready review --answers`` writes for the same answers (a None meta value is left out)."""
    import tomli_w

    out = tmp_path / f"from-answers-{len(list(tmp_path.iterdir()))}.toml"
    a = write_answers(tmp_path / "answers.toml", in_repo(root, tree), answers)
    doc = tomllib.loads(a.read_text())
    doc.update(meta)
    a.write_text(tomli_w.dumps({k: v for k, v in doc.items() if v is not None}))
    assert cli_main(["review", "--answers", str(a), "--out", str(out)]) == EXIT_OK
    return out.read_bytes()


SCENARIOS = {
    "go": GO_ANSWERS,
    "conditional": {"stage": "production", "origin": "managed", "expiry": "partly"},
    "no-go invented": {"stage": "production", "origin": "invented", "expiry": "yes"},
    "no-go dont-know": {"stage": "production", "origin": "managed", "expiry": "dont-know"},
    "prototype": {"stage": "prototype", "proto-creds": "no"},
    "prototype with prod creds": {"stage": "prototype", "proto-creds": "yes"},
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_complete_review_matches_answers_file(name, git_repo, tmp_path):
    """Every scenario recorded in plain mode gives the bytes `review --answers` gives."""
    answers = SCENARIOS[name]
    run = drive(git_repo, START + keys_for(MINI_TREE, answers) + keep_conditions(MINI_TREE, answers) + ENTER)
    assert run.rc == EXIT_OK, run.text
    [written] = run.attestations()
    assert written.name == "billing-api.toml"
    assert written.read_bytes() == answers_bytes(tmp_path, git_repo, answers)
    assert no_draft(git_repo), "the draft goes once the attestation is written"
    outcome = tomllib.loads(written.read_text())["verdict"]["label"]
    assert f"Verdict: {outcome}" in run.text
    assert f"{outcome}: wrote {written}" in run.text


def test_verdict_printed_with_findings_and_remediation(git_repo):
    run = drive(git_repo, START + keys_for(MINI_TREE, SCENARIOS["prototype with prod creds"]) + ENTER)
    assert "Verdict: NO-GO" in run.text
    assert "[prod-creds-in-prototype] Prototype uses production credentials" in run.text
    assert "1. Give the prototype its own tenant." in run.text
    assert "2. Rotate the production credentials it saw." in run.text


def test_start_defaults_come_from_git(git_repo, tmp_path):
    """Enter through the start questions: component = folder name, reviewer = git user.email, paths = whole repo."""
    run = drive(git_repo, ENTER * 3 + keys_for(MINI_TREE, GO_ANSWERS) + ENTER)
    assert run.rc == EXIT_OK
    data = tomllib.loads((git_repo / ".authready" / "repo.toml").read_text())
    assert data["subject"]["component"] == "repo"
    assert data["review"]["reviewers"] == ["alice@example.com"]
    assert [p["path"] for p in data["subject"]["paths"]] == ["."]


def test_several_reviewers_and_paths(git_repo, tmp_path):
    (git_repo / "lib").mkdir()
    (git_repo / "lib" / "x.py").write_text("x = 1\n")
    run_git(git_repo, "add", "lib")
    run_git(git_repo, "commit", "-qm", "lib")
    keys = f"{CLEAR}billing-api{ENTER}{CLEAR}alice@example.com, bob@example.com{ENTER}{CLEAR}src, ./lib/{ENTER}"
    run = drive(git_repo, keys + keys_for(MINI_TREE, GO_ANSWERS) + ENTER)
    assert run.rc == EXIT_OK
    expected = answers_bytes(tmp_path, git_repo, GO_ANSWERS, reviewers=["alice@example.com", "bob@example.com"],
                             paths=["src", "lib"])
    assert run.attestations()[0].read_bytes() == expected


def test_start_answers_are_validated(git_repo, tmp_path):
    """Empty component, no reviewer, a missing path, a token: refused at the prompt, asked again."""
    keys = (
        f"{CLEAR}{ENTER}billing-api{ENTER}"  # empty component refused, then typed
        f"{CLEAR}{ENTER}alice@example.com{ENTER}"  # no reviewer refused
        f"{CLEAR}nope{ENTER}{CLEAR}../x{ENTER}{CLEAR}src{ENTER}"  # missing path, outside path refused
    )
    run = drive(git_repo, keys + keys_for(MINI_TREE, GO_ANSWERS) + ENTER)
    assert run.rc == EXIT_OK
    assert run.attestations()[0].read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_going_back_reroutes_and_prunes(git_repo, tmp_path):
    """production -> invented, back twice, switch to prototype: the production branch is dropped."""
    keys = START + "2\r" + "2\r" + "b\r" + "b\r" + "1\r" + "1\r" + ENTER
    run = drive(git_repo, keys)
    assert run.rc == EXIT_OK, run.text
    answers = SCENARIOS["prototype"]
    assert run.attestations()[0].read_bytes() == answers_bytes(tmp_path, git_repo, answers)


def test_back_keeps_later_answers_on_the_path(git_repo, tmp_path):
    """Going back and pressing Enter keeps the answer (it is pre-selected); later answers stay too."""
    keys = START + "2\r" + "2\r" + "b\r" + "b\r" + ENTER + ENTER
    # stage (production, kept) -> origin (invented, kept) -> expiry: not answered yet
    keys += "1\r" + ENTER
    run = drive(git_repo, keys)
    assert run.rc == EXIT_OK, run.text
    answers = SCENARIOS["no-go invented"]
    assert run.attestations()[0].read_bytes() == answers_bytes(tmp_path, git_repo, answers)


def test_back_from_the_verdict_changes_the_last_answer(git_repo, tmp_path):
    keys = START + keys_for(MINI_TREE, GO_ANSWERS) + "b\r" + "2\r" + ENTER * 2 + ENTER  # keep the warning's owner, date
    run = drive(git_repo, keys)
    assert run.rc == EXIT_OK
    assert "Verdict: GO\n" in run.text and "Verdict: GO WITH CONDITIONS" in run.text
    expected = answers_bytes(tmp_path, git_repo, SCENARIOS["conditional"])
    assert run.attestations()[0].read_bytes() == expected


def test_help_shows_why_and_reference_titles(git_repo):
    run = drive(git_repo, START + "h\r" + keys_for(MINI_TREE, GO_ANSWERS) + ENTER)
    assert run.rc == EXIT_OK
    assert "Why this matters: Prototype exceptions only hold while the blast radius is small." in run.text
    assert "NHI7:2025: OWASP NHI Top 10 2025: Long-Lived Secrets" in run.text


def test_notes_are_recorded_like_an_answers_file(git_repo, tmp_path):
    keys = START + "n\rPublic API, customer data.\r" + "2\r" + "1\r" + "n\rTTL 15 min\r" + "1\r" + ENTER
    run = drive(git_repo, keys)
    assert run.rc == EXIT_OK, run.text
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS)
    doc = tomllib.loads(a.read_text())
    import tomli_w

    doc["notes"] = {"stage": "Public API, customer data.", "expiry": "TTL 15 min"}
    a.write_text(tomli_w.dumps(doc))
    assert cli_main(["review", "--answers", str(a), "--out", str(tmp_path / "o.toml")]) == EXIT_OK
    assert run.attestations()[0].read_bytes() == (tmp_path / "o.toml").read_bytes()


def test_a_note_that_looks_like_a_token_is_refused_at_the_prompt(git_repo):
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"
    keys = START + f"n\r{token}\r{CLEAR}see ticket 42\r" + keys_for(MINI_TREE, GO_ANSWERS) + ENTER
    run = drive(git_repo, keys)
    assert run.rc == EXIT_OK
    text = run.attestations()[0].read_text()
    assert token not in text and 'note = "see ticket 42"' in text


def test_ctrl_c_keeps_the_draft_and_resume_finishes(git_repo, tmp_path):
    err = io.StringIO()
    run = drive(git_repo, START + "2\r" + "1\r" + CTRL_C, err=err)
    assert run.rc == EXIT_INTERRUPTED
    assert run.attestations() == []
    assert "interrupted; nothing was written. 2 answers kept in the draft" in err.getvalue()
    draft = load_draft(git_repo, "mini")
    assert draft.answers == {"stage": "production", "origin": "managed"}
    assert draft.component == "billing-api" and draft.position == 2

    # Resume: confirm, then only the remaining question is asked.
    run = drive(git_repo, "y" + "1\r" + ENTER)
    assert run.rc == EXIT_OK, run.text
    assert "Resuming billing-api at question 3." in run.text
    assert run.attestations()[0].read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_ctrl_c_during_start_keeps_nothing_to_resume(git_repo):
    err = io.StringIO()
    run = drive(git_repo, CTRL_C, err=err)
    assert run.rc == EXIT_INTERRUPTED
    assert err.getvalue().strip() == "authready: interrupted; nothing was written."
    assert no_draft(git_repo)


def test_declining_the_draft_starts_afresh(git_repo, tmp_path):
    drive(git_repo, START + "1\r" + CTRL_C, err=io.StringIO())
    assert load_draft(git_repo, "mini").answers == {"stage": "prototype"}
    run = drive(git_repo, "n" + START + "2\r" + keys_for(MINI_TREE, GO_ANSWERS) + ENTER)  # 2: replace the draft
    assert run.rc == EXIT_OK
    assert run.attestations()[0].read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_resume_from_draft_written_elsewhere(git_repo, tmp_path):
    """A draft from the other front-end (same Session format) resumes here."""
    from wizard.review.session import Meta, Session
    from wizard.policy.tree import resolve_tree

    s = Session(resolve_tree(str(MINI_TREE)), git_repo, True, Meta("billing-api", ["alice@example.com"], ["src"]))
    s.answer("production", "from the TUI")
    s.answer("invented")
    s.back()
    s.save_draft()  # position 1: origin, with "invented" pre-selected
    run = drive(git_repo, "y" + "1\r" + "1\r" + ENTER)
    assert run.rc == EXIT_OK, run.text
    text = run.attestations()[0].read_text()
    assert 'choice = "managed"' in text and 'note = "from the TUI"' in text


def test_eof_mid_review_writes_nothing_and_keeps_the_draft(git_repo):
    err = io.StringIO()
    run = drive(git_repo, START + "2\r", err=err)
    assert run.rc == EXIT_USAGE
    assert run.attestations() == []
    msg = err.getvalue()
    assert "input ended before the review was finished; nothing was written. 1 answer kept in the draft" in msg
    assert load_draft(git_repo, "mini").answers == {"stage": "production"}


def test_eof_at_the_first_prompt(git_repo):
    err = io.StringIO()
    run = drive(git_repo, "", err=err)
    assert run.rc == EXIT_USAGE
    assert "input ended" in err.getvalue()
    assert not (git_repo / ".authready").exists()


def test_eof_at_the_verdict(git_repo):
    run = drive(git_repo, START + keys_for(MINI_TREE, GO_ANSWERS), err=io.StringIO())
    assert run.rc == EXIT_USAGE
    assert run.attestations() == []
    assert load_draft(git_repo, "mini").answers == GO_ANSWERS


def test_quit_at_the_verdict_keeps_the_draft(git_repo):
    run = drive(git_repo, START + keys_for(MINI_TREE, GO_ANSWERS) + "q\r")
    assert run.rc == EXIT_OK
    assert run.attestations() == []
    assert "the draft is kept" in run.text
    assert load_draft(git_repo, "mini").answers == GO_ANSWERS


def test_existing_attestation_is_never_overwritten(git_repo, tmp_path):
    drive(git_repo, START + keys_for(MINI_TREE, GO_ANSWERS) + ENTER)
    first = (git_repo / ".authready" / "billing-api.toml").read_bytes()
    keys = (START + keys_for(MINI_TREE, SCENARIOS["conditional"]) + ENTER * 2 + ENTER + "a\r"
            + ".authready/billing-api-2.toml\r")
    run = drive(git_repo, keys)
    assert run.rc == EXIT_OK, run.text
    assert "already exists" in run.text
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == first
    second = (git_repo / ".authready" / "billing-api-2.toml").read_bytes()
    assert second == answers_bytes(tmp_path, git_repo, SCENARIOS["conditional"])


def test_out_and_source_date_epoch(git_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    out = tmp_path / "elsewhere" / "att.toml"
    run = drive(git_repo, START + keys_for(MINI_TREE, GO_ANSWERS) + ENTER, out=out, reviewed_at=None)
    assert run.rc == EXIT_OK
    assert out.read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS, reviewed_at=None)


# -- re-review with --from -----------------------------------------------------------------------------


def _changed_tree(tmp_path: Path) -> Path:
    """The mini tree with the expiry question reworded (and the version bumped)."""
    text = MINI_TREE.read_text().replace('version = "1.2.0"', 'version = "1.3.0"')
    text = text.replace("Can the team explain how expiry is handled?", "Can the team explain token expiry and rotation?")
    p = tmp_path / "mini-changed.toml"
    p.write_text(text)
    return p


def _previous(tmp_path: Path, git_repo: Path, answers=GO_ANSWERS) -> Path:
    a = write_answers(tmp_path / "prev.toml", in_repo(git_repo), answers, notes={"origin": "Entra ID"})
    prev = tmp_path / "previous.toml"
    assert cli_main(["review", "--answers", str(a), "--out", str(prev)]) == EXIT_OK
    return prev


def test_from_prefills_everything(git_repo, tmp_path):
    """Enter through a re-review of an unchanged policy: the same bytes as the previous attestation."""
    prev = _previous(tmp_path, git_repo)
    out = tmp_path / "again.toml"
    run = drive(git_repo, ENTER * 3 + ENTER * 3 + ENTER, from_attestation=prev, out=out)
    assert run.rc == EXIT_OK, run.text
    assert out.read_bytes() == prev.read_bytes()


def test_from_asks_changed_questions_again(git_repo, tmp_path):
    prev = _previous(tmp_path, git_repo)
    changed = _changed_tree(tmp_path)
    out = tmp_path / "again.toml"
    # start: Enter x3; stage, origin: keep; expiry changed: pick 'partly' (2); keep its warning's owner, date; save
    run = drive(git_repo, ENTER * 3 + ENTER + ENTER + "2\r" + ENTER * 2 + ENTER, tree=changed, from_attestation=prev, out=out)
    assert run.rc == EXIT_OK, run.text
    assert "1 question(s) changed since that review and must be answered again: expiry" in run.text
    assert "Question 3 changed since the last review; answer it again (previously: Yes, short TTLs)." in run.text
    data = tomllib.loads(out.read_text())
    assert [a["choice"] for a in data["answers"]] == ["production", "managed", "partly"]
    assert data["answers"][1]["note"] == "Entra ID"
    assert data["answers"][2]["asked"] == "Can the team explain token expiry and rotation?"


def test_from_changed_question_no_longer_on_the_path(git_repo, tmp_path):
    """A changed question the new path leaves behind does not block saving."""
    prev = _previous(tmp_path, git_repo)
    changed = _changed_tree(tmp_path)
    out = tmp_path / "again.toml"
    run = drive(git_repo, ENTER * 3 + "1\r" + "1\r" + ENTER, tree=changed, from_attestation=prev, out=out)
    assert run.rc == EXIT_OK, run.text
    assert [a["choice"] for a in tomllib.loads(out.read_text())["answers"]] == ["prototype", "no"]


def test_from_another_tree_is_refused(git_repo, tmp_path):
    from wizard.infra.errors import AuthreadyError

    prev = _previous(tmp_path, git_repo)
    other = tmp_path / "other.toml"
    other.write_text(MINI_TREE.read_text().replace('id = "mini"', 'id = "other"', 1))
    with pytest.raises(AuthreadyError, match="judged against tree 'mini'"):
        drive(git_repo, "", tree=other, from_attestation=prev)


def test_from_finds_the_tree_by_itself(git_repo, tmp_path):
    """Without --tree, the tree named in the attestation is used (here a repo-local file)."""
    local = git_repo / "policy" / "mini.toml"
    local.parent.mkdir()
    local.write_text(MINI_TREE.read_text())
    a = write_answers(tmp_path / "prev.toml", str(local), GO_ANSWERS)
    prev = tmp_path / "previous.toml"
    assert cli_main(["review", "--answers", str(a), "--out", str(prev)]) == EXIT_OK
    buf = io.StringIO()
    with create_pipe_input() as inp:
        inp.send_text(ENTER * 7)
        rc = run_plain(from_attestation=prev, out=tmp_path / "again.toml", input=inp, output=DummyOutput(),
                       cwd=git_repo, stream=buf, reviewed_at=WHEN)
    assert rc == EXIT_OK, buf.getvalue()
    assert (tmp_path / "again.toml").read_bytes() == prev.read_bytes()


# -- literal rendering, imports, the command line --------------------------------------------------------


def test_tree_text_is_shown_literally(git_repo, tmp_path):
    text = MINI_TREE.read_text().replace(
        'help = "Prototype exceptions only hold while the blast radius is small."',
        'help = "[bold]Not markup[/bold] \\u001b[31mnot red\\u001b[0m <b>x</b>"',
    )
    tree = tmp_path / "odd.toml"
    tree.write_text(text)
    run = drive(git_repo, START + "h\r" + keys_for(tree, GO_ANSWERS) + ENTER, tree=tree)
    assert run.rc == EXIT_OK
    assert "[bold]Not markup[/bold] \\x1b[31mnot red\\x1b[0m <b>x</b>" in run.text
    assert "\x1b" not in run.text


def test_importing_the_module_does_not_import_questionary():
    code = "import sys, wizard.ui.plain.prompt; print('questionary' in sys.modules, 'prompt_toolkit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_fast_start_finds_what_the_core_loads(git_repo, tmp_path):
    """Before the first prompt the tree file and drafts are found without parsing; they match what the core loads."""
    from wizard.infra import workspace
    from wizard.policy.tree import resolve_tree
    from wizard.review.session import Session
    from wizard.ui.plain.boot import tree_file

    assert tree_file(None) == resolve_tree(None).path
    assert tree_file(str(MINI_TREE)) == MINI_TREE
    assert tree_file("no-such-tree") is None
    assert workspace.peek_tree_id(MINI_TREE) == "mini"
    shipped = resolve_tree(None)
    assert workspace.peek_tree_id(shipped.path) == shipped.tree.id
    assert drafts.list_drafts(git_repo, "mini") == []
    s = Session(resolve_tree(str(MINI_TREE)), git_repo, True)
    s.answer("production")
    [info] = drafts.list_drafts(git_repo, "mini")
    assert (info.component, info.answered, info.path) == ("repo", 1, s.draft_path)


def test_workspace_stays_free_of_pydantic():
    """The fast start depends on it: wizard.infra.workspace must not pull in the models."""
    code = "import sys, wizard.infra.workspace, wizard.ui.plain.prompt; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_an_unreadable_draft_is_reported_not_dropped(git_repo, tmp_path):
    """A draft that cannot be read is named (and left as it is); the review goes on."""
    bad = drafts.draft_path(git_repo, "mini", "billing-api")
    bad.parent.mkdir(parents=True)
    bad.write_text("answers = [")
    run = drive(git_repo, START + keys_for(MINI_TREE, GO_ANSWERS) + ENTER)
    assert f"A draft could not be read and is left as it is: {bad}: malformed TOML" in run.text
    assert run.rc == EXIT_OK, run.text
    assert run.attestations()[0].read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_first_prompt_comes_before_pydantic(git_repo):
    """On a first review the start questions are asked before the tree (and pydantic) is loaded."""
    code = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from prompt_toolkit.input import create_pipe_input\n"
        "from prompt_toolkit.output import DummyOutput\n"
        "import wizard.ui.plain.prompt as p\n"
        "seen = []\n"
        "real = p.Prompts.text\n"
        "def text(self, *a, **k):\n"
        "    seen.append('pydantic' in sys.modules)\n"
        "    return real(self, *a, **k)\n"
        "p.Prompts.text = text\n"
        "with create_pipe_input() as inp:\n"
        "    inp.send_text('\\x03')\n"
        f"    rc = p.run_plain(tree_ref={str(in_repo(git_repo))!r}, input=inp, output=DummyOutput(), cwd=Path('.'))\n"
        "print(rc, seen)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=git_repo)
    assert out.stdout.split("\n")[-2] == "130 [False]", out.stderr
    # With a draft, the resume question also comes before pydantic.
    drive(git_repo, START + "2\r" + CTRL_C, err=io.StringIO())
    code = code.replace("Prompts.text", "Prompts.confirm").replace("p.Prompts.text = text", "p.Prompts.confirm = text")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=git_repo)
    assert out.stdout.split("\n")[-2] == "130 [False]", out.stderr


def test_plain_without_a_terminal_uses_line_mode(git_repo):
    """No terminal: line prompts (tests/ui/plain/test_line_mode.py); empty input ends at once, exit 2, nothing written."""
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "review", "--plain", "--tree", str(MINI_TREE)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=git_repo,
    )
    assert proc.returncode == EXIT_USAGE
    assert "line mode" in proc.stdout and "\x1b" not in proc.stdout
    assert "Component under review [repo] (Enter keeps it):" in proc.stdout
    [line] = proc.stderr.splitlines()
    assert "input ended" in line and "--answers" in line
    assert not (git_repo / ".authready").exists()


def test_questionary_text_is_wrapped_and_cpr_is_off(monkeypatch):
    """Words are never split at the margin; cursor-position queries are off unless the user says otherwise."""
    from wizard.ui.plain.prompts import _questionary
    from wizard.ui.plain.text import wrap

    monkeypatch.delenv("PROMPT_TOOLKIT_NO_CPR", raising=False)
    _questionary()
    import os

    assert os.environ["PROMPT_TOOLKIT_NO_CPR"] == "1"
    text = "Can the team explain how expiry is handled after a refresh token is revoked mid-job by the provider?"
    lines = wrap(text, 2, 2, width=40).split("\n")
    assert len(lines) > 1 and all(len(line) + (2 if i == 0 else 0) < 40 for i, line in enumerate(lines))
    assert " ".join(" ".join(lines).split()) == text


@pytest.mark.slow
def test_under_a_real_terminal(git_repo, tmp_path, monkeypatch):
    """End to end through `authready review --plain` in a pty: a whole review, then the file."""
    import os

    pexpect = pytest.importorskip("pexpect")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    child = pexpect.spawn(
        sys.executable, ["-m", "wizard", "review", "--plain", "--tree", str(in_repo(git_repo))],
        cwd=str(git_repo), env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}, encoding="utf-8", timeout=30, dimensions=(40, 120),
    )
    child.expect("Component under review")
    child.send(CLEAR + "billing-api\r")
    child.expect("Reviewers")
    child.send("\r")
    child.expect("Subject paths")
    child.send(CLEAR + "src\r")
    for text, key in (("Where will this code run", "2"), ("Where does the auth", "1"), ("explain how expiry", "1")):
        child.expect(text)
        child.send(key + "\r")
    child.expect("Save it")
    child.send("\r")
    child.expect("next: authready sign")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    expected = answers_bytes(tmp_path, git_repo, GO_ANSWERS, reviewed_at=None)
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == expected


@pytest.mark.slow
def test_ctrl_c_under_a_real_terminal(git_repo):
    import os

    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable, ["-m", "wizard", "review", "--plain", "--tree", str(in_repo(git_repo))],
        cwd=str(git_repo), env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1"}, encoding="utf-8", timeout=30, dimensions=(40, 120),
    )
    child.expect("Component under review")
    child.send("\r\r\r")
    child.expect("Where will this code run")
    child.send("2\r")
    child.expect("Where does the auth code come from")
    child.sendcontrol("c")
    child.expect("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == EXIT_INTERRUPTED
    assert load_draft(git_repo, "mini").answers == {"stage": "production"}


# -- the shipped policy --------------------------------------------------------------------------------


@pytest.mark.slow
def test_shipped_tree_scenarios_match_answers_files(git_repo, tmp_path):
    """One scenario per outcome of the shipped policy, recorded in plain mode, matches --answers byte for byte."""
    from wizard.infra.workspace import shipped_trees_dir

    tree = shipped_trees_dir() / "generated-auth-code.toml"
    assert tree.is_file(), "the shipped tree is missing"
    scen = tomllib.loads((tree.parent / "generated-auth-code.scenarios.toml").read_text())["scenarios"]
    per_outcome: dict[str, dict] = {}
    for sc in scen:  # the longest path for each outcome
        if sc.get("outcome") and len(sc["answers"]) > len(per_outcome.get(sc["outcome"], {}).get("answers", {})):
            per_outcome[sc["outcome"]] = sc
    done = 0
    for i, sc in enumerate(per_outcome.values()):
        out = tmp_path / f"plain-{i}.toml"
        keys = START + keys_for(tree, sc["answers"]) + keep_conditions(tree, sc["answers"]) + ENTER
        run = drive(git_repo, keys, tree="generated-auth-code", out=out)
        assert run.rc == EXIT_OK, (sc["name"], run.text)
        assert out.read_bytes() == answers_bytes(tmp_path, git_repo, sc["answers"], tree="generated-auth-code"), sc["name"]
        done += 1
    assert done == 4, sorted(per_outcome)
