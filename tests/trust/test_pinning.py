"""Policy pinning: ``.authready/policies.toml`` and ``check --policy`` decide which trees may judge.

The unit half pins the parser's exact words (specs, the file, versions); the repo half uses real git,
real ssh-keygen and the ``signed`` fixture (``main`` holds ``policy/mini.toml`` and
``.authready/billing.toml``, judged by mini v1.2.0, signed by alice and bob). The hostile pull
requests play the team that wants its own policy past the central owner's pins: with the trust ref
(``--allowed-signers-ref refs/heads/main``) nothing in the change loosens them (marked slow, like
``test_gate_attacks``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.helpers.gate import (
    BASE,
    commit,
    gate,
    gate_both,
    pr_branch,
    record,
    rewrite,
    run,
    sha256_hex,
    sign_both,
)
from tests.helpers.signing import ATT, Signed, stamp
from wizard.infra.errors import AuthreadyError, InputError
from wizard.trust.policy_pins import Pin, VersionRange, parse_file, parse_spec

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "decision_trees" / "generated-auth-code.toml"
PINS = ".authready/policies.toml"
AT_REF = f"{BASE}:{PINS}"
FORMS = "give ID, ID@VERSION, ID@>=1.2,<2 or ID@sha256:HEX"
H = "0123456789abcdef" * 4


# -- versions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rng", "version", "allowed"), [
    ("1.2.3", "1.2.3", True), ("1.2.3", "1.2.4", False), ("==1.2.3", "1.2.3", True),
    (">=2.0.0, <3", "2.0.0", True), (">=2.0.0, <3", "2.99.1", True), (">=2.0.0, <3", "3.0.0", False),
    (">=2.0.0, <3", "1.9.9", False), (">=1.2,<2", "1.10.0", True), (">1.2", "1.2.0", False), (">1.2", "1.2.1", True),
    ("<=1.2.3", "1.2.3", True), ("<=1.2.3", "1.2.4", False),
    # a pre-release only inside a range that names one of its release (npm's rule)
    (">=2.0.0, <3", "3.0.0-rc.1", False), (">=2.0.0, <3", "2.1.0-beta", False),
    (">=3.0.0-rc.1", "3.0.0-rc.2", True), (">=3.0.0-rc.1", "3.0.0-rc.10", True), (">=3.0.0-rc.1", "3.0.0-beta", False),
    (">=3.0.0-rc.1", "3.0.0", True), (">=3.0.0-rc.1", "3.1.0-rc.1", False), ("1.0.0-alpha", "1.0.0-alpha", True),
    (">=1.0.0-alpha", "1.0.0-alpha.1", True), (">=1.0.0-alpha.beta", "1.0.0-alpha.1", False),
    (">=1", "not-a-version", False), (">=1", "1.2", False),
])
def test_version_ranges_follow_semver(rng, version, allowed):
    assert VersionRange.parse(rng).allows(version) is allowed


# -- --policy specs --------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "shown"), [
    ("mini", "mini (any version)"),
    ("mini@1.2.0", "mini (1.2.0)"),
    ("mini@>=1.2,<2", "mini (>=1.2, <2)"),
    ("mini@>= 1.2, < 2", "mini (>=1.2, <2)"),
    (f"mini@sha256:{H.upper()}", "mini (sha256:01234567)"),
])
def test_spec_forms(spec, shown):
    assert str(parse_spec(spec)) == shown


def test_spec_hash_is_kept_lower_case():
    assert parse_spec(f"mini@sha256:{H.upper()}") == Pin("mini", sha256=(H,))


@pytest.mark.parametrize(("spec", "message"), [
    ("Mini", f"'Mini' is not a tree id (lower-case letters, digits, '.', '_', '-'); {FORMS}"),
    ("", f"'' is not a tree id (lower-case letters, digits, '.', '_', '-'); {FORMS}"),
    ("mini@", f"nothing after '@'; {FORMS}"),
    ("mini@sha256:abc", "sha256 'abc' is not 64 hex digits (the sha256 of a tree file: `authready tree list` or "
                        "sha256sum shows it)"),
    ("mini@1.2", "version '1.2' is not an exact version (MAJOR.MINOR.PATCH[-pre]); for every 1.2.x write >=1.2, <1.3"),
    ("mini@~1.2", "version '~1.2' is not a version or a comparator: use >=, >, <=, < or == before a version, "
                  "comma-separated (>=2.0.0, <3)"),
    ("mini@1.2.3,1.2.4", "version '1.2.3' has no comparator: an exact version stands alone; a range joins "
                         "comparators with commas (>=2.0.0, <3)"),
    ("mini@>=1.x", "version '1.x' is not a version (MAJOR[.MINOR[.PATCH[-pre]]])"),
    ("mini@ , ", "the version is empty; give an exact version (1.2.3) or comparators (>=1.2, <2)"),
])
def test_bad_specs_say_what_is_wrong(spec, message):
    with pytest.raises(InputError) as exc:
        parse_spec(spec)
    assert str(exc.value) == f"--policy {spec!r}: {message}"


# -- the pins file ---------------------------------------------------------------------------------


def test_file_entries_of_every_form():
    text = (f'# who may judge\n[[policy]]\ntree = "generated-auth-code"\nversion = ">=2.0.0, <3"\n\n'
            f'[[policy]]\ntree = "mini"\nsha256 = ["{H}", "{H[::-1]}"]\n\n[[policy]]\ntree = "team"\nsha256 = "{H}"\n')
    pins = parse_file(text, AT_REF)
    assert pins.source == AT_REF
    assert [str(p) for p in pins.pins] == [
        "generated-auth-code (>=2.0.0, <3)", "mini (sha256:01234567 or sha256:fedcba98)", "team (sha256:01234567)",
    ]


@pytest.mark.parametrize(("text", "where", "message"), [
    ("", "", "lists no [[policy]] entries, so it would pin nothing; add one per allowed tree (tree = \"ID\"), "
             "or delete the file to stop pinning"),
    ("# nothing yet\n", "", "lists no [[policy]] entries, so it would pin nothing; add one per allowed tree "
                            "(tree = \"ID\"), or delete the file to stop pinning"),
    ('[[policy]]\nversion = "1.2.3"\n', ":1", 'policy #1: tree is required (tree = "ID")'),
    ('[[policy]]\ntree = "mini"\n\n[[policy]]\ntree = "Mini"\n', ":5",
     "policy #2: tree 'Mini' is not a tree id (lower-case letters, digits, '.', '_', '-')"),
    ('[[policy]]\ntree = "mini"\nversions = "1.2.3"\n', ":3", "policy #1: unknown key 'versions'; expected tree, version, sha256"),
    ('[[policy]]\ntree = "mini"\nversion = "1.2"\n', ":3",
     "policy #1: version '1.2' is not an exact version (MAJOR.MINOR.PATCH[-pre]); for every 1.2.x write >=1.2, <1.3"),
    ('[[policy]]\ntree = "mini"\nversion = 1\n', ":3", 'policy #1: version must be a string, e.g. "1.2.3" or ">=2.0.0, <3"'),
    ('[[policy]]\ntree = "mini"\n\nsha256 = []\n', ":4",
     "policy #1: sha256 = [] allows no tree file; list at least one hash, or leave sha256 out"),
    ('[[policy]]\ntree = "mini"\nsha256 = ["abc"]\n', ":3",
     "policy #1: sha256 'abc' is not 64 hex digits (the sha256 of a tree file: `authready tree list` or sha256sum shows it)"),
    ('[[policy]]\ntree = "mini"\nsha256 = 5\n', ":3", "policy #1: sha256 must be a string or a list of strings"),
    ('pins = 1\n[[policy]]\ntree = "mini"\n', ":1", "unknown key 'pins'; a pins file holds only [[policy]] tables"),
    ('[policy]\ntree = "mini"\n', ":1", "policy must be [[policy]] tables"),
    ('[[policy]\n', ":1", "malformed TOML: Expected ']]' at the end of an array declaration"),
    ('kind = "authready-attestation"\n', "",
     "holds an attestation, but .authready/policies.toml is the policy pins file; record that component under another name"),
])
def test_bad_files_name_the_file_and_line(text, where, message):
    with pytest.raises(AuthreadyError) as exc:  # InputError, or tomlio's for malformed TOML: exit 2 either way
        parse_file(text, AT_REF)
    assert str(exc.value) == f"{AT_REF}{where}: {message}"


# -- the gate, in a real repo ----------------------------------------------------------------------


def _pins(s: Signed, text: str) -> Path:
    path = s.repo / PINS
    path.write_text(text)
    return path


def _mini(s: Signed) -> str:
    return sha256_hex(s.repo / "policy" / "mini.toml")


def _problems(doc: dict, path: str = ATT) -> list[dict]:
    (entry,) = [a for a in doc["attestations"] if a["path"] == path]
    return entry["problems"]


def _unpinned(doc: dict, path: str = ATT) -> list[str]:
    return [p["message"] for p in _problems(doc, path) if p["code"] == "policy-unpinned"]


def test_no_pins_no_pinning(signed, capsys):
    rc, doc, _ = gate(capsys, ref=None)
    assert rc == 0 and doc["ok"]


def test_a_pinned_tree_passes_and_the_note_names_the_working_tree(signed, capsys):
    """Without a trust ref the file comes from the working tree, and the trust note says so; a pin for a
    tree the run never sees (generated-auth-code here) is fine."""
    _pins(signed, f'[[policy]]\ntree = "generated-auth-code"\n\n[[policy]]\ntree = "mini"\nsha256 = "{_mini(signed)}"\n')
    rc, out, err = run(capsys, "check")
    assert rc == 0, out + err
    assert f"mini v1.2.0 sha256:{_mini(signed)[:8]}" in out.splitlines()[1]
    assert ("and the policy pins (.authready/policies.toml) from the working tree, which a change can edit; "
            "a CI gate must pass --allowed-signers-ref BASE") in err


def test_an_unpinned_tree_fails_naming_what_judged_it_and_what_is_allowed(signed, capsys):
    _pins(signed, '[[policy]]\ntree = "generated-auth-code"\nversion = ">=2.0.0, <3"\n')
    rc, doc, _ = gate(capsys, ref=None)
    assert rc == 1
    assert _unpinned(doc) == [
        f"judged by mini v1.2.0 sha256:{_mini(signed)[:8]}, which {PINS} does not allow (allowed: "
        "generated-auth-code (>=2.0.0, <3)); re-review against an allowed policy tree"
    ]
    rc, out, _ = run(capsys, "verify", ATT)  # verify reads the same pins
    assert rc == 1 and "[policy-unpinned]" in out


@pytest.mark.parametrize("specs", [
    ["mini"], ["mini@1.2.0"], ["mini@==1.2.0"], ["mini@>=1.2,<2"], ["mini@>1.1.9, <=1.2.0"], ["mini@sha256:MINI"],
    ["generated-auth-code", "mini@1.2.0"],  # repeated: any one of them
])
def test_policy_flag_allows(signed, capsys, specs):
    argv = [a for s in specs for a in ("--policy", s.replace("MINI", _mini(signed)))]
    rc, doc, err = gate(capsys, *argv)
    assert rc == 0, (doc, err)


@pytest.mark.parametrize(("spec", "allowed"), [
    ("mini@1.2.1", "mini (1.2.1)"),
    ("mini@>=2", "mini (>=2)"),
    (f"mini@sha256:{H}", "mini (sha256:01234567)"),
    ("generated-auth-code", "generated-auth-code (any version)"),
])
def test_policy_flag_refuses(signed, capsys, spec, allowed):
    rc, doc, _ = gate(capsys, "--policy", spec)
    assert rc == 1
    assert _unpinned(doc) == [f"judged by mini v1.2.0 sha256:{_mini(signed)[:8]}, which --policy does not allow "
                              f"(allowed: {allowed}); re-review against an allowed policy tree"]


def test_the_file_and_the_flag_must_both_allow(signed, capsys):
    _pins(signed, '[[policy]]\ntree = "mini"\n')
    commit(signed.repo, "base: pins")
    assert gate(capsys, "--policy", "mini@1.2.0")[0] == 0
    rc, doc, _ = gate(capsys, "--policy", "mini@>=2")
    assert rc == 1 and [m.split(", which ")[1][:20] for m in _unpinned(doc)] == ["--policy does not al"]
    _pins(signed, '[[policy]]\ntree = "other"\n')
    commit(signed.repo, "base: other pins")
    rc, doc, _ = gate(capsys, "--policy", "mini")
    assert rc == 1 and len(_unpinned(doc)) == 1 and f"which {AT_REF} does not allow" in _unpinned(doc)[0]


@pytest.mark.parametrize(("spec", "message"), [
    ("mini@", f"nothing after '@'; {FORMS}"),
    ("mini@sha256:abc", "sha256 'abc' is not 64 hex digits (the sha256 of a tree file: `authready tree list` or "
                        "sha256sum shows it)"),
    ("mini@1.2", "version '1.2' is not an exact version (MAJOR.MINOR.PATCH[-pre]); for every 1.2.x write >=1.2, <1.3"),
])
@pytest.mark.parametrize("command", ["check", "verify"])
def test_a_bad_policy_flag_is_one_line_exit_2(signed, capsys, spec, message, command):
    _pins(signed, "# the flag's typo is named first\n")
    argv = [command, *([ATT] if command == "verify" else []), "--policy", spec]
    rc, out, err = run(capsys, *argv)
    assert (rc, out) == (2, "")
    assert err == f"authready: --policy {spec!r}: {message}\n"


def test_an_empty_pins_file_is_refused(signed, capsys):
    _pins(signed, "# pins to come\n")
    rc, out, err = run(capsys, "check")
    assert (rc, out) == (2, "")
    assert err == (f"authready: {PINS}: lists no [[policy]] entries, so it would pin nothing; add one per allowed "
                   'tree (tree = "ID"), or delete the file to stop pinning\n')


def test_a_malformed_pins_file_at_the_trust_ref_names_the_ref_and_line(signed, capsys):
    _pins(signed, '[[policy]]\ntree = "mini"\nversion = ">= 1.x"\n')
    commit(signed.repo, "base: broken pins")
    pr_branch(signed)
    _pins(signed, '[[policy]]\ntree = "mini"\n')  # the change's own (valid) file is not what counts
    commit(signed.repo, "pr: fix pins")
    rc, doc, err = gate(capsys)
    assert (rc, doc) == (2, None)
    assert err == f"authready: {AT_REF}:3: policy #1: version '1.x' is not a version (MAJOR[.MINOR[.PATCH[-pre]]])\n"


def test_a_pins_symlink_is_refused(signed, capsys):
    (signed.repo / PINS).symlink_to(signed.repo / "policy" / "mini.toml")
    rc, _, err = run(capsys, "check")
    assert rc == 2
    assert err == (f"authready: {PINS}: is a symlink; the policy pins file must be a regular file "
                   "(symlinks are not followed)\n")
    commit(signed.repo, "base: pins as a symlink")
    rc, _, err = run(capsys, "check", "--allowed-signers-ref", BASE)
    assert rc == 2
    assert err == (f"authready: {AT_REF}: is not a regular file (a symlink, folder or submodule); "
                   "the policy pins must be one\n")


# -- hostile pull requests -------------------------------------------------------------------------


def _pin_only_shipped_on_base(s: Signed) -> None:
    """``main`` pins the shipped policy only, after billing was reviewed under the team's mini tree."""
    _pins(s, '[[policy]]\ntree = "generated-auth-code"\n')
    commit(s.repo, "base: pin the central policy")


