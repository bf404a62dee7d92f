"""rnn_viz: pictures of an RNN at work, for the notebooks.

Pure plotting functions take arrays (usually from rnn_core) and return matplotlib figures or
axes; thin ipywidgets wrappers add controls on top of them. Notebooks only call these.

Conventions (one place for all of them):
- figures are read on a projector: fonts of at least 12 pt (see `use_projector_style`);
- colour maps are colour-blind safe: SEQUENTIAL_CMAP for magnitudes, DIVERGING_CMAP centred at
  zero with symmetric limits (`symmetric_limits`) for signed quantities such as gradients;
- line colours come from the Okabe-Ito palette (LINE_COLORS), which colour-blind readers can tell apart.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

SEQUENTIAL_CMAP = "viridis"  # perceptually uniform and colour-blind safe
DIVERGING_CMAP = "RdBu_r"  # ColorBrewer's red-blue: colour-blind safe; blue < 0 < red
LINE_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]  # Okabe-Ito
FONT_SIZE = 14


def use_projector_style() -> None:
    """Large fonts and the colour-blind-safe line colours for every figure that follows."""
    mpl.rcParams.update(
        {
            "font.size": FONT_SIZE,
            "axes.titlesize": FONT_SIZE + 2,
            "axes.labelsize": FONT_SIZE,
            "xtick.labelsize": FONT_SIZE - 2,
            "ytick.labelsize": FONT_SIZE - 2,
            "legend.fontsize": FONT_SIZE - 2,
            "axes.prop_cycle": mpl.cycler(color=LINE_COLORS),
            "figure.dpi": 100,
        }
    )


def symmetric_limits(values, floor: float = 1e-12) -> tuple[float, float]:
    """(-m, m) with m the largest |value|, so a diverging colour map puts zero in its neutral middle."""
    largest = max(float(np.max(np.abs(values))), floor)
    return -largest, largest


# ---------------------------------------------------------------------------
# Notebooks 01-04: forward pass, loss, one step back, BPTT
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Notebooks 05-07: training, vanishing and exploding gradients, hidden-state dynamics
# ---------------------------------------------------------------------------
#
# Builders follow the WIDGET CONVENTION of the section above (`.widget`, `.figure`, `.controls`;
# setting a control's value updates the figure's artists at once). Static plots take arrays from
# rnn_core section 9 and draw on a given Axes.

import base64
import time as _time

import ipywidgets as _widgets

import rnn_core as _core

if "_make_view" not in globals():  # pragma: no cover - TEMPORARY until the section above lands on main
    import io as _io
    from dataclasses import dataclass as _dataclass

    from matplotlib.backends.backend_agg import FigureCanvasAgg as _Canvas
    from matplotlib.figure import Figure as _Figure
    from matplotlib.patches import Rectangle as _Rectangle

    def new_figure(width, height, dpi=90):
        figure = _Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        _Canvas(figure)
        return figure

    def _rgba_to_png(rgba):
        from PIL import Image

        buffer = _io.BytesIO()
        Image.fromarray(np.ascontiguousarray(rgba)).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def figure_png(figure):
        figure.canvas.draw()
        return _rgba_to_png(np.asarray(figure.canvas.buffer_rgba()))

    @_dataclass
    class WidgetView:
        widget: object
        figure: object
        controls: dict
        image: object
        _update: object
        _dynamic: list

        def refresh(self, change=None):
            self._update(**{name: c.value for name, c in self.controls.items()})
            self.image.value = figure_png(self.figure)

        def _repr_mimebundle_(self, include=None, exclude=None):
            bundle = self.widget._repr_mimebundle_()
            bundle["text/plain"] = f"[interactive widget: {', '.join(self.controls)}]"
            bundle["image/png"] = __import__("base64").b64encode(bytes(self.image.value)).decode("ascii")
            return bundle

    def _make_view(figure, controls, update, dynamic):
        image = _widgets.Image(format="png")
        view = WidgetView(_widgets.VBox([_widgets.HBox(list(controls.values())), image]), figure, controls, image, update, dynamic)
        view.refresh()
        for control in controls.values():
            control.observe(view.refresh, names="value")
        return view

    def _slider_style():
        return {"style": {"description_width": "initial"}, "layout": _widgets.Layout(width="420px"), "continuous_update": True}

    def _column_marker(ax, column, rows, color="#000000"):
        marker = _Rectangle((column - 0.5, -0.5), 1, rows, fill=False, edgecolor=color, linewidth=3, zorder=5)
        ax.add_patch(marker)
        return marker

    def heatmap_over_time(ax, values, title, ylabel, signed=True, limits=None):
        grid = np.asarray(values, dtype=float).reshape(len(values), -1).T
        cmap = DIVERGING_CMAP if signed else SEQUENTIAL_CMAP
        image = ax.imshow(grid, aspect="auto", cmap=cmap, vmin=limits[0], vmax=limits[1], interpolation="nearest")
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("time step t")
        return image


TASK_LABELS = {
    "sine": "noisy sine: predict the next value",
    "echo": "echo: repeat the bit from 2 steps ago",
    "sum": "running sum of all inputs so far",
}


def _info_box(ax, x=0.98, y=0.96, ha="right", va="top"):
    """A text box inside the axes (a title would only move on a full redraw)."""
    return ax.text(x, y, "", transform=ax.transAxes, ha=ha, va=va, fontsize=FONT_SIZE - 1, zorder=6,
                   bbox=dict(facecolor="white", edgecolor="#999999", alpha=0.9))


# --- 05: training --------------------------------------------------------------------------


def plot_loss_curves(ax, histories: dict, title: str = "training loss"):
    """One loss-per-epoch line per entry of histories (label -> rnn_core.TrainingHistory), log scale."""
    for k, (label, history) in enumerate(histories.items()):
        epochs = np.arange(1, len(history.losses) + 1)
        suffix = " (overflowed)" if history.stopped else ""
        losses = np.clip(history.losses, None, 1e12)  # an overflowing run is drawn up to 1e12, then stops
        ax.plot(epochs, losses, color=LINE_COLORS[k % len(LINE_COLORS)], linewidth=2.5, label=f"{label}{suffix}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss per sequence")
    ax.set_title(title)
    ax.legend()
    ax.grid(True, which="major", alpha=0.3)
    return ax


def plot_prediction(ax, x, target, outputs: dict, title: str = "one sequence"):
    """Input, target and model outputs over time for one sequence.  x, target (T,); outputs: label -> (T,)"""
    time = np.arange(len(x))
    ax.plot(time, x, color="#999999", linewidth=1.5, marker=".", label="input x_t")
    ax.plot(time, target, color="#000000", linewidth=2.5, label="target")
    styles = ["--", "-"]
    for k, (label, values) in enumerate(outputs.items()):
        ax.plot(time, values, styles[k % 2], color=LINE_COLORS[(k + 5) % len(LINE_COLORS)] if k == 0 else LINE_COLORS[0],
                linewidth=2.5, label=label)
    ax.set_xlabel("time step t")
    ax.set_ylabel("value")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


class TrainingLab:
    """Live-training widget for notebook 05 (see `training_lab`).

    widget, figure, controls: as in the WIDGET CONVENTION; changing a control retrains from scratch,
    synchronously. history: the last run's rnn_core.TrainingHistory; seconds: its training time;
    progress: the ipywidgets.IntProgress bar; image: the picture of the figure.
    """

    def __init__(self, count: int = 64, seed: int = 0, redraws: int = 8):
        self.count, self.seed, self.redraws = count, seed, redraws
        style = _slider_style() | {"continuous_update": False}  # retrain when the slider is released
        self.controls = {
            "task": _widgets.Dropdown(options=[(TASK_LABELS[n], n) for n in _core.TASK_NAMES], value="sine",
                                      description="task", style=style["style"], layout=_widgets.Layout(width="420px")),
            "hidden_size": _widgets.IntSlider(value=16, min=2, max=32, description="hidden size H", **style),
            "steps": _widgets.IntSlider(value=20, min=5, max=50, step=5, description="sequence length T", **style),
            "epochs": _widgets.IntSlider(value=200, min=20, max=600, step=20, description="epochs", **style),
            "learning_rate": _widgets.Dropdown(
                options=[("0.001", 0.001), ("0.003", 0.003), ("0.01 (the problem's)", _core.LEARNING_RATE), ("0.03", 0.03), ("0.1", 0.1), ("0.3", 0.3)],
                value=_core.LEARNING_RATE, description="learning rate", style=style["style"], layout=_widgets.Layout(width="420px")),
        }
        self.progress = _widgets.IntProgress(value=0, min=0, max=1, description="training", layout=_widgets.Layout(width="420px"))
        self.status = _widgets.Label(value="")
        self.image = _widgets.Image(format="png", layout=_widgets.Layout(max_width="100%", height="auto"))
        names = list(self.controls)
        self.widget = _widgets.VBox([
            _widgets.HBox([self.controls[n] for n in names[:2]]),
            _widgets.HBox([self.controls[n] for n in names[2:4]]),
            _widgets.HBox([self.controls["learning_rate"], self.progress]),
            self.status, self.image,
        ])
        self.figure = new_figure(13, 4.8)
        self.ax_loss, self.ax_pred = self.figure.subplots(1, 2, width_ratios=[1, 1.25])
        (self.loss_line,) = self.ax_loss.plot([], [], color=LINE_COLORS[0], linewidth=2.5)
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_ylim(1e-3, 1e2)  # typical limits, so that the layout leaves room for the tick labels
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss per sequence")
        self.ax_loss.set_title("training loss (mean over sequences)")
        self.ax_loss.grid(True, alpha=0.3)
        (self.input_line,) = self.ax_pred.plot([], [], color="#999999", marker=".", linewidth=1.5, label="input x_t")
        (self.target_line,) = self.ax_pred.plot([], [], color="#000000", linewidth=2.5, label="target")
        (self.before_line,) = self.ax_pred.plot([], [], "--", color=LINE_COLORS[5], linewidth=2, label="output before training")
        (self.after_line,) = self.ax_pred.plot([], [], color=LINE_COLORS[0], linewidth=2.5, label="output after training")
        self.ax_pred.set_xlabel("time step t")
        self.ax_pred.set_ylabel("value")
        self.ax_pred.set_title("a sequence it was not trained on")
        self.ax_pred.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        self.history, self.seconds = None, 0.0
        self.figure.canvas.draw()  # constrained layout runs once, here ...
        self.figure.set_layout_engine("none")  # ... and the frame stays put afterwards (faster redraws)
        self.train()
        for control in self.controls.values():
            control.observe(self.train, names="value")

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def configure(self, **values) -> None:
        """Set several controls at once (name=value), then train once, e.g. lab.configure(task="echo", epochs=400)."""
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
        X, Y = _core.make_task(v["task"], v["steps"], self.count, seed=self.seed)
        X_test, Y_test = _core.make_task(v["task"], v["steps"], 1, seed=self.seed + 1000)
        params = _core.problem_init(1, v["hidden_size"], 1, seed=self.seed)
        before = _core.forward_batch(params, X_test)[1][:, 0, 0]
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
        start_loss = _core.bptt(params, X, Y)[0] / self.count
        self.ax_loss.set_ylim(start_loss * 1e-4, start_loss * 10)
        self.progress.max, self.progress.value = v["epochs"], 0
        every = max(1, v["epochs"] // self.redraws)
        canvas = self.figure.canvas
        canvas.draw()
        background = canvas.copy_from_bbox(self.figure.bbox)
        start = _time.perf_counter()

        def show_progress(epoch, history):
            self.progress.value = epoch + 1
            if (epoch + 1) % every == 0 and epoch + 1 < v["epochs"]:
                self._show_losses(history)
                self.status.value = f"epoch {epoch + 1} of {v['epochs']}, loss {history.losses[-1]:.4g}"
                canvas.restore_region(background)  # draw only the loss line on the stored frame
                self.figure.draw_artist(self.loss_line)
                self.image.value = _rgba_to_png(np.asarray(canvas.buffer_rgba()))

        self.history = _core.train(params, X, Y, v["epochs"], learning_rate=v["learning_rate"], callback=show_progress)
        self.seconds = _time.perf_counter() - start
        self.params = params
        self._show_losses(self.history)
        with np.errstate(over="ignore", invalid="ignore"):
            after = _core.forward_batch(params, X_test)[1][:, 0, 0] if not self.history.stopped else np.full(v["steps"], np.nan)
        self.after_line.set_data(time, after)
        self._set_prediction_limits(X_test, Y_test, before, after)
        losses = self.history.losses
        self.status.value = (self.history.stopped or
                             f"done: {len(losses)} epochs in {self.seconds:.2f} s, loss {losses[0]:.4g} -> {losses[-1]:.4g}")
        self.image.value = figure_png(self.figure)

    def _show_losses(self, history) -> None:
        losses = np.asarray(history.losses)
        low, high = self.ax_loss.get_ylim()
        self.loss_line.set_data(np.arange(1, len(losses) + 1), np.clip(losses, low, high))  # overflow: drawn at the top

    def _set_prediction_limits(self, *series) -> None:
        values = np.concatenate([np.ravel(s) for s in series])
        values = values[np.isfinite(values)]
        pad = 0.1 * (np.ptp(values) + 1e-9)
        self.ax_pred.set_ylim(values.min() - pad, values.max() + pad)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = f"[interactive widget: {', '.join(self.controls)}] run this notebook in Jupyter to train live"
        bundle["image/png"] = base64.b64encode(figure_png(self.figure)).decode("ascii")  # a still for front ends without widgets
        return bundle


def training_lab(count: int = 64, seed: int = 0) -> TrainingLab:
    """Widget for notebook 05: pick task, hidden size, sequence length, epochs and learning rate; it trains
    a fresh SimpleRNN with plain SGD (rnn_core.train) and shows the loss curve and a progress bar live,
    then a prediction before and after training. count: training sequences; seed: data and weights."""
    return TrainingLab(count=count, seed=seed)


# --- 06: vanishing and exploding gradients ------------------------------------------------

LAG_YLIM = (1e-12, 1e6)  # fixed, so that the frame never moves: values outside are drawn at the edge


def lag_explorer(params: dict, X, Y, max_radius: float = 2.0):
    """Widget for notebook 06: ||dh_{T-1}/dh_t|| against the lag, with Pascanu et al.'s bound sigma_max^lag.

    params: rnn_core params; X (T, B, I), Y (T, B, O): a batch (rnn_core.gradient_vs_lag).
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
    (median,) = ax.plot(lags, np.ones_like(lags, dtype=float), color=LINE_COLORS[0], linewidth=3.5, label="||dh_{T-1}/dh_t||  (median over sequences)")
    (loss_line,) = ax.plot(lags, np.ones_like(lags, dtype=float), ":", color=LINE_COLORS[2], linewidth=3, label="||dL/dh_t||  (loss at the last step, median)")
    (bound,) = ax.plot(lags, np.ones_like(lags, dtype=float), "--", color=LINE_COLORS[5], linewidth=2.5, label="bound sigma_max^lag  (Pascanu et al. 2013)")
    ax.axhline(1.0, color="#666666", linewidth=1)
    ax.set_yscale("log")
    ax.set_ylim(*LAG_YLIM)
    ax.set_xlim(0, lags[-1])
    ax.set_xlabel("lag T-1-t (steps back from the end)")
    ax.set_ylabel("norm (log scale)")
    ax.set_title("How much h_t still matters at the end of the sequence")
    ax.legend(loc="lower left", fontsize=FONT_SIZE - 2)
    info = _info_box(ax, x=0.99, y=0.03, va="bottom")

    def update(radius: float, input_scale: float) -> None:
        result = _core.gradient_vs_lag(_core.with_spectral_radius(params, radius), X * input_scale, Y)
        clipped = np.clip(result.jacobian_norms, *LAG_YLIM)
        each.set_segments([np.column_stack([lags, clipped[:, b]]) for b in range(clipped.shape[1])])
        median.set_ydata(np.median(clipped, axis=1))
        loss_line.set_ydata(np.clip(np.median(result.loss_grad_norms, axis=1), *LAG_YLIM))
        bound.set_ydata(np.clip(result.bound(), *LAG_YLIM))
        if result.sigma_max < 1:
            verdict = "sigma_max < 1: vanishing is guaranteed"
        else:
            verdict = "sigma_max >= 1: exploding is possible\n(necessary, not sufficient)"
        info.set_text(f"spectral radius rho = {result.radius:.2f}\nsigma_max(W_hh) = {result.sigma_max:.2f}\n"
                      f"mean tanh slope 1 - h^2: {result.mean_slope:.2f}\n{verdict}")

    controls = {
        "radius": _widgets.FloatSlider(value=1.0, min=0.1, max=max_radius, step=0.05, description="spectral radius of W_hh",
                                       readout_format=".2f", **_slider_style()),
        "input_scale": _widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1, step=0.1, description="input scale",
                                               readout_format=".2f", **_slider_style()),
    }
    return _make_view(figure, controls, update, [each, median, loss_line, bound, info])


