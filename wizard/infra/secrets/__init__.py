"""Refuse free text that looks like a credential before it reaches a committed file.

Why: attestations live in the repo and are signed, so a token pasted into a
note is published, and removing it later means rewriting signed history. The
scan must catch what people really paste, and must not cry wolf over the
public, random-looking material a security review is full of (commit SHAs,
digests, SSH public keys, fingerprints, client ids); a scanner that refuses
ordinary notes teaches people to work around it.

How, in four layers, cheapest and surest first (``scan`` runs them in order):

1. **Prefix rules** (``rules``). Most issued credentials announce themselves
   (``ghp_``, ``AKIA``, ``xoxb-``, ``sk-ant-api03-``, ``hvs.``, ``-----BEGIN ...
   PRIVATE KEY-----``...). The shapes follow vendors' documentation and
   gitleaks' public rule set. They are one alternation whose branches all start
   with a literal, so the regex engine skips ahead by first character; which
   rule matched is found afterwards from the prefix.
2. **Keyword-context rules** (``context``). A value right after a credential
   word (``password``, ``secret``, ``token``, ``api key``...) in the forms
   people type; the label must name a secret and the value must look like one.
3. **Entropy rule** (``scan``, with the measures in ``shape``). A long run of
   base64-ish characters with upper and lower case and digits, high entropy
   and frequent character-class changes, even without a keyword. Hex alone
   never fires here (git SHAs, sha256 digests, UUIDs), nor do CamelCase or
   hyphenated identifiers.
4. **Allowlist of placeholders and public material** (``shape``), applied to
   every layer: ``XXXX``/``****``/``<...>``/``your-token``/``EXAMPLE`` values
   (AWS's documented ``AKIAIOSFODNN7EXAMPLE`` included), environment and
   secret-store references (``$X``, ``${X}``, ``os.environ[...]``,
   ``process.env.X``, ``{{ secrets.X }}``, ``vault:...``), SSH public keys,
   ``SHA256:`` fingerprints, SRI and container digests, PUBLIC KEY /
   CERTIFICATE blocks, base64 that decodes to text or JSON (a JWT header
   alone), and ids that are public by design (OAuth client ids, Stripe
   publishable keys).

A finding carries the kind, the span of the value and a masked form that
shows at most a known public prefix and the last four characters, so the
refusal message can point at the value without repeating it.

Cost: each regex is compiled the first time a scan needs it (importing the
package compiles nothing, and a short clean value never compiles the prefix
alternation); a note is scanned in a few microseconds.
"""

from __future__ import annotations

from wizard.infra.secrets.rules import Finding, mask
from wizard.infra.secrets.scan import find_secret, refuse_secrets, scan, scan_all
from wizard.infra.secrets.shape import shannon_entropy, transitions

__all__ = ["Finding", "find_secret", "mask", "refuse_secrets", "scan", "scan_all", "shannon_entropy", "transitions"]
