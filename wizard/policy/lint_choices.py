"""Lint checks of what answers do beyond leading on: select-all questions, exclusive answers, caps, rewordings.

Each catches a tree that loads but does not mean what its owner meant: a "select all that apply"
question with one real answer is a one-answer question; a "don't know" that can be ticked beside
known answers says two things at once; ``exclusive`` on a one-answer question and ``cap = "go"``
change nothing; a ``reworded_from`` listing the question's current hash vouches for nothing.
Every check is one pass over the questions (linear; ``wizard.policy.lint`` says why it matters).
"""

from __future__ import annotations

from typing import Any

from wizard.policy.lint_core import Context


def question_sha256(q: dict[str, Any]) -> str:
    """``Question.text_sha256`` of a question's raw data (lint imports no pydantic; a test keeps them equal)."""
    import hashlib  # here: only a tree with ``reworded_from`` pays for it (lint-on-save counts its imports)

    blob = q["text"] + "\n" + "\n".join(f"{c['id']}\t{c['label']}" for c in q["choices"])
    if q.get("select") == "many":
        blob += "\nselect: many\nexclusive: " + ",".join(c["id"] for c in q["choices"] if c.get("exclusive") is True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def check_choices(ctx: Context) -> None:
    """Select-all questions and their exclusive answers, caps that cap nothing, and rewordings of oneself."""
    for qi, q in enumerate(ctx.questions):
        many = q.get("select") == "many"
        loc = ("questions", qi)
        for ci, c in enumerate(q["choices"]):
            at = ("questions", qi, "choices", ci)
            name = f"choice {q['id']}.{c['id']}"
            if c.get("exclusive") is True and not many:
                ctx.add((*at, "exclusive"), f"{name} is exclusive, but question {q['id']!r} takes one answer anyway; "
                        "`exclusive` is for a `select = \"many\"` question's \"none of these\" or \"don't know\"")
            if many and c.get("dont_know") is True and c.get("exclusive") is not True:
                ctx.add((*at, "dont_know"), f"{name} is a \"don't know\" answer of a select-all question but not "
                        "exclusive: it could be ticked beside answers the team does know; add `exclusive = true`")
            if c.get("cap") == "go":
                ctx.add((*at, "cap"), f"{name}: cap = \"go\" caps nothing (GO is the best verdict); remove it")
        plain = [c["id"] for c in q["choices"] if c.get("exclusive") is not True]
        if many and len(plain) < 2:
            has = f"only {plain[0]!r} is not exclusive" if plain else "every answer is exclusive"
            ctx.add((*loc, "select"), f"question {q['id']!r} is select-all-that-apply, but {has}: it is a "
                    "one-answer question (remove `select = \"many\"`)")
        if q.get("reworded_from") and question_sha256(q) in q["reworded_from"]:
            ctx.add((*loc, "reworded_from"), f"question {q['id']!r}: reworded_from lists the question's current "
                    "hash; list only the `question_sha256` of earlier wordings (`authready tree diff` prints them)")
