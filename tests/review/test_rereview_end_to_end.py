"""The attestation lifecycle end to end, as a team lives it, with real git, ssh-keygen and ssh-agent.

An attestation expires → ``verify`` fails and says to re-review → ``review --from X`` (the Textual
app through Pilot, plain mode through a pty) shows what changes and replaces X deliberately →
two reviewers sign from one machine with two keys in one ssh-agent, typing ``authready sign X``
and nothing else → ``check`` passes on the base branch.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, run_git
from tests.helpers.signing import ATT, cli, codes, make_signed, stamp, verify_json
from wizard.trust.ssh import NAMESPACE

pytestmark = pytest.mark.slow


@pytest.fixture
def expired(git_repo, tmp_path, monkeypatch):
    """A GO attestation signed by alice and bob 200 days ago (the mini tree's GO is valid for 180).

    Signed with plain ``ssh-keygen -Y sign``, as it was back then: ``authready sign`` rightly refuses
    to sign an attestation that has already expired.
    """
    s = make_signed(git_repo, tmp_path, sign=())
    s.att.unlink()
    s.record(reviewed_at=stamp(200))
    for who, key in (("alice", s.alice), ("bob", s.bob)):
        subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", NAMESPACE, "-f", str(key), str(s.att)],
                       check=True, capture_output=True)
        Path(f"{s.att}.sig").rename(f"{s.att}.{who}@example.com.sig")
    run_git(git_repo, "add", "-A")
    run_git(git_repo, "commit", "-qm", "an old review")
    return s


@pytest.fixture
def agent(expired, tmp_path, monkeypatch):
    """One ssh-agent holding both reviewers' keys; HOME has no keys and git has no signing key."""
    sock = tmp_path / "agent.sock"
    proc = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            __import__("time").sleep(0.05)
        env = {**os.environ, "SSH_AUTH_SOCK": str(sock)}
        for key in (expired.alice, expired.bob):
            subprocess.run(["ssh-add", "-q", str(key)], env=env, check=True, capture_output=True)
        monkeypatch.setenv("SSH_AUTH_SOCK", str(sock))
        yield sock
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _expired_then_verify_fails(capsys, s) -> bytes:
    rc, doc = verify_json(capsys, ATT)
    assert rc == 1 and "expired" in codes(doc)
    rc, _, err = cli(capsys, "verify", ATT)
    assert rc == 1 and f"review --from {ATT}" in err + _
    return s.att.read_bytes()


def _sign_twice_without_flags_then_check(capsys, s, old: bytes) -> None:
    from wizard.attestation.store import load

    new, _ = load(s.att)
    assert new.review.supersedes == hashlib.sha256(old).hexdigest()
    assert list(s.att.parent.glob("billing.toml.*.sig")) == []  # the old signatures went with the old bytes
    rc, out, err = cli(capsys, "sign", ATT)
    assert rc == 0, err
    assert "1 of 2 required signatures" in out + err and "bob@example.com" in out + err
    rc, out, err = cli(capsys, "sign", ATT)
    assert rc == 0, err
    signed_by = sorted(p.name for p in s.att.parent.glob("billing.toml.*.sig"))
    assert signed_by == ["billing.toml.alice@example.com.sig", "billing.toml.bob@example.com.sig"]
    run_git(s.repo, "add", "-A")
    run_git(s.repo, "commit", "-qm", "re-review, signed")
    rc, out, err = cli(capsys, "check", "--require", "conditional")
    assert rc == 0, out + err


def test_plain_mode_in_a_pty(expired, agent, capsys, monkeypatch):
    pexpect = pytest.importorskip("pexpect")
    old = _expired_then_verify_fails(capsys, expired)
    child = pexpect.spawn(
        sys.executable, ["-m", "wizard", "review", "--plain", "--from", ATT],
        cwd=str(expired.repo), env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        encoding="utf-8", timeout=30, dimensions=(40, 120),
    )
    child.expect("Component under review")
    child.send("\r")
    child.expect("Reviewers")
    child.send("\r")
    child.expect("Subject paths")
    child.send("\r")
    for text, key in (("Where will this code run", "\r"), ("Where does the auth", "\r"), ("explain how expiry", "2\r"),
                      ("Owner of 'No rotation schedule'", "\r"), ("Due date", "\r")):  # Enter keeps each default
        child.expect(text)
        child.send(key)
    child.expect(r"This re-review replaces \S*\.authready/billing\.toml\. What changes:")
    child.expect(r"verdict: GO -> GO WITH CONDITIONS")
    child.expect("signatures removed")
    child.expect(r"r\) Replace")
    child.send("r\r")
    child.expect("next: authready sign")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    _sign_twice_without_flags_then_check(capsys, expired, old)


async def test_textual_app_through_pilot(expired, agent, capsys):
    from textual.widgets import Input

    from tests.helpers.tui import answer, screen_text, start
    from wizard.policy.tree import load_tree_file
    from wizard.ui.tui.app import ReviewApp
    from wizard.ui.tui.screens.summary import SummaryScreen

    old = _expired_then_verify_fails(capsys, expired)
    app = ReviewApp(tree=load_tree_file(expired.repo / "policy" / "mini.toml"), root=expired.repo, in_git=True,
                    from_attestation=expired.att)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The start fields come from the attestation being replaced; keep them.
        assert [w.value for w in app.screen.query(Input)][:1] == ["billing"]
        await start(pilot)
        await answer(pilot, "production", "managed", "partly")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "This re-review replaces .authready/billing.toml" in text and "GO -> GO WITH CONDITIONS" in text
        await pilot.press("s")
        await pilot.pause()
        assert app.saved == expired.att
    _sign_twice_without_flags_then_check(capsys, expired, old)
