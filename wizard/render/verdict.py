"""Renderings of verdicts and trees: text for terminals, JSON for tools, Markdown for PRs, Mermaid for diagrams.

Everything renders from the attestation model (an answers file is first
built into one in memory), so ``evaluate`` on an answers file and on the
attestation it produced print the same thing. What the attestation does not
record — which answers capped the verdict (a choice's ``cap``) and which
questions were passed as moot — comes from the tree it was judged by, when
that tree is at hand with the very hash the attestation names
(``recorded_tree``); with any other tree those lines are left out rather
than guessed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from wizard.attestation.model import Attestation
from wizard.policy.tree import Choice, Question, Tree
from wizard.render.escape import one_line


class Why(NamedTuple):
    """What a verdict's tree adds to an attestation: each answer that capped the outcome as (question id,
    the choice with the ``cap``), and each question passed as moot as (its id, the question whose answer
    made it moot, the selected choices that did)."""

    capped: list[tuple[str, Choice]]
    moot: list[tuple[str, str, list[Choice]]]


def recorded_tree(att: Attestation, near: Path | None = None) -> Tree | None:
    """The tree ``att`` was judged by, when it can add something (answers that cap, questions made moot)
    and is found with the hash ``att`` records; else None.

    A shipped or installed tree is found by id; a repo's tree by its repo-relative ``policy.source``,
    from the working folder's repo or (``near``: the file being shown) that file's. Only a tree with the
    recorded hash counts, so trying several places can never show another policy's reasons. Its raw data
    is read first (a shipped tree's parsed twin: no TOML parse), and only a tree with a ``cap`` or a
    ``moots`` is validated: ``evaluate`` of an attestation stays as cheap as it was for every other tree.
    """
    import hashlib

    from wizard.infra.errors import AuthreadyError
    from wizard.infra.tomlio import parse_toml, read_text
    from wizard.infra.workspace import repo_context, tree_file
    from wizard.policy.parsed import shipped_data
    from wizard.policy.tree import parse_tree

    src = att.policy.source
    refs: list[str | Path] = [att.policy.tree] if src is None else list(dict.fromkeys(
        repo_context(where)[0] / src for where in (None, near.resolve().parent if near else None)))
    for ref in refs:
        try:
            path = tree_file(ref)
            text = read_text(path)
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != att.policy.sha256:
                continue
            data = shipped_data(path, att.policy.sha256) or parse_toml(text, path)
            return parse_tree(text, path).tree if _caps_or_moots(data) else None
        except AuthreadyError:
            continue
    return None


def _caps_or_moots(data: dict[str, Any]) -> bool:
    """Whether a tree's raw data has an answer with a ``cap`` or a ``moots`` (it is validated later)."""
    for q in data.get("questions") or []:
        for c in (q.get("choices") or []) if isinstance(q, dict) else []:
            if isinstance(c, dict) and (c.get("cap") or c.get("moots")):
                return True
    return False


def why(att: Attestation, tree: Tree | None) -> Why:
    """The caps and moot questions of ``att``'s walk through ``tree`` (none without a tree, or with a tree
    that does not give the recorded outcome)."""
    if tree is None:
        return Why([], [])
    from wizard.policy.engine import evaluate  # here: `evaluate` of an attestation without one never loads it

    v = evaluate(tree, att.answer_map())
    if v.outcome is not att.verdict.outcome:
        return Why([], [])
    capped = [(step.question.id, c) for step, c in v.capped]
    moot = [(skip.question.id, skip.by.question.id, _mooting(skip.by.selected, skip.question)) for skip in v.walk.skipped]
    return Why(capped, moot)


def _mooting(selected: tuple[Choice, ...], q: Question) -> list[Choice]:
    return [c for c in selected if q.id in c.moots]


def _why_lines(w: Why) -> list[str]:
    out = [one_line(f"At best {c.cap.label}: {qid} → {c.label}") for qid, c in w.capped if c.cap is not None]
    out += [one_line(f"Not asked: {qid} (moot after {by} → {'; '.join(c.label for c in cs)})") for qid, by, cs in w.moot]
    return out


def verdict_text(att: Attestation, tree: Tree | None = None) -> str:
    """A plain-text verdict: outcome, what capped it and which questions were moot (given the tree it was
    judged by), findings with their why, remediation, the answers (a select-all answer's labels joined by
    "; "), references."""
    v = att.verdict
    out = [f"Verdict: {v.label}", f"Component: {att.subject.component}  ({att.subject.repo})"]
    out.append(f"Policy: {att.policy.tree} {att.policy.version}   Reviewers: {', '.join(att.review.reviewers)}")
    out.append(f"Reviewed: {att.review.reviewed_at}   Expires: {att.review.expires_at}   Signers required: {v.required_signers}")
    if v.summary:
        out += ["", v.summary]
    reasons = _why_lines(why(att, tree))
    if reasons:
        out += ["", *reasons]
    owned = {c.finding: c for c in v.conditions or []}  # each warning's owner and due date
    for sev, title in (("blocker", "Blockers"), ("warning", "Warnings")):
        fs = [f for f in v.findings if f.severity.value == sev]
        if fs:
            out += ["", f"{title}:"]
            for f in fs:
                out.append(f"  - [{f.id}] {f.title}")
                out.append(f"      because: {', '.join(f.raised_by)}")
                if f.id in owned:
                    out.append(one_line(f"      owner: {owned[f.id].owner}, due {owned[f.id].due}"))
    if v.remediation:
        out += ["", "Remediation:"]
        out += [f"  {i}. {step}" for i, step in enumerate(v.remediation, 1)]
    if att.answers:
        out += ["", "Answers:"]
        out += [one_line(f"  {a.question} → {'; '.join(a.labels)}") for a in att.answers]
    if v.references:
        out += ["", "References: " + "; ".join(v.references)]
    return "\n".join(out) + "\n"


def verdict_json(att: Attestation, tree: Tree | None = None) -> str:
    """The attestation as JSON (same fields as the TOML), and with the tree it was judged by a ``why``:
    the answers that capped the outcome and the questions passed as moot (when there are any)."""
    data = att.model_dump(mode="json", exclude_none=True)
    w = why(att, tree)
    if w.capped or w.moot:
        data["why"] = {
            "capped": [{"question": qid, "choice": c.id, "answer": c.label, "cap": c.cap.value}
                       for qid, c in w.capped if c.cap is not None],
            "moot": [{"question": qid, "moot_after": f"{by}={','.join(c.id for c in cs)}"} for qid, by, cs in w.moot],
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: str) -> str:
    """Escape Markdown so data cannot format itself (or inject HTML) in a PR description."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def verdict_markdown(att: Attestation, tree: Tree | None = None) -> str:
    """A PR-description block: a heading with the outcome, what capped it and which questions were moot,
    then findings, a checklist and the answers."""
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
    reasons = _why_lines(why(att, tree))
    if reasons:
        out += [""] + [f"- {md(line)}" for line in reasons]
    if v.findings:
        out += ["", "| Severity | Finding | Raised by |", "| --- | --- | --- |"]
        for f in v.findings:
            out.append(f"| {f.severity.value} | {md(f.title)} | {md(', '.join(f.raised_by))} |")
    if v.conditions:
        out += ["", "**Conditions**", "", "| Warning | Owner | Due |", "| --- | --- | --- |"]
        titles = {f.id: f.title for f in v.findings}
        out += [f"| {md(titles.get(c.finding, c.finding))} | {md(c.owner)} | {c.due} |" for c in v.conditions]
    if v.remediation:
        out += ["", "**Remediation**", ""]
        out += [f"- [ ] {md(step)}" for step in v.remediation]
    if att.answers:
        out += ["", "**Answers**", "", "| Question | Answer |", "| --- | --- |"]
        out += [f"| {md(a.question)} | {md('; '.join(a.labels))} |" for a in att.answers]
    if v.references:
        out += ["", "References: " + "; ".join(md(r) for r in v.references)]
    return "\n".join(out) + "\n"


def render_verdict(att: Attestation, fmt: str, tree: Tree | None = None) -> str:
    """``att`` in ``fmt``; ``tree``: the tree it was judged by (``recorded_tree``), for its caps and moot questions."""
    return {"text": verdict_text, "json": verdict_json, "markdown": verdict_markdown}[fmt](att, tree)


# -- trees --------------------------------------------------------------------------------------


def tree_text(tree: Tree) -> str:
    """The whole tree as an indented outline: questions, choices, where they lead, what they raise and cap,
    which answers stand alone and what they make moot."""
    out = [f"{tree.title} ({tree.id} {tree.version}); start: {tree.start}", ""]
    for q in tree.questions:
        out.append(f"[{q.id}] {q.text}")
        if q.many:
            out.append("    * select all that apply")
        if q.next:
            out.append(f"    * answers without a next of their own, and the walk when this is moot -> {q.next}")
        for c in q.choices:
            out.append(f"    {c.id}: {c.label} -> {q.route(c) or '(nowhere)'}{_choice_notes(c)}")
    out.append("")
    for e in tree.ends:
        out.append(f"(end {e.id}) {e.outcome.label}: {e.summary}")
    return "\n".join(out) + "\n"


def _choice_notes(c: Choice) -> str:
    notes = ["alone"] if c.exclusive else []
    if c.cap is not None:
        notes.append(f"at best {c.cap.label}")
    if c.raises:
        notes.append(f"raises {', '.join(c.raises)}")
    if c.moots:
        notes.append(f"moots {', '.join(c.moots)}")
    return "".join(f"  {n}" for n in notes)


def tree_json(tree: Tree) -> str:
    return json.dumps(tree.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _mermaid_label(text: str, limit: int = 60) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "#quot;".join(re.sub(r"[<>{}\[\]|`]", " ", text).split('"'))


def mermaid_ids(tree: Tree) -> dict[str, str]:
    """Node ids by tree id: ``q<n>`` for the n-th question, ``e<n>`` for the n-th end (the first definition of
    a duplicated id, as the tree's lookups). Derived from positions, so no two ids can merge into one node, as
    ``pilot-source`` and ``pilot_source`` did when ids were spelled from the names; the real id is in the label."""
    ids: dict[str, str] = {}
    for i, q in enumerate(tree.questions):
        ids.setdefault(q.id, f"q{i}")
    for i, e in enumerate(tree.ends):
        ids.setdefault(e.id, f"e{i}")
    return ids


def tree_mermaid(tree: Tree) -> str:
    """A Mermaid flowchart of the whole tree, for a README or PR (GitHub renders it).

    A select-all question is a double-bordered box; an edge's label ends with ⚑ when the answer raises a
    finding, "(alone)" when it is exclusive, "(at best OUTCOME)" when it caps the verdict. A dotted edge goes
    from an answer's question to each question it makes moot, and from a question that can be moot to its
    ``next``.
    """
    ids = mermaid_ids(tree)
    out = ["flowchart TD"]
    for i, q in enumerate(tree.questions):
        label = f"{q.id}: {_mermaid_label(q.text)}" if ids.get(q.id) == f"q{i}" else None
        if label is not None:
            out.append(f'    q{i}[["{label}"]]' if q.many else f'    q{i}["{label}"]')
    for i, e in enumerate(tree.ends):
        if ids.get(e.id) == f"e{i}":
            out.append(f'    e{i}(["{e.id}: {e.outcome.label}"])')
    mootable: set[str] = set()
    for q in tree.questions:
        for c in q.choices:
            label = _mermaid_label(c.label, 40) + _edge_notes(c)
            target = ids.get(q.route(c))
            if target is not None:
                out.append(f'    {ids[q.id]} -->|"{label}"| {target}')
            for moot in c.moots:
                if moot in ids:
                    mootable.add(moot)
                    out.append(f'    {ids[q.id]} -.->|"moot after: {_mermaid_label(c.label, 40)}"| {ids[moot]}')
    for q in tree.question_map.values():
        if q.id in mootable and q.next in ids:
            out.append(f'    {ids[q.id]} -.->|"when moot"| {ids[q.next]}')
    colours = {"go": "#2e7d32", "conditional": "#f9a825", "prototype": "#1565c0", "no-go": "#c62828"}
    for outcome, colour in colours.items():
        nodes = [ids[e.id] for e in tree.ends if e.outcome.value == outcome and ids.get(e.id, "").startswith("e")]
        if nodes:
            cls = outcome.replace("-", "")
            out.append(f"    classDef {cls} fill:{colour},color:#fff")
            out.append(f"    class {','.join(dict.fromkeys(nodes))} {cls}")
    return "\n".join(out) + "\n"


def _edge_notes(c: Choice) -> str:
    notes = " ⚑" if c.raises else ""
    if c.exclusive:
        notes += " (alone)"
    if c.cap is not None:
        notes += f" (at best {c.cap.label})"
    return notes


def render_tree(tree: Tree, fmt: str) -> str:
    return {"text": tree_text, "json": tree_json, "mermaid": tree_mermaid}[fmt](tree)
