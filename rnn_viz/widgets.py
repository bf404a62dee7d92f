"""rnn_viz.widgets: the interactive figures. Every builder follows the WIDGET CONVENTION of rnn_viz.display:
it returns a view with `.widget`, `.figure` and `.controls`, and setting a control's value updates the figure.
"""

from __future__ import annotations

from time import perf_counter

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

import rnn_core
from rnn_lab import dynamics, tasks, train
from rnn_lab.dynamics import saturated_fraction
from rnn_viz.display import (
    ShownAsWidget,
    WidgetView,
    figure_png,
    make_view,
    new_figure,
    rgba_to_png,
    slider_style,
)
from rnn_viz.plots import (
    BACKWARD_VECTORS,
    TASK_LABELS,
    VECTOR_LABELS,
    column_marker,
    contribution_grid,
    cover_before,
    heatmap_over_time,
    info_box,
    plot_tanh_saturation,
    pre_activations,
    running_sums,
)
from rnn_viz.style import DIVERGING_CMAP, FONT_SIZE, LINE_COLORS, SEQUENTIAL_CMAP, symmetric_limits


def _forward_with_scale(params: dict, xs: np.ndarray, scale: float):
    """rnn_core's forward pass with W_hh multiplied by `scale` (the caller's params untouched)."""
    scaled = dict(params, W_hh=params["W_hh"] * scale)
    hiddens, outputs = rnn_core.forward_sequence(scaled, xs)
    return np.array(hiddens[1:]), np.array(outputs)  # (T, H, 1), (T, O, 1)


def forward_explorer(params: dict, x, max_scale: float = 4.0) -> WidgetView:
    """Widget for notebook 01: scrub the time step t; scale W_hh and watch tanh saturate.

    params: rnn_core parameter dict (I, H, O);  x: T inputs (see rnn_core.as_sequence).
    Controls: "t" (0 .. T-1) and "W_hh_scale" (0 .. max_scale; 1 = the given W_hh).
    Panels: input x (current step marked), hidden states h (H x T heatmap, column t outlined),
    output y (current step marked), and tanh with the current step's units on it.
    """
    input_size, hidden_size, output_size = rnn_core.check_params(params)
    xs = rnn_core.as_sequence(x, input_size, "x")  # (T, I, 1)
    steps = len(xs)
    figure = new_figure(12.5, 7.2)
    grid = figure.add_gridspec(3, 2, width_ratios=[2.3, 1], height_ratios=[1, 1.6, 1])
    ax_x, ax_h, ax_y = (figure.add_subplot(grid[row, 0]) for row in range(3))
    ax_tanh = figure.add_subplot(grid[:, 1])
    time = np.arange(steps)

    for i in range(input_size):
        ax_x.plot(time, xs[:, i, 0], "-o", color=LINE_COLORS[i % 8], markersize=4, label=f"x[{i}]")
    x_mark = ax_x.axvline(0, color="#000000", linewidth=2.5)
    ax_x.set_title("input x_t")
    ax_x.set_ylabel("value")
    ax_x.set_xlim(-0.5, steps - 0.5)

    hiddens, outputs = _forward_with_scale(params, xs, 1.0)
    h_image = heatmap_over_time(
        ax_h, hiddens, "hidden state h_t (column t outlined)", "hidden unit", signed=False, limits=(-1, 1)
    )
    # The colour bar sits in an inset right of the heatmap, so the three time panels keep the same
    # width and their time axes line up.
    figure.colorbar(h_image, cax=ax_h.inset_axes([1.02, 0.0, 0.025, 1.0]), label="h")
    h_mark = column_marker(ax_h, 0, hidden_size, color=LINE_COLORS[5])

    # Fix the output panel's limits over the whole range of scales, so the axes never jump.
    y_range = np.concatenate(
        [_forward_with_scale(params, xs, s)[1].ravel() for s in np.linspace(0, max_scale, 9)]
    )
    pad = 0.1 * (np.ptp(y_range) + 1e-9)
    y_lines = [
        ax_y.plot(time, outputs[:, k, 0], "-", color=LINE_COLORS[k % 8], linewidth=2, label=f"y[{k}]")[0]
        for k in range(output_size)
    ]
    (y_dots,) = ax_y.plot(
        np.zeros(output_size), outputs[0, :, 0], "o", color="#000000", markersize=10, zorder=4
    )
    ax_y.set_ylim(y_range.min() - pad, y_range.max() + pad)
    ax_y.set_xlim(-0.5, steps - 0.5)
    ax_y.set_title("output y_t")
    ax_y.set_xlabel("time step t")
    ax_y.set_ylabel("value")
    for ax in (ax_x, ax_y):
        ax.set_xticks(ax_h.get_xticks())
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # outside: never hides data

    tanh_marks = plot_tanh_saturation(ax_tanh)
    # A text inside the axes, not the title: a title's position is recomputed only on a full draw.
    tanh_info = ax_tanh.text(
        0.97,
        0.04,
        "",
        transform=ax_tanh.transAxes,
        ha="right",
        va="bottom",
        fontsize=FONT_SIZE - 1,
        bbox=dict(facecolor="white", edgecolor="#999999", alpha=0.9),
        zorder=6,
    )

    def update(t: int, W_hh_scale: float) -> None:
        hiddens, outputs = _forward_with_scale(params, xs, W_hh_scale)
        x_mark.set_xdata([t, t])
        h_image.set_array(hiddens[:, :, 0].T)
        h_mark.set_x(t - 0.5)
        for k, line in enumerate(y_lines):
            line.set_ydata(outputs[:, k, 0])
        y_dots.set_data(np.full(output_size, t), outputs[t, :, 0])
        a = np.clip(pre_activations(hiddens[t, :, 0]), -4, 4)
        tanh_marks.set_data(a, np.tanh(a))
        tanh_info.set_text(
            f"dots: h_t at t = {t}\nW_hh scaled by {W_hh_scale:.2f}\n"
            f"saturated (|h| > 0.95):\n{100 * saturated_fraction(hiddens):.0f}% of all h"
        )

    controls = {
        "t": widgets.IntSlider(value=0, min=0, max=steps - 1, description="time step t", **slider_style()),
        "W_hh_scale": widgets.FloatSlider(
            value=1.0,
            min=0.0,
            max=max_scale,
            step=0.05,
            description="scale of W_hh",
            readout_format=".2f",
            **slider_style(),
        ),
    }
    dynamic = [x_mark, h_image, h_mark, *y_lines, y_dots, tanh_marks, tanh_info]
    return make_view(figure, controls, update, dynamic)


