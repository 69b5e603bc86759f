"""The scan: prefix rules, then keyword context, then entropy; the first finding or all of them.

Why this order: cheapest and surest first. A vendor prefix names the kind of
credential exactly; a keyword needs its value judged; entropy alone is the
last resort and the most careful about public random-looking material. Every
finding overlapping an earlier one is dropped, so one value is reported once,
by the surest layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from wizard.infra.errors import AuthreadyError
from wizard.infra.secrets.context import context_findings
from wizard.infra.secrets.rules import KINDS, Finding, mask, prefix_rules, rx
from wizard.infra.secrets.shape import (
    PASSWORD_STOP,
    b64_text,
    boundary_after,
    boundary_before,
    classes,
    identifier_like,
    is_placeholder,
    random_enough,
    shannon_entropy,
    ssh_public_blob,
    transitions,
)

__all__ = ["find_secret", "refuse_secrets", "scan", "scan_all"]

# Prefixes that sit after a space or a separator, so they need no word boundary before them.
_UNBOUNDED = ("Basic ", "basic ", "Bearer ", "bearer ", "AccountKey=", "SharedAccessKey=", "sig=")
# Checks whose match must end at a word boundary (a longer run is some other identifier).
_BOUNDED_AFTER = ("tail", "vault_legacy", "sig", "mixed", "openai", "random", "basic")


# -- layer 1: prefix rules -----------------------------------------------------------------------


def _prefix_finding(text: str, m: re.Match[str]) -> Finding | None:
    s, e = m.span()
    v = m.group(0)
    for lit, _body, kind, shown, check in prefix_rules():
        if v.startswith(lit):
            break
    else:  # pragma: no cover - every branch starts with one of the literals
        return None
    if check == "pem":
        end = text.find("-----END", e)
        close = text.find("-----", end + 8) if end != -1 else -1
        e2 = close + 5 if close != -1 else len(text)
        return Finding(kind, s, e2, v + "…")
    if lit not in _UNBOUNDED and (not boundary_before(text, s) or (lit == "s." and s > 0 and text[s - 1] in "._-/")):
        return None
    if check in _BOUNDED_AFTER and not boundary_after(text, e):
        return None
    body = v[len(lit):]
    if is_placeholder(body):
        return None
    if not _check(check, text, s, v, body):
        return None
    return Finding(kind, s, e, mask(v, shown))


def _check(check: str, text: str, s: int, v: str, body: str) -> bool:
    """The rule's own test of a prefix match (``check`` from ``PREFIX_RULES``; "" passes)."""
    if check == "vault_legacy":
        lo, up, dg = classes(body)
        return lo and up and dg
    if check == "mixed":
        lo, up, _dg = classes(body)
        return lo and up
    if check == "openai":
        if v.startswith(("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-")) or "T3BlbkFJ" in v:
            return True
        lo, up, dg = classes(body)
        ishex = rx("openai_hex").fullmatch(body) is not None
        return (lo and up and dg and len(body) >= 32) or ishex
    if check == "sig":
        return not (s > 0 and text[s - 1] not in "?&; \t\"'")
    if check == "basic":
        cred = b64_text(body)
        return not (cred is None or ":" not in cred or len(cred) < 3)
    if check == "random":
        return random_enough(body, strict=False)
    return True


def _prefix_search(text: str, pattern: re.Pattern[str], pos: int, end: int) -> Iterator[Finding]:
    while (m := pattern.search(text, pos, end)) is not None:
        f = _prefix_finding(text, m)
        if f is None:
            pos = m.start() + 1  # a rejected match may hide another (Bearer <JWT>)
            continue
        pos = max(f.end, m.start() + 1)
        yield f


# -- layer 3: entropy ----------------------------------------------------------------------------


def _entropy_findings(text: str, low: str) -> Iterator[Finding]:
    scan_text = text
    if "-----BEGIN" in text:
        scan_text = rx("public_block").sub(lambda m: " " * len(m.group(0)), text)
    sri = rx("sri").match
    for m in rx("candidate").finditer(scan_text):
        tok = m.group(0)
        k = tok.translate(KINDS)
        if "a" not in k or "A" not in k:
            continue  # hex digests, UUIDs, lower-case names: one letter case only
        core = tok.strip("=+/-_")
        if len(core) < 24 or not ("0" in k or (len(core) >= 32 and any(ch in core for ch in "+/-_"))):
            continue
        if sri(tok):
            continue  # SRI / Nix / HTTP Digest forms: sha384-<b64>, sha-256=<b64>
        s = m.start()
        alnum = rx("nonalnum").sub("", core)
        if shannon_entropy(alnum) < 3.5 or transitions(core) < (0.3 if len(core) >= 32 else 0.36):
            continue
        if identifier_like(core) or is_placeholder(core):
            continue
        if _public_by_context(tok, core, low, s, m.end()):
            continue
        yield Finding("a long high-entropy string (a key or token?)", s, s + len(tok), mask(tok, 0))


