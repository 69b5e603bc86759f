"""Every single-byte change of a signed attestation is rejected, at every position.

For each byte position of a compact (mini-tree) attestation, two different
single-byte changes are tried: the low bit flipped, checked against alice's
ed25519 signature, and the high bit flipped, checked against bob's ecdsa
signature. So every position is rejected under both key types: 2 x N
``ssh-keygen -Y verify`` calls, run on all cores (about 15 s on 2 cores).
Each must be rejected as ``bad-signature``. A sample also goes through the whole
``authready verify`` command, to see the message a user gets.
"""

from __future__ import annotations

import os
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers.signing import ATT, codes, verify_json
from wizard.trust.ssh import verify_signature

MASKS = {0x01: "alice", 0x80: "bob"}

pytestmark = pytest.mark.slow



def _mutants(data: bytes):
    for i in range(len(data)):
        for mask, who in MASKS.items():
            yield i, mask, who, data[:i] + bytes([data[i] ^ mask]) + data[i + 1 :]


def test_every_single_byte_change_is_rejected(signed):
    data = signed.att.read_bytes()
    assert 1000 < len(data) < 2500, len(data)  # compact on purpose: 4 calls per byte
    allowed = signed.allowed
    sigs = {who: (signed.repo / f"{ATT}.{who}@example.com.sig", f"{who}@example.com") for who in MASKS.values()}
    for sig, principal in sigs.values():  # the unchanged file verifies, so a rejection below is the change's doing
        assert verify_signature(data, sig, allowed, principal).ok

    def check(job):
        i, mask, who, mutated = job
        assert mutated != data and len(mutated) == len(data)
        sig, principal = sigs[who]
        res = verify_signature(mutated, sig, allowed, principal)
        return (i, mask, None if not res.ok and res.code == "bad-signature" else (who, res.ok, res.code))

    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 2)) as pool:
        results = list(pool.map(check, _mutants(data)))
    checked = len(results)
    assert {(i, mask) for i, mask, _ in results} == {(i, m) for i in range(len(data)) for m in MASKS}  # all positions
    failures = [r for r in results if r[2] is not None]
    assert failures == [], f"{len(failures)} of {checked} changed copies were not rejected: {failures[:5]}"


def test_changed_bytes_through_the_command(signed, capsys):
    """The user-facing path: a sample of positions (first, last, and random ones) fails verify."""
    data = signed.att.read_bytes()
    rnd = random.Random(1234)
    positions = sorted({0, len(data) - 1, *rnd.sample(range(len(data)), 6)})
    for i in positions:
        signed.att.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :])
        rc, doc = verify_json(capsys)
        assert rc == 1, i
        assert "bad-signature" in codes(doc), (i, doc["problems"])
        assert "changed after it was signed" in doc["problems"][0]["message"]
    signed.att.write_bytes(data)
    assert verify_json(capsys)[0] == 0
