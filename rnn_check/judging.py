"""rnn_check.judging: compare a run's plain results with the reference, find the earliest time step where
the student departs, and give hints. The results may come from an untrusted child: they are read defensively.

Time steps are counted as in the notebooks and in rnn_core.BPTTTrace: t = 0 .. T-1, and the hidden state
produced at step t is h_t = last_hiddens[t + 1] (last_hiddens[0] is the zero start state).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rnn_check.cases import CASES, CHECK_NAMES, CLIP_SEEN, PARAM_NAMES, TASKS, Task
from rnn_check.child import CHILD_TEMPLATES, PROJECT_PACKAGES
from rnn_check.messages import fields_of, language, reword, say, shorten, student, student_name
from rnn_check.reference import Reference, reference, reference_probe

# A refusal that starts with one of these means the submission tried to use the project itself.
USES_PROJECT = tuple(f"import {package}" for package in PROJECT_PACKAGES) + ("read ",)

# ---------------------------------------------------------------------------
# 4. Judging
# ---------------------------------------------------------------------------

HINTS = {
    # forward
    "no b_h": "The hidden state is computed without b_h: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h).",
    "no b_y": "The output is computed without b_y: y_t = W_hy h_t + b_y.",
    "no biases": "Both biases are missing: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h) and y_t = W_hy h_t + "
    "b_y.",
    "no recurrence": "h_t does not use the previous state: the term W_hh h_{t-1} is missing (start from h "
    "= 0 and "
    "carry h from one step to the next).",
    # backward
    "wrong sign": "The update goes uphill: it adds learning_rate * gradient. Gradient descent subtracts it: "
    "W <- W - learning_rate * dW.",
    "not updated": "{name} does not change at all in backward(): its gradient (d{name}) is never subtracted. "
    "Every parameter, biases included, gets W <- W - learning_rate * dW.",
    "learning rate ignored": "The update is the whole gradient, as if learning_rate were 1: multiply the "
    "gradient "
    "by the learning_rate argument.",
    "learning rate hard-coded": "The update used the learning rate 0.01, but backward() was called with "
    "learning_rate={lr}: use the argument, not a fixed number.",
    "averaged": "The gradient is rnn_core's divided by T={steps}: the loss is a sum over time steps, so the "
    "gradients are summed over t (dW += ...), not averaged.",
    "updated inside the loop": "The weights change inside the time loop: add up the gradients over all t "
    "first, "
    "then update every parameter once, after the loop.",
    "h_t in dW_hh": "dW_hh must use the state that entered step t, h_{t-1} = last_hiddens[t], not h_t = "
    "last_hiddens[t+1]: dW_hh += dh_raw h_{t-1}^T.",
    "no dh_next": "The gradient coming back from later time steps is missing: dh = W_hy^T dy + dh_next, "
    "and after "
    "step t set dh_next = W_hh^T dh_raw for step t-1.",
    "clipped": "The gradients were clipped (each entry kept within +-{clip:g}): this backward() applies no "
    "clipping; the update uses the whole gradient, W <- W - learning_rate * dW.",
    "state kept by forward": "forward() gave other results when called again on the same model with the "
    "same weights: it keeps state from the previous call. Start every call from h = 0 and a new "
    "last_hiddens = [h] (a local h, not self.h carried over).",
    "state kept by backward": "backward() gave another update when called again on the same model with "
    "the same weights and the same forward(): it keeps state from the previous call. Start every call "
    "from zero gradients and dh_next = 0 (local variables, not attributes kept on self).",
    "float32": "A precision difference, not a wrong formula: {why}, which keeps about 7 significant "
    "digits; the checker compares with rnn_core in float64 (about 16) and counts this as wrong. Keep "
    "NumPy's default float64: no dtype=np.float32 or .astype(np.float32).",
    "no tanh derivative": "The tanh derivative is missing: dh_raw = (1 - h_t^2) * dh, with h_t = "
    "last_hiddens[t+1].",
}


@dataclass
class CheckItem:
    """One line of the report: a part of the class and whether it matches rnn_core on every case."""

    name: str
    passed: bool | None = None  # None: not checked because something before it failed
    message: str = ""  # for a failure: what was expected and what was given
    hint: str = ""
    case: int | None = None  # 1-based number of the first case where it failed
    time_step: int | None = None  # earliest time step t (0 .. T-1) where the student's result departs
    kind: str = ""  # the recognised common mistake (a key of HINTS), if any


@dataclass
class CheckResult:
    """The verdict: `passed`, `score` out of `max_score`, and the per-check details in `checks`."""

    checks: list
    status: str  # "passed", "failed", "error" (could not run) or "flagged" (used the reference)
    feedback: str  # the first diagnosis, one line
    notes: list = field(default_factory=list)  # extra lines, e.g. actions the sandbox blocked
    diagnosis: str = ""  # a short label for the teacher's summary, e.g. "no dh_next" (English: a key)
    lang: str = "en"  # the language its words are in ("en" or "zh"); verdicts and scores are the same in all

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def score(self) -> int:
        return sum(item.passed is True for item in self.checks)

    @property
    def max_score(self) -> int:
        return len(self.checks)

    def __repr__(self) -> str:
        return f"CheckResult(status={self.status!r}, score={self.score}, max_score={self.max_score})"

    def __str__(self) -> str:
        lang = self.lang
        sizes = ", ".join(f"({c.input_size}, {c.hidden_size}, {c.output_size}, {c.steps})" for c in CASES)
        lines = [
            say(
                "Checking SimpleRNN against rnn_core on {count} cases, (I, H, O, T) = {sizes};",
                lang,
                count=len(CASES),
                sizes=sizes,
            ),
            say("the checker sets the weights and biases itself.", lang),
            "",
        ]
        if self.status in ("error", "flagged"):
            status = say(self.status, lang)
            return "\n".join(
                lines
                + [say("Not graded ({status}): {feedback}", lang, status=status, feedback=self.feedback)]
                + self.notes
                + ["", say("Score: {score}/{max_score}", lang, score=0, max_score=self.max_score)]
            )
        marks = {True: say("ok     ", lang), False: say("WRONG  ", lang), None: "-      "}
        for item in self.checks:
            note = "" if item.passed is not None else say("  (not checked: an earlier part failed)", lang)
            lines.append(f"  {marks[item.passed]}{part_name(item.name, lang)}{note}")
        lines += ["", say("Score: {score}/{max_score}", lang, score=self.score, max_score=self.max_score)]
        if self.passed:
            lines.append(
                say("All checks passed: forward and one BPTT + SGD step match rnn_core on every case.", lang)
            )
            return "\n".join(lines + self.notes)
        lines += self.notes
        first = next(item for item in self.checks if item.passed is False)
        where = ""
        if first.case:
            where = say(
                " (case {case}: {sizes})", lang, case=first.case, sizes=CASES[first.case - 1].describe()
            )
        lines += [
            "",
            say("First problem: {part}{where}", lang, part=part_name(first.name, lang), where=where),
        ]
        lines += ["  " + line for line in first.message.splitlines()]
        if first.hint:
            lines.append(say("Hint: {hint}", lang, hint=first.hint))
        return "\n".join(lines)


def part_name(name: str, lang: str | None = None) -> str:
    """A checked part's name ("W_hh update") in words of `lang`; the name itself stays the key everywhere."""
    if name.endswith(" update"):
        return say("{parameter} update", lang, parameter=name.split()[0])
    return say(name, lang)


