"""Tree tests: a tree's scenarios file (answers -> expected verdict), loaded and checked.

Each tree has ``<tree>.scenarios.toml`` beside it (or one given with ``tree test --scenarios``):

```toml
tree = "generated-auth-code"
exact = false                    # true: every scenario's findings must be exactly the ones raised
[[scenarios]]
name = "invented token format"
outcome = "no-go"                # or: unanswered = "<question id>"
findings = ["invented-flow"]     # must be raised (with exact: and nothing else may be)
absent = []                      # must not be raised
[scenarios.answers]
stage = "production"
```

Loading refuses a malformed file as a whole (one line naming the file, the scenario and the line;
exit 2). Running never stops at a bad scenario: an unknown question, choice or finding id fails
that scenario alone (``wizard.policy.scenarios_run``), so one typo cannot hide the other results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from pydantic import BaseModel, ConfigDict, Field

from wizard.infra.errors import AuthreadyError, InputError
from wizard.infra.tomlio import parse_toml, read_text
from wizard.policy.answer_field import AnswerField
from wizard.policy.tree import LoadedTree, Outcome, empty_list

if TYPE_CHECKING:
    from pydantic import ValidationError

    from wizard.policy.scenarios_run import Result


class Scenario(BaseModel):
    """One situation: answers to walk the tree with, and what the walk must give."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="what the situation is; shown when the scenario passes or fails")
    answers: dict[str, AnswerField] = Field(
        description="question id = choice id, as in an answers file; answers off the walked path fail the scenario"
    )
    outcome: Outcome | None = Field(
        default=None, description="the verdict the answers must give (set this or `unanswered`)"
    )
    unanswered: str | None = Field(
        default=None, description="the question id where the walk must stop for want of an answer (instead of `outcome`)"
    )
    findings: list[str] = Field(
        default_factory=empty_list,
        description="finding ids that must be raised; in exact mode, exactly these and no others",
    )
    absent: list[str] = Field(default_factory=empty_list, description="finding ids that must not be raised")
    exact: bool | None = Field(
        default=None,
        description="true: the raised findings must equal `findings` (so `findings = []` asserts none is raised); "
        "unset: the file's `exact`",
    )


class ScenarioFile(BaseModel):
    """A tree's scenarios file (``<tree>.scenarios.toml``), run by ``authready tree test``."""

    model_config = ConfigDict(extra="forbid")

    schema_ref: str = Field(
        default="", alias="$schema", exclude=True, title="$schema",
        description="optional: a JSON Schema path or URL for editors (write `\"$schema\" = \"…\"`, quoted); "
        "ignored by authready. taplo's `#:schema` comment works too",
    )
    tree: str = Field(description="the id of the tree these scenarios test")
    exact: bool = Field(
        default=False, description="exact mode for every scenario that does not set its own `exact`"
    )
    scenarios: list[Scenario] = Field(min_length=1, description="the situations, run in file order")


@dataclass(frozen=True)
class ScenarioSource:
    """A loaded scenarios file with its path and text (the text gives each scenario's line)."""

    file: ScenarioFile
    path: Path
    text: str


def scenarios_path(tree_path: Path) -> Path:
    """Where a tree's scenarios live by default: ``<tree>.scenarios.toml`` beside the tree file."""
    return tree_path.with_name(tree_path.stem + ".scenarios.toml")


def parse_scenarios(text: str, path: Path) -> ScenarioFile:
    """Validate TOML text as a scenarios file; an error names the file, the scenario and its line."""
    from pydantic import ValidationError

    data = parse_toml(text, path)
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc, data, text, path) from None


def load_scenarios(path: Path) -> ScenarioFile:
    """Read and validate a scenarios file."""
    return parse_scenarios(read_text(path), path)


MISSING_HINT = "write one (format: docs/testing-trees.md; `authready tree new ID` starts a tree with one)"


def read_scenarios(loaded: LoadedTree, path: Path | None = None, *, hint: str = "") -> ScenarioSource:
    """The tree's scenarios (beside it unless ``path`` is given), refused when missing or for another tree.

    ``hint`` is appended to the "no scenarios file" message: a command that can take another file says how.
    """
    if path is None:
        path = scenarios_path(loaded.path)
        if not path.is_file():
            raise InputError(f"no scenarios file beside the tree (expected {path.name}); {MISSING_HINT}{hint}",
                             path=loaded.path)
    text = read_text(path, "a scenarios file")
    sf = parse_scenarios(text, path)
    if sf.tree != loaded.tree.id:
        raise InputError(f"scenarios are for tree {sf.tree!r}, not {loaded.tree.id!r}", path=path,
                         line=top_key_line(text, "tree"))
    return ScenarioSource(sf, path, text)


def scenarios_for(loaded: LoadedTree, path: Path | None = None) -> tuple[ScenarioFile, Path]:
    """The tree's scenarios file and its path (see ``read_scenarios``)."""
    src = read_scenarios(loaded, path)
    return src.file, src.path


