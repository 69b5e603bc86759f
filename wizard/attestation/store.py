"""An attestation's bytes on disk: deterministic dumps, load, its one name, atomic save and supersede.

Why the care: reviewers sign these exact bytes, so they must be the same from
every front-end, must never be half-written, and an existing attestation (signed
or not) is never overwritten by accident. ``supersede`` is the one deliberate
replacement, and it is crash-safe: a crash at any point leaves the old file
with its signatures or the new file without them, once ``recover`` has run
(``supersede`` runs it first); the hidden folder a crash leaves says in a file
what it is and how to finish by hand.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from wizard.attestation.model import Attestation, parse_timestamp
from wizard.attestation.signatures import SIG_SUFFIX, signature_files, signature_index
from wizard.infra.errors import AuthreadyError
from wizard.infra.files import read_regular
from wizard.infra.tomlio import load_model, validate_text, write_atomic
from wizard.infra.workspace import ATTESTATION_DIR

__all__ = [
    "ASIDE_MARK",
    "JOURNAL",
    "default_path",
    "dumps",
    "interrupted",
    "load",
    "recover",
    "require_binding",
    "save",
    "slug",
    "supersede",
]

HEADER = "# authready attestation: sign with `authready sign`; do not edit by hand (signatures cover these bytes).\n"
ASIDE_MARK = ".superseded-"  # ``.<name>.superseded-XXXX/``: the folder a supersede works in, beside the file
JOURNAL = "INTERRUPTED"  # in that folder: what it is, the two hashes, how to finish by hand
_PENDING = "new-attestation.pending"  # the new bytes, staged in that folder until one rename puts them in place


def dumps(att: Attestation) -> bytes:
    """Deterministic TOML bytes (LF line ends, fixed key order, no ``None`` values)."""
    import tomli_w  # only commands that write pay for it

    body = tomli_w.dumps(att.model_dump(mode="json", exclude_none=True))
    return (HEADER + body).encode("utf-8")


def load(path: Path) -> tuple[Attestation, bytes]:
    """Read an attestation back through the model; returns it and its exact bytes."""
    att, text = load_model(Attestation, path)
    return att, text.encode("utf-8")


def slug(text: str) -> str:
    """A file-name-safe form of a component name."""
    s = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.")
    return s or "component"


# Files under .authready/ that are not attestations: a component may not take their names.
RESERVED = frozenset({"policies"})  # .authready/policies.toml: the policy pins (wizard.trust.policy_pins)


def default_path(root: Path, component: str) -> Path:
    """``.authready/<component>.toml`` at the repo root: one file per reviewed component.

    A component named like a reserved file gets ``component-<name>.toml``: its review must not
    land where the gate reads the repo's policy pins.
    """
    name = slug(component)
    return root / ATTESTATION_DIR / f"{'component-' if name in RESERVED else ''}{name}.toml"


def refuse_reserved(path: Path) -> None:
    """An explicit ``--out`` may not name a reserved file under ``.authready/`` either."""
    if path.parent.name == ATTESTATION_DIR and path.suffix == ".toml" and path.stem in RESERVED:
        raise AuthreadyError(
            f"{ATTESTATION_DIR}/{path.name} is the repo's policy pins file, not an attestation; choose another --out",
            path=path,
        )


def require_binding(att: Attestation) -> None:
    """Refuse to write an attestation that binds no code: it could never be verified."""
    if not att.subject.root_commit:
        raise AuthreadyError(
            "not inside a git repo with a commit: an attestation binds the code it covers; "
            "run the review inside the repo (nothing was written)"
        )
    if not att.subject.paths:
        raise AuthreadyError("paths: name at least one subject path (relative to the repo root; '.' for all)")


def save(att: Attestation, path: Path) -> bytes:
    """Write atomically; never overwrites an existing attestation (signed or not)."""
    require_binding(att)
    refuse_reserved(path)
    data = dumps(att)
    write_atomic(path, data, overwrite=False)
    return data


# -- supersede -----------------------------------------------------------------------------------


def _no_step(name: str) -> None:
    """Where a test's hook goes (see ``_step``)."""