# CheckResult.diagnosis, the first problem's short label: a stable English key (the CSV's "first problem"
# column, the same in every language), besides HINTS' keys and "<part> wrong". The teacher's summary shows
# each in the summary's language (diagnosis_label); tests/test_check_zh.py finds every label the code gives.
STATUSES = ("passed", "failed", "error", "flagged")  # CheckResult.status
DIAGNOSES = STATUSES + (
    "flagged: uses the reference or project files",
    "flagged: behaves as rnn_core.SimpleRNN",
    "could not run",
    "several files",
    "unreadable file",
    "grader error",
    "disk limit",
    "time limit",
    "crashed or exited",
    "unreadable results",
    "syntax error",
    "exit()",
    "memory limit",
    "error while loading",
    "no SimpleRNN",
)


def diagnosis_label(diagnosis: str, lang: str | None = None) -> str:
    """A diagnosis for the teacher's summary: as it is in English; in Chinese the Chinese label, then the
    key (which the CSV holds) in brackets. A diagnosis of no known form is shown as it is."""
    if language(lang) == "en":
        return diagnosis
    part = diagnosis.removesuffix(" wrong")
    if part != diagnosis and part in CHECK_NAMES:
        label = say("{part} wrong", lang, part=part_name(part, lang))
    elif diagnosis in DIAGNOSES or diagnosis in HINTS:
        label = say(diagnosis, lang)
    else:
        return diagnosis
    return f"{label}（{diagnosis}）"


