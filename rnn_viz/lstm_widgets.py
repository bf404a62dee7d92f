"""rnn_viz.lstm_widgets: the LSTM against the vanilla RNN, interactively (notebook 10).

    lstm_explorer()      forget-gate bias, delay and sequence length as controls; the gradient against the
                         lag for both cells (left) and the echo-task accuracy after training (right)
    load_echo_grid()     the stored accuracies the right panel shows, one rnn_lab.memory.MemoryComparison
                         per sequence length
    compute_echo_grid()  recomputes them with rnn_lab.memory.memory_sweep under GRID_BUDGET (about 5 minutes
                         on 2 cores); `python -m rnn_viz.lstm_widgets` writes them to GRID_PATH

Training 1 000 networks does not fit in a widget update (or a notebook's few seconds), so the accuracies are
computed once and stored; tests/test_lstm_widgets.py recomputes some of them and checks that the stored
budget is GRID_BUDGET. The lag curves are cheap and computed when the widget is built.

GRID_BUDGET is the grid's own budget, pinned here: Adam (lr 0.02, gradient norm clipped at 1), 30 epochs,
short sequences (T = 16, 24, 40). It is not rnn_lab.memory.SWEEP_BUDGET (the series' plain SGD, 100 epochs,
T = 50), which notebook 10's section 5 uses through the stored sweeps of rnn_lab.memory.load_sweep.
The widget follows the WIDGET CONVENTION of rnn_viz.display.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import MaxNLocator

from rnn_lab import memory
from rnn_viz.display import WidgetView, make_view, new_figure, slider_style
from rnn_viz.language import tr
from rnn_viz.plots import info_box
from rnn_viz.style import FONT_SIZE, LINE_COLORS, styled

GRID_PATH = Path(__file__).with_name("lstm_echo_grid.json")
GRID_FORGET_BIASES = (0.0, 1.0, 2.0)
GRID_DELAYS = tuple(range(1, 11))
GRID_LENGTHS = (16, 24, 40)
GRID_SEEDS = (0, 1, 2)
GRID_BUDGET = {  # the training budget of every entry of the grid, except `steps` (= the grid's length T)
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
TEXT_POINTS = FONT_SIZE - 1  # the smallest text: 13 pt = 14.4 px at the widget's 80 dpi
LAG_HIDDEN, LAG_BATCH = 16, 8  # the lag curves: rnn_lab.memory.lag_comparison's defaults
LAG_FLOOR = 1e-12  # lag curves are drawn down to here (the frame never moves: smaller values sit on the edge)
VANILLA_COLOR, LSTM_COLOR, CELL_PATH_COLOR = LINE_COLORS[5], LINE_COLORS[0], LINE_COLORS[2]


def cell_label(forget_bias: float) -> str:
    """The name of an LSTM row of the grid: 'lstm, b_f=1', as rnn_lab.memory.lag_comparison names it."""
    return f"lstm, b_f={forget_bias:g}"


def grid_cells(forget_biases=GRID_FORGET_BIASES) -> dict:
    """The cells of the grid for rnn_lab.memory.memory_sweep: the vanilla RNN and one LSTM per forget bias."""
    return {"vanilla": ("vanilla", 0.0), **{cell_label(b): ("lstm", float(b)) for b in forget_biases}}


def compute_echo_grid(
    lengths=GRID_LENGTHS, delays=GRID_DELAYS, seeds=GRID_SEEDS, forget_biases=GRID_FORGET_BIASES
) -> dict:
    """Echo accuracy after training for every sequence length, cell, seed and delay, as stored in GRID_PATH.

    Each length is one rnn_lab.memory.memory_sweep with GRID_BUDGET and `steps` = that length.
    """
    accuracy = {}
    for steps in lengths:
        sweep = memory.memory_sweep(delays, seeds, grid_cells(forget_biases), **GRID_BUDGET, steps=int(steps))
        accuracy[str(steps)] = {label: values.tolist() for label, values in sweep.accuracy.items()}
    return {
        "budget": dict(GRID_BUDGET),
        "lengths": list(lengths),
        "delays": list(delays),
        "seeds": list(seeds),
        "forget_biases": list(forget_biases),
        "accuracy": accuracy,
    }


def load_echo_grid(path=GRID_PATH) -> dict:
    """The stored grid: {sequence length: rnn_lab.memory.MemoryComparison} (accuracy per cell, seed, delay).

    Each one's budget is the stored one (GRID_BUDGET) with `steps` = its length.
    """
    stored = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        int(steps): memory.MemoryComparison(
            list(stored["delays"]),
            list(stored["seeds"]),
            {label: np.array(values) for label, values in by_cell.items()},
            {**stored["budget"], "steps": int(steps)},
        )
        for steps, by_cell in stored["accuracy"].items()
    }


def stored_budget(path=GRID_PATH) -> dict:
    """The training budget the stored grid was computed with (GRID_BUDGET, if it is up to date)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["budget"]


