"""How long does the teacher wait? Grade 200 generated submissions with the command-line grader.

The 200 files are copies of the correct and mistaken submissions in tests/submissions/ (no hostile ones:
this measures ordinary grading), each made distinct by a comment line, in a temporary folder. Prints the
wall time, submissions per second, and the number of cores used. Target: 200 in under a minute on 2 cores.

    .venv/bin/python benchmarks/bench_grading.py [--count 200] [--jobs N] [--lang zh]

--lang zh grades with Chinese feedback: the words are looked up, the checking is the same, so the time
should be the English one.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "tests" / "submissions").glob("correct_*.py")) + sorted(
    (ROOT / "tests" / "submissions").glob("mistake_*.py")
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument(
        "--jobs", type=int, default=None, help="default: the grader's default (number of cores)"
    )
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="the feedback's language")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="bench_grading_") as folder:
        for index in range(args.count):
            template = TEMPLATES[index % len(TEMPLATES)]
            text = f"# student {index:03d}\n" + template.read_text()
            Path(folder, f"student_{index:03d}_{template.stem}.py").write_text(text)
        command = [
            sys.executable,
            "-m",
            "rnn_check",
            "grade",
            folder,
            "--csv",
            str(Path(folder, "grades.csv")),
            "--lang",
            args.lang,
        ]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"grading failed:\n{done.stderr}")
        with open(Path(folder, "grades.csv"), newline="") as handle:
            statuses = Counter(row["status"] for row in csv.DictReader(handle))
    print(
        f"graded {args.count} submissions ({len(TEMPLATES)} kinds: correct and mistaken) with "
        f"{args.jobs or cores} job(s) on {cores} core(s), feedback in {args.lang}"
    )
    print(
        f"wall time {seconds:.1f} s = {seconds / args.count * 1000:.0f} ms per submission, "
        f"{args.count / seconds:.1f} submissions/s"
    )
    print("verdicts: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))


if __name__ == "__main__":
    main()
