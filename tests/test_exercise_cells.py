"""The check cells of the notebooks (01-07, and every later one with registered exercises): each has at
least two, every key they name is a registered exercise of its own, and each is stored unanswered (the
verdict that says so, no traceback), so Run All goes on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rnn_check.exercises import exercises

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# The notebooks whose exercises check themselves: 01-07 at least, and any other with registered exercises.
NUMBERS = tuple(sorted({"01", "02", "03", "04", "05", "06", "07"} | {key[:2] for key in exercises()}))
CHECKED = sorted(path for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if path.name[:2] in NUMBERS)
CHECK = re.compile(r"""\bcheck\(\s*["'](\d\d\.\d+)["']""")


def check_cells(path: Path) -> list[tuple[str, dict]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            found += [(key, cell) for key in CHECK.findall(source)]
    return found


def test_the_checked_notebooks_are_there():
    assert [path.name[:2] for path in CHECKED] == list(NUMBERS)


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_each_notebook_has_at_least_two_checked_exercises_of_its_own(path):
    keys = [key for key, _ in check_cells(path)]
    assert len(set(keys)) >= 2, keys
    assert len(keys) == len(set(keys)), f"an exercise is checked twice: {keys}"
    assert all(key.startswith(path.name[:2] + ".") for key in keys), keys
    assert set(keys) <= set(exercises()), f"unregistered: {set(keys) - set(exercises())}"
    registered = {key for key in exercises() if key.startswith(path.name[:2] + ".")}
    assert registered <= set(keys), f"registered but never checked in the notebook: {registered - set(keys)}"


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_each_check_cell_is_stored_unanswered_without_an_error(path):
    for key, cell in check_cells(path):
        assert "answer = None" in "".join(cell["source"]), key
        outputs = cell["outputs"]
        assert not [out for out in outputs if out["output_type"] == "error"], key
        text = "".join("".join(out.get("text", "")) for out in outputs)
        assert (
            text
            == f"Exercise {key}: not answered yet. Put your answer in place of None, then run the cell.\n"
        ), key