def backward_stepper(params: dict, x, y) -> WidgetView:
    """Widget for notebook 04: step the backward pass from t = T-1 down to 0.

    Control "t" (T-1 .. 0): the step BPTT has just processed. Left: dy, dh_next, dh, dh_raw for
    every step done so far (grey = not computed yet; column t outlined). Middle: each
    parameter's gradient term of every step done so far. Right: the running sums, i.e. every
    gradient as BPTT holds it after step t (at t = 0 these are rnn_core.gradients' grads).
    All values come from rnn_core.gradients' trace; colour limits are fixed over the whole pass.
    """
    _, _, trace = rnn_core.gradients(params, x, y)
    steps = len(trace.dy)
    vectors = {name: getattr(trace, name)[:, :, 0].T for name in BACKWARD_VECTORS}  # name -> (n, T)
    terms = {name: contribution_grid(trace, name) for name in rnn_core.PARAM_NAMES}  # (entries, T)
    sums = {name: running_sums(trace.contributions[name]) for name in rnn_core.PARAM_NAMES}  # (T, *shape)

    figure = new_figure(15, 8.6, dpi=72)  # 1080 x 619 pixels: 14 panels, still under 50 ms per update
    outer = figure.add_gridspec(1, 3, width_ratios=[1.25, 1.25, 0.9])
    left = outer[0].subgridspec(4, 1, height_ratios=[max(2, v.shape[0]) ** 0.5 + 1 for v in vectors.values()])
    middle = outer[1].subgridspec(5, 1, height_ratios=[max(2, v.shape[0]) ** 0.5 + 1 for v in terms.values()])
    right = outer[2].subgridspec(5, 1)

    # The heatmaps of the left and middle columns hold the whole trace and never change; a grey
    # cover hides the steps not computed yet, and a box marks step t.
    covers, markers = [], []
    for row, name in enumerate(BACKWARD_VECTORS):
        ax = figure.add_subplot(left[row])
        heatmap_over_time(ax, vectors[name].T, VECTOR_LABELS[name], "unit")
        covers.append(cover_before(ax, steps - 1, vectors[name].shape[0]))
        markers.append(column_marker(ax, steps - 1, vectors[name].shape[0]))
        if row < 3:
            ax.set_xlabel("")
    for row, name in enumerate(rnn_core.PARAM_NAMES):
        ax = figure.add_subplot(middle[row])
        heatmap_over_time(ax, terms[name].T, f"term of step t in d{name}", "entry")
        covers.append(cover_before(ax, steps - 1, terms[name].shape[0]))
        markers.append(column_marker(ax, steps - 1, terms[name].shape[0]))
        if row < 4:
            ax.set_xlabel("")
    sum_images = {}
    for row, name in enumerate(rnn_core.PARAM_NAMES):
        ax = figure.add_subplot(right[row])
        shape = params[name].shape
        limits = symmetric_limits(sums[name])
        image = ax.imshow(
            sums[name][-1],
            cmap=DIVERGING_CMAP,
            vmin=limits[0],
            vmax=limits[1],
            interpolation="nearest",
            aspect="auto",
        )
        figure.colorbar(image, ax=ax, pad=0.02)
        ax.set_title(f"d{name} summed so far ({shape[0]}x{shape[1]})", fontsize=FONT_SIZE)
        ax.set_xticks(range(shape[1]) if shape[1] <= 8 else [])
        ax.set_yticks(range(shape[0]) if shape[0] <= 8 else [])
        sum_images[name] = image
    figure.suptitle(f"BPTT from t = {steps - 1} down to 0   (grey: not computed yet; black box: step t)")

    def update(t: int) -> None:
        for cover in covers:
            cover.set_width(t)
        for name, image in sum_images.items():
            image.set_array(sums[name][t])
        for marker in markers:
            marker.set_x(t - 0.5)

    controls = {
        "t": widgets.IntSlider(
            value=steps - 1,
            min=0,
            max=steps - 1,
            description="backward pass at step t (drag right to left)",
            **slider_style(),
        )
    }
    controls["t"].layout.width = "560px"
    dynamic = [*covers, *markers, *sum_images.values()]
    return make_view(figure, controls, update, dynamic)


