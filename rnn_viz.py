"""rnn_viz: pictures of an RNN at work, for the notebooks.

Pure plotting functions take arrays (usually from rnn_core) and return matplotlib figures or
axes; thin ipywidgets wrappers add controls on top of them. Notebooks only call these.

Conventions (one place for all of them):
- figures are read on a projector: fonts of at least 12 pt (see `use_projector_style`);
- colour maps are colour-blind safe: SEQUENTIAL_CMAP for magnitudes, DIVERGING_CMAP centred at
  zero with symmetric limits (`symmetric_limits`) for signed quantities such as gradients;
- line colours come from the Okabe-Ito palette (LINE_COLORS), which colour-blind readers can tell apart.

Widgets: every builder returns a WidgetView with `.widget` (display it), `.figure` (the matplotlib
Figure it updates in place) and `.controls` (name -> ipywidgets control; setting `.value` updates
the figure synchronously). The figure is shown as a PNG in an ipywidgets.Image, redrawn by
blitting only the artists that change; no ipympl. Displayed without a widget front end (GitHub,
nbviewer) it falls back to a still PNG with a note. Details: WIDGET CONVENTION in "Notebooks 01-04".
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
#
# WIDGET CONVENTION (every widget builder in this module follows it)
#
#   view = rnn_viz.forward_explorer(params, x)      # any builder
#   view                                            # last line of a cell: shows it
#   view.widget    the ipywidgets container (controls above the picture)
#   view.figure    the matplotlib Figure that the controls update
#   view.controls  dict: control name -> ipywidgets control
#
# Setting `view.controls[name].value = v` (by hand, from a test or from the browser) runs the
# update synchronously: the figure's artists get their new data (set_data / set_array /
# set_text; the figure is never rebuilt) and the picture in `view.image` is refreshed.
#
# How the figure is shown live: the *inline* backend's way, as a PNG, but inside an
# ipywidgets.Image that the callback refreshes (not ipympl, not an Output that re-displays).
#   - No extra dependency: ipywidgets alone works in JupyterLab 4, Notebook 7, VS Code and on
#     Binder's base image.
#   - nbval stays strict: a widget cell's stored outputs are the widget view (ignored by nbval),
#     `image/png` (ignored) and a fixed `text/plain` line (compared, and deterministic).
#   - Fast: the figure's frame (axes, ticks, labels) is drawn once; an update restores that
#     background and draws only the artists that change (blitting on the Agg canvas), then
#     encodes the PNG (benchmarks/bench_widgets.py measures exactly this path).
#   - Degrades cleanly: the displayed bundle also carries a still `image/png` of the current
#     state with a note printed on it ("static picture: run the notebook to use the
#     controls"). Front ends without a widget manager (GitHub, nbviewer, nbconvert HTML) show
#     that still; Jupyter shows the live widget instead (the widget view ranks first).
# A builder makes its Figure with `new_figure` (not pyplot), so the inline backend does not
# show a second copy of it, and passes the artists that change to `_make_view`.
# ---------------------------------------------------------------------------

import struct
import zlib
from dataclasses import dataclass
from typing import Callable

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

import rnn_core

STATIC_NOTE = "Static picture of an interactive widget: run this notebook in Jupyter to use its controls."
GAP_COLOR = "#d9d9d9"  # light grey: steps the backward pass has not reached yet (NaN in a heatmap)
FORWARD_COLOR = "#000000"  # arrows of the forward pass
BACKWARD_COLOR = LINE_COLORS[5]  # vermillion: gradients flowing back


def new_figure(width: float, height: float, dpi: int = 80) -> Figure:
    """A Figure with an Agg canvas that pyplot does not know about (so the inline backend never
    shows it on its own) and a constrained layout. width, height in inches.

    dpi 80 keeps a 12-inch-wide widget near 1000 pixels: sharp in a notebook column, and fast
    to encode as PNG on every update (encoding time grows with the number of pixels)."""
    figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _rgba_to_png(rgba: np.ndarray) -> bytes:
    """Encode an (rows, cols, 4) uint8 canvas as an RGB PNG, fast.

    Written by hand (the PNG format is three chunks) because this runs on every widget update.
    Every row uses PNG's "Sub" filter (each byte minus the byte one pixel to the left, mod 256):
    flat colour, which is most of a plot, becomes runs of zeros that zlib level 1 compresses
    quickly. This is two to three times faster than Pillow's PNG writer at its fastest setting,
    at about the same size. Alpha is dropped: figure backgrounds are opaque.
    """
    rows, cols = rgba.shape[:2]
    rgb = np.asarray(rgba)[:, :, :3].reshape(rows, 3 * cols)
    raw = np.empty((rows, 1 + 3 * cols), dtype=np.uint8)
    raw[:, 0] = 1  # filter type 1 (Sub) for every row
    raw[:, 1:4] = rgb[:, :3]  # the first pixel has no left neighbour
    np.subtract(rgb[:, 3:], rgb[:, :-3], out=raw[:, 4:])  # uint8 arithmetic wraps mod 256, as PNG wants

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", cols, rows, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlacing
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)) + chunk(b"IEND", b"")


def figure_png(figure: Figure) -> bytes:
    """Draw `figure` completely on its Agg canvas and return it as PNG bytes."""
    figure.canvas.draw()
    return _rgba_to_png(np.asarray(figure.canvas.buffer_rgba()))


def _note_strip(width_px: int, text: str, dpi: int) -> np.ndarray:
    """An RGBA strip of the given pixel width with `text` on a pale yellow band."""
    strip = Figure(figsize=(width_px / dpi, 0.45), dpi=dpi, facecolor="#fff3c4")
    FigureCanvasAgg(strip)
    strip.text(0.01, 0.5, text, va="center", ha="left", fontsize=FONT_SIZE)
    strip.canvas.draw()
    return np.asarray(strip.canvas.buffer_rgba())[:, :width_px]


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class _ShownAsWidget:
    """What every interactive figure here shares: its controls' values, and the display rules (the live
    widget where a widget front end runs, a still picture with STATIC_NOTE above it elsewhere).
    Needs .widget, .controls, .figure and a render() that brings .figure's canvas up to date."""

    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def static_png(self) -> bytes:
        """The current picture with STATIC_NOTE printed above it (for front ends without widgets)."""
        self.render()
        frame = np.asarray(self.figure.canvas.buffer_rgba())
        note = _note_strip(frame.shape[1], STATIC_NOTE, int(self.figure.dpi))
        return _rgba_to_png(np.concatenate([note, frame], axis=0))

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = f"[interactive widget: {', '.join(self.controls)}] {STATIC_NOTE}"
        bundle["image/png"] = self.static_png()
        return bundle


