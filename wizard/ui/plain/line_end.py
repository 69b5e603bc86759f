"""Line mode's end of a review: the verdict as numbered lines, then the save, one typed line at a time.

Kept apart from :mod:`wizard.ui.plain.line` (the start and the questions) to
keep both short; the decisions are :meth:`wizard.ui.plain.flow.PlainFlow.finish`'s,
these are only the prompts. The wording is what screen-reader users and
scripts rely on (``[Y/n]`` with the default in capitals; Enter takes it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import AuthreadyError
from wizard.ui.plain.flow import BACK, BIND, ELSEWHERE, QUIT, REPLACE, SAVE, PlainFlow
from wizard.ui.plain.text import as_path, new_file_problem, plural
from wizard.ui.plain.views import verdict_notes

if TYPE_CHECKING:  # pragma: no cover
    from wizard.attestation.model import Attestation


class LineEnd(PlainFlow):
    """The verdict and save prompts of line mode (``ask`` reads one line: see ``LineReview``)."""

    def ask(self, prompt: str) -> str:
        raise NotImplementedError

    def pick(self, prompt: str, keys: dict[str, str], retry: str) -> str:
        """Read until a line is one of ``keys`` (lower-cased); return what it stands for."""
        while True:
            raw = self.ask(prompt).strip().lower()
            if raw in keys:
                return keys[raw]
            self.say(retry)

    def show_verdict(self, att: "Attestation") -> None:
        """The verdict first, then findings, the answers that cap it, the questions passed as moot, and
        the remediation steps in order."""
        v = att.verdict
        blockers = [f for f in v.findings if f.severity.value == "blocker"]
        warnings = [f for f in v.findings if f.severity.value == "warning"]
        self.say("")
        self.say(f"Verdict: {v.label}. {plural(len(blockers), 'blocker')}, {plural(len(warnings), 'warning')}.")
        self.signer_warning(att)
        for word, fs in (("Blocker", blockers), ("Warning", warnings)):
            for f in fs:
                self.say(f"{word}: {f.title} (from {', '.join(f.raised_by)}).", indent="  ")
        for line in verdict_notes(self.session.verdict()) if self.session is not None else []:
            self.say(line, indent="  ")  # caps and moot questions: what the findings do not say
        if v.remediation:
            self.say("Remediation:")
            for i, step in enumerate(v.remediation, 1):
                self.say(f"  {i}. {step}", indent="     ")

    def ask_bind_head(self) -> str:
        return self.pick("Bind the committed version anyway? [y/N] (b back; Enter quits so you can commit first; "
                         "the draft is kept)", {"y": BIND, "yes": BIND, "": QUIT, "n": QUIT, "no": QUIT, "b": BACK},
                         "Type y to bind HEAD, n to quit, or b to go back.")

    def ask_supersede(self, target: Path) -> str:
        raw = self.ask(f"Replace {self.show(target)}? [y/N] (n saves elsewhere, b back, q quit)").strip().lower()
        return {"b": BACK, "q": QUIT, "y": REPLACE, "yes": REPLACE}.get(raw, ELSEWHERE)

    def ask_other_path(self, target: Path) -> "Path | str":
        suggestion = _free_name(target)
        while True:
            raw = self.ask(f"Save to another path [{self.show(suggestion)}] (Enter keeps it; b back, q quit):").strip()
            if raw.lower() in ("b", "q"):
                return BACK if raw.lower() == "b" else QUIT
            if not raw:
                return suggestion
            problem = new_file_problem(raw, self.cwd)
            if problem is None:
                return as_path(raw, self.cwd)
            self.say(f"{problem}.")

    def ask_save(self, target: Path, att: "Attestation") -> str:
        while True:
            raw = self.ask(f"Save to {self.show(target)}? [Y/n] (r references, b back)").strip().lower()
            if raw in ("", "y", "yes", "n", "no", "q", "b"):
                return SAVE if raw in ("", "y", "yes") else BACK if raw == "b" else QUIT
            if raw != "r":
                self.say("Type y to save, n to quit without saving (the draft is kept), r for the references, "
                         "or b to go back to the last question.")
                continue
            refs = att.verdict.references
            self.say("References:" if refs else "No references.")
            for ref in refs:
                title = self.session.tree.references.get(ref) if self.session else None
                self.say(f"  - {ref}: {title}" if title else f"  - {ref}", indent="    ")
            self.say("They are recorded in the attestation too.")


def _free_name(target: Path) -> Path:
    """``name-2.toml``, ``name-3.toml``…: the first that does not exist."""
    for i in range(2, 1000):
        candidate = target.with_name(f"{target.stem}-{i}{target.suffix or '.toml'}")
        if not candidate.exists():
            return candidate
    raise AuthreadyError(f"no free file name beside {target}; give --out")
