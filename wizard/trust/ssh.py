"""OpenSSH signatures through ``ssh-keygen -Y``: sign, find-principals, verify.

Every signature operation is OpenSSH's own (audited code, the keys people
already have, the machinery git uses for SSH-signed commits); this module
never parses a signature or does any crypto. It only runs ``ssh-keygen``,
feeds it the exact bytes, and turns its exit status (which decides) and its
stderr (which only explains) into one clear line.

Signature files sit beside the attestation, one per signer, named
``<attestation>.<principal>.sig``. The principal in the name is a *claim*:
``verify -I <principal>`` checks it against allowed_signers, so a wrong name
simply fails. It lets ``check`` verify with one ``ssh-keygen`` call per
signature instead of two. A plain ``<attestation>.sig`` (made with bare
``ssh-keygen -Y sign``) works too: its principal is found with
``find-principals`` first.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from wizard.infra.errors import SigningError
from wizard.trust.codes import Code

NAMESPACE = "authready-attestation-v1"
_GOOD_RE = re.compile(r'^Good "[^"]*" signature for (.+) with (\S+) key (SHA256:\S+)\s*$', re.M)


_KEYGEN: dict[str, str | None] = {}


def keygen() -> str:
    """Path of ``ssh-keygen`` (looked up once per PATH), or a one-line error saying what to install."""
    path_env = os.environ.get("PATH", "")
    if path_env not in _KEYGEN:
        _KEYGEN[path_env] = shutil.which("ssh-keygen")
    exe = _KEYGEN[path_env]
    if not exe:
        raise SigningError(
            "ssh-keygen not found on PATH; install OpenSSH >= 8.9 (Debian/Ubuntu: apt-get install openssh-client)"
        )
    return exe


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run([keygen(), *args], input=data, capture_output=True, stdin=None if data is not None else subprocess.DEVNULL)
    except OSError as exc:
        raise SigningError(f"cannot run ssh-keygen: {exc.strerror}") from None


_PIPE_SAFE = 32 * 1024  # well under Linux's 64 KiB pipe buffer: the write cannot block


def _run_merged(args: list[str], data: bytes) -> tuple[int, bytes]:
    """Run ssh-keygen with ``data`` on stdin; returns (exit status, stdout+stderr).

    The hot path of ``check`` (one call per signature): a small input is
    written whole into the pipe and the single output pipe read to EOF,
    which costs less than ``communicate``'s poll loop over three pipes.
    """
    if len(data) > _PIPE_SAFE:
        proc = _run(args, data)
        return proc.returncode, proc.stdout + proc.stderr
    try:
        p = subprocess.Popen([keygen(), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as exc:
        raise SigningError(f"cannot run ssh-keygen: {exc.strerror}") from None
    stdin, stdout = p.stdin, p.stdout
    assert stdin is not None and stdout is not None  # both are PIPE
    try:
        stdin.write(data)
    except BrokenPipeError:  # ssh-keygen gave up before reading (e.g. an unreadable signature)
        pass
    finally:
        try:
            stdin.close()
        except BrokenPipeError:
            pass
    out = stdout.read()
    stdout.close()
    return p.wait(), out


def _last_line(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    # Without a terminal the prompt and the error share a line ("Enter passphrase: Load key ...: incorrect
    # passphrase ..."): drop the prompt, keep the error.
    lines = [ln[len("Enter passphrase:"):].strip() if ln.startswith("Enter passphrase:") else ln for ln in lines]
    noise = ("Signing data on standard input", "Could not verify signature.")
    lines = [ln for ln in lines if ln and not ln.startswith(noise)]
    return lines[-1] if lines else ""


def _needs_passphrase(key: Path) -> bool:
    """Whether a private key file is encrypted (an empty passphrase does not open it)."""
    if key.suffix == ".pub":
        return False
    proc = _run(["-y", "-P", "", "-f", str(key)])
    return proc.returncode != 0 and b"passphrase" in proc.stderr


def _old_openssh(stderr: bytes) -> bool:
    text = stderr.decode("utf-8", "replace")
    return "unknown option -- Y" in text or "illegal option -- Y" in text or "Unsupported operation" in text


# -- sign -----------------------------------------------------------------------------------------


def sign_bytes(data: bytes, key: Path) -> bytes:
    """An armored SSH signature of ``data`` under the attestation namespace.

    A ``.pub`` key signs through ssh-agent (agent-held and hardware keys); a
    passphrase prompt goes to the terminal (``ssh-keygen`` opens ``/dev/tty``).
    """
    if not key.exists():
        raise SigningError("signing key not found; pass --key PATH or set `git config user.signingkey`", path=key)
    proc = _run(["-Y", "sign", "-n", NAMESPACE, "-f", str(key)], data)
    if proc.returncode != 0 or not proc.stdout.startswith(b"-----BEGIN SSH SIGNATURE-----"):
        if _old_openssh(proc.stderr):
            raise SigningError("ssh-keygen is too old for -Y sign; install OpenSSH >= 8.9")
        why = _last_line(proc.stderr)
        if "passphrase" in why or (not why and _needs_passphrase(key)):
            raise SigningError(
                "ssh-keygen could not sign: the key needs a passphrase and none could be typed (no terminal, or a "
                "wrong one); run it in a terminal, or `ssh-add` the key to ssh-agent and pass --key with its .pub",
                path=key,
            )
        why = why or f"ssh-keygen exited {proc.returncode}"
        hint = ""
        if "agent" in why.lower():
            hint = " (start ssh-agent and `ssh-add` the key, or pass the private key with --key)"
        raise SigningError(f"ssh-keygen could not sign: {why}{hint}", path=key)
    signature: bytes = proc.stdout
    return signature


# -- verify ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigResult:
    """What OpenSSH said about one signature file.

    ``ok`` comes only from ``ssh-keygen -Y verify``'s exit status; ``code``
    and ``message`` explain a failure (stable code for JSON, a line for people).
    """

    sig: Path
    ok: bool
    principal: str | None = None
    fingerprint: str | None = None
    code: Code | None = None
    message: str = ""


def find_principals(sig: Path, allowed: Path) -> tuple[list[str], str]:
    """Principals allowed_signers lists for the signature's key (and ssh-keygen's reason when none)."""
    proc = _run(["-Y", "find-principals", "-f", str(allowed), "-s", str(sig)])
    if proc.returncode == 0:
        return [p for p in proc.stdout.decode("utf-8", "replace").split() if p], ""
    return [], _last_line(proc.stderr)


def _verify(data: bytes, sig: Path, allowed: Path, principal: str, revoked: Path | None) -> tuple[int, bytes]:
    args = ["-Y", "verify", "-f", str(allowed), "-I", principal, "-n", NAMESPACE, "-s", str(sig)]
    if revoked is not None:
        args += ["-r", str(revoked)]
    return _run_merged(args, data)


def verify_signature(
    data: bytes, sig: Path, allowed: Path, principal: str | None = None, revoked: Path | None = None
) -> SigResult:
    """Verify one signature of ``data`` at the current time.

    With ``principal`` (the claim in the file name) this is one ``verify``
    call; without, ``find-principals`` names the candidates first. Only when
    verification fails are extra calls made, to say why.
    """
    if principal is None:
        candidates, why = find_principals(sig, allowed)
        if not candidates:
            return _explain_unlisted(sig, why)
    else:
        candidates = [principal]
    rc, out = 255, b""
    for cand in candidates:
        rc, out = _verify(data, sig, allowed, cand, revoked)
        if rc == 0:
            m = _GOOD_RE.search(out.decode("utf-8", "replace"))
            fp = m.group(3) if m else None
            return SigResult(sig, True, principal=cand, fingerprint=fp)
    return _explain(data, sig, allowed, principal, candidates, revoked, out)


def _explain_unlisted(sig: Path, why: str) -> SigResult:
    if "parse" in why or "armor" in why or "header" in why:
        return SigResult(sig, False, code=Code.MALFORMED_SIGNATURE, message=f"not an SSH signature ({why})")
    if "expired" in why or "not yet valid" in why:
        return _validity(sig, None, why)
    return SigResult(
        sig,
        False,
        code=Code.UNKNOWN_SIGNER,
        message="signed by a key that is not in allowed_signers; ask a maintainer to add the signer's public key",
    )


def _validity(sig: Path, principal: str | None, why: str) -> SigResult:
    who = f"{principal}'s key" if principal else "the signing key"
    if "expired" in why:
        return SigResult(sig, False, principal=principal, code=Code.KEY_EXPIRED,
                         message=f"{who} is no longer valid (valid-before in allowed_signers): {why}")
    return SigResult(sig, False, principal=principal, code=Code.KEY_NOT_YET_VALID,
                     message=f"{who} is not valid yet (valid-after in allowed_signers): {why}")


def _has_crlf(sig: Path) -> bool:
    try:
        with open(sig, "rb") as fh:  # already checked: a regular file of at most 1 MiB
            return b"\r\n" in fh.read(1 << 20)
    except OSError:
        return False


def _explain(
    data: bytes, sig: Path, allowed: Path, principal: str | None, candidates: list[str], revoked: Path | None, output: bytes
) -> SigResult:
    """Why ``verify`` failed: extra ssh-keygen calls that only explain, never accept."""
    why = _last_line(output)
    err = output.decode("utf-8", "replace")
    who = principal or ", ".join(candidates)
    if "parse signature" in err or "armor" in err or "missing header" in err:
        msg = f"not an SSH signature ({why})"
        if _has_crlf(sig):
            msg = ("signature file has CRLF line ends (a Windows checkout?); add `.authready/** -text` to "
                   "`.gitattributes` (`authready init` does) and check the file out again")
        return SigResult(sig, False, code=Code.MALFORMED_SIGNATURE, message=msg)
    if "namespace does not match" in err:
        return SigResult(sig, False, principal=principal, code=Code.WRONG_NAMESPACE,
                         message=f"signed under another namespace, not {NAMESPACE!r} (a git or file signature?); sign with `authready sign`")
    if "expired" in err or "not yet valid" in err:
        line = next((ln for ln in err.splitlines() if "expired" in ln or "not yet valid" in ln), why)
        return _validity(sig, principal or (candidates[0] if candidates else None), line.strip())
    if "incorrect signature" in err:
        msg = "signature does not match the file's bytes: the attestation changed after it was signed"
        if b"\r\n" in data:
            msg = ("signature does not match: the file has CRLF line ends (a Windows checkout?); "
                   "add `.authready/** -text` to .gitattributes (`authready init`) and check the file out again")
        return SigResult(sig, False, principal=principal, code=Code.BAD_SIGNATURE, message=msg)
    if revoked is not None:
        again, _ = _verify(data, sig, allowed, candidates[0], None)
        if again == 0:
            # ssh-keygen fails the same way for a listed key and for a file it cannot read: probe which.
            if not revoked_file_usable(revoked):
                return SigResult(sig, False, principal=candidates[0], code=Code.REVOKED_KEYS_UNUSABLE,
                                 message=f"ssh-keygen cannot use the revoked-keys file {revoked} (not a KRL or a list of "
                                         "public keys), so no signature can be checked against it; fix or replace that file")
            return SigResult(sig, False, principal=candidates[0], code=Code.KEY_REVOKED,
                             message=f"{candidates[0]}'s key is listed in the revoked-keys file {revoked}")
    if principal is not None:
        found, fwhy = find_principals(sig, allowed)
        if not found:
            return _explain_unlisted(sig, fwhy)
        if principal not in found:
            return SigResult(sig, False, code=Code.WRONG_PRINCIPAL,
                             message=f"file name says {principal}, but allowed_signers lists this key for {', '.join(found)}")
    return SigResult(sig, False, principal=principal, code=Code.BAD_SIGNATURE,
                     message=f"ssh-keygen could not verify the signature as {who}: {why or 'no reason given'}")


# -- the revoked-keys file ----------------------------------------------------------------------

_REVOKED_USABLE: dict[tuple[str, int, int], bool] = {}
_REVOKED_LOCK = threading.Lock()


def revoked_file_usable(revoked: Path) -> bool:
    """Whether ssh-keygen can use ``revoked``: a fresh throw-away key, surely not listed, must verify against it.

    Only asked after a verification failed (never on the passing path); the
    answer is kept per file version, and one thread probes at a time.
    """
    try:
        st = revoked.stat()
    except OSError:
        return False
    key = (str(revoked), st.st_size, st.st_mtime_ns)
    with _REVOKED_LOCK:
        if key not in _REVOKED_USABLE:
            _REVOKED_USABLE[key] = _probe_revoked(revoked)
        return _REVOKED_USABLE[key]


def _probe_revoked(revoked: Path) -> bool:
    with tempfile.TemporaryDirectory(prefix="authready-probe-") as tmp:
        k = Path(tmp) / "probe"
        if _run(["-q", "-t", "ed25519", "-N", "", "-C", "authready-probe", "-f", str(k)]).returncode != 0:
            return True  # cannot tell: keep the plain "revoked" reading
        data = b"authready revoked-keys probe\n"
        proc = _run(["-Y", "sign", "-n", NAMESPACE, "-f", str(k)], data)
        if proc.returncode != 0:
            return True
        sig = Path(tmp) / "probe.sig"
        sig.write_bytes(proc.stdout)
        allowed = Path(tmp) / "allowed"
        pub = " ".join(Path(f"{k}.pub").read_text().split()[:2])
        allowed.write_text(f"probe@authready {pub}\n")
        rc, _ = _verify(data, sig, allowed, "probe@authready", revoked)
        return rc == 0
