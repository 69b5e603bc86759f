"""Conditions: each warning recorded with an owner and a due date, from answers files and in the model.

A warning is "a dated, owned fix": the attestation records who fixes each raised warning and by
when (by default the first reviewer, by the day the attestation expires). An answers file may set
either in ``[conditions.<finding>]``; every refusal is one line naming the file and the key, exit 2,
nothing written. A hand-edited attestation whose conditions do not match its warnings is refused
when read.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.helpers.repo import GO_ANSWERS, in_repo, write_answers
from tests.helpers.signing import cli
from wizard.attestation.model import Attestation
from wizard.attestation.store import dumps, load
from wizard.infra.errors import AuthreadyError
from wizard.infra.tomlio import validate_text

CONDITIONAL = {**GO_ANSWERS, "expiry": "partly"}  # raises the warning no-rotation (90 days: expires 2027-02-27)
NO_GO_WITH_A_WARNING = {"stage": "production", "origin": "invented", "expiry": "partly"}
REVIEWERS = ["alice@example.com", "bob@example.com"]
TOKEN = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789"  # made up, and built so no file holds it whole


def record(tmp: Path, capsys, answers=CONDITIONAL, extra: str = "", **meta) -> tuple[int, str, Path]:
    """`review --answers` of the mini tree with ``extra`` TOML appended; (exit code, stderr, output path)."""
    meta.setdefault("reviewers", REVIEWERS)
    af = write_answers(tmp / "answers.toml", in_repo(Path.cwd()), answers, **meta)
    af.write_text(af.read_text() + extra)
    out = tmp / "att.toml"
    rc, _, err = cli(capsys, "review", "--answers", str(af), "--out", str(out))
    return rc, err, out


def conditions_of(path: Path) -> list[dict] | None:
    return tomllib.loads(path.read_text())["verdict"].get("conditions")


def test_a_warning_gets_the_first_reviewer_and_the_expiry_day_by_default(git_repo, tmp_path, capsys):
    rc, err, out = record(tmp_path, capsys)
    assert rc == 0, err
    assert conditions_of(out) == [{"finding": "no-rotation", "owner": "alice@example.com", "due": "2027-02-27"}]
    assert '{ finding = "no-rotation", owner = "alice@example.com", due = "2027-02-27" },' in out.read_text()
    att, raw = load(out)
    assert att.review.expires_at == "2027-02-27T10:00:00Z" and dumps(att) == raw


def test_no_warning_no_conditions_key(git_repo, tmp_path, capsys):
    """Verdicts without a warning keep their bytes: the key is left out, not written empty."""
    rc, err, out = record(tmp_path, capsys, GO_ANSWERS)
    assert rc == 0, err
    assert "conditions" not in out.read_text()
    assert load(out)[0].verdict.conditions is None


def test_a_no_go_records_its_warnings_conditions_too(git_repo, tmp_path, capsys):
    rc, err, out = record(tmp_path, capsys, NO_GO_WITH_A_WARNING)
    assert rc == 0, err
    assert [c["finding"] for c in conditions_of(out)] == ["no-rotation"]  # the blocker has none


@pytest.mark.parametrize("due", ['"2026-12-15"', "2026-12-15"], ids=["string", "toml-date"])
def test_the_team_sets_owner_and_due(git_repo, tmp_path, capsys, due):
    extra = f'\n[conditions.no-rotation]\nowner = "carol@example.com"\ndue = {due}\n'
    rc, err, out = record(tmp_path, capsys, extra=extra)
    assert rc == 0, err
    assert conditions_of(out) == [{"finding": "no-rotation", "owner": "carol@example.com", "due": "2026-12-15"}]


@pytest.mark.parametrize("extra, expected", [
    ('due = "2026-11-29"', {"owner": "alice@example.com", "due": "2026-11-29"}),  # the review's own day
    ('owner = "bob@example.com"', {"owner": "bob@example.com", "due": "2027-02-27"}),
])
def test_either_may_be_left_to_its_default(git_repo, tmp_path, capsys, extra, expected):
    rc, err, out = record(tmp_path, capsys, extra=f"\n[conditions.no-rotation]\n{extra}\n")
    assert rc == 0, err
    assert conditions_of(out) == [{"finding": "no-rotation", **expected}]


REFUSALS = {
    "unknown finding": ('[conditions.nope]\nowner = "bob@example.com"',
                        "conditions.nope: no finding 'nope' in tree 'mini'"),
    "not raised": ("[conditions.cannot-explain-expiry]",
                   "conditions.cannot-explain-expiry: finding 'cannot-explain-expiry' is not raised by these answers; "
                   "conditions are for the warnings a review raises"),
    "bad date": ('[conditions.no-rotation]\ndue = "2026-02-30"',
                 "conditions.no-rotation.due: '2026-02-30' is not a date like 2026-12-31 (YYYY-MM-DD)"),
    "not a date": ('[conditions.no-rotation]\ndue = "next sprint"',
                   "conditions.no-rotation.due: 'next sprint' is not a date like 2026-12-31 (YYYY-MM-DD)"),
    "after expiry": ('[conditions.no-rotation]\ndue = "2027-02-28"',
                     "conditions.no-rotation.due: 2027-02-28 is after the attestation expires (2027-02-27); "
                     "a warning must be fixed within the attestation's life"),
    "before the review": ('[conditions.no-rotation]\ndue = "2026-11-28"',
                          "conditions.no-rotation.due: 2026-11-28 is before the review (2026-11-29); "
                          "give a date from then on"),
    "owner not a principal": ('[conditions.no-rotation]\nowner = "Alice Smith"',
                              "conditions.no-rotation.owner: 'Alice Smith' is not a principal; name the owner as "
                              "allowed_signers would (e.g. alice@example.com), without spaces, commas, quotes or "
                              "wildcards"),
    "owner blank": ('[conditions.no-rotation]\nowner = ""',
                    "conditions.no-rotation.owner: name who fixes it (e.g. alice@example.com)"),
    "owner a credential": ('[conditions.no-rotation]\nowner = "' + TOKEN + '"',
                           "conditions.no-rotation.owner looks like it contains a GitHub token (ghp_…6789); nothing "
                           "was written. Remove it (and rotate it if it is real): attestations are committed to "
                           "the repo"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_answers_file_refusals_name_the_file_and_key(git_repo, tmp_path, capsys, name):
    extra, message = REFUSALS[name]
    rc, err, out = record(tmp_path, capsys, extra="\n" + extra + "\n")
    assert (rc, err) == (2, f"authready: {tmp_path / 'answers.toml'}: {message}\n")
    assert not out.exists()


def test_a_blocker_has_no_condition(git_repo, tmp_path, capsys):
    rc, err, _ = record(tmp_path, capsys, NO_GO_WITH_A_WARNING, extra="\n[conditions.invented-flow]\n")
    assert rc == 2
    assert err.endswith("conditions.invented-flow: 'invented-flow' is a blocker, not a warning: it is fixed before "
                        "shipping, not shipped on a condition\n")


def test_an_unknown_key_names_its_line(git_repo, tmp_path, capsys):
    rc, err, _ = record(tmp_path, capsys, extra='\n[conditions.no-rotation]\nwho = "bob@example.com"\n')
    lines = (tmp_path / "answers.toml").read_text().splitlines()
    line = lines.index('who = "bob@example.com"') + 1
    assert rc == 2
    assert err == f"authready: {tmp_path / 'answers.toml'}:{line}: conditions.no-rotation.who: Extra inputs are not permitted\n"


# -- reading: a hand-edited attestation ---------------------------------------------------------------------


@pytest.fixture
def recorded(git_repo, tmp_path, capsys) -> str:
    """The text of a GO WITH CONDITIONS attestation of the mini tree (one warning: no-rotation)."""
    rc, err, out = record(tmp_path, capsys)
    assert rc == 0, err
    return out.read_text()


LINE = '{ finding = "no-rotation", owner = "alice@example.com", due = "2027-02-27" },'
EDITS = {
    "a condition for another finding": (LINE, LINE + '\n    { finding = "invented-flow", owner = "a@b.c", due = "2027-01-01" },',
                                        "condition for 'invented-flow', which the verdict does not raise as a warning"),
    "twice": (LINE, LINE + "\n    " + LINE, "more than one condition for warning 'no-rotation'"),
    "a warning without its condition": (LINE, "", "warning 'no-rotation' has no condition (an owner and a due date)"),
    "due after expiry": ('due = "2027-02-27"', 'due = "2027-03-01"',
                         "condition for warning 'no-rotation': 2027-03-01 is after the attestation expires "
                         "(2027-02-27); a warning must be fixed within the attestation's life"),
    "not a date": ('due = "2027-02-27"', 'due = "2027-2-7"', "'2027-2-7' is not a date like 2026-12-31 (YYYY-MM-DD)"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_conditions_that_do_not_match_the_warnings_are_refused(recorded, tmp_path, name):
    old, new, message = EDITS[name]
    assert old in recorded
    with pytest.raises(AuthreadyError) as info:
        validate_text(Attestation, recorded.replace(old, new), tmp_path / "edited.toml")
    assert message in info.value.message


def test_an_attestation_from_before_conditions_still_reads(recorded, tmp_path):
    """Recorded before this change: warnings, no conditions key. It parses (the gate notes it)."""
    start = recorded.index("conditions = [")
    end = recorded.index("]\n", start) + 2
    att = validate_text(Attestation, recorded[:start] + recorded[end:], tmp_path / "old.toml")
    assert att.verdict.conditions is None and att.verdict.findings[0].id == "no-rotation"
