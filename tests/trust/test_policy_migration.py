"""An attestation made under an older version of its tree: what changed, whether the verdict would,
editorial rewordings that keep it valid, an added question as its own failure, and a re-review that
carries over every answer still asked the same way."""

from __future__ import annotations

from tests.helpers.signing import codes, verify_json
from wizard.attestation.store import load
from wizard.policy.tree import load_tree_file
from wizard.review.load import prepare_review

OLD_TEXT = "Where does the auth code come from?"
NEW_TEXT = "Who wrote the auth code?"


def edit(signed, old, new):
    tree = signed.repo / "policy" / "mini.toml"
    text = tree.read_text()
    assert old in text, old
    tree.write_text(text.replace(old, new, 1))
    return tree


def test_a_changed_question_is_named_with_its_old_and_new_text_and_the_verdict_it_would_get(signed, capsys):
    edit(signed, OLD_TEXT, NEW_TEXT)
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"policy-stale"}
    assert doc["problems"][0]["message"] == (
        "the policy changed (v1.2.0 -> v1.2.0) under answered question(s): "
        f"'origin' (\"{OLD_TEXT}\" -> \"{NEW_TEXT}\"); the verdict under the current policy is still GO; "
        "re-review: authready review --from .authready/billing.toml (unchanged answers carry over)"
    )


def test_an_editorial_rewording_keeps_the_attestation_valid(signed, capsys):
    old_hash = load_tree_file(signed.repo / "policy" / "mini.toml").tree.question_map["origin"].text_sha256
    edit(signed, f'text = "{OLD_TEXT}"', f'text = "{NEW_TEXT}"\nreworded_from = ["{old_hash}"]')
    edit(signed, 'version = "1.2.0"', 'version = "1.2.1"')
    rc, doc = verify_json(capsys)
    assert rc == 0, doc["problems"]
    assert any("policy changed since the review (v1.2.0 -> v1.2.1)" in n for n in doc["notes"])


def test_an_editorial_mark_for_another_wording_does_not_cover_this_one(signed, capsys):
    edit(signed, f'text = "{OLD_TEXT}"', f'text = "{NEW_TEXT}"\nreworded_from = ["{"0" * 64}"]')
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"policy-stale"}


def test_a_question_added_on_the_path_is_its_own_failure(signed, capsys):
    edit(signed, 'label = "Managed identity service"\nnext = "expiry"',
         'label = "Managed identity service"\nnext = "audit"')
    tree = signed.repo / "policy" / "mini.toml"
    tree.write_text(tree.read_text() + '''
[[questions]]
id = "audit"
text = "Are sign-ins logged?"
help = "Without logs nobody can tell a stolen account from its owner."
[[questions.choices]]
id = "yes"
label = "Yes"
next = "expiry"
''')
    rc, doc = verify_json(capsys)
    assert rc == 1 and codes(doc) == {"policy-question-added"}
    assert doc["problems"][0]["message"] == (
        "the current policy (v1.2.0) asks 'audit', which the review did not answer; "
        "re-review: authready review --from .authready/billing.toml (the answers given carry over)"
    )
    setup = prepare_review(None, signed.att)  # the re-review keeps every answer and asks only the new question
    session = setup.start(setup.meta)
    session.resume_position()
    assert session.current().id == "audit"
    att, _ = load(signed.att)
    assert {q: a for q, a in session.answers.items()} == att.answer_map()


def test_a_re_review_asks_again_only_the_changed_question(signed):
    edit(signed, OLD_TEXT, NEW_TEXT)
    setup = prepare_review(None, signed.att)
    assert setup.prefill is not None and setup.prefill.redo == ["origin"]
    session = setup.start(setup.meta)
    session.resume_position()
    assert session.current().id == "origin"
    assert set(session.answers) == {"stage", "origin", "expiry"}  # origin's old answer is offered, to confirm
