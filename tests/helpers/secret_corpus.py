"""A labelled corpus for the secret scanner: pasted credentials and ordinary review notes.

A plain module (not a test module). ``corpus()`` is deterministic for a seed.
Positives are credentials of many kinds, each in several shapes (env lines,
YAML, JSON, config, curl, sentences) inside the kind of sentence a reviewer
types, with quotes, backticks and trailing punctuation. Negatives are notes
full of random-looking but public or harmless material: hashes, digests, SSH
public keys, fingerprints, ids, placeholders, environment references, names.
Values are generated (random alphabets and lengths in the documented
shapes), never copied from real credentials.

Each ``Sample`` records the exact secret value it embeds, so tests can check
that a masked finding never repeats it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import struct
import uuid
from dataclasses import dataclass

SEED = 20260411
PER_KIND = 14

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
ALNUM = LOWER + UPPER + DIGITS
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32 = UPPER + "234567"


@dataclass(frozen=True)
class Sample:
    text: str
    secret: bool  # True: must be refused
    kind: str
    value: str = ""  # the credential embedded in ``text`` (positives only)


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def s(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def alnum(self, n: int) -> str:
        # real tokens almost always mix all three classes; make sure of it
        while True:
            v = self.s(ALNUM, n)
            if any(c.islower() for c in v) and any(c.isupper() for c in v) and any(c.isdigit() for c in v):
                return v

    def hex(self, n: int) -> str:
        while True:
            v = self.s(HEX, n)
            if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
                return v

    def b64(self, nbytes: int) -> str:
        return base64.b64encode(self.r.randbytes(nbytes)).decode()

    def b64url(self, nbytes: int) -> str:
        return base64.urlsafe_b64encode(self.r.randbytes(nbytes)).decode().rstrip("=")

    def pick(self, seq):
        return self.r.choice(seq)

    def word(self) -> str:
        return self.pick(["billing", "orders", "auth", "payments", "search", "ledger", "gateway", "inventory", "reports"])

    def env(self) -> str:
        return self.pick(["staging", "prod", "dev", "qa", "sandbox", "eu-west-1", "preprod"])

    def user(self) -> str:
        return self.pick(["app", "svc_billing", "admin", "deploy", "readonly", "postgres", "root", "ci-bot", "alice"])

    def host(self) -> str:
        return self.pick(
            ["db.internal", "10.0.3.17", "pg-primary.prod.svc", "cache.internal:6379", "mq.example.com",
             "cluster0.ab1cd.mongodb.net", "git.example.com", "orders-db.c9akciq32.eu-west-1.rds.amazonaws.com"]
        )

    def password(self) -> str:
        r = self.r
        style = r.randrange(6)
        if style == 0:
            return self.pick(["hunter", "dragon", "sunshine", "monkey", "winter", "summer", "falcon"]) + str(r.randrange(2, 9999)) + self.pick(["", "!", "secret", "#", "xyz"])
        if style == 1:
            return self.s(ALNUM, r.randrange(10, 20))
        if style == 2:
            return self.pick(["Tr0ub4dor&3", "S3cure-Pass-2024", "P@ssw0rd!23", "Welc0me#Home", "n0t-s0-s3cret", "Zebra!Lamp77"]) + self.s(DIGITS, 2)
        if style == 3:
            return self.s(LOWER, 5) + self.s(DIGITS, 3) + self.pick("!@#%^&*") + self.s(UPPER, 2)
        if style == 4:
            return "-".join(self.pick(["correct", "horse", "battery", "staple", "orbit", "velvet", "cactus"]) for _ in range(3)) + str(r.randrange(10, 99))
        return self.s(ALNUM + "!#%&*+-", r.randrange(12, 24))


def _wrap(g: _Gen, snippet: str) -> str:
    """Embed a snippet in a sentence as reviewers write them."""
    t = g.pick(
        [
            "{s}",
            "{s}.",
            "Tested on staging with {s} and it worked.",
            "For the record: {s}",
            "Repro steps: {s}; then call /token again.",
            "The old config still had `{s}` in it.",
            "'{s}'",
            "\"{s}\"",
            "Found {s} in the CI logs, see SEC-{n}.",
            "({s})",
            "Use {s} when the fallback kicks in.",
            "we hardcoded {s} for the demo -- remove before launch",
            "Note: {s}\nEverything else looks fine.",
            "- {s}",
            "Pasting what the vendor sent: {s}",
            "> {s}",
        ]
    )
    return t.format(s=snippet, n=g.r.randrange(100, 9999))


# -- positives ------------------------------------------------------------------------------------


def _pos_kinds(g: _Gen):
    """(kind, value factory, snippet templates using {v}); each sample picks a template and a wrapper."""
    r = g.r

    def aws_id():
        return g.pick(["AKIA", "AKIA", "ASIA"]) + g.s(B32, 16)

    def jwt():
        header = {"alg": g.pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
        if r.random() < 0.5:
            header["kid"] = g.hex(8)
        payload = {"sub": str(r.randrange(10**6, 10**9)), "iat": 1700000000 + r.randrange(10**7), "scope": g.pick(["read", "admin", "orders:write"])}

        def enc(d):
            return base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).decode().rstrip("=")

        return f"{enc(header)}.{enc(payload)}.{g.b64url(32)}"

    def pem():
        kind = g.pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK", "DSA PRIVATE KEY"])
        body_lines = [g.b64(48) for _ in range(r.randrange(2, 5))]
        sep = g.pick(["\n", " ", "\\n"])
        return f"-----BEGIN {kind}-----{sep}" + sep.join(body_lines) + f"{sep}-----END {kind}-----", sep.join(body_lines)

    def openai():
        f = r.randrange(4)
        if f == 0:
            return "sk-" + g.alnum(20) + "T3BlbkFJ" + g.alnum(20)
        if f == 1:
            return "sk-proj-" + g.b64url(120)[:156]
        if f == 2:
            return "sk-svcacct-" + g.b64url(100)[:120]
        return "sk-" + g.alnum(48)

    def vault():
        f = r.randrange(4)
        if f == 0:
            return "hvs." + g.s(ALNUM + "_-", r.randrange(90, 100))
        if f == 1:
            return "hvb." + g.s(ALNUM + "_-", 140)
        if f == 2:
            return "hvs." + g.alnum(24)
        return "s." + g.alnum(24)

    def slack_token():
        f = r.randrange(3)
        if f == 0:
            return f"xoxb-{g.s(DIGITS, 12)}-{g.s(DIGITS, 13)}-{g.alnum(24)}"
        if f == 1:
            return f"xoxp-{g.s(DIGITS, 12)}-{g.s(DIGITS, 12)}-{g.s(DIGITS, 13)}-{g.hex(32)}"
        return f"xapp-1-A{g.s(UPPER + DIGITS, 10)}-{g.s(DIGITS, 13)}-{g.hex(64)}"

    def basic():
        cred = f"{g.user()}:{g.password()}"
        return base64.b64encode(cred.encode()).decode()

    def azure():
        key = g.b64(64)
        return key, f"DefaultEndpointsProtocol=https;AccountName={g.word()}store{r.randrange(10, 99)};AccountKey={key};EndpointSuffix=core.windows.net"

    kinds = [
        ("aws access key id", aws_id, ["AWS_ACCESS_KEY_ID={v}", "aws_access_key_id = {v}", "the key id is {v}", "{v}", "creds: {v} / (secret in 1Password)"]),
        ("aws secret access key", lambda: g.b64(30), ["AWS_SECRET_ACCESS_KEY={v}", "aws_secret_access_key = {v}", "secret access key: {v}", "\"SecretAccessKey\": \"{v}\""]),
        ("github classic token", lambda: g.pick(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + g.alnum(36), ["GITHUB_TOKEN={v}", "token {v}", "git clone https://{v}@github.com/acme/shop", "{v}", "Authorization: token {v}"]),
        ("github fine-grained token", lambda: "github_pat_" + g.alnum(22) + "_" + g.alnum(59), ["GH_TOKEN={v}", "PAT is {v}", "{v}"]),
        ("gitlab token", lambda: g.pick(["glpat-", "gldt-", "glrt-", "glptt-"]) + g.s(ALNUM + "_-", 20), ["GITLAB_TOKEN={v}", "private-token: {v}", "{v}", "use {v} for the runner"]),
        ("slack token", slack_token, ["SLACK_BOT_TOKEN={v}", "slack token {v}", "{v}", "bot: {v}"]),
        ("slack webhook", lambda: f"https://hooks.slack.com/services/T{g.s(UPPER + DIGITS, 10)}/B{g.s(UPPER + DIGITS, 10)}/{g.alnum(24)}", ["webhook: {v}", "{v}", "curl -X POST {v} -d @msg.json"]),
        ("google api key", lambda: "AIza" + g.s(ALNUM + "_-", 35), ["GOOGLE_API_KEY={v}", "maps key {v}", "{v}", "?key={v}"]),
        ("stripe key", lambda: g.pick(["sk_live_", "rk_live_", "sk_test_", "whsec_"]) + g.alnum(r.randrange(24, 40)), ["STRIPE_SECRET_KEY={v}", "stripe.api_key = \"{v}\"", "{v}", "webhook signing secret {v}"]),
        ("jwt", jwt, ["Authorization: Bearer {v}", "access_token={v}", "{v}", "the token was {v}", "cookie: session={v}"]),
        ("private key block", pem, ["{v}", "key:\n{v}", "\"private_key\": \"{v}\""]),
        ("url with password", lambda: g.password(), ["postgres://{u}:{v}@{h}/app", "redis://:{v}@{h}/0", "amqp://{u}:{v}@{h}:5672/", "mongodb+srv://{u}:{v}@{h}/orders", "DATABASE_URL=postgresql://{u}:{v}@{h}:5432/{w}", "https://{u}:{v}@{h}/acme/shop.git"]),
        ("azure storage connection string", azure, ["{c}", "AZURE_STORAGE_CONNECTION_STRING=\"{c}\"", "conn str: {c}"]),
        ("hex after credential word", lambda: g.hex(g.pick([32, 40, 48, 64])), ["api key: {v}", "secret={v}", "token {v}", "API_KEY={v}", "the api key for {e} is {v}", "\"client_secret\": \"{v}\"", "x-api-key: {v}", "signing secret: {v}", "hmac key {v}"]),
        ("base64 after credential word", lambda: g.pick([g.b64(32), g.b64url(32), g.alnum(40), g.b64(24)]), ["client_secret={v}", "CLIENT_SECRET: {v}", "secret: {v}", "the encryption key is {v}", "SESSION_SECRET=\"{v}\"", "jwt secret {v}", "app_key={v}", "\"apiKey\": \"{v}\""]),
        ("high-entropy token, no keyword", lambda: g.pick([g.b64(30), g.b64(33), g.alnum(40), g.b64url(36)]), ["{v}", "value {v}", "rotated to {v} yesterday", "it was set to {v}"]),
        ("password env/shell", g.password, ["export DB_PASSWORD={v}", "PGPASSWORD={v} psql -h {h} -U {u}", "MYSQL_ROOT_PASSWORD={v}", "REDIS_PASSWORD='{v}'", "SMTP_PASS={v}", "ADMIN_PASSWORD=\"{v}\"", "password={v}", "db_pwd={v}"]),
        ("password yaml", g.password, ["password: {v}", "  db_password: \"{v}\"", "adminPassword: {v}", "passwd: '{v}'"]),
        ("password json", g.password, ["\"password\": \"{v}\"", "{{\"user\": \"{u}\", \"password\": \"{v}\"}}", "\"dbPassword\":\"{v}\""]),
        ("password connection string", g.password, ["Server={h};User Id={u};Password={v};", "Host={h};Username={u};Pwd={v};Database=app", "jdbc:mysql://{h}/app?user={u}&password={v}"]),
        ("password sentence", g.password, ["the password is {v}", "pw is {v}", "Password for {u} is {v}", "the admin password is now {v}", "root password: {v}", "passphrase is \"{v}\"", "the password for the {e} db is {v}"]),
        ("basic auth", basic, ["Authorization: Basic {v}", "basic {v}", "-H 'Authorization: Basic {v}'"]),
        ("curl user:password", g.password, ["curl -u {u}:{v} https://{h}/api", "curl --user {u}:{v} https://api.example.com"]),
        ("hugging face token", lambda: "hf_" + g.alnum(34), ["HF_TOKEN={v}", "huggingface-cli login --token {v}", "{v}"]),
        ("digitalocean token", lambda: g.pick(["dop_v1_", "doo_v1_", "dor_v1_"]) + g.hex(64), ["DIGITALOCEAN_TOKEN={v}", "doctl auth init -t {v}", "{v}"]),
        ("shopify token", lambda: g.pick(["shpat_", "shpca_", "shppa_", "shpss_"]) + g.hex(32), ["SHOPIFY_ACCESS_TOKEN={v}", "X-Shopify-Access-Token: {v}", "{v}"]),
        ("vault token", vault, ["VAULT_TOKEN={v}", "vault login {v}", "{v}", "X-Vault-Token: {v}"]),
        ("twilio key", lambda: g.pick(["SK", "AC"]) + g.hex(32), ["TWILIO_API_KEY={v}", "twilio sid {v}", "{v}"]),
        ("datadog key", lambda: g.hex(g.pick([32, 40])), ["DD_API_KEY={v}", "DD_APP_KEY={v}", "datadog api key: {v}", "datadog: {v}", "dd-api-key: {v}", "the Datadog app key is {v}"]),
        ("sendgrid key", lambda: "SG." + g.s(ALNUM + "_-", 22) + "." + g.s(ALNUM + "_-", 43), ["SENDGRID_API_KEY={v}", "{v}", "sendgrid key {v}"]),
        ("npm token", lambda: "npm_" + g.alnum(36), ["//registry.npmjs.org/:_authToken={v}", "NPM_TOKEN={v}", "{v}"]),
        ("pypi token", lambda: "pypi-AgEIcHlwaS5vcmc" + g.s(ALNUM + "_-", r.randrange(60, 160)), ["TWINE_PASSWORD={v}", "password = {v}", "{v}"]),
        ("openai key", openai, ["OPENAI_API_KEY={v}", "openai.api_key = \"{v}\"", "{v}", "key {v}"]),
        ("anthropic key", lambda: "sk-ant-api03-" + g.s(ALNUM + "_-", 93) + "AA", ["ANTHROPIC_API_KEY={v}", "x-api-key: {v}", "{v}"]),
        ("google oauth client secret", lambda: "GOCSPX-" + g.s(ALNUM + "_-", 28), ["client_secret: {v}", "{v}"]),
    ]
    return kinds


def positives(rng: random.Random, per_kind: int = PER_KIND) -> list[Sample]:
    g = _Gen(rng)
    out: list[Sample] = []
    for kind, make, templates in _pos_kinds(g):
        for i in range(per_kind):
            made = make()
            if isinstance(made, tuple):
                a, b = made
                # (value, composite) for azure; (composite, body) for pem blocks
                if kind == "private key block":
                    block, secret = a, b
                    snippet = templates[i % len(templates)].format(v=block)
                else:
                    secret, composite = a, b
                    snippet = templates[i % len(templates)].format(c=composite)
            else:
                secret = made
                snippet = templates[i % len(templates)].format(v=secret, u=g.user(), h=g.host(), e=g.env(), w=g.word())
            out.append(Sample(_wrap(g, snippet), True, kind, secret))
    return out


# -- negatives ------------------------------------------------------------------------------------


def _ssh_pub(g: _Gen, alg: str) -> str:
    def field(b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + b

    if alg == "ssh-ed25519":
        blob = field(b"ssh-ed25519") + field(g.r.randbytes(32))
    elif alg == "ssh-rsa":
        blob = field(b"ssh-rsa") + field(b"\x01\x00\x01") + field(b"\x00" + g.r.randbytes(256))
    else:
        curve = alg.rsplit("-", 1)[1].encode()
        blob = field(alg.encode()) + field(curve) + field(b"\x04" + g.r.randbytes(64))
    return f"{alg} {base64.b64encode(blob).decode()}"


def _neg_kinds(g: _Gen):
    r = g.r

    def sha1():
        return hashlib.sha1(r.randbytes(16)).hexdigest()

    def sha256():
        return hashlib.sha256(r.randbytes(16)).hexdigest()

    def sri():
        alg = g.pick(["sha256", "sha384", "sha512"])
        return f"{alg}-" + base64.b64encode(hashlib.new(alg, r.randbytes(8)).digest()).decode()

    def ssh_fp():
        return "SHA256:" + base64.b64encode(hashlib.sha256(r.randbytes(8)).digest()).decode().rstrip("=")

    def jwt_header():
        h = {"alg": g.pick(["HS256", "RS256", "ES256", "EdDSA"]), "typ": "JWT"}
        if r.random() < 0.5:
            h["kid"] = g.pick(["k1", "2024-q3", "main"])
        return base64.urlsafe_b64encode(json.dumps(h, separators=(",", ":")).encode()).decode().rstrip("=")

    def b64_words():
        phrase = g.pick(["hello world", "the quick brown fox", "user profile settings", "Access denied for this resource", "{\"typ\":\"at+jwt\"}", "order created successfully"])
        return base64.b64encode(phrase.encode()).decode()

    def service_name():
        return "-".join([g.pick(["my", "acme", "orders", "auth"]), g.pick(["service", "gateway", "worker"]), str(r.randrange(2019, 2027)), g.pick(["Q1", "Q2", "Q3", "Q4"]), g.pick(["rollout", "canary", "migration"]), g.pick(["EU1", "US2", "AP3"]), f"v{r.randrange(1, 9)}"])

    def camel():
        parts = [g.pick(["Refresh", "Token", "Rotation", "Session", "Oidc", "Callback", "Handler", "Realm", "Prod", "Customer", "Reuse", "Detection", "Pkce", "Verifier", "Factory"]) for _ in range(r.randrange(3, 6))]
        return "".join(parts) + g.pick(["", "V2", "2025", "EuWest1", "Impl"])

    kinds = [
        ("git sha", lambda: g.pick([sha1(), sha1()[:7], sha1()[:12]]), ["commit {v}", "fixed in {v}", "reverted {v} after review", "see {v} (rebased)", "HEAD is {v}"]),
        ("sha256 digest", sha256, ["sha256 {v}", "checksum: {v}", "the artefact digest is {v}", "sha256sum matches {v}"]),
        ("sha512 digest", lambda: hashlib.sha512(r.randbytes(8)).hexdigest(), ["sha512: {v}", "{v}  dist/app.tar.gz"]),
        ("sri hash", sri, ["integrity=\"{v}\"", "script pinned with {v}", "\"integrity\": \"{v}\""]),
        ("ssh fingerprint", ssh_fp, ["alice's key {v} is in allowed_signers", "host key fingerprint {v}", "ED25519 key {v}"]),
        ("ssh public key", lambda: _ssh_pub(g, g.pick(["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384"])), ["{v} alice@laptop", "alice@example.com {v}", "allowed_signers: bob@example.com namespaces=\"git\" {v}", "deploy key: {v}", "public key {v}"]),
        ("uuid", lambda: str(uuid.UUID(int=r.getrandbits(128), version=4)), ["tenant {v}", "request id {v}", "correlation-id: {v}", "user {v} was locked out", "trace {v}"]),
        ("arn", lambda: f"arn:aws:iam::{g.s(DIGITS, 12)}:role/{g.word()}-deployer", ["assumes {v}", "role {v} has sts:AssumeRole", "secret lives at arn:aws:secretsmanager:eu-west-1:{n}:secret:prod/db-AbCdEf"]),
        ("cve", lambda: f"CVE-{r.randrange(2014, 2026)}-{r.randrange(1000, 99999)}", ["patched {v}", "not affected by {v}", "{v} (jwt alg confusion)"]),
        ("standard citation", lambda: g.pick(["ASVS 5.0 V7.4.1", "RFC 9700 §4.14.2", "NHI7:2025", "RFC 6749 section 10.4", "OWASP ASVS V3.5.2", "CWE-798", "NIST SP 800-63B 5.1.1.2", "RFC 7636 (PKCE)"]), ["meets {v}", "see {v}", "per {v}, refresh tokens rotate"]),
        ("container digest", lambda: f"ghcr.io/acme/{g.word()}@sha256:{sha256()}", ["image {v}", "pinned to {v}"]),
        ("base64 of words", b64_words, ["payload {v}", "the header decodes fine: {v}", "body={v}"]),
        ("semver and dates", lambda: g.pick([f"v{r.randrange(0, 5)}.{r.randrange(0, 30)}.{r.randrange(0, 20)}", f"2025-{r.randrange(1, 12):02d}-{r.randrange(1, 28):02d}", f"1.{r.randrange(0, 9)}.{r.randrange(0, 9)}-rc.{r.randrange(1, 5)}+build.{r.randrange(100, 999)}"]), ["upgraded to {v}", "due {v}", "released {v}"]),
        ("file path", lambda: g.pick(["services/billing/authentication/OAuthCallbackHandlerV2.py", "/etc/ssl/private/server.key", "~/.ssh/id_ed25519.pub", "config/secrets.example.yaml", "src/auth/token_refresh_rotation_v2.ts", "/run/secrets/db_password", "C:\\ProgramData\\acme\\credentials.json"]), ["moved to {v}", "see {v}", "the key file {v} is mode 0600"]),
        ("url without password", lambda: g.pick([f"https://login.example.com/oauth2/v2.0/authorize?client_id={uuid.UUID(int=r.getrandbits(128))}&response_type=code&state={g.s(LOWER, 8)}", "https://github.com/acme/shop/pull/481", "https://auth.example.com/.well-known/openid-configuration", "postgres://db.internal:5432/app", "https://user@git.example.com/acme/shop.git", f"https://{g.word()}.example.com:8443/v1/tokens/introspect"]), ["see {v}", "endpoint {v}", "{v}"]),
        ("jira key", lambda: f"{g.pick(['SEC', 'AUTH', 'PLAT', 'OPS'])}-{r.randrange(10, 9999)}", ["tracked in {v}", "{v}: rotate signing keys", "follow-up {v}"]),
        ("camelcase identifier", camel, ["renamed to {v}", "class {v} handles it", "{v}"]),
        ("email", lambda: f"{g.pick(['alice', 'bob.smith', 'security+alerts', 'ci-bot'])}@{g.pick(['example.com', 'acme.io', 'users.noreply.github.com'])}", ["owner {v}", "reviewed by {v}", "escalate to {v}"]),
        ("ip address", lambda: g.pick([f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}", f"192.168.{r.randrange(256)}.0/24", "2001:db8:85a3::8a2e:370:7334", f"172.16.{r.randrange(32)}.{r.randrange(256)}:8443"]), ["allowlisted {v}", "egress from {v} only", "{v} is the NAT gateway"]),
        ("k8s resource", lambda: g.pick([f"{g.word()}-api-{g.s('bcdfghjklmnpqrstvwxz2456789', 10)}-{g.s('bcdfghjklmnpqrstvwxz2456789', 5)}", f"secret/{g.word()}-db-credentials", f"serviceaccount/{g.word()}-token-{g.s(LOWER + DIGITS, 5)}", f"deployment.apps/{g.word()}-worker"]), ["pod {v} restarted", "kubectl describe {v}", "mounted from {v}"]),
        ("jwt header only", jwt_header, ["header {v}", "tokens start with {v}", "the JOSE header is {v} (no payload)"]),
        ("placeholder", lambda: g.pick(["AKIAXXXXXXXXXXXXXXXX", "AKIAIOSFODNN7EXAMPLE", "ghp_" + "X" * 36, "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "xoxb-your-bot-token", "password=********", "password=<redacted>", "<your-token-here>", "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX", "api_key: YOUR_API_KEY", "token: <token>", "password: changeme", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "Authorization: Bearer <access_token>", "https://hooks.slack.com/services/T000/B000/XXXX", "postgres://user:password@localhost/app", "DB_PASSWORD=...", "client_secret=REPLACE_ME"]), ["e.g. {v}", "docs show {v}", "{v}", "template uses {v}"]),
        ("environment reference", lambda: g.pick(["os.environ[\"DB_PASSWORD\"]", "${DB_PASSWORD}", "$DB_PASSWORD", "process.env.API_KEY", "{{ secrets.TOKEN }}", "vault:secret/data/billing#password", "password=os.getenv(\"DB_PASSWORD\")", "PGPASSWORD=$PGPASSWORD", "token: ${{ secrets.GITHUB_TOKEN }}", "api_key = settings.STRIPE_API_KEY", "password: !vault |", "DB_PASSWORD=${DB_PASSWORD:?missing}", "secret: {{ .Values.db.password }}", "password=getpass.getpass()", "apiKey: process.env.OPENAI_API_KEY", "client_secret=$(cat /run/secrets/client_secret)", "password_file=/run/secrets/db_password"]), ["reads {v}", "{v}", "now uses {v} instead of a literal"]),
        ("oauth client id", lambda: g.pick([f"{g.s(DIGITS, 12)}-{g.s(LOWER + DIGITS, 32)}.apps.googleusercontent.com", "0oa" + g.s(ALNUM, 17), g.alnum(32), str(uuid.UUID(int=r.getrandbits(128)))]), ["client_id={v}", "Auth0 client id: {v}", "clientId: \"{v}\"", "the Okta app's client id is {v}", "OAUTH_CLIENT_ID={v}"]),
        ("service name with digits", service_name, ["deployed {v}", "{v} owns the token exchange", "rollout plan in {v}"]),
        ("prose about credentials", lambda: g.pick(["the password is hashed with argon2id (m=64MiB, t=3)", "tokens are rotated every 15 minutes", "api key rotation is quarterly", "secret: rotated monthly via Vault", "passwords must be at least 12 characters", "the token is opaque and 32 bytes", "refresh token reuse revokes the family", "client secret is stored in AWS Secrets Manager", "private key never leaves the HSM", "password reset links expire after 30 minutes", "PASSWORD_MIN_LENGTH=12", "TOKEN_TTL_SECONDS=900", "token_endpoint: https://auth.example.com/oauth/token", "the key id (kid) is 2024-q3-main", "api key header: X-Api-Key", "bypass=false", "pass rate: 98%", "secret_name: prod/billing/db", "passkeys replace passwords for staff", "bcrypt cost 12, pepper held in KMS", "password: required, min 12 chars", "Password is Argon2id-hashed", "key rotation: 90 days", "signing key lives in KMS (alias/jwt-signing)"]), ["{v}", "{v}.", "Note: {v}"]),
        ("public key block", lambda: "-----BEGIN PUBLIC KEY-----\n" + "\n".join(g.b64(48) for _ in range(3)) + "\n-----END PUBLIC KEY-----", ["{v}", "JWKS fallback:\n{v}"]),
        ("stripe publishable key", lambda: g.pick(["pk_live_", "pk_test_"]) + g.alnum(24), ["publishable key {v} is in the frontend bundle", "{v}"]),
        ("pgp and key ids", lambda: g.pick([" ".join(g.s("0123456789ABCDEF", 4) for _ in range(10)), g.s("0123456789ABCDEF", 16), ":".join(g.s("0123456789ABCDEF", 2) for _ in range(20))]), ["signed with GPG key {v}", "release key fingerprint {v}", "cert thumbprint {v}"]),
        ("code identifiers and config keys", lambda: g.pick(["verify_refresh_token_rotation_v2()", "token_ttl_seconds=900", "MAX_LOGIN_ATTEMPTS=5", "authorize(request, scope=\"orders:write\")", "session.cookie_secure = True", "refresh_token_reuse_interval: 10s", "@app.route('/oauth/token', methods=['POST'])", "if password == stored_hash:", "hash_password(password, rounds=12)", "jwt.decode(token, key, algorithms=['RS256'])"]), ["{v}", "calls {v}", "`{v}`"]),
        ("numbers and ids", lambda: g.pick([str(r.randrange(10**11, 10**12)), f"acct_{g.s(DIGITS, 8)}", f"PR #{r.randrange(10, 999)}", f"{r.randrange(1, 64)} MiB", f"port {r.randrange(1024, 65535)}", f"#{g.s(HEX, 6)}", ":".join(g.s(HEX, 2) for _ in range(6))]), ["account {v}", "{v}", "see {v}"]),
    ]
    return kinds


def negatives(rng: random.Random, per_kind: int = PER_KIND) -> list[Sample]:
    g = _Gen(rng)
    out: list[Sample] = []
    for kind, make, templates in _neg_kinds(g):
        for i in range(per_kind):
            v = make()
            snippet = templates[i % len(templates)].format(v=v, n=g.s(DIGITS, 12))
            out.append(Sample(_wrap_neg(g, snippet), False, kind))
    return out


def _wrap_neg(g: _Gen, snippet: str) -> str:
    t = g.pick(
        [
            "{s}",
            "{s}.",
            "Reviewed: {s}; no change needed.",
            "`{s}`",
            "({s})",
            "\"{s}\"",
            "As discussed, {s}, tracked in SEC-{n}.",
            "- {s}\n- tokens expire after 15 minutes",
            "LGTM -- {s}",
            "{s} -- alice@example.com, 2025-06-03",
        ]
    )
    return t.format(s=snippet, n=g.r.randrange(100, 9999))


def corpus(seed: int = SEED, per_kind: int = PER_KIND) -> list[Sample]:
    """Positives then negatives, deterministic for ``seed``."""
    rng = random.Random(seed)
    return positives(rng, per_kind) + negatives(rng, per_kind)


def kinds(samples: list[Sample], secret: bool) -> list[str]:
    return sorted({s.kind for s in samples if s.secret is secret})
