"""The error family for every failure a user can cause, and the exit codes they map to.

The CLI turns an ``AuthreadyError`` into a single line on stderr and its exit code; nothing a
user types or a file holds should ever surface as a traceback. Each *kind* of failure has its
own class, so callers branch on the type, never on a message's wording:

- ``InputError``: a file or argument is malformed, unknown or refused (exit 2);
- ``GitError``: git is missing, fails, or the folder is not a repository (exit 2);
- ``SigningError``: a key or ``ssh-keygen`` problem while signing (exit 2);
- ``Unanswered``: an answers file or review stops before an end of the tree (exit 2);
- ``CheckFailed``: a check ran and did not pass (exit 1).
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1  # the check ran and something did not pass (verdict, signature, gate)
EXIT_USAGE = 2  # bad usage or bad input: malformed file, unknown id, no terminal
EXIT_INTERRUPTED = 130  # Ctrl+C; drafts are kept


class AuthreadyError(Exception):
    """A failure to report as one line, naming the file (and line) when there is one."""

    default_exit = EXIT_USAGE

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.exit_code = self.default_exit if exit_code is None else exit_code

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class InputError(AuthreadyError):
    """A file or argument is malformed, unknown, too large or refused (a credential in a note)."""


class GitError(AuthreadyError):
    """git is not installed, fails, or the folder is not (in) a git repository."""


class SigningError(AuthreadyError):
    """A signing key is missing, unusable or not listed, or ``ssh-keygen`` refuses to sign."""


class Unanswered(AuthreadyError):
    """The answers stop before the tree reaches an end: there is no verdict yet (``evaluate`` says
    so and exits 1; recording such a review is bad input, exit 2)."""


class CheckFailed(AuthreadyError):
    """A check ran and did not pass (a verdict, a signature, the gate)."""

    default_exit = EXIT_FAILED
