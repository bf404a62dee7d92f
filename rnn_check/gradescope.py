"""rnn_check.gradescope: grade one submission inside Gradescope's autograder, in Gradescope's own format.

    python -m rnn_check grade SUBMISSION --gradescope results.json   one submission -> Gradescope's results
    python -m rnn_check autograder-zip autograder.zip                the zip to upload as the autograder

Gradescope runs `run_autograder` in its container; it reads the student's files from
/autograder/submission/ and must write /autograder/results/results.json: a top-level score and a `tests`
list, one entry per checked part, each with name, score, max_score and output. The zip carries this
project's checker (rnn_core.py and rnn_check/, nothing else), `setup.sh`, which installs the pinned
NumPy, Matplotlib and IPython a notebook may use, and `run_autograder`.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from rnn_check.judging import CheckResult
from rnn_check.messages import language, say

ROOT = Path(__file__).resolve().parents[1]
# What a submission may import in the grader, pinned exactly as for students (requirements.txt).
RUNTIME_PACKAGES = ("numpy", "matplotlib", "ipykernel")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when the autograder image is built.
set -euo pipefail
cd /autograder/source
if ! python3 -m venv --help >/dev/null 2>&1; then
    apt-get update -q && apt-get install -y -q python3 python3-venv python3-pip
fi
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install -q -r requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission. AUTOGRADER_ROOT and AUTOGRADER_PYTHON exist for tests.
set -uo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
python="${AUTOGRADER_PYTHON:-$root/venv/bin/python}"
mkdir -p "$root/results"
cd "$root/source" || exit 1
PYTHONPATH="$root/source" "$python" -m rnn_check grade "$root/submission" \\
    --gradescope "$root/results/results.json" --csv "$root/results/grades.csv" --lang {lang}
"""


def item_output(item, lang="en") -> str:
    """What the student reads under one part: the verdict, what was wrong, and the hint."""
    if item.passed:
        return say("Right on every case.", lang)
    if item.passed is None:
        return say("Not checked: an earlier part failed, so this part could not be reached.", lang)
    hint = say("Hint: {hint}", lang, hint=item.hint) if item.hint else ""
    return "\n".join(part for part in (item.message, hint) if part)


def results_json(result: CheckResult, seconds: float | None = None) -> dict:
    """Gradescope's results for one submission: one test per checked part, 1 point each. The output texts
    are in the result's language; the keys, the tests' names and the scores are the same in every one."""
    lang = result.lang
    summary = say(
        "{status}: {score}/{max_score}. {feedback}",
        lang,
        status=say(result.status, lang),
        score=result.score,
        max_score=result.max_score,
        feedback=result.feedback,
    )
    results = {
        "score": float(result.score),
        "output": "\n".join([summary, *result.notes]),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {
                "name": item.name,
                "score": 1.0 if item.passed else 0.0,
                "max_score": 1.0,
                "output": item_output(item, lang),
                "visibility": "visible",
            }
            for item in result.checks
        ],
    }
    if seconds is not None:
        results["execution_time"] = round(seconds, 3)
    return results


def write_results(path, result: CheckResult, seconds: float | None = None) -> None:
    Path(path).write_text(json.dumps(results_json(result, seconds), indent=2, ensure_ascii=False), "utf-8")


def pinned_requirements() -> str:
    """The lines of requirements.txt that pin RUNTIME_PACKAGES (so the versions are the students' own)."""
    lines = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        requirement = line.split("#")[0].strip()
        name = re.split(r"[=<>!~\[ ]", requirement)[0].lower()
        if name in RUNTIME_PACKAGES:
            lines.append(requirement)
    missing = set(RUNTIME_PACKAGES) - {re.split(r"[=<>]", line)[0].lower() for line in lines}
    if missing:
        raise RuntimeError(f"requirements.txt does not pin {', '.join(sorted(missing))}")
    return "\n".join(lines) + "\n"


def build_autograder_zip(out_path, lang: str = "en") -> list:
    """Write Gradescope's autograder zip to `out_path`, its feedback in `lang` ("en" or "zh"); return the
    names it holds."""
    files = {
        "setup.sh": SETUP_SH,
        "run_autograder": RUN_AUTOGRADER.replace("{lang}", language(lang)),
        "requirements.txt": pinned_requirements(),
    }
    # What grading imports: rnn_core and rnn_check's own modules (not the notebook exercises: they need
    # rnn_lab).
    sources = [ROOT / "rnn_core.py"] + sorted((ROOT / "rnn_check").glob("*.py"))
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o755 if name in ("setup.sh", "run_autograder") else 0o644) << 16
            archive.writestr(info, text)
        for path in sources:
            archive.write(path, path.relative_to(ROOT).as_posix())
    return sorted(files) + [path.relative_to(ROOT).as_posix() for path in sources]
