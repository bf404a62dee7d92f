"""rnn_check.grading: grade a class: find and read the submissions, run them in parallel in the sandbox,
turn each child's raw results into a CheckResult, and write the CSV and the summary.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnn_check.cases import Task, hidden_case
from rnn_check.child import landlock_writes_only_in
from rnn_check.judging import (
    STATUSES,
    USES_PROJECT,
    CheckResult,
    blocked_note,
    child_said,
    diagnosis_label,
    error_result,
    judge,
    part_name,
    where_in_code,
)
from rnn_check.messages import language, reword, say, student, student_name
from rnn_check.sandbox import (
    PROJECT_ROOT,
    Limits,
    clean_text,
    own_scheduling,
    restore_scheduling,
    run_in_child,
)
from rnn_check.spreadsheet import SafeWriter

# ---------------------------------------------------------------------------
# 7. Grading: submissions, parallel runs, the CSV and the command line
# ---------------------------------------------------------------------------

MAX_SOURCE_BYTES = 2 * 1024 * 1024
NOT_A_NOTEBOOK = "is not a readable Jupyter notebook (.ipynb)"


@dataclass
class Submission:
    name: str  # as shown in the CSV: the file name (with its sub-folder, if any)
    path: Path
    source: str | None = None
    problem: str | None = None  # why it could not be read
    line_map: list | None = None  # notebook: line of the joined code -> (code cell number, line in the cell)
    cells: list | None = None  # notebook: [first line, last line] of each code cell in the joined code


def find_submissions(paths) -> list:
    """Files (.py, .ipynb) given directly or found in the given folders, sorted; raises SystemExit on
    teacher errors."""
    found = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise SystemExit(f"rnn_check grade: no such file or folder: {given}")
        if path.is_file():
            found.append((path.name, path))
            continue
        for file in sorted(path.rglob("*")):
            parts = file.relative_to(path).parts
            if (
                file.is_file()
                and file.suffix in (".py", ".ipynb")
                and not any(p.startswith(".") or p in ("__pycache__",) for p in parts)
            ):
                found.append((file.relative_to(path).as_posix(), file))
    if not found:
        raise SystemExit(
            f"rnn_check grade: no submissions (.py or .ipynb files) found in {', '.join(map(str, paths))}"
        )
    names = [name for name, _ in found]
    # A file name is chosen by the student: made safe to print like everything else a submission says.
    return [
        Submission(clean_text(name if names.count(name) == 1 else str(file), 300), file)
        for name, file in found
    ]


def read_submission(submission: Submission) -> Submission:
    """Read the file into memory (before anything runs); notebooks become their code cells, in order.
    Never raises: whatever is wrong with the file becomes its problem, and the others are still graded."""
    try:
        return _read_submission(submission)
    except Exception as error:  # RecursionError (deeply nested JSON), MemoryError, anything unforeseen
        submission.source, submission.line_map, submission.cells = None, None, None
        # English here (feedback is worded later, in the teacher's language, by reword)
        submission.problem = say("could not be read ({reason})", "en", reason=type(error).__name__)
        if submission.path.suffix == ".ipynb":
            submission.problem = say(NOT_A_NOTEBOOK, "en")
        return submission


def _read_submission(submission: Submission) -> Submission:
    try:
        data = submission.path.read_bytes()
    except OSError as error:
        submission.problem = say("could not be read ({reason})", "en", reason=error.strerror)
        return submission
    if len(data) > MAX_SOURCE_BYTES:
        submission.problem = say(
            "is {size} bytes, more than the {limit} allowed", "en", size=len(data), limit=MAX_SOURCE_BYTES
        )
        return submission
    text = data.decode("utf-8-sig", errors="replace")  # utf-8-sig: Windows Notepad's byte-order mark
    if submission.path.suffix != ".ipynb":
        submission.source = text
        return submission
    try:
        cells = json.loads(text)["cells"]
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise ValueError("cells is not a list of cells")
        sources = [
            c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for c in cells
            if c.get("cell_type") == "code"
        ]
        if not all(isinstance(source, str) for source in sources):
            raise ValueError("a cell's source is not text")
    except (ValueError, KeyError, TypeError, RecursionError):
        submission.problem = say(NOT_A_NOTEBOOK, "en")
        return submission
    lines, line_map, spans = [], [], []
    for number, source in enumerate(sources, start=1):
        first = len(lines) + 1
        for index, line in enumerate(source.splitlines(), start=1):
            if line.lstrip().startswith(("%", "!")):  # IPython magics and shell commands are not Python
                line = (
                    line[: len(line) - len(line.lstrip())]
                    + "pass  # skipped by the grader: "
                    + line.strip()[:60]
                )
            lines.append(line)
            line_map.append((number, index))
        lines.append("")
        line_map.append((number, len(source.splitlines()) + 1))
        spans.append([first, len(lines)])
    submission.source, submission.line_map, submission.cells = "\n".join(lines) + "\n", line_map, spans
    return submission


def hidden_tasks(seed: int) -> tuple:
    """The case drawn at grading time from `seed`, run in full (see rnn_check.cases.hidden_case)."""
    case = hidden_case(seed)
    return (Task(-1, case.steps, hidden=case),)


def grade_one(
    submission: Submission, limits: Limits, private_roots: list, hidden=(), lang: str | None = None
) -> CheckResult:
    """Run one submission in the sandbox and judge it; its feedback in `lang` ("en", "zh"; None: current)."""
    lang = language(lang)
    if submission.problem:
        problem = say("the file {problem}.", lang, problem=reword(submission.problem[:300], lang))
        return error_result(problem, diagnosis="unreadable file", lang=lang)
    try:
        raw = run_in_child(submission, limits, private_roots, hidden)
        return _result_from_raw(raw, submission, hidden, lang)
    except Exception as error:  # never let one submission stop the grading of the others
        reason = say(
            "could not be graded ({kind}: {error})", lang, kind=type(error).__name__, error=str(error)[:200]
        )
        return error_result(reason, diagnosis="grader error", lang=lang)


def _result_from_raw(raw: dict, submission: Submission, hidden=(), lang="en") -> CheckResult:
    result = _result_from_raw_data(raw, submission, hidden, lang)
    if result.notes and result.status != "flagged":
        result.feedback += " " + result.notes[0]  # the teacher should know what it tried
    return result


def _result_from_raw_data(raw: dict, submission: Submission, hidden=(), lang="en") -> CheckResult:
    blocked = raw.get("blocked") if isinstance(raw.get("blocked"), list) else []
    blocked = list(dict.fromkeys(str(entry)[:200] for entry in blocked[:1000]))
    notes = [blocked_note(blocked, lang)] if blocked else []
    # A refused use of the project is the verdict, whatever happened after it (the child may have died of
    # the refusal, or ended itself to hide it): flagged, with the refusal as the reason.
    if any(str(b).startswith(USES_PROJECT) for b in blocked):
        return judge({"blocked": blocked, "runs": []}, lang=lang)
    if "failure" in raw:
        failure = str(raw["failure"])[:300]
        label = (
            "disk limit"
            if "scratch folder past the limit" in failure
            else "time limit"
            if "time limit" in failure
            else "crashed or exited"
            if "process" in failure
            else "unreadable results"
        )
        return error_result(reword(failure, lang), notes, label, lang)
    if "load_error" in raw:
        error = raw["load_error"] if isinstance(raw["load_error"], dict) else {}
        # The submission's own words (Python's, for a SyntaxError): shown as they are, never reworded.
        kind, message = str(error.get("type", "Error"))[:60], child_said(error, "message", lang, 300)
        if kind == "SyntaxError":
            text, label = say("syntax error: {message}", lang, message=message), "syntax error"
        elif kind == "SystemExit":
            text = say("the code calls exit() / sys.exit() while loading, which ends the program", lang)
            label = "exit()"
        elif kind == "MemoryError":
            text, label = say("ran out of memory while loading (MemoryError)", lang), "memory limit"
        else:
            text = say(
                "loading the code raised {kind}: {message}", lang, kind=student_name(kind), message=message
            )
            label = "error while loading"
            if kind == "ModuleNotFoundError":
                text += say(
                    " (the grading sandbox can load a module only if the file imports it by name, with "
                    "an import line of its own)",
                    lang,
                )
        if isinstance(error.get("line"), int):
            where = where_in_code(error["line"], submission.line_map, lang)
            code = student(str(error.get("code") or "")[:120])  # the submission's own line: shown as it is
            text += say(" (at {where}: {code})", lang, where=where, code=code)
        return error_result(text, notes, label, lang)
    if "missing" in raw:
        names = [str(n)[:40] for n in raw["missing"]][:30] if isinstance(raw["missing"], list) else []
        similar = [n for n in names if n.lower() == "simplernn"]
        text = say("defines no SimpleRNN class", lang)
        if similar:
            text += say(" (found {name}: names are case-sensitive)", lang, name=similar[0])
        elif names:
            text += say(" (it defines: {names})", lang, names=", ".join(names[:8]))
        return error_result(text, notes, "no SimpleRNN", lang)
    try:
        result = judge(raw, submission.line_map, hidden, lang)
    except Exception:  # the child's data is untrusted: anything malformed means no grade
        unreadable = say("its results could not be read (did it write into the grader's channel?)", lang)
        return error_result(unreadable, notes, lang=lang)
    cell_errors = raw.get("cell_errors")
    if result.status in ("passed", "failed") and isinstance(cell_errors, list) and cell_errors:
        error = cell_errors[0] if isinstance(cell_errors[0], dict) else {}
        cell = error.get("cell") if isinstance(error.get("cell"), int) else "?"
        where = say("code cell {cell}", lang, cell=cell)
        if isinstance(error.get("line"), int):
            where += say(" (at {where})", lang, where=where_in_code(error["line"], submission.line_map, lang))
        kind, message = str(error.get("type", "Error"))[:60], child_said(error, "message", lang, 120)
        result.feedback += say(
            " (Note: {where} raised {kind}: {message}; "
            "graded the last SimpleRNN defined by the cells that ran.)",
            lang,
            where=where,
            kind=student_name(kind),
            message=message,
        )
    return result


def grade(
    paths,
    csv_path,
    jobs=None,
    limits: Limits | None = None,
    out=sys.stdout,
    feedback_dir=None,
    summary_path=None,
    hidden_seed=None,
    lang: str | None = None,
) -> list:
    """Grade every submission found under `paths`; write the CSV (and, if asked, one feedback file per
    submission and the summary); return [(Submission, CheckResult)]. lang: the language of the feedback and
    the summary ("en", "zh"; None: the current one); the CSV's columns, verdicts and scores are the same in
    every language."""
    lang = language(lang)  # a bad lang is an error before anything runs
    limits = limits or Limits()
    # A case no submission can know in advance (a table of answers to the public cases fails it): drawn
    # from a fresh random seed unless the teacher gives one, and the seed is printed to reproduce the run.
    if hidden_seed is None:
        hidden_seed = int.from_bytes(os.urandom(4), "big")
    hidden = hidden_tasks(hidden_seed)
    submissions = [read_submission(s) for s in find_submissions(paths)]  # all in memory; never raises
    jobs = jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    # Files the submissions may not read: the project (rnn_core!) and the submissions themselves.
    private_roots = [str(PROJECT_ROOT)] + [
        str(p if p.is_dir() else p.parent) for p in map(lambda g: Path(g).resolve(), paths)
    ]
    total = len(submissions)
    print(
        say(
            "Grading {total} submission(s) with {jobs} parallel job(s); "
            "limits {seconds:g} s, {memory} MB each.",
            lang,
            total=total,
            jobs=jobs,
            seconds=limits.timeout,
            memory=limits.memory_mb,
        ),
        file=out,
        flush=True,
    )
    user = (
        say("the user nobody", lang)
        if os.geteuid() == 0
        else say("your own user (run as root, e.g. in CI, to use `nobody`)", lang)
    )
    guard_on = landlock_writes_only_in(None, probe_only=True)
    guard = say("on", lang) if guard_on else say("not available on this system", lang)
    print(
        say(
            "Each submission runs in its own process as {user}; kernel file guard (Landlock): {guard}.",
            lang,
            user=user,
            guard=guard,
        ),
        file=out,
        flush=True,
    )
    results = [None] * total
    started = time.monotonic()
    scheduling = own_scheduling()  # checked after every submission: no submission may change it
    changed = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {
            pool.submit(grade_one, s, limits, private_roots, hidden, lang): i
            for i, s in enumerate(submissions)
        }
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            changed += [key for key in restore_scheduling(scheduling) if key not in changed]
            verdict = _verdict(results[index], lang)
            print(
                f"[{done:>{len(str(total))}}/{total}] {submissions[index].name}: {verdict}",
                file=out,
                flush=True,
            )
    if changed:
        warning = say(
            "Warning: the grader's own {changed} changed during grading (set back where the system allows); "
            "grades of submissions that ran at the time may have been slowed.",
            lang,
            changed=", ".join(changed),
        )
        print(warning, file=out, flush=True)
    if csv_path is not None:
        write_csv(csv_path, submissions, results)
    if feedback_dir is not None:
        write_feedback(feedback_dir, submissions, results)
    summary = _summary(submissions, results, time.monotonic() - started, csv_path, lang)
    summary += "\n" + say(
        "Hidden case (drawn at grading time): {case}; seed {seed} (--hidden-seed {seed} grades the same way "
        "again).",
        lang,
        case=hidden[0].case.describe(),
        seed=hidden_seed,
    )
    if feedback_dir is not None:
        summary += "\n" + say(
            "Wrote one feedback file per submission in {folder}.", lang, folder=feedback_dir
        )
    if summary_path is not None:
        Path(summary_path).write_text(summary.lstrip("\n") + "\n", encoding="utf-8")
        summary += "\n" + say("Wrote {path}.", lang, path=summary_path)
    print(summary, file=out, flush=True)
    return list(zip(submissions, results))


def student_of(submission: Submission) -> str:
    """Who handed it in: the folder for per-student folders (alice/homework.ipynb), else the file's stem."""
    name = submission.name
    return name.split("/", 1)[0] if "/" in name and not name.startswith("/") else Path(name).stem