@dataclass
class LagCurves:
    """The left panel's data for one sequence length T: medians over LAG_BATCH echo-task sequences."""

    vanilla: np.ndarray  # (T,)  median ||dh_{T-1}/dh_t|| of the tanh RNN (rnn_lab.dynamics.gradient_vs_lag)
    lstm: dict  # forget bias -> (T,)  median ||dh_{T-1}/dh_t|| of the LSTM, through h and c
    cell_path: dict  # forget bias -> (T,)  median ||dc_{T-1}/dc_t|| along the cell path alone


def lag_curves(steps: int, forget_biases=GRID_FORGET_BIASES, seed: int = 0) -> LagCurves:
    """rnn_lab.memory.lag_comparison at T = steps (both cells at initialisation, same inputs), as medians."""
    result = memory.lag_comparison(LAG_HIDDEN, int(steps), LAG_BATCH, tuple(forget_biases), seed)
    median = lambda norms: np.median(norms, axis=1)  # noqa: E731
    return LagCurves(
        median(result["vanilla"].jacobian_norms),
        {b: median(result[cell_label(b)].jacobian_norms) for b in forget_biases},
        {b: median(result[cell_label(b)].cell_path_norms) for b in forget_biases},
    )


@styled
def lstm_explorer(grid: dict | None = None) -> WidgetView:
    """Widget for notebook 10: the vanilla RNN against the LSTM, what the forget-gate bias changes.

    grid: {T: MemoryComparison} as load_echo_grid() returns (the default). Controls: "forget_bias" (b_f of the
    LSTM), "delay" (of the echo task) and "steps" (the sequence length T); all three take the grid's values.
    Left: median gradient norms against the lag at initialisation (vertical line: lag = delay).
    Right: accuracy after training against the delay, the mean over the seeds with +- one standard deviation
    (cut to [0, 1]); the open diamonds mark the chosen delay, whose numbers the box above the data prints.
    """
    grid = load_echo_grid() if grid is None else grid
    lengths = sorted(grid)
    first = grid[lengths[0]]
    delays = np.array(first.delays)
    biases = [float(label.split("=")[1]) for label in first.accuracy if label.startswith("lstm")]
    curves = {steps: lag_curves(steps, biases) for steps in lengths}  # precomputed: updates only look up

    figure = new_figure(12.5, 6.2)  # 1000 px at 80 dpi: the notebook column, shown unscaled
    ax_lag, ax_acc = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    for ax in (ax_lag, ax_acc):  # at 80 dpi 1 pt is 1.1 px: 13 pt and more is at least 14 px
        ax.tick_params(labelsize=TEXT_POINTS)
    lag_top = 1e4  # the data stay below 10; the band above holds the text box
    (vanilla_line,) = ax_lag.plot(
        [], [], color=VANILLA_COLOR, linewidth=3.5, label=tr(r"vanilla $\|dh_{T-1}/dh_t\|$")
    )
    (lstm_line,) = ax_lag.plot([], [], color=LSTM_COLOR, linewidth=3.5, label=r"LSTM $\|dh_{T-1}/dh_t\|$")
    (cell_line,) = ax_lag.plot(
        [], [], "--", color=CELL_PATH_COLOR, linewidth=3, label=tr(r"LSTM cell path $\|dc_{T-1}/dc_t\|$")
    )
    delay_line = ax_lag.axvline(1, color="#555555", linestyle=":", linewidth=2.5)
    ax_lag.set_yscale("log")
    ax_lag.set_ylim(LAG_FLOOR, lag_top)
    ax_lag.set_xlim(0, max(lengths) - 1)
    ax_lag.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_lag.set_xlabel(tr(r"lag $T-1-t$ (steps back from the end)"), fontsize=FONT_SIZE)
    ax_lag.set_ylabel(tr("median norm (log scale)"), fontsize=FONT_SIZE)
    ax_lag.set_title(tr("Gradient against the lag, at initialisation"), fontsize=FONT_SIZE + 1)
    ax_lag.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=TEXT_POINTS)
    lag_info = info_box(ax_lag, x=0.98, y=0.97)

    (vanilla_acc,) = ax_acc.plot(
        [], [], "-o", color=VANILLA_COLOR, linewidth=3, markersize=7, label=tr("vanilla")
    )
    (lstm_acc,) = ax_acc.plot([], [], "-s", color=LSTM_COLOR, linewidth=3, markersize=7, label="LSTM")
    vanilla_bars = LineCollection([], colors=VANILLA_COLOR, linewidths=2.5)
    lstm_bars = LineCollection([], colors=LSTM_COLOR, linewidths=2.5)
    ax_acc.add_collection(vanilla_bars)
    ax_acc.add_collection(lstm_bars)
    (marks,) = ax_acc.plot(
        [], [], "D", color="#000000", markersize=13, markerfacecolor="none", markeredgewidth=2.5
    )
    ax_acc.axhline(0.5, color="#666666", linestyle=":", linewidth=2)
    ax_acc.axhline(1.0, color="#bbbbbb", linewidth=1)
    ax_acc.set_xlim(delays[0] - 0.5, delays[-1] + 0.5)
    ax_acc.set_ylim(0.4, 1.3)  # accuracy <= 1: the band above 1 holds the text box
    ax_acc.set_yticks([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    ax_acc.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_acc.set_xlabel(tr("delay $k$ of the echo task"), fontsize=FONT_SIZE)
    ax_acc.set_ylabel(tr("accuracy after training"), fontsize=FONT_SIZE)
    ax_acc.set_title(tr("What each cell learns (0.5 = guessing)"), fontsize=FONT_SIZE + 1)
    ax_acc.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=TEXT_POINTS)
    acc_info = info_box(ax_acc, x=0.98, y=0.97)

    def bars(mean, spread):  # +- one standard deviation, cut to [0, 1]: an accuracy never leaves it
        return [[(d, max(m - s, 0.0)), (d, min(m + s, 1.0))] for d, m, s in zip(delays, mean, spread)]

    def update(forget_bias: float, delay: int, steps: int) -> None:
        lags, curve = np.arange(steps), curves[steps]
        vanilla_line.set_data(lags, np.clip(curve.vanilla, LAG_FLOOR, None))
        lstm_line.set_data(lags, np.clip(curve.lstm[forget_bias], LAG_FLOOR, None))
        cell_line.set_data(lags, np.clip(curve.cell_path[forget_bias], LAG_FLOOR, None))
        delay_line.set_xdata([delay, delay])
        lag_info.set_text(
            tr(
                "T = {steps}, $b_f$ = {bias:g}, at lag {delay}:\nvanilla {vanilla:.1e}, LSTM {lstm:.1e}",
                steps=steps,
                bias=forget_bias,
                delay=delay,
                vanilla=curve.vanilla[delay],
                lstm=curve.lstm[forget_bias][delay],
            )
        )
        sweep, label = grid[steps], cell_label(forget_bias)
        means = {cell: sweep.mean(cell) for cell in ("vanilla", label)}
        spreads = {cell: sweep.spread(cell) for cell in ("vanilla", label)}
        vanilla_acc.set_data(delays, means["vanilla"])
        lstm_acc.set_data(delays, means[label])
        vanilla_bars.set_segments(bars(means["vanilla"], spreads["vanilla"]))
        lstm_bars.set_segments(bars(means[label], spreads[label]))
        k = int(np.flatnonzero(delays == delay)[0])
        marks.set_data([delay, delay], [means["vanilla"][k], means[label][k]])
        acc_info.set_text(
            tr(
                "T = {steps}, delay {delay}, {seeds} seeds:\n"
                "vanilla {vanilla:.2f} ± {vanilla_spread:.2f}, LSTM {lstm:.2f} ± {lstm_spread:.2f}",
                steps=steps,
                delay=delay,
                seeds=len(sweep.seeds),
                vanilla=means["vanilla"][k],
                vanilla_spread=spreads["vanilla"][k],
                lstm=means[label][k],
                lstm_spread=spreads[label][k],
            )
        )

    style = slider_style()
    controls = {
        "forget_bias": widgets.SelectionSlider(
            options=[(f"{b:g}", b) for b in biases], value=1.0 if 1.0 in biases else biases[0],
            description=tr("forget-gate bias b_f"), **style,
        ),
        "delay": widgets.SelectionSlider(
            options=[int(d) for d in delays], value=int(delays[min(4, len(delays) - 1)]),
            description=tr("delay k"), **style,
        ),
        "steps": widgets.SelectionSlider(
            options=lengths, value=24 if 24 in lengths else lengths[0],
            description=tr("sequence length T"), **style,
        ),
    }  # fmt: skip
    dynamic = [vanilla_line, lstm_line, cell_line, delay_line, lag_info, vanilla_acc, lstm_acc]
    return make_view(figure, controls, update, dynamic + [vanilla_bars, lstm_bars, marks, acc_info])


def main(argv=None) -> int:
    """Recompute the grid and write it to GRID_PATH (or the path given)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else GRID_PATH
    path.write_text(json.dumps(compute_echo_grid(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
