"""Line mode: `authready review --plain` through a pipe (and a pty), as a screen reader or a script uses it.

Every test runs the real command in a subprocess inside a temp git repo and
types whole lines; attestations are compared byte for byte with what
`authready review --answers` writes for the same answers and clock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, run_git

pytestmark = pytest.mark.slow  # end-to-end flows: run by scripts/test and CI, not the quick loop

EPOCH = "1790000000"
START = "billing-api\n\nsrc\n"  # component, reviewers (the git default), paths
SCENARIOS = {
    "go": GO_ANSWERS,
    "conditional": {"stage": "production", "origin": "managed", "expiry": "partly"},
    "no-go invented": {"stage": "production", "origin": "invented", "expiry": "yes"},
    "no-go dont-know": {"stage": "production", "origin": "managed", "expiry": "dont-know"},
    "prototype": {"stage": "prototype", "proto-creds": "no"},
    "prototype with prod creds": {"stage": "prototype", "proto-creds": "yes"},
}
KEEP_CONDITION = "\n\n"  # Enter keeps the warning's owner and due date (the conditional scenario's one warning)


def review(repo: Path, typed: str, *args: str, tree: Path | str = MINI_TREE, env: dict | None = None,
           plain: bool = True) -> subprocess.CompletedProcess:
    """`authready review --plain --tree TREE ARGS` with ``typed`` piped in (then EOF); bytes out."""
    tree = in_repo(repo, tree)
    argv = [sys.executable, "-m", "wizard", "review", *(["--plain"] if plain else []), "--tree", str(tree), *args]
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run(argv, input=typed.encode(), capture_output=True, cwd=repo, env=full_env, timeout=60)


def lines_for(answers: dict[str, str], tree: Path | str = MINI_TREE) -> str:
    """The numbers that answer a fresh review along ``answers``, one per line."""
    from wizard.policy.engine import walk
    from wizard.policy.tree import resolve_tree

    t = resolve_tree(str(tree)).tree
    return "".join(f"{[c.id for c in s.question.choices].index(s.choice.id) + 1}\n" for s in walk(t, answers).steps)


def answers_bytes(tmp_path: Path, repo: Path, answers: dict[str, str], tree: Path | str = MINI_TREE,
                  notes: dict[str, str] | None = None, **meta) -> bytes:
    """What `authready review --answers` writes for the same answers (same SOURCE_DATE_EPOCH)."""
    import tomli_w

    doc = {"tree": str(in_repo(repo, tree)), "component": "billing-api", "reviewers": ["alice@example.com"], "paths": ["src"]}
    doc.update(meta)
    doc["answers"] = answers
    if notes:
        doc["notes"] = notes
    n = len(list(tmp_path.iterdir()))
    a = tmp_path / f"answers-{n}.toml"
    a.write_text(tomli_w.dumps(doc))
    out = tmp_path / f"from-answers-{n}.toml"
    proc = subprocess.run([sys.executable, "-m", "wizard", "review", "--answers", str(a), "--out", str(out)],
                          capture_output=True, text=True, cwd=repo, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


def flat(text: str) -> str:
    """Text with its wrapping undone (line mode wraps at the terminal width, 80 through a pipe)."""
    return " ".join(text.split())


def draft(repo: Path, component: str = "billing-api") -> dict:
    return tomllib.loads((repo / ".authready" / "drafts" / f"mini--{component}.toml").read_text())


def attestations(repo: Path) -> list[Path]:
    return sorted((repo / ".authready").glob("*.toml"))


# -- a whole review through a pipe ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_piped_review_writes_the_answers_file_bytes(name, git_repo, tmp_path):
    answers = SCENARIOS[name]
    proc = review(git_repo, START + lines_for(answers) + (KEEP_CONDITION if name == "conditional" else "") + "y\n")
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    [written] = attestations(git_repo)
    assert written.read_bytes() == answers_bytes(tmp_path, git_repo, answers)
    out = proc.stdout.decode()
    label = tomllib.loads(written.read_text())["verdict"]["label"]
    assert f"Verdict: {label}. " in out
    assert f"{label}: wrote .authready/billing-api.toml\nnext: authready sign .authready/billing-api.toml" in out
    assert list((git_repo / ".authready" / "drafts").glob("*.toml")) == []


def test_output_through_a_pipe_has_no_escape_bytes(git_repo):
    typed = START + "h\n?\no\nn\na note\n" + "2\n" + "b\n" + "\n" + "1\nr\n" + "1\n" + "y\n"
    proc = review(git_repo, typed)
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in proc.stdout and b"\x1b" not in proc.stderr
    assert b"\r" not in proc.stdout


def test_each_question_once_then_a_short_confirmation(git_repo):
    out = review(git_repo, START + lines_for(GO_ANSWERS) + "y\n").stdout.decode()
    assert out.count("Where will this code run?") == 1
    assert "Question 1 of about 3 — Stage\nWhere will this code run?\n1 A prototype\n2 Production\nAnswer 1 to 2:" in out
    assert "→ 2 Production\n" in out and "→ 1 Managed identity …\n" in out
    assert "Question 2 of about 3\n" in out, "the area is announced when it changes"
    assert " ".join(out.split()).count("h why the question matters") == 1, "the keys are explained once, at the start"
    assert "Verdict: GO. 0 blockers, 0 warnings.\nWarning: this verdict needs 2 distinct signers but 1 reviewer(s)" in out
    assert "it can never pass.\nSave to .authready/billing-api.toml? [Y/n]" in out
    assert "Warning: 1 reviewer(s) listed, but GO needs 2 distinct signers" in out  # said before the first question


def test_verdict_then_findings_and_remediation_in_order(git_repo):
    proc = review(git_repo, START + lines_for(SCENARIOS["prototype with prod creds"]) + "r\ny\n")
    out = proc.stdout.decode()
    verdict = out.index("Verdict: NO-GO. 1 blocker, 0 warnings.")
    finding = out.index("Blocker: Prototype uses production credentials (from proto-creds=yes).")
    step1 = out.index("  1. Give the prototype its own tenant.")
    step2 = out.index("  2. Rotate the production credentials it saw.")
    save = out.index("Save to .authready/billing-api.toml?")
    refs = out.index("  - NHI7:2025: OWASP NHI Top 10 2025: Long-Lived Secrets")
    assert verdict < finding < step1 < step2 < save < refs
    assert proc.returncode == 0


# -- what never records an answer -----------------------------------------------------------------------


def test_blank_and_out_of_range_lines_never_answer(git_repo):
    proc = review(git_repo, START + "\n" + "3\n" + "0\n" + "-1\n" + "yes\n")
    assert proc.returncode == 2
    out = proc.stdout.decode()
    assert out.count("Type a number from 1 to 2.") == 5
    assert out.count("Where will this code run?") == 1, "the question is not repeated"
    assert draft(git_repo)["answers"] == {}
    assert attestations(git_repo) == []


def test_eof_keeps_the_draft_and_exits_2(git_repo):
    proc = review(git_repo, START + "2\n1\n")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1
    assert "input ended before the review was finished; nothing was written. 2 answers kept in the draft " \
           ".authready/drafts/mini--billing-api.toml" in err
    assert draft(git_repo)["answers"] == {"stage": "production", "origin": "managed"}
    assert attestations(git_repo) == []


def test_eof_at_the_first_prompt_points_to_answers_files(git_repo):
    proc = review(git_repo, "")
    assert proc.returncode == 2
    [line] = proc.stderr.decode().splitlines()
    assert "nothing was written" in line and "--answers" in line
    assert not (git_repo / ".authready").exists()


def test_resume_the_draft_enter_keeps_announced_answers(git_repo, tmp_path):
    review(git_repo, START + "2\n2\n")  # production, invented; then EOF
    proc = review(git_repo, "\n" + "b\n" + "\n" + "1\n" + "y\n")  # resume; back to origin: the answer is announced
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert "Resume the unfinished review of billing-api (2 answers, last changed just now)? [Y/n]" in flat(out)
    assert "Earlier answer: 2 An invented flow." in out and "Answer 1 to 2 (Enter keeps 2):" in out
    assert attestations(git_repo)[0].read_bytes() == answers_bytes(tmp_path, git_repo, SCENARIOS["no-go invented"])


def test_enter_without_an_announced_default_does_not_answer(git_repo):
    proc = review(git_repo, START + "2\n" + "b\n" + "\n")  # back to stage: production is announced, Enter keeps it
    assert "Answer 1 to 2 (Enter keeps 2):" in proc.stdout.decode()
    assert draft(git_repo)["answers"] == {"stage": "production"}
    proc = review(git_repo, "n\n" + START + "2\n" + "\n")  # decline the draft, replace it: Enter is refused
    assert "Type a number from 1 to 2." in proc.stdout.decode()
    assert draft(git_repo)["answers"] == {}


# -- start questions ---------------------------------------------------------------------------------------


def test_start_defaults_are_stated_never_prefilled(git_repo, tmp_path):
    proc = review(git_repo, "billing\n\n\n" + lines_for(GO_ANSWERS) + "y\n")
    out = proc.stdout.decode()
    assert "Component under review [repo] (Enter keeps it):" in out
    assert "Reviewers, comma-separated [alice@example.com] (Enter keeps it):" in out
    assert "Subject paths, relative to the repo root, comma-separated [.] (Enter keeps it):" in out
    data = tomllib.loads((git_repo / ".authready" / "billing.toml").read_text())
    assert data["subject"]["component"] == "billing", "typing replaces the default (never 'repobilling')"
    assert [p["path"] for p in data["subject"]["paths"]] == ["."]


def test_start_answers_are_validated(git_repo, tmp_path):
    (git_repo / "lib").mkdir()
    (git_repo / "lib" / "x.py").write_text("x = 1\n")
    run_git(git_repo, "add", "lib")
    run_git(git_repo, "commit", "-qm", "lib")
    typed = "billing-api\n" + "alice@example.com, bob@example.com\n" + "nope\n../x\nsrc, ./lib/\n"
    proc = review(git_repo, typed + lines_for(GO_ANSWERS) + "y\n")
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert "'nope' does not exist under" in out
    expected = answers_bytes(tmp_path, git_repo, GO_ANSWERS, reviewers=["alice@example.com", "bob@example.com"],
                             paths=["src", "lib"])
    assert attestations(git_repo)[0].read_bytes() == expected


# -- keys --------------------------------------------------------------------------------------------------


def test_help_overview_and_go_to(git_repo, tmp_path):
    typed = START + "h\n" + "2\n" + "2\n" + "o\n" + "g 1\n" + "1\n" + "1\n" + "y\n"
    proc = review(git_repo, typed, env={"COLUMNS": "200"})
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert "Why it matters: Prototype exceptions only hold while the blast radius is small." in out
    assert "  - NHI7:2025: OWASP NHI Top 10 2025: Long-Lived Secrets" in out
    assert ("  1 Where will this code run? — Production\n"
            "  2 Where does the auth code come from? — An invented flow [blocker: Invented auth flow]\n"
            "  3 Can the team explain how expiry is handled? — not answered yet (this question)\n") in out
    assert attestations(git_repo)[0].read_bytes() == answers_bytes(tmp_path, git_repo, SCENARIOS["prototype"])


def test_notes_match_an_answers_file_and_credentials_are_refused(git_repo, tmp_path):
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"
    typed = START + f"n\nPublic API, customer data.\n2\n1\nn\n{token}\nTTL 15 min\n1\ny\n"
    proc = review(git_repo, typed)
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert 'note on "Can the team explain how expiry is handled?" looks like it contains a GitHub token' in flat(out)
    assert token not in out
    notes = {"stage": "Public API, customer data.", "expiry": "TTL 15 min"}
    assert attestations(git_repo)[0].read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS, notes=notes)


def test_back_at_the_verdict_and_quit_keeps_the_draft(git_repo):
    proc = review(git_repo, START + lines_for(GO_ANSWERS) + "b\n2\n" + KEEP_CONDITION + "n\n")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "Verdict: GO. " in out and "Verdict: GO WITH CONDITIONS. 0 blockers, 1 warning." in out
    assert "Nothing written; the draft is kept in .authready/drafts/mini--billing-api.toml." in out
    assert attestations(git_repo) == []
    assert draft(git_repo)["answers"]["expiry"] == "partly"


@pytest.mark.slow
def test_existing_attestation_is_never_overwritten(git_repo, tmp_path):
    review(git_repo, START + lines_for(GO_ANSWERS) + "y\n")
    first = (git_repo / ".authready" / "billing-api.toml").read_bytes()
    proc = review(git_repo, START + lines_for(SCENARIOS["conditional"]) + KEEP_CONDITION + "\n" + "y\n")
    out = proc.stdout.decode()
    assert proc.returncode == 0, out
    assert ".authready/billing-api.toml already exists" in out
    assert "Save to another path [.authready/billing-api-2.toml] (Enter keeps it" in out
    assert (git_repo / ".authready" / "billing-api.toml").read_bytes() == first
    second = (git_repo / ".authready" / "billing-api-2.toml").read_bytes()
    assert second == answers_bytes(tmp_path, git_repo, SCENARIOS["conditional"])


def test_uncommitted_changes_are_named_and_asked(git_repo, tmp_path):
    (git_repo / "src" / "auth.py").write_text("def login():\n    return 'changed'\n")
    proc = review(git_repo, START + lines_for(GO_ANSWERS) + "\n")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "Uncommitted changes under the subject paths: src/auth.py." in out
    assert attestations(git_repo) == [] and draft(git_repo)["answers"] == GO_ANSWERS
    proc = review(git_repo, "\n" + "y\n" + "y\n")  # resume at the end, bind HEAD, save
    assert proc.returncode == 0, proc.stdout.decode()
    run_git(git_repo, "checkout", "--", "src")  # --answers refuses a dirty tree; both bind HEAD
    assert attestations(git_repo)[0].read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)


def test_from_re_review_enter_keeps_every_announced_answer(git_repo, tmp_path):
    prev = tmp_path / "previous.toml"
    prev.write_bytes(answers_bytes(tmp_path, git_repo, GO_ANSWERS, notes={"origin": "Entra ID"}))
    out = tmp_path / "again.toml"
    proc = review(git_repo, "\n" * 7, "--from", str(prev), "--out", str(out))
    assert proc.returncode == 0, proc.stdout.decode()
    assert "Component under review [billing-api] (Enter keeps it):" in proc.stdout.decode()
    assert out.read_bytes() == prev.read_bytes()


# -- width, modes, imports ---------------------------------------------------------------------------------


def test_text_is_wrapped_at_word_boundaries(git_repo):
    proc = review(git_repo, START + "h\n" + lines_for(GO_ANSWERS) + "y\n", env={"COLUMNS": "40"})
    lines = proc.stdout.decode().splitlines()
    assert max(len(line) for line in lines) <= 40
    words = set(proc.stdout.decode().split())
    assert {"Prototype", "exceptions", "blast", "radius"} <= words


def test_tree_text_is_shown_literally(git_repo, tmp_path):
    text = MINI_TREE.read_text().replace(
        'help = "Prototype exceptions only hold while the blast radius is small."',
        'help = "\\u001b[31mnot red\\u001b[0m"',
    )
    tree = tmp_path / "odd.toml"
    tree.write_text(text)
    proc = review(git_repo, START + "h\n", tree=tree)
    assert b"\\x1b[31mnot red\\x1b[0m" in proc.stdout and b"\x1b" not in proc.stdout


def test_line_mode_never_imports_questionary(git_repo):
    code = (
        "import io, sys\n"
        "from wizard.ui.plain.line import run_line\n"
        f"rc = run_line(tree_ref={str(in_repo(git_repo))!r}, stdin=io.StringIO('billing-api\\n\\nsrc\\n2\\n'),"
        " stdout=io.StringIO(), stderr=io.StringIO())\n"
        "print(rc, sorted({m.split('.')[0] for m in sys.modules} & {'questionary', 'prompt_toolkit', 'textual'}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=git_repo)
    assert proc.stdout.strip() == "2 []", proc.stderr


def test_accessible_goes_with_the_interactive_review_only(git_repo, tmp_path):
    proc = review(git_repo, "", "--accessible", "--answers", str(tmp_path / "a.toml"), plain=False)
    assert proc.returncode == 2 and b"--accessible and --answers do not go together" in proc.stderr


# -- through a pty -----------------------------------------------------------------------------------------


def _spawn(repo: Path, *args: str, env: dict):
    pexpect = pytest.importorskip("pexpect")
    return pexpect.spawn(
        sys.executable, ["-m", "wizard", "review", "--tree", str(in_repo(repo)), *args],
        cwd=str(repo), env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env}, timeout=30, dimensions=(24, 80),
    )


@pytest.mark.slow
@pytest.mark.parametrize("how", [("--accessible",), ("--plain", "ACCESSIBLE"), ("--plain", "TERM=dumb")])
def test_under_a_pty_line_mode_when_asked(git_repo, tmp_path, how):
    """A complete review in a real terminal: --accessible, ACCESSIBLE=1 or TERM=dumb select line mode."""
    pexpect = pytest.importorskip("pexpect")
    env = {"TERM": "xterm"}
    if "ACCESSIBLE" in how:
        env["ACCESSIBLE"] = "1"
    if "TERM=dumb" in how:
        env["TERM"] = "dumb"
    child = _spawn(git_repo, how[0], env=env)
    child.expect("Component under review \\[repo\\] \\(Enter keeps it\\): ")
    child.sendline("billing-api")
    child.expect("Reviewers")
    child.sendline("")
    child.expect("Subject paths")
    child.sendline("src")
    for key in ("2", "1", "1"):
        child.expect("Answer 1 to ")
        child.sendline(key)
    child.expect("Save to .authready/billing-api.toml\\? \\[Y/n\\]")
    child.sendline("")
    child.expect("next: authready sign")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert b"\x1b" not in child.before
    assert attestations(git_repo)[0].read_bytes() == answers_bytes(tmp_path, git_repo, GO_ANSWERS)


@pytest.mark.slow
def test_ctrl_c_under_a_pty_exits_130_and_keeps_the_draft(git_repo):
    pexpect = pytest.importorskip("pexpect")
    child = _spawn(git_repo, "--accessible", env={"TERM": "xterm"})
    child.expect("Component under review")
    child.sendline("")
    child.expect("Reviewers")
    child.sendline("")
    child.expect("Subject paths")
    child.sendline("")
    child.expect("Answer 1 to 2")
    child.sendline("2")
    child.expect("Answer 1 to 2")
    child.sendcontrol("c")
    child.expect("interrupted; nothing was written. 1 answer kept in the draft")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert draft(git_repo, "repo")["answers"] == {"stage": "production"}