def _part_mark(item) -> str:
    return {True: "1", False: "0", None: ""}[item.passed]


def _first_problem(result: CheckResult) -> str:
    return "" if result.passed else (result.diagnosis or result.status)


def _verdict(result: CheckResult, lang="en") -> str:
    return f"{say(result.status, lang)} {result.score}/{result.max_score}"


def write_csv(csv_path, submissions, results) -> None:
    """One row per submission: who, the total, the status, 1/0/blank (not checked) per checked part, the
    first problem (a short label) and the feedback (one line)."""
    rows = sorted(zip(submissions, results), key=lambda pair: pair[0].name)
    parts = [item.name for item in results[0].checks] if results else []
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = SafeWriter(handle)  # names and messages beginning with = + - @ are no formulas
        writer.writerow(
            ["student", "submission", "passed", "score", "max_score", "status"]
            + parts
            + ["first problem", "feedback"]
        )
        for submission, result in rows:
            feedback = " ".join(result.feedback.split())  # one line
            writer.writerow(
                [
                    student_of(submission),
                    submission.name,
                    "true" if result.passed else "false",
                    result.score,
                    result.max_score,
                    result.status,
                ]
                + [_part_mark(item) for item in result.checks]
                + [_first_problem(result), feedback]
            )


def feedback_file_name(submission: Submission) -> str:
    """The feedback file's name: the submission's name (sub-folders joined by __), letters of any script
    kept, anything else a _; write_feedback makes the names unique."""
    stem = re.sub(r"[^\w.-]+", "_", submission.name.replace("/", "__")).strip("._-") or "submission"
    while len(stem.encode("utf-8")) > 150:  # a file name is at most 255 bytes, and CJK letters are 3 each
        stem = stem[:-1]
    return stem + ".md"


