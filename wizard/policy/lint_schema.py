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


_TAGS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "object": "dict", "array": "list"}


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


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
        self._checks: dict[int, Callable[[Any], bool]] = {}  # id of a schema node -> its compiled check (``valid``)

    def errors(self, data: Any) -> list[Error]:
        out: list[Error] = []
        self._walk(self.root, data, (), out, self.root_name)
        return out

    def _walk(self, s: dict[str, Any], v: Any, loc: Loc, out: list[Error], name: str = "") -> None:
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            s = self.defs[name]
        if "anyOf" in s:
            self._any_of(s["anyOf"], v, loc, out)
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
        elif kind == "null" and v is not None:  # an optional field's other branch: TOML has no null, so never
            out.append({"loc": loc, "msg": "Input should be None"})

    def _any_of(self, branches: list[dict[str, Any]], v: Any, loc: Loc, out: list[Error]) -> None:
        """A union: fine when a branch fits. Else, as pydantic words it: an optional field (``X | None``)
        reports ``X``'s errors; any other union every branch's, each under the branch's tag
        (``remediation item 1, str: …``, ``…, RemediationStep, step: …``)."""
        trials = []
        for sub in branches:
            trial: list[Error] = []
            self._walk(sub, v, loc, trial)
            if not trial:
                return
            trials.append((sub, trial))
        if any(sub.get("type") == "null" for sub in branches):
            out.extend(trials[0][1])
            return
        for sub, trial in trials:
            tag = sub["$ref"].rsplit("/", 1)[-1] if "$ref" in sub else _TAGS.get(sub.get("type", ""), "")
            out.extend({**e, "loc": (*loc, tag, *e["loc"][len(loc):])} for e in trial)

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
                if not self.valid(items)(item):  # the walk (with its places and words) only where it fails
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
        elif "pattern" in s and not _compiled(s["pattern"]).search(v):
            out.append({"loc": loc, "msg": f"String should match pattern '{s['pattern']}'"})

    def valid(self, s: dict[str, Any], name: str = "") -> Callable[[Any], bool]:
        """A yes/no check of ``s``: whether ``_walk`` would find no error, without building places or messages.

        Compiled once per schema node into closures (a tree has tens of thousands of values, lint runs on
        every save, and most values are valid): the walk with its places and words runs only where this
        says no.
        """
        check = self._checks.get(id(s))
        if check is None:
            check = self._checks[id(s)] = self._compile(s, name)
        return check

    def _compile(self, s: dict[str, Any], name: str) -> Callable[[Any], bool]:
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            return self.valid(self.defs[name], name)
        if "anyOf" in s:
            branches = [self.valid(sub) for sub in s["anyOf"]]
            return lambda v: any(b(v) for b in branches)
        if "enum" in s or "const" in s:
            allowed = [(type(a), a) for a in (s["enum"] if "enum" in s else [s["const"]])]
            return lambda v: any(type(v) is t and v == a for t, a in allowed)
        kind = s.get("type")
        if kind == "object":
            return self._compile_object(s, name)
        if kind == "array":
            items = self.valid(s["items"]) if isinstance(s.get("items"), dict) else None
            lo, hi = s.get("minItems", 0), s.get("maxItems")
            return lambda v: (isinstance(v, list) and lo <= len(v) and (hi is None or len(v) <= hi)
                              and (items is None or all(map(items, v))))
        if kind == "string":
            shortest, longest = s.get("minLength", 0), s.get("maxLength")
            search = _compiled(s["pattern"]).search if "pattern" in s else None
            return lambda v: (isinstance(v, str) and shortest <= len(v) and (longest is None or len(v) <= longest)
                              and (search is None or search(v) is not None))
        if kind in ("integer", "number"):
            return lambda v: not self._number_errors(s, v, kind)
        if kind == "boolean":
            return lambda v: type(v) is bool
        return (lambda v: v is None) if kind == "null" else (lambda v: True)

    def _compile_object(self, s: dict[str, Any], name: str) -> Callable[[Any], bool]:
        props: dict[str, Any] | None = s.get("properties")
        if props is None:  # a mapping: every key, then its value
            names = self.valid(s["propertyNames"]) if isinstance(s.get("propertyNames"), dict) else None
            values = self.valid(s["additionalProperties"]) if isinstance(s.get("additionalProperties"), dict) else None
            return lambda v: isinstance(v, dict) and all(
                (names is None or names(k)) and (values is None or values(x)) for k, x in v.items())
        required = tuple(s.get("required", ()))
        fields = {key: (self.valid(sub), _FIELD_CHECKS.get((name, key))) for key, sub in props.items()}
        extra = s.get("additionalProperties", True)
        extra_check = self.valid(extra) if isinstance(extra, dict) else None
        outcomes = self.outcomes

        def check(v: Any) -> bool:
            if not isinstance(v, dict) or any(key not in v for key in required):
                return False
            for key, item in v.items():
                field = fields.get(key)
                if field is None:
                    if extra is False or (extra_check is not None and not extra_check(item)):
                        return False
                elif not field[0](item) or (field[1] is not None and field[1](item, outcomes)):
                    return False
            return True

        return check

    def _number_errors(self, s: dict[str, Any], v: Any, kind: str) -> bool:
        found: list[Error] = []
        self._number(s, v, (), found, kind)
        return bool(found)

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
