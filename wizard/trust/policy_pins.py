"""Policy pins: which policy trees a repo's attestations may be judged by.

Why: without pins any tree that loads can pass the gate, including a team's own one-question tree
that borrows the shipped tree's id and version. A central policy owner lists the trees a repo may
use in ``.authready/policies.toml``; CI can add a second list with ``check --policy SPEC``::

    [[policy]]
    tree = "generated-auth-code"     # tree id (required)
    version = ">=2.0.0, <3"          # optional: an exact version or comma-separated comparators
    sha256 = ["<64 hex>"]            # optional: the tree file hashes allowed (a string or a list)

An attestation passes a list when it matches at least one entry of it (same tree id, version in
range if given, hash listed if given), and must pass every list there is. The file is read at the
trust ref when there is one, so a pull request cannot loosen its own pins (adding an entry or
deleting the file in the change has no effect); else from the working tree. No file and no
``--policy``: no pinning.

What is pinned is what the attestation says it was judged by (``policy`` = tree, version, sha256)
and, when the gate now judges it by a tree with other bytes, that tree too: an unpinned tree may
neither have made the verdict nor re-judge it.

Versions are compared as semver (``MAJOR.MINOR.PATCH[-pre]``, the form trees must use) by a small
comparator here rather than a dependency. A comparator may leave out MINOR and PATCH (``<3`` is
``<3.0.0``); an exact version may not. As in npm, a pre-release (``3.0.0-rc.1``) is inside a range
only when one of its comparators names a pre-release of the same ``MAJOR.MINOR.PATCH``, so
``>=2.0.0, <3`` does not let a release candidate of 3 through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.infra import git as gitinfo
from wizard.infra.errors import AuthreadyError, InputError
from wizard.infra.files import FileRefused, read_regular
from wizard.infra.tomlio import locate, parse_toml
from wizard.trust.codes import Code

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation
    from wizard.policy.tree import LoadedTree
    from wizard.trust.report import Report
    from wizard.trust.trust_ref import TrustRef

PINS_FILE = ".authready/policies.toml"
MAX_PINS_BYTES = 256 * 1024  # a list of trees: a few hundred bytes
FLAG = "--policy"  # the source name of the command line's list
SPEC_FORMS = "ID, ID@VERSION, ID@>=1.2,<2 or ID@sha256:HEX"
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")  # wizard.policy.tree.ID_PATTERN (not imported: no pydantic here)
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_NUM = r"(0|[1-9]\d*)"
_VERSION = re.compile(rf"^{_NUM}(?:\.{_NUM}(?:\.{_NUM}(-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$")
_COMPARATOR = re.compile(r"^(>=|<=|==|>|<)?\s*(\S+)$")
_KEYS = ("tree", "version", "sha256")
_SHOWN = 5  # pins named in a failure message; the rest are counted


# -- versions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Semver:
    """A version as semver orders it: the release triple, then pre-release identifiers (none sorts last)."""

    core: tuple[int, int, int]
    pre: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str, *, partial: bool = False) -> Semver | None:
        """``1.2.3`` or ``1.2.3-rc.1``; with ``partial``, also ``1`` and ``1.2`` (missing parts are 0). None if not."""
        m = _VERSION.match(text)
        if m is None or (not partial and m.group(3) is None):
            return None
        major, minor, patch, pre = m.groups()
        return cls((int(major), int(minor or 0), int(patch or 0)), tuple(pre[1:].split(".")) if pre else ())

    def key(self) -> tuple[tuple[int, int, int], int, tuple[tuple[int, int, str], ...]]:
        """Semver 2.0 precedence: numeric identifiers numerically and below alphanumeric ones, a release last."""
        ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.pre)
        return self.core, 0 if self.pre else 1, ids


_OPS: dict[str, Callable[[int], bool]] = {
    "==": lambda c: c == 0, ">=": lambda c: c >= 0, "<=": lambda c: c <= 0, ">": lambda c: c > 0, "<": lambda c: c < 0,
}


@dataclass(frozen=True)
class VersionRange:
    """An exact version or comparators that must all hold (``>=2.0.0, <3``); ``text`` as written, tidied."""

    text: str
    comparators: tuple[tuple[str, Semver], ...]

    @classmethod
    def parse(cls, text: str) -> VersionRange:
        """The range in ``text``; ``ValueError`` saying what is wrong (the caller names the file or flag)."""
        parts = [p.strip() for p in text.split(",")]
        if not any(parts):
            raise ValueError("the version is empty; give an exact version (1.2.3) or comparators (>=1.2, <2)")
        comps: list[tuple[str, Semver]] = []
        for part in parts:
            m = _COMPARATOR.match(part)
            if m is None or not m.group(2)[0].isdigit():
                raise ValueError(f"version {part!r} is not a version or a comparator: use >=, >, <=, < or == "
                                 "before a version, comma-separated (>=2.0.0, <3)")
            op, text_v = m.group(1) or "==", m.group(2)
            if m.group(1) is None and len(parts) > 1:
                raise ValueError(f"version {part!r} has no comparator: an exact version stands alone; "
                                 "a range joins comparators with commas (>=2.0.0, <3)")
            v = Semver.parse(text_v, partial=op != "==")
            if v is None and op == "==" and Semver.parse(text_v, partial=True):
                raise ValueError(f"version {text_v!r} is not an exact version (MAJOR.MINOR.PATCH[-pre]); "
                                 f"for every {text_v}.x write >={text_v}, <{_next(text_v)}")
            if v is None:
                form = "MAJOR.MINOR.PATCH[-pre]" if op == "==" else "MAJOR[.MINOR[.PATCH[-pre]]]"
                raise ValueError(f"version {text_v!r} is not a version ({form})")
            comps.append((op, v))
        return cls(", ".join(p.replace(" ", "") for p in parts), tuple(comps))

    def allows(self, version: str) -> bool:
        """Whether ``version`` (a full semver) is in the range; a version that is not semver is in none."""
        v = Semver.parse(version)
        if v is None:
            return False
        if v.pre and not any(c.pre and c.core == v.core for _, c in self.comparators):
            return False  # a pre-release only where the range names one of its release (npm's rule)
        vk = v.key()
        return all(_OPS[op]((vk > c.key()) - (vk < c.key())) for op, c in self.comparators)


def _next(partial: str) -> str:
    """The release after every ``partial``.x: ``1.2`` -> ``1.3``, ``1`` -> ``2``."""
    *head, last = partial.split(".")
    return ".".join([*head, str(int(last) + 1)])


# -- pins -------------------------------------------------------------------------------------------


def label(tree: str, version: str, sha256: str) -> str:
    """How a policy is named everywhere (the table, messages): ``mini v1.2.0 sha256:0123abcd``."""
    return f"{tree} v{version} sha256:{sha256[:8]}"


@dataclass(frozen=True)
class Pin:
    """One allowed tree: its id, and if given the versions and file hashes allowed."""

    tree: str
    versions: VersionRange | None = None
    sha256: tuple[str, ...] = ()

    def matches(self, tree: str, version: str, sha256: str) -> bool:
        return (tree == self.tree and (self.versions is None or self.versions.allows(version))
                and (not self.sha256 or sha256 in self.sha256))

    def __str__(self) -> str:
        what = [self.versions.text] if self.versions else []
        if self.sha256:
            what.append(" or ".join(f"sha256:{h[:8]}" for h in self.sha256))
        return f"{self.tree} ({'; '.join(what) or 'any version'})"


def parse_spec(text: str) -> Pin:
    """A ``--policy`` value (``ID``, ``ID@1.2.3``, ``ID@>=1.2,<2``, ``ID@sha256:HEX``); ``InputError`` if malformed."""
    tree, at, rest = text.strip().partition("@")
    where = f"{FLAG} {text!r}"
    if not _ID.match(tree):
        raise InputError(f"{where}: {tree!r} is not a tree id (lower-case letters, digits, '.', '_', '-'); "
                         f"give {SPEC_FORMS}")
    if not at:
        return Pin(tree)
    if not rest.strip():
        raise InputError(f"{where}: nothing after '@'; give {SPEC_FORMS}")
    if rest.startswith("sha256:"):
        return Pin(tree, sha256=(_hash(rest.removeprefix("sha256:"), f"{where}: "),))
    try:
        return Pin(tree, versions=VersionRange.parse(rest))
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None


def _hash(text: str, prefix: str, path: str | None = None, line: int | None = None) -> str:
    """A tree file's sha256 as the attestation records it (lower-case hex)."""
    if not _HEX64.match(text):
        raise InputError(f"{prefix}sha256 {text!r} is not 64 hex digits (the sha256 of a tree file: "
                         "`authready tree list` or sha256sum shows it)", path=path, line=line)
    return text.lower()


