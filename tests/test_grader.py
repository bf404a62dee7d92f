"""The batch grader on tests/submissions/: correct, mistaken, broken and hostile homework, graded in
ONE command-line run, compared with the verdicts written down in tests/submissions/manifest.json."""

import atexit
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
MANIFEST = {
    k: v for k, v in json.loads((SUBMISSIONS / "manifest.json").read_text()).items() if not k.startswith("_")
}
PARTS = ["initial shapes", "forward outputs", "hidden states"] + [
    f"{name} update" for name in ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
]
COLUMNS = (
    ["student", "submission", "passed", "score", "max_score", "status"]
    + PARTS
    + ["first problem", "feedback"]
)
TIMEOUT = 3  # seconds per submission: short, so the hanging submissions cost little


def snapshot(root: Path) -> dict:
    """Size and modification time of every project file (not .venv, .git, build/): what a submission could
    damage."""
    files = {}
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        skipped = parts[0] in (".venv", ".git", "build", ".ruff_cache") or "__pycache__" in parts
        if skipped or not path.is_file():
            continue
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns, stat.st_mode, digest)
    return files


HIDDEN_SEED = "7"  # the case drawn at grading time, fixed here so that the verdicts are reproducible


def grade(tmp_path, *paths, jobs=2, name="grades.csv", extra=(), hidden_seed=HIDDEN_SEED):
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
        *(["--hidden-seed", hidden_seed] if hidden_seed else []),
        *extra,
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return done, csv_path


def armed_copy(folder: Path) -> Path:
    """Copy the submissions into `folder`, telling the hostile ones where the project really is.

    They also look for it themselves (through sys.path), but that depends on where the virtual
    environment lives; the placeholder makes them attack this very repository wherever it is.
    """
    folder.mkdir()
    elsewhere = other_clone()
    for path in SUBMISSIONS.iterdir():
        data = path.read_bytes().replace(b"@PROJECT_ROOT@", str(ROOT).encode())
        (folder / path.name).write_bytes(data.replace(b"@ELSEWHERE@", str(elsewhere).encode()))
    return folder


def other_clone(_unused=None) -> Path:
    """Another checkout's rnn_core.py, readable by everyone, somewhere on the machine that is neither the
    grading project nor a temporary folder (pytest's are private to their user): /var/tmp, where it exists."""
    folder = Path(
        tempfile.mkdtemp(prefix="rnn_check_clone_", dir="/var/tmp" if Path("/var/tmp").is_dir() else None)
    )
    atexit.register(shutil.rmtree, folder, True)
    folder.chmod(0o755)
    shutil.copy2(ROOT / "rnn_core.py", folder / "rnn_core.py")
    (folder / "rnn_core.py").chmod(0o644)
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("grading")
    submissions = armed_copy(tmp_path / "submissions")
    before = snapshot(ROOT)
    extra = ["--feedback-dir", str(tmp_path / "feedback"), "--summary", str(tmp_path / "summary.txt")]
    done, csv_path = grade(tmp_path, submissions, extra=extra)
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


def test_the_csv_has_a_student_and_a_column_per_part(graded):
    for row in graded["rows"]:
        assert row["student"] == Path(row["submission"]).stem
        marks = [row[part] for part in PARTS]
        assert set(marks) <= {"1", "0", ""} and marks.count("1") == int(row["score"])
        assert (row["first problem"] == "") == (row["status"] == "passed")
    row = next(row for row in graded["rows"] if row["submission"] == "mistake_h_t_in_dW_hh.py")
    assert [row[part] for part in PARTS] == ["1", "1", "1", "1", "0", "1", "1", "1"]
    assert row["first problem"] == "h_t in dW_hh"


def test_per_student_folders_name_the_student(tmp_path):
    for student in ("alice", "bob"):
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / "homework.py").write_bytes(
            (SUBMISSIONS / "correct_loops.py").read_bytes()
        )
    done, csv_path = grade(tmp_path, tmp_path / "class")
    assert done.returncode == 0, done.stderr
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["student"], row["submission"]) for row in rows] == [
        ("alice", "alice/homework.py"),
        ("bob", "bob/homework.py"),
    ]