def _public_by_context(tok: str, core: str, low: str, s: int, e: int) -> bool:
    """A digest, an SSH public key, a client id, encoded JSON or prose: random-looking but public."""
    before = low[max(0, s - 12) : s]
    if rx("digest_before").search(before) or before.endswith(("sha256:", "sha512:", "sha1:", "md5:", "@")):
        return True
    if ssh_public_blob(core) or rx("ssh_before").search(low[max(0, s - 48) : s]):
        return True
    if low[e : e + 28].startswith(".apps.googleusercontent.com"):
        return True
    if rx("stripe_pk").match(tok) or rx("stripe_pk_before").search(low[max(0, s - 8) : s]):
        return True
    decoded = b64_text(core) if len(core) % 4 != 1 else None
    if decoded is not None and (decoded.lstrip().startswith(("{", "[")) or " " in decoded.strip()):
        return True  # encoded JSON (a JWT header alone) or encoded prose
    last = None
    for lm in rx("lookback").finditer(low[max(0, s - 40) : s]):
        last = lm
    # public by context: a client id, a fingerprint, a digest, a commit, a nonce (not a credential word)
    return last is not None and not last.group(0).startswith(
        ("secret", "token", "passw", "api", "access", "private", "credential", "bearer")
    )


# -- the scan ------------------------------------------------------------------------------------


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # a few non-ASCII characters change length when lowered
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return low


def _candidates(text: str) -> Iterator[Finding]:
    """Every layer's findings in order (overlaps included; ``_iter`` drops them)."""
    if "-----BEGIN" in text or "asic " in text or "earer " in text or "PuTTY-User" in text:
        yield from _prefix_search(text, rx("phrase"), 0, len(text))
    for run in rx("run").finditer(text):
        yield from _prefix_search(text, rx("prefix"), run.start(), run.end())
    if "://" in text:
        for m in rx("url").finditer(text):
            pw = m.group(3)
            if is_placeholder(pw) or rx("ref").search(pw) or pw.lower() in PASSWORD_STOP:
                continue
            yield Finding("a URL with an embedded password", m.start(3), m.end(3), f"{m.group(1)}{m.group(2)}:{mask(pw)}@")
    if "-u" in text:
        for m in rx("curl").finditer(text):
            pw = m.group(2)
            if not (is_placeholder(pw) or rx("ref").search(pw)):
                yield Finding("a user:password pair", m.start(2), m.end(2), f"{m.group(1)}:{mask(pw)}")
    low = _lower(text)
    if "mysql" in low or "mariadb" in low:
        for m in rx("mysql_p").finditer(text):
            pw = m.group(1)
            if not (is_placeholder(pw) or rx("ref").search(pw)):
                yield Finding("a password", m.start(1), m.end(1), "-p" + mask(pw))
    yield from context_findings(text, low)
    yield from _entropy_findings(text, low)


def _iter(text: str) -> Iterator[Finding]:
    """The findings that overlap no earlier one (lazily: ``scan`` stops at the first)."""
    seen: list[tuple[int, int]] = []
    for f in _candidates(text):
        if any(f.start < e and s < f.end for s, e in seen):
            continue
        seen.append((f.start, f.end))
        yield f


def scan_all(text: str) -> list[Finding]:
    """Every credential-looking value in ``text`` (prefix rules, then keyword context, then entropy)."""
    if not text:
        return []
    return list(_iter(text))


def scan(text: str) -> Finding | None:
    """The first credential-looking value in ``text``, or None when it looks clean."""
    if not text:
        return None
    return next(_iter(text), None)


def find_secret(text: str) -> str | None:
    """Return what the text looks like (e.g. "a GitHub token"), or None when it looks clean."""
    f = scan(text)
    return f.kind if f else None


def refuse_secrets(fields: Iterable[tuple[str, str]], *, path: str | None = None) -> None:
    """Raise naming the first field whose text looks like a credential, showing only a masked form."""
    for name, value in fields:
        f = scan(value)
        if f:
            where = " ".join(str(name).split())
            raise AuthreadyError(
                f"{where} looks like it contains {f.kind} ({f.masked}); nothing was written. "
                "Remove it (and rotate it if it is real): attestations are committed to the repo",
                path=path,
            )