@dataclass
class WidgetView(_ShownAsWidget):
    """An interactive figure: see the WIDGET CONVENTION above.

    widget:   ipywidgets container to display (controls, then the picture, then error messages)
    figure:   the matplotlib Figure the controls update (artists changed in place)
    controls: control name -> ipywidgets control; setting `.value` updates the figure at once
    image:    the ipywidgets.Image showing the figure in a live notebook
    """

    widget: widgets.Box
    figure: Figure
    controls: dict
    image: widgets.Image
    _update: Callable
    _dynamic: list
    _background: object = None
    _messages: widgets.Output | None = None

    def refresh(self, change=None) -> None:
        """Update the artists from the controls, redraw what changed and refresh the picture.

        Inside a Jupyter kernel an error is shown under the widget (an observer's exception
        would otherwise vanish in JupyterLab); elsewhere (tests, scripts) it is raised.
        """
        if self._messages is None or not _in_kernel():
            self._redraw()
            return
        if self._messages.outputs:
            self._messages.clear_output()  # the last error is fixed once an update succeeds
        with self._messages:
            self._redraw()

    def _redraw(self) -> None:
        self._update(**self.values())
        self.image.value = self.render()

    def render(self) -> bytes:
        """PNG of the current state: restore the drawn frame, draw only the changing artists."""
        canvas = self.figure.canvas
        if self._background is None:
            self._capture_background()
        canvas.restore_region(self._background)
        for artist in sorted(self._dynamic, key=lambda a: a.get_zorder()):
            self.figure.draw_artist(artist)
        return _rgba_to_png(np.asarray(canvas.buffer_rgba()))

    def _capture_background(self) -> None:
        """Fix the layout and store the figure drawn without its changing artists."""
        canvas = self.figure.canvas
        visible = [artist.get_visible() for artist in self._dynamic]
        for artist in self._dynamic:
            artist.set_visible(False)
        # One full draw: the constrained layout runs here (the hidden artists all sit inside their
        # axes, so they do not change it) and never again, so the frame never moves.
        canvas.draw()
        self.figure.set_layout_engine("none")
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        for artist, was_visible in zip(self._dynamic, visible):
            artist.set_visible(was_visible)

def _make_view(figure: Figure, controls: dict, update: Callable, dynamic: list) -> WidgetView:
    """Wire `controls` to `update(**values)` (which changes the `dynamic` artists) and wrap it up."""
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
    messages = widgets.Output()
    box = widgets.VBox([widgets.HBox(list(controls.values())), image, messages])
    view = WidgetView(box, figure, controls, image, update, list(dynamic), None, messages)
    view._redraw()
    for control in controls.values():
        control.observe(view.refresh, names="value")
    return view


def _slider_style() -> dict:
    return {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="420px"), "continuous_update": True}


