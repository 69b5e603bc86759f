"""Bad input gets one clear line naming the file (and line), exit 2, and never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, write_answers


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL)


def one_error_line(proc, code=2) -> str:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_malformed_toml_names_file_and_line(tmp_path):
    p = tmp_path / "answers.toml"
    p.write_text('tree = "mini"\ncomponent = "x"\n[answers\nstage = "production"\n')
    line = one_error_line(run("evaluate", str(p)))
    assert line.startswith(f"authready: {p}:3: malformed TOML")


def test_wrong_type_names_key_and_line(tmp_path):
    p = tmp_path / "answers.toml"
    p.write_text(f'tree = "{MINI_TREE}"\ncomponent = "x"\nreviewers = "alice"\n')
    line = one_error_line(run("evaluate", str(p)))
    assert f"{p}:3: reviewers:" in line


def test_unknown_key_is_an_error(tmp_path):
    p = tmp_path / "answers.toml"
    p.write_text(f'tree = "{MINI_TREE}"\ncomponnet = "x"\n')
    assert "componnet: Extra inputs are not permitted" in one_error_line(run("evaluate", str(p)))


def test_unknown_tree(tmp_path):
    p = write_answers(tmp_path / "a.toml", "no-such-tree", GO_ANSWERS)
    assert "unknown tree 'no-such-tree'" in one_error_line(run("evaluate", str(p)))


def test_unknown_question_and_choice(tmp_path):
    p = write_answers(tmp_path / "a.toml", MINI_TREE, {**GO_ANSWERS, "ghost": "yes"})
    assert f"{p}: unknown question id 'ghost'" in one_error_line(run("evaluate", str(p)))
    p = write_answers(tmp_path / "a.toml", MINI_TREE, {**GO_ANSWERS, "stage": "staging"})
    assert "unknown choice 'staging' for question 'stage'" in one_error_line(run("evaluate", str(p)))


def test_newer_schema_version(tmp_path, git_repo):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS)
    assert run("review", "--answers", str(a), "--out", str(tmp_path / "att.toml"), cwd=git_repo).returncode == 0
    att = tmp_path / "att.toml"
    att.write_text(att.read_text().replace("schema_version = 1", "schema_version = 9"))
    line = one_error_line(run("evaluate", str(att)))
    assert f"{att}:2: schema_version:" in line and "newer than this authready reads" in line


def test_newer_tree_format(tmp_path):
    t = tmp_path / "t.toml"
    t.write_text(MINI_TREE.read_text().replace("format = 1", "format = 7"))
    assert f"{t}:1: format:" in one_error_line(run("tree", "lint", str(t)))


def test_missing_and_non_utf8_files(tmp_path):
    assert f"{tmp_path / 'nope.toml'}: no such file" in one_error_line(run("evaluate", str(tmp_path / "nope.toml")))
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"tree = \"\xff\"\n")
    assert "not UTF-8" in one_error_line(run("evaluate", str(bad)))


def test_usage_error_exit_2():
    one_error_line(run("evaluate"))
    one_error_line(run("tree", "show", "--format", "pdf"))


def test_no_terminal_points_to_plain_and_answers():
    line = one_error_line(run("review"))
    assert "--plain" in line and "--answers" in line
    line = one_error_line(run("review", "--plain"))
    assert "--answers" in line


def test_unanswered_is_reported_not_guessed(tmp_path, git_repo):
    p = write_answers(tmp_path / "a.toml", in_repo(git_repo), {"stage": "production"})
    proc = run("evaluate", str(p), cwd=git_repo)
    assert proc.returncode == 1 and proc.stdout.strip() == "Verdict: unanswered: origin (Where does the auth code come from?)"
    line = one_error_line(run("review", "--answers", str(p), "--out", str(tmp_path / "x.toml"), cwd=git_repo))
    assert "unanswered: origin" in line and not (tmp_path / "x.toml").exists()


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_evaluate_formats_same_for_answers_and_attestation(tmp_path, git_repo, fmt):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), {**GO_ANSWERS, "expiry": "partly"})
    assert run("review", "--answers", str(a), "--out", str(tmp_path / "att.toml"), cwd=git_repo).returncode == 0
    from_answers = run("evaluate", str(a), "--format", fmt, cwd=git_repo)
    from_att = run("evaluate", str(tmp_path / "att.toml"), "--format", fmt, cwd=git_repo)
    assert from_answers.returncode == from_att.returncode == 0
    assert from_answers.stdout == from_att.stdout and "GO WITH CONDITIONS" in from_att.stdout


def test_no_go_exit_code_is_1(tmp_path, git_repo):
    a = write_answers(tmp_path / "a.toml", MINI_TREE, {**GO_ANSWERS, "origin": "invented"})
    proc = run("evaluate", str(a), cwd=git_repo)
    assert proc.returncode == 1 and proc.stdout.startswith("Verdict: NO-GO")


def test_markdown_escapes_data(tmp_path, git_repo):
    a = write_answers(tmp_path / "a.toml", MINI_TREE, GO_ANSWERS, component="<img src=x> [link](javascript:x)")
    out = run("evaluate", str(a), "--format", "markdown", cwd=git_repo).stdout
    assert not re.search(r"(?<!\\)[<\[]", out) and "\\<img src=x\\> \\[link\\]\\(javascript:x\\)" in out


def test_a_mistyped_command_suggests_the_nearest(capsys):
    import pytest

    from wizard.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(["reveiw"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "did you mean 'review'?" in err and len(err.strip().splitlines()) == 1


def test_tree_given_an_answers_file_or_an_attestation_says_what_it_is(git_repo, tmp_path, capsys):
    from wizard.cli.main import main

    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS)
    assert main(["tree", "lint", str(a)]) == 2
    assert "is an answers file, not a decision tree; record it: authready review --answers" in capsys.readouterr().err
    out = tmp_path / "att.toml"
    assert main(["review", "--answers", str(a), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["review", "--plain", "--tree", str(out)]) == 2
    assert "is an attestation, not a decision tree; to re-review it: authready review --from" in capsys.readouterr().err
