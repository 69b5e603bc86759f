"""One-shot commands load and build only what they use (checked in a fresh interpreter, no clock).

``evaluate`` and ``verify`` run once per invocation, so import and model-building time is most of
their cost (bench/bench_oneshot.py measures it against a floor). What does not drift is *what* they
load: reading an attestation needs neither the engine nor the secret scan nor ``tomli_w``; and the
models build their validators on first use, so only the model a command validates as a whole gets
one (``Attestation``, ``Tree``), not each model nested inside it.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, ROOT, write_answers

PROBE = """
import contextlib, io, json, sys
from wizard.cli.main import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    rc = main({argv!r})
from pydantic import BaseModel

def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)

ours = ("wizard.attestation.", "wizard.policy.")
built = sorted({{c.__name__ for c in subclasses(BaseModel) if c.__module__.startswith(ours) and c.__pydantic_complete__}})
print(json.dumps({{"rc": rc, "modules": sorted(sys.modules), "built": built}}))
"""

NOT_FOR_READING = {"tomli_w", "wizard.attestation.build", "wizard.infra.secrets", "wizard.review.session"}


def probe(argv: list[str], cwd) -> dict:
    run = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True,
                         cwd=cwd, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd)})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def test_evaluate_an_attestation_loads_no_writer_and_builds_one_validator(signed):
    got = probe(["evaluate", str(signed.att)], signed.repo)
    assert got["rc"] == 0
    assert NOT_FOR_READING.isdisjoint(got["modules"]), NOT_FOR_READING & set(got["modules"])
    assert "wizard.policy.engine" not in got["modules"]
    assert got["built"] == ["Attestation"]


def test_verify_builds_the_attestation_and_tree_validators_only(signed):
    got = probe(["verify", str(signed.att)], signed.repo)
    assert got["rc"] == 0
    assert NOT_FOR_READING.isdisjoint(got["modules"]), NOT_FOR_READING & set(got["modules"])
    assert got["built"] == ["Attestation", "Tree"]


def test_evaluate_an_answers_file_builds_no_nested_validator(git_repo, tmp_path):
    answers = write_answers(tmp_path / "a.toml", MINI_TREE, GO_ANSWERS)
    got = probe(["evaluate", str(answers)], git_repo)
    assert got["rc"] == 0
    assert "tomli_w" not in got["modules"]
    # SubjectPath is built by its caller (the review layer makes the bound paths one by one)
    assert set(got["built"]) <= {"Attestation", "Tree", "SubjectPath"}, got["built"]


def test_the_shipped_tree_is_read_without_parsing_toml(git_repo, tmp_path):
    """Its parsed twin is current (tests/policy/test_parsed.py), so only the small answers file is TOML-parsed."""
    code = (
        "import tomllib, sys\n"
        "calls = []\n"
        "real = tomllib.loads\n"
        "tomllib.loads = lambda text, **kw: calls.append(len(text)) or real(text, **kw)\n"
        "from wizard.policy.tree import resolve_tree\n"
        "resolve_tree(None)\n"
        "print(calls)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