@dataclass(frozen=True)
class PinList:
    """One list of pins and where it came from (``refs/heads/main:.authready/policies.toml``, ``--policy``)."""

    source: str
    pins: tuple[Pin, ...]

    def refusal(self, tree: str, version: str, sha256: str) -> str | None:
        """None when a pin allows the policy; else what this list allows, same tree id first, for a message."""
        if any(p.matches(tree, version, sha256) for p in self.pins):
            return None
        ranked = sorted(self.pins, key=lambda p: p.tree != tree)
        more = f"; and {len(ranked) - _SHOWN} more" if len(ranked) > _SHOWN else ""
        return f"{self.source} does not allow (allowed: {'; '.join(str(p) for p in ranked[:_SHOWN])}{more})"


@dataclass(frozen=True)
class Pins:
    """Every list of pins of one run; each must allow an attestation's policy."""

    lists: tuple[PinList, ...]
    from_working_tree: bool = False  # the file (``lists[0]``) came from the working tree, which a change can edit

    def check(self, report: Report, att: Attestation, loaded: LoadedTree | AuthreadyError) -> None:
        """Fail ``policy-unpinned`` per list that allows neither the recorded policy nor the tree judging it now.

        The recorded policy is judged even when its tree did not load (that failure is reported on its
        own): the pins say which policies may have made a verdict, whatever else is wrong. The tree
        judging it now is judged only when it is the one named, with other bytes.
        """
        rec = att.policy
        judged = label(rec.tree, rec.version, rec.sha256)
        now = None if isinstance(loaded, AuthreadyError) or loaded.tree.id != rec.tree else loaded
        for pins in self.lists:
            refused = pins.refusal(rec.tree, rec.version, rec.sha256)
            if refused:
                report.fail(Code.POLICY_UNPINNED, f"judged by {judged}, which {refused}; re-review against an "
                            "allowed policy tree")
            elif now is not None and now.sha256 != rec.sha256:
                refused = pins.refusal(now.tree.id, now.tree.version, now.sha256)
                if refused:
                    report.fail(Code.POLICY_UNPINNED, f"judged by {judged}, but the tree judging it now "
                                f"({rec.source or 'installed'}) is {label(now.tree.id, now.tree.version, now.sha256)}, "
                                f"which {refused}; restore the pinned tree or pin this one")


