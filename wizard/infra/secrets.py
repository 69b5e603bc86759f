"""Refuse free text that looks like a credential before it reaches a committed file.

Why: attestations live in the repo and are signed, so a token pasted into a
note is published, and removing it later means rewriting signed history. The
scan must catch what people really paste, and must not cry wolf over the
public, random-looking material a security review is full of (commit SHAs,
digests, SSH public keys, fingerprints, client ids); a scanner that refuses
ordinary notes teaches people to work around it.

How, in four layers, cheapest and surest first:

1. **Prefix rules.** Most issued credentials announce themselves (``ghp_``,
   ``AKIA``, ``xoxb-``, ``sk-ant-api03-``, ``hvs.``, ``-----BEGIN ... PRIVATE
   KEY-----``...). The shapes follow vendors' documentation and gitleaks'
   public rule set. They are one alternation whose branches all start with a
   literal, so the regex engine skips ahead by first character; which rule
   matched is found afterwards from the prefix.
2. **Keyword-context rules.** A value right after a credential word
   (``password``, ``secret``, ``token``, ``api key``...) in any of the forms
   people type: ``DB_PASSWORD=x``, ``password: x``, ``"password": "x"``,
   ``Password=x;``, ``the password is x``, ``api key 3f9a...``. The value must
   look like one: a password needs a digit, a symbol or mixed case unless it is
   plainly assigned; a key or token must look random (hex is accepted here,
   which it is not without the word). Labels that name public or descriptive
   things (``public_key``, ``token_url``, ``key_id``, ``PASSWORD_MIN_LENGTH``)
   do not count.
3. **Entropy rule.** A long run of base64-ish characters with upper and lower
   case and digits, high entropy and frequent character-class changes, even
   without a keyword. Hex alone never fires here (git SHAs, sha256 digests,
   UUIDs), nor do CamelCase or hyphenated identifiers.
4. **Allowlist of placeholders and public material**, applied to every
   layer: ``XXXX``/``****``/``<...>``/``your-token``/``EXAMPLE`` values (AWS's
   documented ``AKIAIOSFODNN7EXAMPLE`` included), environment and secret-store
   references (``$X``, ``${X}``, ``os.environ[...]``, ``process.env.X``,
   ``{{ secrets.X }}``, ``vault:...``), SSH public keys (the lines
   ``allowed_signers`` holds), ``SHA256:`` fingerprints, SRI and container
   digests, PUBLIC KEY / CERTIFICATE blocks, base64 that decodes to text or
   JSON (a JWT header alone), and ids that are public by design (OAuth client
   ids, Stripe publishable keys).

A finding carries the kind, the span of the value and a masked form that
shows at most a known public prefix and the last four characters, so the
refusal message can point at the value without repeating it.

Cost: regexes are compiled on first use (importing this module compiles
nothing), and a note is scanned in a few microseconds.
"""

from __future__ import annotations

import re

from wizard.infra.errors import AuthreadyError

if False:  # typing only; ``typing`` is not imported at run time
    from collections.abc import Iterable

__all__ = ["Finding", "find_secret", "refuse_secrets", "scan", "scan_all", "shannon_entropy", "transitions"]


class Finding:
    """One credential-looking value: what it looks like, where it is, and a safe way to show it."""

    __slots__ = ("kind", "start", "end", "masked")

    def __init__(self, kind: str, start: int, end: int, masked: str) -> None:
        self.kind = kind  # e.g. "a GitHub token"
        self.start = start  # span of the value in the scanned text
        self.end = end
        self.masked = masked  # e.g. "ghp_…XyZ1": never the whole value

    def __repr__(self) -> str:
        return f"Finding(kind={self.kind!r}, start={self.start}, end={self.end}, masked={self.masked!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.kind, self.start, self.end, self.masked) == (other.kind, other.start, other.end, other.masked)

    __hash__ = None  # type: ignore[assignment]


# -- masking -------------------------------------------------------------------------------------


