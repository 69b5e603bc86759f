"""How files hold an answer (answers files, scenarios, drafts): a choice id, or a list for a select-all question.

One type with one clear error, so a wrong shape in any of those files reads the same; which
shape a question takes is the engine's check (``wizard.policy.engine.selected_choices``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, WithJsonSchema


def _answer_shape(v: object) -> str | list[str]:
    if isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)):
        return v
    raise ValueError("an answer is a choice id (a string), or for a select-all question a list of choice ids")


AnswerField = Annotated[
    Any,
    AfterValidator(_answer_shape),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                    "description": "a choice id, or for a select-all question a list of choice ids"}),
]
"""An answer as files hold it (answers files, scenarios, drafts): one clear error for a wrong shape."""
