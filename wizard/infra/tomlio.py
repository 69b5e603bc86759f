"""Reading TOML with errors that point at a line, and writing files atomically.

Parsing uses the standard library's ``tomllib`` (audited, strict). Model
validation errors carry a path of keys, not a line, so ``locate`` maps that
path back to the line of the source text where the key stands; it is a
best effort, and the message is right even when no line is found.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, TypeVar

from wizard.infra.errors import AuthreadyError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound="BaseModel")

_LINE_RE = re.compile(r"at line (\d+), column (\d+)")


def read_bytes(path: Path, expected: str = "a TOML file") -> bytes:
    """Read a file, turning OS errors into one-line errors that name it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AuthreadyError("no such file", path=path) from None
    except IsADirectoryError:
        raise AuthreadyError(f"is a folder, expected {expected}", path=path) from None
    except PermissionError:
        raise AuthreadyError("permission denied", path=path) from None
    except OSError as exc:
        raise AuthreadyError(f"cannot read: {exc.strerror}", path=path) from None


def read_text(path: Path, expected: str = "a TOML file") -> str:
    """Read a UTF-8 file, turning OS and decoding errors into one-line errors."""
    try:
        return read_bytes(path, expected).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AuthreadyError(f"not UTF-8 text (byte {exc.start})", path=path) from None


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML text; a syntax error names the file and line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _LINE_RE.search(msg)
        line = int(m.group(1)) if m else None
        msg = _LINE_RE.sub("", msg).rstrip(" ()")
        raise AuthreadyError(f"malformed TOML: {msg}", path=path, line=line) from None
    except RecursionError:
        raise AuthreadyError("malformed TOML: nested too deeply", path=path) from None
    except ValueError as exc:  # e.g. an integer longer than Python's int-string limit
        raise AuthreadyError(f"malformed TOML: {str(exc).split(';')[0]}", path=path) from None


def load_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse a TOML file; returns the data and the source text."""
    text = read_text(path)
    return parse_toml(text, path), text


def validate_text(model: type[M], text: str, path: Path) -> M:
    """Parse TOML text and validate it as the pydantic ``model``; errors name the file and line."""
    return validate_data(model, parse_toml(text, path), text, path)


def validate_data(model: type[M], data: dict[str, Any], text: str, path: Path) -> M:
    """Validate parsed data as the pydantic ``model``; errors name the file and the line in ``text``."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, text, path) from None


def load_model(model: type[M], path: Path) -> tuple[M, str]:
    """Read a TOML file and validate it as ``model``; returns the instance and the source text."""
    text = read_text(path)
    return validate_text(model, text, path), text


def _header_lines(lines: list[str], header: str) -> list[int]:
    pat = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]\s*(#.*)?$")
    return [i for i, ln in enumerate(lines) if pat.match(ln)]


def locate(text: str, loc: Sequence[str | int]) -> int | None:
    """Best-effort 1-based line for a key path such as ``("questions", 3, "text")``."""
    lines = text.splitlines()
    start, found = 0, None
    prefix: list[str] = []
    i = 0
    while i < len(loc):
        part = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(part, str) and isinstance(nxt, int):
            prefix.append(part)
            heads = [h for h in _header_lines(lines, ".".join(prefix)) if h >= start]
            if nxt < len(heads):
                start = found = heads[nxt]
            i += 2
            continue
        if isinstance(part, str):
            key = re.compile(r"^\s*\"?" + re.escape(part) + r"\"?\s*=")
            table = re.compile(r"^\s*\[\s*" + re.escape(".".join(prefix + [part])) + r"\s*\]")
            for j in range(start, len(lines)):
                if key.match(lines[j]) or table.match(lines[j]):
                    start = found = j
                    break
            prefix.append(part)
        i += 1
    return found + 1 if found is not None else None


def validation_error(exc: ValidationError, text: str, path: Path) -> AuthreadyError:
    """Turn a pydantic ``ValidationError`` into one line naming the first problem."""
    errors = exc.errors()
    first = errors[0]
    loc = [p for p in first.get("loc", ()) if isinstance(p, (str, int))]
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    msg = first.get("msg", "invalid value")
    return AuthreadyError(f"{dotted}: {msg}{more}", path=path, line=locate(text, loc))


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are fsynced, then
    linked (``overwrite=False``: fails if the target exists, with no race) or
    renamed over the target. The folder is fsynced so the entry survives a crash.
    """
    try:
        _write_atomic(path, data, overwrite)
    except AuthreadyError:
        raise
    except OSError as exc:
        raise AuthreadyError(f"cannot write: {exc.strerror or exc}; nothing was written", path=path) from None


def _write_atomic(path: Path, data: bytes, overwrite: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise AuthreadyError(
                    "already exists; refusing to overwrite (move it away or choose another --out)",
                    path=path,
                ) from None
            os.unlink(tmp)
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
