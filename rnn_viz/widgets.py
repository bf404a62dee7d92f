"""rnn_viz.widgets: the interactive figures. Every builder follows the WIDGET CONVENTION of rnn_viz.display:
it returns a view with `.widget`, `.figure` and `.controls`, and setting a control's value updates the figure.
"""

from __future__ import annotations

from time import perf_counter

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

import rnn_core
from rnn_lab import tasks, train
from rnn_lab.dynamics import saturated_fraction
from rnn_viz.display import (
    ShownAsWidget,
    WidgetView,
    make_view,
    new_figure,
    rgba_to_png,
    slider_style,
    styled_box,
)
from rnn_viz.language import tr
from rnn_viz.plots import (
    BACKWARD_VECTORS,
    PARAM_TEX,
    TASK_LABELS,
    VECTOR_LABELS,
    column_marker,
    contribution_grid,
    cover_before,
    heatmap_over_time,
    plot_tanh_saturation,
    pre_activations,
    running_sums,
)
from rnn_viz.style import (
    DIVERGING_CMAP,
    FONT_SIZE,
    LINE_COLORS,
    decade_limits,
    integer_time_axis,
    projector_style,
    styled,
    symmetric_limits,
)


def _forward_with_scale(params: dict, xs: np.ndarray, scale: float):
    """rnn_core's forward pass with W_hh multiplied by `scale` (the caller's params untouched)."""
    scaled = dict(params, W_hh=params["W_hh"] * scale)
    hiddens, outputs = rnn_core.forward_sequence(scaled, xs)
    return np.array(hiddens[1:]), np.array(outputs)  # (T, H, 1), (T, O, 1)


@styled
def forward_explorer(params: dict, x, max_scale: float = 4.0, input_labels=None) -> WidgetView:
    """Widget for notebook 01: scrub the time step t; scale W_hh and watch tanh saturate.

    params: rnn_core parameter dict (I, H, O);  x: T inputs (see rnn_core.as_sequence).
    input_labels: one legend label per input (default x_t[i]).
    Controls: "t" (0 .. T-1) and "W_hh_scale" (0 .. max_scale; 1 = the given W_hh).
    Panels: input x (current step marked), hidden states h (H x T heatmap, diverging colour map, column t
    outlined), prediction ŷ (current step marked), and tanh with the current step's units on it; under it, in
    its own panel (never over data), the current step and how many units are saturated.
    """
    input_size, hidden_size, output_size = rnn_core.check_params(params)
    xs = rnn_core.as_sequence(x, input_size, "x")  # (T, I, 1)
    steps = len(xs)
    figure = new_figure(12.5, 7.6)
    grid = figure.add_gridspec(3, 2, width_ratios=[2.2, 1], height_ratios=[1, 1.6, 1])
    ax_x, ax_h, ax_y = (figure.add_subplot(grid[row, 0]) for row in range(3))
    ax_tanh = figure.add_subplot(grid[:2, 1])
    ax_info = figure.add_subplot(grid[2, 1])
    ax_info.axis("off")
    time = np.arange(steps)

    if input_labels is None:
        input_labels = [rf"$x_t[{i}]$" for i in range(input_size)]
    if len(input_labels) != input_size:
        raise ValueError(f"input_labels has {len(input_labels)} labels, but there are {input_size} inputs.")
    for i in range(input_size):
        ax_x.plot(time, xs[:, i, 0], "-o", color=LINE_COLORS[i % 8], markersize=4, label=input_labels[i])
    x_mark = ax_x.axvline(0, color="#000000", linewidth=2.5)
    ax_x.set_title(tr(r"input $x_t$"))
    ax_x.set_ylabel(tr("value"))
    ax_x.set_xlim(-0.5, steps - 0.5)

    hiddens, outputs = _forward_with_scale(params, xs, 1.0)
    h_image = heatmap_over_time(
        ax_h, hiddens, tr(r"hidden state $h_t$ (column $t$ outlined)"), tr("hidden unit"), limits=(-1, 1)
    )
    # The colour bar sits in an inset right of the heatmap, so the three time panels keep the same
    # width and their time axes line up.
    figure.colorbar(h_image, cax=ax_h.inset_axes([1.02, 0.0, 0.025, 1.0]), label=tr(r"$h_t$ (no unit)"))
    h_mark = column_marker(ax_h, 0, hidden_size, color="#000000")

    # Fix the output panel's limits over the whole range of scales, so the axes never jump.
    y_range = np.concatenate(
        [_forward_with_scale(params, xs, s)[1].ravel() for s in np.linspace(0, max_scale, 9)]
    )
    pad = 0.1 * (np.ptp(y_range) + 1e-9)
    y_lines = [
        ax_y.plot(
            time, outputs[:, k, 0], "-", color=LINE_COLORS[k % 8], linewidth=2, label=rf"$\hat y_t[{k}]$"
        )[0]
        for k in range(output_size)
    ]
    (y_dots,) = ax_y.plot(
        np.zeros(output_size), outputs[0, :, 0], "o", color="#000000", markersize=10, zorder=4
    )
    ax_y.set_ylim(y_range.min() - pad, y_range.max() + pad)
    ax_y.set_xlim(-0.5, steps - 0.5)
    ax_y.set_title(tr(r"output: the prediction $\hat y_t$"))
    ax_y.set_xlabel(tr("time step $t$"))
    ax_y.set_ylabel(tr("value"))
    for ax in (ax_x, ax_y):
        ax.set_xticks(ax_h.get_xticks())
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # outside: never hides data

    tanh_marks = plot_tanh_saturation(ax_tanh)
    # A text in its own panel, not the title: a title's position is recomputed only on a full draw.
    tanh_info = ax_info.text(
        0.5,
        0.5,
        "",
        transform=ax_info.transAxes,
        ha="center",
        va="center",
        fontsize=FONT_SIZE,
        bbox=dict(facecolor="white", edgecolor="#999999"),
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
            tr(
                "dots: $h_t$ at $t$ = {t}\n$W_{{hh}}$ scaled by {scale:.2f}\n"
                "saturated ($|h| > 0.95$):\n{percent:.0f}% of all $h$",
                t=t,
                scale=W_hh_scale,
                percent=100 * saturated_fraction(hiddens),
            )
        )

    controls = {
        "t": widgets.IntSlider(
            value=0, min=0, max=steps - 1, description=tr("time step t"), **slider_style()
        ),
        "W_hh_scale": widgets.FloatSlider(
            value=1.0,
            min=0.0,
            max=max_scale,
            step=0.05,
            description=tr("scale of W_hh"),
            readout_format=".2f",
            **slider_style(),
        ),
    }
    dynamic = [x_mark, h_image, h_mark, *y_lines, y_dots, tanh_marks, tanh_info]
    return make_view(figure, controls, update, dynamic)


