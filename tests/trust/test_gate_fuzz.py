"""Fuzzing ``authready verify`` with mutated attestations: exit 1 or 2, never an uncaught exception.

Hypothesis takes the ``signed`` fixture's genuine ``.authready/billing.toml``, mutates it, either as
data (a field replaced by another type, a huge or negative integer, a long or control-character or
NUL-bearing or oddly-scripted string, a date or time, an empty list, a nested table; a key deleted or
added; a list item duplicated), or as text (a 5000-digit integer, a duplicated or inserted line, a
flipped character, a truncation), writes it to ``.authready/fuzz.toml`` (sometimes with alice's
signature of the original beside it) and runs ``verify FILE --format json`` in-process, with and
without the trust ref. An uncaught exception fails the example; so does a traceback on stderr or an
exit other than 1 (a failed check) or 2 (bad input). Every example lacks bob's signature, so exit 0
is always wrong.

Bounded: 200 examples, no shrinking (each example drives git and ssh-keygen), no example database.
"""

from __future__ import annotations

import copy
import json
import shutil
import tomllib
from datetime import UTC, date, datetime

import pytest
import tomli_w
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests.helpers.gate import HEADER, run

pytestmark = pytest.mark.slow

FUZZ = ".authready/fuzz.toml"

_chars = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot be written as UTF-8 at all
_special_strings = st.sampled_from([
    "", " ", "\x00", "a\x00b", "policy/mini.toml\x00", "\n", "\r\n", "\t", "\x1b[8m", "\u202e", "\ufeff", "\u2028",
    "a" * 5000, "x/" * 2500, "../" * 10 + "etc/passwd", "/dev/zero", "/dev/stdin", ".", "./src", "src/", "~",
    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00+01:00",
    "go", "no-go", "GO", "NO-GO", "mini", "generated-auth-code", "-", "alice@example.com", "*", "a,b",
    "é", "\U0001f600", "𝔤𝔬", "\u0130", "ﬀ", "０", "a" * 64, "a" * 65, "1" * 5000,
])
_strings = st.one_of(st.text(_chars, max_size=40), _special_strings)
_ints = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 2, 3, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**4000, -(10**4000)]),
)
_scalars = st.one_of(
    _strings,
    _ints,
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59), timezones=st.sampled_from([None, UTC])),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.times(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(_chars, min_size=1, max_size=10), inner, max_size=3)),
    max_leaves=6,
)


# Fields the checks act on (paths, dates, integers, policy lookup): mutated more often than the rest.
_HOT = {
    ("schema_version",), ("subject", "paths"), ("subject", "paths", 0), ("subject", "paths", 0, "path"),
    ("subject", "paths", 0, "git_object"), ("subject", "root_commit"), ("policy", "source"), ("policy", "tree"),
    ("policy", "sha256"), ("review", "reviewed_at"), ("review", "expires_at"), ("review", "reviewers"),
    ("verdict", "outcome"), ("verdict", "required_signers"), ("answers",), ("answers", 0), ("answers", 1, "choice"),
}
_HOT_TABLES = {("answers", 0), ("answers", 1), ("answers", 2)}


_PATHS = ["a" * 5000, "x/" * 2500, "src/" + "x" * 300, "src\x00", "src/\x00x", ".", "..", "/etc", "~", "src/", " src",
          ".authready", ".git", ".git/config", "-h", "--output=x", ":(glob)*", ":/", "src/*", "*", "src\n", "HEAD:src"]
_STAMPS = ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2038-01-19T03:14:08Z",
           "9999-12-31T23:59:60Z", "2026-13-01T00:00:00Z", "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z"]
_OIDS = ["", "0" * 40, "0" * 64, "HEAD", "-h", "x" * 5000, "\x00", "main", "HEAD~1", "a" * 41]
_TARGETS = {
    ("subject", "paths", 0, "path"): _PATHS,
    ("subject", "paths", 0, "git_object"): _OIDS,
    ("subject", "root_commit"): _OIDS,
    ("subject", "paths"): [[], [{"path": "src"}, {"path": "src"}], [{"path": f"p{i}", "git_object": "0" * 40} for i in range(2000)]],
    ("policy", "source"): ["policy/mini.toml\x00", "", ".", "/dev/zero", "../x", "policy", ".git/HEAD", "-x", "a" * 5000,
                           "policy//mini.toml", "./policy/mini.toml", "main:policy/mini.toml", ".authready/allowed_signers"],
    ("policy", "tree"): ["generated-auth-code", "a" * 64, "mini.toml", "..", "mini\x00"],
    ("review", "reviewed_at"): _STAMPS,
    ("review", "expires_at"): _STAMPS,
    ("review", "reviewers"): [[], ["a" * 5000], ["alice@example.com"] * 1000, ["-h"], ["alice@example.com", "ALICE@example.com"]],
    ("verdict", "required_signers"): [0, -1, 10**4000, 2**63, 10**6],
    ("schema_version",): [0, -1, 2**63, 10**4000, 2],
    ("verdict", "outcome"): ["no-go", "prototype", "conditional", "GO", ""],
    ("answers",): [[], [{"question": "stage", "question_sha256": "0" * 64, "asked": "", "choice": "prototype", "answer": ""}]],
}


