"""Benchmark: load + lint + evaluate generated trees of 1,000 and 10,000 questions (with select-all
questions, caps and moots: see ``generate``).

The time that matters for the 1-second target is lint + evaluate on a
loaded tree (lint on the parsed TOML data, evaluate on the models); parsing
the 4.5 MB TOML file with the standard library's tomllib (about 2 MB/s) is
reported beside it as the floor. Prints absolute times, the growth ratio (10k / 1k; about 10 means linear)
and each time as a ratio of a floor measured in the same run (parsing the
same TOML text with tomllib alone), because absolute times drift on shared
machines. Run: python bench/bench_core.py
"""

from __future__ import annotations

import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wizard.policy.engine import evaluate  # noqa: E402
from wizard.policy.lint import lint, lint_source  # noqa: E402
from wizard.policy.tree import Outcome, parse_tree  # noqa: E402


def generate(n: int) -> tuple[str, dict[str, str | list[str]]]:
    """A tree of n questions: each leads to the next two, raises a finding on one choice.

    Every fifth question is select-all-that-apply (a question-level ``next``, an answer that caps the
    verdict, exclusive "none of these" and "don't know" answers), and every seventh question's first
    answer makes the question three further on moot (which then has its own ``next``). The answers
    walk the whole tree: they select two answers of each select-all question, and pass the moot ones.
    """
    out = [
        'format = 1\nid = "bench"\nversion = "1.0.0"\ntitle = "bench"\nstart = "q0"\n',
        '[outcomes.go]\nvalid_days = 1\nrequired_signers = 1\n[outcomes.conditional]\nvalid_days = 1\nrequired_signers = 1\n',
        '[outcomes.prototype]\nvalid_days = 1\nrequired_signers = 1\n[outcomes."no-go"]\nvalid_days = 1\nrequired_signers = 1\n',
        '[references]\n"R1" = "A reference"\n',
    ]
    answers: dict[str, str | list[str]] = {}
    for i in range(n):
        a = f"q{i + 1}" if i + 1 < n else "end"
        b = f"q{i + 2}" if i + 2 < n else "end"
        many = i % 5 == 0
        mooted = i % 7 == 6
        moots = f'moots = ["q{i + 3}"]\n' if i % 7 == 3 and i + 3 < n else ""
        out.append(
            f'[[questions]]\nid = "q{i}"\ntext = "Question {i}?"\nhelp = "Why {i} matters."\nrefs = ["R1"]\n'
            + ('select = "many"\n' if many else "") + (f'next = "{a}"\n' if many or mooted else "")
            + '[[questions.choices]]\nid = "ok"\nlabel = "Fine"\n' + ("" if many else f'next = "{a}"\n') + moots
            + f'[[questions.choices]]\nid = "skip"\nlabel = "Skip one"\nnext = "{b}"\nraises = ["f{i}"]\n'
        )
        if many:
            out.append(
                '[[questions.choices]]\nid = "capped"\nlabel = "Capped"\ncap = "conditional"\n'
                '[[questions.choices]]\nid = "none"\nlabel = "None of these"\nexclusive = true\n'
                f'[[questions.choices]]\nid = "unknown"\nlabel = "We don\'t know"\nexclusive = true\n'
                f'dont_know = true\nraises = ["f{i}"]\n'
            )
        out.append(
            f'[[findings]]\nid = "f{i}"\nseverity = "{"warning" if i % 2 else "blocker"}"\ntitle = "F{i}"\n'
            f'explanation = "E{i}"\nremediation = ["Fix {i}"]\n'
        )
        answers[f"q{i}"] = ["ok", "capped"] if many else "ok"
    out.append('[[ends]]\nid = "end"\noutcome = "go"\nsummary = "done"\n')
    return "".join(out), answers


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    results = {}
    for n in (1_000, 10_000):
        text, answers = generate(n)
        path = tmp / f"bench-{n}.toml"
        path.write_text(text)
        floor = best_of(lambda: tomllib.loads(text))
        data = tomllib.loads(text)

        def full():
            loaded = parse_tree(text, path)
            problems = lint(loaded)
            assert not problems, problems[:3]
            v = evaluate(loaded.tree, answers)
            assert v.outcome is Outcome.CONDITIONAL and v.walk.skipped and v.capped, v.label

        t = best_of(full)
        loaded = parse_tree(text, path)
        # Lint reads the raw TOML data (it imports no pydantic); `lint(loaded)` parses the text again, so
        # lint proper is timed on data already parsed, and the parse stands beside it as the floor.
        t_lint = best_of(lambda: lint_source(text, path, data))
        t_eval = best_of(lambda: evaluate(loaded.tree, answers))
        v = evaluate(loaded.tree, answers)
        many = sum(q.many for q in loaded.tree.questions)
        moots = sum(len(c.moots) for q in loaded.tree.questions for c in q.choices)
        results[n] = t
        results[("le", n)] = t_lint + t_eval
        print(
            f"{n:>6} questions ({many} select-all, {moots} moots; the walk passes {len(v.walk.skipped)} moot, "
            f"{len(v.capped)} answers cap it):\n"
            f"        lint {t_lint * 1000:.1f} ms ({t_lint / floor:.2f}x the floor), evaluate {t_eval * 1000:.1f} ms "
            f"({t_eval / floor:.2f}x); load+lint+evaluate from text {t * 1000:.1f} ms ({t / floor:.2f}x); "
            f"floor: tomllib alone {floor * 1000:.1f} ms"
        )
    growth = results[10_000] / results[1_000]
    le_growth = results[("le", 10_000)] / results[("le", 1_000)]
    print(f"growth 1k -> 10k: whole {growth:.1f}x, lint+evaluate {le_growth:.1f}x (10x is linear)")
    le = results[("le", 10_000)]
    print(f"10k lint+evaluate under one second: {'yes' if le < 1.0 else 'NO'} ({le * 1000:.0f} ms)")
    print(
        f"10k including the TOML parse (twice: the models' load, and lint's): {results[10_000] * 1000:.0f} ms, of "
        "which the standard library's tomllib is the floor above"
    )


if __name__ == "__main__":
    main()
