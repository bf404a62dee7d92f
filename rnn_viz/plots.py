"""rnn_viz.plots: the static pictures of the notebooks. Each function draws arrays it is given (from
rnn_core or
rnn_lab) on a matplotlib Axes or Figure and returns what a widget may later update.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.text import Text

import rnn_core
from rnn_viz.language import tr, tr_later
from rnn_viz.style import (
    BACKWARD_COLOR,
    COLUMN_PX,
    DIVERGING_CMAP,
    FONT_SIZE,
    FORWARD_COLOR,
    GAP_COLOR,
    LINE_COLORS,
    MIN_TEXT_PX,
    SEQUENTIAL_CMAP,
    SMALL_FONT_SIZE,
    symmetric_limits,
)


def pyplot_figure(size: tuple):
    """A new pyplot figure (constrained layout) of `size` inches, for a plot called without an Axes.

    pyplot is imported here, on first use, and nowhere else in rnn_viz: importing it at the top would make
    `import rnn_viz` choose a matplotlib backend before the notebook has set its own, and would cost its
    start-up time in every process, the widgets' included, that never draws with pyplot (they use
    display.new_figure, which pyplot does not know about, so the inline backend does not show them twice).
    """
    import matplotlib.pyplot as plt

    return plt.figure(figsize=size, layout="constrained")


def fit_to_column(ax):
    """Shrink a diagram drawn on a figure wider than COLUMN_PX to fit the column, as the notebook would
    show it scaled down, but keep every text at least MIN_TEXT_PX: the figure, its line widths and arrow
    sizes are scaled by (COLUMN_PX - 20) / width, font sizes too but never below MIN_TEXT_PX (the
    diagrams leave room for that). Returns the Axes."""
    figure = ax.figure
    width_px = figure.get_figwidth() * figure.dpi
    if width_px <= COLUMN_PX:
        return ax
    factor = (COLUMN_PX - 20) / width_px  # the inline backend's bbox_inches="tight" adds 0.1 in each side
    figure.set_size_inches(figure.get_figwidth() * factor, figure.get_figheight() * factor)
    smallest_pt = MIN_TEXT_PX * 72 / figure.dpi + 1e-6
    for text in ax.findobj(Text):
        text.set_fontsize(max(smallest_pt, text.get_fontsize() * factor))
    for patch in ax.findobj(FancyBboxPatch) + ax.findobj(FancyArrowPatch):
        patch.set_linewidth(patch.get_linewidth() * factor)
        if isinstance(patch, FancyArrowPatch):
            patch.set_mutation_scale(patch.get_mutation_scale() * factor)
            patch.shrinkA, patch.shrinkB = patch.shrinkA * factor, patch.shrinkB * factor
    return ax


def column_marker(ax, column: int, rows: int, color: str = "#000000") -> Rectangle:
    """A rectangle outlining one column of an imshow'd (rows, T) heatmap."""
    marker = Rectangle((column - 0.5, -0.5), 1, rows, fill=False, edgecolor=color, linewidth=3, zorder=5)
    ax.add_patch(marker)
    return marker


