"""Layer 2: a value right after a credential word, in any of the forms people type.

``DB_PASSWORD=x``, ``password: x``, ``"password": "x"``, ``Password=x;``, ``the
password is x``, ``api key 3f9a...``. Why the care: the words are everywhere in
a security review ("token refresh", "password reset", "public key"), so the
label must name a secret (not ``public_key``, ``token_url``, ``key_id``,
``PASSWORD_MIN_LENGTH``) and the value must look like one: a password needs a
digit, a symbol or mixed case unless it is plainly assigned; a key or token
must look random (hex counts here, which it does not without the word).
"""

from __future__ import annotations

from collections.abc import Iterator

from wizard.infra.secrets.rules import IDENT, WORD, Finding, mask, rx
from wizard.infra.secrets.shape import (
    PASSWORD_STOP,
    hex_secret,
    identifier_like,
    is_placeholder,
    literal_secret,
    passwordish,
    random_enough,
)

__all__ = ["context_findings"]

_PUBLIC_PARTS = frozenset(
    """public pub publishable id ids name names arn url uri urls endpoint path file files ref refs type types ttl
    expiry expires exp lifetime length len size min max count policy policies header headers field fields param
    params env var vars hash hashed hashes digest fingerprint version versions rotation format prefix alg
    algorithm store provider manager source location kind label mode scope scopes audience aud issuer iss host
    ssh gpg pgp primary foreign partition sort cache idempotency page next continuation pagination cursor
    cancellation sync reset rounds iterations cost strength rules regex pattern validator hint prompt lockout
    attempts retries limit timeout interval duration age window bucket usage request requests response
    endpoint introspection revocation exchange refresh_url docs doc spec schema helper helpers manager
    dir directory folder mount volume ring keyring vault_path storage_class class method methods flow flows
    grant grants lifetime_seconds seconds minutes hours days enabled disabled required optional auth_url
    audit logging log logs metric metrics sample samples example examples""".split()
)
_SHORT_KW = frozenset(("pass", "pw", "pwd", "key", "auth"))
_STOP_FILLER = frozenset("not never no only also and or but which that if when then must should will can may".split())


def _label_parts(label: str) -> list[str]:
    spaced = rx("camel_split").sub(r"\1 \2", label)
    return [p for p in rx("nonalnum").split(spaced.lower()) if p]


def _short(label: str) -> str:
    return label if len(label) <= 32 else label[:31] + "…"


def context_findings(text: str, low: str) -> Iterator[Finding]:
    """Every value that follows a credential word and looks like one (``low``: ``text`` lower-cased, same length)."""
    gap = rx("gap").match
    ref = rx("ref").search
    done = 0
    n = len(text)
    for km in rx("kw").finditer(low):
        ks, ke = km.span()
        if ks < done:
            continue
        kw = km.group(0)
        # label: the identifier the keyword sits in (DB_PASSWORD, clientSecret, api_key_prod)
        j = ke
        if j < n and text[j] in WORD:
            if text[j] == "s" and (j + 1 == n or text[j + 1] not in WORD):
                j += 1  # plural: passwords, secrets, tokens
            elif text[j].isupper() and text[j - 1].islower():
                while j < n and text[j] in WORD:  # camelCase suffix: passwordHash, apiKeyId
                    j += 1
            else:
                continue  # the keyword runs on into a longer word: tokenizer, passport, keycloak, authorize
        i = ks
        while i > 0 and text[i - 1] in IDENT:
            i -= 1
        if kw in _SHORT_KW and i < ks:
            # pass, pw, key, auth inside a longer name only after a separator or a case change:
            # DB_PASS, dbPass, PGPASS, api-key; not bypass, compass, monkey, oauth
            pre = text[ks - 1]
            if not (pre in "_.-" or (pre.islower() and text[ks].isupper()) or (pre.isupper() and text[ks].isupper())):
                continue
        if j < n - 1 and text[j] in "_.-" and text[j + 1] in WORD:
            while j < n and text[j] in IDENT:
                j += 1
            while text[j - 1] in ".-":  # a sentence's full stop is not part of the label
                j -= 1
        done = j
        g = gap(low, j)
        if g is None:
            continue
        vs = g.end()
        q = text[vs - 1] if g.group("q") else ""
        if q:
            ve = text.find(q, vs)
            if ve == -1 or ve - vs > 200 or "\n" in text[vs:ve]:
                continue
        else:
            ve = vs
            while ve < n and not text[ve].isspace() and text[ve] not in "\"'`,;":
                ve += 1
            while ve > vs and text[ve - 1] in ".,:)]}>":
                ve -= 1
        value = text[vs:ve]
        if g.group("assign") is not None:
            sep = "quoted" if q else ("colon" if g.group("assign") == ":" else "assign")
        elif g.group("pcolon") is not None:
            sep = "quoted" if q else "colon"
        elif g.group("prose") is not None:
            sep = "quoted" if q else "prose"
        elif q:
            sep = "prose"  # password `hunter2secret`: a quoted value right after the word
        else:
            sep = "space"
            if len(value) < 12:
                continue  # "token refresh", "password reset": prose, not a value
        if sep != "space":
            done = max(done, ve)  # keywords inside the value are not labels
        if len(value) < 4:
            continue
        # now the (rarer) cases with a plausible value: is the label a name that stands for a secret?
        label = text[i:j]
        if len(label) > 48 or text[i - 1 : i] in ("+", "/", "$", "{", "%") or label[0] in "$%{":
            continue  # inside base64, or a reference such as ${DB_PASSWORD} / $API_TOKEN
        if not identifier_like(label):
            continue  # labels are names people write, not a run of random characters
        parts = _label_parts(label)
        if any(p in _PUBLIC_PARTS for p in parts):
            continue
        before = low[max(0, i - 24) : i].split()
        if before and before[-1].strip("\"'`(") in _PUBLIC_PARTS:
            continue  # "public key", "ssh key", "host key", "page token", "idempotency key"
        filler = g.group("filler")
        if filler or g.group("fw"):
            words = ((filler or "") + " " + (g.group("fw") or "")).split()
            if any(w in _PUBLIC_PARTS or w in _STOP_FILLER for w in words):
                continue
        password = any(
            "passw" in p or "passphrase" in p or "passcode" in p or p.endswith(("pwd", "pass")) or p == "pw" for p in parts
        )
        bare = kw in ("key", "auth", "datadog") and len(parts) <= 1
        if password:
            if sep in ("assign", "quoted"):
                v = value
                hit = (
                    v.lower() not in PASSWORD_STOP
                    and not is_placeholder(v)
                    and not ref(v)
                    and not (sep == "assign" and v.isdigit() and len(v) < 6)
                    # "password= assignments": a space after the sign and a plain word is prose
                    and not (sep == "assign" and text[vs - 1] in " \t" and v.isalpha() and v.islower())
                )
            elif sep in ("colon", "prose"):
                hit = passwordish(value)
            else:
                hit = random_enough(value, strict=True)
        elif sep == "space" or bare:
            hit = random_enough(value, strict=True) or hex_secret(value, 20)
        else:
            hit = random_enough(value, strict=False) or (sep in ("assign", "quoted") and literal_secret(value)) or (
                sep in ("assign", "quoted", "colon")
                and kw not in ("key", "auth", "credential", "creds")
                and rx("uuid").fullmatch(value) is not None
            )
        if hit:
            kind = "a password" if password else 'a secret value (after "%s")' % _short(label)
            shown = _short(label) + ("=" if sep == "assign" else ": " if sep in ("colon", "quoted") else " ")
            yield Finding(kind, vs, ve, shown + mask(value))
