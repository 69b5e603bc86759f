"""Where trees come from: shipped, and installed packages (entry-point group ``authready.trees``).

Each test installs distributions on a fresh site folder on ``sys.path`` (``tests/helpers/packages.py``:
real ``.dist-info`` metadata that ``importlib.metadata`` reads); the slow test
``tests/cli/test_policy_package.py`` does the same with a real wheel and pip.
"""

from __future__ import annotations

import hashlib
import json
import sys

import pytest

from tests.helpers.packages import dist, package, site, tree_package, tree_text  # noqa: F401 (site: a fixture)
from tests.helpers.signing import cli
from wizard.infra import tree_sources
from wizard.infra.errors import InputError
from wizard.infra.workspace import shipped_trees_dir, tree_file

SHIPPED = "generated-auth-code"


def test_a_package_tree_is_found_by_id_like_a_shipped_one(site):
    path = tree_package(site, "acme-policy", "acme-data", version="2.3.0", tree_version="1.4.0")
    src = tree_sources.resolve("acme-data")
    assert (src.path, src.provider, src.version) == (path, "acme-policy 2.3.0", "1.4.0")
    assert src.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert tree_file("acme-data") == path
    assert tree_sources.resolve(SHIPPED).provider == "shipped"
    assert tree_sources.catalogue().ids() == sorted(["acme-data", SHIPPED])
    assert tree_sources.installed_at(path) == src
    assert tree_sources.installed_at(shipped_trees_dir() / f"{SHIPPED}.toml").provider == "shipped"
    assert tree_sources.installed_at(site / "elsewhere.toml") is None


def test_an_unknown_id_names_the_known_ones(site):
    tree_package(site, "acme-policy", "acme-data")
    with pytest.raises(InputError) as exc:
        tree_file("acme-date")
    assert exc.value.message == (
        f"unknown tree 'acme-date' (installed trees: acme-data, {SHIPPED}; see `authready tree list`, "
        "or give a path to a .toml file)"
    )


def test_the_package_is_never_imported(site):
    """Listing reads files only: a package whose import would fail (or do anything) is still listed."""
    path = tree_package(site, "acme-policy", "acme-data")
    (path.parent / "__init__.py").write_text("raise SystemExit('imported')\n")
    assert tree_sources.resolve("acme-data").path == path


def test_a_dotted_package_and_one_found_on_the_path(site, tmp_path, monkeypatch):
    dist(site, "acme-policy", "1.0.0", {"acme-data": "acme.policies", "acme-dev": "acme_dev"})
    dotted = package(site, "acme.policies", {"acme-data.toml": tree_text("acme-data")})
    src = tmp_path / "src"  # an editable install: the package is not beside its metadata
    monkeypatch.syspath_prepend(str(src))
    dev = package(src, "acme_dev", {"acme-dev.toml": tree_text("acme-dev")})
    tree_sources.forget()
    assert tree_sources.resolve("acme-data").path == dotted / "acme-data.toml"
    assert tree_sources.resolve("acme-dev").path == dev / "acme-dev.toml"


def test_the_package_beside_its_distribution_wins_over_a_shadow_on_the_path(site, tmp_path, monkeypatch):
    path = tree_package(site, "acme-policy", "acme-data")
    shadow = tmp_path / "shadow"
    monkeypatch.syspath_prepend(str(shadow))
    package(shadow, "acme_data", {"acme-data.toml": tree_text("acme-data", "9.9.9")})
    tree_sources.forget()
    assert tree_sources.resolve("acme-data").path == path


def test_the_working_folder_is_not_searched(site, monkeypatch):
    """``python -m`` puts the working folder first on sys.path: a checkout must not plant a package there."""
    monkeypatch.chdir(site)
    tree_package(site, "planted-policy", "planted")
    tree_sources.forget()
    with pytest.raises(InputError, match="unknown tree 'planted'"):
        tree_sources.resolve("planted")


def test_the_same_distribution_twice_on_the_path_counts_once(site, tmp_path, monkeypatch):
    first = tree_package(site, "acme-policy", "acme-data", version="2.0.0")
    later = tmp_path / "later"
    monkeypatch.setattr(sys, "path", [*sys.path, str(later)])
    tree_package(later, "Acme_Policy", "acme-data", version="1.0.0")
    tree_sources.forget()
    assert tree_sources.resolve("acme-data").path == first
    assert tree_sources.catalogue().clashes() == {}


def test_the_scan_runs_once_until_forgotten(site):
    assert "acme-data" not in tree_sources.catalogue().ids()
    tree_package(site, "acme-policy", "acme-data")
    assert "acme-data" not in tree_sources.catalogue().ids()
    tree_sources.forget()
    assert "acme-data" in tree_sources.catalogue().ids()


# -- broken entry points and clashes ---------------------------------------------------------------------


def _no_package(site):
    dist(site, "ghost-policy", "0.1.0", {"ghost": "ghost_pkg"})


def _no_file(site):
    dist(site, "ghost-policy", "0.1.0", {"ghost": "ghost_pkg"})
    package(site, "ghost_pkg", {"other.toml": tree_text("other")})


def _other_id(site):
    dist(site, "ghost-policy", "0.1.0", {"ghost": "ghost_pkg"})
    package(site, "ghost_pkg", {"ghost.toml": tree_text("spirit")})


