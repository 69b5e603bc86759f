"""Whether to believe an attestation: OpenSSH signatures, allowed signers, signing, ``verify``
(checks, codes, report) and the CI gate ``check``. A new failure code goes in ``codes``.
"""
