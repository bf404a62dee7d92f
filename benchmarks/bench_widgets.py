"""How long does a widget take to answer? Median and worst update time per widget, headless.

An update is what happens when a student moves a control: the callback changes the figure's
artists, redraws what changed on the Agg canvas and encodes the PNG that the ipywidgets.Image
shows (rnn_viz's WidgetView.refresh; see the WIDGET CONVENTION in rnn_viz). Target: median
under 50 ms per widget at the sizes the notebooks use.

    .venv/bin/python benchmarks/bench_widgets.py

To add a widget: append a Case to CASES (label, builder returning a WidgetView, and for each
control the values to sweep through).

The live-training widget of notebook 05 (rnn_viz.training_lab) answers with a whole training run;
it is timed per run instead (TRAINING_RUNS, target under 5 s).
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from typing import Callable

import matplotlib

matplotlib.use("Agg")  # headless: no window, same drawing and PNG encoding as in a notebook

import numpy as np  # noqa: E402

import rnn_core  # noqa: E402
import rnn_viz  # noqa: E402
from rnn_lab import corpus, dynamics, lm, tasks, train  # noqa: E402

TARGET_MS = 50.0


@dataclass
class Case:
    label: str
    build: Callable[[], rnn_viz.WidgetView]
    sweeps: list  # [(control name, [values, ...] or None for every option of a selection slider), ...]
    target_ms: float = TARGET_MS


# ---- the widgets, built on the examples the notebooks use -----------------------

CASES = [
    Case(
        "01 forward_explorer: t",
        lambda: rnn_viz.forward_explorer(*tasks.forward_example()),
        [("t", list(range(20)) + list(range(19, -1, -1)))],
    ),
    Case(
        "01 forward_explorer: W_hh_scale",
        lambda: rnn_viz.forward_explorer(*tasks.forward_example()),
        [("W_hh_scale", list(np.round(np.linspace(0.0, 4.0, 41), 2)))],
    ),
    Case(
        "04 backward_stepper: t",
        lambda: rnn_viz.backward_stepper(*tasks.sine_example()),
        [("t", list(range(7, -1, -1)) * 5)],
    ),
]


def measure(case: Case) -> list[float]:
    """Milliseconds per update, for every value of every sweep (the first build is not timed)."""
    view = case.build()
    timings = []
    for name, values in case.sweeps:
        control = view.controls[name]
        if values is None:  # a selection slider: every option, there and back
            values = [option[1] if isinstance(option, tuple) else option for option in control.options]
            values += values[::-1]
        for value in values:
            if control.value == value:
                continue  # setting the same value fires no callback
            start = time.perf_counter()
            control.value = value  # runs the observer: artists, blitted redraw, PNG encode
            timings.append(1e3 * (time.perf_counter() - start))
    return timings


def main() -> None:
    rnn_viz.use_projector_style()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"{os.cpu_count()} CPU(s), load average {load} (other work on the machine slows every number below)"
    )
    print(
        f"{'widget: control':<36}{'updates':>8}{'median ms':>11}{'worst ms':>10}  target < {TARGET_MS:.0f} ms"
    )
    for case in CASES:
        timings = measure(case)
        median = statistics.median(timings)
        verdict = "ok" if median < case.target_ms else f"SLOW (target {case.target_ms:.0f} ms)"
        print(f"{case.label:<36}{len(timings):>8}{median:>11.1f}{max(timings):>10.1f}  {verdict}")


# ---- notebooks 05-07 ----------------------------------------------------------------------


def _lag_example():
    """The lag explorer of notebook 06: orthogonal W_hh, H = 16, echo inputs, T = 30, 8 sequences."""
    base = rnn_core.random_params(1, 16, 1, scale=1.0, seed=0)
    base["b_h"][:] = 0.0
    X, Y = tasks.echo_task(steps=30, batch=8, seed=0)
    return rnn_viz.lag_explorer(dynamics.orthogonal_recurrence(base, seed=0), X, Y)


def _clipping_example():
    """The clipping explorer of notebook 06: the exploding gradient (sigma_max 1.5, inputs x 0.1)."""
    base = rnn_core.random_params(1, 16, 1, scale=1.0, seed=0)
    base["b_h"][:] = 0.0
    exploding = dynamics.with_spectral_radius(dynamics.orthogonal_recurrence(base, seed=0), 1.5)
    X, Y = tasks.echo_task(steps=30, batch=8, seed=0)
    return rnn_viz.clipping_explorer(rnn_core.bptt(exploding, 0.1 * X, Y)[1])


def _scrubber_example():
    """The trajectory scrubber of notebook 07: echo delay 3, H = 16, trained 300 epochs."""
    X, Y = tasks.echo_task(steps=20, batch=64, delay=3, seed=0)
    params = dynamics.with_spectral_radius(train.problem_init(1, 16, 1, seed=0), 1.0)
    train.train(params, X, Y, epochs=300)
    X_test, Y_test = tasks.echo_task(steps=20, batch=64, delay=3, seed=1000)
    return rnn_viz.trajectory_scrubber(params, X_test[:, 0, 0], Y_test[:, 0, 0])


CASES += [
    Case("06 lag_explorer: radius", _lag_example, [("radius", list(np.round(np.linspace(0.1, 2.0, 39), 2)))]),
    Case(
        "06 lag_explorer: input_scale",
        _lag_example,
        [("input_scale", list(np.round(np.logspace(-2, 1, 31), 4)))],
    ),
    Case(
        "06 clipping_explorer: threshold",
        _clipping_example,
        [("threshold", list(np.round(np.logspace(0, 3.5, 36), 3)))],
    ),
    Case("07 trajectory_scrubber: t", _scrubber_example, [("t", list(range(20)) + list(range(19, -1, -1)))]),
]


def _lm_model():
    """Notebook 09's model, trained as there but for 500 updates (enough for realistic samples)."""
    text = corpus.grammar_corpus(3000, seed=0)
    vocab = corpus.Vocabulary.of(text)
    params = lm.init_params(len(vocab), 48, seed=0)
    lm.train(params, vocab.encode(text), updates=500, steps=25, batch=16, learning_rate=2.0)
    return params, vocab