def child_said(record: dict, key: str, lang="en", limit: int = 300):
    """A child record's text (record[key]) for a say() field: the child's own sentence in `lang` if the record
    names one of the child's templates (rnn_check.child.CHILD_TEMPLATES) with its fields, the fields being
    the submission's words (numbers as they are); anything else is the submission's own words (its
    exception's message), student(text): never reworded into the grader's voice. The records may be forged
    by the submission, so the template must be one of the child's and the fields exactly its fields."""
    template, fields = record.get("template"), record.get("fields")
    if template in CHILD_TEMPLATES and isinstance(fields, dict) and set(fields) == fields_of(template):
        return say(
            template,
            lang,
            **{
                name: value if type(value) is int else student(str(value)[:limit])
                for name, value in fields.items()
            },
        )
    return student(str(record.get(key, ""))[:limit])


def _error_text(error: dict, line_map=None, lang="en") -> str:
    """'forward raised ValueError: ... \\n at line 12 of your code: h = ...' from a runner error record."""
    stage = say(str(error["stage"]), lang)  # the child's name for the stage, one of a few fixed ones
    message = child_said(error, "message", lang)  # the student's exception's message, as it is
    if error["type"] == "SystemExit":
        head = say("{stage}: {message}, which ends the program.", lang, stage=stage, message=message)
    else:
        head = say(
            "{stage} raised {kind}: {message}",
            lang,
            stage=stage,
            kind=student_name(error["type"]),
            message=message,
        )
    if error.get("line"):
        where = where_in_code(error["line"], line_map, lang)
        head += "\n" + say("at {where} of your code: {code}", lang, where=where, code=error.get("code") or "")
    return head


def where_in_code(line: int, line_map=None, lang="en") -> str:
    if line_map and 0 < line <= len(line_map):
        cell, cell_line = line_map[line - 1]
        return say("code cell {cell}, line {line}", lang, cell=cell, line=cell_line)
    return say("line {line}", lang, line=line)


def _array(rec, lang="en"):
    """A runner record -> (array, None), or (None, 'what is wrong with it' in `lang`)."""
    unreadable = say("could not be read", lang)
    if not isinstance(rec, dict):
        return None, unreadable
    if "problem" in rec:
        return None, child_said(rec, "problem", lang)
    shape, data = rec.get("shape"), rec.get("data")
    if not isinstance(shape, list) or not all(isinstance(n, int) and 0 <= n <= 10**6 for n in shape):
        return None, unreadable
    if (
        not isinstance(data, list)
        or len(data) != int(np.prod(shape))
        or not all(isinstance(v, float) for v in data)
    ):
        return None, unreadable
    return np.array(data, dtype=np.float64).reshape(shape), None


