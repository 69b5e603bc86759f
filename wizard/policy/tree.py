"""The decision-tree format: pydantic models, loading, and finding a tree by id or path.

A tree is a TOML file. Questions lead through choices to other questions or
to ends; choices raise findings; an end names the best outcome its path can
give (a prototype path can never give more than PROTOTYPE ONLY). The tree
also says, per outcome, how long an attestation stays valid and how many
distinct reviewers must sign it. ``authready tree schema`` prints the JSON
Schema of these models for editors.

Every field carries a ``description``: ``docs/tree-format.md`` is generated
from them (``scripts/format_reference.py``), so the reference cannot drift
from the models. A top-level ``"$schema"`` key (an editor's hint) is accepted
and ignored; any other unknown key is refused. The published schema requires
all four ``[outcomes.*]`` tables, as the model does, so an editor rejects
what lint rejects.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from wizard.infra.errors import AuthreadyError
from wizard.infra.tomlio import parse_toml, read_text, validate_data
from wizard.infra.workspace import tree_file
from wizard.policy.remediation import RemediationStep

TREE_FORMAT = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
Id = Annotated[str, Field(pattern=ID_PATTERN)]
Select = Literal["one", "many"]
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")


def empty_list() -> list[Any]:
    """``default_factory`` for lists. Not ``list`` itself: pydantic inspects a factory's signature, and a
    builtin's costs the first command ~10 ms (it loads ``tokenize`` to parse the text signature)."""
    return []


def empty_dict() -> dict[Any, Any]:
    """``default_factory`` for dicts (see ``empty_list``)."""
    return {}


class Outcome(str, Enum):
    """The verdicts, from best to worst. ``rank`` orders them: a lower rank is worse."""

    GO = "go"
    CONDITIONAL = "conditional"
    PROTOTYPE = "prototype"
    NO_GO = "no-go"

    @property
    def rank(self) -> int:
        return {"no-go": 0, "prototype": 1, "conditional": 2, "go": 3}[self.value]

    @property
    def label(self) -> str:
        return {
            "go": "GO",
            "conditional": "GO WITH CONDITIONS",
            "prototype": "PROTOTYPE ONLY",
            "no-go": "NO-GO",
        }[self.value]


class Severity(str, Enum):
    """A blocker stops a ship; a warning needs a dated, owned fix."""

    BLOCKER = "blocker"
    WARNING = "warning"


class _Strict(BaseModel):
    # defer_build: the validator is compiled on first use, and only for the model validated (the whole
    # ``Tree``), with the nested models inside it; a command that never reads a tree never pays for it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Choice(_Strict):
    """One answer to a question: where it leads and which findings it raises."""

    id: Id = Field(description="unique within its question; answers files and scenarios name it (`question = \"choice\"`)")
    label: str = Field(min_length=1, description="the answer as shown to the team; part of what the question asks "
                       "(`Question.text_sha256`), so rewording it makes recorded answers stale")
    next: Id | None = Field(default=None, description="id of the next question, or of an end: where this answer "
                            "leads; may be left out when the question has its own `next` (the route of every choice "
                            "without one). In a `select = \"many\"` question the walk follows the first selected "
                            "choice (in tree order) that has a `next`, else the question's")
    raises: list[Id] = Field(default_factory=empty_list, description="ids of the findings this answer raises "
                             "(from `[[findings]]`); a blocker makes the verdict NO-GO, a warning at best GO WITH CONDITIONS")
    dont_know: bool = Field(
        default=False,
        description="marks a \"we can't explain it\" answer: it must count against readiness, so lint requires it "
                    "to raise a finding; learn mode shows it as such",
    )
    exclusive: bool = Field(
        default=False,
        description="in a `select = \"many\"` question: this answer is selected alone (\"none of these\", "
                    "\"don't know\"); lint requires a \"don't know\" answer of such a question to be exclusive",
    )
    cap: Outcome | None = Field(
        default=None,
        description="the best verdict a review with this answer can get (e.g. `conditional`: at best GO WITH "
                    "CONDITIONS), whatever the end's outcome; shown in the live verdict and the verdict's why",
    )
    moots: list[Id] = Field(
        default_factory=empty_list,
        description="ids of later questions this answer makes moot: the walk does not ask them and goes on at "
                    "each one's own `next` (which lint then requires), so a path is not asked what cannot apply",
    )