LM_TARGET_MS = 150.0  # notebook 09's widgets sample or read text on every update: their target is 150 ms
CASES += [
    Case(
        "09 sample_writer: temperature",
        lambda: rnn_viz.sample_writer(*_lm_model(), length=150),
        [("temperature", list(np.round(np.linspace(0.1, 2.0, 20), 2)))],
        LM_TARGET_MS,
    ),
    Case(
        "09 sample_writer: length",
        lambda: rnn_viz.sample_writer(*_lm_model()),
        [("length", list(range(10, 301, 20)))],
        LM_TARGET_MS,
    ),
    Case(
        "09 text_reader: t",
        lambda: rnn_viz.text_reader(*_lm_model(), "the cat that the dogs chase runs.\nsome girls sleep.\n"),
        [("t", list(range(0, 50, 2)))],
        LM_TARGET_MS,
    ),
]

# Notebook 10's explorer reads the stored echo accuracies (rnn_viz/lstm_echo_grid.json) and computes its lag
# curves when it is built, so an update only redraws: the 50 ms target of the other plotting widgets.
CASES += [
    Case(f"10 lstm_explorer: {name}", rnn_viz.lstm_explorer, [(name, None)])
    for name in ("forget_bias", "delay", "steps")
]

# The live-training widget of notebook 05 answers a control with a whole training run, so it is
# timed per run (target: under 5 s), at its default settings and at the largest ones.
TRAINING_TARGET_S = 5.0
TRAINING_RUNS = [
    ("05 training_lab: default (sine, H 16, T 20, 200 epochs)", {}),
    ("05 training_lab: echo, H 16, T 20, 400 epochs", {"task": "echo", "epochs": 400}),
    (
        "05 training_lab: largest (sine, H 32, T 50, 600 epochs)",
        {"hidden_size": 32, "steps": 50, "epochs": 600},
    ),
]


def measure_training_runs() -> None:
    print(
        f"\n{'live-training widget: settings':<58}{'run s':>7}{'training s':>12}  target < "
        f"{TRAINING_TARGET_S:.0f} s"
    )
    lab = rnn_viz.training_lab()
    for label, values in TRAINING_RUNS:
        start = time.perf_counter()
        lab.configure(**values)  # one training run with live redraws, as a student's change would start
        seconds = time.perf_counter() - start
        verdict = "ok" if seconds < TRAINING_TARGET_S else "SLOW"
        print(f"{label:<58}{seconds:>7.2f}{lab.seconds:>12.2f}  {verdict}")


if __name__ == "__main__":
    main()
    measure_training_runs()
