"""One error type for every failure a user can cause.

The CLI turns an ``AuthreadyError`` into a single line on stderr and its exit
code; nothing a user types or a file holds should ever surface as a traceback.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1  # the check ran and something did not pass (verdict, signature, gate)
EXIT_USAGE = 2  # bad usage or bad input: malformed file, unknown id, no terminal
EXIT_INTERRUPTED = 130  # Ctrl+C; drafts are kept


class AuthreadyError(Exception):
    """A failure to report as one line, naming the file (and line) when there is one."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        exit_code: int = EXIT_USAGE,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.exit_code = exit_code

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message