def clipping_explorer(grads: dict, thresholds=None):
    """Widget for notebook 06: clip one gradient by its norm and entry by entry; compare with the original.

    grads: name -> array (one gradient, e.g. from rnn_core.bptt). Control "threshold" (log slider).
    Left: every entry, clipped against original (a straight line through 0 = same direction).
    Right: cosine similarity to the original against the threshold, for both modes; the marker follows.
    """
    entries = np.concatenate([np.ravel(grads[n]) for n in _core.PARAM_NAMES])
    norm = _core.global_norm(grads)
    largest = float(np.max(np.abs(entries)))
    if thresholds is None:
        thresholds = np.geomspace(largest / 1e3, norm * 2, 60)
    cos_norm = [_core.cosine_similarity(_core.clip_gradients(grads, c, "norm"), grads) for c in thresholds]
    cos_value = [_core.cosine_similarity(_core.clip_gradients(grads, c, "value"), grads) for c in thresholds]

    figure = new_figure(13, 5.4)
    ax_scatter, ax_cos = figure.subplots(1, 2)
    limit = 1.05 * largest
    ax_scatter.plot([-limit, limit], [-limit, limit], color="#999999", linewidth=1)
    by_norm = ax_scatter.scatter(entries, entries, s=22, color=LINE_COLORS[0], label="norm clipping", zorder=3)
    by_value = ax_scatter.scatter(entries, entries, s=22, color=LINE_COLORS[5], marker="x", label="element-wise clipping", zorder=4)
    ax_scatter.set_xlim(-limit, limit)
    ax_scatter.set_ylim(-limit, limit)
    ax_scatter.set_xlabel("gradient entry, original")
    ax_scatter.set_ylabel("gradient entry, clipped")
    ax_scatter.set_title("Every entry of dL/dW, before and after")
    ax_scatter.legend(loc="upper left")

    ax_cos.plot(thresholds, cos_norm, color=LINE_COLORS[0], linewidth=3, label="norm clipping")
    ax_cos.plot(thresholds, cos_value, color=LINE_COLORS[5], linewidth=3, label="element-wise clipping")
    ax_cos.axvline(norm, color="#666666", linewidth=1, linestyle=":")
    ax_cos.axvline(largest, color="#666666", linewidth=1, linestyle=":")
    ax_cos.set_xscale("log")
    ax_cos.set_ylim(min(min(cos_value), 0.0) - 0.05, 1.05)
    ax_cos.set_xlabel("threshold (log scale)")
    ax_cos.set_ylabel("cosine similarity to the original")
    ax_cos.set_title("Direction kept?")
    ax_cos.legend(loc="lower right")
    marker = ax_cos.axvline(thresholds[0], color="#000000", linewidth=2.5)
    info = _info_box(ax_scatter, x=0.98, y=0.04, va="bottom")

    def update(threshold: float) -> None:
        clipped_norm = _core.clip_gradients(grads, threshold, "norm")
        clipped_value = _core.clip_gradients(grads, threshold, "value")
        flat_norm = np.concatenate([np.ravel(clipped_norm[n]) for n in _core.PARAM_NAMES])
        flat_value = np.concatenate([np.ravel(clipped_value[n]) for n in _core.PARAM_NAMES])
        by_norm.set_offsets(np.column_stack([entries, flat_norm]))
        by_value.set_offsets(np.column_stack([entries, flat_value]))
        marker.set_xdata([threshold, threshold])
        info.set_text(f"threshold {threshold:.3g}\ncosine, norm clipping: {_core.cosine_similarity(clipped_norm, grads):.4f}\n"
                      f"cosine, element-wise: {_core.cosine_similarity(clipped_value, grads):.4f}")

    controls = {
        "threshold": _widgets.FloatLogSlider(value=float(np.sqrt(thresholds[0] * thresholds[-1])), base=10,
                                             min=float(np.log10(thresholds[0])), max=float(np.log10(thresholds[-1])), step=0.05,
                                             description="clipping threshold", readout_format=".3g", **_slider_style()),
    }
    return _make_view(figure, controls, update, [by_norm, by_value, marker, info])


