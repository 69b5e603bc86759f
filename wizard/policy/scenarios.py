"""Tree tests: each tree has ``<tree>.scenarios.toml`` beside it (answers -> expected verdict).

```toml
tree = "generated-auth-code"
[[scenarios]]
name = "invented token format"
outcome = "no-go"                # or: unanswered = "<question id>"
findings = ["invented-flow"]     # must appear
absent = []                      # must not appear
[scenarios.answers]
stage = "production"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from wizard.policy.engine import check_answers, evaluate
from wizard.infra.errors import AuthreadyError
from wizard.infra.tomlio import load_model
from wizard.policy.tree import LoadedTree, Outcome, empty_list


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    answers: dict[str, str]
    outcome: Outcome | None = None
    unanswered: str | None = None
    findings: list[str] = Field(default_factory=empty_list)
    absent: list[str] = Field(default_factory=empty_list)


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tree: str
    scenarios: list[Scenario] = Field(min_length=1)


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    problems: tuple[str, ...]


def scenarios_path(tree_path: Path) -> Path:
    return tree_path.with_name(tree_path.stem + ".scenarios.toml")


def load_scenarios(path: Path) -> ScenarioFile:
    return load_model(ScenarioFile, path)[0]


def scenarios_for(loaded: LoadedTree, path: Path | None = None) -> tuple[ScenarioFile, Path]:
    """The tree's scenarios file (beside it unless given), refused when it is missing or for another tree."""
    path = path or scenarios_path(loaded.path)
    if not path.is_file():
        raise AuthreadyError(f"no scenarios file beside the tree (expected {path.name})", path=loaded.path)
    sf = load_scenarios(path)
    if sf.tree != loaded.tree.id:
        raise AuthreadyError(f"scenarios are for tree {sf.tree!r}, not {loaded.tree.id!r}", path=path)
    return sf, path


def run_scenarios(loaded: LoadedTree, path: Path | None = None) -> list[Result]:
    """Run every scenario of a tree; a scenario for another tree or with unknown ids is an error."""
    sf, path = scenarios_for(loaded, path)
    tree = loaded.tree
    results = []
    for sc in sf.scenarios:
        check_answers(tree, sc.answers, source=str(path))
        v = evaluate(tree, sc.answers)
        problems = []
        got = {rf.finding.id for rf in v.findings}
        if sc.unanswered is not None:
            stop = v.walk.unanswered.id if v.walk.unanswered else None
            if stop != sc.unanswered:
                problems.append(f"expected unanswered {sc.unanswered!r}, walk stopped at {stop or v.label!r}")
        elif sc.outcome is None:
            problems.append("scenario sets neither outcome nor unanswered")
        elif v.outcome != sc.outcome:
            problems.append(f"expected {sc.outcome.label}, got {v.label}")
        for fid in sc.findings:
            if fid not in got:
                problems.append(f"expected finding {fid!r} was not raised")
        for fid in sc.absent:
            if fid in got:
                problems.append(f"finding {fid!r} was raised but must not be")
        if v.walk.ignored:
            problems.append(f"answers off the path: {', '.join(v.walk.ignored)}")
        results.append(Result(sc.name, not problems, tuple(problems)))
    return results