class Question(_Strict):
    """A question on the path, with why it matters (new engineers learn the policy here)."""

    id: Id = Field(description="unique among questions and ends (one namespace: `next` names either)")
    area: str = Field(default="", description="the decision area, shown as a section heading")
    text: str = Field(min_length=1, description="the question as asked; attestations keep a hash of it and its "
                      "choices, so rewording it makes recorded answers stale (re-review)")
    help: str = Field(min_length=1, description="why this matters: shown beside the question and in learn mode")
    refs: list[str] = Field(default_factory=empty_list,
                            description="citation ids, each a key of `[references]`; shown with the question")
    choices: list[Choice] = Field(min_length=1, description="the answers, in the order shown (`[[questions.choices]]`)")
    select: Select = Field(default="one", description="`one` (the default): one answer; `many`: select all that "
                           "apply, every selected answer raises its findings (answers files give a list)")
    next: Id | None = Field(default=None, description="where the walk goes from here when the answer's choice has no "
                            "`next` of its own, and when an earlier answer made this question moot (`moots`)")
    reworded_from: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = Field(
        default_factory=empty_list,
        description="an editorial change: the `question_sha256` of earlier wordings with the same meaning "
                    "(`authready tree diff` prints them); attestations that answered those stay valid",
    )

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @cached_property
    def routes(self) -> tuple[str, ...]:
        """Every id the walk can go to from here: each choice's ``next`` (else the question's), and the
        question's own ``next`` (taken when no selected answer routes, or when the question is moot)."""
        out = [c.next or self.next for c in self.choices] + [self.next]
        return tuple(dict.fromkeys(o for o in out if o))

    def route(self, choice: Choice) -> str:
        """Where ``choice`` leads: its own ``next``, else the question's ("" only in a tree lint rejects)."""
        return choice.next or self.next or ""

    @property
    def many(self) -> bool:
        """Whether this is a select-all-that-apply question."""
        return self.select == "many"

    @cached_property
    def text_sha256(self) -> str:
        """Hash of what was asked; an attestation keeps it to tell when an answer went stale.

        A select-all question also hashes that it is one and which answers stand alone: either
        changes what a team was asked. A one-answer question hashes as it always has.
        """
        blob = self.text + "\n" + "\n".join(f"{c.id}\t{c.label}" for c in self.choices)
        if self.many:
            blob += "\nselect: many\nexclusive: " + ",".join(c.id for c in self.choices if c.exclusive)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Finding(_Strict):
    """A problem an answer reveals, with ordered remediation steps."""

    id: Id = Field(description="unique among findings; choices name it in `raises`")
    severity: Severity = Field(description="`blocker` (the verdict is NO-GO) or `warning` (at best GO WITH CONDITIONS)")
    title: str = Field(min_length=1, description="one line naming the problem; shown in verdicts and attestations")
    explanation: str = Field(min_length=1, description="why it is a problem, for the team reading the verdict")
    desired_outcome: str = Field(default="", description="what good looks like once it is fixed")
    anti_patterns: list[str] = Field(default_factory=empty_list, description="common ways teams get it wrong")
    remediation: list[str | RemediationStep] = Field(
        default_factory=empty_list, description="ordered steps that fix it: text, or `[[findings.remediation]]` "
        "tables with `step`, `done_when` and `phase`; a blocker needs at least one (lint)")
    refs: list[str] = Field(default_factory=empty_list, description="citation ids, each a key of `[references]`")


class End(_Strict):
    """Where a path stops. ``outcome`` is the best verdict the path can reach."""

    id: Id = Field(description="unique among questions and ends; choices lead here with `next`")
    outcome: Outcome = Field(description="the best verdict a path ending here can give (its cap): findings raised "
                             "on the way can only lower it")
    summary: str = Field(min_length=1, description="what this end means; shown as what the path allows at best")


class OutcomePolicy(_Strict):
    """How long an attestation with this outcome stays valid, and who must sign it."""

    valid_days: int = Field(ge=1, le=3650, description="days an attestation with this verdict stays valid "
                            "(`expires_at` = `reviewed_at` + this)")
    required_signers: int = Field(ge=1, le=10, description="distinct reviewers who must sign an attestation "
                                  "with this verdict before `check` passes it")


