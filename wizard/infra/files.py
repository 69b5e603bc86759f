"""Reading files a pull request controls: regular files only, never a symlink or a device, size-capped.

Attestations, signatures, allowed_signers, revoked keys and policy trees all
come from a checkout an attacker may have written. One reader for all of
them means one set of rules: a symlink to ``/dev/zero`` cannot hang the gate
and a 10 GB file cannot exhaust it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wizard.infra.errors import AuthreadyError

MAX_FILE_BYTES = 1 << 20  # an attestation is a few KiB; a signature well under 1 KiB


class FileRefused(AuthreadyError):
    """A file that is not read: missing, a symlink or special file, or too large (``code`` says which)."""

    def __init__(self, code: str, message: str, path: Path) -> None:
        super().__init__(message, path=path)
        self.code = code


def read_regular(path: Path, what: str = "an attestation file", limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else raises ``FileRefused``.

    ``lstat`` first (a symlink is refused, not followed, so it cannot point at
    ``/dev/zero`` or ``/dev/stdin``), then an ``O_NOFOLLOW | O_NONBLOCK`` open
    re-checked with ``fstat`` (the file cannot be swapped in between), then at
    most ``limit + 1`` bytes read.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise FileRefused("unreadable", "no such file", path) from None
    except OSError as exc:
        raise FileRefused("unreadable", f"cannot read: {exc.strerror}", path) from None
    if stat.S_ISLNK(st.st_mode):
        raise FileRefused("not-a-file", f"is a symlink; {what} must be a regular file (symlinks are not followed)", path)
    if stat.S_ISDIR(st.st_mode):
        raise FileRefused("unreadable", f"is a folder, expected {what}", path)
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused("not-a-file", f"is not a regular file (a device, FIFO or socket); {what} must be a regular file", path)
    if st.st_size > limit:
        raise FileRefused("too-large", f"is {st.st_size} bytes; {what} is at most {limit} bytes", path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise FileRefused("unreadable", "permission denied; make it readable", path) from None
    except OSError as exc:  # ELOOP: it became a symlink after the lstat
        raise FileRefused("unreadable", f"cannot read: {exc.strerror}", path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileRefused("not-a-file", f"is not a regular file; {what} must be a regular file", path)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise FileRefused("unreadable", f"cannot read: {exc.strerror}", path) from None
    finally:
        os.close(fd)
    if size > limit:
        raise FileRefused("too-large", f"is over {limit} bytes; {what} is at most {limit} bytes", path)
    return b"".join(chunks)