@styled
def backward_stepper(params: dict, x, y, step_back=None) -> WidgetView:
    """Widget for notebook 04: step the backward pass from t = T-1 down to 0.

    Control "t" (T-1 .. 0): the step BPTT has just processed. Left: dy, dh_next, dh, dh_raw for
    every step done so far (grey = not computed yet; column t outlined). Middle: each
    parameter's gradient term of every step done so far. Right: the running sums, i.e. every
    gradient as BPTT holds it after step t (at t = 0 these are rnn_core.gradients' grads).
    All values come from rnn_core.gradients' trace; colour limits are fixed over the whole pass, and each
    heatmap has its own colour bar (its own symmetric limits).

    step_back: your own one-step backward, with rnn_core.backward_step's arguments and result. BPTT then
    chains yours: the left and right columns show your values, and the middle column shows your term
    minus rnn_core's, so the time steps where your step departs stand out (zero, white, elsewhere).
    """
    _, _, trace = rnn_core.gradients(params, x, y)
    terms = {name: contribution_grid(trace, name) for name in rnn_core.PARAM_NAMES}  # (entries, T)

    def term_title(gradient: str) -> str:  # the middle column: BPTT's terms, or yours minus them
        if step_back is None:
            return tr("term of step $t$ in {gradient}", gradient=gradient)
        return tr("your term - rnn_core's, in {gradient}", gradient=gradient)

    if step_back is not None:
        trace = _trace_of_your_step(params, x, y, step_back, trace)
        terms = {name: contribution_grid(trace, name) - terms[name] for name in rnn_core.PARAM_NAMES}
    steps = len(trace.dy)
    vectors = {name: getattr(trace, name)[:, :, 0].T for name in BACKWARD_VECTORS}  # name -> (n, T)
    sums = {name: running_sums(trace.contributions[name]) for name in rnn_core.PARAM_NAMES}  # (T, *shape)

    figure = new_figure(12.5, 10.5)  # 1000 x 840 pixels: 14 panels, still under 50 ms per update
    # Columns 1 and 3 of `outer` are gaps: the colour bars' labels never sit against the next column.
    outer = figure.add_gridspec(1, 5, width_ratios=[1.2, 0.05, 1.2, 0.05, 1])

    def heights(grids):  # a panel's height grows with its rows (16 rows get room to be read)
        return [max(2, g.shape[0]) ** 0.75 + 1.5 for g in grids]

    left = outer[0].subgridspec(4, 1, height_ratios=heights(vectors.values()))
    middle = outer[2].subgridspec(5, 1, height_ratios=heights(terms.values()))
    right = outer[4].subgridspec(5, 1, height_ratios=heights([params[n] for n in rnn_core.PARAM_NAMES]))

    # The heatmaps of the left and middle columns hold the whole trace and never change; a grey
    # cover hides the steps not computed yet, and a box marks step t.
    covers, markers = [], []
    for row, name in enumerate(BACKWARD_VECTORS):
        ax = figure.add_subplot(left[row])
        image = heatmap_over_time(ax, vectors[name].T, tr(VECTOR_LABELS[name]), tr("unit"))
        _step_colour_bar(figure, image, ax)
        covers.append(cover_before(ax, steps - 1, vectors[name].shape[0]))
        markers.append(column_marker(ax, steps - 1, vectors[name].shape[0]))
        if row < 3:
            ax.set_xlabel("")
    for row, name in enumerate(rnn_core.PARAM_NAMES):
        ax = figure.add_subplot(middle[row])
        image = heatmap_over_time(ax, terms[name].T, term_title(PARAM_TEX[name]), tr("entry"))
        _step_colour_bar(figure, image, ax)
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
        _step_colour_bar(figure, image, ax)
        ax.set_title(
            tr(
                "{gradient} so far ({rows}x{columns})",
                gradient=PARAM_TEX[name],
                rows=shape[0],
                columns=shape[1],
            ),
            fontsize=FONT_SIZE,
        )
        ax.set_xticks(range(shape[1]) if shape[1] <= 4 else range(0, shape[1], 4))
        ax.set_yticks(range(shape[0]) if shape[0] <= 4 else range(0, shape[0], 4))
        sum_images[name] = image
    figure.suptitle(
        tr(
            "BPTT from $t$ = {last} down to 0   (grey: not computed yet; black box: step $t$;"
            "\ncolours: blue < 0 < red, no unit; each panel on the left and in the middle has its own scale)",
            last=steps - 1,
        )
    )

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
            description=tr("backward pass at step t (drag right to left)"),
            **slider_style(),
        )
    }
    controls["t"].layout.width = "600px"
    dynamic = [*covers, *markers, *sum_images.values()]
    # The still picture (no widgets): half-way through the pass, the computed and the waiting steps.
    return make_view(figure, controls, update, dynamic, still={"t": steps // 2})


def _step_colour_bar(figure, image, ax) -> None:
    """The backward stepper's colour bar right of `ax`: every panel has its own symmetric scale, so each
    heatmap gets its own bar, with three ticks (-m, 0, m rounded) to keep it narrow."""
    # An inset of fixed width: figure.colorbar(ax=ax) would size each bar by its panel's height.
    bar = figure.colorbar(image, cax=ax.inset_axes([1.03, 0.0, 0.04, 1.0]), label=tr("(no unit)"))
    if np.any(image.get_array()):
        bar.set_ticks(mpl.ticker.MaxNLocator(nbins=2, symmetric=True))
    else:  # all zero (your step agrees with rnn_core's there): one tick, no "1e-12" scale to puzzle over
        bar.set_ticks([0])


def _trace_of_your_step(params, x, y, step_back, reference):
    """rnn_core's BPTT trace with the student's one-step backward chained instead of rnn_core's.

    Checks what step_back returns at every step (it must look like rnn_core.StepGradients, with the
    shapes of rnn_core's own), so that a mistake is reported in words rather than as a broken picture.
    """
    fields = ("dh", "dh_raw", "dh_prev", "dW_xh", "dW_hh", "dW_hy", "db_h", "db_y")
    shapes = {name: getattr(reference, name)[0].shape for name in ("dh", "dh_raw")}
    shapes.update({"dh_prev": shapes["dh"]})
    shapes.update({"d" + name: params[name].shape for name in rnn_core.PARAM_NAMES})

    def checked(*args):
        result = step_back(*args)
        missing = [name for name in fields if not hasattr(result, name)]
        if missing:
            raise TypeError(
                f"your step_back returned a {type(result).__name__} without {', '.join(missing)}: "
                "it must return rnn_core.StepGradients(dh, dh_raw, dh_prev, dW_xh, dW_hh, dW_hy, db_h, db_y) "
                "as rnn_core.backward_step does."
            )
        for name in fields:
            if np.shape(getattr(result, name)) != shapes[name]:
                raise ValueError(
                    f"your step_back's {name} has shape {np.shape(getattr(result, name))}, but it must have "
                    f"shape {shapes[name]}, like rnn_core.backward_step's."
                )
        return result

    return rnn_core.gradients(params, x, y, step_back=checked)[2]


class TrainingLab(ShownAsWidget):
    """Live-training widget for notebook 05 (see `training_lab`).

    widget, figure, controls: as in the WIDGET CONVENTION; changing a control retrains from scratch,
    synchronously. history: the last run's train.TrainingHistory; seconds: its training time;
    progress: the ipywidgets.IntProgress bar; image: the picture of the figure.
    """

    def __init__(self, count: int = 64, seed: int = 0, redraws: int = 8):
        with projector_style():
            self._build(count, seed, redraws)

    def _build(self, count: int, seed: int, redraws: int) -> None:
        self.count, self.seed, self.redraws = count, seed, redraws
        style = slider_style() | {"continuous_update": False}  # retrain when the slider is released
        self.controls = {
            "task": widgets.Dropdown(
                options=[(tr(TASK_LABELS[n]), n) for n in tasks.TASK_NAMES],
                value="sine",
                description=tr("task"),
                style=style["style"],
                layout=widgets.Layout(width="460px"),
            ),
            "hidden_size": widgets.IntSlider(
                value=16, min=2, max=32, description=tr("hidden size H"), **style
            ),
            "steps": widgets.IntSlider(
                value=20, min=5, max=50, step=5, description=tr("sequence length T"), **style
            ),
            "epochs": widgets.IntSlider(
                value=200, min=20, max=600, step=20, description=tr("epochs"), **style
            ),
            "learning_rate": widgets.Dropdown(
                options=[
                    ("0.001", 0.001),
                    ("0.003", 0.003),
                    (tr("0.01 (the problem's)"), rnn_core.LEARNING_RATE),
                    ("0.03", 0.03),
                    ("0.1", 0.1),
                    ("0.3", 0.3),
                ],
                value=rnn_core.LEARNING_RATE,
                description=tr("learning rate"),
                style=style["style"],
                layout=widgets.Layout(width="460px"),
            ),
        }
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description=tr("training"), layout=widgets.Layout(width="460px")
        )
        self.status = widgets.Label(value="")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        names = list(self.controls)
        self.widget = styled_box(
            [
                widgets.HBox([self.controls[n] for n in names[:2]]),
                widgets.HBox([self.controls[n] for n in names[2:4]]),
                widgets.HBox([self.controls["learning_rate"], self.progress]),
                self.status,
                self.image,
            ]
        )
        self.figure = new_figure(12.5, 4.9)
        self.ax_loss, self.ax_pred = self.figure.subplots(1, 2, width_ratios=[1, 1.25])
        (self.loss_line,) = self.ax_loss.plot([], [], color=LINE_COLORS[0], linewidth=2.5)
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_minor_locator(mpl.ticker.NullLocator())  # decades only: fewer ticks to draw
        self.ax_loss.set_ylim(1e-3, 1e2)  # typical limits, so that the layout leaves room for the tick labels
        self.ax_loss.set_xlabel(tr("epoch"))
        self.ax_loss.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5, integer=True))
        self.ax_loss.set_ylabel(tr("loss per sequence"))
        # A fixed title height: matplotlib otherwise measures every tick label at each draw to place it
        # (~50 ms).
        self.ax_loss.set_title(tr("training loss (mean over sequences)"), y=1.01)
        self.ax_loss.grid(True, alpha=0.3)
        (self.input_line,) = self.ax_pred.plot(
            [], [], color="#999999", marker=".", linewidth=1.5, label=tr("input $x_t$")
        )
        (self.target_line,) = self.ax_pred.plot([], [], color="#000000", linewidth=2.5, label=tr("target"))
        (self.before_line,) = self.ax_pred.plot(
            [], [], "--", color=LINE_COLORS[5], linewidth=2, label=tr("output before training")
        )
        (self.after_line,) = self.ax_pred.plot(
            [], [], color=LINE_COLORS[0], linewidth=2.5, label=tr("output after training")
        )
        self.ax_pred.set_xlabel(tr("time step $t$"))
        integer_time_axis(self.ax_pred)
        self.ax_pred.set_ylabel(tr("value"))
        self.ax_pred.set_title(tr("a sequence it was not trained on"), y=1.01)
        self.ax_pred.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        self.history, self.seconds = None, 0.0
        # Only these move; the frame under them (axes, ticks, labels, legend) is drawn once per set of
        # axis limits and kept (self._frames), so a change that keeps the limits (the learning rate, or
        # going back to a setting seen before) is answered without a full draw.
        self._lines = [self.input_line, self.target_line, self.before_line, self.after_line, self.loss_line]
        self._frames = {}
        with projector_style():
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
        # The untrained losses of all three tasks set it, not only this task's: a change of task alone
        # then finds its starting frame stored and answers without a full draw (about 100 ms less).
        starts = [
            rnn_core.bptt(params, *tasks.make_task(name, v["steps"], self.count, seed=self.seed))[0]
            for name in tasks.TASK_NAMES
        ]
        self.ax_loss.set_ylim(*decade_limits(min(starts) / self.count * 1e-4, max(starts) / self.count * 10))
        self.progress.max, self.progress.value = v["epochs"], 0
        every = max(1, v["epochs"] // self.redraws)
        tick = max(1, v["epochs"] // 50)
        # Answer the click at once: the new run's starting picture (untrained output, no losses yet).
        self.status.value = tr("training: {epochs} epochs ...", epochs=v["epochs"])
        self.image.value = self._picture()
        start = perf_counter()

        def show_progress(epoch, history):
            if (epoch + 1) % tick == 0 or epoch + 1 == v["epochs"]:
                self.progress.value = epoch + 1  # at most about 50 messages to the browser per run
            if (epoch + 1) % every == 0 and epoch + 1 < v["epochs"]:
                self._show_losses(history)
                self.status.value = tr(
                    "epoch {epoch} of {epochs}, loss {loss:.4g}",
                    epoch=epoch + 1,
                    epochs=v["epochs"],
                    loss=history.losses[-1],
                )
                self.image.value = self._picture()  # the stored frame and the lines on it

        self.history = train.train(
            params, X, Y, v["epochs"], learning_rate=v["learning_rate"], callback=show_progress
        )
        self.seconds = perf_counter() - start
        self.params = params
        # The finished curve fills the panel: whole decades around it (so at least two labelled ticks).
        shown = np.clip(self.history.losses, *self.ax_loss.get_ylim())
        run_low, run_high = self.ax_loss.get_ylim()
        low, high = decade_limits(np.min(shown) / 1.5, np.max(shown) * 1.5)
        self.ax_loss.set_ylim(max(low, run_low), min(high, run_high))
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
        self.status.value = self.history.stopped or tr(
            "done: {epochs} epochs in {seconds:.2f} s, loss {first:.4g} -> {last:.4g}",
            epochs=len(losses),
            seconds=self.seconds,
            first=losses[0],
            last=losses[-1],
        )
        self.image.value = self._picture()

    def _draw(self) -> None:
        """Bring the canvas up to date: the stored frame for the current axis limits, then the lines."""
        canvas = self.figure.canvas
        key = (
            self.ax_loss.get_xlim(),
            self.ax_loss.get_ylim(),
            self.ax_pred.get_xlim(),
            self.ax_pred.get_ylim(),
        )
        if key not in self._frames:
            if len(self._frames) >= 32:
                self._frames.pop(next(iter(self._frames)))  # the oldest
            for line in self._lines:
                line.set_visible(False)
            canvas.draw()
            self._frames[key] = canvas.copy_from_bbox(self.figure.bbox)
            for line in self._lines:
                line.set_visible(True)
        canvas.restore_region(self._frames[key])
        for line in self._lines:
            self.figure.draw_artist(line)

    def _picture(self) -> bytes:
        self._draw()
        return rgba_to_png(np.asarray(self.figure.canvas.buffer_rgba()))

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
        # Rounded out to halves: runs with about the same range share one stored frame (the sine and the
        # echo tasks' starting pictures both get -1.5 to 1.5).
        self.ax_pred.set_ylim(np.floor(2 * (values.min() - pad)) / 2, np.ceil(2 * (values.max() + pad)) / 2)

    def render(self) -> None:
        """Bring the canvas up to date with the last run (the stored frame and the lines)."""
        self._draw()


def training_lab(count: int = 64, seed: int = 0) -> TrainingLab:
    """Widget for notebook 05: pick task, hidden size, sequence length, epochs and learning rate; it trains
    a fresh SimpleRNN with plain SGD (train.train) and shows the loss curve and a progress bar live,
    then a prediction before and after training. count: training sequences; seed: data and weights."""
    return TrainingLab(count=count, seed=seed)
