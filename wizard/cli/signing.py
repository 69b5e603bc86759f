"""Commands for signed attestations and the CI gate (init, sign, verify, check, export).

Registered into the main parser by ``wizard.cli.main``. Each handler parses its arguments, calls
one use case (``wizard.trust``), prints what a renderer (``wizard.render``) made of the result
and returns the exit code; handlers import their modules lazily, and none of them imports a UI
library (``check`` runs in CI). Exit codes: 0 pass, 1 a check failed, 2 bad usage or input (see
``wizard.infra.errors``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import EXIT_FAILED, EXIT_OK, GitError, InputError

if TYPE_CHECKING:
    from wizard.trust.allowed_signers import Signers
    from wizard.trust.policy_pins import Pins
    from wizard.trust.trust_ref import TrustRef

REQUIRE = ("go", "conditional", "prototype")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    _policy_option(v)
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.set_defaults(handler=cmd_verify)

    c = sub.add_parser("check", help="the CI gate: verify every attestation in the repo (exit 0 all pass, 1 some fail, 2 bad input)")
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="attestation files or folders (default: the whole repo)")
    c.add_argument("--require", choices=REQUIRE, help="the least verdict that passes (default: anything but NO-GO)")
    _signer_options(c)
    _policy_option(c)
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
    s = text.strip().lower().removesuffix("d")
    if not s.isdigit() or not 0 < int(s) <= 3650:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days like 30 or 30d (1-3650)")
    return int(s)


def _signer_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--allowed-signers", type=Path, metavar="FILE", help="default: .authready/allowed_signers, else git's gpg.ssh.allowedSignersFile")
    g.add_argument("--allowed-signers-ref", metavar="REF", help="read .authready/allowed_signers (and revoked_keys) from this git ref, e.g. refs/remotes/origin/main (one full ref: a tag cannot shadow it)")
    p.add_argument("--revoked-keys", type=Path, metavar="FILE", help="OpenSSH revoked-keys file or KRL (default: .authready/revoked_keys if present)")


def _policy_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", action="append", default=[], metavar="SPEC",
                   help="allow only attestations judged by this tree (repeatable): ID, ID@VERSION, ID@>=1.2,<2 or ID@sha256:HEX; "
                        "must match besides .authready/policies.toml (read at --allowed-signers-ref when given)")


def _trust(args: argparse.Namespace, root: Path | None) -> TrustRef | None:
    """The trust ref resolved to one full ref name and its commit, or None when none was given.

    ``is not None``, not truthiness: an empty value (an unset CI variable) must fail, never mean "no ref".
    """
    if args.allowed_signers_ref is None:
        return None
    from wizard.trust.trust_ref import resolve_trust_ref

    if root is None:
        raise GitError("--allowed-signers-ref needs a git repo")
    if args.revoked_keys:
        raise InputError("--revoked-keys and --allowed-signers-ref do not go together (revoked_keys is read from the ref)")
    ref: str = args.allowed_signers_ref
    return resolve_trust_ref(root, ref)


def _signers(args: argparse.Namespace, root: Path | None, trust: TrustRef | None = None) -> Signers:
    from wizard.trust.allowed_signers import from_ref, locate

    if trust is not None and root is not None:
        return from_ref(root, trust)
    return locate(root, args.allowed_signers, args.revoked_keys)


def _warnings(signers: Signers) -> list[str]:
    from wizard.trust.allowed_signers import lint_file

    return lint_file(signers.allowed, signers.source)


def _trust_note(args: argparse.Namespace, signers: Signers, pins: Pins | None) -> str | None:
    """Without a trust ref, say where the trusted inputs came from: files a change can edit."""
    if args.allowed_signers_ref is not None:
        return None
    pinned = f" and the policy pins ({pins.lists[0].source})" if pins is not None and pins.from_working_tree else ""
    return (
        f"allowed signers were read from {signers.source} and repo-local policy trees{pinned} from the working tree, "
        "which a change can edit; a CI gate must pass --allowed-signers-ref BASE (e.g. refs/remotes/origin/main)"
    )


def _print_trust(args: argparse.Namespace, note: str | None) -> None:
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
        raise GitError("not inside a git repo; run this in the repo that holds the attestations")
    return root


# -- init -----------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from wizard.trust.repo_setup import GUIDE, init

    root = _need_git_repo()
    for line in init(root):
        print(line)
    print()
    print(GUIDE, end="")
    return EXIT_OK


# -- sign -----------------------------------------------------------------------------------------


def _warn(message: str) -> None:
    print(f"authready: warning: {message}", file=sys.stderr)


def cmd_sign(args: argparse.Namespace) -> int:
    from wizard.trust.sign import sign

    path: Path = args.attestation
    done = sign(path, key=args.key, principal=args.principal, warn=_warn)
    print(done.sig)
    print(f"signed as {done.principal} with the key from {done.key_source}")
    print(done.progress())
    if done.line_ends_at_risk:
        _warn(f"{path}: git may convert its line ends and break the signature; run `authready init` (adds `.authready/** -text`)")
    return EXIT_OK


# -- verify ---------------------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> int:
    import os

    from wizard.infra.git import repo_root
    from wizard.render.verify_text import verify_json, verify_text
    from wizard.trust.ssh import keygen
    from wizard.trust.verify import Verifier

    path: Path = args.attestation
    if not os.path.lexists(path):
        raise InputError("no such file", path=path)
    if path.is_dir() and not path.is_symlink():
        raise InputError("is a folder, expected an attestation file", path=path)
    keygen()
    # The folder holding the path, not a symlink's target: the file itself is lstat-ed (and refused) by verify.
    root = repo_root(Path(os.path.abspath(path)).parent)
    trust = _trust(args, root)
    with _signers(args, root, trust) as signers:
        warnings = _warnings(signers)
        verifier = Verifier(signers, root, trust_ref=trust, policy=args.policy)
        note = _trust_note(args, signers, verifier.pins)
        (report,) = verifier.run([path])
    if args.format == "json":
        sys.stdout.write(verify_json(report, allowed_signers=signers.source, warnings=warnings,
                                     policy_trees=trust.name if trust else "working tree", trust_note=note))
    else:
        for w in warnings:
            _warn(w)
        sys.stdout.write(verify_text(report))
    _print_trust(args, note)
    return EXIT_OK if report.ok else EXIT_FAILED


# -- check ----------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from wizard.trust.gate import mark_expiring, removed, targets
    from wizard.trust.ssh import keygen
    from wizard.trust.verify import Verifier

    root = _need_git_repo()
    keygen()
    trust = _trust(args, root)
    with _signers(args, root, trust) as signers:
        warnings = _warnings(signers)
        # Without --require the gate still refuses NO-GO: the least passing verdict is PROTOTYPE ONLY.
        verifier = Verifier(signers, root, require=args.require or "prototype", trust_ref=trust, policy=args.policy)
        note = _trust_note(args, signers, verifier.pins)
        reports = verifier.run(targets(root, args.paths))
        if trust is not None:
            gone = removed(root, trust, reports, args.paths)
            if gone:
                reports = sorted(reports + gone, key=lambda r: r.display)
        if args.fail_expiring and args.expiring_within is None:
            raise InputError("--fail-expiring needs --expiring-within DAYS")
        if args.expiring_within is not None:
            mark_expiring(reports, args.expiring_within, fail=args.fail_expiring)
    if args.format == "json":
        from wizard.render.check_table import check_json

        sys.stdout.write(check_json(reports, warnings, signers.source,
                                    policy_trees=trust.name if trust else "working tree", trust_note=note))
    elif args.format == "github":
        from wizard.render.ci import render_github

        sys.stdout.write(render_github(reports, warnings))
    elif args.format == "sarif":
        from wizard import __version__
        from wizard.render.ci import render_sarif

        sys.stdout.write(render_sarif(reports, __version__))
    elif args.format == "junit":
        from wizard.render.ci import render_junit

        sys.stdout.write(render_junit(reports))
    else:
        from wizard.render.check_table import check_text

        for w in warnings:
            _warn(w)
        if reports:
            sys.stdout.write(check_text(reports))
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


def cmd_inventory(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from wizard.infra.tomlio import write_atomic
    from wizard.render import inventory_page
    from wizard.trust import inventory
    from wizard.trust.ssh import keygen

    folders = inventory.repo_paths(args.repos)
    keygen()
    rows = inventory.collect(folders)
    if args.format == "html":
        text = inventory_page.render_html(rows, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    else:
        text = {"text": inventory_page.render_text, "markdown": inventory_page.render_markdown,
                "json": inventory_page.render_json}[args.format](rows)
    if args.out is not None:
        write_atomic(args.out, text.encode("utf-8"), overwrite=False)
        print(args.out)
    else:
        sys.stdout.write(text)
    return EXIT_OK if all(r.status == "pass" for r in rows) else EXIT_FAILED


# -- export ---------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from wizard.attestation.store import load
    from wizard.infra.files import read_regular
    from wizard.infra.git import repo_root
    from wizard.infra.tomlio import write_atomic
    from wizard.render.intoto import dumps, statement

    path: Path = args.attestation
    data = read_regular(path, "an attestation file")
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