def _difference(label: str, expected: np.ndarray, given: np.ndarray, lang="en") -> str:
    """Where two arrays of the same shape differ most, in words."""
    gap = np.abs(given - expected)
    gap[~np.isfinite(gap)] = np.inf
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    position = ", ".join(str(int(i)) for i in index)
    shown = (f"{expected[index]:.6f}", f"{given[index]:.6f}")
    if shown[0] == shown[1]:  # the same to 6 decimals: show the digits where they differ
        shown = (f"{expected[index]:.12g}", f"{given[index]:.12g}")
    text = say(
        "{label}[{position}]: expected {expected}, you gave {given}",
        lang,
        label=label,
        position=position,
        expected=shown[0],
        given=shown[1],
    )
    if not np.all(np.isfinite(given)):
        text += say(" ({count} value(s) are NaN or infinite)", lang, count=int(np.sum(~np.isfinite(given))))
    return text


FLOAT32_LEVEL = 50 * float(np.finfo(np.float32).eps)  # relative differences this small: float32 rounding


# Why a difference is float32's: (in the hint, in the message's precision note)
FLOAT32_REASONS = {
    "arrays": ("your arrays are float32", "the arrays were float32"),
    "rounding": (
        "the difference is at float32's rounding level (your numbers went through float32)",
        "the difference is at float32's rounding level (your numbers went through float32)",
    ),
}


def _float32_reason(rec, given: np.ndarray, expected: np.ndarray) -> str:
    """Why the difference is a float32 precision difference (a key of FLOAT32_REASONS), or ''."""
    if given.shape != expected.shape or not np.all(np.isfinite(given)):
        return ""
    if isinstance(rec, dict) and any("float32" in str(d) for d in rec.get("dtypes", []) or []):
        return "arrays"
    gap = float(np.max(np.abs(given - expected)))
    size = float(np.max(np.abs(expected))) or 1.0
    if gap <= FLOAT32_LEVEL * size:
        return "rounding"
    return ""


def _precision_note(label: str, expected: np.ndarray, given: np.ndarray, reason: str, lang="en") -> str:
    gap = float(np.max(np.abs(given - expected)))
    return say(
        " (a precision difference: {label} differs from rnn_core by at most {gap:.2e}, {reason})",
        lang,
        label=label,
        gap=gap,
        reason=say(FLOAT32_REASONS[reason][1], lang),
    )


def _float32_hint(reason: str, lang="en") -> str:
    return say(HINTS["float32"], lang, why=say(FLOAT32_REASONS[reason][0], lang))


def _close(given: np.ndarray, expected: np.ndarray) -> bool:
    return (
        given.shape == expected.shape
        and bool(np.all(np.isfinite(given)))
        and np.allclose(given, expected, rtol=1e-7, atol=1e-10)
    )


def _same_update(given, expected, before, scale) -> bool:
    """Do two parameter values after an update agree, measured against the size of the update itself?"""
    if given.shape != expected.shape or not np.all(np.isfinite(given)):
        return False
    return float(np.max(np.abs((given - before) - (expected - before)))) <= 1e-6 * scale + 1e-14


@dataclass
class _Verdict:
    passed: bool | None
    message: str = ""
    hint: str = ""
    time_step: int | None = None
    kind: str = ""  # the recognised mistake (a key of HINTS), if any


