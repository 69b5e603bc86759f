"""Value shape tests: does a string look generated (a key, a token) or written by a person?

Why a separate module: the keyword layer and the entropy layer ask the same
questions of a value (placeholder? reference? word-like? random enough?), and
one answer for both keeps them from disagreeing. The measures are cheap
(character kinds via ``str.translate``, symbol entropy, how often the kind
changes between neighbours) and explainable in a test name.
"""

from __future__ import annotations

from wizard.infra.secrets.rules import KINDS, PLACEHOLDER_MARKERS, PLACEHOLDER_WORDS, REPEATED, WORD, rx

__all__ = [
    "PASSWORD_STOP",
    "b64_text",
    "boundary_after",
    "boundary_before",
    "classes",
    "hex_secret",
    "identifier_like",
    "is_placeholder",
    "literal_secret",
    "passwordish",
    "random_enough",
    "shannon_entropy",
    "ssh_public_blob",
    "transitions",
]


def boundary_before(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] not in WORD


def boundary_after(text: str, j: int) -> bool:
    return j >= len(text) or text[j] not in WORD


def classes(s: str) -> tuple[bool, bool, bool]:
    """Does ``s`` hold lower-case letters, upper-case letters, digits (ASCII)?"""
    k = s.translate(KINDS)
    return "a" in k, "A" in k, "0" in k


def is_placeholder(value: str) -> bool:
    """``XXXX``, ``<your-token>``, ``changeme``, ``…EXAMPLE``: a value that stands for one, not one."""
    low = value.lower()
    if low in PLACEHOLDER_WORDS:
        return True
    if not any(marker in low for marker in PLACEHOLDER_MARKERS):
        return _repeats(value)
    placeholder = rx("placeholder")
    if len(low) == len(value):
        for m in placeholder.finditer(low):
            a, b = m.span()
            seen = value[a:b]
            # XXXX or xxxx, EXAMPLE or Example, not a random mix such as xXxX or YoUR
            if not (seen.islower() or seen.isupper() or seen.istitle() or not any(ch.isalpha() for ch in seen)):
                continue
            if len(seen) <= 5 and seen.isalpha():
                # a short word must stand apart (FAKE in sk_live_FAKE_1 does; in hf_FakeOHy it is chance)
                if value[a - 1 : a].isalpha() or value[b : b + 1].isalpha():
                    continue
            return True
    elif placeholder.search(low):
        return True
    return _repeats(value)


def _repeats(value: str) -> bool:
    """``abababab``, ``000000``, ``aaaaaa``: too few distinct characters, or a filler one six times in a row."""
    core = value.strip("\"'`")
    if len(core) >= 8 and len(set(core)) <= 3:
        return True
    return any(ch * 6 in core for ch in REPEATED)


# -- base64 --------------------------------------------------------------------------------------


