"""rnn_viz.lm_widgets (notebook 09): the figures show what rnn_lab.lm computes, controls update them at once,
the pictures are readable from the back of a lecture hall, and bad input gets clear errors. (How fast an
update is: benchmarks/bench_widgets.py in-process, make test-browser in a real browser.)

Expected values are computed here step by step with rnn_core and lm.softmax, not with the widget's helpers.
"""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import small_models  # noqa: E402  (tests/small_models.py)
from matplotlib.text import Text  # noqa: E402

import rnn_core  # noqa: E402
import rnn_viz  # noqa: E402
from rnn_lab import corpus, lm  # noqa: E402
from rnn_viz import lm_widgets  # noqa: E402

TEXT = "the cat that the dogs chase runs.\nsome girls sleep.\n"


@pytest.fixture(scope="module")
def model():
    """A briefly trained model on the grammar corpus (seeded): (params, vocab), tests/small_models.py."""
    return small_models.language_model()


def _states_and_probabilities(params, ids):
    """h_t and p_t along ids, one rnn_core.rnn_step at a time from h = 0: (N, H), (N, V)."""
    V = params["W_xh"].shape[1]
    h, states, probabilities = np.zeros((params["W_hh"].shape[0], 1)), [], []
    for c in ids:
        x = np.zeros((V, 1))
        x[c] = 1.0
        h = rnn_core.rnn_step(x, h, params["W_xh"], params["W_hh"], params["b_h"])
        states.append(h[:, 0])
        probabilities.append(lm.softmax(rnn_core.output_step(h, params["W_hy"], params["b_y"]))[:, 0])
    return np.array(states), np.array(probabilities)


def _axes(figure, title_start):
    found = [ax for ax in figure.axes if ax.get_title().startswith(title_start)]
    assert len(found) == 1, [ax.get_title() for ax in figure.axes]
    return found[0]


# ---- the writer ------------------------------------------------------------------------------


def test_writer_shows_lm_sample_and_the_tempered_distribution(model):
    params, vocab = model
    view = lm_widgets.sample_writer(params, vocab, prefix="the dog ", temperature=0.7, length=80, seed=3)
    assert set(view.controls) == {"prefix", "temperature", "length", "seed"}
    prime = vocab.encode("\nthe dog ")
    written = "the dog " + vocab.decode(lm.sample(params, prime, 80, 0.7, 3))
    text_ax = _axes(view.figure, "what the model writes")
    body = text_ax.texts[0].get_text()
    expected = "\n".join(f"{mark} {line}" for mark, line in lm_widgets.written_lines(written))
    assert body == expected
    assert "".join(line[2:] for line in body.split("\n")) == written.replace("\n", "")  # marks removed

    _, probabilities = _states_and_probabilities(params, prime)
    scores = np.log(probabilities[-1])  # scores up to a constant, which the softmax ignores
    bars_ax = _axes(view.figure, "blue")
    tempered, reference = bars_ax.collections[1], bars_ax.collections[0]
    np.testing.assert_allclose(lm_widgets.bar_widths(tempered), lm.softmax(scores / 0.7), rtol=1e-10)
    np.testing.assert_allclose(lm_widgets.bar_widths(reference), probabilities[-1], rtol=1e-10)


def test_writer_controls_update_synchronously(model):
    params, vocab = model
    view = lm_widgets.sample_writer(params, vocab, prefix="the ", length=60)
    body = _axes(view.figure, "what the model writes").texts[0]
    bars = _axes(view.figure, "blue").collections[1]
    before, picture = body.get_text(), view.image.value
    view.controls["seed"].value = 7
    assert body.get_text() != before and view.image.value != picture
    view.controls["temperature"].value = 0.3
    sharp = lm_widgets.bar_widths(bars)
    view.controls["temperature"].value = 2.0
    flat = lm_widgets.bar_widths(bars)
    assert sharp.max() > flat.max()  # a low temperature concentrates the probability
    view.controls["length"].value = 200
    written = "the " + vocab.decode(lm.sample(params, vocab.encode("\nthe "), 200, 2.0, 7))
    assert written.split("\n")[0] in body.get_text()
    view.controls["prefix"].value = "two cats "
    assert "two cats " in body.get_text()


