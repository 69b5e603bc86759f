"""Renderings of a tree diff: text for a terminal, Markdown for a policy pull request, JSON for tools.

Tree text is data (anyone can edit a tree in a pull request): text output escapes it to one line per
value, Markdown escapes what would format itself. Long lists of verdict changes are cut at ``SHOWN``
in text and Markdown; JSON always carries every change and the values whole.
"""

from __future__ import annotations

import json
from typing import Any

from wizard.policy.diff import PARTS, TreeDiff
from wizard.policy.diff_paths import VerdictChange, path_name
from wizard.policy.tree import LoadedTree
from wizard.render.escape import one_line
from wizard.render.verdict import md as _md

SHOWN = 50


def md(text: str) -> str:
    """Markdown-escaped and one line: a control character in tree text shows as an escape, never raw."""
    return _md(one_line(text))


def _compared(d: TreeDiff) -> str:
    n = d.paths.compared
    return (f"{n} answer set{'s' if n != 1 else ''} compared: the scenarios of both trees, and every answer path of "
            f"each tree with at most {d.paths.limit:,}")


def _who(v: VerdictChange) -> str:
    """A path names itself; a scenario is named with its answers, so a reviewer sees whose verdict changes."""
    return v.name if v.name.startswith("path ") else f"{v.name} ({path_name(v.answers).removeprefix('path ')})"


def _verdict_lines(changes: tuple[VerdictChange, ...]) -> list[str]:
    return [f"{_who(v)}: {v.old} → {v.new}" for v in changes[:SHOWN]]


def diff_text(d: TreeDiff) -> str:
    """Headline with the bump, the changes grouped by the part they need, then the verdicts that change."""
    old, new = d.old.tree, d.new.tree
    out = [one_line(f"{old.id} {old.version} ({d.old.path}) → {new.id} {new.version} ({d.new.path})")]
    if not d.changes:
        out.append("No changes.")
    else:
        out.append(f"Needs a {d.required} version bump ({len(d.changes)} change{'s' if len(d.changes) != 1 else ''}).")
    out += [one_line(p) for p in d.problems]
    for part in PARTS:
        group = [c for c in d.changes if c.part == part]
        if group:
            out += ["", f"{part.upper()} ({len(group)})"]
            out += ["  " + one_line(c.message()) for c in group]
    out += ["", f"Verdict changes: {len(d.paths.changes)}, {_compared(d)}."]
    out += ["  " + one_line(line) for line in _verdict_lines(d.paths.changes)]
    if len(d.paths.changes) > SHOWN:
        out.append(f"  … and {len(d.paths.changes) - SHOWN} more (--format json lists them all)")
    out += ["  note: " + one_line(n) for n in d.paths.notes]
    return "\n".join(out) + "\n"


def diff_markdown(d: TreeDiff) -> str:
    """A policy pull request's description: the bump it needs, a table of changes, the verdicts that change."""
    old, new = d.old.tree, d.new.tree
    out = [f"### Policy change: `{md(new.id)}` {md(old.version)} → {md(new.version)}", ""]
    if old.id != new.id:
        out += [f"Compared with tree `{md(old.id)}`.", ""]
    if not d.changes:
        out.append("No changes.")
    else:
        out.append(f"**Needs a {d.required} version bump** ({len(d.changes)} change{'s' if len(d.changes) != 1 else ''}).")
    for p in d.problems:
        out += ["", f"⚠️ {md(p)}"]
    if d.changes:
        out += ["", "| Part | Change |", "| --- | --- |"]
        for part in PARTS:
            out += [f"| {part} | {md(c.message())} |" for c in d.changes if c.part == part]
    out += ["", f"#### Verdict changes ({len(d.paths.changes)})", ""]
    if d.paths.changes:
        out += ["| Answers | Before | After |", "| --- | --- | --- |"]
        out += [f"| {md(_who(v))} | {md(v.old)} | {md(v.new)} |" for v in d.paths.changes[:SHOWN]]
        if len(d.paths.changes) > SHOWN:
            out.append(f"\n… and {len(d.paths.changes) - SHOWN} more (`authready tree diff --format json` lists them all)")
        out.append("")
    out.append(f"<sub>{md(_compared(d))}.</sub>")
    out += [f"<sub>{md(n)}</sub>" for n in d.paths.notes]
    return "\n".join(out) + "\n"


def diff_data(d: TreeDiff) -> dict[str, Any]:
    """The diff as plain data (the JSON output)."""

    def side(loaded: LoadedTree) -> dict[str, str]:
        return {"id": loaded.tree.id, "version": loaded.tree.version, "path": str(loaded.path), "sha256": loaded.sha256}

    return {
        "old": side(d.old),
        "new": side(d.new),
        "required_bump": d.required,
        "problems": list(d.problems),
        "changes": [
            {"part": c.part, "rule": c.rule, "subject": c.subject, "old": c.old, "new": c.new,
             "message": c.message(10**9), **({"reworded_from": c.reworded_from[1]} if c.reworded_from else {})}
            for c in d.changes
        ],
        "verdict_changes": [{"name": v.name, "answers": dict(v.answers), "old": v.old, "new": v.new}
                            for v in d.paths.changes],
        "compared": d.paths.compared,
        "notes": list(d.paths.notes),
    }


def diff_json(d: TreeDiff) -> str:
    return json.dumps(diff_data(d), indent=2, ensure_ascii=False) + "\n"


def render_diff(d: TreeDiff, fmt: str) -> str:
    return {"text": diff_text, "json": diff_json, "markdown": diff_markdown}[fmt](d)

