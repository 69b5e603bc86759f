"""Lint checks of ids, citations, findings and text: each problem where it stands, with a hint when one helps.

Duplicates name the line of the first use (the one the tree's lookups keep); a misspelt finding
or reference id gets the closest existing one. Links between questions and ends are the graph's
business (``wizard.policy.lint_graph``), which folds their knock-on effects under them.
"""

from __future__ import annotations

from typing import Any

from wizard.infra.tomlio import describe_loc
from wizard.policy.lint_core import Context

Loc = tuple[str | int, ...]

# Text a reader must see: whitespace alone passes the models' ``min_length`` but says nothing.
_TEXT_FIELDS = {"questions": ("text", "help"), "choices": ("label",), "findings": ("title", "explanation"),
                "ends": ("summary",)}


def check_ids(ctx: Context) -> None:
    """Duplicate ids: questions and ends share one namespace (``next`` names either); findings have theirs."""
    first: dict[str, Loc] = {}
    for table, items in (("questions", ctx.questions), ("ends", ctx.ends)):
        for i, item in enumerate(items):
            _once(ctx, first, item["id"], (table, i, "id"), "duplicate id {!r}")
    seen: dict[str, Loc] = {}
    for i, f in enumerate(ctx.findings):
        _once(ctx, seen, f["id"], ("findings", i, "id"), "duplicate finding id {!r}")
    for qi, q in enumerate(ctx.questions):
        choices: dict[str, Loc] = {}
        for ci, c in enumerate(q["choices"]):
            _once(ctx, choices, c["id"], ("questions", qi, "choices", ci, "id"),
                  f"question {q['id']!r} has duplicate choice id {{!r}}")


def _once(ctx: Context, first: dict[str, Loc], item_id: str, loc: Loc, message: str) -> None:
    if item_id not in first:
        first[item_id] = loc
        return
    line = ctx.line(first[item_id])
    ctx.add(loc, message.format(item_id) + (f" (first used at line {line})" if line else ""))


def check_citations_and_findings(ctx: Context) -> None:
    """Unknown references and findings, a finding raised twice by one choice, findings nothing raises,
    blockers without remediation, and "don't know" answers that count for nothing."""
    refs = ctx.references
    raised: set[str] = set()
    for qi, q in enumerate(ctx.questions):
        for ref in q.get("refs", []):
            if ref not in refs:
                ctx.add(("questions", qi, "refs"), f"question {q['id']!r} cites unknown reference {ref!r} "
                        f"(add it to [references]){ctx.did_you_mean(ref, refs)}")
        for ci, c in enumerate(q["choices"]):
            loc = ("questions", qi, "choices", ci)
            name = f"choice {q['id']}.{c['id']}"
            once: set[str] = set()
            for fid in c.get("raises", []):
                if fid not in ctx.finding_ids:
                    ctx.add((*loc, "raises"), f"{name} raises unknown finding {fid!r}{ctx.did_you_mean(fid, ctx.finding_ids)}")
                elif fid in once:
                    ctx.add((*loc, "raises"), f"{name} raises {fid!r} twice")
                once.add(fid)
            raised.update(once)
            if c.get("dont_know") is True and not c.get("raises"):
                ctx.add((*loc, "dont_know"), f"{name} is a \"don't know\" answer but raises no finding; "
                        "it must count against readiness")
    for fi, f in enumerate(ctx.findings):
        if f["id"] not in raised:
            ctx.add(("findings", fi, "id"), f"finding {f['id']!r} is raised by no choice")
        if f["severity"] == "blocker" and not f.get("remediation"):
            ctx.add(("findings", fi, "remediation"), f"blocker {f['id']!r} has no remediation steps")
        for ref in f.get("refs", []):
            if ref not in refs:
                ctx.add(("findings", fi, "refs"), f"finding {f['id']!r} cites unknown reference {ref!r} "
                        f"(add it to [references]){ctx.did_you_mean(ref, refs)}")


def check_text(ctx: Context) -> None:
    """Blank text (whitespace only) where a reader needs words, and two choices of a question with one label."""
    _blank(ctx, ctx.data, (), ("title",))
    for qi, q in enumerate(ctx.questions):
        _blank(ctx, q, ("questions", qi), _TEXT_FIELDS["questions"])
        labels: dict[str, str] = {}
        for ci, c in enumerate(q["choices"]):
            loc = ("questions", qi, "choices", ci)
            _blank(ctx, c, loc, _TEXT_FIELDS["choices"])
            label = " ".join(c["label"].split()).casefold()
            if label and label in labels:
                ctx.add((*loc, "label"), f"question {q['id']!r}: choices {labels[label]!r} and {c['id']!r} have the "
                        f"same label {c['label']!r}; a reader cannot tell them apart")
            labels.setdefault(label, c["id"])
    for fi, f in enumerate(ctx.findings):
        _blank(ctx, f, ("findings", fi), _TEXT_FIELDS["findings"])
        for si, step in enumerate(f.get("remediation", [])):  # text, or a ``[[findings.remediation]]`` table
            table = isinstance(step, dict)
            if not (step["step"] if table else step).strip():
                ctx.add(("findings", fi, "remediation", si, "step") if table else ("findings", fi, "remediation"),
                        f"{describe_loc(('findings', fi), ctx.data)}: remediation step {si + 1} is blank")
    for ei, e in enumerate(ctx.ends):
        _blank(ctx, e, ("ends", ei), _TEXT_FIELDS["ends"])


def _blank(ctx: Context, item: dict[str, Any], loc: Loc, fields: tuple[str, ...]) -> None:
    for key in fields:
        if key in item and not item[key].strip():
            owner = describe_loc(loc, ctx.data) + ": " if loc else ""
            ctx.add((*loc, key), f"{owner}{key} is blank (only whitespace)")
