"""rnn_viz.lstm_widgets: the stored echo grid is what rnn_lab.memory computes under GRID_BUDGET, the widget
shows exactly that and the lag curves of rnn_lab.memory, updates synchronously, and is readable from the back
row. (How fast: benchmarks/bench_widgets.py in-process, make test-browser in a real browser.)"""

from __future__ import annotations

import numpy as np
import pytest

from rnn_lab import memory
from rnn_viz import LINE_COLORS, lstm_widgets
from rnn_viz.display import figure_png

GRID = lstm_widgets.load_echo_grid()


@pytest.fixture(scope="module")
def view():
    return lstm_widgets.lstm_explorer()


def settle(view, forget_bias, delay, steps):
    view.controls["forget_bias"].value = forget_bias
    view.controls["delay"].value = delay
    view.controls["steps"].value = steps


# ---- the stored grid -----------------------------------------------------------------------------------


def test_the_grid_budget_is_the_adam_budget_it_was_computed_with():
    """Pinned: the grid is not memory.SWEEP_BUDGET (the series' SGD), and must not follow it silently."""
    assert lstm_widgets.GRID_BUDGET == {
        "hidden_size": 16,
        "count": 64,
        "epochs": 30,
        "batch_size": 16,
        "learning_rate": 0.02,
        "clip": 1.0,
        "optimiser": "adam",
        "vanilla_init": "uniform",
        "noise": 0.0,
    }
    assert set(lstm_widgets.GRID_BUDGET) | {"steps"} == set(memory.SWEEP_BUDGET)  # every setting is pinned


def test_the_stored_grid_was_made_with_the_grid_budget_and_covers_the_controls():
    assert lstm_widgets.stored_budget() == lstm_widgets.GRID_BUDGET, (
        "GRID_BUDGET changed: regenerate the grid with `python -m rnn_viz.lstm_widgets`"
    )
    assert sorted(GRID) == list(lstm_widgets.GRID_LENGTHS)
    for steps, sweep in GRID.items():
        assert sweep.delays == list(lstm_widgets.GRID_DELAYS) and sweep.seeds == list(lstm_widgets.GRID_SEEDS)
        assert set(sweep.accuracy) == set(lstm_widgets.grid_cells())
        assert sweep.budget["steps"] == steps
        for values in sweep.accuracy.values():
            assert values.shape == (len(sweep.seeds), len(sweep.delays))
            assert np.all((values >= 0) & (values <= 1))


@pytest.mark.parametrize(
    "label, steps, delay, seed",
    [("vanilla", 16, 3, 0), ("lstm, b_f=1", 24, 10, 1), ("lstm, b_f=0", 16, 6, 2), ("lstm, b_f=2", 40, 8, 0)],
)
def test_stored_accuracies_are_regenerated_exactly(label, steps, delay, seed):
    """A few entries trained again from scratch with rnn_lab.memory.train_on_echo under GRID_BUDGET give the
    stored numbers."""
    cell, forget_bias = lstm_widgets.grid_cells()[label]
    sweep = GRID[steps]
    stored = sweep.accuracy[label][sweep.seeds.index(seed), sweep.delays.index(delay)]
    budget = {**lstm_widgets.GRID_BUDGET, "steps": steps}
    assert memory.train_on_echo(cell, delay, seed, forget_bias, **budget) == stored


# ---- the figure shows rnn_lab.memory's numbers ---------------------------------------------------------


@pytest.mark.parametrize("forget_bias, delay, steps", [(1.0, 5, 24), (0.0, 10, 40), (2.0, 1, 16)])
def test_the_figure_shows_the_lag_curves_and_accuracies_of_rnn_lab_memory(view, forget_bias, delay, steps):
    settle(view, forget_bias, delay, steps)
    ax_lag, ax_acc = view.figure.axes
    comparison = memory.lag_comparison(16, steps, 8, (forget_bias,), 0)
    label = lstm_widgets.cell_label(forget_bias)
    expected = {
        0: np.median(comparison["vanilla"].jacobian_norms, axis=1),
        1: np.median(comparison[label].jacobian_norms, axis=1),
        2: np.median(comparison[label].cell_path_norms, axis=1),
    }
    for index, values in expected.items():
        line = ax_lag.lines[index]
        np.testing.assert_array_equal(line.get_xdata(), np.arange(steps))
        np.testing.assert_allclose(
            line.get_ydata(), np.clip(values, lstm_widgets.LAG_FLOOR, None), rtol=1e-12
        )
    assert list(ax_lag.lines[3].get_xdata()) == [delay, delay]  # the line at lag = delay
    sweep = GRID[steps]
    np.testing.assert_array_equal(ax_acc.lines[0].get_ydata(), sweep.mean("vanilla"))
    np.testing.assert_array_equal(ax_acc.lines[1].get_ydata(), sweep.mean(label))
    np.testing.assert_array_equal(ax_acc.lines[0].get_xdata(), sweep.delays)
    k = sweep.delays.index(delay)
    bars = ax_acc.collections[1].get_segments()[k]  # the LSTM's +- one standard deviation at delay k
    spread = sweep.mean(label)[k] + np.array([-1, 1]) * sweep.spread(label)[k]
    np.testing.assert_allclose(bars[:, 1], np.clip(spread, 0, 1))
    marks = ax_acc.lines[2]
    np.testing.assert_array_equal(marks.get_ydata(), [sweep.mean("vanilla")[k], sweep.mean(label)[k]])
    text = ax_acc.texts[-1].get_text()
    assert f"delay {delay}" in text and f"{sweep.mean(label)[k]:.2f} ± {sweep.spread(label)[k]:.2f}" in text


def test_setting_a_control_updates_the_picture_at_once(view):
    settle(view, 1.0, 5, 24)
    before, lstm_before = view.image.value, view.figure.axes[0].lines[1].get_ydata().copy()
    view.controls["forget_bias"].value = 0.0  # no event loop: the observer runs inside this assignment
    assert view.image.value != before
    assert not np.array_equal(view.figure.axes[0].lines[1].get_ydata(), lstm_before)
    assert view.values() == {"forget_bias": 0.0, "delay": 5, "steps": 24}


# ---- readable from the back row ------------------------------------------------------------------------


def test_text_is_large_ticks_are_integers_colours_are_safe_and_nothing_covers_data(view):
    settle(view, 1.0, 10, 40)
    figure_png(view.figure)  # a full draw, so that every extent is known
    renderer = view.figure.canvas.get_renderer()
    texts = [t for t in view.figure.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_text()]
    assert texts and min(t.get_fontsize() * view.figure.dpi / 72 for t in texts) >= 14
    for ax in view.figure.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
        ticks = [tick for tick in ax.get_xticks() if ax.get_xlim()[0] <= tick <= ax.get_xlim()[1]]
        assert all(float(tick).is_integer() for tick in ticks)
        for line in ax.lines[:3]:
            assert line.get_color() in LINE_COLORS or line.get_color() == "#000000"
        box = ax.texts[-1].get_bbox_patch().get_window_extent(renderer)
        legend = ax.get_legend().get_window_extent(renderer)
        assert legend.y1 < ax.get_window_extent(renderer).y0  # the legend sits under the axes
        data = [np.column_stack([line.get_xdata(), line.get_ydata()]) for line in ax.lines[:3]]
        data += [np.concatenate(bars) for bars in [c.get_segments() for c in ax.collections] if bars]
        for xy in data:
            points = ax.transData.transform(xy)
            inside = (points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)
            assert np.all(points[inside, 1] < box.y0), "the text box covers data"
