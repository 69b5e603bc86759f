"""Where trees come from: the shipped ones, and those installed packages declare (``authready.trees``).

A central policy owner ships a tree as a Python package, so forty repos install one version of it
instead of forty drifting copies. The distribution declares::

    [project.entry-points."authready.trees"]
    acme-data = "acme_policy"          # tree id = importable package holding acme-data.toml

Every installed tree is found by id, exactly like a shipped one: an attestation of it records no
``policy.source``, and the gate loads it again from the environment CI installed. So an id must
name one file: two providers of one id is an error naming both (never "first on sys.path wins"),
and an entry point whose package or file is missing, or whose file says another ``id``, is
reported by ``authready tree list`` and refused when that id is resolved, in one line.

Kept free of pydantic (infra layer): ids and versions are peeked from a tree's first lines. The
scan runs once per process: a look at each ``*.dist-info`` first (~2 ms; without a policy package
installed, ``importlib.metadata`` is never imported), then ``importlib.metadata`` reads
``entry_points.txt`` of each distribution and parses only those that mention the group
(``importlib.metadata.entry_points`` parses every one: ~4x slower with 70 packages installed).

Nothing here imports a tree's package: its folder is found beside its distribution (or on the
search path without executing anything). The working folder is not searched: ``python -m`` puts
it first on ``sys.path``, and a checkout under review must not be able to plant an "installed"
package (or shadow one) there.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import InputError
from wizard.infra.workspace import shipped_trees_dir

if TYPE_CHECKING:  # pragma: no cover
    from importlib.metadata import Distribution

GROUP = "authready.trees"
SHIPPED = "shipped"  # the provider of the trees inside authready itself
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")  # the tree id rule (``wizard.policy.tree.ID_PATTERN``)
_TOP_STRING = re.compile(r'^([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*"([^"\\]*)"\s*(#.*)?$')


@dataclass(frozen=True)
class TreeSource:
    """One tree file found by id: who provides it, and (read on demand) its version and hash."""

    id: str
    path: Path
    provider: str  # "shipped", or "<distribution> <version>"

    @property
    def shipped(self) -> bool:
        return self.provider == SHIPPED

    @cached_property
    def sha256(self) -> str:
        """sha256 of the file's bytes: what an attestation records as ``policy.sha256``."""
        import hashlib  # here: resolving an id needs no hash, and _hashlib loads OpenSSL

        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @cached_property
    def version(self) -> str:
        """The tree's top-level ``version`` (empty when it cannot be read without parsing)."""
        return top_strings(self.path).get("version", "")


@dataclass(frozen=True)
class Broken:
    """An entry point that names no usable tree: what it claims and why it cannot be used."""

    id: str  # the entry point's name: the id it claims
    provider: str
    problem: str  # what is wrong, and what to do


@dataclass(frozen=True)
class Catalogue:
    """Every tree found by id: usable ones (clashing ones included) and broken entry points."""

    trees: tuple[TreeSource, ...]
    broken: tuple[Broken, ...] = field(default=())

    def claims(self, tree_id: str) -> list[TreeSource | Broken]:
        """Everything that claims ``tree_id``: one for a usable id, more for a clash."""
        return [t for t in self.trees if t.id == tree_id] + [b for b in self.broken if b.id == tree_id]

    def clashes(self) -> dict[str, list[TreeSource | Broken]]:
        """Ids claimed by more than one provider."""
        ids = dict.fromkeys([t.id for t in self.trees] + [b.id for b in self.broken])
        return {i: c for i in ids if len(c := self.claims(i)) > 1}

    def ids(self) -> list[str]:
        """The ids that resolve (claimed once, by a usable tree)."""
        return sorted({t.id for t in self.trees if len(self.claims(t.id)) == 1})

    def find(self, tree_id: str) -> TreeSource:
        """The one tree with this id; ``InputError`` (one line, what to do) when none, several or broken."""
        found = self.claims(tree_id)
        if not found:
            known = ", ".join(self.ids()) or "none"
            raise InputError(
                f"unknown tree {tree_id!r} (installed trees: {known}; see `authready tree list`, "
                "or give a path to a .toml file)"
            )
        if len(found) > 1:
            raise InputError(clash_message(tree_id, found))
        one = found[0]
        if isinstance(one, Broken):
            raise InputError(f"tree {tree_id!r} from {one.provider} cannot be used: {one.problem}")
        return one

    def installed_at(self, path: Path) -> TreeSource | None:
        """The listed tree whose file ``path`` is (resolved), if any."""
        target = path.resolve()
        return next((t for t in self.trees if t.path.resolve() == target), None)


