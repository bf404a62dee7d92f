"""The similarity report: renaming and recommenting do not hide a copy; independent code is not reported;
the handout every student starts from does not count."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

from rnn_check import similarity
from rnn_check.grading import Submission, read_submission

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
LOOPS = (SUBMISSIONS / "correct_loops.py").read_text(encoding="utf-8")
HANDOUT = ROOT / "notebooks" / "08_homework_bptt.ipynb"
VECTORISED = (SUBMISSIONS / "correct_vectorised.py").read_text(encoding="utf-8")


def disguised(source: str) -> str:
    """The same code with every comment reworded and the local names changed, as a copier would."""
    source = re.sub(r"#.*", "# my own comment", source)
    for old, new in (("dh_next", "carry"), ("dh_raw", "g_raw"), ("outputs", "ys_out"), ("hiddens", "states")):
        source = re.sub(rf"\b{old}\b", new, source)
    return source


def test_a_disguised_copy_scores_one_and_independent_code_far_less():
    copy = disguised(LOOPS)
    assert copy != LOOPS
    assert similarity.jaccard(similarity.fingerprints(LOOPS), similarity.fingerprints(copy)) == 1.0
    independent = similarity.jaccard(similarity.fingerprints(LOOPS), similarity.fingerprints(VECTORISED))
    assert independent < 0.3, independent


def test_only_the_unusually_close_pair_is_reported():
    sources = {path.name: path.read_text(encoding="utf-8") for path in sorted(SUBMISSIONS.glob("*.py"))}
    sources["copied_from_loops.py"] = disguised(LOOPS)
    pairs = similarity.similar_pairs(sources)
    names = {(a, b) for a, b, _, _ in pairs}
    assert ("copied_from_loops.py", "correct_loops.py") in names
    assert ("correct_loops.py", "correct_vectorised.py") not in names
    assert pairs == sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


def test_the_handout_does_not_count():
    """Two students who kept the handed-out notebook's code and wrote different code are not a pair."""
    handout = read_submission(Submission(HANDOUT.name, HANDOUT)).source
    a, b = handout + LOOPS, handout + VECTORISED
    both = {"a": a, "b": b}
    assert similarity.similar_pairs(both, threshold=0.25) != []  # the handout alone makes them look close
    assert similarity.similar_pairs(both, template=handout, threshold=0.25) == []


def test_code_that_does_not_tokenize_is_still_compared():
    broken = LOOPS + "\ndef unfinished(:\n    '''\n"
    assert similarity.normalised_tokens(broken)
    assert similarity.jaccard(similarity.fingerprints(broken), similarity.fingerprints(LOOPS)) > 0.8


def test_the_command_line_writes_the_report(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("correct_loops.py", "correct_vectorised.py", "mistake_wrong_sign.py"):
        (folder / name).write_text((SUBMISSIONS / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "copy.py").write_text(disguised(LOOPS), encoding="utf-8")
    report = tmp_path / "similar.csv"
    done = subprocess.run(
        [sys.executable, "-m", "rnn_check", "grade", str(folder), "--csv", str(tmp_path / "g.csv"),
         "--similarity", str(report), "--timeout", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and "never a verdict" in lines[0]
    rows = list(csv.DictReader(lines[1:]))
    assert {(row["submission_a"], row["submission_b"]) for row in rows} >= {("copy.py", "correct_loops.py")}
    assert float(rows[0]["similarity"]) == 1.0


def test_the_readme_states_the_rule_the_code_uses():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"{similarity.K}-token runs) is at least {similarity.THRESHOLD}" in readme
    assert f"in a class of {similarity.MIN_CLASS} or more" in readme
