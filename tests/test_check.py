"""rnn_check.check() on classes defined right here, in the test's own process."""

import numpy as np
import pytest

import rnn_check
import rnn_core

NAMES = rnn_core.PARAM_NAMES


class Correct:
    """A correct SimpleRNN written for these tests (lists and @), with small hooks that the mistakes
    override."""

    def __init__(self, input_size, hidden_size, output_size):
        self.hidden_size = hidden_size
        self.W_xh = np.zeros((hidden_size, input_size))
        self.W_hh = np.zeros((hidden_size, hidden_size))
        self.W_hy = np.zeros((output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        h = np.zeros((self.hidden_size, 1))
        self.last_inputs, self.last_hiddens, self.last_outputs = [], [h], []
        for x_t in x:
            x_t = np.reshape(x_t, (-1, 1))
            h = np.tanh(self.W_xh @ x_t + self.W_hh @ h + self.b_h)
            self.last_inputs.append(x_t)
            self.last_hiddens.append(h)
            self.last_outputs.append(self.W_hy @ h + self.b_y)
        return np.array(self.last_outputs)

    def previous_state(self, t):  # h_{t-1}
        return self.last_hiddens[t]

    def carried(self, dh_next):
        return dh_next

    def grads(self, y):
        g = {name: np.zeros_like(getattr(self, name)) for name in NAMES}
        dh_next = np.zeros((self.hidden_size, 1))
        for t in reversed(range(len(self.last_inputs))):
            dy = self.last_outputs[t] - np.reshape(y[t], (-1, 1))
            g["W_hy"] += dy @ self.last_hiddens[t + 1].T
            g["b_y"] += dy
            dh_raw = (1 - self.last_hiddens[t + 1] ** 2) * (self.W_hy.T @ dy + self.carried(dh_next))
            g["W_xh"] += dh_raw @ self.last_inputs[t].T
            g["W_hh"] += dh_raw @ self.previous_state(t).T
            g["b_h"] += dh_raw
            dh_next = self.W_hh.T @ dh_raw
        return g

    def backward(self, x, y, learning_rate):
        for name, grad in self.grads(y).items():
            setattr(self, name, getattr(self, name) - learning_rate * grad)


class UsesHt(Correct):
    def previous_state(self, t):
        return self.last_hiddens[t + 1]


class NoDhNext(Correct):
    def carried(self, dh_next):
        return 0 * dh_next


class WrongSign(Correct):
    def backward(self, x, y, learning_rate):
        super().backward(x, y, -learning_rate)


class Averaged(Correct):
    def grads(self, y):
        return {name: g / len(y) for name, g in super().grads(y).items()}


class FixedRate(Correct):
    def backward(self, x, y, learning_rate):
        super().backward(x, y, 0.01)


class NoBiasUpdate(Correct):
    def grads(self, y):
        g = super().grads(y)
        g["b_y"] = 0 * g["b_y"]
        return g


class Skeleton(Correct):
    def forward(self, x):
        raise NotImplementedError("TODO: the forward pass")


class WrapsReference:
    """Hides rnn_core.SimpleRNN behind its own class: still the reference's behaviour."""

    def __init__(self, *sizes):
        self.inner = rnn_core.SimpleRNN(*sizes)

    def __getattr__(self, name):
        return getattr(self.__dict__["inner"], name)

    def __setattr__(self, name, value):
        if name == "inner":
            self.__dict__["inner"] = value
        else:
            setattr(self.inner, name, value)

    def forward(self, x):
        return self.inner.forward(x)

    def backward(self, x, y, learning_rate):
        self.inner.backward(x, y, learning_rate)


def test_a_correct_class_passes_every_check(capsys):
    result = rnn_check.check(Correct)
    assert result.passed and result.status == "passed"
    assert (result.score, result.max_score) == (8, 8) == (len(rnn_check.CHECK_NAMES), len(result.checks))
    assert [item.name for item in result.checks] == list(rnn_check.CHECK_NAMES)
    assert "Score: 8/8" in capsys.readouterr().out


def test_an_instance_is_checked_like_its_class():
    model = Correct(3, 4, 2)
    assert rnn_check.check(model, verbose=False).passed


@pytest.mark.parametrize(
    "cls, check_name, time_step, phrase",
    [
        (UsesHt, "W_hh update", 0, "h_{t-1} = last_hiddens[t]"),
        (NoDhNext, "W_xh update", 1, "dh_next"),
        (WrongSign, "W_xh update", 0, "uphill"),
        (Averaged, "W_xh update", 1, "summed over t"),
        (FixedRate, "W_xh update", 0, "learning_rate=0.05"),
        (NoBiasUpdate, "b_y update", 0, "b_y does not change"),
    ],
)
def test_each_mistake_is_located_and_explained(cls, check_name, time_step, phrase, capsys):
    result = rnn_check.check(cls)
    first = next(item for item in result.checks if item.passed is False)
    assert not result.passed and result.status == "failed"
    assert first.name == check_name
    assert first.time_step == time_step
    assert phrase in first.hint
    out = capsys.readouterr().out
    assert f"First problem: {check_name}" in out and "expected" in out and "you gave" in out
    assert "Traceback" not in out


def test_only_the_wrong_parameters_lose_points():
    result = rnn_check.check(UsesHt, verbose=False)
    assert {item.name for item in result.checks if not item.passed} == {"W_hh update"}
    assert result.score == 7


def test_the_unfinished_skeleton_gets_a_report_not_a_traceback(capsys):
    result = rnn_check.check(Skeleton)
    out = capsys.readouterr().out
    assert result.score == 1 and result.checks[0].passed  # the shapes of __init__ are right
    assert "forward raised NotImplementedError: TODO: the forward pass" in out
    assert "your code" in out and "Traceback" not in out


def test_a_student_error_points_at_the_students_line():
    class Broken(Correct):
        def backward(self, x, y, learning_rate):
            self.W_xh = self.W_xh @ np.ones((5, 5))  # shapes do not match

    result = rnn_check.check(Broken, verbose=False)
    first = next(item for item in result.checks if item.passed is False)
    assert "backward raised ValueError" in first.message
    assert "self.W_xh = self.W_xh @ np.ones((5, 5))" in first.message


def test_the_reference_itself_is_flagged_not_passed():
    assert rnn_check.check(rnn_core.SimpleRNN, verbose=False).status == "flagged"
    wrapped = rnn_check.check(WrapsReference, verbose=False)
    assert wrapped.status == "flagged" and not wrapped.passed and "rnn_core.SimpleRNN" in wrapped.feedback


def test_something_that_is_not_a_class_gets_a_clear_message():
    result = rnn_check.check(42, verbose=False)
    assert result.status == "error" and "needs your SimpleRNN class" in result.feedback


def test_the_runner_only_ever_receives_inputs():
    for task in rnn_check.TASKS:
        assert set(task.as_data()) == {"kind", "sizes", "params", "x", "y", "learning_rate"}


def test_cases_cover_what_the_issue_asks_for():
    cases = rnn_check.CASES
    assert any(c.steps == 1 for c in cases) and any(c.steps > 1 for c in cases)
    assert all(c.input_size != c.output_size for c in cases)
    assert any(c.learning_rate != rnn_core.LEARNING_RATE for c in cases)
    assert all(np.all(c.params["b_h"] != 0) and np.all(c.params["b_y"] != 0) for c in cases)


def test_an_error_is_described_without_reading_other_files_source(monkeypatch):
    """In the grader's child (as `nobody`, Python 3.13) reading a standard-library file's source can fail:
    describing the student's error must read only the student's own lines, and never fail."""
    import linecache

    class RaisesInsideNumpy(Correct):
        def forward(self, x):
            return np.reshape(x, (7, 7, 7))  # raises inside NumPy's own code

    def unreadable(filename, module_globals=None):
        raise ModuleNotFoundError("No module named 'tokenize'")

    monkeypatch.setattr(linecache, "updatecache", unreadable)
    monkeypatch.setattr(linecache, "cache", {})
    result = rnn_check.check(RaisesInsideNumpy, verbose=False)
    forward = next(item for item in result.checks if item.name == "forward outputs")
    assert forward.passed is False and "forward raised ValueError" in forward.message


def test_a_case_has_gradients_that_clipping_would_change():
    """rnn_core's own gradients on the large-gradient case: every parameter has an entry above twice the
    usual clip threshold, so a backward() that clips at +-5 cannot pass."""
    from rnn_check.cases import CLIP_SEEN

    case = rnn_check.CASES[2]
    x, y = case.sequence
    grads = rnn_core.gradients(case.params, x, y)[1]
    assert all(np.max(np.abs(g)) > 2 * CLIP_SEEN for g in grads.values())


class KeepsState(Correct):
    """Both state bugs one forward/backward per model cannot see: h and dh_next kept on self."""

    def forward(self, x):
        start = getattr(self, "h", None)
        out = super().forward(x)
        if start is not None:  # the second call starts from the first call's last state
            out = out + self.W_hy @ start
        self.h = self.last_hiddens[-1]
        return out


class KeepsDhNext(Correct):
    def carried(self, dh_next):
        return dh_next + getattr(self, "kept", 0)

    def backward(self, x, y, learning_rate):
        super().backward(x, y, learning_rate)
        self.kept = np.ones((self.hidden_size, 1))


class Clipped(Correct):
    def grads(self, y):
        return {name: np.clip(g, -5, 5) for name, g in super().grads(y).items()}


class Float32(Correct):
    """Right formulas, computed in float32 (weights and inputs)."""

    def forward(self, x):
        saved = {name: getattr(self, name) for name in NAMES}
        for name in NAMES:
            setattr(self, name, saved[name].astype(np.float32))
        try:
            return super().forward(np.asarray(x, dtype=np.float32))
        finally:
            for name in NAMES:
                setattr(self, name, saved[name])


@pytest.mark.parametrize(
    "cls, part, phrase",
    [
        (KeepsState, "forward outputs", "called again on the same model"),
        (KeepsDhNext, "W_xh update", "called again on the same model"),
        (Clipped, "W_xh update", "clipped"),
        (Float32, "forward outputs", "float32"),
    ],
)
def test_bugs_one_round_could_not_see(cls, part, phrase):
    result = rnn_check.check(cls, verbose=False)
    first = next(item for item in result.checks if item.passed is False)
    assert first.name == part and phrase in (first.message + first.hint), (first.message, first.hint)
    assert rnn_check.check(Correct, verbose=False).passed
