"""What verification found about one attestation file: a ``Report`` of ``Problem`` s, and its JSON.

Every check writes here and every renderer reads from here (text, JSON, GitHub annotations,
SARIF, JUnit, the inventory): one shape for all of them. The JSON keys are a public interface
(CI scripts read them) and do not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wizard.trust.codes import Code


@dataclass
class Problem:
    """One failed check: a stable ``code``, the file it concerns, and a line saying what to do."""

    code: Code
    message: str
    file: str

    def line(self) -> str:
        return f"{self.file}: {self.message} [{self.code}]"


@dataclass
class Report:
    """The verdict of verification for one attestation file."""

    path: Path
    display: str
    component: str | None = None
    outcome: str | None = None
    label: str | None = None
    expires_at: str | None = None
    required_signers: int | None = None
    days_left: int | None = None
    repo: str | None = None
    # The policy the verdict was judged by (tree id, version, sha256 of its text): a gate's reader
    # must see which policy each repo used, not only that it passed.
    policy: dict[str, str] | None = None
    conditions: list[str] = field(default_factory=list)  # the warnings a GO WITH CONDITIONS carries
    expiring: bool = False  # set by ``check --expiring-within``
    signers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, code: Code, message: str, file: str | None = None) -> None:
        """Record a failed check; ``file`` defaults to the attestation (a signature names its own file)."""
        self.problems.append(Problem(Code(code), message, file or self.display))

    def has(self, code: Code) -> bool:
        """Whether a check failed with ``code``."""
        return any(p.code == code for p in self.problems)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.display,
            "ok": self.ok,
            "component": self.component,
            "outcome": self.outcome,
            "label": self.label,
            "expires_at": self.expires_at,
            "days_left": self.days_left,
            "expiring": self.expiring,
            "required_signers": self.required_signers,
            "policy": self.policy,
            "signers": self.signers,
            "problems": [{"code": str(p.code), "file": p.file, "message": p.message} for p in self.problems],
            "notes": self.notes,
        }


def display_name(path: Path, root: Path | None) -> str:
    """The path as reports show it: relative to the repo root when inside it (``root`` already resolved).

    A file name that is not UTF-8 is shown with its bytes escaped (``\\xff``): it must not break
    JSON or a terminal, and the name is the attacker's choice.
    """
    return printable_name(_relative(path, root))


def printable_name(name: str) -> str:
    """A name from the file system (surrogate-escaped bytes) as text that JSON and terminals take."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        if path.is_absolute():
            try:  # discovered paths are root / name: no need to touch the file system
                return path.relative_to(root).as_posix()
            except ValueError:
                pass
        try:
            return path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            pass
    return str(path)