def mask(value: str, shown_prefix: int = 0) -> str:
    """``ghp_…XyZ1``: the known public prefix, then the last 4 characters only when 16+ are hidden."""
    shown_prefix = min(shown_prefix, 16, len(value) // 2)
    rest = value[shown_prefix:]
    tail = rest[-4:] if len(rest) >= 16 else ""
    return f"{value[:shown_prefix]}…{tail}"


# -- layer 1: prefix rules -----------------------------------------------------------------------

# (literal prefix, regex body starting with that literal, kind, shown prefix length, check)
# The check names a validator below ("" for none). Order: longer prefixes first where they overlap.
_PREFIX_RULES: tuple[tuple[str, str, str, int, str], ...] = (
    ("-----BEGIN", r"-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)?-----", "a private key block", 0, "pem"),
    ("PuTTY-User-Key-File-", r"PuTTY-User-Key-File-\d+:", "a PuTTY private key", 0, "pem"),
    ("AGE-SECRET-KEY-1", r"AGE-SECRET-KEY-1[0-9A-Z]{50,}", "an age secret key", 15, ""),
    ("AKIA", r"AKIA[0-9A-Z]{16}", "an AWS access key id", 4, "tail"),
    ("ASIA", r"ASIA[0-9A-Z]{16}", "an AWS access key id", 4, "tail"),
    ("ABIA", r"ABIA[0-9A-Z]{16}", "an AWS access key id", 4, "tail"),
    ("ACCA", r"ACCA[0-9A-Z]{16}", "an AWS access key id", 4, "tail"),
    ("github_pat_", r"github_pat_[A-Za-z0-9_]{30,255}", "a GitHub token", 11, ""),
    ("gh", r"gh[pousr]_[A-Za-z0-9]{30,255}", "a GitHub token", 4, ""),
    ("gl", r"gl(?:pat|dt|rt|cbt|ptt|ft|imt|oas|soat|ffct|agent)-[\w-]{20,}", "a GitLab token", 6, ""),
    ("GR1348941", r"GR1348941[\w-]{20,}", "a GitLab runner token", 9, ""),
    ("glsa_", r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}", "a Grafana token", 5, ""),
    ("glc_", r"glc_[A-Za-z0-9+/]{32,}={0,2}", "a Grafana token", 4, ""),
    ("eyJrIjoi", r"eyJrIjoi[A-Za-z0-9]{40,}={0,2}", "a Grafana API key", 0, ""),
    ("xox", r"xox[abposre]-\d[\w-]{8,}", "a Slack token", 5, ""),
    ("xoxe.xox", r"xoxe\.xox[bp]-\d-[A-Za-z0-9]{20,}", "a Slack token", 5, ""),
    ("xapp-", r"xapp-\d-[\w-]{10,}", "a Slack token", 5, ""),
    ("hooks.slack.com/", r"hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,}",
     "a Slack webhook URL", 16, ""),
    ("discord", r"discord(?:app)?\.com/api/webhooks/\d{5,}/[\w-]{20,}", "a Discord webhook URL", 0, ""),
    ("AIza", r"AIza[\w-]{35}", "a Google API key", 4, ""),
    ("GOCSPX-", r"GOCSPX-[\w-]{20,}", "a Google OAuth client secret", 7, ""),
    ("ya29.", r"ya29\.[\w-]{20,}", "a Google OAuth token", 5, ""),
    ("sk_", r"sk_(?:live|test|prod)_[A-Za-z0-9]{10,}", "a Stripe secret key", 8, ""),
    ("rk_", r"rk_(?:live|test|prod)_[A-Za-z0-9]{10,}", "a Stripe secret key", 8, ""),
    ("whsec_", r"whsec_[A-Za-z0-9+/=]{20,}", "a Stripe webhook secret", 6, ""),
    ("eyJ", r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}(?:\.[\w-]*)?", "a JSON Web Token", 0, ""),
    ("hf_", r"hf_[A-Za-z0-9]{30,40}", "a Hugging Face token", 3, "mixed"),
    ("api_org_", r"api_org_[A-Za-z0-9]{30,40}", "a Hugging Face token", 8, "mixed"),
    ("do", r"do[opr]_v1_[a-f0-9]{64}", "a DigitalOcean token", 7, ""),
    ("shp", r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", "a Shopify token", 6, ""),
    ("hv", r"hv[sbr]\.[\w-]{20,}", "a Vault token", 4, ""),
    ("s.", r"s\.[A-Za-z0-9]{24}", "a Vault token", 2, "vault_legacy"),
    ("SK", r"SK[0-9a-f]{32}", "a Twilio API key", 2, "tail"),
    ("AC", r"AC[0-9a-f]{32}", "a Twilio account SID", 2, "tail"),
    ("SG.", r"SG\.[\w-]{16,32}\.[\w-]{16,64}", "a SendGrid API key", 3, ""),
    ("npm_", r"npm_[A-Za-z0-9]{36}", "an npm token", 4, ""),
    ("pypi-AgE", r"pypi-AgE[\w-]{30,}", "a PyPI token", 5, ""),
    ("sk-ant-", r"sk-ant-[a-z]+\d*-[\w-]{20,}", "an Anthropic API key", 14, ""),
    ("sk-", r"sk-(?:proj-|svcacct-|admin-|None-)?[\w-]{20,}", "an OpenAI API key", 3, "openai"),
    ("xai-", r"xai-[A-Za-z0-9]{40,}", "an xAI API key", 4, ""),
    ("gsk_", r"gsk_[A-Za-z0-9]{40,}", "a Groq API key", 4, ""),
    ("r8_", r"r8_[A-Za-z0-9]{30,}", "a Replicate API token", 3, "mixed"),
    ("pplx-", r"pplx-[A-Za-z0-9]{40,}", "a Perplexity API key", 5, ""),
    ("lin_api_", r"lin_api_[A-Za-z0-9]{32,}", "a Linear API key", 8, ""),
    ("PMAK-", r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}", "a Postman API key", 5, ""),
    ("dp.", r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}", "a Doppler token", 6, ""),
    ("dapi", r"dapi[a-f0-9]{32}", "a Databricks token", 4, "tail"),
    ("dckr_pat_", r"dckr_pat_[\w-]{20,}", "a Docker Hub token", 9, ""),
    ("sbp_", r"sbp_[a-f0-9]{40}", "a Supabase token", 4, ""),
    ("HRKU-", r"HRKU-[\w-]{40,}", "a Heroku API key", 5, ""),
    ("sntry", r"sntry[su]_[\w+/=]{40,}", "a Sentry token", 7, ""),
    ("ntn_", r"ntn_[A-Za-z0-9]{40,}", "a Notion token", 4, ""),
    ("ops_eyJ", r"ops_eyJ[\w+/=]{60,}", "a 1Password service account token", 4, ""),
    ("ATATT3", r"ATATT3[\w=-]{60,}", "an Atlassian API token", 6, ""),
    ("sq0", r"sq0(?:atp|csp)-[\w-]{22,}", "a Square token", 7, ""),
    ("rubygems_", r"rubygems_[a-f0-9]{48}", "a RubyGems token", 9, ""),
    ("pul-", r"pul-[a-f0-9]{40}", "a Pulumi token", 4, ""),
    ("shippo_", r"shippo_(?:live|test)_[a-fA-F0-9]{40}", "a Shippo token", 12, ""),
    ("xkeysib-", r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}", "a Brevo (Sendinblue) key", 8, ""),
    ("key-", r"key-[a-f0-9]{32}", "a Mailgun API key", 4, "tail"),
    ("AccountKey=", r"AccountKey=[A-Za-z0-9+/]{40,}={0,2}", "an Azure storage account key", 11, ""),
    ("SharedAccessKey=", r"SharedAccessKey=[A-Za-z0-9+/]{20,}={0,2}", "an Azure shared access key", 16, ""),
    ("sig=", r"sig=[A-Za-z0-9%+/]{30,}(?:%3D|=){0,2}", "an Azure SAS signature", 4, "sig"),
    ("Basic ", r"Basic [A-Za-z0-9+/]{8,}={0,2}", "HTTP Basic credentials", 6, "basic"),
    ("basic ", r"basic [A-Za-z0-9+/]{8,}={0,2}", "HTTP Basic credentials", 6, "basic"),
    ("Bearer ", r"Bearer [\w.~+/-]{16,}=*", "a bearer token", 7, "random"),
    ("bearer ", r"bearer [\w.~+/-]{16,}=*", "a bearer token", 7, "random"),
)

# Rules whose match contains a space: searched for only when their (cheap) marker is in the text.
_PHRASE_PREFIXES = {
    "-----BEGIN": "-----BEGIN",
    "PuTTY-User-Key-File-": "PuTTY-User",
    "Basic ": "asic ",
    "basic ": "asic ",
    "Bearer ": "earer ",
    "bearer ": "earer ",
}

# Cheap substring test before the placeholder regex (which also checks case and word boundaries).
_PLACEHOLDER_MARKERS = (
    "xxxx", "*", "...", "…", "•", "exampl", "sampl", "dumm", "placeholder", "redact", "change", "your", "<",
    "{{", "${", "insert", "replace", "fake", "here", "null", "none", "nil", "true", "false", "undefined",
    "empty", "secret", "passw", "pass", "test", "string", "value", "foo", "bar", "admin", "qwerty", "abc",
    "letmein", "1234567",
)
_REPEATED = "0123456789xXaAzZ*#.-_"
_PLACEHOLDER_WORDS = frozenset(
    "null none nil true false undefined empty secret password passw0rd pass test string value foo bar xxx "
    "admin:admin changeme todo tbd n/a".split()
)

_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_IDENT = _WORD | frozenset("_.-")

_cache: dict[str, object] = {}


def _compiled():
    """Compile the regexes on first use (importing the module stays free)."""
    c = _cache.get("all")
    if c is None:
        token_rules = [r for r in _PREFIX_RULES if r[0] not in _PHRASE_PREFIXES]
        phrase_rules = [r for r in _PREFIX_RULES if r[0] in _PHRASE_PREFIXES]
        prefix = re.compile("|".join(body for _, body, _, _, _ in token_rules))
        phrase = re.compile("|".join(body for _, body, _, _, _ in phrase_rules))
        rules = sorted(_PREFIX_RULES, key=lambda r: -len(r[0]))
        c = {
            "prefix": prefix,
            "phrase": phrase,
            # credentials without spaces sit in runs like this; the prefix rules only look inside them
            "run": re.compile(r"[A-Za-z0-9_.+/=~%-]{14,}"),
            "rules": rules,
            "url": re.compile(r"\b([a-z][a-z0-9+.-]{1,20}://)([^/\s:@?#\"'`<>]*):([^/\s@\"'`<>]+)@", re.I),
            "mysql_p": re.compile(r"(?:^|\s)-p([^\s'\"-][^\s'\"]{3,})"),
            "curl": re.compile(r"(?:^|\s)(?:-u|--user)[ =]?([^\s:'\"/]+):([^\s'\"]{4,})"),
            "kw": re.compile(
                r"passw(?:or)?d|passphrase|passcode|pass|pwd|pw|secret|token|credential|creds|"
                r"api[-_. ]?key|apikey|app[-_. ]?key|access[-_. ]?key|private[-_. ]?key|signing[-_. ]?key|"
                r"encryption[-_. ]?key|master[-_. ]?key|account[-_. ]?key|license[-_. ]?key|key|auth|datadog"
            ),
            "gap": re.compile(
                r"""(?P<close>["'\]`]?)[ \t]*(?:
                      (?P<assign>:=|=>|=(?!=)|:(?![:/]))
                    | (?P<filler>(?:[a-z0-9_.-]+[ \t]+){0,4}?)(?:
                          (?P<prose>is|was|are|were|equals)(?=[ \t])
                          (?:[ \t]+(?:now|(?:re)?set[ \t]+to|changed[ \t]+to|still|currently|actually)(?=[ \t]))?
                        | (?P<fw>[a-z0-9_.-]+)[ \t]*(?P<pcolon>:(?![:/])|=(?!=))(?=[ \t]) )
                    | (?P<space>(?<=[ \t]))
                )[ \t]*(?P<q>["'`]?)""",
                re.X,
            ),
            "candidate": re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}"),
            "sri": re.compile(r"(?i)(?:sha-?(?:1|224|256|384|512)|sha3-\d+|md5|blake2[bs]?)[-=:]"),
            "nonalnum": re.compile(r"[^A-Za-z0-9]+"),
            "lookback": re.compile(
                r"client[ _-]?id|clientid|app(?:lication)?[ _-]?id|tenant|publishable|kid\b|key[ _-]?id|"
                r"fingerprint|digest\b|checksum|integrity|commit|\bsha(?:-?\d|\b)|\bhash(?:es|ed)?\b|nonce|\bstate\b|request[ _-]?id|"
                r"\btrace|correlation|etag|\bsite[ _-]?key|public|ssh-|ecdsa-|challenge|jwks?\b|modulus|x5c|thumbprint|"
                r"\"n\":|\bn: |"
                r"secret|token|passw|api[ _-]?key|apikey|access[ _-]?key|private|credential|bearer"
            ),
            "digest_before": re.compile(
                r"(?:sha-?(?:1|224|256|384|512)|sha3-\d+|md5|blake2[bs]?|blake3|h1|sum)[:=-]$"
            ),
            "placeholder": re.compile(
                r"x{4,}|^\*+$|\*{5,}|\.{3,}|…|•|example|sample|dummy|placeholder|redacted|changeme|change[-_]me|"
                r"your[-_ ]?|<[^>]*>|\{\{|\$\{|insert|replace|fake|[-_]here\b|^(?:null|none|nil|true|false|"
                r"undefined|empty|secret|password|passw0rd|pass|test|string|value|foo|bar|xxx|admin:admin)$|"
                r"^(?:p[a@]ssw[o0]rd|qwerty|abc|letmein)\d*[!.]?$|^1234567\d*$"
            ),
            "ref": re.compile(
                r"^(?:\$(?:\{|\(|[A-Za-z_]\w*$)|%\w+%$|\{\{|<)|^[!&*][a-z_][a-z0-9_-]*$|^[\w.]+[(\[]|^(?:process\.)?env\.|^secrets?\.|^vars\.|^(?:vault|ssm|arn|awssm|"
                r"secretsmanager|gcpsm|azkv|op|ref\+\w+|file|env|sops|k8s|kms)[:+]|^[~.]?/|"
                r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$|^[A-Z][A-Z0-9]*_[A-Z0-9_]+$"
            ),
            "uuid": re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"),
            "runs": re.compile(r"(.)\1*"),
            "split": re.compile(r"[-_./+=~]+"),
            "subwords": re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+"),
            "crypto": re.compile(
                r"^(?:argon2|bcrypt|scrypt|pbkdf2|sha-?\d|sha3|md5|hmac|aes|rsa|ed25519|hashed|salted|"
                r"encrypted|rotated|stored|managed|required|minimum|characters|chars|length|digits|policy|never|"
                r"\d+(?:[a-z]{1,5})?\+?$)"
            ),
            "public_block": re.compile(
                r"-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE(?: REQUEST)?|PGP PUBLIC KEY BLOCK|"
                r"PGP SIGNATURE|SSH SIGNATURE)-----.*?(?:-----END [A-Z0-9 ]+-----|$)",
                re.S,
            ),
        }
        _cache["all"] = c
    return c


def _boundary_before(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] not in _WORD


def _boundary_after(text: str, j: int) -> bool:
    return j >= len(text) or text[j] not in _WORD


_KINDS = {i: "a" if 97 <= i <= 122 else "A" if 65 <= i <= 90 else "0" if 48 <= i <= 57 else "." for i in range(128)}


def _kinds(s: str) -> str:
    """``aB3+`` -> ``aA0.``: one character per character kind (non-ASCII characters stay as they are)."""
    return s.translate(_KINDS)


def _classes(s: str) -> tuple[bool, bool, bool]:
    k = _kinds(s)
    return "a" in k, "A" in k, "0" in k


def _is_placeholder(value: str) -> bool:
    low = value.lower()
    if low in _PLACEHOLDER_WORDS:
        return True
    if not any(marker in low for marker in _PLACEHOLDER_MARKERS):
        return _repeats(value)
    c = _compiled()
    if len(low) == len(value):
        for m in c["placeholder"].finditer(low):
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
    elif c["placeholder"].search(low):
        return True
    return _repeats(value)


def _repeats(value: str) -> bool:
    """``abababab``, ``000000``, ``aaaaaa``: too few distinct characters, or a filler one six times in a row."""
    core = value.strip("\"'`")
    if len(core) >= 8 and len(set(core)) <= 3:
        return True
    return any(ch * 6 in core for ch in _REPEATED)


def _prefix_finding(text: str, m: re.Match[str]) -> Finding | None:
    c = _compiled()
    s, e = m.span()
    v = m.group(0)
    for lit, _body, kind, shown, check in c["rules"]:
        if v.startswith(lit):
            break
    else:  # pragma: no cover - every branch starts with one of the literals
        return None
    if check == "pem":
        end = text.find("-----END", e)
        close = text.find("-----", end + 8) if end != -1 else -1
        e2 = close + 5 if close != -1 else len(text)
        return Finding(kind, s, e2, v + "…")
    if lit in ("Basic ", "basic ", "Bearer ", "bearer ", "AccountKey=", "SharedAccessKey=", "sig="):
        pass  # preceded by a space or a separator, not part of a word
    elif not _boundary_before(text, s) or (lit == "s." and s > 0 and text[s - 1] in "._-/"):
        return None
    if check in ("tail", "vault_legacy", "sig", "mixed", "openai", "random", "basic") and not _boundary_after(text, e):
        return None
    body = v[len(lit):]
    if _is_placeholder(body):
        return None
    if check == "vault_legacy":
        lo, up, dg = _classes(body)
        if not (lo and up and dg):
            return None
    elif check == "mixed":
        lo, up, _dg = _classes(body)
        if not (lo and up):
            return None
    elif check == "openai":
        if not (v.startswith(("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-")) or "T3BlbkFJ" in v):
            lo, up, dg = _classes(body)
            ishex = re.fullmatch(r"[0-9a-f]{32,}", body) is not None
            if not ((lo and up and dg and len(body) >= 32) or ishex):
                return None
    elif check == "sig":
        if s > 0 and text[s - 1] not in "?&; \t\"'":
            return None
    elif check == "basic":
        cred = _b64_text(body)
        if cred is None or ":" not in cred or len(cred) < 3:
            return None
    elif check == "random":
        if not _random_enough(body, strict=False):
            return None
    return Finding(kind, s, e, mask(v, shown))


# -- base64 helpers ------------------------------------------------------------------------------


def _b64_text(s: str) -> str | None:
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


def _ssh_public_blob(s: str) -> bool:
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


# -- value shape tests ---------------------------------------------------------------------------


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
    return len(_compiled()["runs"].findall(s.translate(_KINDS))) - 1 if s else 0


def transitions(s: str) -> float:
    """Share of neighbouring characters whose kind (lower, upper, digit, other) differs."""
    return _changes(s) / max(len(s) - 1, 1)


def _camel_like(seg: str) -> bool:
    """``OAuthCallbackHandlerV2``: capitalised words, short acronyms and numbers, in that rhythm."""
    parts = _compiled()["subwords"].findall(seg)
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


def _identifier_like(s: str) -> bool:
    """Hyphenated, dotted or CamelCase names: every segment reads as a word."""
    segs = [p for p in _compiled()["split"].split(s) if p]
    if not segs:
        return True
    if len(segs) == 1:
        return transitions(segs[0]) < 0.2 or _wordish(segs[0])
    return all(_wordish(p) for p in segs)


def _random_enough(value: str, *, strict: bool) -> bool:
    """Does a value (after a credential word, or a bearer token) look like generated key material?"""
    v = value.strip("\"'`")
    if len(v) < 12 or _is_placeholder(v) or _compiled()["ref"].search(v):
        return False
    if re.fullmatch(r"[0-9a-fA-F]+", v):
        lo, up, dg = _classes(v)
        return len(v) >= (20 if strict else 16) and dg and (lo or up) and not (lo and up)
    if not re.fullmatch(r"[A-Za-z0-9+/=_.~-]+", v):
        return False
    alnum = re.sub(r"[^A-Za-z0-9]", "", v)
    lo, up, dg = _classes(alnum)
    n_classes = lo + up + dg
    if _identifier_like(v):
        return False
    if strict:
        return len(alnum) >= 20 and n_classes == 3 and shannon_entropy(alnum) >= 3.5 and transitions(alnum) >= 0.3
    return (
        len(alnum) >= 12
        and (n_classes == 3 or (n_classes == 2 and dg) or (lo and up and len(alnum) >= 20))
        and shannon_entropy(alnum) >= 3.0
    )


_PASSWORD_STOP = frozenset(
    "required optional none null nil true false yes no empty unset hashed redacted omitted hidden masked "
    "secret string str text value env changeme password passwd pass pwd example sample".split()
)


def _passwordish(value: str) -> bool:
    """A value after ``password:``/``password is``: must look like a password, not a word of prose."""
    v = value
    if len(v) < 6 or len(v) > 128 or v.lower() in _PASSWORD_STOP:
        return False
    c = _compiled()
    if _is_placeholder(v) or c["ref"].search(v) or c["crypto"].search(v.lower()) or c["uuid"].fullmatch(v):
        return False
    lo, up, dg = _classes(v)
    sym = any(not ch.isalnum() for ch in v)
    letters = lo or up
    return letters and (dg or (sym and not v.rstrip(".,;:!?)").isalpha()) or (lo and up and len(v) >= 8 and transitions(v) > 0.2))


# -- layer 2: keyword context --------------------------------------------------------------------

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
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", label)
    return [p for p in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if p]


def _context_findings(text: str, low: str):
    c = _compiled()
    gap = c["gap"].match
    ref = c["ref"].search
    done = 0
    n = len(text)
    for km in c["kw"].finditer(low):
        ks, ke = km.span()
        if ks < done:
            continue
        kw = km.group(0)
        # label: the identifier the keyword sits in (DB_PASSWORD, clientSecret, api_key_prod)
        j = ke
        if j < n and text[j] in _WORD:
            if text[j] == "s" and (j + 1 == n or text[j + 1] not in _WORD):
                j += 1  # plural: passwords, secrets, tokens
            elif text[j].isupper() and text[j - 1].islower():
                while j < n and text[j] in _WORD:  # camelCase suffix: passwordHash, apiKeyId
                    j += 1
            else:
                continue  # the keyword runs on into a longer word: tokenizer, passport, keycloak, authorize
        i = ks
        while i > 0 and text[i - 1] in _IDENT:
            i -= 1
        if kw in _SHORT_KW and i < ks:
            # pass, pw, key, auth inside a longer name only after a separator or a case change:
            # DB_PASS, dbPass, PGPASS, api-key; not bypass, compass, monkey, oauth
            pre = text[ks - 1]
            if not (pre in "_.-" or (pre.islower() and text[ks].isupper()) or (pre.isupper() and text[ks].isupper())):
                continue
        if j < n - 1 and text[j] in "_.-" and text[j + 1] in _WORD:
            while j < n and text[j] in _IDENT:
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
        if not _identifier_like(label):
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
                    v.lower() not in _PASSWORD_STOP
                    and not _is_placeholder(v)
                    and not ref(v)
                    and not (sep == "assign" and v.isdigit() and len(v) < 6)
                    # "password= assignments": a space after the sign and a plain word is prose
                    and not (sep == "assign" and text[vs - 1] in " \t" and v.isalpha() and v.islower())
                )
            elif sep in ("colon", "prose"):
                hit = _passwordish(value)
            else:
                hit = _random_enough(value, strict=True)
        elif sep == "space" or bare:
            hit = _random_enough(value, strict=True) or _hex_secret(value, 20)
        else:
            hit = _random_enough(value, strict=False) or (sep in ("assign", "quoted") and _literal_secret(value)) or (
                sep in ("assign", "quoted", "colon")
                and kw not in ("key", "auth", "credential", "creds")
                and c["uuid"].fullmatch(value) is not None
            )
        if hit:
            kind = "a password" if password else 'a secret value (after "%s")' % _short(label)
            shown = _short(label) + ("=" if sep == "assign" else ": " if sep in ("colon", "quoted") else " ")
            yield Finding(kind, vs, ve, shown + mask(value))


