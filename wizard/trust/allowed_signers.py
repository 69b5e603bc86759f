"""The allowed_signers file: where it is, reading it from a git ref, and linting it.

It is OpenSSH's own format (``man ssh-keygen``, ALLOWED SIGNERS); ssh-keygen
alone decides whether a key may sign. This module only finds the file and
warns about lines that are legal but risky: a wildcard principal lets any
matching name verify, and a key without ``namespaces=`` may verify
signatures made for other purposes (git commits, files).

Reading it from a ref (``--allowed-signers-ref origin/main``) means a pull
request cannot add its own key: the list comes from the reviewed branch.
The revoked-keys file (``.authready/revoked_keys``) is read from the same
place, so a pull request cannot drop a revocation either.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from wizard.infra import git as gitinfo
from wizard.infra.errors import InputError
from wizard.trust.ssh import NAMESPACE
from wizard.trust.trust_ref import TrustRef

ALLOWED_SIGNERS = ".authready/allowed_signers"
REVOKED_KEYS = ".authready/revoked_keys"

TEMPLATE = f"""\
# authready allowed signers: who may sign attestations (OpenSSH format; see `man ssh-keygen`).
# One line per key: PRINCIPAL OPTIONS KEYTYPE KEY [COMMENT]. The principal must match the
# reviewer names in attestations (e.g. the e-mail addresses). Restrict each key to the
# attestation namespace; valid-before="YYYYMMDD" ends a key's validity (dates need quotes).
#
# alice@example.com namespaces="{NAMESPACE}" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... alice
# bob@example.com namespaces="{NAMESPACE}",valid-after="20260101" ecdsa-sha2-nistp256 AAAA... bob
#
# Add yours with:
#   echo "$(git config user.email) namespaces=\\"{NAMESPACE}\\" $(cut -d' ' -f1,2 ~/.ssh/id_ed25519.pub)" >> {ALLOWED_SIGNERS}
"""


@dataclass
class Signers:
    """The allowed_signers (and optional revoked-keys) files to verify against, and where they came from."""

    allowed: Path
    revoked: Path | None
    source: str
    _tmp: tempfile.TemporaryDirectory[str] | None = None
    revoked_source: str | None = None

    def explain(self, message: str) -> str:
        """A message from ssh-keygen with the private copies' paths replaced by the files they came from."""
        message = message.replace(str(self.allowed), self.source)
        if self.revoked is not None and self.revoked_source:
            message = message.replace(str(self.revoked), self.revoked_source)
        return message

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "Signers":
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


MAX_SIGNERS_BYTES = 1 << 20  # thousands of keys; a hostile file cannot make the gate read forever


def _checked_copy(path: Path, what: str, tmpdir: Path, *, follow: bool) -> Path:
    """Read ``path`` once (regular file, size-capped) and hand ssh-keygen a private copy of those bytes.

    ssh-keygen opens the file itself: given the original, a symlink to ``/dev/zero`` or a FIFO would
    make it read forever, and the file could change between our checks and its read. ``follow``: a
    file the user named (or git config names) may be a symlink to a regular file; the repo's own
    ``.authready/`` files, which a change controls, may not.
    """
    from wizard.infra.files import FileRefused, read_regular

    target = Path(os.path.realpath(path)) if follow else path
    try:
        data = read_regular(target, what, MAX_SIGNERS_BYTES)
    except FileRefused as exc:
        if not os.path.lexists(path):
            raise InputError(f"{what} not found; run `authready init` or pass --allowed-signers FILE", path=path) from None
        raise InputError(f"{what}: {exc.message}", path=path) from None
    folder = tmpdir / what.split()[0]
    folder.mkdir(exist_ok=True)
    copy = folder / path.name
    copy.write_bytes(data)
    return copy


def git_allowed_signers(root: Path | None) -> Path | None:
    """git's ``gpg.ssh.allowedSignersFile`` (``~`` expanded, relative to the repo root), or None."""
    val = gitinfo.git(["config", "--get", "gpg.ssh.allowedSignersFile"], root or Path.cwd(), check=False)
    if not val:
        return None
    p = Path(os.path.expanduser(val))
    if not p.is_absolute() and root is not None:
        p = root / p
    return p


