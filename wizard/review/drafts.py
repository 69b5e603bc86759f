"""Drafts per review: one file per tree *and component*, so a second review never replaces the first.

``.authready/drafts/<tree>--<component-slug>.toml`` (git-ignored). A review
is saved there after every answer, so Ctrl+C loses nothing and a review
started in one front-end resumes in another. Keyed by component because a
team reviews several components against the same policy: with one slot per
tree, starting the second review silently threw the first away.

The slug is the component in lower case with anything but ``a-z 0-9 . _``
turned into single dashes; when that is not the component's exact text, a
short hash of the text follows, so "Billing API" and "billing-api" never
share a file. A slug never contains ``--``, which is how a listing tells
the tree id from the component in a name without guessing.

Drafts from the old one-per-tree layout (``.authready/drafts/<tree>.toml``)
are listed and resumable; the session moves such a draft to its new name at
its next save. Listing reads files with ``tomllib`` only (no pydantic),
because the plain modes list drafts before their first prompt; the model is
loaded by :func:`load_draft`, once a draft is resumed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.infra.errors import AuthreadyError, InputError
from wizard.infra.workspace import ATTESTATION_DIR, DRAFT_DIR

if TYPE_CHECKING:  # pragma: no cover
    from wizard.review.draft_model import Draft

MAX_DRAFT_BYTES = 1 << 20  # a draft is a few KiB; anything larger is not one of ours
_SLUG_CHARS = re.compile(r"[^a-z0-9._]+")
_SLUG_MAX = 48


@dataclass(frozen=True)
class DraftInfo:
    """One saved draft as a list of drafts shows it (read without validating the whole file)."""

    path: Path
    tree_id: str
    component: str
    answered: int
    changed: datetime  # UTC (the draft file's mtime)


def drafts_dir(root: Path) -> Path:
    """``.authready/drafts`` under the repo root."""
    return root / ATTESTATION_DIR / DRAFT_DIR


def component_slug(component: str) -> str:
    """A file-name-safe, collision-free form of ``component`` (see the module docstring)."""
    slug = _SLUG_CHARS.sub("-", component.lower()).strip("-.")[:_SLUG_MAX].rstrip("-.")
    if slug and slug == component:
        return slug
    import hashlib  # only for names that need it; listing drafts is on the first prompt's path

    digest = hashlib.sha256(component.encode("utf-8")).hexdigest()[:8]
    return f"{slug or 'unnamed'}-{digest}"


def draft_path(root: Path, tree_id: str, component: str) -> Path:
    """``.authready/drafts/<tree>--<component-slug>.toml``: the draft of this review."""
    return drafts_dir(root) / f"{tree_id}--{component_slug(component)}.toml"


def legacy_draft_path(root: Path, tree_id: str) -> Path:
    """``.authready/drafts/<tree>.toml``: where drafts were kept when there was one per tree."""
    return drafts_dir(root) / f"{tree_id}.toml"


def _read_light(path: Path) -> dict[str, Any]:
    """The draft's TOML as a dict, or ``InputError`` naming the file (no pydantic)."""
    try:
        if path.is_symlink() or not path.is_file():
            raise InputError("not a regular file; remove it", path=path)
        if path.stat().st_size > MAX_DRAFT_BYTES:
            raise InputError("too large to be a draft; remove it", path=path)
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; remove it", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"malformed TOML: {exc}; remove it to start afresh", path=path) from None


def _info(path: Path) -> DraftInfo:
    data = _read_light(path)
    component, answers = data.get("component", ""), data.get("answers", {})
    if not isinstance(data.get("tree"), str) or not isinstance(component, str) or not isinstance(answers, dict):
        raise InputError("not a draft (tree, component or answers missing or malformed); remove it", path=path)
    suffix = "--" + component_slug(component)
    stem = path.stem
    tree_id = stem[: -len(suffix)] if stem.endswith(suffix) and len(stem) > len(suffix) else stem
    changed = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    return DraftInfo(path=path, tree_id=tree_id, component=component, answered=len(answers), changed=changed)


def _candidates(root: Path, tree_id: str | None) -> list[Path]:
    folder = drafts_dir(root)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.toml"))
    if tree_id is None:
        return files
    # The name says the tree for every draft we wrote; the content confirms it (see _info).
    return [p for p in files if p.stem == tree_id or p.stem.startswith(tree_id + "--")]


def scan_drafts(root: Path, tree_id: str | None = None) -> tuple[list[DraftInfo], list[str]]:
    """:func:`list_drafts` and :func:`unreadable_drafts` in one pass over the folder."""
    found: list[DraftInfo] = []
    problems: list[str] = []
    for path in _candidates(root, tree_id):
        try:
            info = _info(path)
        except AuthreadyError as exc:
            problems.append(str(exc))
            continue
        if tree_id is None or info.tree_id == tree_id:
            found.append(info)
    return sorted(found, key=lambda d: (d.changed, d.path.name), reverse=True), problems


def list_drafts(root: Path, tree_id: str | None = None) -> list[DraftInfo]:
    """This repo's drafts (of one tree, or all), newest first; unreadable drafts are skipped
    (:func:`unreadable_drafts` names them)."""
    return scan_drafts(root, tree_id)[0]


def unreadable_drafts(root: Path, tree_id: str | None = None) -> list[str]:
    """One line per draft file that :func:`list_drafts` skipped, naming the file and what to do."""
    return scan_drafts(root, tree_id)[1]


def draft_for(root: Path, tree_id: str, component: str) -> DraftInfo | None:
    """The draft a new review of ``component`` would replace, if there is one (the caller asks first)."""
    return next((d for d in list_drafts(root, tree_id) if d.component == component), None)


def remove_draft(path: Path) -> None:
    """Delete a draft the team chose to replace (only a file in the drafts folder)."""
    folder = path.parent
    if (folder.name, folder.parent.name, path.suffix) != (DRAFT_DIR, ATTESTATION_DIR, ".toml"):
        raise InputError("not a draft file; nothing was removed", path=path)
    path.unlink(missing_ok=True)


def load_draft(path: Path) -> "Draft":
    """The draft at ``path``, validated; ``InputError`` naming the file when it is not a readable draft."""
    from wizard.infra.tomlio import load_model
    from wizard.review.draft_model import Draft

    try:
        draft: Draft = load_model(Draft, path)[0]
    except InputError:
        raise
    except AuthreadyError as exc:
        raise InputError(exc.message, path=exc.path or path, line=exc.line) from None
    return draft
