"""Reading TOML with errors that point at a line, and writing files atomically.

Parsing uses the standard library's ``tomllib`` (audited, strict). Model
validation errors carry a path of keys, not a line, so ``locate`` (one
lookup) and ``TomlLines`` (an index, for many) map that path back to the
line where the key stands, or to the header of the table a missing key
belongs in; it is a best effort, and the message is right even when no line
is found. ``validation_error`` reports the first error of a file (loaders
stop there); ``validation_problems`` / ``error_problems`` report every one,
each placed by id (``question 'expiry', choice 'yes': next``), for lint.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence, TypeVar

from wizard.infra.errors import AuthreadyError
from wizard.infra.toml_union import form_of, in_file, is_tag

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


_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(?:#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ASSIGN = re.compile(r"^\s*(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)\s*[.=]")


def _key_path(dotted: str) -> tuple[str, ...] | None:
    """``a."b.c".d`` -> ``("a", "b.c", "d")``; None when it is not a dotted key."""
    parts: list[str] = []
    pos = 0
    while True:
        m = _KEY.match(dotted, pos)
        if not m or m.end() == pos:
            return None
        parts.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
        if pos == len(dotted):
            return tuple(parts)
        if dotted[pos] != ".":
            return None
        pos += 1


class _Table:
    """One table of the document: its header line, the lines of its own keys, its sub-tables."""

    __slots__ = ("line", "keys", "children")

    def __init__(self, line: int | None) -> None:
        self.line = line  # 0-based line of the header (None: the root, or a table only implied by sub-tables)
        self.keys: dict[str, int] = {}  # first part of each key assigned in this table's body -> its line
        self.children: dict[str, _Table | list[_Table]] = {}


class TomlLines:
    """An index of a TOML text's tables and keys, built once, to answer ``line(loc)`` quickly.

    Why not a search per question: a key that is missing from its table must point at that table,
    not at the same key further down the file (the next ``[[questions.choices]]`` has its own
    ``next``), and lint asks for hundreds of lines in a large tree. Best effort: it reads the text
    line by line (headers, ``key =`` lines, multi-line strings skipped), never a second parse.
    """

    def __init__(self, text: str) -> None:
        self.root = _Table(None)
        current, in_string = self.root, ""
        for n, ln in enumerate(text.splitlines()):
            if in_string:
                if in_string in ln and ln.count(in_string) % 2:
                    in_string = ""
                continue
            first = ln.lstrip()[:1]
            if first == "[":
                m = _ARRAY_HEADER.match(ln) or _TABLE_HEADER.match(ln)
                keys = _key_path(m.group(1)) if m else None
                if m and keys:
                    current = self._add(keys, n, is_array=ln.lstrip().startswith("[["))
            elif first and first != "#" and "=" in ln:
                head = ln.split("=", 1)[0].strip()
                key = (head,) if _BARE.fullmatch(head) else _key_path(head) if _ASSIGN.match(ln) else None
                if key:
                    current.keys.setdefault(key[0], n)
            if "'''" in ln or '"""' in ln:
                for quote in ('"""', "'''"):
                    if ln.count(quote) % 2:
                        in_string = quote
                        break

    def _add(self, keys: tuple[str, ...], n: int, is_array: bool) -> _Table:
        node = self.root
        for k in keys[:-1]:  # super-tables: the latest element of an array, or a table (implied if never written)
            child = node.children.get(k)
            if child is None:
                child = node.children[k] = _Table(n)
            node = child[-1] if isinstance(child, list) else child
        last = node.children.get(keys[-1])
        if is_array:
            if not isinstance(last, list):
                last = node.children[keys[-1]] = []
            last.append(_Table(n))
            return last[-1]
        if isinstance(last, _Table):  # implied earlier by a sub-table, written out now
            last.line = n
            return last
        node.children[keys[-1]] = table = _Table(n)
        return table

    def line(self, loc: Sequence[str | int]) -> int | None:
        """The 1-based line of a key path such as ``("questions", 3, "choices", 0, "next")``.

        A key that is present: its line. A key that is missing: the header of the table that lacks
        it. A path into an inline value (an array, an inline table): the line of the key holding it.
        """
        node, found, i = self.root, None, 0
        while i < len(loc):
            part = loc[i]
            if not isinstance(part, str):
                break
            if part in node.keys:
                found = node.keys[part]
                break
            child = node.children.get(part)
            if child is None:
                break
            if isinstance(child, list):
                index = loc[i + 1] if i + 1 < len(loc) else 0
                if not isinstance(index, int) or not 0 <= index < len(child):
                    found = child[0].line
                    break
                node, i = child[index], i + 2
            else:
                node, i = child, i + 1
            found = node.line if node.line is not None else found
        return found + 1 if found is not None else None