def _literal_secret(value: str) -> bool:
    """``JWT_SECRET=mysupersecretjwtkey123``, ``SECRET_KEY=django-insecure-8#k$2z!q``: assigned literals."""
    v = value
    if len(v) < 16 or len(v) > 200 or _is_placeholder(v) or _compiled()["ref"].search(v):
        return False
    lo, up, dg = _classes(v)
    if not (dg and (lo or up)):
        return False
    segs = [p for p in _compiled()["split"].split(v) if p]
    return len(segs) == 1 or not all(_wordish(p) for p in segs) or any(not ch.isalnum() and ch not in "-_./+=~" for ch in v)


def _hex_secret(value: str, n: int) -> bool:
    v = value.strip("\"'`")
    return len(v) >= n and re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", v) is not None and not v.isdigit()


def _short(label: str) -> str:
    return label if len(label) <= 32 else label[:31] + "…"


# -- layer 3: entropy ----------------------------------------------------------------------------


def _entropy_findings(text: str, low: str):
    c = _compiled()
    scan_text = text
    if "-----BEGIN" in text:
        scan_text = c["public_block"].sub(lambda m: " " * len(m.group(0)), text)
    sri = c["sri"].match
    for m in c["candidate"].finditer(scan_text):
        tok = m.group(0)
        k = tok.translate(_KINDS)
        if "a" not in k or "A" not in k:
            continue  # hex digests, UUIDs, lower-case names: one letter case only
        core = tok.strip("=+/-_")
        if len(core) < 24 or not ("0" in k or (len(core) >= 32 and any(ch in core for ch in "+/-_"))):
            continue
        if sri(tok):
            continue  # SRI / Nix / HTTP Digest forms: sha384-<b64>, sha-256=<b64>
        s = m.start()
        alnum = c["nonalnum"].sub("", core)
        if shannon_entropy(alnum) < 3.5 or transitions(core) < (0.3 if len(core) >= 32 else 0.36):
            continue
        if _identifier_like(core) or _is_placeholder(core):
            continue
        before = low[max(0, s - 12) : s]
        if c["digest_before"].search(before) or before.endswith(("sha256:", "sha512:", "sha1:", "md5:", "@")):
            continue
        if _ssh_public_blob(core):
            continue
        if re.search(r"(?:ssh-[a-z0-9]+|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+$", low[max(0, s - 48) : s]):
            continue
        if low[m.end() : m.end() + 28].startswith(".apps.googleusercontent.com"):
            continue
        if re.match(r"pk_(?:live|test)_", tok) or re.search(r"pk_(?:live|test)_$", low[max(0, s - 8) : s]):
            continue
        decoded = _b64_text(core) if len(core) % 4 != 1 else None
        if decoded is not None:
            if decoded.lstrip().startswith(("{", "[")) or " " in decoded.strip():
                continue  # encoded JSON (a JWT header alone) or encoded prose
        window = low[max(0, s - 40) : s]
        last = None
        for lm in c["lookback"].finditer(window):
            last = lm
        if last is not None and not last.group(0).startswith(
            ("secret", "token", "passw", "api", "access", "private", "credential", "bearer")
        ):
            continue  # public by context: a client id, a fingerprint, a digest, a commit, a nonce
        yield Finding("a long high-entropy string (a key or token?)", s, s + len(tok), mask(tok, 0))


