"""Every failure code ``verify`` and ``check`` can report, with a one-line description.

The values are a public interface: JSON (``problems[].code``), SARIF rule ids, GitHub annotation
titles, JUnit failure types and the ``[code]`` at the end of each text line all carry them, and
CI scripts match on them. So a value never changes; a new kind of failure gets a new member here
(and its description becomes the SARIF rule text).

Two lower layers report codes as plain strings, because they cannot import this module (imports
only run down): ``wizard.infra.files.FileRefused.code`` (``unreadable``, ``not-a-file``,
``too-large``) and ``wizard.attestation.model.recorded_text_problem`` (``answers-duplicate``,
``answer-text-mismatch``). ``verify`` turns them into members with ``Code(text)``, which fails
loudly for a string that is not one.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """A stable failure code; ``str(code)`` is its value and ``code.description`` says what it means."""

    description: str

    def __new__(cls, value: str, description: str = "") -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    # -- the signature files (OpenSSH decides; these say why it refused) -------------------------
    BAD_SIGNATURE = "bad-signature", "A signature does not verify: the attestation's bytes changed after it was signed."
    MALFORMED_SIGNATURE = "malformed-signature", "A signature file is not an SSH signature (damaged, or CRLF line ends)."
    WRONG_NAMESPACE = "wrong-namespace", "A signature was made for another purpose (a git or file signature), not for attestations."
    UNKNOWN_SIGNER = "unknown-signer", "The signing key is not listed in allowed_signers."
    WRONG_PRINCIPAL = "wrong-principal", "The signature file's name claims a signer that allowed_signers does not list for its key."
    KEY_EXPIRED = "key-expired", "The signing key's validity in allowed_signers (valid-before) has ended."
    KEY_NOT_YET_VALID = "key-not-yet-valid", "The signing key is not valid yet (valid-after in allowed_signers)."
    KEY_REVOKED = "key-revoked", "The signing key is listed in the revoked-keys file."
    REVOKED_KEYS_UNUSABLE = "revoked-keys-unusable", "ssh-keygen cannot use the revoked-keys file, so no signature can be checked."

    # -- reading files a change controls ---------------------------------------------------------
    UNREADABLE = "unreadable", "A file is missing, is a folder, or cannot be read."
    NOT_A_FILE = "not-a-file", "A file is a symlink or a special file; only regular files are read."
    TOO_LARGE = "too-large", "A file is larger than any genuine file of its kind."

    # -- the attestation itself ------------------------------------------------------------------
    SCHEMA = "schema", "The file is not a valid attestation (TOML, schema or encoding)."
    NAME_MISMATCH = "name-mismatch", "The file name is not the one its component's attestation must have."
    ANSWERS_DUPLICATE = "answers-duplicate", "The attestation answers one question more than once."
    ANSWER_TEXT_MISMATCH = "answer-text-mismatch", "A recorded question or answer text is not the policy's text for it."

    # -- the repo and the code it covers ---------------------------------------------------------
    NOT_IN_REPO = "not-in-repo", "The attestation is not inside a git repo, so its repo binding cannot be checked."
    REPO_UNBOUND = "repo-unbound", "The attestation records no root commit (it was reviewed outside git)."
    SHALLOW_CLONE = "shallow-clone", "The clone is shallow, so the repo's root commit is unknown."
    REPO_MISMATCH = "repo-mismatch", "The attestation was recorded for another repo (another root commit)."
    NO_SUBJECT = "no-subject", "The attestation names no subject paths, so it covers no code."
    CODE_UNBOUND = "code-unbound", "A subject path has no recorded git object."
    PATH_MISSING = "path-missing", "A subject path is not in the commit checked (or there is no commit)."
    PATH_INVALID = "path-invalid", "A subject path is not a plain repo-relative path."
    SUBJECT_SYMLINK = "subject-symlink", "A subject path is (or passes through) a symlink or a submodule in the commit."
    CODE_CHANGED = "code-changed", "The committed code under a subject path changed since the review."

    # -- the trusted base's attestations ---------------------------------------------------------
    SUPERSEDES_MISMATCH = "supersedes-mismatch", "The file differs from the base's attestation but does not supersede it."
    NOT_NEWER = "not-newer", "A replacement of the base's attestation is not a later review."
    ATTESTATION_REMOVED = "attestation-removed", "An attestation the base has is gone from the change."

    # -- the policy it was judged by -------------------------------------------------------------
    POLICY_UNTRUSTED = "policy-untrusted", "A repo-local policy tree is not at the trust ref (a change cannot bring its own policy)."
    POLICY_MISSING = "policy-missing", "The policy tree the attestation was judged by cannot be loaded."
    POLICY_ID_TAKEN = "policy-id-taken", "A repo-local policy tree uses the id of an installed tree (shipped or from a package), so it cannot pass as that policy."
    POLICY_MISMATCH = "policy-mismatch", "The policy tree now has another id than the attestation names."
    POLICY_UNPINNED = "policy-unpinned", "The policy tree the attestation was judged by is not one the repo's pins allow (.authready/policies.toml, --policy)."
    POLICY_STALE = "policy-stale", "The policy changed under questions the review answered."
    POLICY_QUESTION_ADDED = "policy-question-added", "The policy now asks a question on the review's path that the review did not answer."
    VERDICT_CHANGED = "verdict-changed", "The answers no longer give the recorded verdict under the current policy."
    VERDICT_MISMATCH = "verdict-mismatch", "The recorded verdict does not follow from the recorded answers."
    ANSWERS_OFF_PATH = "answers-off-path", "The attestation records answers to questions its decided path does not ask."

    # -- time ------------------------------------------------------------------------------------
    DATE_OUT_OF_RANGE = "date-out-of-range", "A review date plus the policy's lifetime is past year 9999."
    EXPIRY_TOO_LONG = "expiry-too-long", "expires_at is later than the policy allows for the verdict."
    REVIEWED_IN_FUTURE = "reviewed-in-future", "reviewed_at is in the future."
    EXPIRED = "expired", "The attestation has expired."
    EXPIRING_SOON = "expiring-soon", "The attestation expires within the window asked for (check --expiring-within)."
    CONDITION_OVERDUE = "condition-overdue", "A warning the attestation ships on condition is past its due date."

    # -- what the gate requires ------------------------------------------------------------------
    OUTCOME_BELOW_REQUIRED = "outcome-below-required", "The verdict is below the least verdict the gate requires (--require)."
    NOT_SIGNED = "not-signed", "The attestation has no signatures."
    NOT_REVIEWER = "not-reviewer", "A signer may sign but is not a reviewer the attestation lists."
    DUPLICATE_SIGNER = "duplicate-signer", "The same signer (principal or key) signed more than once; it counts once."
    TOO_FEW_SIGNERS = "too-few-signers", "Fewer distinct listed reviewers signed than the verdict requires."


SIGNATURE_CODES = frozenset({
    Code.BAD_SIGNATURE, Code.MALFORMED_SIGNATURE, Code.WRONG_NAMESPACE, Code.UNKNOWN_SIGNER, Code.WRONG_PRINCIPAL,
    Code.KEY_EXPIRED, Code.KEY_NOT_YET_VALID, Code.KEY_REVOKED, Code.REVOKED_KEYS_UNUSABLE,
})
"""What OpenSSH says about a signature: listed first in a report (a failed signature is the news)."""
