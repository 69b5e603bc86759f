"""Answers files: a review recorded as plain TOML, replayed without prompts.

```toml
tree = "generated-auth-code"          # a tree id, or a tree file relative to the repo root
component = "billing-api"
reviewers = ["alice@example.com", "bob@example.com"]
paths = ["services/billing/auth"]     # relative to the repo root
reviewed_at = "2026-11-29T10:00:00Z"  # optional; else SOURCE_DATE_EPOCH, else now

[answers]
stage = "production"

[notes]
stage = "Public API, customer data."

[conditions.job-credential-outlives-job]   # optional, per warning raised: who fixes it, and by when
owner = "bob@example.com"             # default: the first reviewer
due = "2027-01-31"                    # default: the day the attestation expires (no later)
```
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from wizard.infra.errors import AuthreadyError
from wizard.infra.tomlio import load_model
from wizard.infra.workspace import DEFAULT_TREE_ID, looks_like_path
from wizard.policy.answer_field import AnswerField
from wizard.policy.tree import empty_dict, empty_list


class ConditionEntry(BaseModel):
    """``[conditions.<finding>]``: the owner and due date of a raised warning (either may be left to the default)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    owner: str | None = None
    due: str | date | None = None  # "2027-01-31", or TOML's own date 2027-01-31

    @property
    def due_text(self) -> str | None:
        return self.due.isoformat() if isinstance(self.due, date) else self.due


class AnswersFile(BaseModel):
    """The answers-file model; unknown keys are errors (a typo must not pass silently)."""

    # defer_build: ``evaluate ATTESTATION`` imports this module for ``is_attestation`` only and
    # should not pay for compiling a validator it never uses.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    tree: str = DEFAULT_TREE_ID
    component: str = ""
    reviewers: list[str] = Field(default_factory=empty_list)
    paths: list[str] = Field(default_factory=empty_list)
    repo: str | None = None
    reviewed_at: str | None = None
    answers: dict[str, AnswerField] = Field(default_factory=empty_dict)  # a list: a select-all question
    notes: dict[str, str] = Field(default_factory=empty_dict)
    conditions: dict[str, ConditionEntry] = Field(default_factory=empty_dict)


def load_answers(path: Path) -> AnswersFile:
    """Read and validate an answers file; errors name the file and line."""
    af: AnswersFile = load_model(AnswersFile, path)[0]
    return af


def is_attestation(data: dict[str, object]) -> bool:
    """An attestation has a ``schema_version``; an answers file does not."""
    return "schema_version" in data


def tree_ref(af: AnswersFile, source: Path, root: Path) -> str:
    """The tree an answers file names: an id, or a file relative to the repo root.

    One rule for every path written in a file (the answers' ``paths``, an attestation's
    ``policy.source``): it starts at the repo root (the working folder outside git), wherever
    the file itself sits. Paths typed on the command line start at the working folder.
    """
    ref = af.tree
    if not ref:
        raise AuthreadyError("tree: must name a tree id or file", path=source)
    if looks_like_path(ref):
        p = Path(ref)
        return str(p if p.is_absolute() else root / p)
    return ref


def names_tree(af: AnswersFile) -> bool:
    """Whether the file sets ``tree`` itself (not the default)."""
    return "tree" in af.model_fields_set
