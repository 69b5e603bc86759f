"""The table of ``authready tree diff``: each kind of change, the semver part it needs, and how it reads.

``wizard.policy.diff`` says why the parts are what they are; ``docs/tree-format.md`` renders this
table (``scripts/format_reference.py``), so the reference and the diff cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Part = Literal["major", "minor", "patch"]
PARTS: tuple[Part, ...] = ("major", "minor", "patch")


@dataclass(frozen=True)
class Rule:
    """One kind of change: the semver part it needs, what it is (docs) and how a change of it reads."""

    part: Part
    what: str
    says: str  # ``{s}`` the subject, ``{old}``/``{new}`` the values


RULES: dict[str, Rule] = {
    "id": Rule("major", "the tree's `id` changes (attestations name a tree by id: it is another tree)", "{s}: id {old} → {new}"),
    "format": Rule("major", "the file `format` changes", "{s}: format {old} → {new}"),
    "start": Rule("major", "`start` names another question", "{s}: start {old} → {new}"),
    "question-removed": Rule("major", "a question is removed (recorded answers to it are lost)", "{s} removed"),
    "choice-removed": Rule("major", "a choice is removed (recorded answers naming it become invalid)", "{s} removed"),
    "choice-next": Rule("major", "a choice leads elsewhere (`next`): the same answers walk another path", "{s}: next {old} → {new}"),
    "choice-raises": Rule("major", "a choice raises other findings (`raises`)", "{s}: raises [{old}] → [{new}]"),
    "choice-cap": Rule("major", "a choice's `cap` changes, either way (the verdict of every review with that answer)",
                       "{s}: cap {old} → {new}"),
    "choice-moots": Rule("major", "a choice's `moots` changes (the walk asks other questions after it)",
                         "{s}: moots [{old}] → [{new}]"),
    "choice-exclusive": Rule("major", "a choice becomes `exclusive` (recorded answers selecting it with others become "
                             "invalid)", "{s}: exclusive {old} → {new}"),
    "question-select": Rule("major", "a question's `select` changes (one answer ↔ select all that apply: recorded "
                            "answers no longer fit)", "{s}: select {old} → {new}"),
    "question-next": Rule("major", "a question's own `next` changes (where its choices without a `next` lead, and "
                          "where the walk goes when it is moot)", "{s}: next {old} → {new}"),
    "finding-removed": Rule("major", "a finding is removed", "{s} removed"),
    "finding-severity": Rule("major", "a finding's `severity` changes, either way (the verdicts that raise it change)",
                             "{s}: severity {old} → {new}"),
    "end-removed": Rule("major", "an end is removed", "{s} removed"),
    "end-outcome": Rule("major", "an end's `outcome` changes, either way (the cap of every path ending there)",
                        "{s}: outcome {old} → {new}"),
    "policy-stricter": Rule("major", "an outcome policy gets stricter: fewer `valid_days` or more `required_signers` "
                            "(signed attestations may stop passing `check`)", "{s} {old} → {new} (stricter)"),
    "question-added": Rule("minor", "a question is added (a choice leading to it is a `next` change)", "{s} added"),
    "choice-added": Rule("minor", "a choice is added (no old answer chose it, but the question's `text_sha256` changes)", "{s} added"),
    "finding-added": Rule("minor", "a finding is added (a choice raising it is a `raises` change)", "{s} added"),
    "end-added": Rule("minor", "an end is added (a choice leading to it is a `next` change)", "{s} added"),
    "question-text": Rule("minor", "a question's `text` changes (its `text_sha256` changes: recorded answers to it go stale)",
                          "{s}: text {old} → {new}"),
    "choice-label": Rule("minor", "a choice's `label` changes (the question's `text_sha256` changes)", "{s}: label {old} → {new}"),
    "choices-order": Rule("minor", "a question's choices are reordered (its `text_sha256` changes)", "{s}: choices {old} → {new}"),
    "choice-inclusive": Rule("minor", "a choice is no longer `exclusive` (every recorded answer stays valid, but a "
                             "select-all question's `text_sha256` changes)", "{s}: exclusive {old} → {new}"),
    "reworded-removed": Rule("minor", "a hash is dropped from a question's `reworded_from` (answers recorded under "
                             "that wording go stale)", "{s}: reworded_from drops {old}"),
    "policy-looser": Rule("minor", "an outcome policy gets looser: more `valid_days` or fewer `required_signers`",
                          "{s} {old} → {new} (looser)"),
    "question-text-editorial": Rule("patch", "a question's `text` changes and the question lists its old "
                                    "`text_sha256` in `reworded_from` (editorial: recorded answers stay valid)",
                                    "{s}: text {old} → {new} (editorial: in reworded_from)"),
    "choice-label-editorial": Rule("patch", "a choice's `label` changes and its question lists its old "
                                   "`text_sha256` in `reworded_from`", "{s}: label {old} → {new} (editorial: in "
                                   "reworded_from)"),
    "choices-order-editorial": Rule("patch", "a question's choices are reordered and it lists its old "
                                    "`text_sha256` in `reworded_from`", "{s}: choices {old} → {new} (editorial: in "
                                    "reworded_from)"),
    "reworded-added": Rule("patch", "a hash is added to a question's `reworded_from` (an earlier wording declared "
                           "editorial: attestations that answered it stay valid)", "{s}: reworded_from adds {new}"),
    "question-help": Rule("patch", "a question's `help`", "{s}: help reworded"),
    "question-area": Rule("patch", "a question's `area`", "{s}: area {old} → {new}"),
    "question-refs": Rule("patch", "a question's `refs`", "{s}: refs [{old}] → [{new}]"),
    "choice-dont-know": Rule("patch", "a choice's `dont_know` marker (the verdict does not read it)", "{s}: dont_know {old} → {new}"),
    "finding-title": Rule("patch", "a finding's `title`", "{s}: title {old} → {new}"),
    "finding-explanation": Rule("patch", "a finding's `explanation`", "{s}: explanation reworded"),
    "finding-remediation": Rule("patch", "a finding's `remediation` steps", "{s}: remediation changed"),
    "finding-desired-outcome": Rule("patch", "a finding's `desired_outcome`", "{s}: desired outcome reworded"),
    "finding-anti-patterns": Rule("patch", "a finding's `anti_patterns`", "{s}: anti-patterns changed"),
    "finding-refs": Rule("patch", "a finding's `refs`", "{s}: refs [{old}] → [{new}]"),
    "end-summary": Rule("patch", "an end's `summary`", "{s}: summary reworded"),
    "reference": Rule("patch", "a `[references]` entry is added, removed or reworded", "{s}: {old} → {new}"),
    "tree-text": Rule("patch", "the tree's `title` or `description`", "{s} reworded"),
}
