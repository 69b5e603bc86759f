"""Which key and principal `sign` uses: the rules, without running ssh-keygen."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.infra.errors import SigningError
from wizard.trust.signer import KeyCandidate, choose, signers_by_key

A = "ssh-ed25519 AAAAalice"
B = "ecdsa-sha2-nistp256 AAAAbob"
ALLOWED = f'''# comment
alice@example.com namespaces="authready-attestation-v1" {A} alice
"bob@example.com,robert@example.com" namespaces="authready-attestation-v1",valid-after="20260101" {B}
'''
REVIEWERS = ["alice@example.com", "bob@example.com"]


def key(public: str | None, name: str = "k") -> KeyCandidate:
    return KeyCandidate(Path(f"/keys/{name}"), public, f"~/.ssh/{name}")


def test_allowed_signers_names_keys():
    listed = signers_by_key(ALLOWED)
    assert listed == {A: ["alice@example.com"], B: ["bob@example.com", "robert@example.com"]}


def test_first_key_whose_reviewer_has_not_signed():
    listed = signers_by_key(ALLOWED)
    keys = [key(A, "id_ed25519"), key(B, "id_ecdsa")]
    assert choose(keys, listed, REVIEWERS, set(), None, None).principal == "alice@example.com"
    second = choose(keys, listed, REVIEWERS, {"alice@example.com"}, None, None)
    assert (second.principal, second.source) == ("bob@example.com", "~/.ssh/id_ecdsa")
    with pytest.raises(SigningError, match="signed already"):
        choose(keys, listed, REVIEWERS, {"alice@example.com", "bob@example.com"}, None, None)


def test_a_key_listed_for_several_reviewers_needs_the_principal():
    listed = signers_by_key(ALLOWED)
    reviewers = ["bob@example.com", "robert@example.com"]
    with pytest.raises(SigningError, match="several reviewers"):
        choose([key(B)], listed, reviewers, set(), None, None)
    assert choose([key(B)], listed, reviewers, set(), "robert@example.com", None).principal == "robert@example.com"


def test_refusals_say_why_per_key():
    listed = signers_by_key(ALLOWED)
    with pytest.raises(SigningError, match="not in allowed_signers"):
        choose([key("ssh-ed25519 AAAAstranger")], listed, REVIEWERS, set(), None, None)
    with pytest.raises(SigningError, match="not listed for bob@example.com"):
        choose([key(A)], listed, REVIEWERS, set(), "bob@example.com", None)
    with pytest.raises(SigningError, match="no signing key found"):
        choose([], listed, REVIEWERS, set(), None, None)


def test_without_allowed_signers_the_named_principal_or_git_email_signs():
    assert choose([key(A)], {}, REVIEWERS, set(), None, "bob@example.com").principal == "bob@example.com"
    with pytest.raises(SigningError, match="pass --principal"):
        choose([key(A)], {}, REVIEWERS, set(), None, "someone@example.com")
