"""The ``authready`` command line.

Each command imports what it needs inside its handler: ``tree lint``,
``evaluate`` and ``review --answers`` never load Textual, questionary or
prompt_toolkit (a test checks ``sys.modules``). Every user error becomes one
line on stderr and a distinct exit code (see ``wizard.infra.errors``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from collections.abc import Callable
from typing import cast

from wizard import __version__
from wizard.infra.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, AuthreadyError, Unanswered

FORMATS_VERDICT = ("text", "json", "markdown")
TREE_HELP = ("tree id (`authready tree list` shows the installed ones) or tree file, relative to the working "
             "folder (default: generated-auth-code)")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit 2 (its default too, kept explicit)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        import difflib
        import re

        m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if m:
            choices = re.findall(r"'([^']*)'", m.group(2))
            near = difflib.get_close_matches(m.group(1), choices, n=1, cutoff=0.5)
            if near:
                message = f"{message}; did you mean {near[0]!r}?"
        self.exit(EXIT_USAGE, f"authready: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="authready", description="May this code ship? Walk a policy decision tree (by default the shipped generated-auth-code policy; any tree with --tree), get a go / no-go verdict with remediation, record it as a signed attestation, and gate CI on it.")
    p.add_argument("--version", action="version", version=f"authready {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    r = sub.add_parser("review", help="run a review (the Textual app; --plain for line prompts; --answers for none)")
    r.add_argument("--tree", help=TREE_HELP)
    mode = r.add_mutually_exclusive_group()
    mode.add_argument("--answers", type=Path, metavar="FILE", help="record the review from an answers file, no prompts")
    mode.add_argument("--plain", action="store_true", help="ask line by line (screen readers, slow links)")
    r.add_argument("--accessible", action="store_true",
                   help="plain mode as numbered line prompts (no escape sequences; also when piped, TERM=dumb or ACCESSIBLE is set)")
    r.add_argument("--from", dest="from_attestation", type=Path, metavar="ATTESTATION", help="re-review: pre-fill answers from an attestation")
    r.add_argument("--out", type=Path, metavar="PATH", help="where to write the attestation (default .authready/<component>.toml)")
    r.add_argument("--supersede", action="store_true",
                   help="with --answers: replace the existing attestation at the target deliberately (records its "
                        "sha256 as review.supersedes and removes its now-invalid signatures)")
    r.add_argument("--allow-dirty", action="store_true",
                   help="with --answers: bind the committed version although subject paths hold uncommitted changes")
    r.add_argument("--presenter", action="store_true",
                   help="presenter mode for a shared screen: a larger question and live verdict, no chrome (p toggles)")
    r.set_defaults(handler=cmd_review)

    lr = sub.add_parser("learn", help="browse a policy tree (or quiz on its scenarios) without recording anything")
    lr.add_argument("--tree", help=TREE_HELP)
    lr.add_argument("--plain", action="store_true", help="with --quiz: numbered lines (also when piped or TERM=dumb)")
    lr.add_argument("--quiz", action="store_true",
                    help="quiz: situations from the tree's scenarios; guess the verdict, see why (nothing is written)")
    lr.set_defaults(handler=cmd_learn)

    e = sub.add_parser("evaluate", help="print the verdict of an answers file or an attestation")
    e.add_argument("file", type=Path)
    e.add_argument("--format", choices=FORMATS_VERDICT, default="text")
    e.add_argument("--tree", help="tree id or file (default: the one the file names; naming another is an error)")
    e.set_defaults(handler=cmd_evaluate)

    from wizard.cli import tree as cli_tree

    cli_tree.register(cast("argparse._SubParsersAction[argparse.ArgumentParser]", sub), _Parser)

    from wizard.cli import signing as cli_signing

    cli_signing.register(cast("argparse._SubParsersAction[argparse.ArgumentParser]", sub))
    return p


# -- handlers ------------------------------------------------------------------------------------


def cmd_evaluate(args: argparse.Namespace) -> int:
    from wizard.attestation.store import load as load_attestation
    from wizard.infra.tomlio import load_toml
    from wizard.render.verdict import recorded_tree, render_verdict
    from wizard.review.answers import is_attestation
    from wizard.review.from_answers import attestation_from_answers

    data, _ = load_toml(args.file)
    if is_attestation(data):
        att, _ = load_attestation(args.file)
    else:
        try:
            att, _ = attestation_from_answers(args.file, args.tree, bind=False)  # judges, writes nothing
        except Unanswered as exc:
            print(f"Verdict: {exc.message}")
            return EXIT_FAILED
    sys.stdout.write(render_verdict(att, args.format, recorded_tree(att, args.file)))
    return EXIT_FAILED if att.verdict.outcome.value == "no-go" else EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    if args.answers is not None:
        if args.from_attestation or args.accessible:
            raise AuthreadyError(f"{'--from' if args.from_attestation else '--accessible'} and --answers do not go together")
        from wizard.review.from_answers import record_answers

        done = record_answers(args.answers, args.tree, args.out, allow_dirty=args.allow_dirty, supersede=args.supersede)
        out, label = done.path, done.attestation.verdict.label
        if args.supersede:
            print(f"{label}: wrote {out} (supersedes the previous review)")
            for sig in done.removed:
                print(f"removed {sig} (it signed the replaced review)")
        else:
            print(f"{label}: wrote {out}")
        print(f"next: authready sign {out}")
        return EXIT_OK
    if args.supersede or args.allow_dirty:
        raise AuthreadyError("--supersede and --allow-dirty go with --answers (the interactive review asks instead)")
    if args.plain or args.accessible:
        from wizard.ui.plain.line import use_line_mode

        if use_line_mode(args.accessible):
            from wizard.ui.plain.line import run_line

            return run_line(tree_ref=args.tree, from_attestation=args.from_attestation, out=args.out)
        from wizard.ui.plain.prompt import run_plain

        return run_plain(tree_ref=args.tree, from_attestation=args.from_attestation, out=args.out)
    _need_terminal(plain=False)
    from wizard.ui.tui import run_app

    return run_app(tree_ref=args.tree, from_attestation=args.from_attestation, out=args.out,
                   presenter=getattr(args, "presenter", False))


def cmd_learn(args: argparse.Namespace) -> int:
    if getattr(args, "quiz", False):
        from wizard.ui.plain.line import use_line_mode

        if getattr(args, "plain", False) or use_line_mode(False):
            from wizard.ui.plain.line_quiz import run_line_quiz

            return run_line_quiz(args.tree)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise AuthreadyError(
            "learn needs an interactive terminal; without one, read the policy with "
            "`authready tree show --format text` (or --format mermaid for a diagram)"
        )
    from wizard.ui.tui import run_learn

    return run_learn(tree_ref=args.tree, quiz=getattr(args, "quiz", False))


def _need_terminal(*, plain: bool) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        hint = "use `authready review --answers FILE` to record a review without prompts"
        if not plain:
            hint = "use `authready review --plain` (line prompts; pipes work too), or " + hint.removeprefix("use ")
        raise AuthreadyError(f"this needs an interactive terminal (stdin and stdout); {hint}")


def main(argv: list[str] | None = None) -> int:
    # authready uses no pydantic plugins; without this, the first model scans every installed
    # distribution's entry points for them (a fixed cost on every one-shot command). An explicit
    # setting by the user still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["review", *(argv or sys.argv[1:])])
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except AuthreadyError as exc:
        print(f"authready: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("authready: interrupted; answers so far are kept in the draft", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
