"""Who signs, with which key: found as git finds its signing key, named by allowed_signers.

A reviewer should be able to type ``authready sign FILE`` and nothing else.
The key is looked for where git looks (``user.signingkey``), then among the
keys ssh-agent holds that allowed_signers lists, then the default files
``~/.ssh/id_ed25519``, ``id_ecdsa``, ``id_rsa``. The principal is not taken
from ``git config user.email`` (two reviewers on one laptop share that): it
is the name allowed_signers gives the chosen key, narrowed to the reviewers
the attestation lists. When several candidate keys exist, the first whose
principal is a listed reviewer who has not signed yet is used, so a second
reviewer on the same machine signs with their own key without flags.

Nothing here does crypto or parses a signature: public keys are compared as
the ``KEYTYPE BASE64`` text OpenSSH writes in ``.pub`` files and
allowed_signers lines.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from wizard.infra.errors import SigningError

DEFAULT_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")


@dataclass(frozen=True)
class KeyCandidate:
    """A key that could sign: where it is (a private key, or a ``.pub`` for the agent) and its public text."""

    path: Path
    public: str | None  # "KEYTYPE BASE64", None when it cannot be read without a passphrase
    source: str  # how it was found, for messages


@dataclass(frozen=True)
class Choice:
    """The key and principal a signature will be made with."""

    key: Path
    principal: str
    source: str


def public_text(line: str) -> str | None:
    """``KEYTYPE BASE64`` from a ``.pub`` line or an agent listing line."""
    parts = line.split()
    if len(parts) >= 2 and (parts[0].startswith(("ssh-", "ecdsa-", "sk-"))):
        return f"{parts[0]} {parts[1]}"
    return None


def _pub_of(key: Path) -> str | None:
    pub = key if key.suffix == ".pub" else Path(f"{key}.pub")
    try:
        return public_text(pub.read_text(encoding="utf-8", errors="replace").strip())
    except OSError:
        return None


def signers_by_key(allowed_text: str) -> dict[str, list[str]]:
    """Map ``KEYTYPE BASE64`` -> principals, from allowed_signers text (comments and options skipped)."""
    from wizard.trust.allowed_signers import _tokens

    out: dict[str, list[str]] = {}
    for raw in allowed_text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        toks = _tokens(line)
        for i in range(1, len(toks) - 1):
            key = public_text(f"{toks[i]} {toks[i + 1]}")
            if key:
                principals = [p for p in toks[0].strip('"').split(",") if p]
                out.setdefault(key, []).extend(principals)
                break
    return out


def agent_keys(tmpdir: Path) -> list[KeyCandidate]:
    """Public keys ssh-agent holds, each written to a ``.pub`` file (``ssh-keygen -Y sign -f K.pub`` uses the agent)."""
    if not os.environ.get("SSH_AUTH_SOCK"):
        return []
    try:
        proc = subprocess.run(["ssh-add", "-L"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if proc.returncode != 0:
        return []
    out: list[KeyCandidate] = []
    for i, line in enumerate(proc.stdout.splitlines()):
        pub = public_text(line)
        if pub:
            path = tmpdir / f"agent-{i}.pub"
            path.write_text(line.strip() + "\n")
            out.append(KeyCandidate(path, pub, "ssh-agent"))
    return out


def candidates(root: Path | None, tmpdir: Path, explicit: Path | None, listed: dict[str, list[str]]) -> list[KeyCandidate]:
    """Keys in git's order: ``--key``; else ``user.signingkey``, agent keys allowed_signers lists, default files."""
    from wizard.infra.git import git

    if explicit is not None:
        p = Path(os.path.expanduser(str(explicit)))
        return [KeyCandidate(p, _pub_of(p), "--key")]
    out: list[KeyCandidate] = []
    val = git(["config", "--get", "user.signingkey"], root or Path.cwd(), check=False)
    if val:
        if val.startswith("key::"):  # git's literal-key form: the agent holds the private half
            p = tmpdir / "signingkey.pub"
            p.write_text(val[len("key::"):].strip() + "\n")
            out.append(KeyCandidate(p, public_text(val[len("key::"):]), "git config user.signingkey"))
        else:
            p = Path(os.path.expanduser(val))
            if not p.is_absolute() and root is not None:
                p = root / p
            out.append(KeyCandidate(p, _pub_of(p), "git config user.signingkey"))
    out += [k for k in agent_keys(tmpdir) if k.public in listed]
    home = Path(os.path.expanduser("~")) / ".ssh"
    for name in DEFAULT_KEYS:
        p = home / name
        if p.is_file():
            out.append(KeyCandidate(p, _pub_of(p), f"~/.ssh/{name}"))
    return out


def choose(
    keys: list[KeyCandidate],
    listed: dict[str, list[str]],
    reviewers: list[str],
    signed: set[str],
    principal: str | None,
    fallback_principal: str | None,
) -> Choice:
    """The first key whose principal is a listed reviewer who has not signed yet; refuse with a reason otherwise."""
    if not keys:
        raise SigningError(
            "no signing key found (git config user.signingkey, ssh-agent, ~/.ssh/id_ed25519, id_ecdsa, id_rsa); "
            "pass --key ~/.ssh/id_ed25519 or set `git config user.signingkey`"
        )
    reasons: list[str] = []
    for k in keys:
        if not listed:
            # No allowed_signers to name the key (not set up yet): the name given, else git's user.email.
            who = principal or fallback_principal
            if who and who in reviewers and who not in signed:
                return Choice(k.path, who, k.source)
            reasons.append(f"{k.source}: no allowed_signers names this key; pass --principal (a listed reviewer)")
            continue
        if k.public is None:
            # No .pub beside it: allowed_signers cannot name it; only --principal (or git's email) can.
            who = principal or fallback_principal
            if who and who in reviewers and who not in signed:
                return Choice(k.path, who, k.source)
            reasons.append(f"{k.source}: no {k.path.name}.pub beside it, so allowed_signers cannot name it")
            continue
        names = listed.get(k.public, [])
        if principal is not None:
            if principal in names or not listed:
                return Choice(k.path, principal, k.source)
            listed_for = f" (it is listed for {', '.join(names)})" if names else ""
            reasons.append(f"{k.source}: the key is not listed for {principal} in allowed_signers{listed_for}; "
                           "add it there first, then sign")
            continue
        if not names:
            reasons.append(f"{k.source} ({k.path}): not in allowed_signers")
            continue
        mine = [n for n in names if n in reviewers]
        if not mine:
            reasons.append(f"{k.source}: allowed_signers lists it for {', '.join(names)}, none a reviewer of this attestation")
            continue
        todo = [n for n in mine if n not in signed]
        if not todo:
            reasons.append(f"{k.source}: {', '.join(mine)} signed already")
            continue
        if len(todo) > 1:
            raise SigningError(
                f"the key from {k.source} is listed for several reviewers ({', '.join(todo)}); "
                "say which with --principal"
            )
        return Choice(k.path, todo[0], k.source)
    raise SigningError("no key can sign this attestation (nothing was written): " + "; ".join(reasons))
