"""Commands for signed attestations and the CI gate (init, sign, verify, check, export).

Registered into the main parser by ``wizard.cli.main``; handlers import their
modules lazily, and none of them imports a UI library (``check`` runs in CI).
Exit codes: 0 pass, 1 a check failed, 2 bad usage or input (see ``wizard.infra.errors``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from wizard.infra.errors import EXIT_FAILED, EXIT_OK, AuthreadyError

REQUIRE = ("go", "conditional", "prototype")


def register(sub) -> None:
    """Add the signing commands to the ``authready`` subparsers."""
    i = sub.add_parser("init", help="prepare the repo: .authready/allowed_signers and a .gitattributes rule")
    i.set_defaults(handler=cmd_init)

    s = sub.add_parser("sign", help="sign an attestation with your SSH key (one .sig file per signer)")
    s.add_argument("attestation", type=Path)
    s.add_argument("--key", type=Path, metavar="PATH", help="SSH key (a .pub signs through ssh-agent); default: git config user.signingkey, then ssh-agent keys listed in allowed_signers, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa")
    s.add_argument("--principal", metavar="NAME", help="your name in allowed_signers (default: the name allowed_signers gives the key)")
    s.set_defaults(handler=cmd_sign)

    v = sub.add_parser("verify", help="verify one attestation: signatures, repo, expiry, code, policy, signers")
    v.add_argument("attestation", type=Path)
    _signer_options(v)
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.set_defaults(handler=cmd_verify)

    c = sub.add_parser("check", help="the CI gate: verify every attestation in the repo (exit 0 all pass, 1 some fail, 2 bad input)")
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="attestation files or folders (default: the whole repo)")
    c.add_argument("--require", choices=REQUIRE, help="the least verdict that passes (default: anything but NO-GO)")
    _signer_options(c)
    c.add_argument("--format", choices=("text", "json", "github", "sarif", "junit"), default="text",
                   help="github: workflow annotations (::error file=...::) on the pull request's files; "
                        "sarif: SARIF 2.1.0 for code-scanning dashboards; junit: JUnit XML for other CI systems")
    c.add_argument("--expiring-within", type=_days, metavar="DAYS",
                   help="report attestations that expire within DAYS (e.g. 30 or 30d); with --fail-expiring they fail")
    c.add_argument("--fail-expiring", action="store_true", help="fail attestations that expire within --expiring-within")
    c.set_defaults(handler=cmd_check)

    inv = sub.add_parser("inventory", help="verify every attestation in many repo checkouts and report them together")
    inv.add_argument("repos", nargs="+", type=Path, metavar="PATH",
                     help="repo folders, or a file listing them (one per line)")
    inv.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    inv.add_argument("--out", type=Path, metavar="FILE", help="write the report here (never over an existing file)")
    inv.set_defaults(handler=cmd_inventory)

    e = sub.add_parser("export", help="export an attestation for supply-chain tooling (in-toto Statement v1)")
    e.add_argument("attestation", type=Path)
    e.add_argument("--format", choices=("in-toto",), default="in-toto")
    e.add_argument("--out", type=Path, metavar="PATH", help="write here instead of stdout")
    e.set_defaults(handler=cmd_export)


def _days(text: str) -> int:
    """``30`` or ``30d`` -> 30 (argparse type)."""
    import argparse

    s = text.strip().lower().removesuffix("d")
    if not s.isdigit() or not 0 < int(s) <= 3650:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days like 30 or 30d (1-3650)")
    return int(s)


def _signer_options(p) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--allowed-signers", type=Path, metavar="FILE", help="default: .authready/allowed_signers, else git's gpg.ssh.allowedSignersFile")
    g.add_argument("--allowed-signers-ref", metavar="REF", help="read .authready/allowed_signers (and revoked_keys) from this git ref, e.g. refs/remotes/origin/main (one full ref: a tag cannot shadow it)")
    p.add_argument("--revoked-keys", type=Path, metavar="FILE", help="OpenSSH revoked-keys file or KRL (default: .authready/revoked_keys if present)")


def _trust(args, root: Path | None):
    """The trust ref resolved to one full ref name and its commit, or None when none was given.

    ``is not None``, not truthiness: an empty value (an unset CI variable) must fail, never mean "no ref".
    """
    if args.allowed_signers_ref is None:
        return None
    from wizard.infra.git import resolve_trust_ref

    if root is None:
        raise AuthreadyError("--allowed-signers-ref needs a git repo")
    if args.revoked_keys:
        raise AuthreadyError("--revoked-keys and --allowed-signers-ref do not go together (revoked_keys is read from the ref)")
    return resolve_trust_ref(root, args.allowed_signers_ref)


def _signers(args, root: Path | None, trust=None):
    from wizard.trust.allowed_signers import from_ref, locate

    if trust is not None:
        return from_ref(root, trust)
    return locate(root, args.allowed_signers, args.revoked_keys)


def _warnings(signers) -> list[str]:
    from wizard.trust.allowed_signers import lint_file

    name = signers.source
    return lint_file(signers.allowed, name)


def _trust_note(args, signers) -> str | None:
    """Without a trust ref, say where the trusted inputs came from: files a change can edit."""
    if args.allowed_signers_ref is not None:
        return None
    return (
        f"allowed signers were read from {signers.source} and repo-local policy trees from the working tree, "
        "which a change can edit; a CI gate must pass --allowed-signers-ref BASE (e.g. refs/remotes/origin/main)"
    )


def _print_trust(args, note: str | None) -> None:
    """The trust note (text output) and, when ``CI`` is set without a trust ref, a warning (always, on stderr)."""
    import os

    if os.environ.get("CI") and args.allowed_signers_ref is None:
        print(
            "authready: warning: CI is set but --allowed-signers-ref was not given: the change's own allowed_signers, "
            "revoked_keys and policy trees are trusted; pass --allowed-signers-ref refs/remotes/origin/<base branch>",
            file=sys.stderr,
        )
    elif note and args.format != "json":
        print(f"authready: note: {note}", file=sys.stderr)


def _need_git_repo() -> Path:
    from wizard.infra.git import repo_root

    root = repo_root()
    if root is None:
        raise AuthreadyError("not inside a git repo; run this in the repo that holds the attestations")
    return root


# -- init -----------------------------------------------------------------------------------------


def cmd_init(args) -> int:
    from wizard.trust.repo_setup import GUIDE, init

    root = _need_git_repo()
    for line in init(root):
        print(line)
    print()
    print(GUIDE, end="")
    return EXIT_OK


# -- sign -----------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    """An attestation's bytes: a regular file (no symlink, device or FIFO) of at most 1 MiB."""
    from wizard.infra.files import read_regular

    return read_regular(path, "an attestation file")


