"""Attestations: deterministic bytes, atomic no-overwrite saves, secret refusal, faithful reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, run_git, write_answers
from wizard.attestation.model import stale_questions
from wizard.attestation.store import dumps, load
from wizard.cli.main import main
from wizard.policy.tree import load_tree_file


def review(tmp, answers=GO_ANSWERS, out="att.toml", **meta) -> tuple[int, bytes | None]:
    af = write_answers(tmp / "answers.toml", in_repo(Path.cwd()), answers, **meta)
    rc = main(["review", "--answers", str(af), "--out", str(tmp / out)])
    path = tmp / out
    return rc, path.read_bytes() if path.exists() else None


def test_same_inputs_same_bytes(git_repo, tmp_path):
    rc1, a = review(tmp_path, out="a.toml", notes={"expiry": "15 minute TTL"})
    rc2, b = review(tmp_path, out="b.toml", notes={"expiry": "15 minute TTL"})
    assert rc1 == rc2 == 0 and a == b
    assert b"\r" not in a and a.endswith(b"\n")


def test_source_date_epoch_is_the_clock(git_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798545600")  # 2026-12-29T12:00:00Z
    rc, data = review(tmp_path, reviewed_at=None)
    assert rc == 0
    assert b'reviewed_at = "2026-12-29T12:00:00Z"' in data
    assert b'expires_at = "2027-06-27T12:00:00Z"' in data  # GO: 180 days


def test_prototype_expires_sooner(git_repo, tmp_path):
    rc, data = review(tmp_path, answers={"stage": "prototype", "proto-creds": "no"})
    assert rc == 0 and b'expires_at = "2026-12-29T10:00:00Z"' in data and b"required_signers = 1" in data


def test_records_policy_answers_and_code_binding(git_repo, tmp_path):
    rc, _ = review(tmp_path, notes={"expiry": "TTL 15m"})
    att, raw = load(tmp_path / "att.toml")
    tree = load_tree_file(MINI_TREE)
    assert att.policy.tree == "mini" and att.policy.version == "1.2.0" and att.policy.sha256 == tree.sha256
    assert [a.question for a in att.answers] == ["stage", "origin", "expiry"]
    assert att.answers[0].asked == tree.tree.question_map["stage"].text
    assert att.answers[2].note == "TTL 15m"
    assert att.subject.paths[0].git_object == run_git(git_repo, "rev-parse", "HEAD:src")
    assert att.subject.root_commit == run_git(git_repo, "rev-list", "--max-parents=0", "HEAD")
    assert stale_questions(att, tree.tree) == []
    assert dumps(att) == raw  # reading goes back through the same model, losslessly


def test_uncommitted_changes_are_listed_and_only_committed_code_is_bound(git_repo, tmp_path, capsys):
    """What runs is what was committed: uncommitted or untracked files under a subject path stop an
    answers-file review (naming them) unless --allow-dirty, which binds HEAD's version."""
    (git_repo / "src" / "auth.py").write_text("def login():\n    return 'changed'\n")
    (git_repo / "src" / "new.py").write_text("x = 1\n")
    rc, data = review(tmp_path)
    err = capsys.readouterr().err
    assert rc == 2 and data is None and "src/auth.py" in err and "src/new.py" in err and "--allow-dirty" in err
    af = tmp_path / "answers.toml"
    assert main(["review", "--answers", str(af), "--out", str(tmp_path / "att.toml"), "--allow-dirty"]) == 0
    att, _ = load(tmp_path / "att.toml")
    assert att.subject.paths[0].git_object == run_git(git_repo, "rev-parse", "HEAD:src")


def test_never_overwrites(git_repo, tmp_path, capsys):
    review(tmp_path)
    before = (tmp_path / "att.toml").read_bytes()
    rc, after = review(tmp_path, answers={**GO_ANSWERS, "expiry": "partly"})
    assert rc == 2 and after == before
    assert "already exists; refusing to overwrite" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_default_location_is_dot_authready(git_repo, tmp_path):
    af = write_answers(tmp_path / "answers.toml", in_repo(git_repo), GO_ANSWERS, component="Billing API")
    assert main(["review", "--answers", str(af)]) == 0
    assert (git_repo / ".authready" / "billing-api.toml").is_file()


