"""Supersede is crash-safe: killed at any step, the result is the old set or the new one.

``supersede`` promises that a crash leaves either the old attestation with all its signatures or
the new one with none. Each test here runs the real command (``review --answers … --supersede``)
against a repo signed by two reviewers with real ``ssh-keygen`` keys, and stops it at every step in
turn: in a child process that ends with ``os._exit`` at that step (a kill: no cleanup runs), or in
process with the step raising an ``OSError`` (a fault: the cleanup runs). ``verify`` then judges
what is on disk. A kill may leave a hidden folder; it explains itself in a file, and the next run
(``recover``, which the next supersede runs first) finishes or undoes it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, ROOT, write_answers
from tests.helpers.signing import codes, stamp, verify_json
from wizard.attestation import store
from wizard.cli.main import main

KILLED = 75
CHILD = """
import os, sys
from wizard.attestation import store

stop_at = int(sys.argv[1])
taken = []

def step(name):
    taken.append(name)
    print("STEP " + name, file=sys.stderr, flush=True)
    if len(taken) == stop_at:
        os._exit({killed})

store._step = step
from wizard.cli.main import main
sys.exit(main(sys.argv[2:]))
""".format(killed=KILLED)


class Scene:
    """The signed repo, the re-review's answers, and the old set's bytes to compare with."""

    def __init__(self, signed, tmp_path: Path) -> None:
        self.att = signed.att
        self.folder = signed.att.parent
        self.answers = write_answers(
            tmp_path / "re.toml", signed.repo / "policy" / "mini.toml", GO_ANSWERS, component="billing",
            reviewers=["alice@example.com", "bob@example.com"], reviewed_at=stamp(0.5),
        )
        self.old = self.att.read_bytes()
        self.old_sigs = {p.name: p.read_bytes() for p in self.sigs()}
        assert len(self.old_sigs) == 2
        self.saved = tmp_path / "saved-authready"
        shutil.copytree(self.folder, self.saved)

    @property
    def argv(self) -> list[str]:
        return ["review", "--answers", str(self.answers), "--out", str(self.att), "--supersede"]

    def sigs(self) -> list[Path]:
        return sorted(self.folder.glob(f"{self.att.name}.*.sig"))

    def leftovers(self) -> list[Path]:
        return sorted(self.folder.glob(f".{self.att.name}{store.ASIDE_MARK}*"))

    def reset(self) -> None:
        shutil.rmtree(self.folder)
        shutil.copytree(self.saved, self.folder)

    def run_child(self, stop_at: int) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        return subprocess.run([sys.executable, "-c", CHILD, str(stop_at), *self.argv],
                              capture_output=True, text=True, env=env, cwd=self.folder.parent)

    def state(self) -> str:
        """"old" (old bytes, both signatures, byte for byte) or "new" (a later review naming the old, no
        signature); anything else fails the test."""
        data = self.att.read_bytes()
        sigs = {p.name: p.read_bytes() for p in self.sigs()}
        if data == self.old:
            assert sigs == self.old_sigs, "the old attestation lost signatures"
            return "old"
        assert f'supersedes = "{hashlib.sha256(self.old).hexdigest()}"'.encode() in data
        assert sigs == {}, "old signatures beside the new attestation"
        return "new"

    def verify_agrees(self, capsys, state: str) -> None:
        rc, doc = verify_json(capsys, str(self.att))
        if state == "old":
            assert rc == 0 and doc["ok"] and doc["signers"] == ["alice@example.com", "bob@example.com"], doc
        else:
            assert codes(doc) == {"not-signed"}, doc  # a sound new review that only needs signing


@pytest.fixture
def scene(signed, tmp_path) -> Scene:
    return Scene(signed, tmp_path)


def _steps(scene: Scene) -> list[str]:
    """The steps a supersede of this repo takes, from a run that is not stopped."""
    run = scene.run_child(0)
    assert run.returncode == 0, run.stderr
    steps = [ln[5:] for ln in run.stderr.splitlines() if ln.startswith("STEP ")]
    scene.reset()
    return steps


@pytest.mark.slow
def test_killed_at_each_step_recovery_leaves_the_old_set_or_the_new(scene, capsys):
    steps = _steps(scene)
    assert steps[:3] == ["aside", "journal", "pending"] and steps[-2:] == ["committed", "cleaned"]
    assert sum(s.startswith("moved ") for s in steps) == 2
    seen = set()
    for n, step in enumerate(steps, start=1):
        scene.reset()
        run = scene.run_child(n)
        assert run.returncode == KILLED, (step, run.stderr)
        committed = steps.index("committed") < n
        left = scene.leftovers()
        if step == "cleaned":
            assert left == []
        else:  # the hidden folder says what it is and how to finish by hand
            assert len(left) == 1, step
            if step != "aside":
                journal = (left[0] / store.JOURNAL).read_text()
                assert "authready review --supersede" in journal and hashlib.sha256(scene.old).hexdigest() in journal
            assert store.interrupted(scene.att), step
        if not step.startswith("moved "):  # consistent as it is, before any recovery
            assert scene.state() == ("new" if committed else "old"), step
        notes = store.recover(scene.att)
        assert scene.leftovers() == [] and (notes or step in ("aside", "cleaned")), step
        state = scene.state()
        assert state == ("new" if committed else "old"), step
        scene.verify_agrees(capsys, state)
        seen.add(state)
    assert seen == {"old", "new"}


@pytest.mark.slow
def test_after_a_kill_the_retried_supersede_finishes_the_job(scene, capsys):
    """The user's next run is the same command again: it ends with the new review, unsigned, and says what
    became of the old signatures."""
    steps = _steps(scene)
    for n, step in enumerate(steps, start=1):
        scene.reset()
        assert scene.run_child(n).returncode == KILLED
        capsys.readouterr()
        rc = main(scene.argv)
        out, err = capsys.readouterr()
        if steps.index("committed") < n:  # already replaced: a second replacement by the same review is refused
            assert rc == 2 and "not later than the review it replaces" in err, step
            if step != "cleaned":
                assert "finished an interrupted supersede" in err, step
        else:
            assert rc == 0 and out.count("removed ") == 2, (step, out, err)
        assert scene.state() == "new" and scene.leftovers() == [], step


def test_a_fault_at_each_step_leaves_the_old_set_or_the_new_and_no_folder(scene, capsys, monkeypatch):
    """An error at a step (a full disk, an I/O error) is cleaned up at once: no hidden folder remains."""
    steps = _steps(scene)
    for n, step in enumerate(steps, start=1):
        scene.reset()
        taken: list[str] = []

        def fault(name: str, stop_at: int = n) -> None:
            taken.append(name)
            if len(taken) == stop_at:
                raise OSError(5, "Input/output error")

        monkeypatch.setattr(store, "_step", fault)
        capsys.readouterr()
        rc = main(scene.argv)
        err = capsys.readouterr().err
        committed = steps.index("committed") < n
        assert rc == 2 and err.count("\n") == 1 and "Traceback" not in err, step
        assert ("check it with `authready verify`" if committed else "nothing was written") in err, step
        assert scene.leftovers() == [], step
        assert scene.state() == ("new" if committed else "old"), step


def test_a_folder_without_a_journal_is_removed_only_when_empty(scene):
    """The journal is written before any signature moves, so an empty folder is all a kill can leave without
    one; a folder holding signatures but no journal is left alone and named."""
    empty = scene.folder / f".{scene.att.name}{store.ASIDE_MARK}empty"
    empty.mkdir()
    assert store.recover(scene.att) == [] and not empty.exists()
    odd = scene.folder / f".{scene.att.name}{store.ASIDE_MARK}odd"
    odd.mkdir()
    (odd / f"{scene.att.name}.carol@example.com.sig").write_text("not ours\n")
    notes = store.recover(scene.att)
    assert len(notes) == 1 and "no journal" in notes[0] and odd.exists()
    assert scene.state() == "old"