def _listed_keys(root: Path | None) -> dict[str, list[str]]:
    """allowed_signers' keys -> principals ({} when there is no readable file: sign then trusts --principal)."""
    from wizard.trust.allowed_signers import locate
    from wizard.trust.signer import signers_by_key

    try:
        with locate(root) as signers:
            return signers_by_key(signers.allowed.read_text(encoding="utf-8", errors="replace"))
    except AuthreadyError:
        return {}


def _signed_by(path: Path) -> set[str]:
    """Principals whose signature files are beside the attestation (by name; verify decides if they hold)."""
    from wizard.trust.ssh import principal_from_name, signature_files

    return {p for p in (principal_from_name(path, s) for s in signature_files(path)) if p}


def cmd_sign(args) -> int:
    import tempfile
    from datetime import datetime, timezone

    from wizard.attestation.model import load, parse_timestamp
    from wizard.infra.git import repo_root, user_email
    from wizard.trust.signer import candidates, choose
    from wizard.trust.ssh import keygen, sign_bytes, signature_path
    from wizard.infra.tomlio import write_atomic

    path: Path = args.attestation
    data = _read_bytes(path)
    if b"\r" in data:
        raise AuthreadyError(
            "has CRLF line ends (a Windows checkout?); add `.authready/** -text` to .gitattributes (`authready init`) and check it out again",
            path=path,
        )
    att, _ = load(path)
    if parse_timestamp(att.review.expires_at) <= datetime.now(timezone.utc):
        raise AuthreadyError(f"expired at {att.review.expires_at}; re-review before signing: authready review --from {path}", path=path)
    root = repo_root(path.resolve().parent)
    reviewers = list(att.review.reviewers)
    if args.principal is not None:
        signature_path(path, args.principal)  # refuses a name that cannot name a file
    if args.principal is not None and args.principal not in reviewers:
        raise AuthreadyError(f"{args.principal} is not a reviewer listed in the attestation ({', '.join(reviewers)}); "
                             "sign as one of them (--principal)", path=path)
    signed = _signed_by(path)
    if args.principal is not None and args.principal in signed:
        raise AuthreadyError(f"already signed by {args.principal}; delete it to sign again (other signers' files are "
                             "never overwritten)", path=signature_path(path, args.principal))
    listed = _listed_keys(root)
    keygen()
    with tempfile.TemporaryDirectory(prefix="authready-sign-") as tmp:
        keys = candidates(root, Path(tmp), args.key, listed)
        choice = choose(keys, listed, reviewers, signed, args.principal, user_email(root))
        sig = signature_path(path, choice.principal)
        if sig.exists():
            raise AuthreadyError(f"already signed by {choice.principal}; delete it to sign again (other signers' files "
                                 "are never overwritten)", path=sig)
        armored = sign_bytes(data, choice.key)
        _check_new_signature(path, Path(tmp), armored, data, choice.principal, root)
    if _read_bytes(path) != data:
        raise AuthreadyError("changed while it was being signed; sign again", path=path)
    write_atomic(sig, armored, overwrite=False)
    print(sig)
    print(f"signed as {choice.principal} with the key from {choice.source}")
    have = sorted((signed | {choice.principal}) & set(reviewers))
    need = att.verdict.required_signers
    if len(have) < need:
        still = [r for r in reviewers if r not in have]
        print(f"{len(have)} of {need} required signatures; still needed: {need - len(have)} more from {', '.join(still)}")
    else:
        print(f"{len(have)} of {need} required signatures: complete; commit the attestation and its signatures")
    _after_sign(path, root)
    return EXIT_OK


