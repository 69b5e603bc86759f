"""The shipped policy's content meets the bar a security lead signs off (issue 17).

``test_shipped_trees`` proves the tree is well formed and its scenarios pass; this module proves
what it *says* holds up:

- every citation is in the policy brief's reference register (``/work/shared/policy-brief.md``,
  section B, and the identifiers its decision areas name), encoded below as data: a citation the
  brief cannot back fails here before a reviewer has to catch it;
- every finding is raised by some scenario, so no finding is dead text;
- every question offers a "don't know" answer, unless ``DONT_KNOW_EXEMPT`` names it with a reason:
  readiness is derived from those answers, so a question without one would force a guess;
- each finding says what good looks like, how teams get it wrong, and gives checkable steps with a
  phase; each warning has a condition (the owned, dated fix);
- a machine-to-machine production review takes at most 16 questions, and the longest path is
  shorter than version 1's 31, measured with the engine itself (a depth-first search over the
  answers, honouring the questions an answer makes moot).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from wizard.policy.engine import evaluate, walk
from wizard.policy.remediation import RemediationStep
from wizard.policy.scenarios import load_scenarios, scenarios_path
from wizard.policy.tree import Severity, Tree, load_tree_file

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "decision_trees" / "generated-auth-code.toml"

# --- The brief's reference register, as data ------------------------------------------------------

NHI_NAMES = {
    1: "Improper Offboarding", 2: "Secret Leakage", 3: "Vulnerable Third-Party NHI", 4: "Insecure Authentication",
    5: "Overprivileged NHI", 6: "Insecure Cloud Deployment Configurations", 7: "Long-Lived Secrets",
    8: "Environment Isolation", 9: "NHI Reuse", 10: "Human Use of NHI",
}
NAMED = {  # identifier -> words its title must contain (the risk's official name)
    **{f"NHI{n}:2025": name for n, name in NHI_NAMES.items()},
    "ASI03:2026": "Identity and Privilege Abuse",
    "ASI07:2026": "Insecure Inter-Agent Communication",
}
CSF = {"ID.AM-08", "GV.RR-02", "PR.AA-01", "PR.AA-03", "PR.AA-04", "PR.AA-05", "PR.DS-01", "PR.PS-02", "PR.PS-04",
       "PR.PS-06", "DE.CM-09"}
RFC_SECTIONS = {  # RFCs of the register; the sections the brief names (the whole document is always citable)
    "9700": {"2.1.2", "2.2", "2.2.1", "2.2.2", "2.4", "4.10", "4.14", "4.14.2"},
    "9449": {"7.3", "8", "9", "11.1"},
    "8705": {"3", "3.1"},
    "7519": {"4.1.4", "4.1.5", "4.1.6", "4.1.7"},
    "8725": set(), "9068": set(), "7009": set(), "7662": set(), "8693": set(), "8707": set(), "10017": set(),
}
ASVS_SECTIONS = {  # ASVS 5.0.0 chapters and sections in the register: any requirement under them
    "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "9.1", "9.2", "10.1", "10.2", "10.3", "10.4", "10.5", "10.6", "10.7",
    "13.3", "16.1", "16.2", "16.3", "16.4", "16.5",
}
ASVS_REQUIREMENTS = {  # further requirements the brief's decision areas name
    "8.3.2", "8.3.3", "8.4.1", "13.1.3", "13.1.4", "13.2.6", "15.1.1", "15.1.2", "15.2.1", "15.2.3", "15.2.4",
}
CHEAT_SHEETS = {
    "OWASP Session Management CS", "OWASP JWT CS", "OWASP Secrets Management CS",
    "OWASP Secrets Management CS §2.11", "OWASP Secrets Management CS §3.1", "OWASP Secrets Management CS §3.2.2",
    "OWASP Multi-Tenant Application Security CS", "OWASP AI Agent Security CS",
}
OTHER = {"OpenID CAEP 1.0", "NIST SP 800-63-4", "CSA MAESTRO"}

# Citations the brief (section A) or issue 17 found misused: (where, the citation it must not use).
MISUSED = {
    ("finding", "unpatched-auth-dependency"): {"NHI3:2025"},
    ("question", "process"): {"NHI3:2025"},
    ("finding", "auth-design-undocumented"): {"ASVS 5.0 13.1.4"},
    ("finding", "hidden-edges-untested"): {"RFC 9700 §4.14.2"},
    ("finding", "exp-not-enforced"): {"RFC 8725"},
    ("question", "clock-skew"): {"RFC 8725"},
}

# Questions allowed to go without a "don't know" answer: id -> why. Readiness is derived from those
# answers, so an exemption needs a reason a reviewer can check; none is needed today.
DONT_KNOW_EXEMPT: dict[str, str] = {}

# The situations issue 17 names, each a scenario of the same name.
SITUATIONS = [
    "short-lived JWT access tokens backed by a revocable refresh token",
    "services authenticate to the IdP with private_key_jwt client assertions",
    "signing keys and introspection results cached for a short, bounded time",
    "disabling an account leaves its sessions alive",
    "reuse detection logs users out on a legitimate concurrent refresh",
    "revocation works at logout but not at job end or workload retirement",
    "short-lived user tokens plus a long-lived IdP client secret on a written, manual rotation",
    "throwaway prototype that will be deleted rather than replaced",
    "review before merge with a security-aware reviewer taking part",
    "pull-based (GitOps) deploys",
    "system jobs run under the service's own identity",
    "agent system with a STRIDE threat model",
    "opaque tokens checked by introspection",
    "cookie-session app without OAuth is not asked token questions",
    "audience not checked: a blocker",
    "token type not checked: a warning",
    "generated code around an audited library re-validates and caches tokens",
    "browser app keeps tokens in localStorage",
    "nothing technical stops the prototype being promoted to production",
    "agent without a kill switch",
    "DPoP without a jti replay cache or nonces",
    "job tokens sized to outlast the queue",
    "code assistant saw real secrets that were never rotated",
    "payments service with bearer tokens",
    "dynamic secrets whose lease TTL nobody set",
    "team cannot explain expiry, replay or session state",
    "partial knowledge: some credential lifetimes unknown",
    "API key rotated every quarter but with no enforced expiry",
    "agent without high-impact tools needs no approval step",
    "agent with high-impact tools and no human approval",
    "clock leeway unknown: a warning, not the expiry blocker",
    "logs record no identity at all",
    "logs miss the originating caller on some events",
    "rotation-only refresh tokens on a highest-assurance service",
]

M2M_SCOPE = ["no-people", "single-tenant", "no-jobs", "no-agents"]
M2M_MAX_QUESTIONS = 16
V1_LONGEST_PATH = 31


def in_register(ref: str) -> bool:
    """Whether ``ref`` is an identifier the brief's register backs."""
    if ref in NAMED or ref in CHEAT_SHEETS or ref in OTHER:
        return True
    if ref.startswith("CSF 2.0 "):
        return ref.removeprefix("CSF 2.0 ") in CSF
    if m := re.fullmatch(r"RFC (\d+)(?: §([\d.]+))?", ref):
        doc, section = m.groups()
        return doc in RFC_SECTIONS and (section is None or section in RFC_SECTIONS[doc])
    if m := re.fullmatch(r"ASVS 5\.0 ((\d+\.\d+)\.\d+)", ref):
        requirement, section = m.groups()
        return section in ASVS_SECTIONS or requirement in ASVS_REQUIREMENTS
    return False


