"""What changed between two versions of a tree, and which semver part each change needs.

Why: an attestation records the tree's id, version and hash, and for each answer a hash of the
question as asked. A policy owner who edits a tree must say, through the version, whether
recorded reviews still mean what they meant. The table (``RULES`` in ``wizard.policy.diff_rules``,
also rendered in ``docs/tree-format.md``) decides it:

- **major**: a change that can alter a recorded verdict or invalidate a recorded answer — a
  question, choice, finding or end removed; a choice leading elsewhere or raising other findings;
  a question's own ``next``, its ``select`` (one answer ↔ select all), a choice's ``cap`` or
  ``moots`` changed, either way; a choice made ``exclusive`` (recorded combinations with it become
  invalid); a finding's severity changed (either way); an end's outcome changed; ``start`` moved;
  an outcome policy made stricter (fewer ``valid_days`` or more ``required_signers``: signed
  attestations may stop passing); the id or format changed.
- **minor**: an addition no old answer path meets (a question, choice, finding or end added — a
  choice that now *leads to* or *raises* it is a major change of its own), anything that changes
  what a question asks (its text, a choice's label, the order of its choices, a choice no longer
  exclusive: attestations key answers on ``Question.text_sha256``, so answered questions go
  stale), a hash dropped from ``reworded_from`` (answers recorded under it go stale), an outcome
  policy made looser.
- **patch**: wording the verdict does not depend on — help, area, question and finding refs,
  finding titles, explanations, remediation, desired outcomes and anti-patterns, end summaries,
  ``[references]``, the tree's title and description, the ``dont_know`` marker; a hash added to
  ``reworded_from``; and a question's
  text, labels or choice order changed when the new question lists the old ``text_sha256`` in
  ``reworded_from`` (its owner declared the change editorial: recorded answers stay valid). Where
  such a change is not declared editorial, its line prints the ``reworded_from = ["…"]`` that
  would declare it.

The required bump is the largest part any change needs. ``bump_problems`` compares it with the
bump the version made. Before 1.0.0 the second number is the breaking one, as Cargo reads semver
(0.3.1 → 0.4.0 may carry major changes; 0.3.1 → 0.3.2 minor or patch ones), and a pre-release
may change anything on its way to its release (2.0.0-rc.1 → 2.0.0).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Literal, Mapping, TypeVar

from wizard.policy.diff_paths import PATH_LIMIT, PathReport, verdict_changes
from wizard.policy.diff_rules import PARTS as PARTS
from wizard.policy.diff_rules import RULES as RULES
from wizard.policy.diff_rules import Part
from wizard.policy.tree import SEMVER, LoadedTree, Outcome, Question, Tree

T = TypeVar("T")
Bump = Literal["major", "minor", "patch", "none"]
_RANK: dict[str, int] = {"none": 0, "patch": 1, "minor": 2, "major": 3}


@dataclass(frozen=True)
class Change:
    """One change. ``old``/``new`` are the values (None for an addition or a removal).

    ``reworded_from``: on the first change of a question's wording that is not declared editorial, the
    question's id and old ``text_sha256``, so the line can say how to declare it (the hash whole, never cut).
    """

    rule: str
    subject: str
    old: str | None = None
    new: str | None = None
    reworded_from: tuple[str, str] | None = None

    @property
    def part(self) -> Part:
        return RULES[self.rule].part

    def message(self, limit: int = 70) -> str:
        """One line; long values are cut to ``limit`` characters (JSON keeps them whole)."""
        said = RULES[self.rule].says.format(s=self.subject, old=_cut(self.old, limit), new=_cut(self.new, limit))
        if self.reworded_from:
            qid, sha = self.reworded_from
            said += f' (editorial? add to question {qid!r}: reworded_from = ["{sha}"])'
        return said


def _cut(value: str | None, limit: int) -> str:
    if value is None:
        return "(none)"
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _join(values: list[str]) -> str:
    return ", ".join(values)


def _id(value: str | None) -> str:
    return value or "(none)"


def _bool(value: bool) -> str:
    return str(value).lower()


# What is compared on an item both trees have: (rule, attribute, how a value is shown; None: not shown).
_FIELDS: dict[str, tuple[tuple[str, str, Callable[[Any], str] | None], ...]] = {
    "question": (("question-text", "text", repr), ("question-help", "help", None), ("question-area", "area", repr),
                 ("question-refs", "refs", _join)),
    "question-routing": (("question-select", "select", str),),
    "choice": (("choice-label", "label", repr), ("choice-raises", "raises", _join),
               ("choice-dont-know", "dont_know", _bool), ("choice-cap", "cap", lambda v: v.label if v else "(none)"),
               ("choice-moots", "moots", _join)),
    "finding": (("finding-severity", "severity", lambda v: str(v.value)), ("finding-title", "title", repr),
                ("finding-explanation", "explanation", None), ("finding-remediation", "remediation", None),
                ("finding-refs", "refs", _join), ("finding-desired-outcome", "desired_outcome", None),
                ("finding-anti-patterns", "anti_patterns", None)),
    "end": (("end-outcome", "outcome", lambda v: str(v.label)), ("end-summary", "summary", None)),
}
_UNORDERED = {"raises", "moots"}  # the same findings (or moot questions) in another order judge the same
_WORDING = ("question-text", "choice-label", "choices-order")  # what ``reworded_from`` can declare editorial


def _mooted(tree: Tree) -> set[str]:
    """Questions some answer makes moot: only for them does a question's own ``next`` route a skip."""
    return {m for q in tree.questions for c in q.choices for m in c.moots}