def _check_new_signature(path: Path, tmp: Path, armored: bytes, data: bytes, principal: str, root: Path | None) -> None:
    """Refuse a signature whose key allowed_signers does not list for ``principal`` (nothing is written);
    warn when it fails for another reason (an expired or revoked key) or cannot be checked."""
    from wizard.trust.allowed_signers import locate
    from wizard.trust.ssh import verify_signature

    trial = tmp / "new.sig"
    trial.write_bytes(armored)
    try:
        with locate(root) as signers:
            res = verify_signature(data, trial, signers.allowed, principal, signers.revoked)
            source = signers.source
    except AuthreadyError as exc:
        print(f"authready: warning: cannot check the new signature: {exc}", file=sys.stderr)
        return
    if res.ok:
        return
    if res.code in ("unknown-signer", "wrong-principal"):
        raise AuthreadyError(
            f"the key is not listed for {principal} in {source}; add it there first "
            "(see the comment at the top of .authready/allowed_signers), then sign; nothing was written",
            path=path,
        )
    print(f"authready: warning: {path}: the new signature does not verify against {source}: {res.message}", file=sys.stderr)


def _after_sign(path: Path, root: Path | None) -> None:
    """Warn (never fail) when git may not keep the bytes exact."""
    from wizard.trust.repo_setup import text_attr_unset

    if root is not None and not text_attr_unset(root, path):
        print(
            f"authready: warning: {path}: git may convert its line ends and break the signature; run `authready init` (adds `.authready/** -text`)",
            file=sys.stderr,
        )


# -- verify ---------------------------------------------------------------------------------------


def _print_report(r) -> None:
    from wizard.trust.gate import clean  # every field below may come from the attestation: escape control characters

    who = ", ".join(r.signers) if r.signers else "nobody"
    head = f"{r.label or '?'}"
    if r.component:
        head += f" ({r.component})"
    need = f" ({len(r.signers)} of {r.required_signers} required)" if r.required_signers else ""
    if r.ok:
        print(clean(f"PASS {r.display}: {head}, signed by {who}{need}, expires {r.expires_at}"))
    else:
        print(clean(f"FAIL {r.display}: {head}"))
        for p in r.problems:
            print(f"  {clean(p.line())}")
    for n in r.notes:
        print(f"  note: {clean(n)}")


