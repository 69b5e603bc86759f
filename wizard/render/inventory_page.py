"""The inventory report as people and tools read it: a terminal table, markdown, JSON, an HTML page.

The rows come from ``wizard.trust.inventory`` as found; every field was written by someone else
(repo names, components, file names, problems), so each renderer first escapes every field with
``one_line`` (no control character reaches a terminal, a markdown table or the JSON), and the
HTML page then escapes every cell and carries the data only as escaped text: one page, no
external assets, sortable by any column.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from wizard.render.escape import one_line
from wizard.trust.inventory import Row


def _shown(rows: list[Row]) -> list[Row]:
    """Every text field escaped, in the order the escaped text sorts (as the report shows it)."""
    out = [
        replace(
            r,
            repo=one_line(r.repo),
            component=one_line(r.component),
            file=one_line(r.file),
            verdict=one_line(r.verdict),
            expires_at=one_line(r.expires_at),
            conditions=[one_line(c) for c in r.conditions],
            problems=[one_line(p) for p in r.problems],
        )
        for r in rows
    ]
    return sorted(out, key=lambda r: (r.repo, r.component, r.file))


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
    """A table with a summary line, for the terminal."""
    rows = _shown(rows)
    table = [[c.upper() for c in COLUMNS]] + [_cells(r) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS) - 1)]
    lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(row[:-1])) + "  " + row[-1] for row in table]
    return "\n".join(line.rstrip() for line in lines) + "\n" + _summary(rows) + "\n"


def render_markdown(rows: list[Row]) -> str:
    """A markdown table (pipes, backslashes, ``<`` and backticks escaped) and the summary."""
    rows = _shown(rows)

    def md(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(md(c) for c in _cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n\n" + _summary(rows) + "\n"


def render_json(rows: list[Row]) -> str:
    """``{"summary": ..., "attestations": [row, ...]}``."""
    rows = _shown(rows)
    doc: dict[str, object] = {"summary": _summary(rows), "attestations": [asdict(r) for r in rows]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_html(rows: list[Row], generated: str) -> str:
    """One page, no external assets: a table sortable by any column (click a header), escaped cells."""
    from html import escape

    rows = _shown(rows)

    def cell(text: str, sort: str | None = None, cls: str = "") -> str:
        key = f' data-sort="{escape(sort)}"' if sort is not None else ""
        klass = f' class="{cls}"' if cls else ""
        return f"<td{key}{klass}>{escape(text)}</td>"

    body: list[str] = []
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