def _column_marker(ax, column: int, rows: int, color: str = "#000000") -> Rectangle:
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
    image = ax.imshow(grid, aspect="auto", cmap=cmap, vmin=limits[0], vmax=limits[1], interpolation="nearest")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("time step t")
    steps, rows = grid.shape[1], grid.shape[0]
    ax.set_xticks(range(0, steps, max(1, steps // 10)))
    ax.set_yticks(range(0, rows, max(1, rows // 8)))
    return image


# --- 01: the unrolled graph and the forward explorer -----------------------


def _node(ax, xy, text, color="#ffffff", width=1.1, height=0.62, dashed=False, fontsize=FONT_SIZE + 2):
    """A rounded box with text centred at xy (data coordinates)."""
    box = FancyBboxPatch(
        (xy[0] - width / 2, xy[1] - height / 2), width, height, boxstyle="round,pad=0.04,rounding_size=0.12",
        facecolor=color, edgecolor="#333333", linewidth=1.8, linestyle="--" if dashed else "-", zorder=3,
    )
    ax.add_patch(box)
    ax.text(xy[0], xy[1], text, ha="center", va="center", fontsize=fontsize, zorder=4)


def _arrow(ax, start, end, label="", color=FORWARD_COLOR, label_offset=(0.0, 0.0), shrink=24, fontsize=FONT_SIZE, **text_kw):
    """An arrow from start to end (data coordinates), with an optional label near its middle."""
    ax.annotate("", xy=end, xytext=start, zorder=2,
                arrowprops=dict(arrowstyle="-|>", color=color, linewidth=2, shrinkA=shrink, shrinkB=shrink, mutation_scale=18))
    if label:
        middle = ((start[0] + end[0]) / 2 + label_offset[0], (start[1] + end[1]) / 2 + label_offset[1])
        ax.text(*middle, label, color=color, ha="center", va="center", fontsize=fontsize, zorder=4,
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1), **text_kw)


def draw_unrolled_graph(steps: int = 4, ax=None):
    """The RNN unrolled over `steps` time steps: x_t -> h_t -> y_t -> loss term, and h_{t-1} -> h_t.

    The same three weight matrices label every column: that sharing is why BPTT sums over time.
    Returns the Axes (a new figure is made with pyplot if ax is None).
    """
    if not isinstance(steps, (int, np.integer)) or not 1 <= steps <= 8:
        raise ValueError(f"steps must be a whole number from 1 to 8 (a picture wider than 8 steps is unreadable), but it is {steps!r}.")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(2.9 * steps + 2.6, 6.2), layout="constrained")
    gap = 2.8
    rows = {"x": 0.0, "h": 1.6, "y": 3.2, "L": 4.6}
    _node(ax, (0, rows["h"]), r"$h_{-1}=0$", color="#eeeeee", width=1.5)
    for t in range(steps):
        col = gap * (t + 1)
        _node(ax, (col, rows["x"]), rf"$x_{{{t}}}$", color="#cfe8f3")
        _node(ax, (col, rows["h"]), rf"$h_{{{t}}}$", color="#fde9c9")
        _node(ax, (col, rows["y"]), rf"$y_{{{t}}}$", color="#d5f0e3")
        _node(ax, (col, rows["L"]), rf"$L_{{{t}}}$", color="#f2f2f2")
        _arrow(ax, (col, rows["x"]), (col, rows["h"]), r"$W_{xh}$", label_offset=(0.45, 0))
        _arrow(ax, (col, rows["h"]), (col, rows["y"]), r"$W_{hy}$", label_offset=(0.45, 0))
        _arrow(ax, (col, rows["y"]), (col, rows["L"]), "", label_offset=(0.45, 0))
        _arrow(ax, (col - gap, rows["h"]), (col, rows["h"]), r"$W_{hh}$", label_offset=(0, 0.3), shrink=30)
    ax.text(gap * (steps + 1) - 0.9, rows["L"], r"$L=\sum_t L_t$", fontsize=FONT_SIZE + 2, va="center")
    ax.text(gap * (steps + 1) - 0.9, rows["y"] - 0.75,
            r"$L_t=\frac{1}{2}\|y_t-\mathrm{target}_t\|^2$", fontsize=FONT_SIZE, va="center")
    ax.set_xlim(-1.0, gap * (steps + 1) + 1.6)
    ax.set_ylim(-0.6, rows["L"] + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"The RNN unrolled over T = {steps} steps: the same W_xh, W_hh, W_hy at every step")
    return ax


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
    ax.plot(a, 1 - np.tanh(a) ** 2, color=LINE_COLORS[1], linewidth=2.5, linestyle="--", label=r"slope $1-h^2$")
    ax.axhline(0, color="#999999", linewidth=0.8)
    for edge in (-1, 1):
        ax.axhline(edge, color="#999999", linewidth=0.8, linestyle=":")
    points = np.zeros(0) if pre_activation is None else np.clip(np.ravel(pre_activation), -limit, limit)
    (marks,) = ax.plot(points, np.tanh(points), "o", color=LINE_COLORS[5], markersize=9, label="hidden units", zorder=4)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-1.15, 1.15)
    ax.set_xlabel(r"pre-activation $a$")
    ax.set_ylabel("value")
    ax.set_title("tanh and its slope")
    ax.legend(loc="upper left", fontsize=FONT_SIZE - 2)
    return marks


def saturated_fraction(hiddens, threshold: float = 0.95) -> float:
    """Fraction of hidden values with |h| > threshold (where tanh's slope 1 - h^2 < 0.1)."""
    return float(np.mean(np.abs(np.asarray(hiddens)) > threshold))


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
    h_image = heatmap_over_time(ax_h, hiddens, "hidden state h_t (column t outlined)", "hidden unit", signed=False, limits=(-1, 1))
    # The colour bar sits in an inset right of the heatmap, so the three time panels keep the same
    # width and their time axes line up.
    figure.colorbar(h_image, cax=ax_h.inset_axes([1.02, 0.0, 0.025, 1.0]), label="h")
    h_mark = _column_marker(ax_h, 0, hidden_size, color=LINE_COLORS[5])

    # Fix the output panel's limits over the whole range of scales, so the axes never jump.
    y_range = np.concatenate([_forward_with_scale(params, xs, s)[1].ravel() for s in np.linspace(0, max_scale, 9)])
    pad = 0.1 * (np.ptp(y_range) + 1e-9)
    y_lines = [ax_y.plot(time, outputs[:, k, 0], "-", color=LINE_COLORS[k % 8], linewidth=2, label=f"y[{k}]")[0]
               for k in range(output_size)]
    (y_dots,) = ax_y.plot(np.zeros(output_size), outputs[0, :, 0], "o", color="#000000", markersize=10, zorder=4)
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
    tanh_info = ax_tanh.text(0.97, 0.04, "", transform=ax_tanh.transAxes, ha="right", va="bottom", fontsize=FONT_SIZE - 1,
                             bbox=dict(facecolor="white", edgecolor="#999999", alpha=0.9), zorder=6)

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
        tanh_info.set_text(f"dots: h_t at t = {t}\nW_hh scaled by {W_hh_scale:.2f}\n"
                           f"saturated (|h| > 0.95):\n{100 * saturated_fraction(hiddens):.0f}% of all h")

    controls = {
        "t": widgets.IntSlider(value=0, min=0, max=steps - 1, description="time step t", **_slider_style()),
        "W_hh_scale": widgets.FloatSlider(value=1.0, min=0.0, max=max_scale, step=0.05, description="scale of W_hh",
                                          readout_format=".2f", **_slider_style()),
    }
    dynamic = [x_mark, h_image, h_mark, *y_lines, y_dots, tanh_marks, tanh_info]
    return _make_view(figure, controls, update, dynamic)



# --- the worked examples of notebooks 01-04 -----------------------------------


def forward_example(steps: int = 20):
    """Notebook 01's example: random weights I=2, H=8, O=1 and a sine and a cosine as input.

    Returns (params, x) with x of shape (steps, 2).
    """
    time = np.arange(steps)
    x = np.stack([np.sin(0.5 * time), np.cos(0.3 * time)], axis=1)  # (T, 2)
    return rnn_core.random_params(2, 8, 1, seed=0), x


def sine_example(steps: int = 8):
    """Notebooks 02-04's example: predict the next value of a sine wave. I=1, H=4, O=1.

    x_t = sin(0.6 t), target_t = sin(0.6 (t+1)).  Returns (params, x (T, 1), y (T, 1)).
    """
    wave = np.sin(0.6 * np.arange(steps + 1))
    return rnn_core.random_params(1, 4, 1, seed=3), wave[:-1].reshape(steps, 1), wave[1:].reshape(steps, 1)


# --- 02: outputs, targets and dy ---------------------------------------------


def plot_outputs_and_errors(outputs, targets, ax=None):
    """Outputs y_t and targets over time, with dy_t = y_t - target_t drawn as a vertical segment.

    outputs, targets: (T, O, 1) or (T, O). One colour per output component.
    Returns the Axes (a new pyplot figure if ax is None).
    """
    outputs = np.asarray(outputs, dtype=float).reshape(len(outputs), -1)  # (T, O)
    targets = np.asarray(targets, dtype=float).reshape(len(targets), -1)
    if outputs.shape != targets.shape:
        raise ValueError(f"outputs have shape {outputs.shape} and targets {targets.shape} (as (T, O)): they must match.")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(11, 4.5), layout="constrained")
    time = np.arange(len(outputs))
    for k in range(outputs.shape[1]):
        color = LINE_COLORS[k % 8]
        ax.plot(time, targets[:, k], "s--", color=color, alpha=0.6, markersize=7, label=f"target[{k}]")
        ax.plot(time, outputs[:, k], "o-", color=color, linewidth=2, markersize=7, label=f"y[{k}]")
        ax.vlines(time, targets[:, k], outputs[:, k], color=BACKWARD_COLOR, linewidth=3,
                  label="dy = y - target" if k == 0 else None)
    ax.set_xlabel("time step t")
    ax.set_ylabel("value")
    ax.set_title("outputs, targets, and the error dy at every step")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


# --- 03: one step back -------------------------------------------------------


def draw_step_graph(ax=None):
    """The computational graph of one time step t, forward arrows in black and, in vermillion,
    the gradient that flows back along every edge (the names used by rnn_core.backward_step).

    Returns the Axes (a new pyplot figure if ax is None).
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(16, 6.6), layout="constrained")
    pos = {
        "x": (0.0, 2.2), "W_xh": (2.0, 4.9), "b_h": (6.0, 4.9), "W_hh": (2.0, -0.5), "h_prev": (6.0, -0.5),
        "a": (5.0, 2.2), "h": (11.0, 2.2), "W_hy": (12.6, 5.9), "b_y": (17.4, 5.9), "y": (15.0, 4.2),
        "L": (19.6, 4.2), "next": (13.8, 0.0),
    }
    _node(ax, pos["x"], r"$x_t$", color="#cfe8f3")
    _node(ax, pos["h_prev"], r"$h_{t-1}$", color="#fde9c9", width=1.3)
    for name, label in (("W_xh", r"$W_{xh}$"), ("W_hh", r"$W_{hh}$"), ("b_h", r"$b_h$"), ("W_hy", r"$W_{hy}$"), ("b_y", r"$b_y$")):
        _node(ax, pos[name], label, color="#f2f2f2", dashed=True)
    _node(ax, pos["a"], r"$a_t = W_{xh}x_t + W_{hh}h_{t-1} + b_h$", width=3.9, fontsize=FONT_SIZE)
    _node(ax, pos["h"], r"$h_t=\tanh(a_t)$", color="#fde9c9", width=2.3)
    _node(ax, pos["y"], r"$y_t = W_{hy}h_t + b_y$", color="#d5f0e3", width=2.7, fontsize=FONT_SIZE)
    _node(ax, pos["L"], r"$L_t=\frac{1}{2}\|y_t-\mathrm{target}_t\|^2$", color="#f2f2f2", width=3.4, fontsize=FONT_SIZE)
    _node(ax, pos["next"], "step t+1\n" + r"(uses $h_t$ via $W_{hh}$)", color="#eeeeee", width=2.8, height=0.95, fontsize=FONT_SIZE - 1)

    # Edges as (start, end) points on the boxes' borders, the gradient label, its offset from the middle.
    edges = [
        ((0.55, 2.2), (3.05, 2.2), r"($x_t$: data, no gradient)", (0.3, -0.55)),
        ((2.0, 4.59), (4.0, 2.51), r"$dW_{xh}$ += $dh\_raw\;x_t^\top$", (-1.9, 0.25)),
        ((6.0, 4.59), (6.0, 2.51), r"$db_h$ += $dh\_raw$", (1.5, 0.1)),
        ((2.0, -0.19), (4.0, 1.89), r"$dW_{hh}$ += $dh\_raw\;h_{t-1}^\top$", (-2.0, 0.1)),
        ((6.0, -0.19), (6.0, 1.89), r"$dh\_prev = W_{hh}^\top dh\_raw$" + "\n" + r"(= $dh\_next$ of step $t-1$)", (2.1, -0.55)),
        ((6.95, 2.2), (9.85, 2.2), r"$dh\_raw = (1-h_t^2)\odot dh$", (0.15, 0.5)),
        ((11.6, 2.51), (14.2, 3.89), r"$W_{hy}^\top dy$", (-0.75, 0.45)),
        ((12.6, 5.59), (14.4, 4.51), r"$dW_{hy}$ += $dy\;h_t^\top$", (-1.6, 0.05)),
        ((17.4, 5.59), (15.6, 4.51), r"$db_y$ += $dy$", (1.2, 0.05)),
        ((16.35, 4.2), (17.9, 4.2), r"$dy = y_t-\mathrm{target}_t$", (0.0, -0.75)),
        ((11.4, 1.89), (13.4, 0.48), r"$dh\_next$ (from step $t+1$)", (2.1, 0.15)),
    ]
    for start, end, label, offset in edges:
        _arrow(ax, start, end, shrink=3)
        middle = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*middle, label, color=BACKWARD_COLOR, ha="center", va="center", fontsize=FONT_SIZE, zorder=6,
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.9, pad=1))
    ax.text(pos["h"][0], pos["h"][1] - 0.95, r"$dh = W_{hy}^\top dy + dh\_next$", color=BACKWARD_COLOR,
            ha="center", va="center", fontsize=FONT_SIZE, zorder=6, bbox=dict(facecolor="white", edgecolor=BACKWARD_COLOR, pad=3))
    ax.plot([], [], color=FORWARD_COLOR, linewidth=2, label="forward: values")
    ax.plot([], [], color=BACKWARD_COLOR, linewidth=6, label="backward: gradient of L along the edge")
    ax.legend(loc="lower right", fontsize=FONT_SIZE - 1)
    ax.set_xlim(-1.0, 21.6)
    ax.set_ylim(-1.2, 6.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("One time step t: values go forward (black arrows), gradients come back (vermillion)")
    return ax


# --- 04: BPTT, step by step ---------------------------------------------------

BACKWARD_VECTORS = ("dy", "dh_next", "dh", "dh_raw")  # in the order backward_step computes them
_VECTOR_LABELS = {
    "dy": "dy = y_t - target_t",
    "dh_next": "dh_next (from step t+1)",
    "dh": "dh = W_hy^T dy + dh_next",
    "dh_raw": "dh_raw = (1 - h_t^2) * dh",
}


def running_sums(contributions: np.ndarray) -> np.ndarray:
    """Partial sums from the end: out[t] = sum over s >= t of contributions[s] (what BPTT has summed
    once it has processed steps T-1 down to t). contributions: (T, *shape) -> (T, *shape)."""
    return np.cumsum(np.asarray(contributions)[::-1], axis=0)[::-1]


def _cover_before(ax, t: int, rows: int) -> Rectangle:
    """A grey rectangle over columns 0 .. t-1 of an imshow'd (rows, T) heatmap: "not computed yet".

    Covering is cheaper than re-imaging: the heatmap itself stays in the widget's pre-drawn
    background and only this one patch is redrawn per update (set_width(t)).
    """
    cover = Rectangle((-0.5, -0.5), t, rows, facecolor=GAP_COLOR, edgecolor="none", zorder=4)
    ax.add_patch(cover)
    return cover


def _contribution_grid(trace, name: str) -> np.ndarray:
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
            raise ValueError(f"unknown parameter {name!r}: expected some of {', '.join(rnn_core.PARAM_NAMES)}.")
    if figure is None:
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=(11, 1.2 + 1.9 * len(names)), layout="constrained")
    rows = [max(2, _contribution_grid(trace, n).shape[0]) ** 0.5 + 1 for n in names]
    axes = figure.subplots(len(names), 1, gridspec_kw={"height_ratios": rows}, squeeze=False)[:, 0]
    for ax, name in zip(axes, names):
        image = heatmap_over_time(ax, _contribution_grid(trace, name).T, f"d{name}: term of each step", "entry")
        figure.colorbar(image, ax=ax, pad=0.01)
    figure.suptitle("Gradient contribution of every time step (sum each row over t = the gradient)")
    return figure


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
    terms = {name: _contribution_grid(trace, name) for name in rnn_core.PARAM_NAMES}  # (entries, T)
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
        heatmap_over_time(ax, vectors[name].T, _VECTOR_LABELS[name], "unit")
        covers.append(_cover_before(ax, steps - 1, vectors[name].shape[0]))
        markers.append(_column_marker(ax, steps - 1, vectors[name].shape[0]))
        if row < 3:
            ax.set_xlabel("")
    for row, name in enumerate(rnn_core.PARAM_NAMES):
        ax = figure.add_subplot(middle[row])
        heatmap_over_time(ax, terms[name].T, f"term of step t in d{name}", "entry")
        covers.append(_cover_before(ax, steps - 1, terms[name].shape[0]))
        markers.append(_column_marker(ax, steps - 1, terms[name].shape[0]))
        if row < 4:
            ax.set_xlabel("")
    sum_images = {}
    for row, name in enumerate(rnn_core.PARAM_NAMES):
        ax = figure.add_subplot(right[row])
        shape = params[name].shape
        limits = symmetric_limits(sums[name])
        image = ax.imshow(sums[name][-1], cmap=DIVERGING_CMAP, vmin=limits[0], vmax=limits[1], interpolation="nearest", aspect="auto")
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

    controls = {"t": widgets.IntSlider(value=steps - 1, min=0, max=steps - 1,
                                       description="backward pass at step t (drag right to left)", **_slider_style())}
    controls["t"].layout.width = "560px"
    dynamic = [*covers, *markers, *sum_images.values()]
    return _make_view(figure, controls, update, dynamic)


# ---------------------------------------------------------------------------
# Notebooks 05-07: training, vanishing and exploding gradients, hidden-state dynamics
# ---------------------------------------------------------------------------
#
# Builders follow the WIDGET CONVENTION of the section above (`.widget`, `.figure`, `.controls`;
# setting a control's value updates the figure's artists at once). Static plots take arrays from
# rnn_core section 9 and draw on a given Axes.

import time as _time

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


class TrainingLab(_ShownAsWidget):
    """Live-training widget for notebook 05 (see `training_lab`).

    widget, figure, controls: as in the WIDGET CONVENTION; changing a control retrains from scratch,
    synchronously. history: the last run's rnn_core.TrainingHistory; seconds: its training time;
    progress: the ipywidgets.IntProgress bar; image: the picture of the figure.
    """

    def __init__(self, count: int = 64, seed: int = 0, redraws: int = 8):
        self.count, self.seed, self.redraws = count, seed, redraws
        style = _slider_style() | {"continuous_update": False}  # retrain when the slider is released
        self.controls = {
            "task": widgets.Dropdown(options=[(TASK_LABELS[n], n) for n in rnn_core.TASK_NAMES], value="sine",
                                      description="task", style=style["style"], layout=widgets.Layout(width="420px")),
            "hidden_size": widgets.IntSlider(value=16, min=2, max=32, description="hidden size H", **style),
            "steps": widgets.IntSlider(value=20, min=5, max=50, step=5, description="sequence length T", **style),
            "epochs": widgets.IntSlider(value=200, min=20, max=600, step=20, description="epochs", **style),
            "learning_rate": widgets.Dropdown(
                options=[("0.001", 0.001), ("0.003", 0.003), ("0.01 (the problem's)", rnn_core.LEARNING_RATE), ("0.03", 0.03), ("0.1", 0.1), ("0.3", 0.3)],
                value=rnn_core.LEARNING_RATE, description="learning rate", style=style["style"], layout=widgets.Layout(width="420px")),
        }
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="training", layout=widgets.Layout(width="420px"))
        self.status = widgets.Label(value="")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        names = list(self.controls)
        self.widget = widgets.VBox([
            widgets.HBox([self.controls[n] for n in names[:2]]),
            widgets.HBox([self.controls[n] for n in names[2:4]]),
            widgets.HBox([self.controls["learning_rate"], self.progress]),
            self.status, self.image,
        ])
        self.figure = new_figure(13, 4.8)
        self.ax_loss, self.ax_pred = self.figure.subplots(1, 2, width_ratios=[1, 1.25])
        (self.loss_line,) = self.ax_loss.plot([], [], color=LINE_COLORS[0], linewidth=2.5)
        self.ax_loss.set_yscale("log")
        self.ax_loss.yaxis.set_minor_locator(mpl.ticker.NullLocator())  # decades only: fewer ticks to draw
        self.ax_loss.set_ylim(1e-3, 1e2)  # typical limits, so that the layout leaves room for the tick labels
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("loss per sequence")
        # A fixed title height: matplotlib otherwise measures every tick label at each draw to place it (~50 ms).
        self.ax_loss.set_title("training loss (mean over sequences)", y=1.01)
        self.ax_loss.grid(True, alpha=0.3)
        (self.input_line,) = self.ax_pred.plot([], [], color="#999999", marker=".", linewidth=1.5, label="input x_t")
        (self.target_line,) = self.ax_pred.plot([], [], color="#000000", linewidth=2.5, label="target")
        (self.before_line,) = self.ax_pred.plot([], [], "--", color=LINE_COLORS[5], linewidth=2, label="output before training")
        (self.after_line,) = self.ax_pred.plot([], [], color=LINE_COLORS[0], linewidth=2.5, label="output after training")
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
        X, Y = rnn_core.make_task(v["task"], v["steps"], self.count, seed=self.seed)
        X_test, Y_test = rnn_core.make_task(v["task"], v["steps"], 1, seed=self.seed + 1000)
        params = rnn_core.problem_init(1, v["hidden_size"], 1, seed=self.seed)
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
        self.image.value = _rgba_to_png(np.asarray(canvas.buffer_rgba()))
        start = _time.perf_counter()

        def show_progress(epoch, history):
            if (epoch + 1) % tick == 0 or epoch + 1 == v["epochs"]:
                self.progress.value = epoch + 1  # at most about 50 messages to the browser per run
            if (epoch + 1) % every == 0 and epoch + 1 < v["epochs"]:
                self._show_losses(history)
                self.status.value = f"epoch {epoch + 1} of {v['epochs']}, loss {history.losses[-1]:.4g}"
                canvas.restore_region(background)  # draw only the loss line on the stored frame
                self.figure.draw_artist(self.loss_line)
                self.image.value = _rgba_to_png(np.asarray(canvas.buffer_rgba()))

        self.history = rnn_core.train(params, X, Y, v["epochs"], learning_rate=v["learning_rate"], callback=show_progress)
        self.seconds = _time.perf_counter() - start
        self.params = params
        self._show_losses(self.history)
        with np.errstate(over="ignore", invalid="ignore"):
            after = rnn_core.forward_batch(params, X_test)[1][:, 0, 0] if not self.history.stopped else np.full(v["steps"], np.nan)
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

    def render(self) -> None:
        """Draw the last run's figure in full (its axis limits change from run to run, so no blitting)."""
        self.figure.canvas.draw()


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
        result = rnn_core.gradient_vs_lag(rnn_core.with_spectral_radius(params, radius), X * input_scale, Y)
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
        info.set_text(f"spectral radius rho = {result.radius:.2f}\nsigma_max(W_hh) = {result.sigma_max:.2f}\n"
                      f"mean tanh slope 1 - h^2: {result.mean_slope:.2f}\n{verdict}")

    controls = {
        "radius": widgets.FloatSlider(value=1.0, min=0.1, max=max_radius, step=0.05, description="spectral radius of W_hh",
                                       readout_format=".2f", **_slider_style()),
        "input_scale": widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1, step=0.1, description="input scale",
                                               readout_format=".2f", **_slider_style()),
    }
    return _make_view(figure, controls, update, [each, median, loss_line, bound, info])


def clipping_explorer(grads: dict, thresholds=None):
    """Widget for notebook 06: clip one gradient by its norm and entry by entry; compare with the original.

    grads: name -> array (one gradient, e.g. from rnn_core.bptt). Control "threshold" (log slider).
    Left: every entry, clipped against original (a straight line through 0 = same direction).
    Right: cosine similarity to the original against the threshold, for both modes; the marker follows.
    """
    entries = np.concatenate([np.ravel(grads[n]) for n in rnn_core.PARAM_NAMES])
    norm = rnn_core.global_norm(grads)
    largest = float(np.max(np.abs(entries)))
    if thresholds is None:
        thresholds = np.geomspace(largest / 1e3, norm * 2, 60)
    cos_norm = [rnn_core.cosine_similarity(rnn_core.clip_gradients(grads, c, "norm"), grads) for c in thresholds]
    cos_value = [rnn_core.cosine_similarity(rnn_core.clip_gradients(grads, c, "value"), grads) for c in thresholds]

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
    for position, label in ((largest, "largest |entry|"), (norm, "gradient norm")):
        # Past these thresholds nothing is clipped any more (element-wise / by norm).
        ax_cos.axvline(position, color="#666666", linewidth=1, linestyle=":")
        ax_cos.text(position, 0.5, label + " ", rotation=90, ha="right", va="center", color="#444444",
                    fontsize=FONT_SIZE - 3, transform=ax_cos.get_xaxis_transform())
    ax_cos.set_xscale("log")
    ax_cos.set_ylim(min(min(cos_value), 0.0) - 0.05, 1.05)
    ax_cos.set_xlabel("threshold (log scale)")
    ax_cos.set_ylabel("cosine similarity to the original")
    ax_cos.set_title("Direction kept?")
    ax_cos.legend(loc="lower right")
    marker = ax_cos.axvline(thresholds[0], color="#000000", linewidth=2.5)
    info = _info_box(ax_scatter, x=0.98, y=0.04, va="bottom")

    def update(threshold: float) -> None:
        clipped_norm = rnn_core.clip_gradients(grads, threshold, "norm")
        clipped_value = rnn_core.clip_gradients(grads, threshold, "value")
        flat_norm = np.concatenate([np.ravel(clipped_norm[n]) for n in rnn_core.PARAM_NAMES])
        flat_value = np.concatenate([np.ravel(clipped_value[n]) for n in rnn_core.PARAM_NAMES])
        by_norm.set_offsets(np.column_stack([entries, flat_norm]))
        by_value.set_offsets(np.column_stack([entries, flat_value]))
        marker.set_xdata([threshold, threshold])
        info.set_text(f"threshold {threshold:.3g}\ncosine, norm clipping: {rnn_core.cosine_similarity(clipped_norm, grads):.4f}\n"
                      f"cosine, element-wise: {rnn_core.cosine_similarity(clipped_value, grads):.4f}")

    controls = {
        "threshold": widgets.FloatLogSlider(value=float(np.sqrt(thresholds[0] * thresholds[-1])), base=10,
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


def trajectory_scrubber(params: dict, x, target, reference_states=None):
    """Widget for notebook 07: scrub through one input sequence; the hidden state moves along its trajectory.

    params: a trained rnn_core params dict (I = O = 1); x, target: (T,) one sequence.
    reference_states: (N, H) hidden states of a longer run, or None. The PCA directions are fitted to
    them (drawn as a faint grey cloud) and the sequence is projected onto them; by default PCA is
    fitted to the sequence's own states.
    Control "t". Panels: input, target and output over time (t marked); the hidden-state trajectory
    projected on two principal components (rnn_core.pca_2d), the current h_t circled; every unit's
    activation over time as a heatmap (column t outlined); the units of h_t as bars.
    """
    x, target = np.ravel(x), np.ravel(target)
    steps = len(x)
    hiddens, outputs = rnn_core.forward_batch(params, x[:, None, None])
    states = hiddens[1:, 0, :]  # (T, H)
    cloud, components, mean, explained = rnn_core.pca_2d(states if reference_states is None else reference_states)
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
    ax_seq.set_ylim(low - 0.55 * (high - low), high + 0.1 * (high - low))  # room for the legend below the data
    ax_seq.legend(loc="lower center", ncols=3, fontsize=FONT_SIZE - 3)

    if reference_states is not None:
        ax_pca.scatter(cloud[:, 0], cloud[:, 1], s=12, color="#d0d0d0", zorder=0, label="a longer run")
    ax_pca.plot(coords[:, 0], coords[:, 1], color="#999999", linewidth=1, zorder=1)
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

    controls = {"t": widgets.IntSlider(value=0, min=0, max=steps - 1, description="time step t", **_slider_style())}
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