def b64_text(s: str) -> str | None:
    """Decode standard or URL-safe base64 to printable text, else None."""
    import binascii

    t = s.rstrip("=").replace("-", "+").replace("_", "/")
    t += "=" * (-len(t) % 4)
    try:
        raw = binascii.a2b_base64(t.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    if not raw:
        return None
    try:
        out = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    printable = sum(ch.isprintable() or ch in "\n\t" for ch in out)
    return out if printable >= 0.95 * len(out) else None


def ssh_public_blob(s: str) -> bool:
    """An OpenSSH public key blob: base64 of a length-prefixed algorithm name."""
    if not s.startswith("AAAA"):
        return False
    import binascii

    head = s[:24]
    head = head[: len(head) // 4 * 4]
    try:
        raw = binascii.a2b_base64(head)
    except (binascii.Error, ValueError):
        return False
    n = int.from_bytes(raw[:4], "big")
    name = raw[4 : 4 + min(n, 14)]
    return 3 <= n <= 64 and name[:4] in (b"ssh-", b"ecds", b"sk-s", b"sk-e", b"rsa-", b"x509")


# -- randomness ----------------------------------------------------------------------------------


def shannon_entropy(s: str) -> float:
    """Bits per character of ``s`` by symbol frequency."""
    import math

    n = len(s)
    if not n:
        return 0.0
    log2 = math.log2
    return -sum(k / n * log2(k / n) for k in map(s.count, set(s)))


def _changes(s: str) -> int:
    """How many neighbouring characters differ in kind (lower, upper, digit, other)."""
    return len(rx("runs").findall(s.translate(KINDS))) - 1 if s else 0


def transitions(s: str) -> float:
    """Share of neighbouring characters whose kind (lower, upper, digit, other) differs."""
    return _changes(s) / max(len(s) - 1, 1)


def _camel_like(seg: str) -> bool:
    """``OAuthCallbackHandlerV2``: capitalised words, short acronyms and numbers, in that rhythm."""
    parts = rx("subwords").findall(seg)
    if not parts or sum(map(len, parts)) != len(seg):
        return False
    short = acronyms = vowelless = 0
    for k, p in enumerate(parts):
        if p.isdigit():
            continue
        if len(p) >= 3 and not p.isupper() and not any(ch in "aeiouAEIOU" for ch in p):
            vowelless += 1  # Realm, Oidc, Prod have vowels; random runs (Xhn, Ctgdrm) mostly do not
        if p.isupper():
            acronyms += 1
            if len(p) > 5:
                return False
        elif p.islower() and k:
            return False  # after the first piece, words start with a capital
        if len(p) <= 2:
            short += 1
    words = len(parts)
    return (
        len(seg) / words >= 3.0
        and short <= max(1, words // 3)
        and acronyms <= max(1, words // 3)
        and vowelless <= 1
    )


def _wordish(seg: str) -> bool:
    """A segment a person would write: a word, an acronym, a number, ``v2``, ``EU1``, ``CamelCase``."""
    if len(seg) <= 3:
        return True
    if _changes(seg) <= 2:
        return True
    return _camel_like(seg)


def identifier_like(s: str) -> bool:
    """Hyphenated, dotted or CamelCase names: every segment reads as a word."""
    segs = [p for p in rx("split").split(s) if p]
    if not segs:
        return True
    if len(segs) == 1:
        return transitions(segs[0]) < 0.2 or _wordish(segs[0])
    return all(_wordish(p) for p in segs)


def random_enough(value: str, *, strict: bool) -> bool:
    """Does a value (after a credential word, or a bearer token) look like generated key material?"""
    v = value.strip("\"'`")
    if len(v) < 12 or is_placeholder(v) or rx("ref").search(v):
        return False
    if rx("hex").fullmatch(v):
        lo, up, dg = classes(v)
        return len(v) >= (20 if strict else 16) and dg and (lo or up) and not (lo and up)
    if not rx("b64ish").fullmatch(v):
        return False
    alnum = rx("not_alnum").sub("", v)
    lo, up, dg = classes(alnum)
    n_classes = lo + up + dg
    if identifier_like(v):
        return False
    if strict:
        return len(alnum) >= 20 and n_classes == 3 and shannon_entropy(alnum) >= 3.5 and transitions(alnum) >= 0.3
    return (
        len(alnum) >= 12
        and (n_classes == 3 or (n_classes == 2 and dg) or (lo and up and len(alnum) >= 20))
        and shannon_entropy(alnum) >= 3.0
    )


# -- passwords and assigned literals -------------------------------------------------------------

PASSWORD_STOP = frozenset(
    "required optional none null nil true false yes no empty unset hashed redacted omitted hidden masked "
    "secret string str text value env changeme password passwd pass pwd example sample".split()
)


def passwordish(value: str) -> bool:
    """A value after ``password:``/``password is``: must look like a password, not a word of prose."""
    v = value
    if len(v) < 6 or len(v) > 128 or v.lower() in PASSWORD_STOP:
        return False
    if is_placeholder(v) or rx("ref").search(v) or rx("crypto").search(v.lower()) or rx("uuid").fullmatch(v):
        return False
    lo, up, dg = classes(v)
    sym = any(not ch.isalnum() for ch in v)
    letters = lo or up
    return letters and (
        dg or (sym and not v.rstrip(".,;:!?)").isalpha()) or (lo and up and len(v) >= 8 and transitions(v) > 0.2)
    )


def literal_secret(value: str) -> bool:
    """``JWT_SECRET=mysupersecretjwtkey123``, ``SECRET_KEY=django-insecure-8#k$2z!q``: assigned literals."""
    v = value
    if len(v) < 16 or len(v) > 200 or is_placeholder(v) or rx("ref").search(v):
        return False
    lo, up, dg = classes(v)
    if not (dg and (lo or up)):
        return False
    segs = [p for p in rx("split").split(v) if p]
    return (
        len(segs) == 1
        or not all(_wordish(p) for p in segs)
        or any(not ch.isalnum() and ch not in "-_./+=~" for ch in v)
    )


def hex_secret(value: str, n: int) -> bool:
    """A hex value of at least ``n`` characters in one letter case (after a credential word, a key)."""
    v = value.strip("\"'`")
    return len(v) >= n and rx("hex_one_case").fullmatch(v) is not None and not v.isdigit()