@pytest.mark.slow  # end-to-end gate attacks, as in test_gate_attacks
def test_pr_adding_its_tree_to_the_pins_has_no_effect(signed, capsys):
    _pin_only_shipped_on_base(signed)
    pr_branch(signed)
    with open(signed.repo / PINS, "a") as fh:
        fh.write('\n[[policy]]\ntree = "mini"\n')
    commit(signed.repo, "pr: allow our tree")
    rc, doc = gate_both(capsys)
    assert rc == 1
    assert _unpinned(doc) == [f"judged by mini v1.2.0 sha256:{_mini(signed)[:8]}, which {AT_REF} does not allow "
                              "(allowed: generated-auth-code (any version)); re-review against an allowed policy tree"]
    rc, doc, _ = gate(capsys, ref=None)  # without the trust ref the change's own file counts: the note says so
    assert rc == 0 and "policy pins (.authready/policies.toml) from the working tree" in doc["trust_note"]


@pytest.mark.slow  # end-to-end gate attacks, as in test_gate_attacks
def test_pr_deleting_the_pins_file_has_no_effect(signed, capsys):
    _pin_only_shipped_on_base(signed)
    pr_branch(signed)
    (signed.repo / PINS).unlink()
    commit(signed.repo, "pr: no more pins")
    rc, doc = gate_both(capsys)
    assert rc == 1 and len(_unpinned(doc)) == 1


