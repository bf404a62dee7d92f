"""The batch grader on tests/submissions/: correct, mistaken, broken and hostile homework, graded in
ONE command-line run, compared with the verdicts written down in tests/submissions/manifest.json."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
MANIFEST = {
    k: v for k, v in json.loads((SUBMISSIONS / "manifest.json").read_text()).items() if not k.startswith("_")
}
COLUMNS = ["submission", "passed", "score", "max_score", "status", "feedback"]
TIMEOUT = 3  # seconds per submission: short, so the hanging submissions cost little


def snapshot(root: Path) -> dict:
    """Size and modification time of every project file (not .venv / .git): what a submission could damage."""
    files = {}
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if parts[0] in (".venv", ".git") or "__pycache__" in parts or not path.is_file():
            continue
        stat = path.stat()
        files[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return files


def grade(tmp_path, *paths, jobs=2, name="grades.csv"):
    csv_path = tmp_path / name
    command = [
        sys.executable,
        "-m",
        "rnn_check",
        "grade",
        *map(str, paths),
        "--csv",
        str(csv_path),
        "--jobs",
        str(jobs),
        "--timeout",
        str(TIMEOUT),
        "--memory",
        "400",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return done, csv_path


def armed_copy(folder: Path) -> Path:
    """Copy the submissions into `folder`, telling the hostile ones where the project really is.

    They also look for it themselves (through sys.path), but that depends on where the virtual
    environment lives; the placeholder makes them attack this very repository wherever it is.
    """
    folder.mkdir()
    for path in SUBMISSIONS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes().replace(b"@PROJECT_ROOT@", str(ROOT).encode()))
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("grading")
    submissions = armed_copy(tmp_path / "submissions")
    before = snapshot(ROOT)
    done, csv_path = grade(tmp_path, submissions)
    after = snapshot(ROOT)
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "done": done,
        "rows": rows,
        "csv": csv_path,
        "before": before,
        "after": after,
        "tmp": tmp_path,
        "submissions": submissions,
    }


def test_grading_completes_with_one_row_per_submission(graded):
    done = graded["done"]
    assert done.returncode == 0, done.stderr
    names = [row["submission"] for row in graded["rows"]]
    assert names == sorted(MANIFEST), "one row per submission, sorted by name, and no fake rows"
    with open(graded["csv"], newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == COLUMNS
    total = len(MANIFEST)
    assert f"[{total}/{total}]" in done.stdout  # progress
    assert f"Graded {total} submission(s)" in done.stdout  # summary


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_verdict(graded, name):
    expected = MANIFEST[name]
    row = next(row for row in graded["rows"] if row["submission"] == name)
    assert row["status"] == expected["status"], row["feedback"]
    assert int(row["score"]) == expected["score"], row["feedback"]
    assert int(row["max_score"]) == 8
    assert row["passed"] == ("true" if expected["status"] == "passed" else "false")
    assert "\n" not in row["feedback"] and row["feedback"]
    for phrase in expected["phrases"]:
        assert phrase.lower() in row["feedback"].lower(), f"{phrase!r} not in {row['feedback']!r}"
    if "line_of" in expected:
        lines = (SUBMISSIONS / name).read_text().splitlines()
        number = next(
            i for i, line in enumerate(lines, start=1) if line.strip().startswith(expected["line_of"])
        )
        assert f"line {number}" in row["feedback"]
    assert "Traceback" not in row["feedback"]


def test_no_submission_changed_the_project(graded):
    assert graded["after"] == graded["before"]
    assert not (ROOT / "HACKED_BY_SUBMISSION.txt").exists()


def test_printed_fakes_do_not_reach_the_terminal(graded):
    out = graded["done"].stdout + graded["done"].stderr
    assert "hostile_fake_output.py,true" not in out
    assert "Score: 8/8" not in out


def test_grades_are_deterministic_whatever_the_number_of_jobs(graded):
    subset = [
        graded["submissions"] / n
        for n in (
            "correct_vectorised.py",
            "mistake_no_dh_next.py",
            "broken_nan.py",
            "hostile_reexport.py",
            "correct_notebook.ipynb",
        )
    ]
    done, csv_path = grade(graded["tmp"], *subset, jobs=1, name="again.csv")
    assert done.returncode == 0, done.stderr
    with open(csv_path, newline="", encoding="utf-8") as handle:
        again = list(csv.DictReader(handle))
    first = {row["submission"]: row for row in graded["rows"]}
    assert again == [first[row["submission"]] for row in again] and len(again) == len(subset)


def test_teacher_mistakes_exit_non_zero_with_a_message(tmp_path):
    done, _ = grade(tmp_path, tmp_path / "no_such_folder")
    assert done.returncode == 2 and "no such file or folder" in done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a submission")
    done, _ = grade(tmp_path, empty)
    assert done.returncode == 2 and "no submissions" in done.stderr


LANDLOCK_PROBE = """
import os, sys
from rnn_check.child import landlock_writes_only_in
scratch, outside = sys.argv[1], sys.argv[2]
if not landlock_writes_only_in(scratch):
    print("unavailable"); sys.exit()
open(os.path.join(scratch, "inside.txt"), "w").write("allowed")
for attempt in (lambda: open(outside, "w"), lambda: os.remove(os.path.join(scratch, "..", "keep.txt"))):
    try:
        attempt()
        print("NOT REFUSED")
    except PermissionError:
        print("refused")
"""


def test_the_kernel_guard_refuses_changes_outside_the_scratch_folder(tmp_path):
    """Landlock, where the kernel has it: it holds even if every Python-level guard were undone."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (tmp_path / "keep.txt").write_text("keep me")
    done = subprocess.run(
        [sys.executable, "-c", LANDLOCK_PROBE, str(scratch), str(tmp_path / "outside.txt")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.stdout.strip() == "unavailable":
        pytest.skip("this kernel has no Landlock")
    assert done.stdout.split() == ["refused", "refused"], done.stdout + done.stderr
    assert (scratch / "inside.txt").exists() and (tmp_path / "keep.txt").exists()
    assert not (tmp_path / "outside.txt").exists()
