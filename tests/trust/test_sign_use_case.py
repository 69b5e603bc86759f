"""``wizard.trust.sign.sign``, the use case behind ``authready sign``, called as a front-end calls it."""

from __future__ import annotations

import pytest

from tests.helpers.signing import keypair, make_signed
from wizard.infra.errors import InputError, SigningError
from wizard.trust.sign import sign


@pytest.fixture
def unsigned(git_repo, tmp_path):
    return make_signed(git_repo, tmp_path, sign=())


def test_signed_says_who_signed_and_who_is_still_needed(unsigned):
    warnings: list[str] = []
    done = sign(unsigned.att, key=unsigned.alice, principal="alice@example.com", warn=warnings.append)
    assert done.sig == unsigned.att.parent / "billing.toml.alice@example.com.sig" and done.sig.is_file()
    assert (done.principal, done.key_source) == ("alice@example.com", "--key")
    assert done.have == ("alice@example.com",) and done.required == 2
    assert done.still_needed == ["bob@example.com"]
    assert done.progress() == "1 of 2 required signatures; still needed: 1 more from bob@example.com"
    assert not done.line_ends_at_risk and warnings == []
    done = sign(unsigned.att, key=unsigned.bob)  # the principal comes from allowed_signers
    assert done.principal == "bob@example.com" and done.still_needed == []
    assert done.progress() == "2 of 2 required signatures: complete; commit the attestation and its signatures"


def test_failures_are_typed_and_write_nothing(unsigned):
    carol = keypair(unsigned.keys, "carol")
    with pytest.raises(SigningError, match="no key can sign"):
        sign(unsigned.att, key=carol)
    with pytest.raises(InputError, match="is not a reviewer listed"):
        sign(unsigned.att, key=unsigned.alice, principal="carol@example.com")
    sign(unsigned.att, key=unsigned.alice, principal="alice@example.com")
    with pytest.raises(SigningError, match="already signed by alice@example.com"):
        sign(unsigned.att, key=unsigned.alice, principal="alice@example.com")
    assert [p.name for p in unsigned.att.parent.glob("*.sig")] == ["billing.toml.alice@example.com.sig"]


def test_warnings_go_to_the_callback(unsigned):
    """Without allowed_signers the new signature cannot be checked: said, not fatal; a missing -text rule too."""
    unsigned.allowed.unlink()
    (unsigned.repo / ".gitattributes").write_text("")
    warnings: list[str] = []
    done = sign(unsigned.att, key=unsigned.alice, principal="alice@example.com", warn=warnings.append)
    assert done.sig.is_file() and done.line_ends_at_risk
    assert len(warnings) == 1 and warnings[0].startswith("cannot check the new signature: ")