def locate(text: str, loc: Sequence[str | int]) -> int | None:
    """Best-effort 1-based line for a key path such as ``("questions", 3, "text")`` (see ``TomlLines``)."""
    return TomlLines(text).line(loc)


def validation_error(exc: ValidationError, text: str, path: Path) -> AuthreadyError:
    """Turn a pydantic ``ValidationError`` into one line naming the first problem."""
    errors = exc.errors()
    first = errors[0]
    loc = [p for p in first.get("loc", ()) if isinstance(p, (str, int))]
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    msg = first.get("msg", "invalid value")
    return AuthreadyError(f"{dotted}: {msg}{more}", path=path, line=locate(text, loc))


def describe_loc(loc: Sequence[str | int], data: Any) -> str:
    """A key path as a reader names it: ``question 'expiry', choice 'yes': next``, not ``questions.5.choices.1.next``.

    An element of an array of tables is named by its ``id`` when it has one (else by its 1-based
    position), with the array's name made singular; an item of a plain list by its 1-based position.
    A pydantic ``[key]`` marker (the key itself was wrong, not its value) reads as ``(key)``; a union's
    tag (a value that may be text or a table) as the form it names: ``remediation item 2 (as text)``.
    """
    named: list[str] = []
    keys: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            name = keys.pop() if keys else "item"
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            node = item
            if item is not None and not isinstance(item, dict):  # a value in a plain list
                keys.append(f"{name} item {part + 1}")
                continue
            kind = name[:-1] if name.endswith("s") else name
            what = f"{kind} {item_id!r}" if isinstance(item_id, str) and item_id else f"{kind} {part + 1}"
            named.append(".".join([*keys, what]))
            keys = []
        elif part == "[key]":
            keys.append("(key)")
        elif is_tag(part, node):  # which form of a union the error is about
            form = f" (as {form_of(part)})"
            if keys:
                named.append(".".join(keys) + form)
                keys = []
            elif named:
                named[-1] += form
        else:
            keys.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    field = ".".join(keys).replace(".(key)", " (key)")
    if not named:
        return field or "(top level)"
    return ", ".join(named) + (f": {field}" if field else "")


def error_problems(errors: Iterable[Mapping[str, Any]], data: Any, text: str) -> list[tuple[int | None, str]]:
    """Every validation error (pydantic's ``errors()`` shape: ``loc`` and ``msg``) as ``(line, message)``.

    ``message`` names the place by id (``describe_loc``); ``line`` is where it stands, or the header
    of the table a missing key belongs in. The text is indexed once for all of them.
    """
    lines = TomlLines(text)
    out: list[tuple[int | None, str]] = []
    for err in errors:
        loc = [p for p in err.get("loc", ()) if isinstance(p, (str, int))]
        where = lines.line(in_file(loc, data))
        out.append((where, f"{describe_loc(loc, data)}: {err.get('msg', 'invalid value')}"))
    return out


def validation_problems(exc: ValidationError, data: Any, text: str) -> list[tuple[int | None, str]]:
    """Every problem of a pydantic ``ValidationError``, not just the first (``validation_error``), for lint."""
    return error_problems(exc.errors(), data, text)


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
    import tempfile  # here: only writers need it, and readers (lint on save) start faster without

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
