"""rnn_viz.lm_widgets: the interactive figures of notebook 09, the character-level language model.

    sample_writer(params, vocab)        type a prefix, choose temperature and length: the model writes on
    text_reader(params, vocab, text)    read a text with the model: p(next character) and hidden units

Both follow the WIDGET CONVENTION of rnn_viz.display: the builder returns a view with `.widget`, `.figure`
and `.controls`, and setting a control's `.value` updates the figure synchronously (blitted, PNG in an
ipywidgets.Image; a still picture where no widget front end runs). All values come from rnn_lab.lm.
Every text in the figures is at least FONT_SIZE points at the figure's dpi (dpi 80: 14 pt is 15.6 px).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from rnn_lab import corpus, lm
from rnn_viz.display import WidgetView, make_view, new_figure, slider_style
from rnn_viz.language import monospace_families, tr, tr_later
from rnn_viz.style import DIVERGING_CMAP, FONT_SIZE, LINE_COLORS, styled

SHOWN = {"\n": "↵", " ": "␣"}  # how a newline and a space are drawn where a single character is labelled
WRAP = 60  # characters per drawn line of the writer's text panel
MAX_LINES = 12  # lines the writer's text panel shows (more are summarised in one line)
READER_MAX = 64  # characters the reader shows: one labelled column per character must stay readable


def shown(char: str) -> str:
    """A character as a label: newline and space made visible."""
    return SHOWN.get(char, char)


def _check_model(params, vocab) -> int:
    if not isinstance(vocab, corpus.Vocabulary):
        raise TypeError(
            f"vocab must be an rnn_lab.corpus.Vocabulary (the one the model was trained with), but it is a "
            f"{type(vocab).__name__}."
        )
    vocab_size, _ = lm._check_lm_params(params)
    if vocab_size != len(vocab):
        raise ValueError(
            f"the model knows {vocab_size} characters but the vocabulary has {len(vocab)}: pass the "
            "vocabulary the model was trained with."
        )
    return vocab_size


UNKNOWN = tr_later("{unknown} is not among the {count} characters the model knows ({known})")


def _unknown(vocab, text: str, for_the_figure: bool = False) -> str:
    """'' if every character of text is in the vocabulary, else a sentence naming the others: in English for
    an error message, in the figures' language (tr) for_the_figure."""
    unknown = sorted(set(text) - set(vocab.chars))
    if not unknown:
        return ""
    write = tr if for_the_figure else str.format
    return write(
        UNKNOWN, unknown=repr("".join(unknown)), count=len(vocab), known="".join(map(shown, vocab.chars))
    )


def tempered(params: dict, state, temperature: float) -> np.ndarray:
    """softmax(s / temperature) with s = W_hy h + b_y: the distribution `lm.sample` draws from. state (H,)"""
    scores = params["W_hy"] @ np.reshape(state, (-1, 1)) + params["b_y"]  # (V, 1)
    return lm.softmax(scores / temperature)[:, 0]


def bar_outlines(widths, height: float) -> list:
    """The corners of horizontal bars, one per row k = 0, 1, ..., from x = 0 to widths[k]."""
    half = height / 2
    return [[(0, k - half), (w, k - half), (w, k + half), (0, k + half)] for k, w in enumerate(widths)]


def bar_widths(bars: PolyCollection) -> np.ndarray:
    """The widths of bars drawn by `bar_outlines` (what a test reads back)."""
    return np.array([path.vertices[:, 0].max() for path in bars.get_paths()])


def _horizontal_bars(ax, count: int, height: float, **style) -> PolyCollection:
    """`count` horizontal bars as one artist (one draw per update instead of one per bar)."""
    bars = PolyCollection(bar_outlines(np.zeros(count), height), **style)
    ax.add_collection(bars)
    return bars


def _big(ax) -> None:
    """Tick labels at FONT_SIZE, whatever rcParams say."""
    ax.tick_params(labelsize=FONT_SIZE)


# ---------------------------------------------------------------------------
# The writer: prefix, temperature, length -> a sample
# ---------------------------------------------------------------------------


def written_lines(text: str, wrap: int = WRAP) -> list[tuple[str, str]]:
    """The text as drawn lines: (mark, line). A complete sentence (ended by a newline) gets "✓" when the
    grammar accepts it and "✗" when not; the unfinished last one gets "…"; a long sentence is wrapped,
    its continuation lines marked " "."""
    sentences = text.split("\n")
    lines = []
    for index, sentence in enumerate(sentences):
        complete = index < len(sentences) - 1
        if not complete and not sentence:
            continue  # the text ended with a newline: nothing unfinished
        mark = ("✓" if corpus.accepts(sentence) else "✗") if complete else "…"
        pieces = [sentence[i : i + wrap] for i in range(0, max(len(sentence), 1), wrap)]
        lines += [(mark if k == 0 else " ", piece) for k, piece in enumerate(pieces)]
    return lines


