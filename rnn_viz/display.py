"""rnn_viz.display: how an interactive figure is shown, shared by every widget in rnn_viz.widgets.

A widget's figure is a matplotlib Figure drawn on an Agg canvas, encoded as PNG and shown in an
ipywidgets.Image; on each control change only the artists that move are redrawn (blitting). No ipympl.
Displayed without a widget front end (GitHub, nbviewer) it falls back to a still PNG with a note.
"""

from __future__ import annotations

import dataclasses
import struct
import zlib
from dataclasses import dataclass
from typing import Callable

import ipywidgets as widgets
import numpy as np
from IPython import get_ipython  # IPython comes with ipywidgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rnn_viz.language import tr, tr_later
from rnn_viz.style import COLUMN_PX, FONT_SIZE, MIN_TEXT_PX, WIDGET_DPI, projector_style

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
# show a second copy of it, and passes the artists that change to `make_view`.
# ---------------------------------------------------------------------------


STATIC_NOTE = tr_later(  # shown as tr(STATIC_NOTE)
    "Static picture of an interactive widget: run this notebook in Jupyter to use its controls."
)


def new_figure(width: float, height: float, dpi: int = WIDGET_DPI) -> Figure:
    """A Figure with an Agg canvas that pyplot does not know about (so the inline backend never
    shows it on its own) and a constrained layout. width, height in inches.

    dpi 80 and at most 12.5 inches keep a widget within COLUMN_PX (1000) pixels: shown unscaled in a
    notebook column (so its 13-pt ticks stay 14.4 pixels high), and fast to encode as PNG on every update
    (encoding time grows with the number of pixels)."""
    if width * dpi > COLUMN_PX + 0.5:
        raise ValueError(f"a widget's figure is at most {COLUMN_PX} pixels wide, not {width * dpi:.0f}")
    with projector_style():
        figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def rgba_to_png(rgba: np.ndarray) -> bytes:
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
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def figure_png(figure: Figure) -> bytes:
    """Draw `figure` completely on its Agg canvas and return it as PNG bytes."""
    figure.canvas.draw()
    return rgba_to_png(np.asarray(figure.canvas.buffer_rgba()))


def _note_strip(width_px: int, text: str, dpi: int) -> np.ndarray:
    """An RGBA strip of the given pixel width with `text` on a pale yellow band."""
    strip = Figure(figsize=(width_px / dpi, 0.45), dpi=dpi, facecolor="#fff3c4")
    FigureCanvasAgg(strip)
    with projector_style():  # the font of the current language
        strip.text(0.01, 0.5, text, va="center", ha="left", fontsize=FONT_SIZE)
    strip.canvas.draw()
    return np.asarray(strip.canvas.buffer_rgba())[:, :width_px]


# Controls' text at least MIN_TEXT_PX + 2 pixels (ipywidgets' default is 13 px): descriptions, readouts,
# dropdowns, labels and progress bars of every rnn_viz widget (the container has the class "rnn-viz").
WIDGET_TEXT_PX = MIN_TEXT_PX + 2
WIDGET_CSS = f"""<style>
.rnn-viz {{ --jp-widgets-font-size: {WIDGET_TEXT_PX}px; --jp-widgets-inline-height: 32px; }}
.rnn-viz .widget-label, .rnn-viz .widget-label-basic, .rnn-viz .widget-readout, .rnn-viz select,
.rnn-viz .widget-inline-hbox, .rnn-viz .widget-html-content {{ font-size: {WIDGET_TEXT_PX}px; }}
.rnn-viz .widget-readout {{ min-width: 4.5em; }}
</style>"""


def styled_box(children: list) -> widgets.VBox:
    """A VBox of `children` with rnn_viz's control text size (WIDGET_CSS; its style element is not shown)."""
    css = widgets.HTML(WIDGET_CSS, layout=widgets.Layout(display="none"))
    box = widgets.VBox([css, *children])
    box.add_class("rnn-viz")
    return box


def _in_kernel() -> bool:
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class ShownAsWidget:
    """What every interactive figure here shares: its controls' values, and the display rules (the live
    widget where a widget front end runs, a still picture with STATIC_NOTE above it elsewhere).
    Needs .widget, .controls, .figure and a render() that brings .figure's canvas up to date."""

    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    still: dict | None = None  # control values for the still picture (None: the current ones)

    def static_png(self) -> bytes:
        """The picture with STATIC_NOTE printed above it (for front ends without widgets): of the controls'
        `still` values if the widget names them (its most informative state), else of the current ones."""
        current = self.values()
        if self.still:
            self._update(**(current | self.still))
        self.render()
        frame = np.asarray(self.figure.canvas.buffer_rgba()).copy()
        if self.still:
            self._update(**current)
            self.render()
        note = _note_strip(frame.shape[1], tr(STATIC_NOTE), int(self.figure.dpi))
        return rgba_to_png(np.concatenate([note, frame], axis=0))

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = tr(
            "[interactive widget: {controls}] {note}", controls=", ".join(self.controls), note=tr(STATIC_NOTE)
        )
        bundle["image/png"] = self.static_png()
        return bundle


@dataclass
class WidgetView(ShownAsWidget):
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
    still: dict | None = None
    frame_key: Callable | None = None  # () -> hashable: which frame the artists need (e.g. axis limits)
    _frames: dict = dataclasses.field(default_factory=dict)

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
        key = self.frame_key() if self.frame_key else None
        if key not in self._frames:
            if len(self._frames) >= 32:
                self._frames.pop(next(iter(self._frames)))  # the oldest
            self._capture_background()
            self._frames[key] = self._background
        canvas.restore_region(self._frames[key])
        for artist in sorted(self._dynamic, key=lambda a: a.get_zorder()):
            self.figure.draw_artist(artist)
        return rgba_to_png(np.asarray(canvas.buffer_rgba()))

    def _capture_background(self) -> None:
        """Fix the layout and store the figure drawn without its changing artists."""
        canvas = self.figure.canvas
        visible = [artist.get_visible() for artist in self._dynamic]
        for artist in self._dynamic:
            artist.set_visible(False)
        # One full draw: the constrained layout runs here (the hidden artists all sit inside their
        # axes, so they do not change it) and never again, so the frame never moves. A widget whose
        # axis limits follow its data (frame_key) draws one frame per set of limits, then reuses it.
        canvas.draw()
        self.figure.set_layout_engine("none")
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        for artist, was_visible in zip(self._dynamic, visible):
            artist.set_visible(was_visible)


def make_view(
    figure: Figure, controls: dict, update: Callable, dynamic: list, still=None, frame_key=None
) -> WidgetView:
    """Wire `controls` to `update(**values)` (which changes the `dynamic` artists) and wrap it up.
    still: control values for the still picture; frame_key: see WidgetView."""
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
    messages = widgets.Output()
    box = styled_box([widgets.HBox(list(controls.values())), image, messages])
    view = WidgetView(
        box, figure, controls, image, update, list(dynamic), None, messages, still=still, frame_key=frame_key
    )
    view._redraw()
    for control in controls.values():
        control.observe(view.refresh, names="value")
    return view


def slider_style() -> dict:
    return {
        "style": {"description_width": "initial"},
        "layout": widgets.Layout(width="460px"),
        "continuous_update": True,
    }