def test_written_lines_mark_accepted_rejected_and_unfinished_sentences():
    lines = lm_widgets.written_lines("the cat runs.\nthe cat run.\nthe dog")
    assert lines == [("✓", "the cat runs."), ("✗", "the cat run."), ("…", "the dog")]
    assert lm_widgets.written_lines("the cat runs.\n") == [("✓", "the cat runs.")]
    long = lm_widgets.written_lines("a" * 130, wrap=60)
    assert [len(line) for _, line in long] == [60, 60, 10] and [m for m, _ in long] == ["…", " ", " "]


def test_writer_names_unknown_characters_in_the_picture_and_recovers(model):
    params, vocab = model
    view = lm_widgets.sample_writer(params, vocab, prefix="the ")
    body = _axes(view.figure, "what the model writes").texts[0]
    view.controls["prefix"].value = "The Cat"
    assert "cannot read the prefix" in body.get_text() and "'CT'" in body.get_text()
    view.controls["prefix"].value = "the cat "
    assert "cannot read" not in body.get_text() and "the cat " in body.get_text()


@pytest.mark.parametrize(
    "changes, error, message",
    [
        ({"prefix": "Hello"}, ValueError, r"'H' is not among the \d+ characters"),
        ({"prefix": 3}, TypeError, "prefix must be a text"),
        ({"temperature": 0}, ValueError, "temperature must be a number greater than 0"),
        ({"temperature": 5.0}, ValueError, r"temperature must be between 0.1 and 2.0"),
        ({"length": 5000}, ValueError, r"length must be between 10 and 300"),
    ],
)
def test_writer_rejects_bad_arguments_clearly(model, changes, error, message):
    params, vocab = model
    with pytest.raises(error, match=message):
        lm_widgets.sample_writer(params, vocab, **changes)


def test_widgets_need_the_models_vocabulary(model):
    params, vocab = model
    with pytest.raises(TypeError, match="must be an rnn_lab.corpus.Vocabulary"):
        lm_widgets.sample_writer(params, vocab.chars)
    with pytest.raises(ValueError, match=r"the model knows \d+ characters but the vocabulary has 3"):
        lm_widgets.text_reader(params, corpus.Vocabulary("abc"), "abc")


# ---- the reader ------------------------------------------------------------------------------


def test_reader_shows_lm_read_probabilities_and_hidden_units(model):
    params, vocab = model
    ids = vocab.encode(TEXT)
    states, probabilities = _states_and_probabilities(params, ids)
    view = lm_widgets.text_reader(params, vocab, TEXT, units=[0, 3, 5])
    next_ax = _axes(view.figure, "probability the model gave")
    heights = [bar.get_height() for bar in next_ax.patches if bar.get_width() == pytest.approx(0.8)]
    np.testing.assert_allclose(heights, probabilities[np.arange(len(ids) - 1), ids[1:]], rtol=1e-10)
    heat = [ax for ax in view.figure.axes if ax.images][0]
    np.testing.assert_allclose(heat.images[0].get_array(), states[:, [0, 3, 5]].T, rtol=1e-10, atol=1e-14)
    assert heat.images[0].get_cmap().name.startswith(rnn_viz.DIVERGING_CMAP)
    assert heat.images[0].get_clim() == (-1, 1)
    assert [t.get_text() for t in heat.get_yticklabels()] == ["0", "3", "5"]
    assert "".join(t.get_text() for t in heat.get_xticklabels()) == TEXT.replace("\n", "↵").replace(" ", "␣")

    dist_ax = _axes(view.figure, "prediction at position t")
    for t in (0, 9, len(ids) - 2):
        view.controls["t"].value = t
        np.testing.assert_allclose(
            lm_widgets.bar_widths(dist_ax.collections[0]), probabilities[t], rtol=1e-10, atol=1e-15
        )
        colours = dist_ax.collections[0].get_facecolors()
        orange = [k for k, c in enumerate(colours) if not np.allclose(c, colours[(ids[t + 1] + 1) % len(c)])]
        assert ids[t + 1] in orange  # the character that came is the differently coloured bar
        assert heat.patches[0].get_x() == t - 0.5
        assert f"t = {t}:" in dist_ax.texts[-1].get_text()


