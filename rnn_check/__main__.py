"""`python -m rnn_check grade submissions/ --csv grades.csv`: the teacher's command line."""

from __future__ import annotations

import argparse
import sys

from rnn_check.grading import grade
from rnn_check.sandbox import Limits


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rnn_check", description="Check SimpleRNN homework against rnn_core."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    grader = commands.add_parser("grade", help="grade .py / .ipynb submissions (files or folders) into a CSV")
    grader.add_argument("paths", nargs="+", help="submission files or folders")
    grader.add_argument("--csv", required=True, help="where to write the grades (one row per submission)")
    grader.add_argument(
        "--jobs", type=int, default=None, help="submissions run in parallel (default: number of cores)"
    )
    grader.add_argument(
        "--timeout", type=float, default=Limits.timeout, help="seconds per submission (default %(default)s)"
    )
    grader.add_argument(
        "--memory",
        type=int,
        default=Limits.memory_mb,
        help="MB of memory per submission (default %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1 or args.timeout <= 0 or args.memory < 128:
        parser.error("--jobs must be at least 1, --timeout positive, --memory at least 128 (MB)")
    try:
        grade(args.paths, args.csv, args.jobs, Limits(args.timeout, args.memory))
    except SystemExit as error:
        if isinstance(error.code, str):
            print(error.code, file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
