"""The organisation's view: every attestation in many repo checkouts, verified, in one report.

A security team asks "which components may ship, which expire soon, which
carry open conditions?" across hundreds of repos. ``authready inventory``
verifies each repo with the same ``Verifier`` as ``check`` (its own
allowed_signers and policy trees, from the working tree: this is a report,
not a gate), runs repos side by side with at most one ``ssh-keygen`` per
core, and renders one row per attestation as a terminal table, markdown,
JSON or a self-contained HTML page (sortable, no external assets).

Everything shown comes from files other people control: the terminal and
markdown renderers escape control characters, the HTML page escapes every
cell and carries the data only as escaped text.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from wizard.infra.errors import AuthreadyError


@dataclass
class Row:
    """One attestation in one repo, as the inventory shows it."""

    repo: str
    component: str
    file: str
    verdict: str
    signers: str
    expires_at: str
    days_left: int | None
    conditions: list[str] = field(default_factory=list)
    status: str = "pass"
    problems: list[str] = field(default_factory=list)


def repo_paths(args: list[Path]) -> list[Path]:
    """Folders as given; a file lists folders, one per line (``#`` comments, blank lines skipped)."""
    out: list[Path] = []
    for a in args:
        if a.is_dir():
            out.append(a)
        elif a.is_file():
            from wizard.infra.files import read_regular

            base = a.parent
            for raw in read_regular(a, "a list of repo folders").decode("utf-8", "replace").splitlines():
                line = raw.strip()
                if line and not line.startswith("#"):
                    p = Path(os.path.expanduser(line))
                    out.append(p if p.is_absolute() else base / p)
        else:
            raise AuthreadyError("no such folder or list file", path=a)
    return list(dict.fromkeys(out))


def _repo_rows(folder: Path) -> list[Row]:
    """Verify one repo's attestations (one ssh-keygen at a time: repos run side by side)."""
    from wizard.trust.allowed_signers import locate
    from wizard.trust.gate import clean, targets
    from wizard.infra.git import repo_root
    from wizard.trust.verify import Verifier

    root = repo_root(folder)
    name = folder.name
    if root is None:
        return [Row(name, "-", str(folder), "-", "-", "-", None, status="FAIL", problems=["not a git repo"])]
    try:
        files = targets(root, [])
        if not files:
            return []
        with locate(root) as signers:
            reports = Verifier(signers, root, workers=1).run(files)
    except AuthreadyError as exc:
        return [Row(name, "-", str(folder), "-", "-", "-", None, status="FAIL", problems=[clean(str(exc))])]
    rows = []
    for r in reports:
        rows.append(Row(
            repo=clean(r.repo or name),
            component=clean(r.component or "?"),
            file=clean(r.display),
            verdict=clean(r.label or "?"),
            signers=f"{len(r.signers)}/{r.required_signers or '?'}",
            expires_at=clean(r.expires_at or "?"),
            days_left=r.days_left,
            conditions=[clean(c) for c in r.conditions],
            status="pass" if r.ok else "FAIL",
            problems=[clean(p.line()) for p in r.problems],
        ))
    return rows


def collect(folders: list[Path], workers: int | None = None) -> list[Row]:
    """Rows for every attestation in every folder, verified in parallel (bounded by the cores)."""
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        per_repo = list(pool.map(_repo_rows, folders))
    rows = [row for rows in per_repo for row in rows]
    return sorted(rows, key=lambda r: (r.repo, r.component, r.file))


# -- renderers ----------------------------------------------------------------------------------

COLUMNS = ("repo", "component", "verdict", "signers", "expires", "status", "conditions")


def _cells(r: Row) -> list[str]:
    expires = r.expires_at if r.days_left is None else f"{r.expires_at} ({r.days_left}d)"
    status = r.status if not r.problems else f"{r.status}: {'; '.join(r.problems)}"
    return [r.repo, r.component, r.verdict, r.signers, expires, status, "; ".join(r.conditions)]


def _summary(rows: list[Row]) -> str:
    failed = sum(r.status != "pass" for r in rows)
    repos = len({r.repo for r in rows})
    return f"{len(rows)} attestation(s) in {repos} repo(s): {len(rows) - failed} passed, {failed} failed"


def render_text(rows: list[Row]) -> str:
    table = [[c.upper() for c in COLUMNS]] + [_cells(r) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS) - 1)]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(row[:-1])) + "  " + row[-1] for row in table]
    return "\n".join(line.rstrip() for line in lines) + "\n" + _summary(rows) + "\n"


def render_markdown(rows: list[Row]) -> str:
    def md(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(md(c) for c in _cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n\n" + _summary(rows) + "\n"


def render_json(rows: list[Row]) -> str:
    doc = {"summary": _summary(rows), "attestations": [asdict(r) for r in rows]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_html(rows: list[Row], generated: str) -> str:
    """One page, no external assets: a table sortable by any column (click a header), escaped cells."""
    from html import escape

    def cell(text: str, sort: str | None = None, cls: str = "") -> str:
        key = f' data-sort="{escape(sort)}"' if sort is not None else ""
        klass = f' class="{cls}"' if cls else ""
        return f"<td{key}{klass}>{escape(text)}</td>"

    body = []
    for r in rows:
        c = _cells(r)
        days = "" if r.days_left is None else f"{r.days_left:08d}" if r.days_left >= 0 else f"-{-r.days_left:07d}"
        status_cls = "pass" if r.status == "pass" else "fail"
        body.append(
            "<tr>" + cell(c[0]) + cell(c[1]) + cell(c[2]) + cell(c[3]) + cell(c[4], days) +
            cell(c[5], cls=status_cls) + cell(c[6]) + "</tr>"
        )
    headers = "".join(f'<th scope="col"><button type="button" data-col="{i}">{escape(h)}</button></th>'
                      for i, h in enumerate(COLUMNS))
    return _PAGE.format(
        summary=escape(_summary(rows)), generated=escape(generated), headers=headers, rows="\n".join(body)
    )


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authready inventory</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; vertical-align: top; }}
th button {{ font: inherit; font-weight: 600; background: none; border: 0; cursor: pointer; padding: 0; }}
th[aria-sort="ascending"] button::after {{ content: " \\25B2"; }}
th[aria-sort="descending"] button::after {{ content: " \\25BC"; }}
td.pass {{ color: #1a7f37; }} td.fail {{ color: #cf222e; font-weight: 600; }}
</style>
</head>
<body>
<h1>authready inventory</h1>
<p id="summary">{summary} &middot; generated {generated}</p>
<table id="inventory">
<thead><tr>{headers}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<script>
(function () {{
  var table = document.getElementById("inventory");
  var heads = table.querySelectorAll("th");
  function key(row, col) {{
    var td = row.children[col];
    return td.hasAttribute("data-sort") ? td.getAttribute("data-sort") : td.textContent.toLowerCase();
  }}
  table.querySelectorAll("th button").forEach(function (button) {{
    button.addEventListener("click", function () {{
      var col = Number(button.getAttribute("data-col"));
      var th = heads[col];
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      heads.forEach(function (h) {{ h.removeAttribute("aria-sort"); }});
      th.setAttribute("aria-sort", dir);
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {{
        var x = key(a, col), y = key(b, col);
        return (x < y ? -1 : x > y ? 1 : 0) * (dir === "ascending" ? 1 : -1);
      }});
      rows.forEach(function (r) {{ body.appendChild(r); }});
    }});
  }});
}})();
</script>
</body>
</html>
"""