def locate(root: Path | None, explicit: Path | None = None, revoked: Path | None = None) -> Signers:
    """``--allowed-signers``, else ``.authready/allowed_signers``, else git's setting (each read once, capped)."""
    tmp = tempfile.TemporaryDirectory(prefix="authready-signers-")
    try:
        folder = Path(tmp.name)
        rev, revoked_source = None, None
        if revoked is not None:
            rev, revoked_source = _checked_copy(revoked, "revoked-keys file", folder, follow=True), str(revoked)
        elif root is not None and os.path.lexists(root / REVOKED_KEYS):
            rev = _checked_copy(root / REVOKED_KEYS, "revoked-keys file", folder, follow=False)
            revoked_source = str(root / REVOKED_KEYS)
        if explicit is not None:
            allowed, follow = explicit, True
        elif root is not None and os.path.lexists(root / ALLOWED_SIGNERS):
            allowed, follow = root / ALLOWED_SIGNERS, False
        else:
            g = git_allowed_signers(root)
            if g is None:
                where = root / ALLOWED_SIGNERS if root else Path(ALLOWED_SIGNERS)
                raise InputError(
                    "no allowed signers file; run `authready init`, pass --allowed-signers FILE, or set git config "
                    "gpg.ssh.allowedSignersFile",
                    path=where,
                )
            allowed, follow = g, True
        copy = _checked_copy(allowed, "allowed signers file", folder, follow=follow)
    except BaseException:
        tmp.cleanup()
        raise
    return Signers(copy, rev, str(allowed), tmp, revoked_source)


def from_ref(root: Path, ref: TrustRef) -> Signers:
    """Read ``.authready/allowed_signers`` (and ``revoked_keys`` if present) as committed at the trust ref."""
    tmp = tempfile.TemporaryDirectory(prefix="authready-signers-")
    try:
        allowed = Path(tmp.name) / "allowed_signers"
        data = gitinfo.blob_at(root, ref.commit, ALLOWED_SIGNERS, MAX_SIGNERS_BYTES)
        if data is None:
            raise InputError(f"{ALLOWED_SIGNERS} does not exist at {ref.name} (or is over {MAX_SIGNERS_BYTES} bytes); "
                             "commit it there first (`authready init`)")
        allowed.write_bytes(data)
        revoked = None
        rdata = gitinfo.blob_at(root, ref.commit, REVOKED_KEYS, MAX_SIGNERS_BYTES)
        if rdata is not None:
            revoked = Path(tmp.name) / "revoked_keys"
            revoked.write_bytes(rdata)
    except BaseException:
        tmp.cleanup()
        raise
    return Signers(allowed, revoked, f"{ref.name}:{ALLOWED_SIGNERS}", tmp,
                   f"{ref.name}:{REVOKED_KEYS}" if revoked else None)


# -- lint -----------------------------------------------------------------------------------------

_KEY_TYPES = ("ssh-", "ecdsa-", "sk-ssh-", "sk-ecdsa-", "rsa-sha2-")


def _tokens(line: str) -> list[str]:
    """Split on whitespace outside double quotes (options may quote values)."""
    out: list[str] = []
    cur: list[str] = []
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
            cur.append(ch)
        elif ch.isspace() and not quoted:
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def _options(token: str) -> dict[str, str]:
    """``a="x,y",b,c="z"`` -> {a: 'x,y', b: '', c: 'z'} (commas inside quotes kept)."""
    out: dict[str, str] = {}
    cur: list[str] = []
    quoted = False
    parts: list[str] = []
    for ch in token:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    for part in parts:
        name, _, val = part.partition("=")
        out[name.strip().lower()] = val.strip().strip('"')
    return out


def lint_text(text: str, name: str = "allowed_signers") -> list[str]:
    """Warnings for risky lines: wildcard principals, no ``namespaces=``, a namespace list without ours."""
    warnings: list[str] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        toks = _tokens(line)
        if len(toks) < 2:
            warnings.append(f"{name}:{n}: not a valid line (expected PRINCIPALS [OPTIONS] KEYTYPE KEY)")
            continue
        principals = toks[0].strip('"')
        opts: dict[str, str] = {}
        if not toks[1].startswith(_KEY_TYPES):
            opts = _options(toks[1])
        if any(c in principals for c in "*?"):
            warnings.append(
                f"{name}:{n}: wildcard principal {principals!r} lets any matching name verify; list each signer by name"
            )
        if "namespaces" not in opts:
            warnings.append(
                f"{name}:{n}: key for {principals!r} has no namespaces= restriction; add namespaces=\"{NAMESPACE}\""
            )
        elif NAMESPACE not in [s.strip() for s in opts["namespaces"].split(",")] and "*" not in opts["namespaces"]:
            warnings.append(
                f"{name}:{n}: key for {principals!r} is limited to namespaces=\"{opts['namespaces']}\"; "
                f"it cannot sign attestations (add {NAMESPACE})"
            )
    return warnings


def lint_file(path: Path, name: str | None = None) -> list[str]:
    """Lint an allowed_signers file; an unreadable file is an error (verification needs it)."""
    from wizard.infra.files import FileRefused, read_regular

    try:
        text = read_regular(path, "an allowed signers file", MAX_SIGNERS_BYTES).decode("utf-8", "replace")
    except FileRefused as exc:
        raise InputError(f"allowed signers file: {exc.message}", path=path) from None
    return lint_text(text, name or str(path))