def feedback_file_names(submissions) -> list:
    """One distinct file name per submission: where names collide (李.py and 王.py would both be py.md
    on a system without those letters; alice/homework.py and alice__homework.py; names that differ only
    in case, on a case-insensitive disk), each gets a short hash of its full name."""
    names = [feedback_file_name(s) for s in submissions]
    counts = {}
    for name in names:
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    unique = []
    for submission, name in zip(submissions, names):
        if counts[name.casefold()] > 1:
            digest = hashlib.sha256(submission.name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            name = f"{name[: -len('.md')]}-{digest}.md"
        unique.append(name)
    taken = set()
    for index, name in enumerate(unique):  # a hashed name equal to another's own name: add a counter
        candidate, number = name, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{name[: -len('.md')]}-{number}.md"
        taken.add(candidate.casefold())
        unique[index] = candidate
    return unique


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~$])")  # $: no formula where MathJax renders


def md(text) -> str:
    """The submission's own words (its file name, its error messages) as plain Markdown text: one line,
    HTML's < > & as entities and every Markdown character escaped ($ too, which starts a formula where
    the page is rendered with MathJax or KaTeX), so nothing of it is formatted, linked, typeset or run as
    HTML."""
    text = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def feedback_text(submission: Submission, result: CheckResult) -> str:
    """A readable Markdown page for the student: the score, every part's result, and each failure's message
    and hint (the submission's own words are escaped, never formatted)."""
    lang = result.lang  # the page speaks the language of the result's own words
    marks = {
        True: say("right", lang),
        False: say("**wrong**", lang),
        None: say("not checked (an earlier part failed)", lang),
    }
    score = say(
        "**{score}/{max_score}** ({status})",
        lang,
        score=result.score,
        max_score=result.max_score,
        status=say(result.status, lang),
    )
    lines = [
        say("# Feedback on {name}", lang, name=md(submission.name)),
        "",
        say("Student: {student}", lang, student=md(student_of(submission))) + "  ",
        say("Score: {score}", lang, score=score),
        "",
    ]
    if result.status in ("error", "flagged"):
        lines += [say("Not graded: {feedback}", lang, feedback=md(result.feedback)), ""]
    lines += [say("| Part | Result |", lang), "| --- | --- |"]
    lines += [f"| {part_name(item.name, lang)} | {marks[item.passed]} |" for item in result.checks]
    lines.append("")
    for item in result.checks:
        if item.passed is False:
            lines += [f"## {part_name(item.name, lang)}", ""]
            lines += ["> " + md(line) for line in item.message.splitlines()]
            lines.append("")
            if item.hint:
                lines += [say("Hint: {hint}", lang, hint=item.hint), ""]  # the grader's own words
    if result.passed:
        lines += [say("All checks passed: forward and BPTT + SGD match rnn_core on every case.", lang), ""]
    lines += [md(note) for note in result.notes]
    return "\n".join(lines).rstrip() + "\n"


