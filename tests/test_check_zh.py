"""rnn_check in Chinese: the same verdicts, scores and failed parts as in English, only the words differ;
every sentence the checker can produce has a Chinese entry with the same fields; a bad lang is a clear error.

The homework's planted submissions (tests/submissions) are graded by the command line in both languages and
compared column by column; check() and the exercises are compared in the test's own process."""

from __future__ import annotations

import ast
import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import test_check
from test_grader import COLUMNS, MANIFEST, ROOT, armed_copy, grade

import rnn_check
import rnn_core
from rnn_check import child, gradescope, grading, judging, sandbox
from rnn_check.cases import CHECK_NAMES
from rnn_check.exercises import exercises, verdict
from rnn_check.messages import FIELD, REWORD_LIMIT, catalogue, fields_of, language, reword, say, shorten
from rnn_check.messages_zh import MESSAGES
from rnn_viz import language as series_language

sys.path.insert(0, str(ROOT / "tools"))
import translations  # noqa: E402  (tools/translations.py: CJK, the Chinese letters)

CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")  # Chinese letters and punctuation
PACKAGE = ROOT / "rnn_check"

# say() calls whose template is not written at the call: each names a table the tests below read in full.
DYNAMIC = {
    "hint",  # an exercise's hint: EXERCISE_TEXTS
    "exercise.form",  # an exercise's form: EXERCISE_TEXTS
    "result.status",  # STATUSES
    "self.status",
    "s",  # grading's summary, a status
    "template",  # judging.child_said: one of rnn_check.child.CHILD_TEMPLATES
    "name",  # judging.part_name: the names of CHECK_NAMES
    "str(error['stage'])",  # the child's stages: STAGES
    "diagnosis",  # judging.diagnosis_label: DIAGNOSES and HINTS' keys
    "HINTS[kind]",  # judging.HINTS
    "HINTS[key]",
    "HINTS['float32']",
    "FLOAT32_REASONS[reason][0]",  # judging.FLOAT32_REASONS
    "FLOAT32_REASONS[reason][1]",
}
STATUSES = ("passed", "failed", "error", "flagged")
# The texts rnn_check.child writes in English (it imports nothing of the project, so it cannot say()):
# its records name the template and its fields (judging.child_said says them). Each template's words are
# checked to be in child.py.
CHILD_TEMPLATES = child.CHILD_TEMPLATES


def said_templates(path: Path) -> tuple[list, list]:
    """(templates written at say() calls, the source of the others) in one module: a template is a string
    literal, or a name assigned one string literal in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        target.id: node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }
    written, dynamic = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant):
                written.append(first.value)
            elif isinstance(first, ast.Name) and first.id in constants:
                written.append(constants[first.id])
            else:
                dynamic.append(ast.unparse(first))
    return written, dynamic


def stages_of_the_child() -> set:
    """The stage names rnn_check.child reports an error in (`stage = "..."`), and judging's default one."""
    tree = ast.parse((PACKAGE / "child.py").read_text(encoding="utf-8"))
    stages = {
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and any(isinstance(t, ast.Name) and t.id == "stage" for t in node.targets)
    }
    tuples = [  # out, stage = {}, "creating the model"
        node.value.elts[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Tuple)
        and any(isinstance(t, ast.Tuple) and "stage" in ast.unparse(t) for t in node.targets)
    ]
    return stages | set(tuples)


def exercise_texts() -> list:
    """Every exercise's form and hints, as written in rnn_check/exercises/ex*.py."""
    texts = []
    for exercise in exercises().values():
        texts += [exercise.form] if exercise.form else []
        texts += [hint for _, hint in exercise.mistakes.values()]
    return texts


def every_template() -> list:
    written, dynamic = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        found, unresolved = said_templates(path)
        written += found
        dynamic += unresolved
    assert set(dynamic) <= DYNAMIC, f"say() with a template the tests cannot find: {set(dynamic) - DYNAMIC}"
    tables = list(judging.HINTS.values()) + [
        text for pair in judging.FLOAT32_REASONS.values() for text in pair
    ]
    tables += (
        list(STATUSES) + sorted(stages_of_the_child()) + [n for n in CHECK_NAMES if not n.endswith(" update")]
    )
    tables += list(judging.DIAGNOSES) + list(judging.HINTS)  # the summary's labels of the first problems
    return list(dict.fromkeys(written + tables + list(CHILD_TEMPLATES) + exercise_texts()))


