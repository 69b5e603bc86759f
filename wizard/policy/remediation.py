"""Remediation as a plan: each step has a phase and a check that says when it is done.

A verdict lists what to do in the order a team does it: *contain now* (stop the damage that may
already be happening), *fix before release* (the blockers), *conditions* (the warnings: shipped
with an owner and a due date) and *verify* (prove it holds). A step written as plain text takes
its finding's phase: a blocker's steps are fixes, a warning's are conditions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Phase = Literal["contain", "fix", "condition", "verify"]
PHASES: tuple[Phase, ...] = ("contain", "fix", "condition", "verify")
PHASE_TITLES = {
    "contain": "Contain now",
    "fix": "Fix before release",
    "condition": "Conditions (each with an owner and a due date)",
    "verify": "Verify",
}


class RemediationStep(BaseModel):
    """One step of a finding's remediation, with how to tell it is done."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    step: str = Field(min_length=1, description="what to do, as an instruction")
    done_when: str = Field(default="", description="the check that shows the step is done (a test, a setting, "
                           "a record someone can look at)")
    phase: Phase | None = Field(default=None, description="`contain` (now), `fix` (before release), `condition` "
                                "(owned and dated), `verify`; default: `fix` for a blocker's steps, `condition` "
                                "for a warning's")


def phase_of(step: str | RemediationStep, severity: str) -> Phase:
    """The phase a step falls in: its own, else its finding's default."""
    if isinstance(step, RemediationStep) and step.phase is not None:
        return step.phase
    return "fix" if severity == "blocker" else "condition"


def step_text(step: str | RemediationStep) -> str:
    """The step as one line of text: the instruction, and its check when it has one."""
    if isinstance(step, str):
        return step
    return f"{step.step} (done when: {step.done_when})" if step.done_when else step.step
