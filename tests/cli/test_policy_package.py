"""Issue 16's "done when": a policy package, built as a wheel and installed into a venv, is listed,
linted, tested, used for a review that passes the gate, and pinned; an unpinned tree fails the gate.

Everything is real and offline: the sample package (``acme-auth-policy``) is built with ``pip wheel
--no-build-isolation`` through a dependency-free PEP 517 backend of its own (the project's venv has
setuptools but not ``wheel``, and a test may not download one), installed with pip into a fresh
venv (``--without-pip``; a ``.pth`` lends it this venv's authready and dependencies), and run as that
venv's ``python -m wizard`` in a real git repo, with ssh-keygen keys.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, ROOT, run_git, write_answers
from tests.helpers.signing import keypair, signer_line, stamp

pytestmark = pytest.mark.slow

TREE_ID = "acme-auth"
DIST = "acme-auth-policy"

PYPROJECT = f"""\
[build-system]
requires = []
build-backend = "sample_backend"
backend-path = ["."]

[project]
name = "{DIST}"
version = "1.0.0"

[project.entry-points."authready.trees"]
{TREE_ID} = "acme_auth_policy"
"""

# A PEP 517 backend with no dependencies: enough for a pure package with data files.
BACKEND = '''\
import base64, hashlib, tomllib, zipfile
from pathlib import Path


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = tomllib.loads(Path("pyproject.toml").read_text())["project"]
    name, version = project["name"].replace("-", "_"), project["version"]
    info = f"{name}-{version}.dist-info"
    files = {p.as_posix(): p.read_bytes() for p in sorted(Path("acme_auth_policy").rglob("*")) if p.is_file()}
    eps = "".join(f"[{group}]\\n" + "".join(f"{k} = {v}\\n" for k, v in items.items()) + "\\n"
                  for group, items in project.get("entry-points", {}).items())
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\\nName: {project['name']}\\nVersion: {version}\\n".encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\\nGenerator: sample_backend\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    files[f"{info}/entry_points.txt"] = eps.encode()
    record = "".join(
        f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}\\n"
        for n, d in files.items()
    ) + f"{info}/RECORD,,\\n"
    files[f"{info}/RECORD"] = record.encode()
    wheel = f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / wheel, "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d)
    return wheel
'''


def sh(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def build_wheel(tmp_path: Path) -> Path:
    """The sample policy package as a wheel (the mini tree and its scenarios under the id ``acme-auth``)."""
    src = tmp_path / "acme-auth-policy"
    pkg = src / "acme_auth_policy"
    pkg.mkdir(parents=True)
    (src / "pyproject.toml").write_text(PYPROJECT)
    (src / "sample_backend.py").write_text(BACKEND)
    (pkg / "__init__.py").write_text('"""The ACME security team\'s policy trees."""\n')
    fixtures = ROOT / "tests" / "fixtures"
    (pkg / f"{TREE_ID}.toml").write_text((fixtures / "mini.toml").read_text().replace('id = "mini"', f'id = "{TREE_ID}"', 1))
    (pkg / f"{TREE_ID}.scenarios.toml").write_text(
        (fixtures / "mini.scenarios.toml").read_text().replace('tree = "mini"', f'tree = "{TREE_ID}"', 1))
    out = tmp_path / "dist"
    built = sh([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                "-w", str(out), str(src)], tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = out.glob("*.whl")
    return wheel


def make_venv(tmp_path: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel installed by pip; a ``.pth`` lends it authready and its dependencies."""
    venv = tmp_path / "venv"
    assert sh([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path).returncode == 0
    python = venv / "bin" / "python"
    pip = sh([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
             tmp_path)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    purelib = Path(sh([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path).stdout.strip())
    import pydantic

    deps = Path(pydantic.__file__).resolve().parents[1]  # this venv's site-packages, as a site folder: its own
    (purelib / "authready-dev.pth").write_text(f"import site; site.addsitedir({str(deps)!r})\n")  # .pth files count
    return python


@pytest.fixture
def venv_python(tmp_path):
    return make_venv(tmp_path, build_wheel(tmp_path))


def authready(python: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    proc = sh([str(python), "-m", "wizard", *argv], cwd)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_a_policy_package_is_listed_linted_tested_reviewed_and_passes_the_gate(venv_python, git_repo, tmp_path):
    py, repo = venv_python, git_repo
    # Listed: the id, the tree's version, the distribution that provides it, the file's hash.
    listed = authready(py, repo, "tree", "list", "--format", "json")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    [tree] = [t for t in json.loads(listed.stdout)["trees"] if t["id"] == TREE_ID]
    installed = Path(tree["path"])
    assert tree["provider"] == f"{DIST} 1.0.0" and tree["version"] == "1.2.0" and "site-packages" in str(installed)
    assert tree["sha256"] == hashlib.sha256(installed.read_bytes()).hexdigest()
    rows = [line.split() for line in authready(py, repo, "tree", "list").stdout.splitlines()]
    assert [TREE_ID, "1.2.0", DIST, "1.0.0", tree["sha256"][:12], str(installed)] in rows
    # Linted and tested by id.
    lint = authready(py, repo, "tree", "lint", TREE_ID)
    assert lint.returncode == 0 and f"{installed}: ok" in lint.stdout, lint.stdout + lint.stderr
    test = authready(py, repo, "tree", "test", TREE_ID)
    assert test.returncode == 0 and " 0 failed" in test.stdout, test.stdout + test.stderr

    # A review by id in a real repo, signed with real keys, passes the gate at the trust ref.
    keys = tmp_path / "keys"
    alice, bob = keypair(keys, "alice"), keypair(keys, "bob", "ecdsa")
    assert authready(py, repo, "init").returncode == 0
    with open(repo / ".authready" / "allowed_signers", "a") as fh:
        fh.write(signer_line("alice@example.com", alice) + signer_line("bob@example.com", bob))
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-qm", "authready init")
    answers = write_answers(tmp_path / "answers.toml", TREE_ID, GO_ANSWERS, component="billing",
                            reviewers=["alice@example.com", "bob@example.com"], reviewed_at=stamp(1))
    rev = authready(py, repo, "review", "--answers", str(answers))
    assert rev.returncode == 0, rev.stderr
    att = repo / ".authready" / "billing.toml"
    assert f'tree = "{TREE_ID}"' in att.read_text() and "source =" not in att.read_text()
    for who, key in (("alice", alice), ("bob", bob)):
        signed = authready(py, repo, "sign", str(att), "--key", str(key), "--principal", f"{who}@example.com")
        assert signed.returncode == 0, signed.stderr
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-qm", "signed review")
    gate = authready(py, repo, "check", "--require", "go", "--allowed-signers-ref", "main", "--format", "json")
    assert gate.returncode == 0, gate.stdout + gate.stderr
    doc = json.loads(gate.stdout)
    assert doc["ok"] and [a["problems"] for a in doc["attestations"]] == [[]]

    # The same tree's id cannot be taken by a repo-local copy (a team's tree passing as the central one).
    (repo / "policy").mkdir()
    (repo / "policy" / "acme.toml").write_text(installed.read_text())
    copy = write_answers(tmp_path / "copy.toml", repo / "policy" / "acme.toml", GO_ANSWERS, component="copy",
                         reviewers=["alice@example.com"], reviewed_at=stamp(1))
    refused = authready(py, repo, "review", "--answers", str(copy))
    assert refused.returncode == 2 and f"uses the id '{TREE_ID}' of the installed tree from {DIST} 1.0.0" in refused.stderr
    (repo / "policy" / "acme.toml").unlink()
    (repo / "policy").rmdir()

    _pinned_and_an_unpinned_tree_fails(py, repo, tmp_path, tree["sha256"], alice, bob)


def _pinned_and_an_unpinned_tree_fails(py, repo, tmp_path, sha, alice, bob) -> None:
    """Pinned in ``.authready/policies.toml`` at the trust ref (H2's check): the package's tree passes,
    an attestation judged by a team's own (unpinned) tree fails."""
    (repo / ".authready" / "policies.toml").write_text(
        f'[[policy]]\ntree = "{TREE_ID}"\nversion = ">=1.2.0, <2"\nsha256 = ["{sha}"]\n')
    (repo / "policy").mkdir()
    (repo / "policy" / "team.toml").write_text(
        (ROOT / "tests" / "fixtures" / "mini.toml").read_text().replace('id = "mini"', 'id = "team"', 1))
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-qm", "pin the central policy; a team tree")
    team = write_answers(tmp_path / "team.toml", "policy/team.toml", GO_ANSWERS, component="team",
                         reviewers=["alice@example.com", "bob@example.com"], reviewed_at=stamp(1))
    rev = authready(py, repo, "review", "--answers", str(team))
    assert rev.returncode == 0, rev.stderr
    att = repo / ".authready" / "team.toml"
    for who, key in (("alice", alice), ("bob", bob)):
        assert authready(py, repo, "sign", str(att), "--key", str(key), "--principal", f"{who}@example.com").returncode == 0
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-qm", "a review judged by the team's own tree")
    gate = authready(py, repo, "check", "--require", "go", "--allowed-signers-ref", "main", "--format", "json")
    codes = {a["path"]: {p["code"] for p in a["problems"]} for a in json.loads(gate.stdout)["attestations"]}
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert codes == {".authready/billing.toml": set(), ".authready/team.toml": {"policy-unpinned"}}
