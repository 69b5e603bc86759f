"""``authready tree test``: run a tree's scenarios, show what failed and why, and what they cover.

A failing scenario shows its line, each problem, the path its answers took (question → choice, in
order) and the findings raised, so the fix is visible without re-walking the tree by hand. Every
scenario runs even after a bad one. The coverage report lists what no scenario exercises;
``--min-coverage`` turns it into a gate for CI. Text from the files is data: printed escaped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.infra.errors import EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:
    from wizard.policy.engine import Verdict
    from wizard.policy.scenarios import ScenarioSource
    from wizard.policy.scenarios_coverage import Coverage, Part
    from wizard.policy.scenarios_run import Result
    from wizard.policy.tree import LoadedTree

FORMATS_TEST = ("text", "json")


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 100.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage from 0 to 100")
    return value


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tt = actions.add_parser("test", help="run the tree's scenarios and report coverage (exit 1 if any fails)",
                            description="Run a tree's scenarios; exit 0 when all pass (and coverage meets "
                                        "--min-coverage), 1 when one fails, 2 on bad input.")
    tt.add_argument("path", nargs="?",
                    help="tree id or path, or its .scenarios.toml (default: the shipped policy)")
    tt.add_argument("--scenarios", type=Path, metavar="FILE",
                    help="the scenarios file (default: <tree>.scenarios.toml beside the tree)")
    tt.add_argument("--exact", action="store_true",
                    help="exact mode for every scenario: the findings raised must be exactly its `findings`")
    tt.add_argument("--min-coverage", type=_percent, metavar="PCT",
                    help="fail when coverage (the lower of choice and finding coverage) is below PCT percent")
    tt.add_argument("--format", choices=FORMATS_TEST, default="text", help="text, or json for CI tooling")
    tt.set_defaults(handler=cmd_tree_test)


def cmd_tree_test(args: argparse.Namespace) -> int:
    from wizard.policy.scenarios import read_scenarios
    from wizard.policy.scenarios_coverage import coverage
    from wizard.policy.scenarios_run import run_source
    from wizard.policy.tree import resolve_tree

    tree_ref, scenarios = args.path, args.scenarios
    if tree_ref and tree_ref.endswith(".scenarios.toml") and scenarios is None:  # given the scenarios file itself
        scenarios = Path(tree_ref)
        tree_ref = str(scenarios.with_name(scenarios.name.removesuffix(".scenarios.toml") + ".toml"))
    loaded = resolve_tree(tree_ref)
    src = read_scenarios(loaded, scenarios, hint=" or give one with --scenarios FILE")
    results = run_source(loaded.tree, src, exact=args.exact)
    cov = coverage(loaded.tree, results)
    gate_ok = args.min_coverage is None or cov.meets(args.min_coverage)
    failed = [r for r in results if not r.ok]
    if args.format == "json":
        import json

        print(json.dumps(_json(loaded, src, results, cov, args.min_coverage), indent=2))
    else:
        sys.stdout.write(render_text(src, results, cov, args.min_coverage))
    return EXIT_FAILED if failed or not gate_ok else EXIT_OK


# -- text --------------------------------------------------------------------------------------------


def path_text(v: Verdict) -> str:
    """``stage → production, origin → managed; end end-production`` (or ``; unanswered origin``)."""
    steps = ", ".join(f"{s.question.id} → {'+'.join(c.id for c in s.selected)}" for s in v.walk.steps) or "(no answer taken)"
    if v.walk.end is not None:
        return f"{steps}; end {v.walk.end.id}"
    stop = v.walk.unanswered
    return f"{steps}; unanswered {stop.id}" if stop else steps


def raised_text(v: Verdict) -> str:
    """``invented-flow (blocker), no-rotation (warning)``, or ``none``."""
    return ", ".join(f"{rf.finding.id} ({rf.finding.severity.value})" for rf in v.findings) or "none"


def _fmt(pct: float) -> str:
    return f"{pct:.1f}%"


def render_text(src: ScenarioSource, results: list[Result], cov: Coverage, minimum: float | None) -> str:
    from wizard.render.escape import one_line

    out: list[str] = []
    for r in results:
        if r.ok:
            out.append(f"PASS  {one_line(r.name)}")
            continue
        where = f"{src.path}:{r.line}" if r.line else str(src.path)
        out.append(f"FAIL  {one_line(r.name)}  ({one_line(where)})")
        out += [f"      {f'line {i.line}: ' if i.line else ''}{one_line(i.message)}" for i in r.issues]
        if r.verdict is not None:
            out.append(f"      path: {one_line(path_text(r.verdict))}")
            out.append(f"      raised: {one_line(raised_text(r.verdict))}")
    out += coverage_lines(cov)
    failed = sum(1 for r in results if not r.ok)
    out.append(f"{len(results) - failed} passed, {failed} failed")
    if minimum is not None and not cov.meets(minimum):
        out.append(f"coverage {_fmt(cov.gate_percent)} is below --min-coverage {minimum:g}% "
                   f"(choices {_fmt(cov.choices.percent)}, findings {_fmt(cov.findings.percent)}; the lower counts)")
    return "\n".join(out) + "\n"


def coverage_lines(cov: Coverage) -> list[str]:
    """The coverage report: four measures, then every item no scenario covers."""
    from wizard.render.escape import one_line

    c, f, e, o = cov.choices, cov.findings, cov.ends, cov.outcomes
    out = [
        "coverage:",
        f"  choices taken    {len(c.covered)}/{len(c.total)} ({_fmt(c.percent)})",
        f"  findings raised  {len(f.covered)}/{len(f.total)} ({_fmt(f.percent)})",
        f"  ends reached     {len(e.covered)}/{len(e.total)}",
        f"  outcomes         {len(o.covered)}/{len(o.total)}",
    ]
    missing = [(kind, item) for kind, part in (("choice", c), ("finding", f), ("end", e), ("outcome", o))
               for item in part.missing]
    if missing:
        out.append("not covered by any scenario:")
        out += [f"  {kind:<8} {one_line(item)}" for kind, item in missing]
    else:
        out.append("every choice, finding, end and outcome is covered")
    return out


# -- json --------------------------------------------------------------------------------------------


def _json(loaded: LoadedTree, src: ScenarioSource, results: list[Result], cov: Coverage,
          minimum: float | None) -> dict[str, Any]:
    failed = sum(1 for r in results if not r.ok)
    gate_ok = minimum is None or cov.meets(minimum)
    return {
        "ok": not failed and gate_ok,
        "tree": {"id": loaded.tree.id, "version": loaded.tree.version, "path": str(loaded.path)},
        "scenarios_file": str(src.path),
        "passed": len(results) - failed,
        "failed": failed,
        "scenarios": [_json_result(r) for r in results],
        "coverage": {
            "choices": _json_part(cov.choices),
            "findings": _json_part(cov.findings),
            "ends": _json_part(cov.ends),
            "outcomes": _json_part(cov.outcomes),
            "gate_percent": round(cov.gate_percent, 1),
        },
        "min_coverage": minimum,
        "coverage_ok": gate_ok,
    }


def _json_part(part: Part) -> dict[str, Any]:
    return {"covered": len(part.covered), "total": len(part.total), "percent": round(part.percent, 1),
            "missing": list(part.missing)}


def _json_result(r: Result) -> dict[str, Any]:
    v = r.verdict
    return {
        "name": r.name,
        "line": r.line,
        "ok": r.ok,
        "exact": r.exact,
        "problems": [{"message": i.message, "line": i.line or r.line} for i in r.issues],
        "path": [{"question": s.question.id, "choice": s.answer if isinstance(s.answer, str) else list(s.answer)} for s in v.walk.steps] if v else None,
        "end": v.walk.end.id if v and v.walk.end else None,
        "unanswered": v.walk.unanswered.id if v and v.walk.unanswered else None,
        "outcome": v.outcome.value if v and v.outcome else None,
        "raised": [rf.finding.id for rf in v.findings] if v else None,
    }