class Tree(_Strict):
    """A whole policy tree."""

    schema_ref: str = Field(default="", alias="$schema", exclude=True, title="$schema",
                            description="optional: a JSON Schema path or URL for editors (write `\"$schema\" = "
                                        "\"…\"`, quoted); ignored by authready. taplo's `#:schema` comment works too")
    format: int = Field(description=f"the tree file format; {TREE_FORMAT} is the only one so far (a newer one asks "
                        "for a newer authready)")
    id: Id = Field(description="the tree's id: attestations, answers files and `--tree` name it; the file is "
                   "named `<id>.toml`")
    version: str = Field(description="semver MAJOR.MINOR.PATCH (attestations record it; `authready tree diff` says "
                         "which part a change needs)")
    title: str = Field(min_length=1, description="the question the whole policy answers")
    description: str = Field(default="", description="what the policy decides and for whom")
    start: Id = Field(description="id of the first question")
    outcomes: dict[Outcome, OutcomePolicy] = Field(
        description="one table per outcome (`[outcomes.go]`, `[outcomes.conditional]`, `[outcomes.prototype]`, "
                    "`[outcomes.\"no-go\"]`), all four required",
        json_schema_extra={"required": [o.value for o in Outcome]},
    )
    references: dict[str, str] = Field(
        default_factory=empty_dict, description="citation id -> full title; `refs` lists name these keys"
    )
    questions: list[Question] = Field(min_length=1, description="every question (`[[questions]]`), in any order")
    findings: list[Finding] = Field(default_factory=empty_list, description="every finding (`[[findings]]`); "
                                    "each must be raised by some choice")
    ends: list[End] = Field(min_length=1, description="every end (`[[ends]]`); each must be reachable")

    @field_validator("version")
    @classmethod
    def _semver(cls, v: str) -> str:
        if not SEMVER.match(v):
            raise ValueError(f"version {v!r} is not semver (MAJOR.MINOR.PATCH)")
        return v

    @field_validator("format")
    @classmethod
    def _format(cls, v: int) -> int:
        if v > TREE_FORMAT:
            raise ValueError(f"tree format {v} is newer than this authready supports ({TREE_FORMAT}); upgrade authready")
        if v < 1:
            raise ValueError("format must be 1 or more")
        return v

    @field_validator("outcomes")
    @classmethod
    def _all_outcomes(cls, v: dict[Outcome, OutcomePolicy]) -> dict[Outcome, OutcomePolicy]:
        missing = [o.value for o in Outcome if o not in v]
        if missing:
            raise ValueError(f"outcomes must define every outcome; missing: {', '.join(missing)}")
        return v

    # Lookups (first definition wins; lint reports duplicates).
    @cached_property
    def question_map(self) -> dict[str, Question]:
        out: dict[str, Question] = {}
        for q in self.questions:
            out.setdefault(q.id, q)
        return out

    @cached_property
    def finding_map(self) -> dict[str, Finding]:
        out: dict[str, Finding] = {}
        for f in self.findings:
            out.setdefault(f.id, f)
        return out

    @cached_property
    def end_map(self) -> dict[str, End]:
        out: dict[str, End] = {}
        for e in self.ends:
            out.setdefault(e.id, e)
        return out


@dataclass(frozen=True)
class LoadedTree:
    """A tree with where it came from: the file, its text (for line numbers) and its hash.

    A plain value, not a model: it only carries a tree that was already validated.
    """

    tree: Tree
    path: Path
    text: str
    sha256: str


def parse_tree(text: str, path: Path) -> LoadedTree:
    """Validate TOML text as a tree; errors name the file and line (and say so when it is another kind of file).

    A shipped tree's data comes from its parsed twin when the twin was made from this very text
    (``wizard.policy.parsed``); it is validated all the same.
    """
    from wizard.policy.parsed import shipped_data

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    data = shipped_data(path, digest)
    if data is None:
        _not_another_kind(text, path)
        data = parse_toml(text, path)
    tree = validate_data(Tree, data, text, path)
    return LoadedTree(tree=tree, path=path, text=text, sha256=digest)


def _not_another_kind(text: str, path: Path) -> None:
    """An attestation or an answers file given where a tree belongs: say what it is, not "Field required"."""
    head = text[:4096]
    if "authready-attestation" not in head and "[answers]" not in text:
        return
    data = parse_toml(text, path)
    if data.get("kind") == "authready-attestation":
        raise AuthreadyError("is an attestation, not a decision tree; to re-review it: authready review --from "
                             f"{path}", path=path)
    if isinstance(data.get("answers"), dict) and "questions" not in data:
        raise AuthreadyError(f"is an answers file, not a decision tree; record it: authready review --answers {path}",
                             path=path)


def load_tree_file(path: Path) -> LoadedTree:
    """Load one tree file."""
    return parse_tree(read_text(path), path)


def resolve_tree(ref: str | Path | None) -> LoadedTree:
    """Find a tree by path or by id among the shipped trees (default: the shipped policy)."""
    return load_tree_file(tree_file(ref))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the tree format, for editors (taplo, VS Code Even Better TOML)."""
    schema = Tree.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "authready decision tree"
    return schema
