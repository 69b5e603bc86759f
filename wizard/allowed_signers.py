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

from wizard import gitinfo
from wizard.errors import EXIT_USAGE, AuthreadyError
from wizard.signing import NAMESPACE

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
    _tmp: tempfile.TemporaryDirectory | None = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "Signers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _readable(path: Path, what: str) -> Path:
    if not path.exists():
        raise AuthreadyError(f"{what} not found; run `authready init` or pass --allowed-signers FILE", path=path)
    if path.is_dir():
        raise AuthreadyError(f"{what} is a folder, expected a file", path=path)
    if not os.access(path, os.R_OK):
        raise AuthreadyError(f"{what}: permission denied", path=path)
    return path


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
    """``--allowed-signers``, else ``.authready/allowed_signers``, else git's setting."""
    rev = revoked
    if rev is None and root is not None and (root / REVOKED_KEYS).is_file():
        rev = root / REVOKED_KEYS
    if rev is not None:
        _readable(rev, "revoked-keys file")
    if explicit is not None:
        return Signers(_readable(explicit, "allowed signers file"), rev, str(explicit))
    if root is not None and (root / ALLOWED_SIGNERS).exists():
        p = root / ALLOWED_SIGNERS
        return Signers(_readable(p, "allowed signers file"), rev, str(p))
    g = git_allowed_signers(root)
    if g is not None:
        return Signers(_readable(g, "allowed signers file (git config gpg.ssh.allowedSignersFile)"), rev, str(g))
    where = root / ALLOWED_SIGNERS if root else Path(ALLOWED_SIGNERS)
    raise AuthreadyError(
        "no allowed signers file; run `authready init`, pass --allowed-signers FILE, or set git config gpg.ssh.allowedSignersFile",
        path=where,
    )


def from_ref(root: Path, ref: str) -> Signers:
    """Read ``.authready/allowed_signers`` (and ``revoked_keys`` if present) as committed at ``ref``."""
    if gitinfo.git(["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], root, check=False) is None:
        raise AuthreadyError(f"--allowed-signers-ref {ref!r} is not a commit in this repo (fetch it first?)", exit_code=EXIT_USAGE)
    tmp = tempfile.TemporaryDirectory(prefix="authready-signers-")
    try:
        allowed = Path(tmp.name) / "allowed_signers"
        data = _show(root, ref, ALLOWED_SIGNERS)
        if data is None:
            raise AuthreadyError(f"{ALLOWED_SIGNERS} does not exist at {ref}; commit it there first (`authready init`)")
        allowed.write_bytes(data)
        revoked = None
        rdata = _show(root, ref, REVOKED_KEYS)
        if rdata is not None:
            revoked = Path(tmp.name) / "revoked_keys"
            revoked.write_bytes(rdata)
    except BaseException:
        tmp.cleanup()
        raise
    return Signers(allowed, revoked, f"{ref}:{ALLOWED_SIGNERS}", tmp)


def show_blob(root: Path, ref: str, path: str) -> bytes | None:
    """The bytes of file ``path`` as committed at ``ref``; None when it is not a file there.

    ``cat-file blob`` rather than ``show``: a folder at that path is not a file
    (``show`` would print its listing).
    """
    import subprocess

    proc = subprocess.run(["git", "cat-file", "blob", f"{ref}:{path}"], cwd=root, capture_output=True)
    return proc.stdout if proc.returncode == 0 else None


_show = show_blob


# -- lint -----------------------------------------------------------------------------------------

_KEY_TYPES = ("ssh-", "ecdsa-", "sk-ssh-", "sk-ecdsa-", "rsa-sha2-")


def _tokens(line: str) -> list[str]:
    """Split on whitespace outside double quotes (options may quote values)."""
    out, cur, quoted = [], [], False
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
    out, cur, quoted = {}, [], False
    parts = []
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
    warnings = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        toks = _tokens(line)
        if len(toks) < 2:
            warnings.append(f"{name}:{n}: not a valid line (expected PRINCIPALS [OPTIONS] KEYTYPE KEY)")
            continue
        principals = toks[0].strip('"')
        opts = {}
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
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise AuthreadyError(f"cannot read allowed signers file: {exc.strerror}", path=path) from None
    return lint_text(text, name or str(path))
