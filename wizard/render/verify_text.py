"""``authready verify`` for people and scripts: a PASS/FAIL headline with its problems, or JSON.

The text escapes every field with ``one_line`` (each may come from the attestation: component,
label, file names, messages that quote them). The JSON is the report's own (``Report.to_json``)
plus where the trusted inputs came from.
"""

from __future__ import annotations

import json

from wizard.render.escape import one_line
from wizard.trust.report import Report


def verify_text(r: Report) -> str:
    """``PASS file: GO (component), signed by …, expires …`` or ``FAIL file: …`` and one line per problem; notes last."""
    who = ", ".join(r.signers) if r.signers else "nobody"
    head = f"{r.label or '?'}"
    if r.component:
        head += f" ({r.component})"
    need = f" ({len(r.signers)} of {r.required_signers} required)" if r.required_signers else ""
    if r.ok:
        lines = [one_line(f"PASS {r.display}: {head}, signed by {who}{need}, expires {r.expires_at}")]
    else:
        lines = [one_line(f"FAIL {r.display}: {head}")] + [f"  {one_line(p.line())}" for p in r.problems]
    lines += [f"  note: {one_line(n)}" for n in r.notes]
    return "\n".join(lines) + "\n"


def verify_json(r: Report, *, allowed_signers: str, warnings: list[str], policy_trees: str, trust_note: str | None) -> str:
    """The report as JSON, with the allowed signers' source, their lint warnings and the trust note."""
    doc = r.to_json() | {"allowed_signers": allowed_signers, "warnings": warnings,
                         "policy_trees": policy_trees, "trust_note": trust_note}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
