"""Which front-end libraries a command loads, probed in a fresh interpreter (not a test module)."""

from __future__ import annotations

import json
import subprocess
import sys

FRONT_ENDS = ("textual", "questionary", "prompt_toolkit")

PROBE = """
import json, sys
{pre}
from wizard.cli.main import main
try:
    rc = main({argv!r})
except SystemExit as exc:
    rc = exc.code
loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({front!r}))
print(json.dumps(loaded), file=sys.stderr)
"""


def modules_after(argv: list[str], cwd, pre: str = "") -> list[str]:
    code = PROBE.format(argv=argv, front=list(FRONT_ENDS), pre=pre)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    return json.loads(proc.stderr.strip().splitlines()[-1])