def clash_message(tree_id: str, claims: list[TreeSource | Broken]) -> str:
    """Two providers of one id: name them all, and what to do."""
    who = " and ".join(f"{c.provider} ({c.path})" if isinstance(c, TreeSource) else c.provider for c in claims)
    return (
        f"tree id {tree_id!r} is provided {len(claims)} times, by {who}; an id must name one policy: "
        "uninstall all but one (`authready tree list` shows every provider)"
    )


def top_strings(path: Path) -> dict[str, str]:
    """The plain ``key = "value"`` lines before a TOML file's first table, read without parsing."""
    found: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                text = line.strip()
                if text.startswith("["):
                    break
                m = _TOP_STRING.match(text)
                if m:
                    found.setdefault(m.group(1), m.group(2))
    except (OSError, UnicodeDecodeError):
        pass
    return found


def _file_id(path: Path) -> str | None:
    """A tree file's ``id``: peeked, else parsed (a file written another way); None when it has none."""
    peeked = top_strings(path).get("id")
    if peeked is not None:
        return peeked
    import tomllib

    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("id")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None


def shipped() -> list[TreeSource]:
    """The trees inside authready (no scan of installed packages)."""
    folder = shipped_trees_dir()
    return [
        TreeSource(p.stem, p, SHIPPED)
        for p in sorted(folder.glob("*.toml"))
        if not p.name.endswith(".scenarios.toml")
    ]


def _search_path() -> list[str]:
    """``sys.path`` without the working folder (``''`` or its own name), where a checkout could plant files."""
    try:
        here = Path.cwd().resolve()
    except OSError:
        here = None
    out = []
    for entry in sys.path:
        if not entry:
            continue
        try:
            if here is not None and Path(entry).resolve() == here:
                continue
        except (OSError, RuntimeError):
            continue
        out.append(entry)
    return out


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _package_dirs(dist: Distribution, package: str, search: list[str]) -> list[Path]:
    """The folders of ``package``: beside its distribution, else found on the search path (not imported)."""
    own = Path(str(dist.locate_file(package.replace(".", "/"))))
    if own.is_dir():
        return [own]
    from importlib.machinery import PathFinder

    locations: list[str] = search
    for i in range(1, package.count(".") + 2):
        spec = PathFinder.find_spec(".".join(package.split(".")[:i]), locations)
        if spec is None or spec.submodule_search_locations is None:
            return []
        locations = list(spec.submodule_search_locations)
    return [Path(p) for p in locations]


def _entry(dist: Distribution, provider: str, name: str, value: str, search: list[str]) -> TreeSource | Broken:
    """One ``authready.trees`` entry point checked: its name is an id, its package holds ``<id>.toml`` saying so."""
    if not _ID.fullmatch(name):
        return Broken(name, provider, f"the entry point's name {name!r} is not a tree id (lowercase letters, digits, "
                                      "'.', '_', '-'); name it after the tree's id")
    package = value.strip()
    if not package or not all(part.isidentifier() for part in package.split(".")):
        return Broken(name, provider, f"the entry point's value {value!r} must name an importable package that "
                                      f"holds {name}.toml (e.g. {name.replace('-', '_').replace('.', '_')!r})")
    try:
        folders = _package_dirs(dist, package, search)
    except (ImportError, OSError, ValueError):  # a damaged install: reported below as not installed
        folders = []
    if not folders:
        return Broken(name, provider, f"package {package!r} is not installed (or is not a package folder); "
                                      f"reinstall {provider.split(' ')[0]}")
    path = next((f / f"{name}.toml" for f in folders if (f / f"{name}.toml").is_file()), None)
    if path is None:
        return Broken(name, provider, f"package {package!r} has no {name}.toml ({folders[0]}); the package must "
                                      "hold the tree file named after its id (package data in the wheel)")
    file_id = _file_id(path)
    if file_id != name:
        says = f"says id = {file_id!r}" if file_id else "has no readable top-level id"
        return Broken(name, provider, f"{path} {says}, but the entry point names it {name!r}; the entry point's "
                                      "name must be the tree's id")
    return TreeSource(name, path, provider)