def cmd_verify(args) -> int:
    import json
    import os

    from wizard.infra.git import repo_root
    from wizard.trust.ssh import keygen
    from wizard.trust.verify import Verifier

    path: Path = args.attestation
    if not os.path.lexists(path):
        raise AuthreadyError("no such file", path=path)
    if path.is_dir() and not path.is_symlink():
        raise AuthreadyError("is a folder, expected an attestation file", path=path)
    keygen()
    # The folder holding the path, not a symlink's target: the file itself is lstat-ed (and refused) by verify.
    root = repo_root(Path(os.path.abspath(path)).parent)
    trust = _trust(args, root)
    with _signers(args, root, trust) as signers:
        warnings = _warnings(signers)
        note = _trust_note(args, signers)
        (report,) = Verifier(signers, root, trust_ref=trust).run([path])
    if args.format == "json":
        doc = report.to_json() | {"allowed_signers": signers.source, "warnings": warnings,
                                  "policy_trees": trust.name if trust else "working tree", "trust_note": note}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for w in warnings:
            print(f"authready: warning: {w}", file=sys.stderr)
        _print_report(report)
    _print_trust(args, note)
    return EXIT_OK if report.ok else EXIT_FAILED


# -- check ----------------------------------------------------------------------------------------


def cmd_check(args) -> int:
    from wizard.trust.gate import mark_expiring, removed, render_github, render_json, render_text, targets
    from wizard.trust.ssh import keygen
    from wizard.trust.verify import Verifier

    root = _need_git_repo()
    keygen()
    trust = _trust(args, root)
    with _signers(args, root, trust) as signers:
        warnings = _warnings(signers)
        note = _trust_note(args, signers)
        files = targets(root, args.paths)
        # Without --require the gate still refuses NO-GO: the least passing verdict is PROTOTYPE ONLY.
        reports = Verifier(signers, root, require=args.require or "prototype", trust_ref=trust).run(files)
        if trust is not None:
            gone = removed(root, trust, reports, args.paths)
            if gone:
                reports = sorted(reports + gone, key=lambda r: r.display)
        if args.fail_expiring and args.expiring_within is None:
            raise AuthreadyError("--fail-expiring needs --expiring-within DAYS")
        if args.expiring_within is not None:
            mark_expiring(reports, args.expiring_within, fail=args.fail_expiring)
    if args.format == "json":
        sys.stdout.write(render_json(reports, warnings, signers.source, policy_trees=trust.name if trust else "working tree", trust_note=note))
    elif args.format == "github":
        sys.stdout.write(render_github(reports, warnings))
    elif args.format == "sarif":
        from wizard import __version__
        from wizard.render.ci import render_sarif

        sys.stdout.write(render_sarif(reports, __version__))
    elif args.format == "junit":
        from wizard.render.ci import render_junit

        sys.stdout.write(render_junit(reports))
    else:
        for w in warnings:
            print(f"authready: warning: {w}", file=sys.stderr)
        if reports:
            sys.stdout.write(render_text(reports, warnings))
    _print_trust(args, note)
    if not reports:
        where = ", ".join(str(p) for p in args.paths) or str(root)
        msg = f"no attestations found in {where}; record one with `authready review`"
        if args.require:
            print(f"authready: {msg} (--require {args.require} needs at least one)", file=sys.stderr)
            return EXIT_FAILED
        print(f"authready: {msg}", file=sys.stderr)
        return EXIT_OK
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FAILED


# -- inventory ------------------------------------------------------------------------------------


def cmd_inventory(args) -> int:
    from datetime import datetime, timezone

    from wizard.trust import inventory
    from wizard.trust.ssh import keygen
    from wizard.infra.tomlio import write_atomic

    folders = inventory.repo_paths(args.repos)
    keygen()
    rows = inventory.collect(folders)
    if args.format == "html":
        text = inventory.render_html(rows, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    else:
        text = {"text": inventory.render_text, "markdown": inventory.render_markdown,
                "json": inventory.render_json}[args.format](rows)
    if args.out is not None:
        write_atomic(args.out, text.encode("utf-8"), overwrite=False)
        print(args.out)
    else:
        sys.stdout.write(text)
    return EXIT_OK if all(r.status == "pass" for r in rows) else EXIT_FAILED


# -- export ---------------------------------------------------------------------------------------


def cmd_export(args) -> int:
    from wizard.attestation.model import load
    from wizard.infra.git import repo_root
    from wizard.render.intoto import dumps, statement
    from wizard.infra.tomlio import write_atomic

    path: Path = args.attestation
    data = _read_bytes(path)
    att, _ = load(path)
    root = repo_root(path.resolve().parent)
    display = str(path)
    if root is not None:
        try:
            display = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    text = dumps(statement(path, display, data, att, root))
    if args.out is not None:
        write_atomic(args.out, text.encode("utf-8"), overwrite=False)  # never replaces a file (an attestation, a .sig)
        print(args.out)
    else:
        sys.stdout.write(text)
    return EXIT_OK