def run_scenarios(loaded: LoadedTree, path: Path | None = None, *, exact: bool = False) -> list[Result]:
    """Run every scenario of a tree (``exact=True``: exact mode for all); see ``scenarios_run.run_source``."""
    from wizard.policy.scenarios_run import run_source

    return run_source(loaded.tree, read_scenarios(loaded, path), exact=exact)


def scenarios_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenarios files, for editors (``authready tree schema --scenarios``)."""
    schema = ScenarioFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "authready tree scenarios"
    return schema


# -- lines: where a scenario, or one of its keys, stands in the file ----------------------------------

_HEADER = re.compile(r"^\s*\[\[\s*scenarios\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[")
_ANSWERS_TABLE = re.compile(r"^\s*\[\s*scenarios\s*\.\s*answers\s*\]\s*(#.*)?$")


def _key(key: str) -> str:
    k = re.escape(key)
    return f"(?:{k}|\"{k}\"|'{k}')"


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line indexes of each ``[[scenarios]]`` table, header included."""
    heads = [i for i, ln in enumerate(lines) if _HEADER.match(ln)]
    return [(h, heads[k + 1] if k + 1 < len(heads) else len(lines)) for k, h in enumerate(heads)]


def top_key_line(text: str, key: str) -> int | None:
    """The 1-based line of a top-level key (before the first table), or None."""
    pat = re.compile(rf"^\s*{_key(key)}\s*=")
    for i, ln in enumerate(text.splitlines()):
        if _TABLE.match(ln):
            return None
        if pat.match(ln):
            return i + 1
    return None


def scenario_line(text: str, index: int, keys: Sequence[str] = ()) -> int | None:
    """The 1-based line of scenario ``index`` (its ``[[scenarios]]`` header) or of a key in it.

    ``keys`` is ``("outcome",)`` for one of the scenario's own keys or ``("answers", QUESTION)`` for an
    answer (in a ``[scenarios.answers]`` table, an inline table or a dotted key). A key that is not
    found gives the header's line; a file whose scenarios are not ``[[scenarios]]`` tables gives None.
    """
    lines = text.splitlines()
    blocks = _blocks(lines)
    if index >= len(blocks):
        return None
    first, end = blocks[index]
    sub = next((j for j in range(first + 1, end) if _TABLE.match(lines[j])), end)
    found: int | None = None
    if len(keys) == 1:
        found = _find(lines, first + 1, sub, rf"^\s*{_key(keys[0])}\s*[=.]")
        if found is None and keys[0] == "answers":
            found = _find(lines, sub, end, _ANSWERS_TABLE.pattern)
    elif len(keys) >= 2 and keys[0] == "answers":
        q = _key(keys[1])
        table = _find(lines, sub, end, _ANSWERS_TABLE.pattern)
        if table is not None:
            stop = next((j for j in range(table + 1, end) if _TABLE.match(lines[j])), end)
            found = _find(lines, table + 1, stop, rf"^\s*{q}\s*=")
        found = found or _find(lines, first + 1, sub, rf"^\s*answers\s*\.\s*{q}\s*=")
        found = found or _find(lines, first + 1, sub, rf"^\s*answers\s*=\s*\{{(?:.*[{{,])?\s*{q}\s*=")
    return (found if found is not None else first) + 1


def _find(lines: list[str], start: int, end: int, pattern: str) -> int | None:
    pat = re.compile(pattern)
    return next((j for j in range(start, end) if pat.match(lines[j])), None)


# -- a malformed file: one line naming the scenario -------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z0-9_.$-]+$")


def _part(p: object) -> str:
    s = str(p)
    return s if _PLAIN.match(s) else repr(s)


def _invalid(exc: ValidationError, data: dict[str, Any], text: str, path: Path) -> AuthreadyError:
    """The first validation problem as one line: ``scenario 'NAME': outcome: …`` at the key's line."""
    errors = exc.errors()
    first = errors[0]
    loc = [p for p in first.get("loc", ()) if isinstance(p, (str, int))]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    msg = first.get("msg", "invalid value")
    if len(loc) >= 2 and loc[0] == "scenarios" and isinstance(loc[1], int):
        index, rest = loc[1], [str(p) for p in loc[2:]]
        raw = data.get("scenarios")
        item = raw[index] if isinstance(raw, list) and index < len(raw) else None
        name = item.get("name") if isinstance(item, dict) else None
        who = f"scenario {name!r}" if isinstance(name, str) and name else f"scenario #{index + 1}"
        where = ".".join(_part(p) for p in rest)
        return InputError(f"{who}: {where + ': ' if where else ''}{msg}{more}", path=path,
                          line=scenario_line(text, index, rest[:2]))
    dotted = ".".join(_part(p) for p in loc) or "(top level)"
    line = top_key_line(text, str(loc[0])) if loc else None
    return InputError(f"{dotted}: {msg}{more}", path=path, line=line)
