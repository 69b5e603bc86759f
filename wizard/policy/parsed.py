"""The shipped trees, already parsed: a JSON twin beside each, so one-shot commands skip the TOML parse.

Why: ``tomllib`` is pure Python. The shipped policy (~100 KB of TOML) takes
~25 ms to parse, a quarter of a one-shot command's whole floor (``python -c
"import pydantic, tomllib, tomli_w"``), and ``evaluate``, ``verify`` and
``check`` all read it; ``json`` (in C) reads the same data in ~0.5 ms.

Safe by construction: a twin records the sha256 of the TOML text it was made
from and is used only when that equals the hash of the text just read, so a
stale or missing twin costs speed, never correctness. The data still goes
through the whole model validation, and only trees inside the package have
twins (a repo's own tree, which a pull request may edit, is always parsed as
TOML). A test fails when a twin is stale; regenerate with

    python -m wizard.policy.parsed
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["TWIN_SUFFIX", "make_twin", "shipped_data", "stale_twins", "twin_path"]

TWIN_SUFFIX = ".parsed.json"


def twin_path(tree_path: Path) -> Path:
    """``<tree>.parsed.json`` beside ``<tree>.toml``."""
    return tree_path.with_name(tree_path.stem + TWIN_SUFFIX)


def _shipped_dir() -> Path:
    from wizard.infra.workspace import shipped_trees_dir

    return shipped_trees_dir().resolve()


def shipped_data(path: Path, sha256: str) -> dict[str, Any] | None:
    """The parsed data of the shipped tree at ``path`` whose text hashes to ``sha256``; None when there is no
    current twin (not a shipped tree, no twin, a twin of other text, or one that cannot be read)."""
    resolved = path.resolve()
    if resolved.parent != _shipped_dir():
        return None
    try:
        doc = json.loads(twin_path(resolved).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("sha256") != sha256 or not isinstance(doc.get("data"), dict):
        return None
    data: dict[str, Any] = doc["data"]
    return data


def make_twin(tree_path: Path) -> bytes:
    """The twin's bytes for the TOML tree at ``tree_path`` (refused when JSON cannot hold its data exactly)."""
    import hashlib

    text = tree_path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        body = json.dumps({"sha256": sha, "data": data}, ensure_ascii=False, indent=1) + "\n"
    except TypeError:  # dates or times have no JSON form: such a tree keeps being parsed as TOML
        raise ValueError(f"{tree_path}: its data has values JSON cannot hold (dates or times)") from None
    return body.encode("utf-8")


def _shipped_trees() -> list[Path]:
    from wizard.infra.workspace import shipped_tree_ids

    return [_shipped_dir() / f"{tree_id}.toml" for tree_id in shipped_tree_ids()]


def stale_twins() -> list[Path]:
    """Shipped trees whose twin is missing or was made from other text."""
    out = []
    for tree in _shipped_trees():
        twin = twin_path(tree)
        if not twin.is_file() or twin.read_bytes() != make_twin(tree):
            out.append(tree)
    return out


def main() -> int:
    """Write every shipped tree's twin; prints what changed."""
    for tree in stale_twins():
        twin_path(tree).write_bytes(make_twin(tree))
        print(f"wrote {twin_path(tree)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
