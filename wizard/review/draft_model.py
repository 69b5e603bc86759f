"""The draft file's model (pydantic), apart from :mod:`wizard.review.drafts`.

Listing drafts happens before a plain front-end's first prompt, which is
measured against a bare ``import questionary, pydantic``: the listing reads
drafts with ``tomllib`` only, and this model (pydantic) is imported once a
draft is actually resumed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from wizard.policy.answer_field import AnswerField


class Draft(BaseModel):
    """The draft file: enough to resume a review exactly where it stopped."""

    model_config = ConfigDict(extra="forbid")

    draft: int = 1
    tree: str
    component: str = ""
    reviewers: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    position: int = 0
    answers: dict[str, AnswerField] = Field(default_factory=dict)  # a list: a select-all answer
    notes: dict[str, str] = Field(default_factory=dict)
    redo: list[str] = Field(default_factory=list)
    replaces: str = ""  # the attestation a re-review (--from) may supersede, as an absolute path
    conditions: dict[str, dict[str, str]] = Field(default_factory=dict)  # warning id -> owner and/or due