def heatmap_over_time(ax, values, title: str, ylabel: str, signed: bool = True, limits=None):
    """Draw (T, n) or (T, n, 1) `values` as an n x T heatmap: time runs left to right.

    signed: diverging map centred at 0 (gradients); otherwise the sequential map.
    limits: (vmin, vmax); by default symmetric limits of the values (signed) or their range.
    Returns the AxesImage (update it with `.set_array`).
    """
    grid = np.asarray(values, dtype=float).reshape(len(values), -1).T  # (n, T)
    if limits is None:
        finite = grid[np.isfinite(grid)]
        limits = symmetric_limits(finite) if signed else (float(finite.min()), float(finite.max()))
    cmap = mpl.colormaps[DIVERGING_CMAP if signed else SEQUENTIAL_CMAP].with_extremes(bad=GAP_COLOR)
    if signed and limits[0] != -limits[1]:
        raise ValueError(f"a signed heatmap needs symmetric limits (-m, m), so that 0 is white, not {limits}")
    image = ax.imshow(grid, aspect="auto", cmap=cmap, vmin=limits[0], vmax=limits[1], interpolation="nearest")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(tr("time step $t$"))
    steps, rows = grid.shape[1], grid.shape[0]
    ax.set_xticks(range(0, steps, max(1, -(-steps // 10))))  # whole steps, at most 10 ticks
    ax.set_yticks(range(0, rows, max(1, -(-rows // 5))))  # at most 5 ticks: 14-pixel labels fit
    return image


# --- 01: the unrolled graph and the forward explorer -----------------------


def _node(ax, xy, text, color="#ffffff", width=1.1, height=0.62, dashed=False, fontsize=FONT_SIZE + 2):
    """A rounded box with text centred at xy (data coordinates)."""
    box = FancyBboxPatch(
        (xy[0] - width / 2, xy[1] - height / 2),
        width,
        height,
        boxstyle="round,pad=0.04,rounding_size=0.12",
        facecolor=color,
        edgecolor="#333333",
        linewidth=1.8,
        linestyle="--" if dashed else "-",
        zorder=3,
    )
    ax.add_patch(box)
    ax.text(xy[0], xy[1], text, ha="center", va="center", fontsize=fontsize, zorder=4)


def _arrow(
    ax,
    start,
    end,
    label="",
    color=FORWARD_COLOR,
    label_offset=(0.0, 0.0),
    shrink=24,
    fontsize=FONT_SIZE,
    **text_kw,
):
    """An arrow from start to end (data coordinates), with an optional label near its middle."""
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        zorder=2,
        arrowprops=dict(
            arrowstyle="-|>", color=color, linewidth=2, shrinkA=shrink, shrinkB=shrink, mutation_scale=18
        ),
    )
    if label:
        middle = ((start[0] + end[0]) / 2 + label_offset[0], (start[1] + end[1]) / 2 + label_offset[1])
        ax.text(
            *middle,
            label,
            color=color,
            ha="center",
            va="center",
            fontsize=fontsize,
            zorder=4,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1),
            **text_kw,
        )


def draw_unrolled_graph(steps: int = 4, ax=None):
    """The RNN unrolled over `steps` time steps: x_t -> h_t -> ŷ_t -> loss term, and h_{t-1} -> h_t.

    The same three weight matrices label every column: that sharing is why BPTT sums over time.
    Returns the Axes (a new figure is made with pyplot if ax is None).
    """
    if not isinstance(steps, (int, np.integer)) or not 1 <= steps <= 8:
        raise ValueError(
            "steps must be a whole number from 1 to 8 (a picture wider than 8 steps is unreadable), but "
            f"it is {steps!r}."
        )
    new_figure = ax is None
    if new_figure:  # laid out at 2.9 in per step, then shrunk to the column (fit_to_column)
        ax = pyplot_figure((2.9 * steps + 2.6, 6.2)).subplots()
    gap = 2.8
    rows = {"x": 0.0, "h": 1.6, "y": 3.2, "L": 4.6}
    _node(ax, (0, rows["h"]), r"$h_{-1}=0$", color="#eeeeee", width=1.5)
    for t in range(steps):
        col = gap * (t + 1)
        _node(ax, (col, rows["x"]), rf"$x_{{{t}}}$", color="#cfe8f3")
        _node(ax, (col, rows["h"]), rf"$h_{{{t}}}$", color="#fde9c9")
        _node(ax, (col, rows["y"]), rf"$\hat y_{{{t}}}$", color="#d5f0e3")
        _node(ax, (col, rows["L"]), rf"$L_{{{t}}}$", color="#f2f2f2")
        _arrow(ax, (col, rows["x"]), (col, rows["h"]), r"$W_{xh}$", label_offset=(0.45, 0))
        _arrow(ax, (col, rows["h"]), (col, rows["y"]), r"$W_{hy}$", label_offset=(0.45, 0))
        _arrow(ax, (col, rows["y"]), (col, rows["L"]), "", label_offset=(0.45, 0))
        _arrow(ax, (col - gap, rows["h"]), (col, rows["h"]), r"$W_{hh}$", label_offset=(0, 0.3), shrink=30)
    ax.text(gap * (steps + 1) - 0.9, rows["L"], r"$L=\sum_t L_t$", fontsize=FONT_SIZE + 2, va="center")
    ax.text(
        gap * (steps + 1) - 0.9,
        rows["y"] - 0.75,
        r"$L_t=\frac{1}{2}\|\hat y_t-y_t\|^2$",
        fontsize=FONT_SIZE,
        va="center",
    )
    ax.set_xlim(-1.0, gap * (steps + 1) + 1.6)
    ax.set_ylim(-0.6, rows["L"] + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        tr(
            "The RNN unrolled over $T$ = {steps} steps:\n"
            "the same $W_{{xh}}$, $W_{{hh}}$, $W_{{hy}}$ at every step",
            steps=steps,
        )
    )
    return fit_to_column(ax) if new_figure else ax


def pre_activations(hiddens) -> np.ndarray:
    """The tanh input a behind each hidden value h = tanh(a), recovered as arctanh(h).

    Clipped just inside (-1, 1): a fully saturated unit (h = +-1.0 in floating point) maps to
    |a| of about 18, which is far off any plot's axis anyway.
    """
    h = np.asarray(hiddens, dtype=float)
    return np.arctanh(np.clip(h, -1 + 1e-15, 1 - 1e-15))


def plot_tanh_saturation(ax, pre_activation=None, limit: float = 4.0):
    """tanh(a) and its slope 1 - tanh(a)^2 over [-limit, limit], with the points (a, tanh a) marked.

    Returns the Line2D of the marked points (update it with `.set_data(a, np.tanh(a))`).
    """
    a = np.linspace(-limit, limit, 241)
    ax.plot(a, np.tanh(a), color=LINE_COLORS[0], linewidth=2.5, label=r"$h=\tanh(a)$")
    ax.plot(
        a,
        1 - np.tanh(a) ** 2,
        color=LINE_COLORS[1],
        linewidth=2.5,
        linestyle="--",
        label=tr(r"slope $1-h^2$"),
    )
    ax.axhline(0, color="#999999", linewidth=0.8)
    for edge in (-1, 1):
        ax.axhline(edge, color="#999999", linewidth=0.8, linestyle=":")
    points = np.zeros(0) if pre_activation is None else np.clip(np.ravel(pre_activation), -limit, limit)
    (marks,) = ax.plot(
        points, np.tanh(points), "o", color=LINE_COLORS[5], markersize=9, label=tr("hidden units"), zorder=4
    )
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-1.15, 1.15)
    ax.set_xlabel(tr(r"pre-activation $a$"))
    ax.set_ylabel(tr("value"))
    ax.set_title(tr("tanh and its slope"))
    ax.legend(loc="upper left", fontsize=SMALL_FONT_SIZE)
    return marks


# --- 02: outputs, targets and dy ---------------------------------------------


def plot_outputs_and_errors(outputs, targets, ax=None):
    """Predictions ŷ_t and targets y_t over time, with dy_t = ŷ_t - y_t drawn as a vertical segment.

    outputs, targets: (T, O, 1) or (T, O). One colour per output component.
    Returns the Axes (a new pyplot figure if ax is None).
    """
    outputs = np.asarray(outputs, dtype=float).reshape(len(outputs), -1)  # (T, O)
    targets = np.asarray(targets, dtype=float).reshape(len(targets), -1)
    if outputs.shape != targets.shape:
        raise ValueError(
            f"outputs have shape {outputs.shape} and targets {targets.shape} (as (T, O)): they must match."
        )
    if ax is None:
        ax = pyplot_figure((11, 4.5)).subplots()  # size kept: see draw_unrolled_graph
    time = np.arange(len(outputs))
    for k in range(outputs.shape[1]):
        color = LINE_COLORS[k % 8]
        ax.plot(
            time,
            targets[:, k],
            "s--",
            color=color,
            alpha=0.6,
            markersize=7,
            label=tr("target $y_t[{k}]$", k=k),
        )
        ax.plot(
            time,
            outputs[:, k],
            "o-",
            color=color,
            linewidth=2,
            markersize=7,
            label=tr(r"prediction $\hat y_t[{k}]$", k=k),
        )
        ax.vlines(
            time,
            targets[:, k],
            outputs[:, k],
            color=BACKWARD_COLOR,
            linewidth=3,
            label=r"$dy_t = \hat y_t - y_t$" if k == 0 else None,
        )
    ax.set_xlabel(tr("time step $t$"))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_ylabel(tr("value"))
    ax.set_title(tr(r"predictions $\hat y_t$, targets $y_t$, and the error $dy$ at every step"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=3)  # below the axes: never over data
    return ax


# --- 03: one step back -------------------------------------------------------


def draw_step_graph(ax=None):
    """The computational graph of one time step t, forward arrows in black and, in vermillion,
    the gradient that flows back along every edge (the names used by rnn_core.backward_step).

    Returns the Axes (a new pyplot figure if ax is None).
    """
    new_figure = ax is None
    if new_figure:  # laid out at 16 in, then shrunk to the column (fit_to_column)
        ax = pyplot_figure((16, 6.6)).subplots()
    pos = {
        "x": (0.0, 2.2),
        "W_xh": (2.0, 4.9),
        "b_h": (6.0, 4.9),
        "W_hh": (2.0, -0.5),
        "h_prev": (6.0, -0.5),
        "a": (5.0, 2.2),
        "h": (11.0, 2.2),
        "W_hy": (12.6, 5.9),
        "b_y": (17.4, 5.9),
        "y": (15.0, 4.2),
        "L": (19.6, 4.2),
        "next": (13.8, 0.0),
    }
    _node(ax, pos["x"], r"$x_t$", color="#cfe8f3")
    _node(ax, pos["h_prev"], r"$h_{t-1}$", color="#fde9c9", width=1.3)
    for name, label in (
        ("W_xh", r"$W_{xh}$"),
        ("W_hh", r"$W_{hh}$"),
        ("b_h", r"$b_h$"),
        ("W_hy", r"$W_{hy}$"),
        ("b_y", r"$b_y$"),
    ):
        _node(ax, pos[name], label, color="#f2f2f2", dashed=True)
    _node(ax, pos["a"], r"$a_t = W_{xh}x_t + W_{hh}h_{t-1} + b_h$", width=4.6, fontsize=SMALL_FONT_SIZE)
    _node(ax, pos["h"], r"$h_t=\tanh(a_t)$", color="#fde9c9", width=2.7)
    _node(ax, pos["y"], r"$\hat y_t = W_{hy}h_t + b_y$", color="#d5f0e3", width=3.2, fontsize=SMALL_FONT_SIZE)
    _node(
        ax,
        pos["L"],
        r"$L_t=\frac{1}{2}\|\hat y_t-y_t\|^2$",
        color="#f2f2f2",
        width=4.0,
        fontsize=SMALL_FONT_SIZE,
    )
    _node(
        ax,
        pos["next"],
        tr("step t+1\n" + r"(uses $h_t$ via $W_{hh}$)"),
        color="#eeeeee",
        width=3.2,
        height=1.0,
        fontsize=SMALL_FONT_SIZE,
    )

    # Edges as (start, end) points on the boxes' borders, the gradient label, its offset from the middle.
    edges = [
        ((0.55, 2.2), (2.7, 2.2), tr(r"($x_t$: data, no gradient)"), (-0.1, 0.68)),
        ((2.0, 4.59), (4.0, 2.51), r"$dW_{xh}$ += $dh\_raw\;x_t^\top$", (-1.9, 0.25)),
        ((6.0, 4.59), (6.0, 2.51), r"$db_h$ += $dh\_raw$", (1.5, 0.1)),
        ((2.0, -0.19), (4.0, 1.89), r"$dW_{hh}$ += $dh\_raw\;h_{t-1}^\top$", (-2.0, 0.1)),
        (
            (6.0, -0.19),
            (6.0, 1.89),
            r"$dh\_prev = W_{hh}^\top dh\_raw$" + "\n" + tr(r"(= $dh\_next$ of step $t-1$)"),
            (2.6, -0.65),
        ),
        ((7.3, 2.2), (9.65, 2.2), r"$dh\_raw = (1-h_t^2)\odot dh$", (0.15, 0.62)),
        ((11.6, 2.51), (14.2, 3.89), r"$W_{hy}^\top\,dy$", (-0.75, 0.45)),
        ((12.6, 5.59), (14.4, 4.51), r"$dW_{hy}$ += $dy\;h_t^\top$", (-2.1, 0.0)),
        ((17.4, 5.59), (15.6, 4.51), r"$db_y$ += $dy$", (1.55, 0.05)),
        ((16.6, 4.2), (17.6, 4.2), r"$dy = \hat y_t-y_t$", (0.0, -0.75)),
        ((11.4, 1.89), (13.4, 0.48), tr(r"$dh\_next$ (from step $t+1$)"), (2.1, 0.15)),
    ]
    for start, end, label, offset in edges:
        _arrow(ax, start, end, shrink=3)
        middle = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(
            *middle,
            label,
            color=BACKWARD_COLOR,
            ha="center",
            va="center",
            fontsize=SMALL_FONT_SIZE,
            zorder=6,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.9, pad=1),
        )
    ax.text(
        pos["h"][0] - 1.7,
        pos["h"][1] - 1.0,
        r"$dh = W_{hy}^\top\,dy + dh\_next$",
        color=BACKWARD_COLOR,
        ha="center",
        va="center",
        fontsize=FONT_SIZE,
        zorder=6,
        bbox=dict(facecolor="white", edgecolor=BACKWARD_COLOR, pad=3),
    )
    ax.set_xlim(-1.0, 22.0)
    ax.set_ylim(-1.2, 6.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        tr(
            "One time step $t$: values go forward along the black arrows;\n"
            "the vermillion label on each arrow is the gradient of $L$ that comes back along it"
        )
    )
    return fit_to_column(ax) if new_figure else ax


# --- 04: BPTT, step by step ---------------------------------------------------

BACKWARD_VECTORS = ("dy", "dh_next", "dh", "dh_raw")  # in the order backward_step computes them
VECTOR_LABELS = {  # shown with tr(VECTOR_LABELS[name])
    "dy": r"$dy = \hat y_t - y_t$",
    "dh_next": tr_later(r"$dh\_next$ (from step $t+1$)"),
    "dh": r"$dh = W_{hy}^\top\,dy + dh\_next$",
    "dh_raw": r"$dh\_raw = (1 - h_t^2) \odot dh$",
}
PARAM_TEX = {  # the gradient of each parameter, as the figures write it
    "W_xh": r"$dW_{xh}$",
    "W_hh": r"$dW_{hh}$",
    "W_hy": r"$dW_{hy}$",
    "b_h": r"$db_h$",
    "b_y": r"$db_y$",
}


def running_sums(contributions: np.ndarray) -> np.ndarray:
    """Partial sums from the end: out[t] = sum over s >= t of contributions[s] (what BPTT has summed
    once it has processed steps T-1 down to t). contributions: (T, *shape) -> (T, *shape)."""
    return np.cumsum(np.asarray(contributions)[::-1], axis=0)[::-1]


def cover_before(ax, t: int, rows: int) -> Rectangle:
    """A grey rectangle over columns 0 .. t-1 of an imshow'd (rows, T) heatmap: "not computed yet".

    Covering is cheaper than re-imaging: the heatmap itself stays in the widget's pre-drawn
    background and only this one patch is redrawn per update (set_width(t)).
    """
    cover = Rectangle((-0.5, -0.5), t, rows, facecolor=GAP_COLOR, edgecolor="none", zorder=4)
    ax.add_patch(cover)
    return cover


def contribution_grid(trace, name: str) -> np.ndarray:
    """contributions[name] as (entries, T): row k is entry k (row-major) of the parameter."""
    terms = trace.contributions[name]  # (T, *shape)
    return terms.reshape(len(terms), -1).T


def plot_gradient_contributions(trace, names=rnn_core.PARAM_NAMES, figure=None):
    """One heatmap per parameter: entry (row) x time step (column) of step t's gradient term.

    Summing a heatmap along its rows (over time) gives the parameter's gradient. Diverging map
    centred at zero with symmetric limits per parameter. trace: rnn_core.BPTTTrace.
    Returns the Figure (a new pyplot figure if figure is None).
    """
    for name in names:
        if name not in trace.contributions:
            raise ValueError(
                f"unknown parameter {name!r}: expected some of {', '.join(rnn_core.PARAM_NAMES)}."
            )
    if figure is None:
        figure = pyplot_figure((11, 1.2 + 1.9 * len(names)))  # size kept: see draw_unrolled_graph
    rows = [max(2, contribution_grid(trace, n).shape[0]) ** 0.5 + 1 for n in names]
    axes = figure.subplots(len(names), 1, gridspec_kw={"height_ratios": rows}, squeeze=False)[:, 0]
    for ax, name in zip(axes, names):
        image = heatmap_over_time(
            ax,
            contribution_grid(trace, name).T,
            tr("{gradient}: term of each step", gradient=PARAM_TEX[name]),
            tr("entry"),
        )
        figure.colorbar(
            image, ax=ax, pad=0.01, label=tr("{gradient} term\n(no unit)", gradient=PARAM_TEX[name])
        )
    figure.suptitle(tr("Gradient contribution of every time step\n(sum each row over $t$ = the gradient)"))
    return figure


TASK_LABELS = {  # shown with tr(TASK_LABELS[name])
    "sine": tr_later("noisy sine: predict the next value"),
    "echo": tr_later("echo: repeat the bit from 2 steps ago"),
    "sum": tr_later("running sum of all inputs so far"),
}


def info_box(ax, x=0.98, y=0.96, ha="right", va="top"):
    """A text box inside the axes (a title would only move on a full redraw)."""
    return ax.text(
        x,
        y,
        "",
        transform=ax.transAxes,
        ha=ha,
        va=va,
        fontsize=SMALL_FONT_SIZE,
        zorder=6,
        bbox=dict(facecolor="white", edgecolor="#999999", alpha=0.9),
    )


# --- 05: training --------------------------------------------------------------------------


def plot_loss_curves(ax, histories: dict, title: str | None = None):
    """One loss-per-epoch line per entry of histories (label -> rnn_lab.train.TrainingHistory), log scale.
    title: None for "training loss"."""
    for k, (label, history) in enumerate(histories.items()):
        epochs = np.arange(1, len(history.losses) + 1)
        shown = tr("{label} (overflowed)", label=label) if history.stopped else label
        losses = np.clip(history.losses, None, 1e12)  # an overflowing run is drawn up to 1e12, then stops
        ax.plot(epochs, losses, color=LINE_COLORS[k % len(LINE_COLORS)], linewidth=2.5, label=shown)
    ax.set_yscale("log")
    ax.set_xlabel(tr("epoch"))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_ylabel(tr("loss per sequence"))
    ax.set_title(tr("training loss") if title is None else title)
    ax.legend()
    ax.grid(True, which="major", alpha=0.3)
    return ax


def plot_prediction(ax, x, target, outputs: dict, title: str | None = None):
    """Input, target and model outputs over time for one sequence.  x, target (T,); outputs: label -> (T,)
    title: None for "one sequence"."""
    time = np.arange(len(x))
    ax.plot(time, x, color="#999999", linewidth=1.5, marker=".", label=tr("input $x_t$"))
    ax.plot(time, target, color="#000000", linewidth=2.5, label=tr("target"))
    styles = ["--", "-"]
    for k, (label, values) in enumerate(outputs.items()):
        ax.plot(
            time,
            values,
            styles[k % 2],
            color=LINE_COLORS[(k + 5) % len(LINE_COLORS)] if k == 0 else LINE_COLORS[0],
            linewidth=2.5,
            label=label,
        )
    ax.set_xlabel(tr("time step $t$"))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_ylabel(tr("value"))
    ax.set_title(tr("one sequence") if title is None else title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the data, never over it
    return ax


def plot_truncation_sweep(axes, ks, cosines, rel_differences, cache_bytes, steps: int):
    """On two Axes: how close truncated BPTT's gradient is to the full one, and the memory it needs,
    against k."""
    ax_err, ax_mem = axes
    ax_err.plot(ks, cosines, "-o", color=LINE_COLORS[0], linewidth=2.5, label=tr("cosine similarity"))
    ax_err.plot(
        ks,
        rel_differences,
        "-s",
        color=LINE_COLORS[5],
        linewidth=2.5,
        label=tr(r"relative error $\|g_k - g\| / \|g\|$"),
    )
    ax_err.axhline(1.0, color="#999999", linewidth=1)
    ax_err.set_xlabel(tr("truncation length $k$ (steps)"))
    ax_err.set_ylabel(tr("compared with full BPTT"))
    ax_err.set_title(tr("Truncated gradient vs full ($T$ = {steps})", steps=steps))
    ax_err.legend(loc="center right")
    ax_mem.plot(ks, np.asarray(cache_bytes) / 1024, "-o", color=LINE_COLORS[2], linewidth=2.5)
    ax_mem.set_xlabel(tr("truncation length $k$ (steps)"))
    ax_mem.set_ylabel(tr("cached hidden states (KiB)"))
    ax_mem.set_title(tr("Memory held for the backward pass"))
    ax_mem.set_ylim(0, None)
    for ax in (ax_err, ax_mem):
        ax.grid(True, alpha=0.3)
    return axes


def plot_memory_sweeps(ax, sweeps: dict, title: str | None = None):
    """Accuracy against the delay for each sweep (label -> rnn_lab.dynamics.MemorySweep); 0.5 is guessing.
    title: None for "Echo task: what the RNN still remembers"."""
    markers = ["o", "s", "^", "D"]
    for k, (label, sweep) in enumerate(sweeps.items()):
        ax.plot(
            sweep.delays,
            sweep.accuracy,
            marker=markers[k % 4],
            markersize=8,
            linewidth=2.5,
            color=LINE_COLORS[k % len(LINE_COLORS)],
            label=label,
        )
    ax.axhline(0.5, color="#666666", linestyle=":", linewidth=2)
    ax.text(
        max(max(s.delays) for s in sweeps.values()),
        0.51,
        tr("guessing"),
        color="#666666",
        ha="right",
        va="bottom",
        fontsize=SMALL_FONT_SIZE,
    )
    ax.set_ylim(0.4, 1.04)
    ax.set_xlabel(tr("delay $k$ (steps the bit must be remembered)"))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_ylabel(tr("accuracy on new sequences"))
    ax.set_title(tr("Echo task: what the RNN still remembers") if title is None else title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2)  # below: the column's width
    ax.grid(True, alpha=0.3)
    return ax