def plot_truncation_sweep(axes, ks, cosines, rel_differences, cache_bytes, steps: int):
    """On two Axes: how close truncated BPTT's gradient is to the full one, and the memory it needs, against k."""
    ax_err, ax_mem = axes
    ax_err.plot(ks, cosines, "-o", color=LINE_COLORS[0], linewidth=2.5, label="cosine similarity")
    ax_err.plot(ks, rel_differences, "-s", color=LINE_COLORS[5], linewidth=2.5, label="relative error ||g_k - g|| / ||g||")
    ax_err.axhline(1.0, color="#999999", linewidth=1)
    ax_err.set_xlabel("truncation length k (steps)")
    ax_err.set_ylabel("compared with full BPTT")
    ax_err.set_title(f"Truncated gradient vs full (T = {steps})")
    ax_err.legend(loc="center right")
    ax_mem.plot(ks, np.asarray(cache_bytes) / 1024, "-o", color=LINE_COLORS[2], linewidth=2.5)
    ax_mem.set_xlabel("truncation length k (steps)")
    ax_mem.set_ylabel("cached hidden states (KiB)")
    ax_mem.set_title("Memory held for the backward pass")
    ax_mem.set_ylim(0, None)
    for ax in (ax_err, ax_mem):
        ax.grid(True, alpha=0.3)
    return axes