def _judge_run(run: dict, ref: Reference, line_map=None, lang="en") -> dict:
    """Compare one task's raw results with rnn_core's: check name -> _Verdict (its words in `lang`)."""
    verdicts = {name: _Verdict(None) for name in CHECK_NAMES}
    error = (
        run.get("error")
        if isinstance(run, dict)
        else {"stage": "creating the model", "type": "?", "message": "no results"}
    )
    error_stage = error.get("stage") if error else None
    error_text = _error_text(error, line_map, lang) if error else ""
    error_hint = (
        say(
            "This part is still a TODO: write it, run the cell with your class again, then check again.", lang
        )
        if error and error.get("type") == "NotImplementedError"
        else ""
    )

    # initial shapes
    if error_stage == "creating the model":
        verdicts["initial shapes"] = _Verdict(False, error_text, error_hint)
        return verdicts  # the rest: not checked
    problems = []
    for name in PARAM_NAMES:
        expected_shape = ref.params[name].shape
        rec = run["init"].get(name, {"problem": "is missing"})
        if "problem" in rec:
            problems.append(
                say(
                    "{name} {problem} (expected a NumPy array of shape {shape})",
                    lang,
                    name=name,
                    problem=child_said(rec, "problem", lang),
                    shape=expected_shape,
                )
            )
        elif tuple(rec.get("shape", ())) != expected_shape:
            problems.append(
                say(
                    "{name} has shape {shape}, expected {expected}",
                    lang,
                    name=name,
                    shape=tuple(rec["shape"]),
                    expected=expected_shape,
                )
            )
    verdicts["initial shapes"] = _Verdict(
        not problems,
        "\n".join(problems),
        ""
        if not problems
        else say(
            "With SimpleRNN(input_size=I, hidden_size=H, output_size=O): W_xh (H, I), "
            "W_hh (H, H), W_hy (O, H), b_h (H, 1), b_y (O, 1).",
            lang,
        ),
    )
    if error_stage == "forward":
        verdicts["forward outputs"] = _Verdict(False, error_text, error_hint)
        return verdicts  # the rest: not checked

    verdicts["forward outputs"] = _judge_forward(run.get("forward"), ref, lang)
    verdicts["hidden states"] = _judge_hiddens(run.get("hiddens"), ref, lang)
    if error_stage == "backward":
        for name in PARAM_NAMES:
            verdicts[f"{name} update"] = _Verdict(False, error_text, error_hint)
        return verdicts
    for name in PARAM_NAMES:
        verdicts[f"{name} update"] = _judge_update(name, run["after"].get(name), ref, lang)
    _judge_again(run.get("again"), ref, verdicts, line_map, lang)
    return verdicts


def _judge_again(again, ref: Reference, verdicts: dict, line_map=None, lang="en") -> None:
    """The second round on the same model (same weights set again) must give the first round's results.
    A part right in the first round and wrong in the second fails, with a hint about state kept between
    calls. The second round's updates count only if its forward() was right (one mistake, not two)."""
    if not isinstance(again, dict):
        return
    error = again.get("error") if isinstance(again.get("error"), dict) else None
    stage = error.get("stage") if error else None
    forward_parts = ("forward outputs", "hidden states")
    update_parts = [f"{name} update" for name in PARAM_NAMES]
    if error:
        text = _error_text(error, line_map, lang)
        parts = forward_parts if stage == "the second forward" else update_parts
        for part in parts:
            if verdicts[part].passed:
                verdicts[part] = _Verdict(
                    False, say("called a second time on the same model: {error}", lang, error=text)
                )
        if stage == "the second forward":
            return
    forward_again = {
        "forward outputs": _judge_forward(again.get("forward"), ref, lang),
        "hidden states": _judge_hiddens(again.get("hiddens"), ref, lang),
    }
    if not error:
        for part, verdict in forward_again.items():
            if verdicts[part].passed and not verdict.passed:
                message = say(
                    "on a second forward() of the same model, with the same weights: {problem}",
                    lang,
                    problem=verdict.message,
                )
                kind = "state kept by forward"
                verdicts[part] = _Verdict(False, message, say(HINTS[kind], lang), verdict.time_step, kind)
    if error or not all(v.passed for v in forward_again.values()):
        return
    after = again.get("after") if isinstance(again.get("after"), dict) else {}
    for name in PARAM_NAMES:
        part = f"{name} update"
        verdict = _judge_update(name, after.get(name), ref, lang)
        if verdicts[part].passed and not verdict.passed:
            message = say(
                "on a second forward() and backward() of the same model, with the same weights: {problem}",
                lang,
                problem=verdict.message,
            )
            kind = "state kept by backward"
            verdicts[part] = _Verdict(False, message, say(HINTS[kind], lang), kind=kind)


