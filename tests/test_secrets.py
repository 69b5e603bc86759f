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
]

CLEAN = [
    "We use Auth0 with 15-minute access tokens and rotating refresh tokens.",
    "Tracked in SEC-1234; owner alice@example.com, due 2027-01-31.",
    "commit 3f2a9c1d4b5e6f708192a3b4c5d6e7f8091a2b3c",
    hashlib.sha256(b"x").hexdigest(),
    "services/billing/authentication/OAuthCallbackHandlerV2.py",
    "https://github.com/acme/shop",
    "RefreshTokenRotationWithReuseDetection",
]


@pytest.mark.parametrize("text", SECRETS)
def test_refused(text):
    assert find_secret(text) is not None


@pytest.mark.parametrize("text", CLEAN)
def test_allowed(text):
    assert find_secret(text) is None
