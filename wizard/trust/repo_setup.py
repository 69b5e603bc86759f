"""``authready init``: prepare a repo for signed attestations.

Creates ``.authready/allowed_signers`` (seeded from git's
``gpg.ssh.allowedSignersFile`` when set, else a commented template), adds
a ``.gitattributes`` rule that keeps attestation and signature files
byte-exact (``-text``: a CRLF checkout would break every signature), and
returns a short guide to print. Idempotent: existing files are kept and a
rule already present is not added twice.
"""

from __future__ import annotations

from pathlib import Path

from wizard.infra import git as gitinfo
from wizard.trust.allowed_signers import ALLOWED_SIGNERS, TEMPLATE, git_allowed_signers, lint_text
from wizard.trust.ssh import NAMESPACE
from wizard.infra.tomlio import read_text, write_atomic

ATTR_RULE = ".authready/** -text"


def _read(path: Path) -> str:
    return read_text(path, "a text file")


def init(root: Path) -> list[str]:
    """Set the repo up; returns lines saying what was done (and lint warnings)."""
    done: list[str] = []
    allowed = root / ALLOWED_SIGNERS
    if allowed.exists():
        done.append(f"kept {ALLOWED_SIGNERS} (already there)")
        text = _read(allowed)
    else:
        seed = git_allowed_signers(root)
        if seed is not None and seed.is_file():
            text = (
                f"# authready allowed signers, seeded from git's gpg.ssh.allowedSignersFile ({seed}).\n"
                f"# Restrict each key to namespaces=\"{NAMESPACE}\" (or add it to the list).\n" + _read(seed)
            )
            if not text.endswith("\n"):
                text += "\n"
            done.append(f"wrote {ALLOWED_SIGNERS} (seeded from {seed})")
        else:
            text = TEMPLATE
            done.append(f"wrote {ALLOWED_SIGNERS} (template: add one line per reviewer's key)")
        write_atomic(allowed, text.encode("utf-8"), overwrite=False)
    done += [f"warning: {w}" for w in lint_text(text, ALLOWED_SIGNERS)]

    attrs = root / ".gitattributes"
    current = _read(attrs) if attrs.exists() else ""
    if any(line.strip() == ATTR_RULE for line in current.splitlines()):
        done.append(f"kept .gitattributes (already has `{ATTR_RULE}`)")
    else:
        block = "# authready: attestations and signatures must stay byte-exact (no CRLF conversion)\n" + ATTR_RULE + "\n"
        sep = "" if not current or current.endswith("\n") else "\n"
        write_atomic(attrs, (current + sep + block).encode("utf-8"), overwrite=True)
        done.append(f"added `{ATTR_RULE}` to .gitattributes")
    return done


GUIDE = f"""\
Next steps:
  1. Each reviewer adds a line for their SSH public key to {ALLOWED_SIGNERS}:
       echo "$(git config user.email) namespaces=\\"{NAMESPACE}\\" $(cut -d' ' -f1,2 ~/.ssh/id_ed25519.pub)" >> {ALLOWED_SIGNERS}
  2. Commit .authready/ and .gitattributes on the main branch.
  3. Record a review:   authready review            (writes .authready/<component>.toml)
  4. Each reviewer signs: authready sign .authready/<component>.toml [--key ~/.ssh/id_ed25519.pub]
  5. Verify:            authready verify .authready/<component>.toml
  6. In CI:             authready check --allowed-signers-ref refs/remotes/origin/main --require go
"""


def text_attr_unset(root: Path, path: Path) -> bool:
    """Whether git will keep ``path`` byte-exact (its ``text`` attribute is unset)."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return True
    out = gitinfo.git(["check-attr", "text", "--", rel], root, check=False) or ""
    return out.endswith(": unset")
