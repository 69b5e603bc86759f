"""The rule data: what a finding is, how it is masked, the vendor prefixes, and every regex, compiled lazily.

Why lazily, one regex at a time: importing the scanner must cost nothing (it is
imported by every command that writes), and a short clean value (a component
name, a reviewer's address) should not pay for the ~70-branch prefix
alternation it never reaches. ``rx(name)`` compiles a pattern the first time
it is asked for and keeps it.
"""

from __future__ import annotations

import re

__all__ = [
    "IDENT",
    "KINDS",
    "PHRASE_PREFIXES",
    "PLACEHOLDER_MARKERS",
    "PLACEHOLDER_WORDS",
    "PREFIX_RULES",
    "REPEATED",
    "WORD",
    "Finding",
    "mask",
    "prefix_rules",
    "rx",
]


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

    def __hash__(self) -> int:  # a value: equal findings hash alike (they are never changed after the scan)
        return hash((self.kind, self.start, self.end, self.masked))


def mask(value: str, shown_prefix: int = 0) -> str:
    """``ghp_…XyZ1``: the known public prefix, then the last 4 characters only when 16+ are hidden."""
    shown_prefix = min(shown_prefix, 16, len(value) // 2)
    rest = value[shown_prefix:]
    tail = rest[-4:] if len(rest) >= 16 else ""
    return f"{value[:shown_prefix]}…{tail}"


# -- layer 1: prefix rules -----------------------------------------------------------------------

# (literal prefix, regex body starting with that literal, kind, shown prefix length, check)
# The check names a validator in ``scan`` ("" for none). Order: longer prefixes first where they overlap.
PREFIX_RULES: tuple[tuple[str, str, str, int, str], ...] = (
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
PHRASE_PREFIXES = {
    "-----BEGIN": "-----BEGIN",
    "PuTTY-User-Key-File-": "PuTTY-User",
    "Basic ": "asic ",
    "basic ": "asic ",
    "Bearer ": "earer ",
    "bearer ": "earer ",
}

_LONGEST_FIRST = tuple(sorted(PREFIX_RULES, key=lambda r: -len(r[0])))


def prefix_rules() -> tuple[tuple[str, str, str, int, str], ...]:
    """The prefix rules, longest literal first: the first whose literal starts a match is the one that matched."""
    return _LONGEST_FIRST


# Cheap substring test before the placeholder regex (which also checks case and word boundaries).
PLACEHOLDER_MARKERS = (
    "xxxx", "*", "...", "…", "•", "exampl", "sampl", "dumm", "placeholder", "redact", "change", "your", "<",
    "{{", "${", "insert", "replace", "fake", "here", "null", "none", "nil", "true", "false", "undefined",
    "empty", "secret", "passw", "pass", "test", "string", "value", "foo", "bar", "admin", "qwerty", "abc",
    "letmein", "1234567",
)
REPEATED = "0123456789xXaAzZ*#.-_"
PLACEHOLDER_WORDS = frozenset(
    "null none nil true false undefined empty secret password passw0rd pass test string value foo bar xxx "
    "admin:admin changeme todo tbd n/a".split()
)

WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
IDENT = WORD | frozenset("_.-")
# One character per character kind: "a" lower, "A" upper, "0" digit, "." other ASCII (str.translate table).
KINDS = {i: "a" if 97 <= i <= 122 else "A" if 65 <= i <= 90 else "0" if 48 <= i <= 57 else "." for i in range(128)}


def _alternation(phrases: bool) -> str:
    return "|".join(body for lit, body, _, _, _ in PREFIX_RULES if (lit in PHRASE_PREFIXES) == phrases)


# name -> (pattern, flags); the two prefix alternations are built from PREFIX_RULES on first use.
_SOURCES: dict[str, tuple[str, int]] = {
    # credentials without spaces sit in runs like this; the prefix rules only look inside them
    "run": (r"[A-Za-z0-9_.+/=~%-]{14,}", 0),
    "url": (r"\b([a-z][a-z0-9+.-]{1,20}://)([^/\s:@?#\"'`<>]*):([^/\s@\"'`<>]+)@", re.I),
    "mysql_p": (r"(?:^|\s)-p([^\s'\"-][^\s'\"]{3,})", 0),
    "curl": (r"(?:^|\s)(?:-u|--user)[ =]?([^\s:'\"/]+):([^\s'\"]{4,})", 0),
    "kw": (
        r"passw(?:or)?d|passphrase|passcode|pass|pwd|pw|secret|token|credential|creds|"
        r"api[-_. ]?key|apikey|app[-_. ]?key|access[-_. ]?key|private[-_. ]?key|signing[-_. ]?key|"
        r"encryption[-_. ]?key|master[-_. ]?key|account[-_. ]?key|license[-_. ]?key|key|auth|datadog",
        0,
    ),
    "gap": (
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
    "candidate": (r"[A-Za-z0-9+/_-]{24,}={0,2}", 0),
    "sri": (r"(?i)(?:sha-?(?:1|224|256|384|512)|sha3-\d+|md5|blake2[bs]?)[-=:]", 0),
    "nonalnum": (r"[^A-Za-z0-9]+", 0),
    "lookback": (
        r"client[ _-]?id|clientid|app(?:lication)?[ _-]?id|tenant|publishable|kid\b|key[ _-]?id|"
        r"fingerprint|digest\b|checksum|integrity|commit|\bsha(?:-?\d|\b)|\bhash(?:es|ed)?\b|nonce|\bstate\b|"
        r"request[ _-]?id|\btrace|correlation|etag|\bsite[ _-]?key|public|ssh-|ecdsa-|challenge|jwks?\b|modulus|"
        r"x5c|thumbprint|\"n\":|\bn: |"
        r"secret|token|passw|api[ _-]?key|apikey|access[ _-]?key|private|credential|bearer",
        0,
    ),
    "digest_before": (r"(?:sha-?(?:1|224|256|384|512)|sha3-\d+|md5|blake2[bs]?|blake3|h1|sum)[:=-]$", 0),
    "placeholder": (
        r"x{4,}|^\*+$|\*{5,}|\.{3,}|…|•|example|sample|dummy|placeholder|redacted|changeme|change[-_]me|"
        r"your[-_ ]?|<[^>]*>|\{\{|\$\{|insert|replace|fake|[-_]here\b|^(?:null|none|nil|true|false|"
        r"undefined|empty|secret|password|passw0rd|pass|test|string|value|foo|bar|xxx|admin:admin)$|"
        r"^(?:p[a@]ssw[o0]rd|qwerty|abc|letmein)\d*[!.]?$|^1234567\d*$",
        0,
    ),
    "ref": (
        r"^(?:\$(?:\{|\(|[A-Za-z_]\w*$)|%\w+%$|\{\{|<)|^[!&*][a-z_][a-z0-9_-]*$|^[\w.]+[(\[]|^(?:process\.)?env\.|"
        r"^secrets?\.|^vars\.|^(?:vault|ssm|arn|awssm|"
        r"secretsmanager|gcpsm|azkv|op|ref\+\w+|file|env|sops|k8s|kms)[:+]|^[~.]?/|"
        r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$|^[A-Z][A-Z0-9]*_[A-Z0-9_]+$",
        0,
    ),
    "uuid": (r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", 0),
    "runs": (r"(.)\1*", 0),
    "split": (r"[-_./+=~]+", 0),
    "subwords": (r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", 0),
    "crypto": (
        r"^(?:argon2|bcrypt|scrypt|pbkdf2|sha-?\d|sha3|md5|hmac|aes|rsa|ed25519|hashed|salted|"
        r"encrypted|rotated|stored|managed|required|minimum|characters|chars|length|digits|policy|never|"
        r"\d+(?:[a-z]{1,5})?\+?$)",
        0,
    ),
    "public_block": (
        r"-----BEGIN (?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE(?: REQUEST)?|PGP PUBLIC KEY BLOCK|"
        r"PGP SIGNATURE|SSH SIGNATURE)-----.*?(?:-----END [A-Z0-9 ]+-----|$)",
        re.S,
    ),
    "hex": (r"[0-9a-fA-F]+", 0),
    "hex_one_case": (r"[0-9a-f]+|[0-9A-F]+", 0),
    "b64ish": (r"[A-Za-z0-9+/=_.~-]+", 0),
    "not_alnum": (r"[^A-Za-z0-9]", 0),
    "camel_split": (r"([a-z0-9])([A-Z])", 0),
    "ssh_before": (
        r"(?:ssh-[a-z0-9]+|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+$",
        0,
    ),
    "stripe_pk": (r"pk_(?:live|test)_", 0),
    "stripe_pk_before": (r"pk_(?:live|test)_$", 0),
    "openai_hex": (r"[0-9a-f]{32,}", 0),
}

_compiled: dict[str, re.Pattern[str]] = {}


def rx(name: str) -> re.Pattern[str]:
    """The compiled regex called ``name`` (compiled on first use, then kept)."""
    pattern = _compiled.get(name)
    if pattern is None:
        if name in ("prefix", "phrase"):
            pattern = re.compile(_alternation(phrases=name == "phrase"))
        else:
            source, flags = _SOURCES[name]
            pattern = re.compile(source, flags)
        _compiled[name] = pattern
    return pattern