class TrainingLab(ShownAsWidget):
    """Live-training widget for notebook 05 (see `training_lab`).

    widget, figure, controls: as in the WIDGET CONVENTION; changing a control retrains from scratch,
    synchronously. history: the last run's train.TrainingHistory; seconds: its training time;
    progress: the ipywidgets.IntProgress bar; image: the picture of the figure.
    """

    def __init__(self, count: int = 64, seed: int = 0, redraws: int = 8):
        self.count, self.seed, self.redraws = count, seed, redraws
        style = slider_style() | {"continuous_update": False}  # retrain when the slider is released
        self.controls = {
            "task": widgets.Dropdown(
                options=[(TASK_LABELS[n], n) for n in tasks.TASK_NAMES],
                value="sine",
                description="task",
                style=style["style"],
                layout=widgets.Layout(width="420px"),
            ),
            "hidden_size": widgets.IntSlider(value=16, min=2, max=32, description="hidden size H", **style),
            "steps": widgets.IntSlider(
                value=20, min=5, max=50, step=5, description="sequence length T", **style
            ),
            "epochs": widgets.IntSlider(value=200, min=20, max=600, step=20, description="epochs", **style),
            "learning_rate": widgets.Dropdown(
                options=[
                    ("0.001", 0.001),
                    ("0.003", 0.003),
                    ("0.01 (the problem's)", rnn_core.LEARNING_RATE),
                    ("0.03", 0.03),
                    ("0.1", 0.1),
                    ("0.3", 0.3),
                ],
                value=rnn_core.LEARNING_RATE,
                description="learning rate",
                style=style["style"],
                layout=widgets.Layout(width="420px"),
            ),
        }
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="training", layout=widgets.Layout(width="420px")
        )
        self.status = widgets.Label(value="")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        names = list(self.controls)
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.controls[n] for n in names[:2]]),
                widgets.HBox([self.controls[n] for n in names[2:4]]),
                widgets.HBox([self.controls["learning_rate"], self.progress]),
                self.status,
                self.image,
            ]
        )
        self.figure = new_figure(13, 4.8)
        self.ax_loss, self.ax_pred = self.figure.subplots(1, 2, width_ratios=[1, 1.25])
        (self.loss_line,) = self.ax_loss.plot([], [], color=LINE_COLORS[0], linewidth=2.5)
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_minor_locator(mpl.ticker.NullLocator())  # decades only: fewer ticks to draw
        self.ax_loss.set_ylim(1e-3, 1e2)  # typical limits, so that the layout leaves room for the tick labels
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss per sequence")
        # A fixed title height: matplotlib otherwise measures every tick label at each draw to place it
        # (~50 ms).
        self.ax_loss.set_title("training loss (mean over sequences)", y=1.01)
        self.ax_loss.grid(True, alpha=0.3)
        (self.input_line,) = self.ax_pred.plot(
            [], [], color="#999999", marker=".", linewidth=1.5, label="input x_t"
        )
        (self.target_line,) = self.ax_pred.plot([], [], color="#000000", linewidth=2.5, label="target")
        (self.before_line,) = self.ax_pred.plot(
            [], [], "--", color=LINE_COLORS[5], linewidth=2, label="output before training"
        )
        (self.after_line,) = self.ax_pred.plot(
            [], [], color=LINE_COLORS[0], linewidth=2.5, label="output after training"
        )
        self.ax_pred.set_xlabel("time step t")
        self.ax_pred.set_ylabel("value")
        self.ax_pred.set_title("a sequence it was not trained on", y=1.01)
        self.ax_pred.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        self.history, self.seconds = None, 0.0
        self.figure.canvas.draw()  # constrained layout runs once, here ...
        self.figure.set_layout_engine("none")  # ... and the frame stays put afterwards (faster redraws)
        self.train()
        for control in self.controls.values():
            control.observe(self.train, names="value")

    def configure(self, **values) -> None:
        """Set several controls at once (name=value), then train once, e.g. lab.configure(task="echo",
        epochs=400)."""
        self._suspended = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._suspended = False
        self.train()

    def train(self, change=None) -> None:
        """Train a fresh SimpleRNN (the problem's initial weights, seed fixed) with the current controls."""
        if getattr(self, "_suspended", False):
            return
        v = self.values()
        X, Y = tasks.make_task(v["task"], v["steps"], self.count, seed=self.seed)
        X_test, Y_test = tasks.make_task(v["task"], v["steps"], 1, seed=self.seed + 1000)
        params = train.problem_init(1, v["hidden_size"], 1, seed=self.seed)
        before = rnn_core.forward_batch(params, X_test)[1][:, 0, 0]
        time = np.arange(v["steps"])
        self.input_line.set_data(time, X_test[:, 0, 0])
        self.target_line.set_data(time, Y_test[:, 0, 0])
        self.before_line.set_data(time, before)
        self.after_line.set_data([], [])
        self.loss_line.set_data([], [])
        self.ax_pred.set_xlim(-0.5, v["steps"] - 0.5)
        self._set_prediction_limits(X_test, Y_test, before)
        self.ax_loss.set_xlim(0, v["epochs"] + 1)
        # Fixed for the whole run (the frame is drawn once, then only the loss line): from the
        # untrained loss down by 10^4 (the echo task gets there), up by 10 (a too large learning rate).
        start_loss = rnn_core.bptt(params, X, Y)[0] / self.count
        self.ax_loss.set_ylim(start_loss * 1e-4, start_loss * 10)
        self.progress.max, self.progress.value = v["epochs"], 0
        every = max(1, v["epochs"] // self.redraws)
        tick = max(1, v["epochs"] // 50)
        canvas = self.figure.canvas
        canvas.draw()
        background = canvas.copy_from_bbox(self.figure.bbox)
        # Answer the click at once: the new run's starting picture (untrained output, no losses yet).
        self.status.value = f"training: {v['epochs']} epochs ..."
        self.image.value = rgba_to_png(np.asarray(canvas.buffer_rgba()))
        start = perf_counter()

        def show_progress(epoch, history):
            if (epoch + 1) % tick == 0 or epoch + 1 == v["epochs"]:
                self.progress.value = epoch + 1  # at most about 50 messages to the browser per run
            if (epoch + 1) % every == 0 and epoch + 1 < v["epochs"]:
                self._show_losses(history)
                self.status.value = f"epoch {epoch + 1} of {v['epochs']}, loss {history.losses[-1]:.4g}"
                canvas.restore_region(background)  # draw only the loss line on the stored frame
                self.figure.draw_artist(self.loss_line)
                self.image.value = rgba_to_png(np.asarray(canvas.buffer_rgba()))

        self.history = train.train(
            params, X, Y, v["epochs"], learning_rate=v["learning_rate"], callback=show_progress
        )
        self.seconds = perf_counter() - start
        self.params = params
        self._show_losses(self.history)
        with np.errstate(over="ignore", invalid="ignore"):
            after = (
                rnn_core.forward_batch(params, X_test)[1][:, 0, 0]
                if not self.history.stopped
                else np.full(v["steps"], np.nan)
            )
        self.after_line.set_data(time, after)
        self._set_prediction_limits(X_test, Y_test, before, after)
        losses = self.history.losses
        self.status.value = (
            self.history.stopped
            or f"done: {len(losses)} epochs in {self.seconds:.2f} s, loss {losses[0]:.4g} -> {losses[-1]:.4g}"
        )
        self.image.value = figure_png(self.figure)

    def _show_losses(self, history) -> None:
        losses = np.asarray(history.losses)
        low, high = self.ax_loss.get_ylim()
        self.loss_line.set_data(
            np.arange(1, len(losses) + 1), np.clip(losses, low, high)
        )  # overflow: drawn at the top

    def _set_prediction_limits(self, *series) -> None:
        values = np.concatenate([np.ravel(s) for s in series])
        values = values[np.isfinite(values)]
        pad = 0.1 * (np.ptp(values) + 1e-9)
        self.ax_pred.set_ylim(values.min() - pad, values.max() + pad)

    def render(self) -> None:
        """Draw the last run's figure in full (its axis limits change from run to run, so no blitting)."""
        self.figure.canvas.draw()


def training_lab(count: int = 64, seed: int = 0) -> TrainingLab:
    """Widget for notebook 05: pick task, hidden size, sequence length, epochs and learning rate; it trains
    a fresh SimpleRNN with plain SGD (train.train) and shows the loss curve and a progress bar live,
    then a prediction before and after training. count: training sequences; seed: data and weights."""
    return TrainingLab(count=count, seed=seed)


# --- 06: vanishing and exploding gradients ------------------------------------------------

LAG_YLIM = (1e-12, 1e6)  # fixed, so that the frame never moves: values outside are drawn at the edge


def lag_explorer(params: dict, X, Y, max_radius: float = 2.0):
    """Widget for notebook 06: ||dh_{T-1}/dh_t|| against the lag, with Pascanu et al.'s bound sigma_max^lag.

    params: rnn_core params; X (T, B, I), Y (T, B, O): a batch (dynamics.gradient_vs_lag).
    Controls: "radius" (W_hh rescaled to this spectral radius) and "input_scale" (X multiplied by it).
    Thin lines: each sequence; thick: their median; dashed: the bound; dotted: ||dL/dh_t|| (median).
    """
    X = np.asarray(X, dtype=float)
    figure = new_figure(12.5, 5.6)
    ax = figure.add_subplot()
    lags = np.arange(X.shape[0])
    from matplotlib.collections import LineCollection

    each = LineCollection([], colors=LINE_COLORS[0], linewidths=0.8, alpha=0.4)
    ax.add_collection(each)
    (median,) = ax.plot(
        lags,
        np.ones_like(lags, dtype=float),
        color=LINE_COLORS[0],
        linewidth=3.5,
        label="||dh_{T-1}/dh_t||  (median over sequences)",
    )
    (loss_line,) = ax.plot(
        lags,
        np.ones_like(lags, dtype=float),
        ":",
        color=LINE_COLORS[2],
        linewidth=3,
        label="||dL/dh_t||  (loss at the last step, median)",
    )
    (bound,) = ax.plot(
        lags,
        np.ones_like(lags, dtype=float),
        "--",
        color=LINE_COLORS[5],
        linewidth=2.5,
        label="bound sigma_max^lag  (Pascanu et al. 2013)",
    )
    ax.axhline(1.0, color="#666666", linewidth=1)
    ax.set_yscale("log")
    ax.set_ylim(*LAG_YLIM)
    ax.set_xlim(0, lags[-1])
    ax.set_xlabel("lag T-1-t (steps back from the end)")
    ax.set_ylabel("norm (log scale)")
    ax.set_title("How much h_t still matters at the end of the sequence")
    ax.legend(loc="lower left", fontsize=FONT_SIZE - 2)
    info = info_box(ax, x=0.99, y=0.03, va="bottom")

    def update(radius: float, input_scale: float) -> None:
        result = dynamics.gradient_vs_lag(dynamics.with_spectral_radius(params, radius), X * input_scale, Y)
        clipped = np.clip(result.jacobian_norms, *LAG_YLIM)
        each.set_segments([np.column_stack([lags, clipped[:, b]]) for b in range(clipped.shape[1])])
        median.set_ydata(np.median(clipped, axis=1))
        loss_line.set_ydata(np.clip(np.median(result.loss_grad_norms, axis=1), *LAG_YLIM))
        bound.set_ydata(np.clip(result.bound(), *LAG_YLIM))
        sigma = round(result.sigma_max, 2)  # as printed: 0.9999999 is shown, and judged, as 1.00
        if sigma < 1:
            verdict = "sigma_max < 1: vanishing is guaranteed"
        elif sigma == 1:
            verdict = "sigma_max = 1: the bound stays at 1"
        else:
            verdict = "sigma_max > 1: exploding is possible\n(necessary, not sufficient)"
        info.set_text(
            f"spectral radius rho = {result.radius:.2f}\nsigma_max(W_hh) = {result.sigma_max:.2f}\n"
            f"mean tanh slope 1 - h^2: {result.mean_slope:.2f}\n{verdict}"
        )

    controls = {
        "radius": widgets.FloatSlider(
            value=1.0,
            min=0.1,
            max=max_radius,
            step=0.05,
            description="spectral radius of W_hh",
            readout_format=".2f",
            **slider_style(),
        ),
        "input_scale": widgets.FloatLogSlider(
            value=1.0,
            base=10,
            min=-2,
            max=1,
            step=0.1,
            description="input scale",
            readout_format=".2f",
            **slider_style(),
        ),
    }
    return make_view(figure, controls, update, [each, median, loss_line, bound, info])


def clipping_explorer(grads: dict, thresholds=None):
    """Widget for notebook 06: clip one gradient by its norm and entry by entry; compare with the original.

    grads: name -> array (one gradient, e.g. from rnn_core.bptt). Control "threshold" (log slider).
    Left: every entry, clipped against original (a straight line through 0 = same direction).
    Right: cosine similarity to the original against the threshold, for both modes; the marker follows.
    """
    entries = np.concatenate([np.ravel(grads[n]) for n in rnn_core.PARAM_NAMES])
    norm = train.global_norm(grads)
    largest = float(np.max(np.abs(entries)))
    if thresholds is None:
        thresholds = np.geomspace(largest / 1e3, norm * 2, 60)
    cos_norm = [train.cosine_similarity(train.clip_gradients(grads, c, "norm"), grads) for c in thresholds]
    cos_value = [train.cosine_similarity(train.clip_gradients(grads, c, "value"), grads) for c in thresholds]

    figure = new_figure(13, 5.4)
    ax_scatter, ax_cos = figure.subplots(1, 2)
    limit = 1.05 * largest
    ax_scatter.plot([-limit, limit], [-limit, limit], color="#999999", linewidth=1)
    by_norm = ax_scatter.scatter(
        entries, entries, s=22, color=LINE_COLORS[0], label="norm clipping", zorder=3
    )
    by_value = ax_scatter.scatter(
        entries, entries, s=22, color=LINE_COLORS[5], marker="x", label="element-wise clipping", zorder=4
    )
    ax_scatter.set_xlim(-limit, limit)
    ax_scatter.set_ylim(-limit, limit)
    ax_scatter.set_xlabel("gradient entry, original")
    ax_scatter.set_ylabel("gradient entry, clipped")
    ax_scatter.set_title("Every entry of dL/dW, before and after")
    ax_scatter.legend(loc="upper left")

    ax_cos.plot(thresholds, cos_norm, color=LINE_COLORS[0], linewidth=3, label="norm clipping")
    ax_cos.plot(thresholds, cos_value, color=LINE_COLORS[5], linewidth=3, label="element-wise clipping")
    for position, label in ((largest, "largest |entry|"), (norm, "gradient norm")):
        # Past these thresholds nothing is clipped any more (element-wise / by norm).
        ax_cos.axvline(position, color="#666666", linewidth=1, linestyle=":")
        ax_cos.text(
            position,
            0.5,
            label + " ",
            rotation=90,
            ha="right",
            va="center",
            color="#444444",
            fontsize=FONT_SIZE - 3,
            transform=ax_cos.get_xaxis_transform(),
        )
    ax_cos.set_xscale("log")
    ax_cos.set_ylim(min(min(cos_value), 0.0) - 0.05, 1.05)
    ax_cos.set_xlabel("threshold (log scale)")
    ax_cos.set_ylabel("cosine similarity to the original")
    ax_cos.set_title("Direction kept?")
    ax_cos.legend(loc="lower right")
    marker = ax_cos.axvline(thresholds[0], color="#000000", linewidth=2.5)
    info = info_box(ax_scatter, x=0.98, y=0.04, va="bottom")

    def update(threshold: float) -> None:
        clipped_norm = train.clip_gradients(grads, threshold, "norm")
        clipped_value = train.clip_gradients(grads, threshold, "value")
        flat_norm = np.concatenate([np.ravel(clipped_norm[n]) for n in rnn_core.PARAM_NAMES])
        flat_value = np.concatenate([np.ravel(clipped_value[n]) for n in rnn_core.PARAM_NAMES])
        by_norm.set_offsets(np.column_stack([entries, flat_norm]))
        by_value.set_offsets(np.column_stack([entries, flat_value]))
        marker.set_xdata([threshold, threshold])
        info.set_text(
            f"threshold {threshold:.3g}\n"
            f"cosine, norm clipping: {train.cosine_similarity(clipped_norm, grads):.4f}\n"
            f"cosine, element-wise: {train.cosine_similarity(clipped_value, grads):.4f}"
        )

    controls = {
        "threshold": widgets.FloatLogSlider(
            value=float(np.sqrt(thresholds[0] * thresholds[-1])),
            base=10,
            min=float(np.log10(thresholds[0])),
            max=float(np.log10(thresholds[-1])),
            step=0.05,
            description="clipping threshold",
            readout_format=".3g",
            **slider_style(),
        ),
    }
    return make_view(figure, controls, update, [by_norm, by_value, marker, info])


# --- 07: hidden-state dynamics ------------------------------------------------------------


def trajectory_scrubber(params: dict, x, target, reference_states=None):
    """Widget for notebook 07: scrub through one input sequence; the hidden state moves along its trajectory.

    params: a trained rnn_core params dict (I = O = 1); x, target: (T,) one sequence.
    reference_states: (N, H) hidden states of a longer run, or None. The PCA directions are fitted to
    them (drawn as a faint grey cloud) and the sequence is projected onto them; by default PCA is
    fitted to the sequence's own states.
    Control "t". Panels: input, target and output over time (t marked); the hidden-state trajectory
    projected on two principal components (dynamics.pca_2d), the current h_t circled; every unit's
    activation over time as a heatmap (column t outlined); the units of h_t as bars.
    """
    x, target = np.ravel(x), np.ravel(target)
    steps = len(x)
    hiddens, outputs = rnn_core.forward_batch(params, x[:, None, None])
    states = hiddens[1:, 0, :]  # (T, H)
    cloud, components, mean, explained = dynamics.pca_2d(
        states if reference_states is None else reference_states
    )
    coords = (states - mean) @ components.T  # (T, 2)
    hidden_size = states.shape[1]

    figure = new_figure(13.5, 8.0)
    grid = figure.add_gridspec(2, 2, width_ratios=[1.5, 1], height_ratios=[1, 1.2])
    ax_seq, ax_pca = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
    ax_heat, ax_bars = figure.add_subplot(grid[1, 0]), figure.add_subplot(grid[1, 1])
    time = np.arange(steps)
    ax_seq.plot(time, x, color="#999999", marker="o", markersize=4, linewidth=1.5, label="input x_t")
    ax_seq.plot(time, target, color="#000000", linewidth=2.5, label="target")
    ax_seq.plot(time, outputs[:, 0, 0], "--", color=LINE_COLORS[0], linewidth=2.5, label="output y_t")
    seq_mark = ax_seq.axvline(0, color=LINE_COLORS[5], linewidth=3)
    ax_seq.set_xlim(-0.5, steps - 0.5)
    ax_seq.set_xlabel("time step t")
    ax_seq.set_ylabel("value")
    ax_seq.set_title("the sequence")
    low, high = min(x.min(), target.min(), outputs.min()), max(x.max(), target.max(), outputs.max())
    ax_seq.set_ylim(
        low - 0.55 * (high - low), high + 0.1 * (high - low)
    )  # room for the legend below the data
    ax_seq.legend(loc="lower center", ncols=3, fontsize=FONT_SIZE - 3)

    if reference_states is not None:
        ax_pca.scatter(cloud[:, 0], cloud[:, 1], s=12, color="#d0d0d0", zorder=0, label="a longer run")
    ax_pca.plot(coords[:, 0], coords[:, 1], color="#999999", linewidth=1, zorder=1)
    dots = ax_pca.scatter(coords[:, 0], coords[:, 1], c=time, cmap=SEQUENTIAL_CMAP, s=30, zorder=2)
    figure.colorbar(dots, ax=ax_pca, label="time step t")
    (current,) = ax_pca.plot(
        [coords[0, 0]],
        [coords[0, 1]],
        "o",
        markersize=16,
        markerfacecolor="none",
        markeredgecolor=LINE_COLORS[5],
        markeredgewidth=3.5,
        zorder=4,
    )
    ax_pca.set_xlabel(f"PC 1 ({100 * explained[0]:.0f}% of variance)")
    ax_pca.set_ylabel(f"PC 2 ({100 * explained[1]:.0f}%)")
    ax_pca.set_title("h_t in 2-D (PCA)")

    image = heatmap_over_time(
        ax_heat, states, "every hidden unit over time", "hidden unit", signed=True, limits=(-1, 1)
    )
    figure.colorbar(image, ax=ax_heat, label="h")
    heat_mark = column_marker(ax_heat, 0, hidden_size, color="#000000")

    bars = ax_bars.barh(np.arange(hidden_size), states[0], color=LINE_COLORS[0])
    ax_bars.set_xlim(-1.05, 1.05)
    ax_bars.set_ylim(hidden_size - 0.5, -0.5)  # unit 0 on top, as in the heatmap
    ax_bars.axvline(0, color="#666666", linewidth=1)
    ax_bars.set_xlabel("h_t (tanh: between -1 and 1)")
    ax_bars.set_ylabel("hidden unit")
    ax_bars.set_title("units at step t")
    info = info_box(ax_bars, x=0.98, y=0.02, va="bottom")

    def update(t: int) -> None:
        seq_mark.set_xdata([t, t])
        current.set_data([coords[t, 0]], [coords[t, 1]])
        heat_mark.set_x(t - 0.5)
        for bar, value in zip(bars, states[t]):
            bar.set_width(value)
            bar.set_color(LINE_COLORS[5] if value < 0 else LINE_COLORS[0])
        info.set_text(f"t = {t}\nx_t = {x[t]:+.2f}\ny_t = {outputs[t, 0, 0]:+.2f}")

    controls = {
        "t": widgets.IntSlider(value=0, min=0, max=steps - 1, description="time step t", **slider_style())
    }
    return make_view(figure, controls, update, [seq_mark, current, heat_mark, *bars, info])
