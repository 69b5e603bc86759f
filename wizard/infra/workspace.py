"""Where things are: the repo under review, the shipped trees, drafts, start-screen defaults.

Kept free of pydantic and of any UI library on purpose: the front-ends call
these before their first prompt or frame, and importing the models would
delay it (the plain mode's first prompt is measured against a bare
``import questionary, pydantic``). ``wizard.policy.tree`` and ``wizard.review.session``
build on these; nothing here validates a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


DEFAULT_TREE_ID = "generated-auth-code"  # the shipped policy: what ``--tree`` and answers files default to
ATTESTATION_DIR = ".authready"  # at the repo root: attestations, signatures, allowed_signers, drafts
DRAFT_DIR = "drafts"  # under ATTESTATION_DIR, git-ignored (``wizard.review.drafts``)


@dataclass
class Meta:
    """Who is reviewing what: the start-screen fields."""

    component: str = ""
    reviewers: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


def repo_context(cwd: Path | None = None) -> tuple[Path, bool]:
    """The repo root (or the folder itself outside git) and whether it is a git repo."""
    from wizard.infra import git as gitinfo  # here: git.py takes ATTESTATION_DIR from this module

    root = gitinfo.repo_root(cwd)
    return (root, True) if root else ((cwd or Path.cwd()).resolve(), False)


def default_meta(root: Path, in_git: bool) -> Meta:
    """Defaults for the start questions: the folder name, git's user.email, the whole repo."""
    from wizard.infra import git as gitinfo

    email = gitinfo.user_email(root if in_git else None)
    return Meta(component=root.name, reviewers=[email] if email else [], paths=["."] if in_git else [])


def shipped_trees_dir() -> Path:
    """The folder of shipped trees: ``decision_trees/`` in a checkout, the package data in a wheel.

    A checkout is the folder holding ``wizard/`` and ``pyproject.toml`` (not any site-packages
    that happens to hold a ``decision_trees`` package); without it, importing the package data
    would need the editable install's finder.
    """
    root = Path(__file__).resolve().parents[2]
    checkout = root / "decision_trees"
    if (checkout / "__init__.py").is_file() and (root / "pyproject.toml").is_file():
        return checkout
    from importlib.resources import files

    return Path(str(files("wizard.decision_trees")))


def shipped_tree_ids() -> list[str]:
    """Ids of the trees inside authready (file stems; scenario files excluded). Installed packages add
    more (``wizard.infra.tree_sources``); these alone have parsed twins (``wizard.policy.parsed``)."""
    return sorted(
        p.stem for p in shipped_trees_dir().glob("*.toml") if not p.name.endswith(".scenarios.toml")
    )


def looks_like_path(ref: str) -> bool:
    """A tree reference is a path when it names a .toml file or has a folder in it."""
    return ref.endswith(".toml") or "/" in ref


def tree_file(ref: str | Path | None) -> Path:
    """The file a tree reference names: a path, or an id among the shipped and installed trees (default:
    the policy). An id that is unknown, provided twice or broken is an ``InputError`` saying so."""
    ref = str(ref) if ref else DEFAULT_TREE_ID
    if looks_like_path(ref):  # never `Path(ref).exists()`: a stray file named like an id must not win
        return Path(ref)
    from wizard.infra.tree_sources import resolve  # here: tree_sources takes shipped_trees_dir from this module

    return resolve(ref).path


_TOP_ID = re.compile(r'^id\s*=\s*"([a-z0-9][a-z0-9._-]{0,63})"\s*(#.*)?$')


def peek_tree_id(path: Path) -> str | None:
    """A tree's top-level ``id``, read before its first table without parsing; None if not found there."""
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                text = line.strip()
                if text.startswith("["):
                    return None
                m = _TOP_ID.match(text)
                if m:
                    return m.group(1)
    except (OSError, UnicodeDecodeError):
        return None
    return None