def diff_trees(old: Tree, new: Tree) -> list[Change]:
    """Every change from ``old`` to ``new``: the tree, outcome policies, references, questions, findings, ends."""
    out: list[Change] = []
    for rule, attr, subject in (("id", "id", "tree"), ("format", "format", "tree"), ("start", "start", "tree"),
                                ("tree-text", "title", "tree title"), ("tree-text", "description", "tree description")):
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            shown = rule != "tree-text"
            out.append(Change(rule, subject, str(a) if shown else None, str(b) if shown else None))
    for outcome in Outcome:
        out.extend(_policy_changes(old, new, outcome))
    for key in {**old.references, **new.references}:
        ra, rb = old.references.get(key), new.references.get(key)
        if ra != rb:
            out.append(Change("reference", f"reference {key!r}", ra, rb))
    for qid, qa, qb in _matched("question", lambda k: f"question {k!r}", old.question_map, new.question_map, out):
        changes: list[Change] = []
        _fields("question", f"question {qid!r}", qa, qb, changes)
        _fields("question-routing", f"question {qid!r}", qa, qb, changes)
        ca, cb = {c.id: c for c in qa.choices}, {c.id: c for c in qb.choices}
        kept_a, kept_b = [c for c in ca if c in cb], [c for c in cb if c in ca]
        if kept_a != kept_b:
            changes.append(Change("choices-order", f"question {qid!r}", _join(kept_a), _join(kept_b)))
        if qa.next != qb.next and qid in _mooted(old) | _mooted(new):  # the route when the question is moot
            changes.append(Change("question-next", f"question {qid!r}", _id(qa.next), _id(qb.next)))
        for cid, a, b in _matched("choice", lambda k: f"choice {qid}.{k}", ca, cb, changes):
            _fields("choice", f"choice {qid}.{cid}", a, b, changes)
            if qa.route(a) != qb.route(b):  # where the answer leads, whether its own `next` or the question's says so
                changes.append(Change("choice-next", f"choice {qid}.{cid}", _id(qa.route(a)), _id(qb.route(b))))
            if a.exclusive != b.exclusive:
                changes.append(Change("choice-exclusive" if b.exclusive else "choice-inclusive",
                                      f"choice {qid}.{cid}", _bool(a.exclusive), _bool(b.exclusive)))
        changes += [Change("reworded-removed", f"question {qid!r}", h) for h in qa.reworded_from if h not in qb.reworded_from]
        changes += [Change("reworded-added", f"question {qid!r}", None, h) for h in qb.reworded_from if h not in qa.reworded_from]
        out.extend(_editorial(qa, qb, changes))
    for fid, fa, fb in _matched("finding", lambda k: f"finding {k!r}", old.finding_map, new.finding_map, out):
        _fields("finding", f"finding {fid!r}", fa, fb, out)
    for eid, ea, eb in _matched("end", lambda k: f"end {k!r}", old.end_map, new.end_map, out):
        _fields("end", f"end {eid!r}", ea, eb, out)
    return out


def _editorial(qa: Question, qb: Question, changes: list[Change]) -> list[Change]:
    """A question's changes, its wording ones marked editorial when ``qb.reworded_from`` lists ``qa``'s hash;
    else the first wording change carries that hash, so its line says how to declare it editorial."""
    if qa.text_sha256 in qb.reworded_from:
        return [replace(c, rule=f"{c.rule}-editorial") if c.rule in _WORDING else c for c in changes]
    first = next((i for i, c in enumerate(changes) if c.rule in _WORDING), None)
    if first is not None:
        changes[first] = replace(changes[first], reworded_from=(qb.id, qa.text_sha256))
    return changes


def _matched(kind: str, subject: Callable[[str], str], a: Mapping[str, T], b: Mapping[str, T],
             out: list[Change]) -> list[tuple[str, T, T]]:
    """Report the ids only one side has (old order, then the new ids in theirs); return the pairs both have."""
    both = []
    for key in list(a) + [k for k in b if k not in a]:
        va, vb = a.get(key), b.get(key)
        if va is None or vb is None:
            out.append(Change(f"{kind}-{'added' if va is None else 'removed'}", subject(key)))
        else:
            both.append((key, va, vb))
    return both