# -- the pins file ----------------------------------------------------------------------------------


def parse_file(text: str, where: str) -> PinList:
    """The ``[[policy]]`` entries of a pins file; an ``InputError`` naming ``where`` and the line otherwise."""
    doc = parse_toml(text, Path(where))
    if doc.get("kind") == "authready-attestation":
        raise InputError(f"holds an attestation, but {PINS_FILE} is the policy pins file; "
                         "record that component under another name", path=where)
    for key in doc:
        if key != "policy":
            raise InputError(f"unknown key {key!r}; a pins file holds only [[policy]] tables",
                             path=where, line=locate(text, [key]))
    entries: Any = doc.get("policy", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError("policy must be [[policy]] tables", path=where, line=locate(text, ["policy"]))
    if not entries:
        raise InputError("lists no [[policy]] entries, so it would pin nothing; add one per allowed tree "
                         '(tree = "ID"), or delete the file to stop pinning', path=where)
    return PinList(where, tuple(_entry(e, i, text, where) for i, e in enumerate(entries)))


def _entry(entry: dict[str, Any], i: int, text: str, where: str) -> Pin:
    def fail(key: str | None, message: str) -> InputError:
        loc: list[str | int] = ["policy", i]
        if key:
            loc.append(key)
        return InputError(f"policy #{i + 1}: {message}", path=where, line=locate(text, loc))

    for key in entry:
        if key not in _KEYS:
            raise fail(key, f"unknown key {key!r}; expected {', '.join(_KEYS)}")
    tree = entry.get("tree")
    if tree is None:
        raise fail(None, 'tree is required (tree = "ID")')
    if not isinstance(tree, str) or not _ID.match(tree):
        raise fail("tree", f"tree {tree!r} is not a tree id (lower-case letters, digits, '.', '_', '-')")
    versions = None
    if "version" in entry:
        if not isinstance(entry["version"], str):
            raise fail("version", 'version must be a string, e.g. "1.2.3" or ">=2.0.0, <3"')
        try:
            versions = VersionRange.parse(entry["version"])
        except ValueError as exc:
            raise fail("version", str(exc)) from None
    raw = entry.get("sha256", [])
    hashes = [raw] if isinstance(raw, str) else raw
    if not isinstance(hashes, list) or not all(isinstance(h, str) for h in hashes):
        raise fail("sha256", "sha256 must be a string or a list of strings")
    if "sha256" in entry and not hashes:
        raise fail("sha256", "sha256 = [] allows no tree file; list at least one hash, or leave sha256 out")
    line = locate(text, ["policy", i, "sha256"])
    return Pin(tree, versions, tuple(_hash(h, f"policy #{i + 1}: ", where, line) for h in hashes))


def _read_at_ref(root: Path, trust: TrustRef) -> tuple[str, str] | None:
    """``(where, text)`` of the pins file at the trust ref; None when it has none. Never the working tree's."""
    where = f"{trust.name}:{PINS_FILE}"
    out = gitinfo.run(["ls-tree", "-l", "-z", "--full-tree", trust.commit, "--", PINS_FILE], root)
    entry = out.split(b"\0")[0]
    if not entry:
        return None
    meta = entry.partition(b"\t")[0].split()
    if len(meta) != 4 or meta[0] not in (b"100644", b"100755") or not meta[3].isdigit():
        raise InputError("is not a regular file (a symlink, folder or submodule); the policy pins must be one",
                         path=where)
    if int(meta[3]) > MAX_PINS_BYTES:
        raise InputError(f"is {int(meta[3])} bytes; a pins file is at most {MAX_PINS_BYTES} bytes", path=where)
    return where, _utf8(gitinfo.run(["cat-file", "blob", meta[2].decode("ascii")], root), where)


def _read_working_tree(root: Path) -> tuple[str, str] | None:
    path = root / PINS_FILE
    try:
        data = read_regular(path, "the policy pins file", limit=MAX_PINS_BYTES)
    except FileRefused as exc:
        if exc.code == Code.UNREADABLE and not path.exists() and not path.is_symlink():
            return None
        raise InputError(exc.message, path=PINS_FILE) from None
    return PINS_FILE, _utf8(data, PINS_FILE)


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=where) from None


def load(root: Path | None, trust: TrustRef | None, specs: Sequence[str] = ()) -> Pins | None:
    """The run's pins: the file (at ``trust`` when given, else the working tree) and the ``--policy`` specs.

    None when there are neither (no pinning). A malformed file raises ``InputError`` (exit 2): a gate
    that cannot read its pins must not run as if there were none.
    """
    flag = tuple(parse_spec(s) for s in specs)  # first: a typo on the command line is named before any file
    found = None
    if root is not None:
        found = _read_at_ref(root, trust) if trust is not None else _read_working_tree(root)
    lists = [parse_file(found[1], found[0])] if found else []
    if flag:
        lists.append(PinList(FLAG, flag))
    return Pins(tuple(lists), from_working_tree=found is not None and trust is None) if lists else None
