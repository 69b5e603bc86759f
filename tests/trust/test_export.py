"""``authready export --format in-toto``: an in-toto Statement v1 for supply-chain tooling."""

from __future__ import annotations

import hashlib
import json

from tests.helpers.signing import ATT, cli
from wizard.render.intoto import PREDICATE_TYPE, STATEMENT_TYPE


def test_in_toto_statement(signed, capsys):
    rc, out, err = cli(capsys, "export", ATT, "--format", "in-toto")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["_type"] == STATEMENT_TYPE == "https://in-toto.io/Statement/v1"
    assert doc["predicateType"] == PREDICATE_TYPE
    first, *paths = doc["subject"]
    assert first == {"name": ATT, "digest": {"sha256": hashlib.sha256(signed.att.read_bytes()).hexdigest()}}
    att = doc["predicate"]["attestation"]
    assert paths == [{"name": "src", "digest": {"gitTree": att["subject"]["paths"][0]["git_object"]}}]
    assert att["verdict"]["outcome"] == "go"
    sigs = doc["predicate"]["signatures"]
    assert [s["claimed_principal"] for s in sigs] == ["alice@example.com", "bob@example.com"]
    assert all(s["ssh_signature"].startswith("-----BEGIN SSH SIGNATURE-----") for s in sigs)


def test_file_subject_is_a_git_blob(signed, capsys):
    att = signed.record(name="one-file", paths=["src/auth.py"])
    rc, out, _ = cli(capsys, "export", str(att))
    assert rc == 0
    subj = json.loads(out)["subject"][1]
    assert subj["name"] == "src/auth.py" and list(subj["digest"]) == ["gitBlob"]


def test_export_to_file(signed, capsys, tmp_path):
    out_file = tmp_path / "statement.json"
    rc, out, _ = cli(capsys, "export", ATT, "--out", str(out_file))
    assert rc == 0 and out.strip() == str(out_file)
    assert json.loads(out_file.read_text())["_type"] == STATEMENT_TYPE


def test_export_bad_input(signed, capsys):
    rc, out, err = cli(capsys, "export", "nope.toml")
    assert rc == 2 and err.strip() == "authready: nope.toml: no such file"
    (signed.repo / "bad.toml").write_text("x = 1\n")
    rc, out, err = cli(capsys, "export", "bad.toml")
    assert rc == 2 and err.startswith("authready: bad.toml") and len(err.strip().splitlines()) == 1


def test_export_never_overwrites(signed, capsys, tmp_path):
    """--out refuses an existing file (an attestation, a signature) and a folder: one line, exit 2, nothing changed."""
    sig = signed.repo / f"{ATT}.alice@example.com.sig"
    for target in (signed.att, sig):
        before = target.read_bytes()
        rc, out, err = cli(capsys, "export", ATT, "--out", str(target))
        assert rc == 2 and "refusing to overwrite" in err and len(err.strip().splitlines()) == 1, err
        assert target.read_bytes() == before
    rc, out, err = cli(capsys, "export", ATT, "--out", str(tmp_path))
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert tmp_path.is_dir()
