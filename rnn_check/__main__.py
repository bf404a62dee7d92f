"""`python -m rnn_check grade submissions/ --csv grades.csv`: the teacher's command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rnn_check import gradescope, similarity
from rnn_check.grading import Submission, grade, read_submission
from rnn_check.judging import error_result
from rnn_check.messages import LANGUAGES, say
from rnn_check.sandbox import Limits

HANDOUT = Path(__file__).resolve().parents[1] / "notebooks" / "08_homework_bptt.ipynb"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rnn_check", description="Check SimpleRNN homework against rnn_core."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    grader = commands.add_parser("grade", help="grade .py / .ipynb submissions (files or folders) into a CSV")
    grader.add_argument("paths", nargs="+", help="submission files or folders")
    grader.add_argument("--csv", help="where to write the grades (one row per submission)")
    grader.add_argument(
        "--feedback-dir", metavar="DIR", help="also write one Markdown feedback file per submission into DIR"
    )
    grader.add_argument("--summary", metavar="FILE", help="also save the printed summary to FILE")
    grader.add_argument(
        "--gradescope",
        metavar="RESULTS_JSON",
        help="grade ONE submission and write Gradescope's results.json (a test per checked part)",
    )
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
    grader.add_argument(
        "--similarity",
        metavar="FILE",
        help="also write a CSV of the pairs of submissions whose code is unusually close (never a verdict)",
    )
    grader.add_argument(
        "--template",
        default=str(HANDOUT),
        help="the handed-out code, ignored by --similarity (default: the homework notebook)",
    )
    grader.add_argument(
        "--hidden-seed",
        type=int,
        default=None,
        help="seed of the case drawn at grading time, unknown to the submissions (default: random, printed "
        "in the summary so that the run can be reproduced)",
    )
    bundle = commands.add_parser("autograder-zip", help="build the autograder zip to upload to Gradescope")
    bundle.add_argument("out", help="where to write the zip, e.g. autograder.zip")
    for command in (grader, bundle):
        command.add_argument(
            "--lang",
            choices=LANGUAGES,
            default="en",
            help="the language of the feedback and the summary: en (English) or zh (Chinese); the grades, "
            "the CSV's columns and Gradescope's keys are the same in both (default %(default)s)",
        )
    args = parser.parse_args(argv)
    if args.command == "autograder-zip":
        names = gradescope.build_autograder_zip(args.out, args.lang)
        wrote = say(
            "Wrote {path} ({count} files): upload it as the assignment's autograder on Gradescope.",
            args.lang,
            path=args.out,
            count=len(names),
        )
        print(wrote)
        return 0
    if args.jobs is not None and args.jobs < 1 or args.timeout <= 0 or args.memory < 128:
        parser.error("--jobs must be at least 1, --timeout positive, --memory at least 128 (MB)")
    if not (args.csv or args.gradescope):
        parser.error("say where the grades go: --csv FILE, or --gradescope RESULTS_JSON for one submission")
    try:
        started = time.monotonic()
        graded = grade(
            args.paths,
            args.csv,
            args.jobs,
            Limits(args.timeout, args.memory),
            feedback_dir=args.feedback_dir,
            summary_path=args.summary,
            hidden_seed=args.hidden_seed,
            lang=args.lang,
        )
        if args.gradescope:
            write_gradescope(args.gradescope, graded, time.monotonic() - started, args.lang)
        if args.similarity:
            write_similarity(args.similarity, graded, args.template, args.lang)
    except SystemExit as error:
        if isinstance(error.code, str):
            print(error.code, file=sys.stderr)
            return 2
        raise
    return 0


def write_similarity(path, graded, template_path, lang: str = "en") -> None:
    template = ""
    if template_path and Path(template_path).is_file():
        template = read_submission(Submission(Path(template_path).name, Path(template_path))).source or ""
    sources = {submission.name: submission.source for submission, _ in graded}
    pairs = similarity.similar_pairs(sources, template)
    similarity.write_report(path, pairs, len(sources))
    print(say("Wrote {path}: {count} unusually close pair(s) to look at.", lang, path=path, count=len(pairs)))


def write_gradescope(path, graded, seconds: float, lang: str = "en") -> None:
    """Gradescope grades one submission: write its results; with several, a zero that says why."""
    if len(graded) == 1:
        gradescope.write_results(path, graded[0][1], seconds)
        return
    reason = say(
        "found {count} files to grade ({names}), but Gradescope grades one submission: "
        "submit one .py file or one notebook (.ipynb).",
        lang,
        count=len(graded),
        names=", ".join(submission.name for submission, _ in graded),
    )
    gradescope.write_results(path, error_result(reason, diagnosis="several files", lang=lang), seconds)


if __name__ == "__main__":
    sys.exit(main())
