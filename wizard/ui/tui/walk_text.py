"""How the screens say what a walk did beyond its findings: caps, moot questions, who raised what.

A select-all answer selects several choices, so "the answer" of a step is not one
label: findings name the selected answers that raised them (``Step.raising``), an
answer's ``cap`` names that very answer, and a question an earlier answer made moot
is shown as not asked, with the answer that made it so. The live verdict, the
summary and the overview share these lines (plain mode words them the same way), so
they read alike everywhere. Tree text goes through :func:`literal`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from wizard.ui.tui.text import join, literal

if TYPE_CHECKING:
    from wizard.policy.engine import Cap, Skip, Step, Walk
    from wizard.policy.tree import Choice, Tree


def raised_labels(step: Step, finding_id: str) -> str:
    """The labels of the answers of ``step`` that raised ``finding_id`` (every label when none is found)."""
    chosen = step.raising(finding_id)
    return "; ".join(c.label for c in chosen) if chosen else step.label


def cap_source(cap: Cap) -> Choice | None:
    """The answer whose own ``cap`` set the path's cap (None when the path's ends set it)."""
    if cap.by is None:
        return None
    return next((c for c in cap.by.selected if c.cap is cap.outcome), None)


def cap_line(step: Step, choice: Choice) -> Text:
    """``At best GO WITH CONDITIONS: <question> → <answer>``: an answer that caps the verdict."""
    assert choice.cap is not None
    return join(f"At best {choice.cap.label}: ", literal(step.question.text), " → ", literal(choice.label, "italic"))


def moot_choice(skip: Skip) -> Choice:
    """The selected answer that made ``skip.question`` moot."""
    return next((c for c in skip.by.selected if skip.question.id in c.moots), skip.by.choice)


def skip_line(skip: Skip) -> Text:
    """``Not asked: <question> (moot after <question> → <answer>)``: a question passed without asking."""
    return join("Not asked: ", literal(skip.question.text), " (moot after ", literal(skip.by.question.text), " → ",
                literal(moot_choice(skip).label, "italic"), ")")


def path_entries(tree: Tree, walk: Walk) -> list[Step | Skip]:
    """The answered steps and the questions passed as moot, in the order the walk met them."""
    steps = {s.question.id: s for s in walk.steps}
    skips = {k.question.id: k for k in walk.skipped}
    out: list[Step | Skip] = []
    node: str | None = tree.start
    while node is not None and (node in steps or node in skips):
        if node in steps:
            step = steps.pop(node)
            out.append(step)
            node = step.next
        else:
            skip = skips.pop(node)
            out.append(skip)
            node = skip.question.next
    # Whatever the chain did not reach (it always does in a tree lint accepts) still shows.
    return out + list(steps.values()) + list(skips.values())