TEMPLATES = every_template()


def english_words(template: str) -> list:
    """The pieces of an English template between its fields that are words, not code or numbers: three
    words or more that no Chinese entry contains (formulas and names stay as they are in Chinese)."""
    pieces = [piece.strip(" .,;:()") for piece in FIELD.split(template)[::3]]
    chinese = "\n".join(MESSAGES.values())
    return [p for p in pieces if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}", p) and p not in chinese]


UNTRANSLATED = sorted({piece for template in MESSAGES for piece in english_words(template)}, key=len)


def untranslated_in(text: str) -> list:
    return [piece for piece in UNTRANSLATED if piece in text]


# ---------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------


def test_the_scan_finds_the_checker_s_templates():
    assert len(TEMPLATES) > 200  # a scan that found nothing would pass everything below
    assert "is missing" in TEMPLATES and judging.HINTS["no dh_next"] in TEMPLATES
    assert {"creating the model", "forward", "backward", "the second forward", "the second backward"} <= set(
        TEMPLATES
    )


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_has_a_chinese_entry_with_the_same_fields(template):
    assert template in MESSAGES, f"no Chinese for {template!r} in rnn_check/messages_zh.py"
    chinese = MESSAGES[template]
    assert fields_of(chinese) == fields_of(template), (template, chinese)
    code = ("forward", "backward", "creating the model")  # forward(), SimpleRNN(I, H, O): code
    assert CJK.search(chinese) or template in code, chinese


def test_the_catalogue_holds_no_stale_entry():
    stale = sorted(set(MESSAGES) - set(TEMPLATES))
    assert not stale, f"entries of messages_zh.py that the checker never says: {stale}"