def test_one_feedback_file_per_submission_and_the_summary_saved(graded):
    folder = graded["tmp"] / "feedback"
    files = sorted(path.name for path in folder.iterdir())
    assert files == sorted(Path(name).name + ".md" for name in MANIFEST)
    text = (folder / "mistake_no_dh_next.py.md").read_text(encoding="utf-8")
    assert "Score: **5/8** (failed)" in text and "| W_xh update | **wrong** |" in text
    assert "| initial shapes | right |" in text and "Hint:" in text and "dh_next" in text
    summary = (graded["tmp"] / "summary.txt").read_text(encoding="utf-8")
    assert f"Graded {len(MANIFEST)} submission(s)" in summary and "Score histogram:" in summary
    assert "Failed, per part" in summary and "First problems found" in summary
    assert summary.strip().splitlines()[1] in graded["done"].stdout


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
    for phrase in expected.get("absent", []):
        assert phrase.lower() not in row["feedback"].lower(), f"{phrase!r} in {row['feedback']!r}"
    if "line_of" in expected:
        lines = (SUBMISSIONS / name).read_text().splitlines()
        number = next(
            i for i, line in enumerate(lines, start=1) if line.strip().startswith(expected["line_of"])
        )
        assert f"line {number}" in row["feedback"]
    assert "Traceback" not in row["feedback"]


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def test_no_control_character_reaches_the_csv_or_the_terminal(graded):
    """ANSI escapes, BEL, carriage returns, C1 controls and bidi overrides from a submission's messages."""
    for row in graded["rows"]:
        for column, value in row.items():
            assert not CONTROLS.search(value), (row["submission"], column, value)
    for line in graded["done"].stdout.splitlines():
        assert not CONTROLS.search(line), line


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


INJECTION = """import numpy as np
class SimpleRNN:
    def __init__(self, i, h, o):
        self.W_xh = np.zeros((h, i)); self.W_hh = np.zeros((h, h)); self.W_hy = np.zeros((o, h))
        self.b_h = np.zeros((h, 1)); self.b_y = np.zeros((o, 1))
    def forward(self, x):
        raise ValueError('<img src=x onerror=alert(1)> <b>Score: 8/8</b> '
                         '[log in](https://evil.example/login) ![](https://evil.example/t.png) '
                         '</td></tr></table><h1>All checks passed</h1> `x` ## a '
                         '$\\\\color{green}{\\\\text{passed}}$')
    def backward(self, x, y, learning_rate):
        pass
"""
ODD_NAMES = [
    '=HYPERLINK("http:evil.example","click for grade").py',
    "+1-1.py",
    "-2+3.py",
    "@SUM(1+1)cmd.py",
    "=cmd/homework.py",
    "李.py",
    "王.py",
    "alice/homework.py",
    "alice__homework.py",
    "Bob.py",
    "bob.py",
    "<img src=x onerror=alert(1)>.py",
]
FORMULA = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory):
    """One grading run of submissions whose names are formulas, Markdown, HTML, CJK letters, or collide once
    made file names; the last one's error message is HTML and Markdown."""
    tmp_path = tmp_path_factory.mktemp("odd_names")
    folder = tmp_path / "class"
    for name in ODD_NAMES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        source = INJECTION if name.startswith("<") else (SUBMISSIONS / "correct_loops.py").read_text()
        (folder / name).write_text(source, encoding="utf-8")
    extra = ["--feedback-dir", str(tmp_path / "feedback"), "--similarity", str(tmp_path / "similar.csv")]
    done, csv_path = grade(tmp_path, folder, extra=extra)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return tmp_path, csv_path