def test_reader_chooses_the_units_that_vary_most(model):
    params, vocab = model
    states, _ = _states_and_probabilities(params, vocab.encode(TEXT))
    view = lm_widgets.text_reader(params, vocab, TEXT, units=4)
    spread = states.std(axis=0)
    assert len(view.units) == 4
    assert spread[view.units].min() >= np.sort(spread)[-4] - 1e-12
    assert list(view.units) == sorted(view.units)


@pytest.mark.parametrize(
    "text, units, error, message",
    [
        ("x", 8, ValueError, "needs 2 to 64"),
        ("the cat " * 10, 8, ValueError, "has 80 characters"),
        ("the Cat.", 8, ValueError, r"'C' is not among"),
        (TEXT, 0, ValueError, "units must be 1 .. 16"),
        (TEXT, [0, 16], ValueError, r"unit numbers must be 0 .. 15"),
        (TEXT, "all", TypeError, "units must be a number or a list"),
        (b"the cat", 8, TypeError, "text must be a str"),
    ],
)
def test_reader_rejects_bad_arguments_clearly(model, text, units, error, message):
    params, vocab = model
    with pytest.raises(error, match=message):
        lm_widgets.text_reader(params, vocab, text, units=units)


# ---- readable from the back of the hall, and fast ---------------------------------------------


def _all_texts(figure):
    return [t for t in figure.findobj(Text) if t.get_text() and t.get_visible()]


@pytest.mark.parametrize("which", ["writer", "reader"])
def test_every_text_is_at_least_14_pixels_and_axes_are_labelled(model, which):
    params, vocab = model
    with matplotlib.rc_context({"font.size": 8, "xtick.labelsize": 6, "ytick.labelsize": 6}):  # not rcParams
        if which == "writer":
            view = lm_widgets.sample_writer(params, vocab)
        else:
            view = lm_widgets.text_reader(params, vocab, TEXT)
        view.figure.canvas.draw()
        small = [
            (t.get_text()[:30], t.get_fontsize())
            for t in _all_texts(view.figure)
            if t.get_fontsize() * view.figure.dpi / 72 < 14
        ]
    assert rnn_viz.FONT_SIZE * view.figure.dpi / 72 >= 14
    assert not small, small
    for ax in view.figure.axes:
        if ax.axison and not hasattr(ax, "_colorbar"):  # a colour bar has one label, on its long side
            assert ax.get_xlabel() and ax.get_ylabel(), ax.get_title()


def test_reader_time_axis_has_integer_ticks(model):
    params, vocab = model
    view = lm_widgets.text_reader(params, vocab, TEXT)
    view.figure.canvas.draw()
    ticks = _axes(view.figure, "probability the model gave").get_xticks()
    assert np.all(ticks == np.round(ticks))


def test_full_redraw_matches_the_blitted_picture(model):
    params, vocab = model
    for view, control, value in (
        (lm_widgets.sample_writer(params, vocab), "temperature", 0.4),
        (lm_widgets.text_reader(params, vocab, TEXT), "t", 7),
    ):
        view.controls[control].value = value
        fast = np.asarray(view.figure.canvas.buffer_rgba()).copy()
        view.figure.canvas.draw()
        full = np.asarray(view.figure.canvas.buffer_rgba())
        assert np.mean(np.any(fast != full, axis=-1)) < 0.01


def test_lm_read_matches_step_by_step_and_perplexity(model):
    params, vocab = model
    ids = vocab.encode(TEXT)
    states, probabilities = _states_and_probabilities(params, ids)
    reading = lm.read(params, ids)
    np.testing.assert_allclose(reading.states, states, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(reading.probabilities, probabilities, rtol=1e-10)
    assert np.exp(-np.mean(np.log(reading.next_probability))) == pytest.approx(lm.perplexity(params, ids))