def diagnoses_in_the_code() -> set:
    """Every diagnosis label written in rnn_check: a string given as `diagnosis=` or as a parameter
    `diagnosis`'s default, as error_result's third or CheckResult's fifth argument (also through a module
    constant), or assigned to a name `diagnosis` or `label` or an attribute `.diagnosis` (either side of an
    `if` expression, in tuple assignments too)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }

        def strings(node) -> list:
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                return [node.value]
            if isinstance(node, ast.Name) and node.id in constants:
                return [constants[node.id]]
            if isinstance(node, ast.IfExp):
                return strings(node.body) + strings(node.orelse)
            if isinstance(node, ast.BoolOp):
                return [text for value in node.values for text in strings(value)]
            return []

        def is_label(target) -> bool:
            return (isinstance(target, ast.Name) and target.id in ("diagnosis", "label")) or (
                isinstance(target, ast.Attribute) and target.attr == "diagnosis"
            )

        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                found += [s for k in node.keywords if k.arg == "diagnosis" for s in strings(k.value)]
                position = {"error_result": 2, "CheckResult": 4}.get(name)
                if position is not None and len(node.args) > position:
                    found += strings(node.args[position])
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                arguments = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults
                defaults += node.args.kw_defaults
                found += [
                    s for a, d in zip(arguments, defaults) if a.arg == "diagnosis" and d for s in strings(d)
                ]
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    pairs = [(target, node.value)]
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        pairs = list(zip(target.elts, node.value.elts))
                    found += [s for t, value in pairs if is_label(t) and value for s in strings(value)]
    return set(found) - {""}  # "": no diagnosis (CheckResult's default): the summary shows the status


def test_every_diagnosis_the_code_gives_has_a_chinese_label_in_the_summary():
    found = diagnoses_in_the_code()
    assert {"time limit", "no SimpleRNN", "several files", "could not run", "passed"} <= found  # scan works
    known = set(judging.DIAGNOSES) | set(judging.HINTS)
    assert found <= known, f"add to judging.DIAGNOSES (and messages_zh.py): {sorted(found - known)}"
    statuses = {"failed", "error", "flagged"}  # grading's fallback when a result has no diagnosis
    assert set(judging.DIAGNOSES) - found <= statuses, "DIAGNOSES holds labels the code never gives"
    for diagnosis in sorted(known) + [f"{name} wrong" for name in CHECK_NAMES]:
        label = judging.diagnosis_label(diagnosis, "zh")
        assert translations.CJK.search(label.split("（")[0]) and label.endswith(f"（{diagnosis}）"), label
        assert judging.diagnosis_label(diagnosis, "en") == diagnosis
    assert judging.diagnosis_label("no dh_next", "zh") == "缺少 dh_next（no dh_next）"  # README's example


def test_the_child_s_english_is_the_child_s():
    source = (PACKAGE / "child.py").read_text(encoding="utf-8")
    for template in CHILD_TEMPLATES:
        for piece in FIELD.split(template)[::3]:
            assert piece in source, f"{piece!r} of {template!r} is not in rnn_check/child.py"


def test_reword_puts_the_child_s_and_the_sandbox_s_english_into_chinese():
    assert reword("is missing", "zh") == "不存在"
    assert reword("is a list, not a NumPy array", "zh") == "是一个 list，不是 NumPy 数组"
    assert reword("took longer than the time limit of 3 s", "zh") == "运行时间超过了 3 秒的时间限制"
    nested = "the submission filled its scratch folder past the limit (80 entries, 160 MB)"
    assert reword(nested, "zh") == "该提交把临时文件夹填得超过了限制（80 个条目，160 MB）"
    assert reword("reading /etc/x (outside the Python installation and its scratch folder)", "zh").startswith(
        "读取 /etc/x（"
    )
    assert reword("import rnn_core", "zh") == "import rnn_core"  # code: no template made it
    assert reword("is missing", "en") == "is missing"


def test_say_fills_only_its_own_fields():
    assert say(
        "{name} has shape {shape}, expected {expected}", "en", name="W", shape=(1,), expected=(2,)
    ) == ("W has shape (1,), expected (2,)")
    assert say("h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), appended after each step.", "zh").startswith("h_t")
    assert say("The gradients were clipped (each entry kept within +-{clip:g}): ...", "en", clip=5.0) == (
        "The gradients were clipped (each entry kept within +-5): ..."
    )


# ---------------------------------------------------------------------------
# A submission's own words: never reworded into the grader's voice, quoted in Chinese
# ---------------------------------------------------------------------------

VERDICT = MESSAGES["All checks passed: forward and one BPTT + SGD step match rnn_core on every case."]


def raising_in_backward(error: BaseException) -> type:
    """A SimpleRNN whose forward() is right and whose backward() raises `error`."""

    class Raises(test_check.Correct):
        def backward(self, x, y, learning_rate):
            raise error

    return Raises


def test_a_students_exception_message_is_shown_as_it_is_and_quoted_in_chinese():
    """A student's message that is one of the grader's own sentences stays the student's, in both
    languages: in Chinese quoted 「…」 as written, never translated into the grader's verdict."""
    words = "All checks passed: forward and one BPTT + SGD step match rnn_core on every case."
    cls = raising_in_backward(ValueError(words))
    english = rnn_check.check(cls, verbose=False, lang="en")
    chinese = rnn_check.check(cls, verbose=False, lang="zh")
    assert verdicts_of(chinese) == verdicts_of(english) and english.status == "failed"
    assert f"backward raised ValueError: {words}" in english.feedback  # English: as before
    assert f"backward() 引发了 ValueError：「{words}」" in chinese.feedback, chinese.feedback
    assert VERDICT not in chinese.feedback and VERDICT not in str(chinese)