@pytest.mark.slow  # end-to-end gate attacks, as in test_gate_attacks
def test_pr_editing_the_pinned_tree_in_place_is_caught_by_its_hash(signed, capsys):
    """The PR keeps mini's id and version, changes its bytes, and re-reviews billing under it with the
    genuine reviewers' signatures: the hash pin refuses what judged it."""
    pinned = _mini(signed)
    _pins(signed, f'[[policy]]\ntree = "mini"\nversion = "1.2.0"\nsha256 = "{pinned}"\n')
    commit(signed.repo, "base: pin mini")
    pr_branch(signed)
    tree = signed.repo / "policy" / "mini.toml"
    tree.write_text(tree.read_text().replace('title = "Mini policy for tests"', 'title = "Mini policy, our way"'))
    commit(signed.repo, "pr: our mini")
    rc, _ = record(signed, "billing", extra=("--supersede",), reviewed_at=stamp(0.5))
    assert rc == 0
    sign_both(signed, signed.att)
    commit(signed.repo, "pr: re-review under our mini")
    edited = _mini(signed)
    expected = (f"judged by mini v1.2.0 sha256:{edited[:8]}, which {{src}} does not allow (allowed: mini (1.2.0; "
                f"sha256:{pinned[:8]})); re-review against an allowed policy tree")
    rc, doc = gate_both(capsys)
    assert rc == 1 and _unpinned(doc) == [expected.format(src=AT_REF)]
    rc, doc, _ = gate(capsys, ref=None)  # the working tree's pins pin the same hash
    assert rc == 1 and _unpinned(doc) == [expected.format(src=PINS)]