def _an_attribute(site):
    dist(site, "ghost-policy", "0.1.0", {"ghost": "ghost_pkg:trees"})
    package(site, "ghost_pkg", {"ghost.toml": tree_text("ghost")})


@pytest.mark.parametrize("make, problem", [
    (_no_package, "package 'ghost_pkg' is not installed (or is not a package folder); reinstall ghost-policy"),
    (_no_file, "package 'ghost_pkg' has no ghost.toml ("),
    (_other_id, "ghost.toml says id = 'spirit', but the entry point names it 'ghost'; the entry point's name must be the tree's id"),
    (_an_attribute, "the entry point's value 'ghost_pkg:trees' must name an importable package that holds ghost.toml"),
])
def test_a_broken_entry_point_is_listed_and_refused_in_one_line(site, capsys, make, problem):
    make(site)
    with pytest.raises(InputError) as exc:
        tree_sources.resolve("ghost")
    assert exc.value.message.startswith("tree 'ghost' from ghost-policy 0.1.0 cannot be used: ")
    assert problem in exc.value.message
    rc, out, err = cli(capsys, "tree", "list")
    assert rc == 1 and err == ""
    assert "1 problem(s):" in out and f"  ghost (ghost-policy 0.1.0): " in out and problem in out
    rc, out, err = cli(capsys, "tree", "lint", "ghost")
    assert rc == 2 and len(err.strip().splitlines()) == 1 and problem in err
    assert tree_sources.resolve(SHIPPED).provider == "shipped"  # the other ids still resolve


def test_an_entry_point_name_that_is_no_id(site):
    dist(site, "ghost-policy", "0.1.0", {"Ghost": "ghost_pkg"})
    [broken] = tree_sources.catalogue().broken
    assert broken.problem.startswith("the entry point's name 'Ghost' is not a tree id")


def test_a_damaged_entry_points_file_is_a_problem_not_a_traceback(site, capsys):
    info = dist(site, "bad-policy", "1.0", {})
    (info / "entry_points.txt").write_text("[authready.trees]\nno-equals-sign\n")
    rc, out, err = cli(capsys, "tree", "list")
    assert rc == 1 and err == ""
    assert "  ? (bad-policy 1.0): its entry_points.txt cannot be read (" in out and "); reinstall bad-policy" in out
    assert tree_sources.resolve(SHIPPED).provider == "shipped"


def test_two_providers_of_one_id_is_an_error_naming_both(site, capsys):
    first = tree_package(site, "acme-policy", "acme-data")
    dist(site, "rogue-policy", "6.6.6", {"acme-data": "rogue_pkg"})
    rogue = package(site, "rogue_pkg", {"acme-data.toml": tree_text("acme-data")}) / "acme-data.toml"
    with pytest.raises(InputError) as exc:
        tree_file("acme-data")
    assert exc.value.message == (
        f"tree id 'acme-data' is provided 2 times, by acme-policy 1.0.0 ({first}) and rogue-policy 6.6.6 ({rogue}); "
        "an id must name one policy: uninstall all but one (`authready tree list` shows every provider)"
    )
    rc, out, _ = cli(capsys, "tree", "list", "--format", "json")
    doc = json.loads(out)
    assert rc == 1
    assert [(t["id"], t["provider"], t["problem"]) for t in doc["trees"]] == [
        (SHIPPED, "shipped", None), ("acme-data", "acme-policy 1.0.0", "clash"), ("acme-data", "rogue-policy 6.6.6", "clash"),
    ]
    [problem] = doc["problems"]
    assert problem["kind"] == "clash" and problem["providers"] == ["acme-policy 1.0.0", "rogue-policy 6.6.6"]


def test_a_package_cannot_take_the_shipped_id(site, capsys):
    """Not "first on sys.path wins": a package claiming the shipped id stops every use of that id."""
    tree_package(site, "rogue-policy", SHIPPED)
    with pytest.raises(InputError, match=f"tree id '{SHIPPED}' is provided 2 times, by shipped .* and rogue-policy 1.0.0"):
        tree_file(None)
    rc, _, err = cli(capsys, "tree", "lint")
    assert rc == 2 and "provided 2 times" in err


# -- authready tree list -----------------------------------------------------------------------------------


def test_tree_list_shows_id_version_provider_and_hash(site, capsys):
    path = tree_package(site, "acme-policy", "acme-data", version="2.3.0", tree_version="1.4.0")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rc, out, err = cli(capsys, "tree", "list")
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "PROVIDER", "SHA256", "PATH"]
    assert lines[1].startswith(SHIPPED) and " shipped " in lines[1]
    assert lines[2].split() == ["acme-data", "1.4.0", "acme-policy", "2.3.0", sha[:12], str(path)]
    rc, out, _ = cli(capsys, "tree", "list", "--format", "json")
    doc = json.loads(out)
    assert rc == 0 and doc["problems"] == []
    assert doc["trees"][1] == {"id": "acme-data", "version": "1.4.0", "provider": "acme-policy 2.3.0",
                               "path": str(path), "sha256": sha, "problem": None}


def test_tree_list_renders_package_text_literally(site, capsys):
    dist(site, "ghost-policy", "0.1.0", {"ghost": "ghost_pkg"})
    package(site, "ghost_pkg", {"ghost.toml": 'id = "ghost"\nversion = "1.0\x1b[31m"\n'})
    rc, out, _ = cli(capsys, "tree", "list")
    assert rc == 0 and "\x1b" not in out and "1.0\\x1b[31m" in out