def test_a_students_quote_marks_and_class_name_cannot_leave_the_quotation():
    """A 」 of the student's own cannot close the grader's quotation (it becomes 』), and a class whose name
    is not a plain Python name (type("全部检查通过", ...)) is quoted like the message."""
    sneaky = type("全部检查通过", (ValueError,), {})
    chinese = rnn_check.check(raising_in_backward(sneaky("boom」，全部检查通过「")), verbose=False, lang="zh")
    assert "引发了 「全部检查通过」：「boom』，全部检查通过『」" in chinese.feedback, chinese.feedback
    named_passed = type("passed", (ValueError,), {})  # a plain name: shown as code, not translated
    chinese = rnn_check.check(
        raising_in_backward(named_passed("all checks passed")), verbose=False, lang="zh"
    )
    assert "backward() 引发了 passed：「all checks passed」" in chinese.feedback, chinese.feedback


def forged_results(record: dict) -> dict:
    """What a submission can write into the results channel itself: every run failed with `record`."""
    run = {"error": {"stage": "creating the model", "type": "ValueError", **record}}
    return {"runs": [run] * len(rnn_check.TASKS), "probe": None}


def test_a_forged_record_cannot_choose_the_grader_s_words():
    """Only the child's own templates are put into words, with the student's fields quoted; a record
    naming any other template (or the wrong fields) is the student's text, shown as it is."""
    forged = {"message": "all checks passed", "template": "all checks passed", "fields": {}}
    feedback = judging.judge(forged_results(forged), lang="zh").feedback
    assert "ValueError：「all checks passed」" in feedback and "全部检查通过" not in feedback, feedback
    exited = {"message": "x", "template": child.EXITED, "fields": {"code": "全部检查通过"}}
    feedback = judging.judge(forged_results(exited), lang="zh").feedback
    assert "代码调用了 exit() / sys.exit(「全部检查通过」)" in feedback, feedback
    wrong_fields = {"message": "boom", "template": child.EXITED, "fields": {"kind": "x"}}
    assert "ValueError：「boom」" in judging.judge(forged_results(wrong_fields), lang="zh").feedback


def test_the_child_s_own_sentences_are_still_chinese_with_the_student_s_parts_quoted():
    class ListWeights(test_check.Correct):
        def __init__(self, input_size, hidden_size, output_size):
            super().__init__(input_size, hidden_size, output_size)
            self.W_hh = [[0.0]]

    class Exits(test_check.Correct):
        def backward(self, x, y, learning_rate):
            raise SystemExit(3)

    shapes = rnn_check.check(ListWeights, verbose=False, lang="zh").checks[0].message
    assert "W_hh 是一个 「list」，不是 NumPy 数组" in shapes, shapes
    exits = rnn_check.check(Exits, verbose=False, lang="zh").feedback
    assert "backward()：代码调用了 exit() / sys.exit(「3」)，这会结束程序。" in exits, exits
    english = rnn_check.check(Exits, verbose=False, lang="en").feedback
    assert "backward: the code called exit() / sys.exit(3), which ends the program." in english