def _judge_forward(rec, ref: Reference, lang="en") -> _Verdict:
    expected = ref.forward
    given, problem = _array(rec, lang)
    if problem:
        return _Verdict(
            False,
            say(
                "forward returned something that {problem}; expected an array of shape {shape}.",
                lang,
                problem=problem,
                shape=expected.shape,
            ),
        )
    if given.shape != expected.shape:
        return _Verdict(
            False,
            say(
                "forward returned shape {shape}; expected (T, O, 1) = {expected}, like np.array(outputs) "
                "with each y_t a column (O, 1).",
                lang,
                shape=given.shape,
                expected=expected.shape,
            ),
        )
    if _close(given, expected):
        return _Verdict(True)
    step = next(t for t in range(len(expected)) if not _close(given[t], expected[t]))
    kind = next((k for k, v in ref.forward_variants.items() if _close(given, v)), "")
    hint = (
        say(HINTS[kind], lang)
        if kind
        else say(
            "Compare your loop with h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), y_t = W_hy h_t + b_y, from "
            "h = 0. (The checker sets self.W_xh, self.W_hh, self.W_hy, self.b_h, self.b_y after creating the "
            "model: forward must use these attributes.)",
            lang,
        )
    )
    message = say(
        "y_t first differs at t = {step}: {difference}",
        lang,
        step=step,
        difference=_difference("outputs", expected, given, lang),
    )
    why = "" if kind else _float32_reason(rec, given, expected)
    if why:
        message += _precision_note(say("the output", lang), expected, given, why, lang)
        hint, kind = _float32_hint(why, lang), "float32"
    return _Verdict(False, message, hint, step, kind)


def _judge_hiddens(rec, ref: Reference, lang="en") -> _Verdict:
    expected = np.array(ref.hiddens)  # (T+1, H, 1)
    given, problem = _array(rec, lang)
    if problem:
        return _Verdict(
            False,
            say(
                "last_hiddens {problem}; after forward(x) it should hold the T+1 hidden states (H, 1): the "
                "zero start state, then h_0 .. h_{T-1}.",
                lang,
                problem=problem,
            ),
        )
    if given.shape == expected.shape[:2]:  # (T+1, H) rows are accepted too
        given = given[..., None]
    if given.shape != expected.shape:
        hint = (
            say("Start the list with the zero state: self.last_hiddens = [h] before the loop.", lang)
            if (len(given) == len(expected) - 1)
            else ""
        )
        message = say(
            "last_hiddens has shape {shape}; expected (T+1, H, 1) = {expected}.",
            lang,
            shape=given.shape,
            expected=expected.shape,
        )
        return _Verdict(False, message, hint)
    if _close(given, expected):
        return _Verdict(True)
    index = next(i for i in range(len(expected)) if not _close(given[i], expected[i]))
    difference = _difference("last_hiddens", expected, given, lang)
    if index == 0:
        return _Verdict(
            False,
            say(
                "last_hiddens[0], the start state, should be zeros: {difference}", lang, difference=difference
            ),
        )
    return _Verdict(
        False,
        say(
            "h_{step} = last_hiddens[{index}] first differs, at t = {step}: {difference}",
            lang,
            step=index - 1,
            index=index,
            difference=difference,
        ),
        say("h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), appended after each step.", lang),
        index - 1,
    )


def _judge_update(name: str, rec, ref: Reference, lang="en") -> _Verdict:
    expected, before = ref.after[name], ref.params[name]
    given, problem = _array(rec, lang)
    if problem:
        return _Verdict(False, say("after backward(), {name} {problem}.", lang, name=name, problem=problem))
    if given.shape != expected.shape:
        return _Verdict(
            False,
            say(
                "after backward(), {name} has shape {shape}; expected {expected}.",
                lang,
                name=name,
                shape=given.shape,
                expected=expected.shape,
            ),
        )
    scale = float(np.max(np.abs(expected - before)))
    if _same_update(given, expected, before, scale):
        return _Verdict(True)
    message = _difference(name, expected, given, lang) + say(
        " after one backward(x, y, learning_rate={lr})", lang, lr=ref.case.learning_rate
    )
    mistake = key = next(
        (
            key
            for key, variant in ref.update_variants.items()
            if not _same_update(variant[name], expected, before, scale)
            and _same_update(given, variant[name], before, scale)
        ),
        None,
    )
    if mistake is None:
        hint = ""
    else:
        key = "updated inside the loop" if mistake.startswith("updated inside") else mistake
        fields = {"name": name, "lr": ref.case.learning_rate, "steps": len(ref.xs), "clip": CLIP_SEEN}
        hint = say(HINTS[key], lang, **fields)
    why = "" if mistake else _float32_reason(rec, given - before, expected - before)
    if why:
        message += _precision_note(say("the update", lang), expected - before, given - before, why, lang)
        hint, key, mistake = _float32_hint(why, lang), "float32", "float32"
    return _Verdict(False, message, hint, kind=key if mistake else "")