@styled
def sample_writer(
    params: dict,
    vocab: corpus.Vocabulary,
    prefix: str = "the cat ",
    temperature: float = 1.0,
    length: int = 150,
    seed: int = 0,
    max_length: int = 300,
) -> WidgetView:
    """Widget for notebook 09: the model writes on from a prefix you type.

    The model reads a newline (a sentence starts) and then the prefix from h = 0, and draws `length`
    characters with lm.sample at the temperature (the same seed gives the same text).
    Controls: "prefix" (Text), "temperature" (0.1 .. 2), "length" (10 .. max_length), "seed".
    Left: the text, one sentence per line, ✓ when the grammar accepts it, ✗ when not, … unfinished.
    Right: the distribution of the first character after the prefix, softmax(s / temperature), and at
    temperature 1 for comparison. A prefix with characters the model does not know is named in the
    picture (the builder raises ValueError for one).
    """
    vocab_size = _check_model(params, vocab)
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a text (str), but it is a {type(prefix).__name__}.")
    if _unknown(vocab, prefix):
        raise ValueError(f"the prefix {prefix!r} cannot be read: {_unknown(vocab, prefix)}.")
    max_length = lm.rnn_core.check_size(max_length, "max_length")
    temperature = corpus.check_temperature(temperature)
    for name, value, low, high in (
        ("temperature", temperature, 0.1, 2.0),
        ("length", length, 10, max_length),
    ):
        if not low <= value <= high:
            raise ValueError(
                f"{name} must be between {low} and {high} (the slider's range), but it is {value}."
            )
    newline = vocab.ids["\n"] if "\n" in vocab.chars else None

    figure = new_figure(12.5, 6.6)  # 1000 px at 80 dpi: the notebook column, shown unscaled
    grid = figure.add_gridspec(1, 2, width_ratios=[2.2, 1])
    ax_text, ax_p = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])
    ax_text.set_axis_off()
    _big(ax_text)
    ax_text.set_xlim(0, 1)
    ax_text.set_ylim(0, 1)
    ax_text.set_title(
        tr("what the model writes (✓ the grammar accepts the sentence, ✗ it does not)"), fontsize=FONT_SIZE
    )
    # One text artist for all lines (drawing text is what an update spends most of its time on).
    body = ax_text.text(
        0.0, 0.98, "", family=monospace_families(), fontsize=FONT_SIZE, va="top", linespacing=1.5
    )
    summary = ax_text.text(0.0, 0.02, "", fontsize=FONT_SIZE, va="bottom", color="#333333")

    positions = np.arange(vocab_size)
    reference = _horizontal_bars(ax_p, vocab_size, 0.8, facecolors="none", edgecolors="#777777")
    bars = _horizontal_bars(ax_p, vocab_size, 0.45, facecolors=LINE_COLORS[0])
    ax_p.set_yticks(positions, [shown(c) for c in vocab.chars], family=monospace_families())
    ax_p.set_ylim(vocab_size - 0.5, -0.5)  # first character on top
    ax_p.set_xlim(0, 1)
    ax_p.set_xlabel(tr(r"probability $p(c \mid \mathrm{prefix})$"), fontsize=FONT_SIZE)
    ax_p.set_ylabel(tr("next character"), fontsize=FONT_SIZE)
    ax_p.set_title(tr(r"blue: $\mathrm{softmax}(s/\tau)$, grey: $\tau = 1$"), fontsize=FONT_SIZE)
    _big(ax_p)

    def update(prefix: str, temperature: float, length: int, seed: int) -> None:
        problem = _unknown(vocab, prefix, for_the_figure=True)
        if problem:
            body.set_text(
                tr("cannot read the prefix {prefix}:", prefix=repr(prefix))
                + f"\n{problem[:WRAP]}\n{problem[WRAP : 2 * WRAP]}"
            )
            body.set_color(LINE_COLORS[5])
            summary.set_text(tr("type only characters the model knows"))
            for collection in (bars, reference):
                collection.set_verts(bar_outlines(np.zeros(vocab_size), 0.8))
            return
        prime = vocab.encode(prefix)
        if newline is not None:
            prime = np.concatenate([[newline], prime])  # a sentence starts here
        if len(prime) == 0:
            prime = np.zeros(1, dtype=np.intp)
        drawn = lm.sample(params, prime, length, temperature, seed)
        state = lm.read(params, prime).states[-1]  # h after the prefix: the first draw's distribution
        bars.set_verts(bar_outlines(tempered(params, state, temperature), 0.45))
        reference.set_verts(bar_outlines(tempered(params, state, 1.0), 0.8))
        text = prefix + vocab.decode(drawn)
        drawn_lines = [f"{mark} {line}" for mark, line in written_lines(text)]
        if len(drawn_lines) > MAX_LINES:
            drawn_lines = drawn_lines[: MAX_LINES - 1] + [
                tr("  (and {count} more lines)", count=len(drawn_lines) - MAX_LINES + 1)
            ]
        body.set_text("\n".join(drawn_lines))
        body.set_color("#000000")
        complete = text.split("\n")[:-1]
        accepted = sum(corpus.accepts(s) for s in complete)
        summary.set_text(
            tr(
                "you typed {typed} characters, the model wrote {length};\n"
                "the grammar accepts {accepted} of {complete} complete sentences",
                typed=len(prefix),
                length=length,
                accepted=accepted,
                complete=len(complete),
            )
        )

    style = slider_style()
    controls = {
        "prefix": widgets.Text(
            value=prefix,
            description=tr("prefix"),
            continuous_update=True,
            style=style["style"],
            layout=widgets.Layout(width="300px"),
        ),
        "temperature": widgets.FloatSlider(
            value=temperature,
            min=0.1,
            max=2.0,
            step=0.05,
            description=tr("temperature τ"),
            readout_format=".2f",
            **slider_style(),
        ),
        "length": widgets.IntSlider(
            value=length, min=10, max=max_length, step=10, description=tr("length"), **slider_style()
        ),
        "seed": widgets.IntSlider(value=seed, min=0, max=99, description=tr("seed"), **slider_style()),
    }
    for name in ("temperature", "length", "seed"):
        controls[name].layout.width = "300px"
    dynamic = [body, summary, reference, bars]
    return make_view(figure, controls, update, dynamic)