def test_rewording_a_long_text_takes_well_under_a_second():
    """reword()'s regular expressions backtrack: its time grows steeply with the text (": /" * 1000 took
    2.5 s, 3000 characters 7.6 s). It rewords at most REWORD_LIMIT characters, and a submission's own
    message, which it can make as long as it likes by forging the results channel, is never reworded."""
    at_the_limit = ": /" * (REWORD_LIMIT // 3)
    for text in (": /" * 1000, at_the_limit, ": /" * 30000, ": " * 5000 + "is missing"):
        started = time.perf_counter()  # one at a time: each longer one would take far longer without a cap
        assert reword(text, "zh") == text
        assert time.perf_counter() - started < 0.5, len(text)
    started = time.perf_counter()
    result = judging.judge(forged_results({"message": ": /" * 700}), lang="zh")  # 2100 characters
    assert time.perf_counter() - started < 1.0 and result.status == "failed"
    assert "「: /: /" in result.feedback


def test_a_cut_feedback_ends_with_an_ellipsis_and_leaves_no_quotation_open():
    def closed(text):  # every 「 is closed before the next one opens, and the last one is closed
        depth = 0
        for char in text:
            depth += {"「": 1, "」": -1}.get(char, 0)
            if depth not in (0, 1):
                return False
        return depth == 0

    assert shorten("短", 500, "zh") == "短"
    for text in ("第一部分有错：「" + "长" * 600 + "」", "「a」 " * 130, "「ab」" * 130, "x" * 600):
        cut = shorten(text, 500, "zh")
        assert len(cut) <= 500 and "…" in cut[-2:] and closed(cut), cut[-5:]
    assert shorten("「ab」" * 130, 500, "en").endswith("「a…")  # English quotes nothing: it closes nothing
    with pytest.raises(ValueError, match="at least 2"):
        shorten("abc", 1)
    for message in ("「" + "长" * 2000, "」" * 50 + "长" * 2000, "「「" * 500):  # the student's own marks
        result = judging.judge(forged_results({"message": message}), lang="zh")
        assert len(result.feedback) <= 500 and closed(result.feedback), result.feedback[-20:]


def test_a_dollar_sign_of_the_student_s_is_escaped_in_the_feedback_in_both_languages():
    """$...$ is a formula where the feedback is rendered with MathJax or KaTeX."""
    submission = grading.Submission("$x$.py", Path("$x$.py"))
    words = "$\\color{green}{\\text{passed}}$"
    for lang in ("en", "zh"):
        result = rnn_check.check(raising_in_backward(ValueError(words)), verbose=False, lang=lang)
        page = grading.feedback_text(submission, result)
        assert "\\$\\\\color" in page and "\\$x\\$" in page, page
        assert not re.search(r"(?<!\\)\$", page), page


# ---------------------------------------------------------------------------
# The language: explicit, or the series' current one; a bad one is a clear error
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: rnn_check.check(test_check.Correct, verbose=False, lang="fr"),
        lambda: verdict("04.1", None, lang="Chinese"),
        lambda: judging.error_result("x", lang="EN"),
        lambda: catalogue("de"),
    ],
)
def test_a_bad_lang_is_a_clear_error(call):
    with pytest.raises(ValueError, match=r'lang must be "en" \(English\), "zh" \(Chinese\) or None'):
        call()


def test_lang_none_is_the_series_language(monkeypatch, tmp_path):
    monkeypatch.delenv(series_language.ENVIRONMENT_VARIABLE, raising=False)
    series_language.set_language(None)
    assert language(None) == "en"
    folder = tmp_path / "zh"
    folder.mkdir()
    monkeypatch.chdir(folder)  # a notebook of notebooks/zh/ runs its kernel there
    assert language(None) == "zh"
    assert str(verdict("04.2", 0)).startswith("练习 04.2：还不对。")
    series_language.set_language("en")
    try:
        assert str(verdict("04.2", 0)).startswith("Exercise 04.2: not yet right.")
    finally:
        series_language.set_language(None)


def test_the_grader_s_command_line_refuses_a_bad_lang(tmp_path):
    done, _ = grade(tmp_path, ROOT / "tests" / "submissions" / "correct_loops.py", extra=["--lang", "fr"])
    assert done.returncode == 2 and "--lang" in done.stderr and "'zh'" in done.stderr


# ---------------------------------------------------------------------------
# rnn_check.check in the student's process
# ---------------------------------------------------------------------------

CLASSES = [
    value
    for value in vars(test_check).values()
    if isinstance(value, type) and value.__module__ == test_check.__name__ and hasattr(value, "forward")
]


def verdicts_of(result) -> tuple:
    """Everything of a CheckResult but its words."""
    items = [(i.name, i.passed, i.case, i.time_step, i.kind) for i in result.checks]
    return (result.status, result.score, result.max_score, result.diagnosis, items)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_check_gives_the_same_verdicts_in_chinese(cls):
    english = rnn_check.check(cls, verbose=False, lang="en")
    chinese = rnn_check.check(cls, verbose=False, lang="zh")
    assert verdicts_of(chinese) == verdicts_of(english)
    report = str(chinese)
    assert report.startswith("正在用 3 个用例将 SimpleRNN 与 rnn_core 对照检查") and CJK.search(
        chinese.feedback
    )
    assert f"得分：{english.score}/{english.max_score}" in report
    assert not untranslated_in(report), untranslated_in(report)
    for item in chinese.checks:
        assert not untranslated_in(item.message + item.hint), (item.message, item.hint)