# Called with each step's name right after ``supersede`` took it: "aside", "journal", "pending",
# "moved <signature file>", "committed", "cleaned". The crash-safety test sets it to end the process
# there (tests/attestation/test_supersede_crash.py); nothing else does.
_step: Callable[[str], None] = _no_step


def supersede(att: Attestation, path: Path) -> tuple[bytes, list[Path]]:
    """Replace the attestation at ``path`` with ``att`` deliberately; returns the bytes and the removed signatures.

    The new review names what it replaces (``review.supersedes`` = sha256 of the
    old file's exact bytes), must be of the same component and later than the
    old one. The old signatures cannot cover the new bytes, so they go in the
    same step. In a hidden folder beside the file: a journal (what this is, both
    hashes), then the new bytes; then the signatures move in; then one rename
    puts the new bytes in place (the commit); then the folder goes. A failure
    before the commit puts the signatures back. A crash leaves the folder:
    ``recover`` (run first by the next supersede) undoes an uncommitted one and
    finishes a committed one, so the result is the old set or the new one.
    """
    require_binding(att)
    notes = recover(path)
    try:
        old_bytes = read_regular(path)
    except AuthreadyError as exc:
        raise AuthreadyError(f"cannot supersede: {exc.message}", path=path) from None
    try:
        old = validate_text(Attestation, old_bytes.decode("utf-8"), path)
    except UnicodeDecodeError:
        raise AuthreadyError("cannot supersede: not an attestation (not UTF-8)", path=path) from None
    if old.subject.component != att.subject.component:
        raise AuthreadyError(
            f"cannot supersede: it is the review of {old.subject.component!r}, this one of {att.subject.component!r}",
            path=path,
        )
    if parse_timestamp(att.review.reviewed_at) <= parse_timestamp(old.review.reviewed_at):
        raise AuthreadyError(
            f"cannot supersede: reviewed_at {att.review.reviewed_at} is not later than the review it replaces "
            f"({old.review.reviewed_at})" + "".join(f"; {n}" for n in notes),
            path=path,
        )
    old_sha = hashlib.sha256(old_bytes).hexdigest()
    att = att.model_copy(update={"review": att.review.model_copy(update={"supersedes": old_sha})})
    data = dumps(att)
    sigs = [s for s in signature_files(path, signature_index(os.listdir(path.parent))) if os.path.lexists(s)]
    done: list[str] = []
    try:
        _replace(path, data, old_sha, sigs, done)
    except OSError as exc:
        if "committed" in done:
            raise AuthreadyError(f"replaced by the new review, but then: {exc.strerror or exc}; "
                                 "check it with `authready verify`", path=path) from None
        raise AuthreadyError(f"cannot write: {exc.strerror or exc}; nothing was written", path=path) from None
    return data, sigs


def _replace(path: Path, data: bytes, old_sha: str, sigs: list[Path], done: list[str]) -> None:
    """The steps of ``supersede``; ``done`` gets "committed" once the new bytes are in place."""
    aside = Path(tempfile.mkdtemp(prefix=f".{path.name}{ASIDE_MARK}", dir=path.parent))
    try:
        _step("aside")
        journal = _journal_text(path.name, old_sha, hashlib.sha256(data).hexdigest(), len(sigs))
        _write_new(aside / JOURNAL, journal.encode("utf-8"))
        _fsync_dir(aside)
        _step("journal")
        _write_new(aside / _PENDING, data)
        _step("pending")
        for sig in sigs:
            os.rename(sig, aside / sig.name)
            _step(f"moved {sig.name}")
        _fsync_dir(aside)
        _fsync_dir(path.parent)
        os.replace(aside / _PENDING, path)
        done.append("committed")
        _fsync_dir(path.parent)
        _step("committed")
    except BaseException:
        if "committed" not in done:
            _put_back(aside, path.parent)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    _step("cleaned")


