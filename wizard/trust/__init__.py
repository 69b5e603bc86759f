"""Whether to believe an attestation: OpenSSH signatures (``ssh``), allowed signers, signing
(``signer`` finds the key, ``sign`` is the use case), ``verify`` (orchestrating ``checks_signatures``,
``checks_subject``, ``checks_policy`` and ``checks_conditions`` into a ``report``) and the CI gate (``gate``). A new failure
code goes in ``codes``; how a report is shown goes in ``wizard.render``.
"""