def test_check_s_own_refusals_speak_chinese():
    for model, start in ((3, "check() 需要你的 SimpleRNN 类"), (rnn_core.SimpleRNN, "这是 rnn_core")):
        result = rnn_check.check(model, verbose=False, lang="zh")
        assert result.feedback.startswith(start) and result.lang == "zh"


# ---------------------------------------------------------------------------
# The grader, on every planted submission, in both languages
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graded_twice(tmp_path_factory):
    """The planted submissions graded by the command line in English and in Chinese (the same hidden seed)."""
    runs = {}
    for lang in ("en", "zh"):
        tmp_path = tmp_path_factory.mktemp(f"grading_{lang}")
        submissions = armed_copy(tmp_path / "submissions")
        extra = ["--feedback-dir", str(tmp_path / "feedback"), "--lang", lang]
        done, csv_path = grade(tmp_path, submissions, extra=extra)
        assert done.returncode == 0, done.stderr
        with open(csv_path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        feedback = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "feedback").iterdir()}
        runs[lang] = {"done": done, "rows": rows, "feedback": feedback}
    return runs


def test_every_planted_submission_gets_the_same_grades_in_both_languages(graded_twice):
    english, chinese = graded_twice["en"]["rows"], graded_twice["zh"]["rows"]
    assert english[0] == chinese[0] == COLUMNS  # the same columns: course platforms import both
    assert len(chinese) == len(MANIFEST) + 1
    feedback = COLUMNS.index("feedback")
    for row_en, row_zh in zip(english[1:], chinese[1:]):
        assert row_en[:feedback] == row_zh[:feedback], (row_en, row_zh)  # verdicts, scores, parts, label
        assert CJK.search(row_zh[feedback]), row_zh


def test_no_chinese_feedback_holds_untranslated_english(graded_twice):
    english = [row[-1] for row in graded_twice["en"]["rows"][1:]]
    assert sum(bool(untranslated_in(text)) for text in english) > len(english) * 0.9  # the search finds it
    rows = graded_twice["zh"]["rows"][1:]
    for row in rows:
        assert not untranslated_in(row[-1]), (row[1], untranslated_in(row[-1]), row[-1])
    for name, text in graded_twice["zh"]["feedback"].items():
        assert not untranslated_in(text), (name, untranslated_in(text))
    assert "得分直方图：" in graded_twice["zh"]["done"].stdout  # the teacher's summary too
    summary = graded_twice["zh"]["done"].stdout.split("发现的第一个问题（每份提交只计一次）：\n", 1)[1]
    problems = [line for line in summary.splitlines() if re.match(r"^ +\d+  ", line)]
    assert len(problems) >= 5, summary  # the planted mistakes: several kinds
    for line in problems:  # the Chinese label, then the key in brackets
        assert translations.CJK.search(line.split("（")[0]), line


def test_the_feedback_files_are_the_same_files_with_the_same_scores(graded_twice):
    english, chinese = graded_twice["en"]["feedback"], graded_twice["zh"]["feedback"]
    assert sorted(english) == sorted(chinese)
    for name in english:
        score = re.search(r"\*\*(\d+/\d+)\*\*", english[name]).group(1)
        assert f"得分：**{score}**" in chinese[name], name
        assert english[name].count("\n## ") == chinese[name].count("\n## "), (
            name
        )  # one section per wrong part
    text = chinese["mistake_no_dh_next.py.md"]
    assert "| W_xh 的更新 | **错误** |" in text and "| 初始形状 | 正确 |" in text and "提示：" in text


# ---------------------------------------------------------------------------
# Gradescope
# ---------------------------------------------------------------------------