@pytest.fixture(scope="module")
def tree() -> Tree:
    return load_tree_file(TREE).tree


def _cited(tree: Tree) -> dict[str, list[str]]:
    """Every citation id, with where it is used (a reference key counts as a use of itself)."""
    out: dict[str, list[str]] = {ref: ["[references]"] for ref in tree.references}
    for q in tree.questions:
        for ref in q.refs:
            out.setdefault(ref, []).append(f"question {q.id}")
    for f in tree.findings:
        for ref in f.refs:
            out.setdefault(ref, []).append(f"finding {f.id}")
    return out


def test_every_citation_is_in_the_briefs_register(tree: Tree) -> None:
    outside = {ref: where for ref, where in _cited(tree).items() if not in_register(ref)}
    assert outside == {}


def test_named_risks_carry_their_official_names(tree: Tree) -> None:
    wrong = {ref: title for ref, title in tree.references.items() if ref in NAMED and NAMED[ref] not in title}
    assert wrong == {}


def test_no_citation_is_used_where_the_brief_says_it_does_not_apply(tree: Tree) -> None:
    used = {("question", q.id): set(q.refs) for q in tree.questions}
    used |= {("finding", f.id): set(f.refs) for f in tree.findings}
    misused = {where: sorted(used.get(where, set()) & banned) for where, banned in MISUSED.items()}
    assert {k: v for k, v in misused.items() if v} == {}