def _fields(kind: str, subject: str, a: object, b: object, out: list[Change]) -> None:
    for rule, attr, show in _FIELDS[kind]:
        va, vb = getattr(a, attr), getattr(b, attr)
        if (set(va) != set(vb)) if attr in _UNORDERED else (va != vb):
            out.append(Change(rule, subject, show(va) if show else None, show(vb) if show else None))


def _policy_changes(old: Tree, new: Tree, outcome: Outcome) -> list[Change]:
    pa, pb = old.outcomes[outcome], new.outcomes[outcome]
    out = []
    for key, stricter in (("valid_days", pb.valid_days < pa.valid_days),
                          ("required_signers", pb.required_signers > pa.required_signers)):
        va, vb = getattr(pa, key), getattr(pb, key)
        if va != vb:
            out.append(Change("policy-stricter" if stricter else "policy-looser", f"outcomes.{outcome.value}.{key}",
                              str(va), str(vb)))
    return out


def bump_of(changes: list[Change]) -> Bump:
    """The largest part any of ``changes`` needs ("none" when there are none)."""
    best: Bump = "none"
    for c in changes:
        if _RANK[c.part] > _RANK[best]:
            best = c.part
    return best


def required_bump(old: Tree | LoadedTree, new: Tree | LoadedTree) -> Bump:
    """The semver part the version must bump from ``old`` to ``new`` (see ``RULES``)."""
    a = old.tree if isinstance(old, LoadedTree) else old
    b = new.tree if isinstance(new, LoadedTree) else new
    return bump_of(diff_trees(a, b))


def _precedence(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """Semver precedence: numbers, then a release above its pre-releases, identifiers compared part by part."""
    m = SEMVER.match(version)
    if m is None:
        raise ValueError(f"version {version!r} is not semver")
    pre = m.group(4)
    ids: tuple[tuple[int, int | str], ...] = tuple(
        (0, int(p)) if p.isdigit() else (1, p) for p in (pre[1:].split(".") if pre else ())
    )
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if pre else 1, ids


def version_bump(old_version: str, new_version: str) -> Bump | None:
    """The bump ``old_version`` → ``new_version`` makes (read as described in the module docstring); None when
    the version goes down. A step out of a pre-release of the same version counts as "major"."""
    a, b = _precedence(old_version), _precedence(new_version)
    if b < a:
        return None
    if b == a:
        return "none"
    if b[0] > a[0] or a[:3] == b[:3]:
        return "major"  # same numbers: from a pre-release to a later one or to its release, which may change anything
    if b[1] > a[1]:
        return "major" if a[0] == 0 else "minor"
    return "minor" if a[0] == 0 else "patch"


def bump_problems(old_loaded: LoadedTree, new_loaded: LoadedTree) -> list[str]:
    """Why ``new_loaded``'s version is too small a step from ``old_loaded``'s for what changed (empty: fine).

    ``tree lint --against OLD`` reports these; each is one line naming the versions and the changes.
    """
    old, new = old_loaded.tree, new_loaded.tree
    if old.id != new.id:
        return [f"tree id {old.id!r} → {new.id!r}: compare two versions of one tree"]
    changes = diff_trees(old, new)
    need = bump_of(changes)
    made = version_bump(old.version, new.version)
    arrow = f"version {old.version} → {new.version}"
    if made is None:
        return [f"{arrow} goes down; a new version must be higher"]
    if _RANK[made] >= _RANK[need]:
        return []
    why = [c.message(40) for c in changes if c.part == need]
    more = f"; and {len(why) - 3} more" if len(why) > 3 else ""
    said = "leaves the version unchanged" if made == "none" else f"is a {made} bump"
    return [f"{arrow} {said}, but the changes need a {need} bump: {'; '.join(why[:3])}{more}"]


@dataclass(frozen=True)
class TreeDiff:
    """Everything ``authready tree diff`` reports: both trees, the changes, the bump they need and whether the
    version makes it, and the answer paths whose verdict changes."""

    old: LoadedTree
    new: LoadedTree
    changes: tuple[Change, ...]
    required: Bump
    problems: tuple[str, ...]
    paths: PathReport


def compare(old: LoadedTree, new: LoadedTree, *, limit: int = PATH_LIMIT) -> TreeDiff:
    """Diff two loaded trees: structure, semver, and verdicts over scenarios and (small trees) every path."""
    changes = diff_trees(old.tree, new.tree)
    return TreeDiff(old, new, tuple(changes), bump_of(changes), tuple(bump_problems(old, new)),
                    verdict_changes(old, new, limit=limit))
