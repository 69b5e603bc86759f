"""Refuse free text that looks like a credential before it reaches a committed file.

Attestations live in the repo and are signed: a token pasted into a note
would be published and then hard to remove. The patterns are the common,
well-known shapes (private key blocks, cloud and chat tokens, JWTs) plus a
high-entropy check for long random-looking strings. Hex digests (git SHAs,
sha256) stay allowed: their alphabet caps their entropy below the threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

from wizard.errors import AuthreadyError

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key block", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Slack webhook URL", re.compile(r"hooks\.slack\.com/services/T[A-Za-z0-9_/]+")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Stripe secret key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{16,}")),
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
    ("an AWS secret access key", re.compile(r"(?i)(?:aws.{0,20})?secret.?access.?key\W{0,5}[A-Za-z0-9/+=]{40}")),
    ("a GitLab token", re.compile(r"\bgl(?:pat|dt|rt|cbt|ptt)-[A-Za-z0-9_-]{20,}")),
    ("a URL with an embedded password", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s]+@")),
    ("a password assignment", re.compile(r"(?i)\b(?:password|passwd|pwd)\s*=\s*[^\s;'\"]{4,}")),
)

# Public digests that look random but are not secrets: SSH key fingerprints and SRI hashes.
_PUBLIC_DIGESTS = re.compile(r"\bSHA256:[A-Za-z0-9+/]{43}\b|\bsha(?:256|384|512)-[A-Za-z0-9+/]{40,}={0,2}")

_CANDIDATE = re.compile(r"[A-Za-z0-9+/=_-]{24,}")
ENTROPY_BITS = 3.5  # bits per character; random base64 of 24+ chars sits near 4.5
# Share of neighbouring characters of different kinds (lower, upper, digit, other): about 0.64 for
# random base64, under 0.35 for CamelCase identifiers and paths, which change kind once per word.
TRANSITIONS = 0.45


def shannon_entropy(s: str) -> float:
    """Bits per character of ``s`` by symbol frequency."""
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _kind(c: str) -> int:
    return 0 if c.islower() else 1 if c.isupper() else 2 if c.isdigit() else 3


def transitions(s: str) -> float:
    """Share of neighbouring characters whose kind differs."""
    return sum(_kind(a) != _kind(b) for a, b in zip(s, s[1:])) / max(len(s) - 1, 1)


def _looks_random(token: str) -> bool:
    classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    return classes == 3 and shannon_entropy(token) >= ENTROPY_BITS and transitions(token) >= TRANSITIONS


def find_secret(text: str) -> str | None:
    """Return what the text looks like (e.g. "a GitHub token"), or None when it looks clean."""
    for kind, pat in PATTERNS:
        if pat.search(text):
            return kind
    for m in _CANDIDATE.finditer(_PUBLIC_DIGESTS.sub(" ", text)):
        if _looks_random(m.group(0)):
            return "a long high-entropy string (a key or token?)"
    return None


def refuse_secrets(fields: Iterable[tuple[str, str]], *, path: str | None = None) -> None:
    """Raise naming the first field whose text looks like a credential."""
    for name, value in fields:
        kind = find_secret(value)
        if kind:
            raise AuthreadyError(
                f"{name} looks like it contains {kind}; nothing was written. "
                "Remove it (and rotate it if it is real): attestations are committed to the repo",
                path=path,
            )
