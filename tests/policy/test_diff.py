"""`authready tree diff`: every kind of change with the semver part it needs, the version-bump check
`tree lint --against` uses, and the answer paths whose verdict changes."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.helpers.repo import FIXTURES, MINI_TREE
from wizard.cli.main import main
from wizard.policy.diff import RULES, bump_problems, compare, diff_trees, required_bump, version_bump
from wizard.policy.diff_paths import count_paths, iter_paths, path_name, verdict_changes
from wizard.policy.tree import load_tree_file

MINI = MINI_TREE.read_text()


def edited(tmp_path, *pairs: tuple[str, str], version: str | None = None, scenarios: bool = True, name: str = "new"):
    """The mini tree with each ``old`` text replaced by ``new`` (each must occur), in its own folder."""
    text = MINI
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    if version:
        text = text.replace('version = "1.2.0"', f'version = "{version}"', 1)
    folder = tmp_path / name
    folder.mkdir()
    (folder / "mini.toml").write_text(text)
    if scenarios:
        shutil.copy(FIXTURES / "mini.scenarios.toml", folder / "mini.scenarios.toml")
    return load_tree_file(folder / "mini.toml")


OLD = load_tree_file(MINI_TREE)
SHA = {q.id: q.text_sha256 for q in OLD.tree.questions}
LIBRARY = ('raises = ["invented-flow"]\n',
           'raises = ["invented-flow"]\n\n[[questions.choices]]\nid = "library"\nlabel = "An audited library"\nnext = "expiry"\n')

CASES = [
    # (replacement, rule, part, message)
    (('help = "Invented flows are the warning sign."', 'help = "Invented flows are a warning sign."'),
     "question-help", "patch", "question 'origin': help reworded"),
    (('title = "No rotation schedule"', 'title = "No rotation"'),
     "finding-title", "patch", "finding 'no-rotation': title 'No rotation schedule' → 'No rotation'"),
    (('remediation = ["Schedule rotation."]', 'remediation = ["Schedule rotation.", "Alert on age."]'),
     "finding-remediation", "patch", "finding 'no-rotation': remediation changed"),
    (('"OWASP NHI Top 10 2025: Long-Lived Secrets"', '"OWASP Top 10 Non-Human Identities 2025: NHI7"'),
     "reference", "patch",
     "reference 'NHI7:2025': OWASP NHI Top 10 2025: Long-Lived Secrets → OWASP Top 10 Non-Human Identities 2025: NHI7"),
    (('summary = "Production path."', 'summary = "The production path."'), "end-summary", "patch", "end 'end-production': summary reworded"),
    (('title = "No rotation schedule"', 'title = "No rotation schedule"\ndesired_outcome = "Rotated monthly."'),
     "finding-desired-outcome", "patch", "finding 'no-rotation': desired outcome reworded"),
    (('title = "No rotation schedule"', 'title = "No rotation schedule"\nanti_patterns = ["Rotating by hand."]'),
     "finding-anti-patterns", "patch", "finding 'no-rotation': anti-patterns changed"),
    (('dont_know = true', 'dont_know = false'), "choice-dont-know", "patch", "choice expiry.dont-know: dont_know true → false"),
    (('text = "Where does the auth code come from?"', 'text = "Where does this auth code come from?"'),
     "question-text", "minor",
     "question 'origin': text 'Where does the auth code come from?' → 'Where does this auth code come from?' "
     f"(editorial? add to question 'origin': reworded_from = [\"{SHA['origin']}\"])"),
    (('label = "Yes, short TTLs"', 'label = "Yes: short TTLs"'), "choice-label", "minor",
     f"choice expiry.yes: label 'Yes, short TTLs' → 'Yes: short TTLs' (editorial? add to question 'expiry': "
     f"reworded_from = [\"{SHA['expiry']}\"])"),
    (('[outcomes.go]\nvalid_days = 180', '[outcomes.go]\nvalid_days = 365'), "policy-looser", "minor",
     "outcomes.go.valid_days 180 → 365 (looser)"),
    (('[outcomes.go]\nvalid_days = 180\nrequired_signers = 2', '[outcomes.go]\nvalid_days = 180\nrequired_signers = 3'),
     "policy-stricter", "major", "outcomes.go.required_signers 2 → 3 (stricter)"),
    (('id = "managed"\nlabel = "Managed identity service"\nnext = "expiry"',
      'id = "managed"\nlabel = "Managed identity service"\nnext = "end-production"'),
     "choice-next", "major", "choice origin.managed: next expiry → end-production"),
    (('next = "expiry"\nraises = ["invented-flow"]', 'next = "expiry"\nraises = ["no-rotation"]'),
     "choice-raises", "major", "choice origin.invented: raises [invented-flow] → [no-rotation]"),
    (('severity = "warning"', 'severity = "blocker"'), "finding-severity", "major",
     "finding 'no-rotation': severity warning → blocker"),
    (('outcome = "prototype"', 'outcome = "conditional"'), "end-outcome", "major",
     "end 'end-prototype': outcome PROTOTYPE ONLY → GO WITH CONDITIONS"),
]


@pytest.mark.parametrize("pair,rule,part,message", CASES, ids=[c[1] + "-" + c[2] for c in CASES])
def test_each_change_needs_its_part(tmp_path, pair, rule, part, message):
    new = edited(tmp_path, pair)
    changes = diff_trees(OLD.tree, new.tree)
    assert [(c.rule, c.part, c.message()) for c in changes] == [(rule, part, message)]
    assert required_bump(OLD, new) == part


def test_additions_are_minor_and_a_choice_routed_to_them_is_major(tmp_path):
    new_q = ('[[findings]]\nid = "prod-creds-in-prototype"',
             '[[questions]]\nid = "owner"\ntext = "Who owns it?"\nhelp = "h"\n[[questions.choices]]\nid = "team"\n'
             'label = "A team"\nnext = "end-production"\n\n[[findings]]\nid = "prod-creds-in-prototype"')
    added = diff_trees(OLD.tree, edited(tmp_path, new_q, name="a").tree)
    assert [(c.rule, c.message()) for c in added] == [("question-added", "question 'owner' added")]
    routed = edited(tmp_path, new_q, ('label = "Yes, short TTLs"\nnext = "end-production"', 'label = "Yes, short TTLs"\nnext = "owner"'),
                    name="b")
    assert [c.rule for c in diff_trees(OLD.tree, routed.tree)] == ["question-added", "choice-next"]
    assert required_bump(OLD.tree, routed.tree) == "major"


def test_a_removed_choice_is_major_an_added_one_minor(tmp_path):
    removed = edited(tmp_path, ('[[questions.choices]]\nid = "partly"\nlabel = "Mostly; no rotation schedule"\n'
                                'next = "end-production"\nraises = ["no-rotation"]\n', ''), name="r")
    assert {(c.rule, c.part) for c in diff_trees(OLD.tree, removed.tree)} == {("choice-removed", "major")}
    added = edited(tmp_path, LIBRARY, name="a")
    assert [(c.rule, c.message()) for c in diff_trees(OLD.tree, added.tree)] == [("choice-added", "choice origin.library added")]


def test_no_change_needs_no_bump_and_every_rule_has_a_part():
    assert diff_trees(OLD.tree, OLD.tree) == [] and required_bump(OLD, OLD) == "none"
    assert {r.part for r in RULES.values()} == {"major", "minor", "patch"}


@pytest.mark.parametrize("old,new,bump", [
    ("1.2.0", "1.2.1", "patch"), ("1.2.0", "1.3.0", "minor"), ("1.2.9", "2.0.0", "major"), ("1.2.0", "1.2.0", "none"),
    ("1.2.0", "1.1.9", None), ("0.3.1", "0.4.0", "major"), ("0.3.1", "0.3.2", "minor"), ("2.0.0-rc.1", "2.0.0", "major"),
    ("2.0.0-rc.1", "2.0.0-rc.2", "major"), ("2.0.0", "2.0.0-rc.1", None), ("1.0.0-beta.11", "1.0.0-beta.2", None),
])
def test_version_bump_reads_semver(old, new, bump):
    assert version_bump(old, new) == bump


def test_bump_problems_name_the_versions_and_the_changes(tmp_path):
    severity = ('severity = "warning"', 'severity = "blocker"')
    assert bump_problems(OLD, edited(tmp_path, severity, version="1.2.1", name="a")) == [
        "version 1.2.0 → 1.2.1 is a patch bump, but the changes need a major bump: "
        "finding 'no-rotation': severity warning → blocker"
    ]
    assert bump_problems(OLD, edited(tmp_path, severity, version="2.0.0", name="b")) == []
    help_only = ('help = "Invented flows are the warning sign."', 'help = "Invented flows warn."')
    assert bump_problems(OLD, edited(tmp_path, help_only, name="c")) == [
        "version 1.2.0 → 1.2.0 leaves the version unchanged, but the changes need a patch bump: question 'origin': help reworded"
    ]
    assert bump_problems(OLD, edited(tmp_path, help_only, version="1.1.0", name="d")) == [
        "version 1.2.0 → 1.1.0 goes down; a new version must be higher"
    ]
    assert bump_problems(OLD, edited(tmp_path, version="1.2.1", name="e")) == []  # no change: any higher version


def test_bump_problems_list_three_changes_then_count_the_rest(tmp_path):
    new = edited(tmp_path, ('severity = "warning"', 'severity = "blocker"'), ('severity = "blocker"', 'severity = "warning"'),
                 ('outcome = "prototype"', 'outcome = "conditional"'), ('outcome = "go"', 'outcome = "conditional"'),
                 version="1.3.0")
    (problem,) = bump_problems(OLD, new)
    assert problem.startswith("version 1.2.0 → 1.3.0 is a minor bump, but the changes need a major bump: ")
    assert problem.endswith("; and 1 more")


def test_paths_are_counted_and_enumerated():
    assert count_paths(OLD.tree) == 8  # prototype: 2; production: 2 origins x 3 expiry answers
    paths = list(iter_paths(OLD.tree))
    assert len(paths) == len(set(paths)) == 8
    assert paths[0] == (("stage", "prototype"), ("proto-creds", "no"))


def test_verdict_changes_name_the_scenario_or_the_path(tmp_path):
    severity = ('severity = "warning"', 'severity = "blocker"')
    with_scenarios = verdict_changes(OLD, edited(tmp_path, severity, name="a"))
    assert [(v.name, v.old, v.new) for v in with_scenarios.changes] == [
        ("scenario 'no rotation'", "GO WITH CONDITIONS", "NO-GO")]
    alone = tmp_path / "old" / "mini.toml"
    alone.parent.mkdir()
    shutil.copy(MINI_TREE, alone)
    bare = verdict_changes(load_tree_file(alone), edited(tmp_path, severity, scenarios=False, name="b"))
    assert [(v.name, v.old, v.new) for v in bare.changes] == [
        ("path stage=production origin=managed expiry=partly", "GO WITH CONDITIONS", "NO-GO")]
    assert bare.compared == 8 and bare.notes == ()


def test_removed_choices_and_new_questions_show_on_old_paths_new_paths_do_not(tmp_path):
    """An old path through a removed choice becomes invalid; one that meets a new question stops there. A path
    only the new tree has (an added choice) is new, not a change."""
    new = edited(tmp_path, ('[[questions.choices]]\nid = "yes"\nlabel = "Yes"\nnext = "end-prototype"\nraises = ["prod-creds-in-prototype"]\n', ''),
                 LIBRARY,
                 scenarios=False)
    found = {(v.name, v.old, v.new) for v in verdict_changes(OLD, new).changes}
    assert ("scenario 'prototype with prod creds'", "NO-GO",
            "invalid: unknown choice 'yes' for question 'proto-creds' (valid: no)") in found
    assert ("path stage=prototype proto-creds=yes", "NO-GO", "invalid: unknown choice 'yes' for question 'proto-creds'") not in found  # merged into the scenario
    assert not any("library" in name for name, _, _ in found)


def test_a_big_tree_is_compared_by_its_scenarios_only(tmp_path):
    report = verdict_changes(OLD, edited(tmp_path, ('severity = "warning"', 'severity = "blocker"')), limit=5)
    assert report.notes == ("OLD has 8 and NEW has 8 answer paths, more than 5: only scenarios stand for them",)
    assert report.compared == 7  # the scenarios (both files are the same)
    assert [v.name for v in report.changes] == ["scenario 'no rotation'"]


def test_cli_diff_text_markdown_json(tmp_path, capsys):
    new = edited(tmp_path, ('severity = "warning"', 'severity = "blocker"'),
                 ('title = "No rotation schedule"', 'title = "No <b>rotation</b> | \\u001b[31m"'), version="1.2.1")
    assert main(["tree", "diff", "mini", str(new.path)]) == 2  # "mini" is no shipped id
    capsys.readouterr()
    assert main(["tree", "diff", str(MINI_TREE), str(new.path)]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[:3] == [
        f"mini 1.2.0 ({MINI_TREE}) → mini 1.2.1 ({new.path})",
        "Needs a major version bump (2 changes).",
        "version 1.2.0 → 1.2.1 is a patch bump, but the changes need a major bump: finding 'no-rotation': severity warning → blocker",
    ]
    assert "  finding 'no-rotation': title 'No rotation schedule' → 'No <b>rotation</b> | \\x1b[31m'" in text
    assert "\x1b" not in text
    assert "  scenario 'no rotation' (stage=production origin=managed expiry=partly): GO WITH CONDITIONS → NO-GO" in text
    assert main(["tree", "diff", str(MINI_TREE), str(new.path), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("### Policy change: `mini` 1.2.0 → 1.2.1\n")
    assert "| major | finding 'no-rotation': severity warning → blocker |" in md
    assert "\\<b\\>rotation\\</b\\> \\| \\\\x1b\\[31m" in md and "<b>" not in md and "\x1b" not in md
    assert "| scenario 'no rotation' \\(stage=production origin=managed expiry=partly\\) | GO WITH CONDITIONS | NO-GO |" in md
    assert main(["tree", "diff", str(MINI_TREE), str(new.path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["required_bump"] == "major" and data["old"]["version"] == "1.2.0"
    assert data["changes"][1]["new"] == "'No <b>rotation</b> | \\x1b[31m'"
    assert data["verdict_changes"] == [{"name": "scenario 'no rotation'", "answers": {
        "stage": "production", "origin": "managed", "expiry": "partly"}, "old": "GO WITH CONDITIONS", "new": "NO-GO"}]


def test_compare_of_the_shipped_tree_with_itself_is_empty_and_fast_to_judge():
    shipped = load_tree_file(FIXTURES.parent.parent / "decision_trees" / "generated-auth-code.toml")
    d = compare(shipped, shipped)
    assert d.changes == () and d.required == "none" and d.problems == () and d.paths.changes == ()
    assert d.paths.compared > 10 and "only scenarios stand for them" in d.paths.notes[0]


# -- the select-all, cap, moots and routing fields (the multi tree) ---------------------------------------

MULTI_TREE = FIXTURES / "multi.toml"
MULTI = load_tree_file(MULTI_TREE)


def edited_multi(tmp_path, *pairs: tuple[str, str], name: str = "new"):
    """The multi tree with each ``old`` text replaced by ``new`` once, in its own folder (no scenarios)."""
    text = MULTI_TREE.read_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    folder = tmp_path / name
    folder.mkdir()
    (folder / "multi.toml").write_text(text)
    return load_tree_file(folder / "multi.toml")


MULTI_CASES = [
    (('select = "many"\nnext = "clients"', 'next = "clients"'), "question-select", "major",
     "question 'data': select many → one"),
    (('cap = "conditional"', 'cap = "prototype"'), "choice-cap", "major",
     "choice data.special: cap GO WITH CONDITIONS → PROTOTYPE ONLY"),
    (('cap = "conditional"\n', ''), "choice-cap", "major", "choice data.special: cap GO WITH CONDITIONS → (none)"),
    (('moots = ["sessions"]', 'moots = []'), "choice-moots", "major", "choice clients.machines: moots [sessions] → []"),
    (('id = "customer"\n', 'id = "customer"\nexclusive = true\n'), "choice-exclusive", "major",
     "choice data.customer: exclusive false → true"),
    (('label = "None of these"\nexclusive = true', 'label = "None of these"'), "choice-inclusive", "minor",
     "choice data.none: exclusive true → false"),
    (('label = "Yes, a provider holds it"\nnext = "clients"', 'label = "Yes, a provider holds it"\nnext = "sessions"'),
     "choice-next", "major", "choice pci.provider: next clients → sessions"),
]


@pytest.mark.parametrize("pair,rule,part,message", MULTI_CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(MULTI_CASES)])
def test_each_new_field_change_needs_its_part(tmp_path, pair, rule, part, message):
    new = edited_multi(tmp_path, pair)
    changes = diff_trees(MULTI.tree, new.tree)
    assert [(c.rule, c.part, c.message()) for c in changes] == [(rule, part, message)]


def test_a_rewording_listed_in_reworded_from_is_editorial(tmp_path):
    old_sha = MULTI.tree.question_map["pci"].text_sha256
    text = ('text = "Is the card data handled by a PCI-compliant provider?"',
            'text = "Does a PCI-compliant provider handle the card data?"')
    label = ('label = "No, we store it"', 'label = "No, this service stores it"')
    declared = edited_multi(tmp_path, text, label, ('id = "pci"\n', f'id = "pci"\nreworded_from = ["{old_sha}"]\n'),
                            name="declared")
    assert [(c.rule, c.part, c.message()) for c in diff_trees(MULTI.tree, declared.tree)] == [
        ("question-text-editorial", "patch", "question 'pci': text 'Is the card data handled by a PCI-compliant "
         "provider?' → 'Does a PCI-compliant provider handle the card data?' (editorial: in reworded_from)"),
        ("choice-label-editorial", "patch", "choice pci.ourselves: label 'No, we store it' → 'No, this service "
         "stores it' (editorial: in reworded_from)"),
        ("reworded-added", "patch", f"question 'pci': reworded_from adds {old_sha}"),
    ]
    assert required_bump(MULTI, declared) == "patch"
    plain = edited_multi(tmp_path, text, label, name="plain")
    changes = diff_trees(MULTI.tree, plain.tree)
    assert [c.message() for c in changes] == [
        "question 'pci': text 'Is the card data handled by a PCI-compliant provider?' → 'Does a PCI-compliant "
        f"provider handle the card data?' (editorial? add to question 'pci': reworded_from = [\"{old_sha}\"])",
        "choice pci.ourselves: label 'No, we store it' → 'No, this service stores it'",  # the hash once per question
    ]
    assert required_bump(MULTI, plain) == "minor"
    dropped = diff_trees(declared.tree, edited_multi(tmp_path, text, label, name="dropped").tree)
    assert [(c.rule, c.part) for c in dropped] == [("reworded-removed", "minor")]


def test_select_all_paths_take_each_answer_alone_and_the_plain_ones_together():
    paths = list(iter_paths(MULTI.tree))
    assert len(paths) == len(set(paths)) == 25  # moot `sessions` passed on the machines paths
    data = list(dict.fromkeys(dict(p).get("data") for p in paths if "data" in dict(p)))
    assert data == [("customer",), ("payments",), ("special",), ("none",), ("dont-know",),
                    ("customer", "payments", "special")]
    assert (("stage", "production"), ("data", ("customer",)), ("clients", "machines")) in paths
    assert count_paths(MULTI.tree) == 33  # an upper bound with moots: `sessions` counts as asked
    assert path_name(paths[0]) == "path stage=production data=[customer] clients=users sessions=yes"


def test_a_cap_change_shows_on_the_paths_it_judges(tmp_path):
    new = edited_multi(tmp_path, ('cap = "conditional"', 'cap = "prototype"'))
    report = verdict_changes(MULTI, new)
    assert report.compared == 25 and report.notes == ()
    assert [(v.name, v.old, v.new) for v in report.changes] == [  # the NO-GO paths stay NO-GO
        (f"path stage=production {rest}", "GO WITH CONDITIONS", "PROTOTYPE ONLY") for rest in (
            "data=[special] clients=users sessions=yes", "data=[special] clients=machines",
            "data=[customer,payments,special] pci=provider clients=users sessions=yes",
            "data=[customer,payments,special] pci=provider clients=machines")]


def test_a_big_tree_with_moots_says_its_count_is_a_bound(tmp_path):
    report = verdict_changes(MULTI, edited_multi(tmp_path, ('cap = "conditional"', 'cap = "prototype"')), limit=5)
    assert report.notes == ("OLD has up to 33 and NEW has up to 33 answer paths, more than 5: only scenarios stand for "
                            "them",)


def test_a_scenario_with_a_select_all_answer_is_compared(tmp_path):
    new = edited_multi(tmp_path, ('cap = "conditional"', 'cap = "prototype"'))
    (new.path.parent / "multi.scenarios.toml").write_text(
        'tree = "multi"\n[[scenarios]]\nname = "special data"\noutcome = "conditional"\n'
        'answers = { stage = "production", data = ["customer", "special"], clients = "machines" }\n')
    changes = verdict_changes(MULTI, new, limit=5).changes
    assert [(v.name, v.answers, v.new) for v in changes] == [
        ("scenario 'special data'", (("stage", "production"), ("data", ("customer", "special")), ("clients", "machines")),
         "PROTOTYPE ONLY")]


def test_a_question_next_counts_where_it_routes_an_answer_or_a_moot_skip(tmp_path):
    """The question's own `next` changes the route of every answer without its own; moving a choice's
    `next` up to the question with the same target is no change; a moot question's `next` is its skip route."""
    rerouted = edited_multi(tmp_path, ('select = "many"\nnext = "clients"', 'select = "many"\nnext = "pci"'), name="r")
    assert [(c.rule, c.part, c.message()) for c in diff_trees(MULTI.tree, rerouted.tree)] == [
        ("choice-next", "major", f"choice data.{cid}: next clients → pci") for cid in ("customer", "special", "none", "dont-know")]
    hoisted = edited_multi(tmp_path, ('label = "Yes, a provider holds it"\nnext = "clients"',
                                      'label = "Yes, a provider holds it"'),
                           ('id = "pci"\n', 'id = "pci"\nnext = "clients"\n'), name="h")
    assert diff_trees(MULTI.tree, hoisted.tree) == []
    skip = edited_multi(tmp_path, ('stolen credential that never expires."\nnext = "end-go"',
                                   'stolen credential that never expires."\nnext = "end-prototype"'), name="s")
    assert [(c.rule, c.part) for c in diff_trees(MULTI.tree, skip.tree)] == [("question-next", "major")]