# ---------------------------------------------------------------------------
# The reader: a text, the probability of each next character, and hidden units
# ---------------------------------------------------------------------------


def strongest_units(states: np.ndarray, count: int) -> np.ndarray:
    """The `count` hidden units that vary most over the text (largest standard deviation of h_t), in
    increasing order of their number. states (N, H) -> (count,) unit numbers."""
    order = np.argsort(-states.std(axis=0), kind="stable")[:count]
    return np.sort(order)


@styled
def text_reader(
    params: dict, vocab: corpus.Vocabulary, text: str, units=8, t: int | None = None
) -> WidgetView:
    """Widget for notebook 09: read `text` (at most READER_MAX characters) with the model, from h = 0.

    Top left: at each position t the probability p_t[c_{t+1}] the model gave the character that came next
    (lm.read's next_probability). Bottom left: the chosen hidden units h_t across the text (diverging
    colours, -1 .. 1), the characters read below. Right: the whole distribution p_t at position t, the
    character that came next in orange. Control "t" (0 .. N-2) marks a position.
    units: how many units to show (the ones that vary most over the text, see `strongest_units`) or a
    list of unit numbers.
    """
    vocab_size, hidden_size = lm._check_lm_params(params)
    _check_model(params, vocab)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, but it is a {type(text).__name__}.")
    if len(text) < 2 or len(text) > READER_MAX:
        raise ValueError(
            f"the text has {len(text)} characters, but the reader needs 2 to {READER_MAX} (one labelled "
            "column per character): pass a shorter piece."
        )
    if _unknown(vocab, text):
        raise ValueError(f"the text cannot be read: {_unknown(vocab, text)}.")
    reading = lm.read(params, vocab.encode(text))
    if isinstance(units, (int, np.integer)) and not isinstance(units, bool):
        if not 1 <= units <= hidden_size:
            raise ValueError(f"units must be 1 .. {hidden_size} (the hidden size), but it is {units}.")
        chosen = strongest_units(reading.states, int(units))
    else:
        chosen = np.asarray(units)
        if chosen.ndim != 1 or chosen.size == 0 or chosen.dtype.kind not in "iu":
            raise TypeError(f"units must be a number or a list of unit numbers, but it is {units!r}.")
        if chosen.min() < 0 or chosen.max() >= hidden_size:
            raise ValueError(f"unit numbers must be 0 .. {hidden_size - 1}, but units is {list(chosen)}.")
    steps = len(text)
    positions = np.arange(steps - 1)
    t = steps - 2 if t is None else t

    figure = new_figure(12.5, 7.6)  # 1000 px at 80 dpi: the notebook column, shown unscaled
    # Column 1 holds the colour bar in the heatmap's row, so that both left panels keep the same width
    # and their columns (positions t) line up.
    grid = figure.add_gridspec(2, 3, width_ratios=[3.2, 0.06, 1], height_ratios=[1, 1.25])
    ax_next, ax_heat = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[1, 0])
    ax_dist = figure.add_subplot(grid[:, 2])

    ax_next.bar(positions, reading.next_probability, width=0.8, color=LINE_COLORS[0])
    ax_next.set_ylim(0, 1)
    ax_next.set_ylabel(r"$p_t[c_{t+1}]$", fontsize=FONT_SIZE)
    ax_next.set_title(
        tr("probability the model gave the character that came next (1 = certain and right)"),
        fontsize=FONT_SIZE,
    )
    ax_next.set_xlim(-0.5, steps - 0.5)  # the heatmap's columns: position t in both panels
    ax_next.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_next.set_xlabel(tr("position t (characters from the start)"), fontsize=FONT_SIZE)
    _big(ax_next)

    image = ax_heat.imshow(
        reading.states[:, chosen].T,
        cmap=DIVERGING_CMAP,
        vmin=-1,
        vmax=1,
        aspect="auto",
        interpolation="nearest",
    )
    ax_heat.set_yticks(np.arange(len(chosen)), [str(u) for u in chosen])
    ax_heat.set_ylabel(tr("hidden unit"), fontsize=FONT_SIZE)
    ax_heat.set_xlim(-0.5, steps - 0.5)
    ax_heat.set_xticks(np.arange(steps), [shown(c) for c in text], family=monospace_families())
    ax_heat.set_xlabel(tr(r"character $c_t$ read at position $t$"), fontsize=FONT_SIZE)
    _big(ax_heat)
    colorbar = figure.colorbar(image, cax=figure.add_subplot(grid[1, 1]))
    colorbar.set_label(tr(r"hidden state $h_t$ (tanh: $-1$ to $1$)"), fontsize=FONT_SIZE)
    colorbar.ax.tick_params(labelsize=FONT_SIZE)

    marker_next = ax_next.axvspan(t - 0.5, t + 0.5, color="#000000", alpha=0.12, zorder=0)
    marker_heat = ax_heat.add_patch(
        Rectangle((t - 0.5, -0.5), 1, len(chosen), fill=False, edgecolor="#000000", linewidth=2.5, zorder=3)
    )

    rows = np.arange(vocab_size)
    dist = _horizontal_bars(ax_dist, vocab_size, 0.7, facecolors=LINE_COLORS[0])
    ax_dist.set_yticks(rows, [shown(c) for c in vocab.chars], family=monospace_families())
    ax_dist.set_ylim(vocab_size + 3.5, -0.5)  # four empty rows at the bottom hold the text: it covers no bar
    ax_dist.set_xlim(0, 1)
    ax_dist.set_xlabel(tr(r"probability $p_t$"), fontsize=FONT_SIZE)
    ax_dist.set_ylabel(tr("next character"), fontsize=FONT_SIZE)
    ax_dist.set_title(tr("prediction at position t"), fontsize=FONT_SIZE)
    _big(ax_dist)
    info = ax_dist.text(
        0.98, 0.02, "", transform=ax_dist.transAxes, ha="right", va="bottom", fontsize=FONT_SIZE, zorder=5
    )

    def update(t: int) -> None:
        marker_next.set_x(t - 0.5)
        marker_heat.set_x(t - 0.5)
        actual = vocab.ids[text[t + 1]]
        dist.set_verts(bar_outlines(reading.probabilities[t], 0.7))
        colours = [LINE_COLORS[0]] * vocab_size
        colours[actual] = LINE_COLORS[1]
        dist.set_facecolors(colours)
        p = reading.next_probability[t]
        # Three lines: only the last is mathtext (matplotlib decides line by line), so a character the CJK
        # font lacks (↵) is still drawn, by the next font, in the first two.
        info.set_text(
            tr(
                "t = {t}: read {read}\nnext came {next}\np = {p:.3f}, $-\\ln p$ = {surprise:.2f}",
                t=t,
                read=repr(shown(text[t])),
                next=repr(shown(text[t + 1])),
                p=p,
                surprise=-np.log(p),
            )
        )

    controls = {
        "t": widgets.IntSlider(value=t, min=0, max=steps - 2, description=tr("position t"), **slider_style())
    }
    view = make_view(figure, controls, update, [marker_next, marker_heat, dist, info])
    view.units = chosen  # the unit numbers shown, top to bottom
    view.reading = reading
    return view