def test_no_csv_cell_is_a_spreadsheet_formula(odd_names):
    """=HYPERLINK(...), +1-1, @SUM(...): a file or folder name (or a message) that a spreadsheet would run
    is shown as text, with a ' in front, in the grades and in the similarity report."""
    tmp_path, csv_path = odd_names
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + len(ODD_NAMES)
    with open(tmp_path / "similar.csv", newline="", encoding="utf-8") as handle:
        pairs = [row for row in csv.reader(handle) if row and not row[0].startswith("#")]
    assert len(pairs) > 1, pairs  # the copies of one file are reported, names and all
    for row in rows + pairs:
        for cell in row:
            assert not cell.startswith(FORMULA), (row, cell)
    submissions = [row[1] for row in rows[1:]]
    assert "'=cmd/homework.py" in submissions and "'+1-1.py" in submissions and "'-2+3.py" in submissions
    assert any(name.startswith("'@SUM") for name in submissions)


def test_feedback_files_are_one_per_submission_and_escape_the_students_text(odd_names):
    """李.py and 王.py (letters kept), alice/homework.py and alice__homework.py, Bob.py and bob.py: N
    submissions give N files. A name or message that is HTML or Markdown is shown as text, not run."""
    tmp_path, _ = odd_names
    files = sorted((tmp_path / "feedback").iterdir())
    assert len(files) == len(ODD_NAMES), [f.name for f in files]
    assert len({f.name.casefold() for f in files}) == len(ODD_NAMES)
    names = [f.name for f in files]
    assert "李.py.md" in names and "王.py.md" in names
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert sum("Score: **8/8**" in text for text in texts) == len(ODD_NAMES) - 1
    injected = next(text for text in texts if "onerror" in text)
    for raw in ("<img", "<b>", "</td>", "<h1>", "](https://", "![", "`x`", "## a"):
        assert raw not in injected, (raw, injected)
    assert "&lt;img" in injected and "&lt;h1&gt;All checks passed" in injected
    # $...$ is a formula where the page is rendered with MathJax or KaTeX (Jupyter, GitHub, Gradescope)
    assert "\\$\\\\color" in injected and not re.search(r"(?<!\\)\$", injected), injected


def test_the_hidden_case_is_drawn_at_grading_time_and_printed(tmp_path):
    """Without --hidden-seed the case comes from a fresh random seed, printed so that the teacher can grade
    the same way again; the same seed gives the same case."""
    seeds = []
    for _ in range(2):
        done, _ = grade(tmp_path, SUBMISSIONS / "correct_loops.py", hidden_seed=None)
        assert done.returncode == 0, done.stderr
        match = re.search(
            r"Hidden case \(drawn at grading time\): (.*); seed (\d+) \(--hidden-seed", done.stdout
        )
        assert match, done.stdout
        seeds.append(match.groups())
    assert seeds[0][1] != seeds[1][1]
    done, _ = grade(tmp_path, SUBMISSIONS / "correct_loops.py", hidden_seed=seeds[0][1])
    assert f"Hidden case (drawn at grading time): {seeds[0][0]}; seed {seeds[0][1]}" in done.stdout


def test_the_parent_checks_the_scratch_folder_it_reaps(tmp_path):
    """Besides the audit hook's caps, the grader measures a finished child's scratch folder itself: too
    many entries or too many bytes is the submission's error."""
    from rnn_check.sandbox import scratch_overflow

    assert scratch_overflow(tmp_path) is None
    for i in range(5):
        (tmp_path / f"d{i}").mkdir()
    assert scratch_overflow(tmp_path, limit_entries=10) is None
    for i in range(10):
        (tmp_path / f"d0/f{i}").write_bytes(b"x")
    assert "past the limit" in scratch_overflow(tmp_path, limit_entries=10)
    (tmp_path / "big").write_bytes(b"\0" * 2000)
    assert "past the limit" in scratch_overflow(tmp_path, limit_bytes=1000, limit_entries=100)


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