def _may_declare_trees(search: list[str]) -> bool:
    """Whether any distribution on ``search`` could declare the group: False only when certain it cannot.

    Most environments have no policy package, and ``importlib.metadata`` costs a pydantic-free
    command (lint on save, the plain mode's first prompt) more to import than the rest of its
    start; a look at each folder's ``*.dist-info``/``*.egg-info`` is enough to know. Anything it
    does not read (a zip or egg on the path, a finder with distributions of its own) counts as maybe.
    """
    from importlib.machinery import PathFinder

    if any(hasattr(f, "find_distributions") and f is not PathFinder for f in sys.meta_path):
        return True
    for entry in search:
        if entry.endswith(".egg"):
            return True
        try:
            children = os.scandir(entry)
        except FileNotFoundError:
            continue
        except OSError:  # a file (a zip), or unreadable: let importlib.metadata decide
            return True
        with children:
            for child in children:
                if child.name.endswith((".dist-info", ".egg-info")):
                    try:
                        with open(os.path.join(child.path, "entry_points.txt"), encoding="utf-8", errors="replace") as fh:
                            if GROUP in fh.read():
                                return True
                    except OSError:
                        continue
    return False


def _installed() -> tuple[list[TreeSource], list[Broken]]:
    """Every ``authready.trees`` entry point of the installed distributions (first of a name wins, as pip sees it)."""
    search = _search_path()
    if not _may_declare_trees(search):
        return [], []
    from importlib.metadata import distributions

    trees: list[TreeSource] = []
    broken: list[Broken] = []
    seen: set[str] = set()
    for dist in distributions(path=search):
        try:
            text = dist.read_text("entry_points.txt")
        except (OSError, UnicodeDecodeError):
            continue
        if not text or GROUP not in text:
            continue
        name = dist.metadata["Name"] or "?"
        if _normalise(name) in seen:  # the same distribution again, further down the path
            continue
        seen.add(_normalise(name))
        provider = f"{name} {dist.version or '?'}"
        try:
            declared = [(ep.name, ep.value) for ep in dist.entry_points.select(group=GROUP)]
        except Exception as exc:  # noqa: BLE001 - importlib.metadata's parser fails in many ways on a damaged file
            broken.append(Broken("?", provider, f"its entry_points.txt cannot be read ({type(exc).__name__}); "
                                                f"reinstall {name}"))
            continue
        for ep_name, ep_value in declared:
            got = _entry(dist, provider, ep_name, ep_value, search)
            if isinstance(got, TreeSource):
                trees.append(got)
            else:
                broken.append(got)
    return trees, broken


@cache
def catalogue() -> Catalogue:
    """Shipped and installed trees, scanned once per process (``forget`` scans again)."""
    trees, broken = _installed()
    return Catalogue(tuple(shipped() + sorted(trees, key=lambda t: (t.id, t.provider))),
                     tuple(sorted(broken, key=lambda b: (b.id, b.provider))))


def forget() -> None:
    """Drop the scan (after a package was installed or removed in this process)."""
    catalogue.cache_clear()


def resolve(tree_id: str) -> TreeSource:
    """The tree file an id names, shipped or installed; ``InputError`` when unknown, clashing or broken."""
    return catalogue().find(tree_id)


def installed_at(path: Path) -> TreeSource | None:
    """The shipped or installed tree whose file ``path`` is, if any (a shipped file needs no scan)."""
    target = path.resolve()
    if target.parent == shipped_trees_dir().resolve():
        return next((t for t in shipped() if t.path.resolve() == target), None)
    return catalogue().installed_at(target)