def _journal_text(name: str, old_sha: str, new_sha: str, n: int) -> str:
    return (
        f"authready was replacing {name} with a later review (authready review --supersede) and stopped part-way\n"
        f"(a crash or a kill). The {n} signature file(s) of the review it replaced are kept here while it works:\n"
        f"they signed the old bytes (sha256 {old_sha}) and cannot cover the new ones (sha256 {new_sha}).\n"
        f"The next `authready review --supersede` of {name} finishes or undoes this by itself. By hand: if\n"
        f"{name} still has sha256 {old_sha}, move the .sig files here back beside it; then delete this folder.\n"
        f"old-sha256 = {old_sha}\n"
        f"new-sha256 = {new_sha}\n"
    )


def _write_new(path: Path, data: bytes) -> None:
    """A new file (never an existing one), fsynced, readable like the attestation it stands for."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _aside_sigs(aside: Path) -> list[Path]:
    """The signature files kept in a supersede's folder (regular files only; nothing else is touched)."""
    out = []
    for name in sorted(os.listdir(aside)):
        p = aside / name
        if name.endswith(SIG_SUFFIX) and not p.is_symlink() and p.is_file():
            out.append(p)
    return out


def _put_back(aside: Path, folder: Path) -> int:
    """Move the kept signatures back beside the attestation; one already there again wins."""
    back = 0
    for sig in _aside_sigs(aside):
        if not os.path.lexists(folder / sig.name):
            os.rename(sig, folder / sig.name)
            back += 1
    _fsync_dir(folder)
    return back


# -- after a crash -------------------------------------------------------------------------------


def _leftovers(path: Path) -> list[Path]:
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    prefix = f".{path.name}{ASIDE_MARK}"
    return [path.parent / n for n in sorted(names) if n.startswith(prefix) and (path.parent / n).is_dir()
            and not (path.parent / n).is_symlink()]


def _journal_hashes(aside: Path) -> tuple[str, str] | None:
    try:
        text = read_regular(aside / JOURNAL, "a supersede journal", limit=4096).decode("utf-8", "replace")
    except AuthreadyError:
        return None
    found = dict(re.findall(r"^(old|new)-sha256 = ([0-9a-f]{64})$", text, re.M))
    return (found["old"], found["new"]) if "old" in found and "new" in found else None


def _current_sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(read_regular(path)).hexdigest()
    except AuthreadyError:
        return None


def interrupted(path: Path) -> list[str]:
    """What an interrupted supersede left beside ``path`` and what ``recover`` will do about it (read only)."""
    out = []
    for aside in _leftovers(path):
        hashes = _journal_hashes(aside)
        n = len(_aside_sigs(aside))
        if hashes is None:
            out.append(f"{aside.name}: a supersede of {path.name} stopped before it moved anything")
        elif _current_sha(path) == hashes[0]:
            out.append(f"{aside.name}: a supersede of {path.name} stopped before replacing it; "
                       f"{n} of its signature file(s) are kept there and will be put back")
        else:
            out.append(f"{aside.name}: a supersede of {path.name} replaced it and stopped before removing "
                       f"the {n} signature file(s) of the old review kept there")
    return out


def recover(path: Path) -> list[str]:
    """Finish or undo what an interrupted supersede of ``path`` left; one line per folder saying which.

    Undone (the signatures put back) while ``path`` still holds the old bytes the
    journal names; finished (the old signatures deleted) once it holds anything
    else, since they cannot cover it. A folder without a journal never held a
    signature (the journal is written first): it is removed unless one is there.
    """
    out = []
    for aside in _leftovers(path):
        hashes = _journal_hashes(aside)
        sigs = _aside_sigs(aside)
        if hashes is None:
            if sigs:
                out.append(f"{aside} holds signatures but no journal; left as it is: inspect it")
                continue
            shutil.rmtree(aside, ignore_errors=True)
            continue
        current = _current_sha(path)
        if current is None:
            out.append(f"{aside} holds the signatures of {path.name}, which is gone; left as it is: inspect it")
            continue
        if current == hashes[0]:
            back = _put_back(aside, path.parent)
            out.append(f"undid an interrupted supersede of {path.name}: it was not replaced; "
                       f"{back} signature file(s) put back")
        else:
            out.append(f"finished an interrupted supersede of {path.name}: removed the {len(sigs)} signature "
                       "file(s) of the review it replaced")
        shutil.rmtree(aside, ignore_errors=True)
    return out