def _paths(node, prefix=()):
    """Every position in the parsed document: (path, value)."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _parent(doc, path):
    node = doc
    for p in path[:-1]:
        node = node[p]
    return node


@st.composite
def _data_mutation(draw, doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        positions = [p for p, _ in _paths(doc) if p]
        hot = [p for p in positions if p in _HOT or p[:2] in _HOT_TABLES]
        path = draw(st.one_of(st.sampled_from(positions), st.sampled_from(hot)))
        op = draw(st.sampled_from(["targeted"] * 4 + ["replace"] * 3 + ["delete", "add", "duplicate", "empty"]))
        if op == "targeted":  # a well-typed but hostile value where a check acts on it (gets past the schema)
            path, choices = draw(st.sampled_from(sorted(_TARGETS.items(), key=repr)))
            value = draw(st.sampled_from(choices))
            note(f"targeted {path} = {value!r:.80}")
            try:  # an earlier op may have removed or retyped the table
                _parent(doc, path)[path[-1]] = copy.deepcopy(value)
            except (KeyError, IndexError, TypeError):
                pass
            continue
        parent, key = _parent(doc, path), path[-1]
        note(f"{op} at {path}")
        if op == "replace":
            parent[key] = draw(st.one_of(_values, _special_strings, _ints))
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(_chars, min_size=1, max_size=12))] = draw(_values)
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op == "empty":
            cur = parent[key]
            parent[key] = [] if isinstance(cur, list) else {} if isinstance(cur, dict) else ""
    return doc


@st.composite
def _text_mutation(draw, text: str) -> str:
    lines = text.split("\n")
    op = draw(st.sampled_from(["huge-int", "dup-line", "insert-line", "flip-char", "truncate", "nested"]))
    note(f"text op {op}")
    if op == "huge-int":
        ints = [i for i, ln in enumerate(lines) if ln.split(" = ")[-1].isdigit()]
        i = draw(st.sampled_from(ints))
        lines[i] = lines[i] + "9" * draw(st.sampled_from([4300, 5000, 20000]))
    elif op == "dup-line":
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
    elif op == "insert-line":
        i = draw(st.integers(0, len(lines)))
        lines.insert(i, draw(st.sampled_from([
            "[[answers]]", "[review]", "x = 1", 'supersedes = "' + "0" * 64 + '"', "paths = []",
            "[[subject.paths]]", 'path = "\\u0000"', "reviewed_at = 9999-12-31T23:59:59Z", "[verdict.extra]",
        ])))
    elif op == "flip-char":
        pos = draw(st.integers(0, len(text) - 1))
        return text[:pos] + draw(st.one_of(_chars, st.sampled_from(["\x00", "\x7f", "\r", '"', "[", "="]))) + text[pos + 1 :]
    elif op == "truncate":
        return text[: draw(st.integers(0, len(text) - 1))]
    elif op == "nested":
        i = draw(st.integers(0, len(lines)))
        lines.insert(i, "deep = " + "[" * draw(st.sampled_from([100, 1000, 50_000])) + "]" * 3)
    return "\n".join(lines)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_attestation_never_crashes_verify(signed, capsys, data):
    """Mutated attestation (types, huge/negative ints, long strings, control chars, NULs, odd unicode,
    dates, empty lists, nested tables, broken TOML) -> ``verify --format json`` exits 1 or 2, no traceback."""
    original = signed.att.read_text()
    out = signed.repo / FUZZ
    if data.draw(st.booleans(), label="as data"):
        doc = data.draw(_data_mutation(tomllib.loads(original)))
        try:
            body = HEADER + tomli_w.dumps(doc)
        except (TypeError, ValueError):  # a value tomli_w cannot write (e.g. an int past the str limit)
            body = data.draw(_text_mutation(original))
    else:
        body = data.draw(_text_mutation(original))
    out.write_bytes(body.encode("utf-8", "surrogateescape"))
    sig = out.with_name(out.name + ".alice@example.com.sig")
    if data.draw(st.booleans(), label="with alice's signature of the original"):
        shutil.copyfile(f"{signed.att}.alice@example.com.sig", sig)
    elif sig.exists():
        sig.unlink()
    extra = ["--allowed-signers-ref", "main"] if data.draw(st.booleans(), label="trust ref") else []
    rc, stdout, err = run(capsys, "verify", FUZZ, "--format", "json", *extra)
    assert rc in (1, 2), f"exit {rc}:\n{stdout}\n{err}"
    if rc == 1:
        doc = json.loads(stdout)
        assert doc["problems"], stdout
    else:
        assert err.strip(), "exit 2 without a message"
    assert signed.att.read_text() == original