def test_every_reference_is_cited_and_unsourced_research_is_gone(tree: Tree) -> None:
    unused = [ref for ref, where in _cited(tree).items() if where == ["[references]"]]
    assert unused == []
    assert "industry research" not in TREE.read_text(encoding="utf-8").lower()


def test_every_finding_is_raised_by_a_scenario(tree: Tree) -> None:
    raised: set[str] = set()
    for sc in load_scenarios(scenarios_path(TREE)).scenarios:
        raised |= {rf.finding.id for rf in evaluate(tree, sc.answers).findings}
    assert [f.id for f in tree.findings if f.id not in raised] == []


def test_each_situation_of_issue_17_has_its_scenario() -> None:
    names = {sc.name for sc in load_scenarios(scenarios_path(TREE)).scenarios}
    assert [s for s in SITUATIONS if s not in names] == []


def test_every_question_has_a_dont_know_answer_unless_exempted_with_a_reason(tree: Tree) -> None:
    missing = [q.id for q in tree.questions if not any(c.dont_know for c in q.choices) and q.id not in DONT_KNOW_EXEMPT]
    assert missing == []
    stale = {qid: why for qid, why in DONT_KNOW_EXEMPT.items()
             if qid not in tree.question_map or not why.strip()
             or any(c.dont_know for c in tree.question_map[qid].choices)}
    assert stale == {}, "an exemption must name a question without a don't-know answer, and give a reason"


def test_findings_say_what_good_looks_like_and_how_to_check_each_step(tree: Tree) -> None:
    problems: list[str] = []
    for f in tree.findings:
        if not f.desired_outcome.strip() or not f.anti_patterns:
            problems.append(f"{f.id}: needs a desired outcome and anti-patterns")
        steps = [s for s in f.remediation if isinstance(s, RemediationStep)]
        if not steps or len(steps) != len(f.remediation):
            problems.append(f"{f.id}: every remediation step must be a table")
        problems += [f"{f.id}: step without done_when or phase: {s.step}" for s in steps if not s.done_when or not s.phase]
        phases = {s.phase for s in steps}
        if f.severity is Severity.WARNING and "condition" not in phases:
            problems.append(f"{f.id}: a warning needs a condition step (its owned, dated fix)")
        if f.severity is Severity.BLOCKER and not phases & {"contain", "fix"}:
            problems.append(f"{f.id}: a blocker needs a contain or fix step")
    assert problems == []


def test_help_is_concrete_but_short(tree: Tree) -> None:
    lengths = {q.id: len(q.help.split()) for q in tree.questions}
    assert {qid: n for qid, n in lengths.items() if not 50 <= n <= 80} == {}


def longest_path(tree: Tree, fixed: Mapping[str, object] | None = None) -> int:
    """Questions asked on the longest complete walk, answers in ``fixed`` held.

    Depth first through the engine's own ``walk`` (so moots count as the engine counts them), one
    answer at a time: selecting more answers of a select-all question can only add moots, and its
    route is that of its first selected answer with a route, so single answers reach every length.
    Memoised on the next question and the moots still pending, which fix everything after it.
    """
    fixed = fixed or {}
    memo: dict[tuple[str, frozenset[str]], int] = {}

    def rest(answers: dict[str, object]) -> int:
        w = walk(tree, answers)
        if w.end is not None:
            return len(w.steps)
        q = w.unanswered
        assert q is not None
        seen = {s.question.id for s in w.steps} | {s.question.id for s in w.skipped}
        pending = frozenset(m for s in w.steps for c in s.selected for m in c.moots if m not in seen)
        key = (q.id, pending)
        if key not in memo:
            options = [fixed[q.id]] if q.id in fixed else [[c.id] if q.many else c.id for c in q.choices]
            memo[key] = max(rest({**answers, q.id: o}) for o in options) - len(w.steps)
        return len(w.steps) + memo[key]

    return rest({})


def test_machine_to_machine_production_review_takes_at_most_16_questions(tree: Tree) -> None:
    production = [c.id for c in tree.question_map["stage"].choices if c.next == "scope"]
    assert production, "the stage question has no answer leading to the production review"
    lengths = {stage: longest_path(tree, {"stage": stage, "scope": M2M_SCOPE}) for stage in production}
    assert max(lengths.values()) <= M2M_MAX_QUESTIONS, lengths


def test_longest_path_is_shorter_than_version_1(tree: Tree) -> None:
    assert longest_path(tree) < V1_LONGEST_PATH