def test_a_tree_edited_under_a_pinned_review_fails_too(signed, capsys):
    """The review was judged by the pinned bytes; the tree judging it now is not them (no trust ref, so the
    working tree's tree judges): an unpinned tree may not re-judge it either."""
    pinned = _mini(signed)
    _pins(signed, f'[[policy]]\ntree = "mini"\nsha256 = "{pinned}"\n')
    tree = signed.repo / "policy" / "mini.toml"
    tree.write_text(tree.read_text().replace('title = "Mini policy for tests"', 'title = "Mini policy, our way"'))
    rc, doc, _ = gate(capsys, ref=None)
    assert rc == 1
    assert _unpinned(doc) == [
        f"judged by mini v1.2.0 sha256:{pinned[:8]}, but the tree judging it now (policy/mini.toml) is mini v1.2.0 "
        f"sha256:{_mini(signed)[:8]}, which {PINS} does not allow (allowed: mini (sha256:{pinned[:8]})); restore the "
        "pinned tree or pin this one"
    ]


@pytest.mark.slow  # end-to-end gate attacks, as in test_gate_attacks
def test_a_tree_borrowing_the_shipped_id_and_version_is_caught_by_its_hash(signed, capsys):
    """The issue's governance gap: the team's own tree says it is generated-auth-code at the shipped version
    (the attestation names its file as ``policy.source``). Id and version cannot tell it from the shipped
    tree; its hash, pinned in the file or on the command line, does. (The gate also refuses a repo-local
    tree that takes an installed tree's id; the pins say it on their own.)"""
    shipped = tomllib.loads(SHIPPED.read_text())["version"]
    fake = signed.repo / "policy" / "generated-auth-code.toml"
    fake.write_text((signed.repo / "policy" / "mini.toml").read_text()
                    .replace('id = "mini"', 'id = "generated-auth-code"').replace('version = "1.2.0"', f'version = "{shipped}"'))
    commit(signed.repo, "base: our generated-auth-code")

    def borrow(doc: dict) -> None:
        doc["policy"] = {"tree": "generated-auth-code", "version": shipped, "sha256": sha256_hex(fake),
                         "source": "policy/generated-auth-code.toml"}

    sign_both(signed, rewrite(signed.att, borrow))
    _pins(signed, f'[[policy]]\ntree = "generated-auth-code"\nversion = "{shipped}"\n')
    commit(signed.repo, "base: review under it, pin the version")
    rc, doc, _ = gate(capsys)
    assert _unpinned(doc) == []  # id and version alone let it through

    ship = sha256_hex(SHIPPED)
    _pins(signed, f'[[policy]]\ntree = "generated-auth-code"\nsha256 = "{ship}"\n')
    commit(signed.repo, "base: pin the shipped file")
    rc, doc, _ = gate(capsys)
    judged = f"judged by generated-auth-code v{shipped} sha256:{sha256_hex(fake)[:8]}"
    assert rc == 1 and _unpinned(doc) == [f"{judged}, which {AT_REF} does not allow (allowed: generated-auth-code "
                                          f"(sha256:{ship[:8]})); re-review against an allowed policy tree"]
    (signed.repo / PINS).unlink()
    commit(signed.repo, "base: pins only in CI")
    rc, doc, _ = gate(capsys, "--policy", f"generated-auth-code@sha256:{ship}")
    assert rc == 1 and _unpinned(doc) == [f"{judged}, which --policy does not allow (allowed: generated-auth-code "
                                          f"(sha256:{ship[:8]})); re-review against an allowed policy tree"]