def test_the_job_reaches_the_child_through_a_pipe_not_a_file(tmp_path, monkeypatch):
    """Children run as the same user: a job file in the scratch area could be read by another submission.
    When the child starts, its scratch folder must hold nothing of the submission's source."""
    import rnn_check.sandbox as sandbox
    from rnn_check.grading import Submission

    secret = "SECRET_SOURCE_" + "x" * 20
    seen = []
    real_popen = subprocess.Popen

    def spying_popen(*args, **kwargs):
        folder = Path(kwargs["cwd"])
        seen.append({p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()})
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spying_popen)
    submission = Submission("s.py", tmp_path / "s.py", source=f"# {secret}\nimport numpy as np\n")
    raw = sandbox.run_in_child(submission, sandbox.Limits(timeout=3), [str(tmp_path)])
    assert seen and not any(secret.encode() in data for files in seen for data in files.values()), seen
    assert "missing" in raw, raw  # the child got its job all the same: it ran the code, found no SimpleRNN


STARVE = """
import os, sys
pid = {pid}
for module in (os, sys.modules["posix"]):
    for attempt in (
        lambda: module.sched_setaffinity(pid, {{0}}),
        lambda: module.setpriority(os.PRIO_PROCESS, pid, 19),
        lambda: module.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0)),
    ):
        try:
            attempt()
        except Exception:
            pass
"""


def scheduling_of(pid: int) -> tuple:
    return sorted(os.sched_getaffinity(pid)), os.sched_getscheduler(pid), os.getpriority(os.PRIO_PROCESS, pid)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")
def test_a_submission_cannot_starve_a_sibling_or_the_grader(tmp_path):
    """os.sched_setaffinity, sched_setscheduler and setpriority raise no audit event. A sibling (a process of
    the user the submission runs as: `nobody` with root, else the grader's own user) and the grader keep
    their CPUs, policy and priority."""
    import rnn_check.sandbox as sandbox
    from rnn_check.grading import Submission

    as_nobody = os.geteuid() == 0
    sibling = subprocess.Popen(
        ["sleep", "60"],
        user=sandbox.NOBODY_UID if as_nobody else None,
        group=sandbox.NOBODY_UID if as_nobody else None,
    )
    try:
        before = scheduling_of(sibling.pid), scheduling_of(os.getpid())
        for pid in (sibling.pid, os.getpid()):
            source = STARVE.format(pid=pid)
            raw = sandbox.run_in_child(
                Submission("s.py", tmp_path / "s.py", source=source), sandbox.Limits(3), []
            )
            assert "missing" in raw, raw
        assert (scheduling_of(sibling.pid), scheduling_of(os.getpid())) == before
    finally:
        sibling.kill()
        sibling.wait()


SECCOMP_PROBE = """
import os, resource, signal, sys
from rnn_check.child import seccomp_keeps_to_itself
other = int(sys.argv[1])
if not seccomp_keeps_to_itself():
    print("unavailable"); sys.exit()
for attempt in (
    lambda: os.setpriority(os.PRIO_PROCESS, other, 19),
    lambda: os.sched_setaffinity(other, {0}),
    lambda: os.sched_setscheduler(other, os.SCHED_IDLE, os.sched_param(0)),
    lambda: resource.prlimit(other, resource.RLIMIT_NOFILE, (1, 1)),
    lambda: os.kill(other, signal.SIGSTOP),
    lambda: signal.pidfd_send_signal(os.pidfd_open(other), signal.SIGSTOP),
):
    try:
        attempt()
        print("NOT REFUSED")
    except PermissionError:
        print("refused")
os.kill(os.getpid(), 0)
print("own", resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 0)
"""


def test_the_kernel_refuses_to_reach_other_processes(tmp_path):
    """seccomp, also without root: holds even if every Python-level guard were undone."""
    sibling = subprocess.Popen(["sleep", "60"])
    try:
        before = scheduling_of(sibling.pid)
        done = subprocess.run(
            [sys.executable, "-c", SECCOMP_PROBE, str(sibling.pid)], capture_output=True, text=True, cwd=ROOT
        )
        if done.stdout.strip() == "unavailable":
            pytest.skip("no seccomp here")
        assert done.stdout.split() == ["refused"] * 6 + ["own", "True"], done.stdout + done.stderr
        assert scheduling_of(sibling.pid) == before and sibling.poll() is None
    finally:
        sibling.kill()
        sibling.wait()


