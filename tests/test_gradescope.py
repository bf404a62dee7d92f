"""Gradescope: results.json in Gradescope's format, and the autograder zip run the way Gradescope runs it,
against a folder laid out like Gradescope's (source/, submission/, results/)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import rnn_check
from rnn_check import gradescope

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
MANIFEST = json.loads((SUBMISSIONS / "manifest.json").read_text(encoding="utf-8"))


def run_autograder(tmp_path, *files, lang="en") -> dict:
    """Unzip the autograder (its feedback in `lang`) into tmp/autograder/source, put `files` in submission/,
    run run_autograder."""
    archive = tmp_path / "autograder.zip"
    done = subprocess.run(
        [sys.executable, "-m", "rnn_check", "autograder-zip", str(archive), "--lang", lang],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    root = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(root / "source")
    (root / "submission").mkdir()
    for file in files:
        shutil.copy(file, root / "submission" / Path(file).name)
    # Gradescope has built /autograder/venv with setup.sh; here the test's own Python stands in for it.
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = root / "results" / "results.json"
    assert results.exists(), done.stdout + done.stderr
    return json.loads(results.read_text(encoding="utf-8"))


def test_the_zip_holds_the_checker_and_gradescope_s_two_scripts(tmp_path):
    names = gradescope.build_autograder_zip(tmp_path / "a.zip")
    assert {"setup.sh", "run_autograder", "requirements.txt", "rnn_core.py", "rnn_check/child.py"} <= set(
        names
    )
    assert not [name for name in names if name.startswith(("rnn_lab", "rnn_viz", "notebooks", "tests"))]
    with zipfile.ZipFile(tmp_path / "a.zip") as bundle:
        assert bundle.getinfo("run_autograder").external_attr >> 16 & 0o111  # executable
        requirements = bundle.read("requirements.txt").decode()
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for line in requirements.splitlines():
        assert line in pins, line  # the students' own pinned versions
    assert {line.split("==")[0] for line in requirements.splitlines()} == set(gradescope.RUNTIME_PACKAGES)


def test_run_autograder_grades_a_correct_submission_like_the_batch_grader(tmp_path):
    results = run_autograder(tmp_path, SUBMISSIONS / "correct_loops.py")
    assert results["score"] == 8.0
    assert [test["name"] for test in results["tests"]] == list(rnn_check.CHECK_NAMES)
    assert all(test["score"] == test["max_score"] == 1.0 for test in results["tests"])
    assert {"score", "tests", "output", "visibility"} <= set(results) and results["execution_time"] > 0


@pytest.mark.parametrize("name", ["mistake_no_dh_next.py", "mistake_wrong_sign.py"])
def test_run_autograder_gives_partial_credit_part_by_part(tmp_path, name):
    results = run_autograder(tmp_path, SUBMISSIONS / name)
    assert results["score"] == MANIFEST[name]["score"]  # the same score as the CSV grader's
    assert sum(test["score"] for test in results["tests"]) == results["score"]
    wrong = [test for test in results["tests"] if test["score"] == 0]
    assert wrong and all(test["output"] for test in wrong)


def test_several_files_get_a_zero_that_says_why(tmp_path):
    results = run_autograder(
        tmp_path, SUBMISSIONS / "correct_loops.py", SUBMISSIONS / "mistake_wrong_sign.py"
    )
    assert results["score"] == 0 and "Gradescope grades one submission" in results["output"]


def test_a_chinese_autograder_gives_the_same_results_in_other_words(tmp_path):
    name = "mistake_no_dh_next.py"
    (tmp_path / "en").mkdir(), (tmp_path / "zh").mkdir()
    english = run_autograder(tmp_path / "en", SUBMISSIONS / name)
    chinese = run_autograder(tmp_path / "zh", SUBMISSIONS / name, lang="zh")

    def without_words(results):
        tests = [{k: v for k, v in test.items() if k != "output"} for test in results["tests"]]
        return {k: v for k, v in results.items() if k not in ("output", "execution_time")}, tests

    assert without_words(chinese)[1] == without_words(english)[1]
    assert without_words(chinese)[0].keys() == without_words(english)[0].keys()
    assert chinese["score"] == english["score"] == MANIFEST[name]["score"]
    assert chinese["output"].startswith("未通过：5/8。W_xh 的更新有错")
    wrong = [test["output"] for test in chinese["tests"] if test["score"] == 0]
    assert wrong and all("提示：" in output for output in wrong)
