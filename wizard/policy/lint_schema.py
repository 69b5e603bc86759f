"""Every schema error of a tree's raw TOML data, found without pydantic, worded as pydantic words them.

Why not validate with the models: importing pydantic and building the tree's validator costs about
four times what the rest of ``tree lint`` costs, and lint runs on every save in an editor. The
published JSON Schema (``decision_trees/tree.schema.json``, which a test keeps equal to the models'
own) says what the models check; this walks it over the data and reports *every* error, in the
models' order and with their messages, so the loader and lint say the same thing. The checks the
schema cannot express (the models' field validators) are the three ``_FIELD_CHECKS`` below; a test
fails when the models gain another one, and another test validates a corpus of broken trees both
ways and compares.

Lint is stricter than the loader on TOML types, on purpose: the models coerce ``format = "1"``,
``valid_days = 30.0`` and ``dont_know = 1``; lint reports them ("Input should be a valid integer"),
so a tree that lints clean always loads.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

Loc = tuple[str | int, ...]
Error = dict[str, Any]  # {"loc": Loc, "msg": str}, the shape of pydantic's ``ValidationError.errors()``

TREE_FORMAT = 1  # equal to wizard.policy.tree.TREE_FORMAT (a test checks; importing it would import pydantic)
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")  # as wizard.policy.tree.SEMVER

# Keywords this walker enforces; annotations (title, description, default, ...) are ignored. A test fails
# when the published schema uses a validation keyword outside this set.
KEYWORDS = frozenset({
    "$ref", "anyOf", "enum", "const", "type", "properties", "required", "additionalProperties", "propertyNames",
    "items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum",
})


def _semver(value: Any) -> str | None:
    return None if SEMVER.match(value) else f"version {value!r} is not semver (MAJOR.MINOR.PATCH)"


def _format(value: Any) -> str | None:
    if value > TREE_FORMAT:
        return f"tree format {value} is newer than this authready supports ({TREE_FORMAT}); upgrade authready"
    return "format must be 1 or more" if value < 1 else None


def _all_outcomes(value: Any, outcomes: tuple[str, ...]) -> str | None:
    missing = [o for o in outcomes if o not in value]
    return f"outcomes must define every outcome; missing: {', '.join(missing)}" if missing else None


# The models' field validators (wizard.policy.tree.Tree: _semver, _format, _all_outcomes), run as pydantic
# runs them: after the field itself validated, in the field's place in the order.
_FIELD_CHECKS: dict[tuple[str, str], Callable[[Any, tuple[str, ...]], str | None]] = {
    ("Tree", "version"): lambda v, _o: _semver(v),
    ("Tree", "format"): lambda v, _o: _format(v),
    ("Tree", "outcomes"): _all_outcomes,
}


def _one_of(values: list[Any]) -> str:
    shown = [repr(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class SchemaWalker:
    """Validates data against a JSON Schema (the subset in ``KEYWORDS``) the way the pydantic models do."""

    def __init__(self, schema: dict[str, Any], root_name: str = "Tree") -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.root, self.root_name = schema, root_name
        self.outcomes = tuple(self.defs.get("Outcome", {}).get("enum", ()))

    def errors(self, data: Any) -> list[Error]:
        out: list[Error] = []
        self._walk(self.root, data, (), out, self.root_name)
        return out

    def _walk(self, s: dict[str, Any], v: Any, loc: Loc, out: list[Error], name: str = "") -> None:
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            s = self.defs[name]
        if "anyOf" in s:  # the first branch that fits; else the first branch's errors
            trials = []
            for sub in s["anyOf"]:
                trial: list[Error] = []
                self._walk(sub, v, loc, trial)
                if not trial:
                    return
                trials.append(trial)
            out.extend(trials[0])
            return
        if "enum" in s or "const" in s:
            allowed = s["enum"] if "enum" in s else [s["const"]]
            if not any(type(v) is type(a) and v == a for a in allowed):
                out.append({"loc": loc, "msg": f"Input should be {_one_of(allowed)}"})
            return
        kind = s.get("type")
        if kind == "object":
            self._object(s, v, loc, out, name)
        elif kind == "array":
            self._array(s, v, loc, out)
        elif kind == "string":
            self._string(s, v, loc, out)
        elif kind in ("integer", "number"):
            self._number(s, v, loc, out, kind)
        elif kind == "boolean" and type(v) is not bool:
            out.append({"loc": loc, "msg": "Input should be a valid boolean"})

    def _object(self, s: dict[str, Any], v: Any, loc: Loc, out: list[Error], name: str) -> None:
        props: dict[str, Any] | None = s.get("properties")
        if not isinstance(v, dict):
            model = f" or instance of {name}" if props is not None else ""
            out.append({"loc": loc, "msg": f"Input should be a valid dictionary{model}"})
            return
        if props is None:  # a mapping (``dict[K, V]``): every key, then its value
            names, values = s.get("propertyNames"), s.get("additionalProperties")
            for key, item in v.items():
                if isinstance(names, dict):
                    self._walk(names, key, (*loc, key, "[key]"), out)
                if isinstance(values, dict):
                    self._walk(values, item, (*loc, key), out)
            return
        required = set(s.get("required", ()))
        for key, sub in props.items():
            if key not in v:
                if key in required:
                    out.append({"loc": (*loc, key), "msg": "Field required"})
                continue
            before = len(out)
            self._walk(sub, v[key], (*loc, key), out)
            check = _FIELD_CHECKS.get((name, key))
            if check and len(out) == before:
                msg = check(v[key], self.outcomes)
                if msg:
                    out.append({"loc": (*loc, key), "msg": f"Value error, {msg}"})
        extra = s.get("additionalProperties", True)
        for key, item in v.items():
            if key in props:
                continue
            if extra is False:
                out.append({"loc": (*loc, key), "msg": "Extra inputs are not permitted"})
            elif isinstance(extra, dict):
                self._walk(extra, item, (*loc, key), out)

    def _array(self, s: dict[str, Any], v: Any, loc: Loc, out: list[Error]) -> None:
        if not isinstance(v, list):
            out.append({"loc": loc, "msg": "Input should be a valid list"})
            return
        items = s.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(v):
                self._walk(items, item, (*loc, i), out)
        if len(v) < s.get("minItems", 0):
            out.append({"loc": loc, "msg": f"List should have at least {_plural(s['minItems'], 'item')} after "
                        f"validation, not {len(v)}"})
        if "maxItems" in s and len(v) > s["maxItems"]:
            out.append({"loc": loc, "msg": f"List should have at most {_plural(s['maxItems'], 'item')} after "
                        f"validation, not {len(v)}"})

    @staticmethod
    def _string(s: dict[str, Any], v: Any, loc: Loc, out: list[Error]) -> None:
        if not isinstance(v, str):
            out.append({"loc": loc, "msg": "Input should be a valid string"})
        elif len(v) < s.get("minLength", 0):
            out.append({"loc": loc, "msg": f"String should have at least {_plural(s['minLength'], 'character')}"})
        elif "maxLength" in s and len(v) > s["maxLength"]:
            out.append({"loc": loc, "msg": f"String should have at most {_plural(s['maxLength'], 'character')}"})
        elif "pattern" in s and not re.search(s["pattern"], v):
            out.append({"loc": loc, "msg": f"String should match pattern '{s['pattern']}'"})

    @staticmethod
    def _number(s: dict[str, Any], v: Any, loc: Loc, out: list[Error], kind: str) -> None:
        if type(v) is not int and (kind == "integer" or type(v) is not float):
            out.append({"loc": loc, "msg": f"Input should be a valid {kind}"})
            return
        for key, words, sign in (("minimum", "greater than or equal to", 1), ("maximum", "less than or equal to", -1),
                                 ("exclusiveMinimum", "greater than", 1), ("exclusiveMaximum", "less than", -1)):
            bound = s.get(key)
            if bound is None:
                continue
            gap = (v - bound) * sign  # how far inside the bound; an exclusive bound needs it positive
            if gap < 0 or (gap == 0 and key.startswith("exclusive")):
                out.append({"loc": loc, "msg": f"Input should be {words} {bound}"})
                return


def trees_dir() -> Path:
    """The folder of the trees inside authready, found through its package (``wizard.decision_trees``).

    Not ``workspace.shipped_trees_dir()``: where its first guess misses (a checkout, since the module
    moved to ``wizard/infra/``) it asks ``importlib.resources``, whose imports (zipfile, tempfile, ...)
    cost a lint-on-save more than the lint itself. The import system's own lookup is free.
    """
    from importlib.util import find_spec  # loaded at start-up by site already: costs nothing here

    spec = find_spec("wizard.decision_trees")
    return Path(spec.origin if spec and spec.origin else "decision_trees/__init__.py").resolve().parent


@lru_cache(maxsize=1)
def tree_walker() -> SchemaWalker:
    """The walker for the published tree schema (read once: lint of a folder checks many trees)."""
    schema_file = trees_dir() / "tree.schema.json"
    return SchemaWalker(json.loads(schema_file.read_text(encoding="utf-8")))


def schema_errors(data: dict[str, Any]) -> list[Error]:
    """Every error the tree models would report for ``data``, in their order, as ``{"loc", "msg"}``."""
    return tree_walker().errors(data)