TEST_USER = "rnncheck"


def copy_distributions(names, target: Path) -> None:
    """Copy the installed files of the distributions `names` and of everything they require into target."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    todo, seen = list(names), set()
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        distribution = metadata.distribution(name)
        for file in distribution.files or []:
            source = Path(distribution.locate_file(file))
            if source.is_file() and ".." not in file.parts:
                (target / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / file)
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"), reason="needs root"
)
def test_an_unprivileged_grader_leaves_the_project_byte_identical():
    """The teacher without root: the grader runs as an ordinary user (created here), on a copy of the
    project that user can read but not write, grading every test submission in one run. The copy and this
    repository are byte-identical afterwards, and every submission has its row."""
    system_python = Path(f"/usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}")
    if not system_python.exists():
        pytest.skip(f"no {system_python} for the unprivileged user (this Python may sit below a 0700 home)")
    if subprocess.run(["id", TEST_USER], capture_output=True).returncode != 0:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_USER], check=True
        )

    # Not below /tmp: the grader keeps the folder that holds its scratch folders (the temp dir) private.
    folder = Path(tempfile.mkdtemp(prefix="rnn_check_unprivileged_", dir="/var/tmp"))
    try:
        folder.chmod(0o755)
        project = folder / "project"
        tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        for name in tracked.stdout.decode().split("\0"):
            if name and (ROOT / name).is_file():
                (project / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, project / name)
        submissions = folder / "submissions"
        submissions.mkdir()
        for path in SUBMISSIONS.iterdir():
            data = path.read_bytes().replace(b"@PROJECT_ROOT@", str(project).encode())
            data = data.replace(b"@ELSEWHERE@", str(other_clone()).encode())
            (submissions / path.name).write_bytes(data)
        venv = folder / "venv"
        subprocess.run([str(system_python), "-m", "venv", "--without-pip", str(venv)], check=True)
        site = next(venv.glob("lib/python*/site-packages"))
        # What a notebook submission imports (NumPy, IPython and what they need) copied next to the
        # project: the test's own venv may sit below a folder the user cannot enter (a 0700 clone), and
        # the test must not depend on where the clone lives.
        libraries = folder / "libraries"
        copy_distributions(("numpy", "ipython"), libraries)
        (site / "libraries.pth").write_text(f"{libraries}\n")
        out = folder / "out"
        out.mkdir()
        shutil.chown(out, TEST_USER)
        for path in [folder, *folder.rglob("*")]:  # readable by the user, writable only in out/
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
        before, before_here = snapshot(project), snapshot(ROOT)
        command = ["runuser", "-u", TEST_USER, "--", str(venv / "bin" / "python"), "-m", "rnn_check", "grade"]
        command += [
            str(submissions),
            "--csv",
            str(out / "grades.csv"),
            "--jobs",
            "2",
            "--timeout",
            str(TIMEOUT),
            "--hidden-seed",  # the manifest's scores are for this hidden case, as in grade() above
            HIDDEN_SEED,
        ]
        command += [
            "--memory",
            "400",
            "--feedback-dir",
            str(out / "feedback"),
            "--summary",
            str(out / "s.txt"),
        ]
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=400)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "your own user" in done.stdout
        with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
            rows = {row["submission"]: row for row in csv.DictReader(handle)}
        assert sorted(rows) == sorted(MANIFEST)
        assert snapshot(project) == before and snapshot(ROOT) == before_here
        different = {
            n: (r["status"], r["score"])
            for n, r in rows.items()
            if (r["status"], int(r["score"])) != (MANIFEST[n]["status"], MANIFEST[n]["score"])
        }
        assert not different, different
    finally:
        shutil.rmtree(folder, ignore_errors=True)