def _locate(name: str, runs: list, case_index: int, line_map=None) -> int | None:
    """Earliest time step t at which the student's update of `name` departs: the shortest prefix of
    the sequence (t = 0 .. k-1) on which it is already wrong gives t = k-1."""
    by_steps = {task.steps: run for task, run in zip(TASKS, runs) if task.case_index == case_index}
    for steps in sorted(by_steps):
        verdict = _judge_run(by_steps[steps], reference(Task(case_index, steps)), line_map)[f"{name} update"]
        if verdict.passed is not True:
            return steps - 1
    return None


def _time_step_note(name: str, step: int, ref: Reference, lang="en") -> str:
    if step == 0:
        return say("Where: {name} is already wrong on a one-step sequence, at t = 0.", lang, name=name)
    steps = "t = 0" if step == 1 else f"t = 0..{step - 1}"
    note = say(
        "Where: {name} is right on the first {step} time step(s) ({steps}) "
        "and departs once the sequence includes t = {step}.",
        lang,
        name=name,
        step=step,
        steps=steps,
    )
    # From rnn_core's trace: the gradient that reaches h_{step-1} from step `step` (zero for a shorter
    # sequence).
    carried = float(np.linalg.norm(reference(Task(ref.task.case_index, step + 1)).trace.dh_next[step - 1]))
    return (
        note
        + "\n"
        + say(
            "rnn_core's trace there: dh_next at t = {previous}, the gradient coming back from t = {step}, "
            "has norm {norm:.3f}.",
            lang,
            previous=step - 1,
            step=step,
            norm=carried,
        )
    )


