"""The README screenshots are current: regenerating them gives the committed bytes.

Fix a failure with ``python scripts/screenshots.py`` (and look at the result).
"""

from __future__ import annotations

import importlib.util

import pytest

from tests.helpers.repo import ROOT

SCRIPT = ROOT / "scripts" / "screenshots.py"

pytestmark = pytest.mark.slow



def test_screenshots_are_up_to_date():
    """Every screenshots/*.svg equals what the script renders now (same size, theme, data)."""
    spec = importlib.util.spec_from_file_location("authready_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered = module.render_all()
    stale = [name for name, svg in rendered.items()
             if not (module.OUT / f"{name}.svg").is_file()
             or (module.OUT / f"{name}.svg").read_text(encoding="utf-8") != svg]
    assert not stale, f"out of date: {stale}; run `python scripts/screenshots.py`"
    assert sorted(p.stem for p in module.OUT.glob("*.svg")) == sorted(rendered), "stray or missing screenshots"
