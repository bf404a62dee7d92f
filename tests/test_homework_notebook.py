"""notebooks/08_homework_bptt.ipynb as handed out: its TODO cells raise NotImplementedError (and nbval can
tell if
they stop doing so), it holds no solution, and it works once a student's correct class is in place."""

import csv
import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "08_homework_bptt.ipynb"
ZH_NOTEBOOK = ROOT / "notebooks" / "zh" / "08_homework_bptt.ipynb"  # the Chinese edition
TAG = "raises-exception"  # honoured by nbval and by JupyterLab's Run All (a comment marker is not)


@pytest.fixture(scope="module")
def cells():
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def code_cells(cells):
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c["cell_type"] == "code"
    ]


def test_raising_cells_are_marked_explained_and_stored_with_their_error(cells):
    marked = [c for c in cells if c["cell_type"] == "code" and TAG in c["metadata"].get("tags", [])]
    assert len(marked) == 2
    for cell in marked:
        lines = "".join(cell["source"]).splitlines()
        assert lines[0].startswith("# Why this cell is tagged `raises-exception`")
        assert "NBVAL_RAISES_EXCEPTION" not in "".join(
            cell["source"]
        )  # the tag alone: no overlapping comment marker
        # nbval skips only the traceback of an error output: a stored ename/evalue makes it fail if the
        # cell stops raising.
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        assert [e["ename"] for e in errors] == ["NotImplementedError"]
        assert errors[0]["evalue"].startswith("TODO")


def run_cells(sources, replace_class=None):
    """Execute the code cells in order; return (namespace, indices of cells that raised
    NotImplementedError)."""
    namespace, raised = {"__name__": "__main__"}, []
    for index, source in enumerate(sources):
        try:
            exec(compile(source, f"<cell {index}>", "exec"), namespace)
        except NotImplementedError:
            raised.append(index)
        if replace_class is not None and "class SimpleRNN" in source:
            namespace["SimpleRNN"] = replace_class
    return namespace, raised


def test_as_handed_out_exactly_the_marked_cells_raise_and_the_check_fails(cells, capsys):
    sources = code_cells(cells)
    namespace, raised = run_cells(sources)
    code = [c for c in cells if c["cell_type"] == "code"]
    assert raised == [i for i, c in enumerate(code) if TAG in c["metadata"].get("tags", [])]
    result = namespace["result"]
    assert not result.passed and result.score == 1  # no solution hidden in the notebook
    assert "NotImplementedError" in capsys.readouterr().out


def test_with_a_correct_class_nothing_raises_and_the_check_passes(cells):
    correct = runpy.run_path(str(ROOT / "tests" / "submissions" / "correct_loops.py"))["SimpleRNN"]
    namespace, raised = run_cells(code_cells(cells), replace_class=correct)
    assert raised == [] and namespace["result"].passed


def test_the_problem_is_stated_in_both_languages_and_linked_to_the_series(cells):
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert (
        "学习率在本题中为0.01这个固定值" in text
        and "The learning rate in this problem is the fixed value 0.01" in text
    )
    assert "dh\\_next" in text and "h_{t-1}" in text
    assert "(07_hidden_state_dynamics.ipynb)" in text and "(00_index.ipynb)" in text


def test_the_chinese_homework_is_checked_in_chinese_with_the_same_verdicts(monkeypatch, capsys):
    from rnn_viz import language

    english = code_cells(json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"])
    chinese = code_cells(json.loads(ZH_NOTEBOOK.read_text(encoding="utf-8"))["cells"])
    assert chinese == english  # the folder, not the code, makes it Chinese
    monkeypatch.delenv(language.ENVIRONMENT_VARIABLE, raising=False)
    language.set_language(None)
    namespace_en, raised_en = run_cells(english)
    capsys.readouterr()
    monkeypatch.chdir(ZH_NOTEBOOK.parent)  # where Jupyter and nbval start the notebook's kernel
    namespace_zh, raised_zh = run_cells(chinese)
    printed = capsys.readouterr().out
    result_en, result_zh = namespace_en["result"], namespace_zh["result"]
    assert raised_zh == raised_en and (result_zh.lang, result_en.lang) == ("zh", "en")
    verdicts = [[(c.name, c.passed, c.case) for c in result.checks] for result in (result_zh, result_en)]
    assert verdicts[0] == verdicts[1]
    assert (result_zh.status, result_zh.score) == (result_en.status, result_en.score) == ("failed", 1)
    assert "得分：1/8" in printed and "这一部分还是 TODO" in printed
    correct = runpy.run_path(str(ROOT / "tests" / "submissions" / "correct_loops.py"))["SimpleRNN"]
    namespace, raised = run_cells(chinese, replace_class=correct)
    assert raised == [] and namespace["result"].passed and "全部检查通过" in capsys.readouterr().out


def test_the_grader_grades_the_chinese_handout_as_the_english_one(tmp_path):
    rows = {}
    for lang, notebook in (("en", NOTEBOOK), ("zh", ZH_NOTEBOOK)):
        out = tmp_path / f"{lang}.csv"
        command = [sys.executable, "-m", "rnn_check", "grade", str(notebook), "--csv", str(out)]
        done = subprocess.run(
            [*command, "--lang", lang, "--hidden-seed", "7"], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        with open(out, newline="", encoding="utf-8") as handle:
            rows[lang] = next(csv.DictReader(handle))
    words = {lang: row.pop("feedback") for lang, row in rows.items()}
    assert rows["zh"] == rows["en"]  # the same grade, part by part
    assert words["zh"].startswith("前向输出有错（用例 1）：forward() 引发了 NotImplementedError")