def judge(raw: dict, line_map=None, hidden=(), lang: str | None = None) -> CheckResult:
    """Turn the runner's raw results (plain data, possibly from an untrusted child) into a CheckResult.
    hidden: Tasks of cases drawn at grading time, whose runs are raw["hidden_runs"]: a part right on the
    public cases must be right on these too. lang: the language of its words ("en", "zh"; None: the
    current one); the verdicts are the same in every language."""
    lang = language(lang)
    items = [CheckItem(name) for name in CHECK_NAMES]
    notes = []
    blocked = list(dict.fromkeys(str(entry)[:200] for entry in raw.get("blocked", [])))[
        :5
    ]  # unique, in order
    if blocked:
        notes.append(blocked_note(blocked, lang))
    used = [entry for entry in blocked if entry.startswith(USES_PROJECT)]
    if used:
        feedback = say(
            "flagged: the submission tried to use the reference implementation or the project's files "
            "({what}); it must implement SimpleRNN itself.",
            lang,
            what=reword(used[0], lang),
        )
        diagnosis = "flagged: uses the reference or project files"
        return CheckResult(items, "flagged", feedback, notes, diagnosis, lang)
    runs = raw["runs"]
    if len(runs) != len(TASKS):
        raise ValueError("wrong number of results")
    if _is_reference(raw.get("probe")):
        feedback = say(
            "flagged: this SimpleRNN behaves exactly like rnn_core.SimpleRNN, error messages included: "
            "it re-exports or copies the reference instead of implementing forward and backward.",
            lang,
        )
        return CheckResult(items, "flagged", feedback, notes, "flagged: behaves as rnn_core.SimpleRNN", lang)

    # A part passes if it is right in every case, fails if wrong in any (the first such case is reported),
    # and is "not checked" otherwise (an earlier part failed, so it could not be reached).
    first_failure = {}
    all_cases = [
        _judge_run(run, reference(task), line_map, lang) for task, run in zip(TASKS, runs[: len(CASES)])
    ]
    for item in items:
        verdicts = [case_verdicts[item.name] for case_verdicts in all_cases]
        failed = next((i for i, verdict in enumerate(verdicts) if verdict.passed is False), None)
        if failed is None:
            item.passed = True if all(verdict.passed for verdict in verdicts) else None
            continue
        verdict = verdicts[failed]
        item.passed, item.message, item.hint, item.case = False, verdict.message, verdict.hint, failed + 1
        item.time_step, item.kind = verdict.time_step, verdict.kind
        first_failure[item.name] = (failed, runs[failed])
    hidden_runs = raw.get("hidden_runs") if isinstance(raw.get("hidden_runs"), list) else []
    if hidden and len(hidden_runs) != len(hidden):
        raise ValueError("wrong number of results for the hidden cases")
    for task, run in zip(hidden, hidden_runs):
        verdicts = _judge_run(run, reference(task), line_map, lang)
        for item in items:
            verdict = verdicts[item.name]
            if item.passed is True and verdict.passed is None:  # not reached on the hidden case
                item.passed = None
            elif item.passed is True and verdict.passed is False:
                # Right on every public case, not on one drawn now: answers looked up, not computed.
                item.passed, item.hint, item.case = False, verdict.hint, None
                item.message = say(
                    "right on the public cases but not on a case drawn at grading time ({case}): {problem}",
                    lang,
                    case=task.case.describe(),
                    problem=verdict.message or say("no answer", lang),
                )
    for item in items:
        if item.passed is False and item.name.endswith(" update") and item.case is not None:
            case_index = item.case - 1
            if "error" in first_failure[item.name][1]:
                continue
            name = item.name.split()[0]
            step = _locate(name, runs, case_index, line_map)
            if step is not None:
                item.time_step = step
                item.message += "\n" + _time_step_note(name, step, reference(TASKS[case_index]), lang)
    first = next((item for item in items if item.passed is False), None)
    if first is None:
        return CheckResult(items, "passed", say("all checks passed", lang), notes, "passed", lang)
    if not first.case:
        where = say("a hidden case", lang)
    elif first.time_step is None:
        where = say("case {case}", lang, case=first.case)
    else:
        where = say("case {case}, from t = {step}", lang, case=first.case, step=first.time_step)
    detail = first.hint if first.kind else " ".join((first.message + " " + first.hint).split())
    feedback = say(
        "{part} wrong ({where}): {detail}", lang, part=part_name(first.name, lang), where=where, detail=detail
    )
    diagnosis = first.kind or f"{first.name} wrong"
    return CheckResult(items, "failed", shorten(feedback, 500, lang), notes, diagnosis, lang)


def blocked_note(blocked: list, lang="en") -> str:
    """'The grader blocked: import os; writing /x.' for the sandbox's refusals (its English words)."""
    what = "; ".join(reword(str(entry)[:200], lang) for entry in blocked[:5])
    return say("The grader blocked: {what}.", lang, what=what)


def _is_reference(probe) -> bool:
    """Do the student's answers to the probe calls carry rnn_core.SimpleRNN's own error messages?"""
    if not isinstance(probe, list) or len(probe) != 3:
        return False
    reference = reference_probe()
    same = sum(isinstance(a, str) and a == b and b != "no error" for a, b in zip(probe, reference))
    return same >= 2


def error_result(
    feedback: str, notes=None, diagnosis: str = "could not run", lang: str | None = None
) -> CheckResult:
    """The verdict "error" (could not run): `feedback`, already in `lang`, says why."""
    return CheckResult(
        [CheckItem(name) for name in CHECK_NAMES],
        "error",
        feedback,
        list(notes or []),
        diagnosis,
        language(lang),
    )
