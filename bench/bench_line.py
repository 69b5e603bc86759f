"""What does a listener get per question: line mode vs the questionary plain mode vs a floor?

A script, not a test: it runs one production review of the shipped policy
(a GO scenario of about 24 questions from its scenarios file) three ways,
each through a real pseudo-terminal (80x24) driven with pexpect:

- floor: a tiny script that prints each question and its numbered choices once
  and reads a line (no header, no confirmation, no help);
- line: ``authready review --plain --accessible`` (line mode);
- questionary: ``authready review --plain`` in a capable terminal (TERM=xterm).

For each it reports the bytes the terminal received per question (from the
first question to the verdict; typed input echoed by the terminal included,
the same for all), how many were escape sequences, and the median time from
sending an answer to the next prompt being on the terminal. Line mode is also
run through a pipe (no terminal at all) to count its escapes there.

Then one question's transcript (everything between two answers, escapes
stripped) is spoken with espeak-ng to a WAV file, and the seconds a listener
waits per question are reported for each mode (skipped when espeak-ng is not
installed: ``apt-get install -y espeak-ng``).

Targets for line mode: bytes per question <= 1.3x the floor's, 0 escapes,
median prompt-to-prompt under 5 ms.

    python bench/bench_line.py [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREE = ROOT / "decision_trees" / "generated-auth-code.toml"
SCENARIOS = ROOT / "decision_trees" / "generated-auth-code.scenarios.toml"
WANT_QUESTIONS = 24
TARGET_BYTES = 1.3
TARGET_MS = 5.0
ESCAPE = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_]|.)")

FLOOR = r'''
import sys, tomllib
t = tomllib.load(open(sys.argv[1], "rb"))
qs = {q["id"]: q for q in t["questions"]}
cur = t["start"]
while cur in qs:
    q = qs[cur]
    sys.stdout.write(q["text"] + "\n" + "".join(f"{i} {c['label']}\n" for i, c in enumerate(q["choices"], 1)) + "> ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise SystemExit(2)
    cur = q["choices"][int(line) - 1]["next"]
print("done")
'''


def scenario() -> tuple[str, list[int], list[str]]:
    """(name, the choice number typed at each question, the question texts) of a GO review of ~24 questions."""
    sys.path.insert(0, str(ROOT))
    from wizard.policy.engine import walk
    from wizard.policy.tree import load_tree_file

    tree = load_tree_file(TREE).tree
    best = None
    for sc in tomllib.loads(SCENARIOS.read_text())["scenarios"]:
        w = walk(tree, sc["answers"])
        if not w.complete:
            continue
        key = (sc.get("outcome") != "go", abs(len(w.steps) - WANT_QUESTIONS))
        if best is None or key < best[0]:
            best = (key, sc["name"], w)
    assert best is not None
    _, name, w = best
    numbers = [[c.id for c in s.question.choices].index(s.choice.id) + 1 for s in w.steps]
    return name, numbers, [s.question.text for s in w.steps]


def make_repo(tmp: Path) -> Path:
    repo = tmp / "repo"
    repo.mkdir()
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "bench@example.com"],
                 ["config", "user.name", "Bench"], ["config", "commit.gpgsign", "false"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    (repo / "auth.py").write_text("def login():\n    return None\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "init"], cwd=repo, check=True)
    return repo


class Run:
    """One drive through a pty: all bytes received, the offset of each answer sent, prompt-to-prompt times."""

    def __init__(self) -> None:
        self.log = io.BytesIO()
        self.marks: list[int] = []  # log offset when each question's answer was sent
        self.gaps: list[float] = []  # answer sent -> next prompt on the terminal
        self.end = 0  # log offset when the verdict appeared

    def questions_bytes(self) -> bytes:
        return self.log.getvalue()[self.first: self.end]

    def segment(self, i: int) -> bytes:
        """Everything the terminal received between answer i-1 and answer i (question i, 0-based)."""
        return self.log.getvalue()[self.marks[i - 1]: self.marks[i]]


def drive(cmd: list[str], cwd: Path, env: dict, numbers: list[int], *, start: list[tuple[bytes, str]],
          prompt: bytes, answer: str, done: bytes) -> Run:
    import pexpect

    run = Run()
    child = pexpect.spawn(cmd[0], cmd[1:], cwd=str(cwd), env=env, timeout=30, dimensions=(24, 80))
    child.logfile_read = run.log
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    try:
        for pattern, text in start:
            child.expect(pattern)
            child.send(text)
        child.expect(prompt)
        run.first = 0
        for k, n in enumerate(numbers):
            run.marks.append(run.log.tell())
            t0 = time.perf_counter()
            child.send(answer.format(n=n))
            if k + 1 < len(numbers):
                child.expect(prompt)
                run.gaps.append(time.perf_counter() - t0)
            else:
                child.expect(done)
                run.end = run.log.tell()
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    run.marks.append(run.end)
    return run


def first_question_offset(run: Run, marker: bytes) -> int:
    return run.log.getvalue().find(marker)


def speak(text: str, wav: Path) -> float | None:
    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    src = wav.with_suffix(".txt")
    src.write_text(text, encoding="utf-8")
    subprocess.run([exe, "-w", str(wav), "-f", str(src)], check=True, capture_output=True)
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def plain_text(raw: bytes) -> str:
    return ESCAPE.sub(b"", raw).replace(b"\r", b"").decode("utf-8", "replace")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per mode (timings are pooled)")
    ap.add_argument("--keep", type=Path, help="keep transcripts and WAV files in this folder")
    ap.add_argument("--question", type=int, default=2, help="which question's transcript to speak (1-based)")
    args = ap.parse_args()
    try:
        import pexpect  # noqa: F401
    except ImportError:
        raise SystemExit("pexpect is needed (pip install pexpect)")

    name, numbers, texts = scenario()
    nq = len(numbers)
    tmp = Path(tempfile.mkdtemp(prefix="bench-line-"))
    keep = args.keep or tmp
    keep.mkdir(parents=True, exist_ok=True)
    floor_script = tmp / "floor.py"
    floor_script.write_text(FLOOR)
    base_env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000", "COLUMNS": "80", "LINES": "24"}
    base_env.pop("ACCESSIBLE", None)
    wizard = [sys.executable, "-m", "wizard", "review", "--plain", "--tree", str(TREE), "--out", str(tmp / "x.toml")]
    modes = {
        "floor": dict(cmd=[sys.executable, str(floor_script), str(TREE)], env={**base_env, "TERM": "xterm"},
                      start=[], prompt=rb"> ", answer="{n}\r", done=b"done", marker=texts[0].encode()),
        "line": dict(cmd=wizard + ["--accessible"], env={**base_env, "TERM": "xterm"},
                     start=[(rb"\(Enter keeps it\): ", "bench\r"), (rb"\(Enter keeps it\): ", "\r"),
                            (rb"\(Enter keeps it\): ", "\r")],
                     prompt=rb"Answer 1 to \d+[^:]*: ", answer="{n}\r", done=rb"\[Y/n\]", marker=b"Question 1 of"),
        "questionary": dict(cmd=wizard, env={**base_env, "TERM": "xterm"},
                            start=[(rb"Component under review", "\x15bench\r"), (rb"Reviewers", "\r"),
                                   (rb"Subject paths", "\r")],
                            prompt=rb"Add a note to this answer", answer="{n}\r", done=rb"Save it\?", marker=b"1. "),
    }
    results: dict[str, dict] = {}
    if True:
        repo = make_repo(tmp)
        for r in range(args.runs):
            for mode, spec in modes.items():
                shutil.rmtree(repo / ".authready", ignore_errors=True)
                run = drive(spec["cmd"], repo, spec["env"], numbers, start=spec["start"], prompt=spec["prompt"],
                            answer=spec["answer"], done=spec["done"])
                run.first = first_question_offset(run, spec["marker"])
                res = results.setdefault(mode, {"gaps": [], "run": run})
                res["gaps"] += run.gaps
        # line mode through a pipe: no terminal at all
        typed = "bench\n\n\n" + "".join(f"{n}\n" for n in numbers) + "n\n"
        shutil.rmtree(repo / ".authready", ignore_errors=True)
        piped = subprocess.run(modes["line"]["cmd"][:-1], input=typed.encode(), capture_output=True, cwd=repo,
                               env={**base_env, "TERM": "xterm"})

    print(f"scenario: {name!r}, {nq} questions, shipped policy, pty 80x24, {args.runs} run(s) per mode")
    print(f"{'mode':12} {'bytes/question':>14} {'x floor':>8} {'escapes':>8} {'esc bytes':>9} {'prompt-to-prompt median':>24}")
    floor_bpq = None
    rows = {}
    for mode in modes:
        run = results[mode]["run"]
        q = run.questions_bytes()
        escapes = ESCAPE.findall(q)
        esc_bytes = sum(len(m.group(0)) for m in ESCAPE.finditer(q))
        bpq = len(q) / nq
        floor_bpq = floor_bpq or bpq
        med = statistics.median(results[mode]["gaps"]) * 1000
        rows[mode] = (bpq, len(escapes), med)
        print(f"{mode:12} {bpq:14.0f} {bpq / floor_bpq:8.2f} {len(escapes):8d} {esc_bytes / max(1, len(q)):8.0%} "
              f"{med:21.1f} ms")
    pipe_esc = piped.stdout.count(b"\x1b") + piped.stderr.count(b"\x1b")
    print(f"line mode through a pipe: exit {piped.returncode}, {len(piped.stdout)} bytes in all "
          f"({len(piped.stdout) / nq:.0f}/question incl. start and verdict), {pipe_esc} ESC bytes")

    i = max(1, min(args.question - 1, nq - 1))
    print(f"\nspoken: question {i + 1} ({texts[i][:60]}…), everything between two answers, escapes stripped")
    spoken = {}
    for mode in modes:
        text = plain_text(results[mode]["run"].segment(i))
        (keep / f"{mode}-q{i + 1}.txt").write_text(text, encoding="utf-8")
        secs = speak(text, keep / f"{mode}-q{i + 1}.wav")
        spoken[mode] = secs
        if secs is None:
            print(f"  {mode:12} espeak-ng not installed: skipped ({len(text)} characters)")
        else:
            where = keep / f"{mode}-q{i + 1}.wav" if args.keep else "WAV removed; --keep DIR keeps it"
            print(f"  {mode:12} {secs:6.1f} s  ({len(text)} characters; {where})")
    if args.keep is None:
        shutil.rmtree(tmp, ignore_errors=True)

    bpq, esc, med = rows["line"]
    ok = bpq / rows["floor"][0] <= TARGET_BYTES and esc == 0 and pipe_esc == 0 and med < TARGET_MS
    print(f"\nline mode: {bpq / rows['floor'][0]:.2f}x the floor's bytes (target <= {TARGET_BYTES}), {esc} escapes "
          f"(target 0), median {med:.1f} ms prompt to prompt (target < {TARGET_MS}): {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
