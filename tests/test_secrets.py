"""Credential-looking text is refused before anything is written; ordinary text passes."""

from __future__ import annotations

import hashlib

import pytest

from wizard.secrets import find_secret

SECRETS = [
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----",
    "key AKIAIOSFODNN7EXAMPLE in env",
    "token ghp_" + "A1b2C3d4E5" * 4,
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    "xoxb-1234567890-abcdefghijkl",
    "https://hooks.slack.com/services/T000/B000/XXXX",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "clone https://deploy:s3cr3tpass@git.example.com/repo.git",
    "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "client secret is Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg9Xq",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "cache at redis://:S3cretPassw0rd@cache.internal:6379",
    "glpat-AbCdEfGhIjKlMnOpQrSt",
    "Server=db;User Id=sa;Password=Hunter2pass;",
    "key 9f/Qz1Lk+Xw3vB7nR2tYp8sD4mJ6hG0cE5aU1iO3lK7=",
]

CLEAN = [
    "We use Auth0 with 15-minute access tokens and rotating refresh tokens.",
    "Tracked in SEC-1234; owner alice@example.com, due 2027-01-31.",
    "commit 3f2a9c1d4b5e6f708192a3b4c5d6e7f8091a2b3c",
    hashlib.sha256(b"x").hexdigest(),
    "services/billing/authentication/OAuthCallbackHandlerV2.py",
    "https://github.com/acme/shop",
    "RefreshTokenRotationWithReuseDetection",
    "alice's key SHA256:e93leQ3PDD2Vg0n2mIRf4eXkvQwtQ7ywUFH3QEGq+Bs is in allowed_signers",
    "script integrity sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC",
    "ProdCustomerRealm2025EuWest1",
    "TTL is 15 minutes; secret: rotated monthly via Vault",
]


@pytest.mark.parametrize("text", SECRETS)
def test_refused(text):
    assert find_secret(text) is not None


@pytest.mark.parametrize("text", CLEAN)
def test_allowed(text):
    assert find_secret(text) is None


def test_random_tokens_are_caught():
    """Random base64 keys (with '/' and '+', as cloud secrets have) are refused almost always."""
    import base64
    import random

    rng = random.Random(20261129)
    tokens = [base64.b64encode(rng.randbytes(30)).decode() for _ in range(1000)]
    missed = [t for t in tokens if find_secret(t) is None]
    assert len(missed) <= 20, missed[:5]