# --- 07: hidden-state dynamics ------------------------------------------------------------


def trajectory_scrubber(params: dict, x, target):
    """Widget for notebook 07: scrub through one input sequence; the hidden state moves along its trajectory.

    params: a trained rnn_core params dict (I = O = 1); x, target: (T,) one sequence.
    Control "t". Panels: input, target and output over time (t marked); the hidden-state trajectory
    projected on its two principal components (rnn_core.pca_2d), the current h_t a big dot; every
    unit's activation over time as a heatmap (column t outlined); the units of h_t as bars.
    """
    x, target = np.ravel(x), np.ravel(target)
    steps = len(x)
    hiddens, outputs = _core.forward_batch(params, x[:, None, None])
    states = hiddens[1:, 0, :]  # (T, H)
    coords, _, _, explained = _core.pca_2d(states)
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
    ax_seq.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=FONT_SIZE - 3)

    ax_pca.plot(coords[:, 0], coords[:, 1], color="#bbbbbb", linewidth=1, zorder=1)
    dots = ax_pca.scatter(coords[:, 0], coords[:, 1], c=time, cmap=SEQUENTIAL_CMAP, s=30, zorder=2)
    figure.colorbar(dots, ax=ax_pca, label="time step t")
    (current,) = ax_pca.plot([coords[0, 0]], [coords[0, 1]], "o", markersize=16, markerfacecolor="none",
                             markeredgecolor=LINE_COLORS[5], markeredgewidth=3.5, zorder=4)
    ax_pca.set_xlabel(f"PC 1 ({100 * explained[0]:.0f}% of variance)")
    ax_pca.set_ylabel(f"PC 2 ({100 * explained[1]:.0f}%)")
    ax_pca.set_title("h_t in 2-D (PCA)")

    image = heatmap_over_time(ax_heat, states, "every hidden unit over time", "hidden unit", signed=True, limits=(-1, 1))
    figure.colorbar(image, ax=ax_heat, label="h")
    heat_mark = _column_marker(ax_heat, 0, hidden_size, color="#000000")

    bars = ax_bars.barh(np.arange(hidden_size), states[0], color=LINE_COLORS[0])
    ax_bars.set_xlim(-1.05, 1.05)
    ax_bars.set_ylim(hidden_size - 0.5, -0.5)  # unit 0 on top, as in the heatmap
    ax_bars.axvline(0, color="#666666", linewidth=1)
    ax_bars.set_xlabel("h_t (tanh: between -1 and 1)")
    ax_bars.set_ylabel("hidden unit")
    ax_bars.set_title("units at step t")
    info = _info_box(ax_bars, x=0.98, y=0.02, va="bottom")

    def update(t: int) -> None:
        seq_mark.set_xdata([t, t])
        current.set_data([coords[t, 0]], [coords[t, 1]])
        heat_mark.set_x(t - 0.5)
        for bar, value in zip(bars, states[t]):
            bar.set_width(value)
            bar.set_color(LINE_COLORS[5] if value < 0 else LINE_COLORS[0])
        info.set_text(f"t = {t}\nx_t = {x[t]:+.2f}\ny_t = {outputs[t, 0, 0]:+.2f}")

    controls = {"t": _widgets.IntSlider(value=0, min=0, max=steps - 1, description="time step t", **_slider_style())}
    return _make_view(figure, controls, update, [seq_mark, current, heat_mark, *bars, info])


def plot_memory_sweeps(ax, sweeps: dict, title: str = "Echo task: what the RNN still remembers"):
    """Accuracy against the delay for each sweep (label -> rnn_core.MemorySweep); 0.5 is guessing."""
    markers = ["o", "s", "^", "D"]
    for k, (label, sweep) in enumerate(sweeps.items()):
        ax.plot(sweep.delays, sweep.accuracy, marker=markers[k % 4], markersize=8, linewidth=2.5,
                color=LINE_COLORS[k % len(LINE_COLORS)], label=label)
    ax.axhline(0.5, color="#666666", linestyle=":", linewidth=2)
    ax.text(max(max(s.delays) for s in sweeps.values()), 0.51, "guessing", color="#666666", ha="right", va="bottom",
            fontsize=FONT_SIZE - 2)
    ax.set_ylim(0.4, 1.04)
    ax.set_xlabel("delay k (steps the bit must be remembered)")
    ax.set_ylabel("accuracy on new sequences")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=FONT_SIZE - 2)
    ax.grid(True, alpha=0.3)
    return ax