def write_feedback(folder, submissions, results) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, submission, result in zip(feedback_file_names(submissions), submissions, results):
        (folder / name).write_text(feedback_text(submission, result), encoding="utf-8")


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: Chinese letters and punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _summary(submissions, results, seconds: float, csv_path, lang="en") -> str:
    counts = {status: sum(r.status == status for r in results) for status in STATUSES}
    lines = [
        "",
        say(
            "Graded {total} submission(s) in {seconds:.1f} s: {counts}.",
            lang,
            total=len(results),
            seconds=seconds,
            counts=", ".join(f"{n} {say(s, lang)}" for s, n in counts.items()),
        ),
    ]
    scores = [r.score for r in results]
    if scores:
        lines.append(
            say(
                "Scores out of {max_score}: mean {mean:.1f}, lowest {lowest}, highest {highest}.",
                lang,
                max_score=results[0].max_score,
                mean=float(np.mean(scores)),
                lowest=min(scores),
                highest=max(scores),
            )
        )
    problems = {}
    for result in results:
        if result.status != "passed":
            key = result.diagnosis or result.status
            problems[key] = problems.get(key, 0) + 1
    if scores:
        lines.append(say("Score histogram:", lang))
        for score in range(results[0].max_score, -1, -1):
            count = scores.count(score)
            lines.append(f"  {score:>2}/{results[0].max_score} {count:>4}  {'#' * min(count, 60)}")
        lines.append(say("Failed, per part (wrong / not checked):", lang))
        for position, item in enumerate(results[0].checks):
            wrong = sum(r.checks[position].passed is False for r in results)
            unchecked = sum(r.checks[position].passed is None for r in results)
            label = part_name(item.name, lang)
            lines.append(f"  {label}{' ' * max(1, 17 - display_width(label))}{wrong:>4} / {unchecked:>4}")
    if problems:
        lines.append(say("First problems found (a submission counts once):", lang))
        for key, count in sorted(problems.items(), key=lambda kv: (-kv[1], kv[0]))[:10]:
            lines.append(f"  {count:>4}  {diagnosis_label(key, lang)}")
    if csv_path is not None:
        lines.append(say("Wrote {path}.", lang, path=csv_path))
    return "\n".join(lines)
