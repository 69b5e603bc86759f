"""`tree show` and `evaluate` renderings of the newer tree features: select-all questions, exclusive answers,
caps, moots and a question's own `next`; Mermaid node ids that cannot merge; a verdict's caps and moot
questions, shown only with the very tree the attestation was judged by."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timezone

from tests.helpers.repo import FIXTURES, MINI_TREE, run_git
from wizard.attestation.build import ReviewInfo, build
from wizard.attestation.model import Attestation
from wizard.policy.tree import load_tree_file, parse_tree
from wizard.render.verdict import (mermaid_ids, recorded_tree, render_verdict, tree_mermaid, tree_text, verdict_json,
                                   verdict_markdown, verdict_text)

MULTI = load_tree_file(FIXTURES / "multi.toml")
EXAMPLE = {"stage": "production", "data": ["customer", "payments", "special"], "pci": "provider", "clients": "machines"}


def attestation(answers: dict[str, object] = EXAMPLE) -> Attestation:
    info = ReviewInfo(component="billing", reviewers=["alice@example.com"], repo="repo",
                      reviewed_at=datetime(2026, 11, 29, 10, tzinfo=timezone.utc))
    return build(MULTI, answers, {}, info)


def test_tree_text_shows_select_all_exclusive_caps_moots_and_question_next():
    lines = tree_text(MULTI.tree).splitlines()
    data = lines.index("[data] Which kinds of data does it touch? Select all that apply.")
    assert lines[data + 1:data + 8] == [
        "    * select all that apply",
        "    * answers without a next of their own, and the walk when this is moot -> clients",
        "    customer: Customer personal data -> clients  raises customer-data",
        "    payments: Payment card data -> pci  raises payment-data",
        "    special: Special-category data (health, beliefs) -> clients  at best GO WITH CONDITIONS",
        "    none: None of these -> clients  alone",
        "    dont-know: We don't know -> clients  alone  raises data-unknown",
    ]
    assert "    machines: Only other services (machine to machine) -> sessions  moots sessions" in lines


def test_tree_json_carries_every_field():
    data = json.loads(render_verdict_tree_json())
    q = next(q for q in data["questions"] if q["id"] == "data")
    assert q["select"] == "many" and q["next"] == "clients"
    assert [(c["id"], c["exclusive"], c["cap"]) for c in q["choices"]][2:4] == [("special", False, "conditional"),
                                                                               ("none", True, None)]


def render_verdict_tree_json() -> str:
    from wizard.render.verdict import render_tree

    return render_tree(MULTI.tree, "json")


def test_mermaid_shows_select_all_caps_exclusive_answers_and_moots():
    out = tree_mermaid(MULTI.tree).splitlines()
    assert '    q1[["data: Which kinds of data does it touch? Select all that apply."]]' in out
    assert '    q1 -->|"Special-category data (health, beliefs) (at best GO WITH CONDITIONS)"| q3' in out
    assert '    q1 -->|"We don\'t know ⚑ (alone)"| q3' in out
    assert '    q3 -.->|"moot after: Only other services (machine to machine)"| q4' in out
    assert '    q4 -.->|"when moot"| e0' in out
    assert '    e0(["end-go: GO"])' in out


def test_mermaid_node_ids_cannot_collide(tmp_path):
    """`pilot-source` and `pilot_source` once became one node `n_pilot_source`: ids now come from positions."""
    text = MINI_TREE.read_text().replace('"origin"', '"pilot-source"').replace('"expiry"', '"pilot_source"')
    tree = parse_tree(text, tmp_path / "t.toml").tree
    ids = mermaid_ids(tree)
    assert ids["pilot-source"] != ids["pilot_source"] and len(set(ids.values())) == len(ids)
    out = tree_mermaid(tree)
    a, b = ids["pilot-source"], ids["pilot_source"]
    assert f'    {a}["pilot-source: Where does the auth code come from?"]' in out
    assert f'    {b}["pilot_source: Can the team explain how expiry is handled?"]' in out
    assert re.search(rf"^    {a} -->\|\"Managed identity service\"\| {b}$", out, re.M)
    nodes = re.findall(r"^    (\w+)[\[(]", out, re.M)
    assert len(nodes) == len(set(nodes)) == len(tree.questions) + len(tree.ends)


def test_verdict_text_shows_caps_moot_questions_and_select_all_labels():
    att = attestation()
    out = verdict_text(att, MULTI.tree)
    assert ("\n\nAt best GO WITH CONDITIONS: data → Special-category data (health, beliefs)\n"
            "Not asked: sessions (moot after clients → Only other services (machine to machine))\n\n") in out
    assert ("\nAnswers:\n  stage → In production\n"
            "  data → Customer personal data; Payment card data; Special-category data (health, beliefs)\n") in out
    without = verdict_text(att)  # no tree at hand: the attestation alone does not say, so nothing is guessed
    assert "At best" not in without and "Not asked" not in without and "  data → Customer personal data;" in without


def test_verdict_markdown_and_json_show_the_same_reasons():
    att = attestation()
    md = verdict_markdown(att, MULTI.tree)
    assert "- At best GO WITH CONDITIONS: data → Special-category data \\(health, beliefs\\)\n" in md
    assert "- Not asked: sessions \\(moot after clients → Only other services \\(machine to machine\\)\\)\n" in md
    assert "| data | Customer personal data; Payment card data; Special-category data \\(health, beliefs\\) |" in md
    data = json.loads(verdict_json(att, MULTI.tree))
    assert data["why"] == {
        "capped": [{"question": "data", "choice": "special", "answer": "Special-category data (health, beliefs)",
                    "cap": "conditional"}],
        "moot": [{"question": "sessions", "moot_after": "clients=machines"}],
    }
    assert data["answers"][1]["choice"] == ["customer", "payments", "special"]
    assert "why" not in json.loads(verdict_json(attestation({**EXAMPLE, "data": ["none"], "clients": "users",
                                                             "sessions": "yes"}), MULTI.tree))


def test_a_tree_that_judges_otherwise_adds_nothing(tmp_path):
    other = parse_tree((FIXTURES / "multi.toml").read_text().replace('cap = "conditional"', 'cap = "prototype"'),
                       tmp_path / "multi.toml").tree
    out = render_verdict(attestation(), "text", other)
    assert "At best" not in out and "Not asked" not in out


def test_the_recorded_tree_is_found_only_with_its_hash(tmp_path, git_repo):
    (git_repo / "multi.toml").write_text((FIXTURES / "multi.toml").read_text())
    run_git(git_repo, "add", "multi.toml")
    run_git(git_repo, "commit", "-qm", "tree")
    answers = tmp_path / "a.toml"
    answers.write_text('tree = "multi.toml"\ncomponent = "billing"\nreviewers = ["alice@example.com"]\npaths = ["."]\n'
                       'reviewed_at = "2026-11-29T10:00:00Z"\n[answers]\nstage = "production"\n'
                       'data = ["customer", "payments", "special"]\npci = "provider"\nclients = "machines"\n')
    proc = subprocess.run([sys.executable, "-m", "wizard", "evaluate", str(answers)], cwd=git_repo, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    assert "At best GO WITH CONDITIONS: data → Special-category data (health, beliefs)" in proc.stdout
    review = subprocess.run([sys.executable, "-m", "wizard", "review", "--answers", str(answers), "--out",
                             str(tmp_path / "att.toml")], cwd=git_repo, capture_output=True, text=True)
    assert review.returncode == 0, review.stderr
    saved = tmp_path / "att.toml"
    from wizard.attestation.store import load

    att, _ = load(saved)
    assert att.policy.source == "multi.toml" and recorded_tree(att, saved) is not None
    (git_repo / "multi.toml").write_text((FIXTURES / "multi.toml").read_text() + "\n# edited\n")
    assert recorded_tree(att, saved) is None  # the tree changed since: its reasons would not be the recorded ones
    assert recorded_tree(attestation(), saved) is None  # no policy.source, and no tree has the id "multi"


def test_a_tree_without_caps_or_moots_is_not_loaded_for_the_verdict(signed):
    """Nothing to add, so `evaluate` of such an attestation builds no tree validator (test_oneshot_cost)."""
    from wizard.attestation.store import load

    att, _ = load(signed.att)  # judged by the mini tree: no caps, no moots
    assert recorded_tree(att, signed.att) is None
