"""Renderings of verdicts and trees: text for terminals, JSON for tools, Markdown for PRs, Mermaid for diagrams.

Everything renders from the attestation model (an answers file is first
built into one in memory), so ``evaluate`` on an answers file and on the
attestation it produced print the same thing.
"""

from __future__ import annotations

import json
import re

from wizard.attestation.model import Attestation
from wizard.policy.tree import Tree


def verdict_text(att: Attestation) -> str:
    """A plain-text verdict: outcome, findings with their why, remediation, references."""
    v = att.verdict
    out = [f"Verdict: {v.label}", f"Component: {att.subject.component}  ({att.subject.repo})"]
    out.append(f"Policy: {att.policy.tree} {att.policy.version}   Reviewers: {', '.join(att.review.reviewers)}")
    out.append(f"Reviewed: {att.review.reviewed_at}   Expires: {att.review.expires_at}   Signers required: {v.required_signers}")
    if v.summary:
        out += ["", v.summary]
    for sev, title in (("blocker", "Blockers"), ("warning", "Warnings")):
        fs = [f for f in v.findings if f.severity.value == sev]
        if fs:
            out += ["", f"{title}:"]
            for f in fs:
                out.append(f"  - [{f.id}] {f.title}")
                out.append(f"      because: {', '.join(f.raised_by)}")
    if v.remediation:
        out += ["", "Remediation:"]
        out += [f"  {i}. {step}" for i, step in enumerate(v.remediation, 1)]
    if v.references:
        out += ["", "References: " + "; ".join(v.references)]
    return "\n".join(out) + "\n"


def verdict_json(att: Attestation) -> str:
    """The attestation as JSON (same fields as the TOML)."""
    return json.dumps(att.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: str) -> str:
    """Escape Markdown so data cannot format itself (or inject HTML) in a PR description."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def verdict_markdown(att: Attestation) -> str:
    """A PR-description block: a heading with the outcome, then findings and a checklist."""
    v = att.verdict
    icon = {"go": "✅", "conditional": "⚠️", "prototype": "🧪", "no-go": "⛔"}[v.outcome.value]
    out = [f"### {icon} authready: {md(v.label)} — {md(att.subject.component)}", ""]
    out.append(
        f"Policy `{att.policy.tree}` v{md(att.policy.version)} sha256:{att.policy.sha256[:8]} · reviewed {att.review.reviewed_at} by "
        f"{md(', '.join(att.review.reviewers))} · expires {att.review.expires_at} · "
        f"{v.required_signers} signature(s) required"
    )
    if v.summary:
        out += ["", md(v.summary)]
    if v.findings:
        out += ["", "| Severity | Finding | Raised by |", "| --- | --- | --- |"]
        for f in v.findings:
            out.append(f"| {f.severity.value} | {md(f.title)} | {md(', '.join(f.raised_by))} |")
    if v.remediation:
        out += ["", "**Remediation**", ""]
        out += [f"- [ ] {md(step)}" for step in v.remediation]
    if v.references:
        out += ["", "References: " + "; ".join(md(r) for r in v.references)]
    return "\n".join(out) + "\n"


def render_verdict(att: Attestation, fmt: str) -> str:
    return {"text": verdict_text, "json": verdict_json, "markdown": verdict_markdown}[fmt](att)


# -- trees --------------------------------------------------------------------------------------


def tree_text(tree: Tree) -> str:
    """The whole tree as an indented outline: questions, choices, where they lead, what they raise."""
    out = [f"{tree.title} ({tree.id} {tree.version}); start: {tree.start}", ""]
    for q in tree.questions:
        out.append(f"[{q.id}] {q.text}")
        for c in q.choices:
            raises = f"  raises {', '.join(c.raises)}" if c.raises else ""
            out.append(f"    {c.id}: {c.label} -> {c.next}{raises}")
    out.append("")
    for e in tree.ends:
        out.append(f"(end {e.id}) {e.outcome.label}: {e.summary}")
    return "\n".join(out) + "\n"


def tree_json(tree: Tree) -> str:
    return json.dumps(tree.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _mermaid_label(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "#quot;".join(re.sub(r"[<>{}\[\]|`]", " ", text).split('"'))


def _mid(node_id: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", node_id)


def tree_mermaid(tree: Tree) -> str:
    """A Mermaid flowchart of the whole tree, for a README or PR (GitHub renders it)."""
    out = ["flowchart TD"]
    for q in tree.questions:
        out.append(f'    {_mid(q.id)}["{_mermaid_label(q.text)}"]')
    for e in tree.ends:
        out.append(f'    {_mid(e.id)}(["{e.outcome.label}"])')
    for q in tree.questions:
        for c in q.choices:
            label = _mermaid_label(c.label, 40)
            if c.raises:
                label += " ⚑"
            out.append(f'    {_mid(q.id)} -->|"{label}"| {_mid(c.next)}')
    colours = {"go": "#2e7d32", "conditional": "#f9a825", "prototype": "#1565c0", "no-go": "#c62828"}
    for outcome, colour in colours.items():
        ids = [_mid(e.id) for e in tree.ends if e.outcome.value == outcome]
        if ids:
            cls = outcome.replace("-", "")
            out.append(f"    classDef {cls} fill:{colour},color:#fff")
            out.append(f"    class {','.join(ids)} {cls}")
    return "\n".join(out) + "\n"


def render_tree(tree: Tree, fmt: str) -> str:
    return {"text": tree_text, "json": tree_json, "mermaid": tree_mermaid}[fmt](tree)