# -- public API ----------------------------------------------------------------------------------


def scan_all(text: str) -> list[Finding]:
    """Every credential-looking value in ``text`` (prefix rules, then keyword context, then entropy)."""
    if not text:
        return []
    return list(_iter(text, first=False))


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # a few non-ASCII characters change length when lowered
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return low


def _prefix_search(text: str, pattern: re.Pattern[str], pos: int, end: int):
    while (m := pattern.search(text, pos, end)) is not None:
        f = _prefix_finding(text, m)
        if f is None:
            pos = m.start() + 1  # a rejected match may hide another (Bearer <JWT>)
            continue
        pos = max(f.end, m.start() + 1)
        yield f


def _iter(text: str, *, first: bool):
    c = _compiled()
    seen: list[tuple[int, int]] = []

    def fresh(f: Finding) -> bool:
        if any(f.start < e and s < f.end for s, e in seen):
            return False
        seen.append((f.start, f.end))
        return True

    if "-----BEGIN" in text or "asic " in text or "earer " in text or "PuTTY-User" in text:
        for f in _prefix_search(text, c["phrase"], 0, len(text)):
            if fresh(f):
                yield f
                if first:
                    return
    search = c["prefix"]
    for run in c["run"].finditer(text):
        for f in _prefix_search(text, search, run.start(), run.end()):
            if fresh(f):
                yield f
                if first:
                    return
    if "://" in text:
        for m in c["url"].finditer(text):
            pw = m.group(3)
            if _is_placeholder(pw) or c["ref"].search(pw) or pw.lower() in _PASSWORD_STOP:
                continue
            f = Finding("a URL with an embedded password", m.start(3), m.end(3),
                        f"{m.group(1)}{m.group(2)}:{mask(pw)}@")
            if fresh(f):
                yield f
                if first:
                    return
    if "-u" in text:
        for m in c["curl"].finditer(text):
            pw = m.group(2)
            if _is_placeholder(pw) or c["ref"].search(pw):
                continue
            f = Finding("a user:password pair", m.start(2), m.end(2), f"{m.group(1)}:{mask(pw)}")
            if fresh(f):
                yield f
                if first:
                    return
    low = _lower(text)
    if "mysql" in low or "mariadb" in low:
        for m in c["mysql_p"].finditer(text):
            pw = m.group(1)
            if _is_placeholder(pw) or c["ref"].search(pw):
                continue
            f = Finding("a password", m.start(1), m.end(1), "-p" + mask(pw))
            if fresh(f):
                yield f
                if first:
                    return
    for f in _context_findings(text, low):
        if fresh(f):
            yield f
            if first:
                return
    for f in _entropy_findings(text, low):
        if fresh(f):
            yield f
            if first:
                return


def scan(text: str) -> Finding | None:
    """The first credential-looking value in ``text``, or None when it looks clean."""
    if not text:
        return None
    for f in _iter(text, first=True):
        return f
    return None


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