@pytest.mark.parametrize(
    "meta, field",
    [
        ({"notes": {"origin": "we use key AKIAZ7Q3VN4XKJ2PLM5R"}}, 'note on "Where does the auth code come from?"'),
        ({"component": "svc ghp_" + "A1b2C3d4E5" * 4}, "component"),
        ({"reviewers": ["alice@example.com", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.x"]}, "reviewer 2"),
    ],
)
def test_credential_like_text_is_refused_naming_the_field(git_repo, tmp_path, capsys, meta, field):
    rc, data = review(tmp_path, **meta)
    assert rc == 2 and data is None
    err = capsys.readouterr().err
    assert field in err and "nothing was written" in err and err.count("\n") == 1
    assert "AKIAZ7Q3VN4XKJ2PLM5R" not in err and "A1b2C3d4E5A1b2C3d4E5" not in err  # masked, never whole


def test_remote_credentials_are_stripped(git_repo, tmp_path):
    run_git(git_repo, "remote", "add", "origin", "https://bot:hunter2pass@git.example.com/acme/shop.git")
    rc, data = review(tmp_path)
    assert rc == 0 and b'repo = "https://git.example.com/acme/shop"' in data and b"hunter2" not in data


def test_notes_off_the_path_are_not_recorded(git_repo, tmp_path):
    notes = {"stage": "demo only", "origin": "left over from another branch"}
    rc, data = review(tmp_path, answers={"stage": "prototype", "proto-creds": "no"}, notes=notes)
    assert rc == 0 and b"demo only" in data and b"left over" not in data


def test_ignored_files_are_not_part_of_the_reviewed_code(git_repo, tmp_path):
    """A working copy with build output records the same code as a clean CI checkout."""
    (git_repo / ".gitignore").write_text("__pycache__/\n")
    run_git(git_repo, "add", ".gitignore")
    run_git(git_repo, "commit", "-qm", "ignore caches")
    (git_repo / "src" / "__pycache__").mkdir()
    (git_repo / "src" / "__pycache__" / "auth.cpython-311.pyc").write_bytes(b"\x00compiled")
    review(tmp_path)
    att, _ = load(tmp_path / "att.toml")
    assert att.subject.paths[0].git_object == run_git(git_repo, "rev-parse", "HEAD:src")


def test_an_ignored_subject_path_is_a_clear_error(git_repo, tmp_path, capsys):
    (git_repo / ".gitignore").write_text("build/\n")
    (git_repo / "build").mkdir()
    (git_repo / "build" / "out.txt").write_text("x")
    rc, data = review(tmp_path, paths=["build"])
    assert rc == 2 and data is None and "exists but is not in the last commit" in capsys.readouterr().err


def test_supersede_replaces_deliberately_and_removes_old_signatures(signed, capsys):
    """--supersede: refuses another component or an earlier review; writes supersedes = sha256 of the old
    bytes and removes (and names) the signatures that cannot cover the new bytes."""
    import hashlib

    from tests.helpers.signing import stamp

    old = signed.att.read_bytes()
    a = write_answers(signed.keys / "re.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS, component="billing",
                      reviewers=["alice@example.com", "bob@example.com"], reviewed_at=stamp(2))
    rc = main(["review", "--answers", str(a), "--out", str(signed.att), "--supersede"])
    assert rc == 2 and "not later than the review it replaces" in capsys.readouterr().err
    a = write_answers(signed.keys / "re.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS, component="payments",
                      reviewers=["alice@example.com", "bob@example.com"], reviewed_at=stamp(0.5))
    rc = main(["review", "--answers", str(a), "--out", str(signed.att), "--supersede"])
    assert rc == 2 and "it is the review of 'billing'" in capsys.readouterr().err
    assert signed.att.read_bytes() == old and len(list(signed.att.parent.glob("billing.toml.*.sig"))) == 2
    a = write_answers(signed.keys / "re.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS, component="billing",
                      reviewers=["alice@example.com", "bob@example.com"], reviewed_at=stamp(0.5))
    rc = main(["review", "--answers", str(a), "--out", str(signed.att), "--supersede"])
    out = capsys.readouterr().out
    assert rc == 0 and "supersedes the previous review" in out and out.count("removed ") == 2
    new, _ = load(signed.att)
    assert new.review.supersedes == hashlib.sha256(old).hexdigest()
    assert list(signed.att.parent.glob("billing.toml.*.sig")) == []
    assert [p.name for p in signed.att.parent.iterdir() if p.name.startswith(".billing")] == []


def test_supersede_that_fails_to_write_leaves_the_old_set(signed, capsys, monkeypatch):
    """A failure at the rename that would put the new bytes in place: the old file and its signatures stay."""
    import os

    from tests.helpers.signing import stamp

    old = signed.att.read_bytes()
    sigs = sorted(p.name for p in signed.att.parent.glob("billing.toml.*.sig"))
    a = write_answers(signed.keys / "re.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS, component="billing",
                      reviewers=["alice@example.com", "bob@example.com"], reviewed_at=stamp(0.5))

    def no_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_replace)
    rc = main(["review", "--answers", str(a), "--out", str(signed.att), "--supersede"])
    assert rc == 2 and "nothing was written" in capsys.readouterr().err
    assert signed.att.read_bytes() == old
    assert sorted(p.name for p in signed.att.parent.glob("billing.toml.*.sig")) == sigs
    assert [p.name for p in signed.att.parent.iterdir() if p.name.startswith(".billing")] == []
