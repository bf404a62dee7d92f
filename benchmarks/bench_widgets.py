"""How long does a widget take to answer? Median and worst update time per widget, headless.

An update is what happens when a student moves a control: the callback changes the figure's
artists, redraws what changed on the Agg canvas and encodes the PNG that the ipywidgets.Image
shows (rnn_viz's WidgetView.refresh; see the WIDGET CONVENTION in rnn_viz). Target: median
under 50 ms per widget at the sizes the notebooks use.

    .venv/bin/python benchmarks/bench_widgets.py

To add a widget: append a Case to CASES (label, builder returning a WidgetView, and for each
control the values to sweep through).
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

TARGET_MS = 50.0


@dataclass
class Case:
    label: str
    build: Callable[[], rnn_viz.WidgetView]
    sweeps: list  # [(control name, [values, ...]), ...]


# ---- the widgets, built on the examples the notebooks use -----------------------

CASES = [
    Case("01 forward_explorer: t", lambda: rnn_viz.forward_explorer(*rnn_viz.forward_example()),
         [("t", list(range(20)) + list(range(19, -1, -1)))]),
    Case("01 forward_explorer: W_hh_scale", lambda: rnn_viz.forward_explorer(*rnn_viz.forward_example()),
         [("W_hh_scale", list(np.round(np.linspace(0.0, 4.0, 41), 2)))]),
    Case("04 backward_stepper: t", lambda: rnn_viz.backward_stepper(*rnn_viz.sine_example()),
         [("t", list(range(7, -1, -1)) * 5)]),
]


def measure(case: Case) -> list[float]:
    """Milliseconds per update, for every value of every sweep (the first build is not timed)."""
    view = case.build()
    timings = []
    for name, values in case.sweeps:
        control = view.controls[name]
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
    print(f"{os.cpu_count()} CPU(s), load average {load} (other work on the machine slows every number below)")
    print(f"{'widget: control':<36}{'updates':>8}{'median ms':>11}{'worst ms':>10}  target < {TARGET_MS:.0f} ms")
    for case in CASES:
        timings = measure(case)
        median = statistics.median(timings)
        verdict = "ok" if median < TARGET_MS else "SLOW"
        print(f"{case.label:<36}{len(timings):>8}{median:>11.1f}{max(timings):>10.1f}  {verdict}")


if __name__ == "__main__":
    main()