def test_gradescope_results_keep_their_keys_names_and_scores_in_chinese():
    for cls in (test_check.Correct, test_check.UsesHt):
        english = gradescope.results_json(rnn_check.check(cls, verbose=False, lang="en"), 1.0)
        chinese = gradescope.results_json(rnn_check.check(cls, verbose=False, lang="zh"), 1.0)
        assert english.keys() == chinese.keys() and english["score"] == chinese["score"]
        for test_en, test_zh in zip(english["tests"], chinese["tests"]):
            assert test_en.keys() == test_zh.keys()
            assert {k: v for k, v in test_en.items() if k != "output"} == {
                k: v for k, v in test_zh.items() if k != "output"
            }
            assert CJK.search(test_zh["output"]) and not untranslated_in(test_zh["output"])
        assert CJK.search(chinese["output"])


def test_the_autograder_zip_carries_the_language(tmp_path):
    import zipfile

    for lang in ("en", "zh"):
        gradescope.build_autograder_zip(tmp_path / f"{lang}.zip", lang)
        with zipfile.ZipFile(tmp_path / f"{lang}.zip") as bundle:
            script = bundle.read("run_autograder").decode()
            assert f"--lang {lang}\n" in script and "rnn_check/messages_zh.py" in bundle.namelist()


def test_gradescope_s_several_files_zero_speaks_chinese(tmp_path):
    out = tmp_path / "results.json"
    files = [ROOT / "tests" / "submissions" / n for n in ("correct_loops.py", "mistake_wrong_sign.py")]
    command = [sys.executable, "-m", "rnn_check", "grade", *map(str, files), "--gradescope", str(out)]
    done = subprocess.run(
        command + ["--lang", "zh", "--timeout", "5"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["score"] == 0 and "Gradescope 只评一份提交" in results["output"]


# ---------------------------------------------------------------------------
# The notebooks' exercises
# ---------------------------------------------------------------------------

EXERCISES = exercises()


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_an_exercise_answers_in_chinese_for_a_right_and_a_wrong_answer(key):
    exercise = EXERCISES[key]
    right = exercise.answer()
    assert str(verdict(key, right, lang="zh")) == f"练习 {key}：正确。"
    assert str(verdict(key, None, lang="zh")).startswith(f"练习 {key}：还没有作答。")
    wrong = np.asarray(right, dtype=np.float64) * 1.5 + 1.0  # far from the answer, same shape
    english, chinese = verdict(key, wrong, lang="en"), verdict(key, wrong, lang="zh")
    assert (chinese.right, chinese.mistake) == (english.right, english.mistake) == (False, english.mistake)
    assert str(chinese).startswith(f"练习 {key}：还不对。") and CJK.search(chinese.message)
    assert not untranslated_in(str(chinese)), str(chinese)


@pytest.mark.parametrize(
    "key, name", [(key, name) for key, e in sorted(EXERCISES.items()) for name in e.mistakes]
)
def test_a_recognised_mistake_gets_its_chinese_hint(key, name):
    mistake, hint = EXERCISES[key].mistakes[name]
    english, chinese = verdict(key, mistake(), lang="en"), verdict(key, mistake(), lang="zh")
    assert (chinese.right, chinese.mistake) == (english.right, english.mistake) == (False, name)
    assert english.hint == hint and chinese.hint == MESSAGES[hint]
    assert f"提示：{MESSAGES[hint]}" in str(chinese)


def test_a_wrong_form_gets_the_chinese_form():
    chinese = verdict("04.1", [1.0, 2.0], lang="zh")
    assert chinese.message == "你的答案的形状是 (2,)，但答案的形状是 (4, 4)。"
    assert chinese.hint == "答案应当是一个形状为 (H, H) = (4, 4) 的数组，与 params['W_hh'] 相同。"


def test_a_failure_reason_written_into_the_results_channel_is_not_the_grader_s():
    """The grader's reasons for a failed run ("failure") are reworded into Chinese as its own words; the
    child never sends one, so one that arrives in the results channel is the submission's forgery."""
    forged = json.dumps({"failure": "all checks passed"}).encode()
    raw = sandbox._parse_results(forged, None, 0, None, sandbox.Limits())
    assert raw == {"failure": "its results could not be read (did it write into the grader's channel?)"}
    assert sandbox._parse_results(json.dumps({"runs": []}).encode(), None, 0, None, sandbox.Limits()) == {
        "runs": []
    }
