"""rnn_lab.lm: the language model's BPTT against finite differences, its corpus, sampling and checks."""

import numpy as np
import pytest

import rnn_core
from rnn_lab import corpus, lm

NAMES = rnn_core.PARAM_NAMES


def random_model(vocab_size, hidden_size, scale=0.5, seed=0):
    return rnn_core.random_params(vocab_size, hidden_size, vocab_size, scale=scale, seed=seed)


def random_ids(vocab_size, steps, batch, seed):
    return np.random.default_rng(seed).integers(0, vocab_size, (steps, batch))


# ---- gradients --------------------------------------------------------------------------------


# eps: the finite difference's own error is about eps^2 (truncation) plus ulp(L) / eps (rounding of the
# loss, which grows with T*B); 1e-5 balances them for small losses, the 60-step case needs a smaller eps.
@pytest.mark.parametrize(
    "vocab_size, hidden_size, steps, batch, scale, with_h0, seed, eps",
    [
        (4, 3, 1, 1, 0.5, False, 0, 1e-5),  # a single step
        (5, 4, 7, 3, 0.5, True, 1, 1e-5),  # h0 given: gradients w.r.t. the parameters only
        (3, 4, 50, 2, 0.5, False, 2, 1e-5),  # a long sequence
        (6, 5, 60, 1, 0.9, True, 3, 3e-6),  # long, and h0 given
        (4, 5, 20, 2, 1.5, True, 5, 1e-5),  # saturated tanh: most |h| > 0.9
    ],
)
def test_bptt_agrees_with_finite_differences(
    vocab_size, hidden_size, steps, batch, scale, with_h0, seed, eps
):
    params = random_model(vocab_size, hidden_size, scale, seed)
    inputs = random_ids(vocab_size, steps, batch, seed)
    targets = random_ids(vocab_size, steps, batch, seed + 100)
    h0 = np.random.default_rng(seed).uniform(-0.9, 0.9, (hidden_size, batch)) if with_h0 else None
    loss, grads, _ = lm.bptt(params, inputs, targets, h0)
    numeric = lm.numerical_gradients(params, inputs, targets, h0, eps=eps)
    for name in NAMES:
        assert grads[name].shape == params[name].shape
        assert rnn_core.rel_error(grads[name], numeric[name]) <= 1e-7, name
    assert loss == pytest.approx(lm.sequence_loss(params, inputs, targets, h0), rel=1e-12)
    if scale > 1:  # the case really is saturated
        hiddens = lm._forward(params, inputs, None if h0 is None else h0.T)
        assert np.mean(np.abs(hiddens[1:]) > 0.9) > 0.5


def test_output_gradient_is_the_derivative_of_the_step_loss():
    y = np.random.default_rng(0).standard_normal((6, 1)) * 3
    target, eps = 4, 1e-6
    numeric = np.zeros_like(y)
    for i in range(len(y)):
        plus, minus = y.copy(), y.copy()
        plus[i] += eps
        minus[i] -= eps
        numeric[i] = (lm.step_loss(plus, target) - lm.step_loss(minus, target)) / (2 * eps)
    analytic = lm.output_gradient(y, target)
    assert rnn_core.rel_error(analytic, numeric) <= 1e-7
    # p - onehot: its entries sum to 1 - 1 = 0, and only the target's is negative.
    assert abs(analytic.sum()) < 1e-15 and analytic[target] < 0 and (np.delete(analytic, target) > 0).all()


def test_step_loss_is_minus_log_softmax():
    y = np.array([[1.0], [2.0], [0.5]])
    assert lm.step_loss(y, 1) == pytest.approx(-np.log(np.exp(2.0) / np.exp(y).sum()), rel=1e-14)


def test_one_hot_product_is_a_column_lookup():
    params = random_model(7, 4, seed=5)
    ids = np.array([3, 0, 6, 3])
    vectors = lm.one_hot(ids, 7)
    assert vectors.shape == (7, 4) and (vectors.sum(axis=0) == 1).all()
    np.testing.assert_allclose(params["W_xh"] @ vectors, params["W_xh"][:, ids], rtol=0, atol=0)
    np.testing.assert_allclose(
        lm.input_drive(params, ids), (params["W_xh"] @ vectors + params["b_h"]).T, rtol=1e-15, atol=1e-15
    )


def test_fast_bptt_equals_the_one_sequence_version_built_from_rnn_core():
    params = random_model(6, 5, seed=6)
    inputs, targets = random_ids(6, 9, 4, 6), random_ids(6, 9, 4, 7)
    h0 = np.random.default_rng(6).uniform(-0.5, 0.5, (5, 4))
    loss, grads, h_last = lm.bptt(params, inputs, targets, h0)
    total_loss, total = 0.0, {name: 0.0 for name in NAMES}
    for b in range(4):
        one = lm.bptt_one_sequence(params, inputs[:, b], targets[:, b], h0[:, [b]])
        one_loss, one_grads, one_h_last = one
        total_loss += one_loss
        total = {name: total[name] + one_grads[name] for name in NAMES}
        np.testing.assert_allclose(h_last[:, [b]], one_h_last, rtol=1e-13, atol=1e-15)
    assert loss == pytest.approx(total_loss, rel=1e-12)
    for name in NAMES:
        np.testing.assert_allclose(grads[name], total[name], rtol=1e-10, atol=1e-13, err_msg=name)


def test_carried_state_equals_running_the_concatenated_sequence():
    params = random_model(5, 6, seed=8)
    inputs, targets = random_ids(5, 12, 3, 8), random_ids(5, 12, 3, 9)
    full_loss, _, full_h_last = lm.bptt(params, inputs, targets)
    first_loss, _, middle = lm.bptt(params, inputs[:5], targets[:5])
    assert middle.shape == (6, 3)  # (H, B)
    second_loss, _, h_last = lm.bptt(params, inputs[5:], targets[5:], h0=middle)
    np.testing.assert_allclose(h_last, full_h_last, rtol=1e-13, atol=1e-15)
    assert first_loss + second_loss == pytest.approx(full_loss, rel=1e-12)


def test_truncated_with_a_chunk_as_long_as_the_text_is_full_bptt():
    params = random_model(5, 4, seed=10)
    inputs, targets = random_ids(5, 10, 2, 10), random_ids(5, 10, 2, 11)
    loss, grads, h_last = lm.bptt(params, inputs, targets)
    for truncation in (10, 25):
        cut_loss, cut, cut_h_last = lm.truncated_bptt(params, inputs, targets, truncation)
        assert cut_loss == loss
        np.testing.assert_array_equal(cut_h_last, h_last)
        for name in NAMES:
            np.testing.assert_array_equal(cut[name], grads[name])
    bias = lm.truncation_bias(params, inputs, targets, 10)
    assert bias.cosine == pytest.approx(1.0, abs=1e-12) and bias.relative_difference == 0.0


def test_truncated_bptt_carried_and_reset():
    params = random_model(5, 4, seed=12)
    inputs, targets = random_ids(5, 12, 2, 12), random_ids(5, 12, 2, 13)
    loss, grads, h_last = lm.bptt(params, inputs, targets)
    # Carried: the forward pass is the full one, so loss and last state are the full ones; the chunk
    # gradients are each chunk's own BPTT, summed.
    cut_loss, cut, cut_h_last = lm.truncated_bptt(params, inputs, targets, 4)
    assert cut_loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(cut_h_last, h_last, rtol=1e-13, atol=1e-15)
    # ...and equals the three chunks' own gradients, each chunk started from the previous one's last state.
    state, summed = None, {name: 0.0 for name in NAMES}
    for start in (0, 4, 8):
        _, chunk, state = lm.bptt(params, inputs[start : start + 4], targets[start : start + 4], h0=state)
        summed = {name: summed[name] + chunk[name] for name in NAMES}
    for name in NAMES:
        np.testing.assert_allclose(cut[name], summed[name], rtol=1e-12, atol=1e-14, err_msg=name)
    assert not np.allclose(cut["W_hh"], grads["W_hh"])  # truncation does change the gradient
    # ...and reset: every chunk from h = 0, so the last chunk alone from zero gives the same last state.
    reset_loss, _, reset_h_last = lm.truncated_bptt(params, inputs, targets, 4, carry_state=False)
    _, _, alone = lm.bptt(params, inputs[8:], targets[8:])
    np.testing.assert_allclose(reset_h_last, alone, rtol=1e-13, atol=1e-15)
    chunk_losses = sum(lm.bptt(params, inputs[s : s + 4], targets[s : s + 4])[0] for s in (0, 4, 8))
    assert reset_loss == pytest.approx(chunk_losses, rel=1e-12)
    bias = lm.truncation_bias(params, inputs, targets, 4)
    assert 0 < bias.relative_difference and bias.cosine < 1


# ---- bad input --------------------------------------------------------------------------------

V, H, T, B = 5, 4, 6, 2


@pytest.fixture
def model():
    params = random_model(V, H, seed=3)
    return params, random_ids(V, T, B, 3), random_ids(V, T, B, 4)


def _with(array, index, value, dtype=None):
    array = np.array(array, dtype=dtype)
    array[index] = value
    return array


BAD_IDS = [
    ("id too large", lambda x: _with(x, (2, 1), V), ValueError, r"id 5 at index \(2, 1\).*V = 5.*0 \.\. 4"),
    ("negative id", lambda x: _with(x, (0, 0), -1), ValueError, r"id -1 at index \(0, 0\).*0 \.\. 4"),
    ("float ids", lambda x: x.astype(float), TypeError, r"integer array.*float64"),
    ("boolean ids", lambda x: x > 2, TypeError, r"True/False"),
    ("NaN", lambda x: _with(x, (1, 0), np.nan, float), ValueError, r"NaN.*whole numbers 0 \.\. 4"),
    ("one sequence as 1-D", lambda x: x[:, 0], ValueError, r"shape \(6,\).*\(T, B\).*\[:, None\]"),
    ("3-D", lambda x: x[:, :, None], ValueError, r"shape \(6, 2, 1\).*\(T, B\)"),
    ("empty sequence", lambda x: x[:0], ValueError, r"shape \(0, 2\): it is empty"),
    ("no sequences", lambda x: x[:, :0], ValueError, r"empty"),
    ("text", lambda x: "hello", TypeError, r"the text 'hello'.*Vocabulary\.encode"),
    ("None", lambda x: None, TypeError, r"None"),
]


@pytest.mark.parametrize("which", ["inputs", "targets"])
@pytest.mark.parametrize("label, spoil, error, message", BAD_IDS, ids=[case[0] for case in BAD_IDS])
def test_bptt_rejects_bad_ids(model, which, label, spoil, error, message):
    params, inputs, targets = model
    before = {name: params[name].copy() for name in NAMES}
    good = inputs if which == "inputs" else targets
    bad = spoil(good.copy())
    kept = bad.copy() if isinstance(bad, np.ndarray) else bad
    arguments = (bad, targets) if which == "inputs" else (inputs, bad)
    with pytest.raises(error, match=which + r" .*" + message if label != "None" else message):
        lm.bptt(params, *arguments)
    for name in NAMES:
        np.testing.assert_array_equal(params[name], before[name])
    if isinstance(bad, np.ndarray):
        np.testing.assert_array_equal(bad, kept)


BAD_OTHER = [
    (
        "targets shorter",
        lambda p, x, y, h: (p, x, y[:-1], h),
        ValueError,
        r"targets has shape \(5, 2\) but inputs has shape \(6, 2\)",
    ),
    (
        "h0 wrong shape",
        lambda p, x, y, h: (p, x, y, np.zeros((H + 1, B))),
        ValueError,
        r"h0 has shape \(5, 2\).*\(H, B\) = \(4, 2\)",
    ),
    ("h0 transposed", lambda p, x, y, h: (p, x, y, np.zeros((B, H))), ValueError, r"transposed: try h0\.T"),
    (
        "h0 with NaN",
        lambda p, x, y, h: (p, x, y, _with(np.zeros((H, B)), (1, 1), np.nan)),
        ValueError,
        r"h0 contains 1 value\(s\) that are NaN",
    ),
    ("h0 text", lambda p, x, y, h: (p, x, y, "zeros"), TypeError, r"h0 must be numbers"),
    (
        "missing b_y",
        lambda p, x, y, h: ({k: v for k, v in p.items() if k != "b_y"}, x, y, h),
        KeyError,
        r"missing b_y",
    ),
    (
        "W_hy for another V",
        lambda p, x, y, h: (dict(p, W_hy=np.zeros((V + 1, H)), b_y=np.zeros((V + 1, 1))), x, y, h),
        ValueError,
        r"W_xh has 5 columns but W_hy has 6 rows",
    ),
    (
        "W_hh wrong shape",
        lambda p, x, y, h: (dict(p, W_hh=np.zeros((H, H + 1))), x, y, h),
        ValueError,
        r"W_hh has shape \(4, 5\).*must be \(4, 4\)",
    ),
    (
        "W_xh a list",
        lambda p, x, y, h: (dict(p, W_xh=p["W_xh"].tolist()), x, y, h),
        TypeError,
        r"W_xh must be a 2-D NumPy float array",
    ),
    (
        "NaN weight",
        lambda p, x, y, h: (dict(p, b_h=_with(p["b_h"], (0, 0), np.nan)), x, y, h),
        ValueError,
        r"b_h contains 1 value",
    ),
    (
        "params not a dict",
        lambda p, x, y, h: (list(p.values()), x, y, h),
        TypeError,
        r"params must be a dict",
    ),
]


@pytest.mark.parametrize("label, spoil, error, message", BAD_OTHER, ids=[case[0] for case in BAD_OTHER])
def test_bptt_rejects_bad_shapes_h0_and_params(model, label, spoil, error, message):
    params, inputs, targets = model
    before = {name: params[name].copy() for name in NAMES}
    kept_inputs, kept_targets = inputs.copy(), targets.copy()
    with pytest.raises(error, match=message):
        lm.bptt(*spoil(params, inputs, targets, None))
    for name in NAMES:
        np.testing.assert_array_equal(params[name], before[name])
    np.testing.assert_array_equal(inputs, kept_inputs)
    np.testing.assert_array_equal(targets, kept_targets)


@pytest.mark.parametrize("temperature", [0, -1.0, float("nan"), float("inf"), "1", None, True])
def test_sample_rejects_a_temperature_that_is_not_positive(model, temperature):
    params = model[0]
    with pytest.raises(ValueError, match=r"temperature must be a number greater than 0.*but it is"):
        lm.sample(params, [0], 5, temperature=temperature)


def test_truncation_must_be_a_positive_whole_number(model):
    with pytest.raises(ValueError, match=r"truncation must be at least 1, but it is 0"):
        lm.truncated_bptt(*model, 0)


def test_vocabulary_round_trip_and_unknown_characters():
    vocab = corpus.Vocabulary.of("the cat runs.\n")
    assert vocab.chars == "\n .acehnrstu" and len(vocab) == 12
    assert vocab.decode(vocab.encode("a cat.")) == "a cat."
    with pytest.raises(ValueError, match=r"character\(s\) 'doz' that are not in the vocabulary"):
        vocab.encode("a dozen")


# ---- the grammar --------------------------------------------------------------------------------


def test_generated_sentences_are_accepted_and_deterministic():
    for depth in (1, 2, 3):
        text = corpus.grammar_corpus(300, seed=0, max_depth=depth)
        sentences = text.split("\n")[:-1]
        assert len(sentences) == 300 and text.endswith(".\n")
        assert all(corpus.accepts(sentence) for sentence in sentences)
        assert corpus.grammar_corpus(300, seed=0, max_depth=depth) == text
        assert corpus.grammar_corpus(300, seed=1, max_depth=depth) != text
        # Depth 1: one clause at most; deeper: clauses really nest.
        most = max(sentence.count(" that ") for sentence in sentences)
        assert most == 1 if depth == 1 else most >= 2


WRONG = [
    "the cat run.",  # subject singular, verb plural
    "the cats runs.",
    "a cats run.",  # "a" is singular only
    "some cat runs.",  # "some" is plural only
    "the cat that the dogs chases runs.",  # the clause's verb disagrees with "dogs"
    "the cat that the dogs chase run.",  # the main verb disagrees with "cat" across the clause
    "the cats that the dog sees runs.",
    "the cat that the dog that the birds see chase runs.",  # nested: "dog ... chases"
    "the cat sees.",  # a transitive verb without its object
    "the cat runs the dog.",  # an intransitive verb with an object
    "the cat runs",  # no full stop
    "the cat runs..",
    "the cat runs .",
    "the  cat runs.",  # two spaces
    "cat runs.",  # no determiner
    "the cat that runs.",  # "that" must be followed by a noun phrase
    "the cat sees the dog that.",
    "",
    ".",
]


@pytest.mark.parametrize("sentence", WRONG)
def test_wrong_sentences_are_rejected(sentence):
    assert not corpus.accepts(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "the cat runs.",
        "some dogs sleep.",
        "the cat that the dogs chase runs.",
        "two girls that a boy that the cats hear likes see one bird that the dogs chase.",
    ],
)
def test_hand_made_right_sentences_are_accepted(sentence):
    assert corpus.accepts(sentence)


def test_zen_of_python_is_decoded_without_printing(capsys):
    zen = corpus.zen_of_python()
    assert zen.startswith("The Zen of Python, by Tim Peters") and "Beautiful is better than ugly." in zen
    assert capsys.readouterr().out == ""


def test_ngram_probabilities_follow_add_k_by_hand():
    # Text "abab" (a=0, b=1, V=3, the pad is id 2), context 1: after "a" came b twice, after "b" a once.
    model = corpus.NGramModel([0, 1, 0, 1], 3, context=1, pad_id=2, k=0.5)
    np.testing.assert_allclose(model.probabilities([0]), [0.5 / 3.5, 2.5 / 3.5, 0.5 / 3.5])
    np.testing.assert_allclose(model.probabilities([1]), [1.5 / 2.5, 0.5 / 2.5, 0.5 / 2.5])
    # Predicting "b a b" of "abab": p(b|a) p(a|b) p(b|a) -> perplexity = (that product)^(-1/3).
    product = (2.5 / 3.5) * (1.5 / 2.5) * (2.5 / 3.5)
    assert model.perplexity([0, 1, 0, 1]) == pytest.approx(product ** (-1 / 3), rel=1e-12)


# ---- sampling, perplexity, drift ----------------------------------------------------------------


def test_sampling_is_deterministic_under_a_seed():
    params = random_model(6, 5, scale=1.0, seed=20)
    first = lm.sample(params, [1, 2], 40, seed=3)
    assert first.shape == (40,) and first.min() >= 0 and first.max() < 6
    np.testing.assert_array_equal(lm.sample(params, [1, 2], 40, seed=3), first)
    assert not np.array_equal(lm.sample(params, [1, 2], 40, seed=4), first)
    assert lm.sample(params, np.zeros((1, 3), dtype=int), 7, seed=3).shape == (7, 3)


def test_a_small_temperature_takes_the_most_likely_character():
    params = random_model(6, 5, scale=1.0, seed=21)
    drawn = lm.sample(params, [0], 30, temperature=1e-4, seed=5)
    # Greedy decoding written out with the chapter's column vectors: feed argmax p_t back each step.
    h, char, greedy = np.zeros((5, 1)), 0, []
    for _ in range(30):
        h = rnn_core.rnn_step(lm.one_hot([char], 6), h, params["W_xh"], params["W_hh"], params["b_h"])
        char = int(np.argmax(rnn_core.output_step(h, params["W_hy"], params["b_y"])))
        greedy.append(char)
    np.testing.assert_array_equal(drawn, greedy)


def test_a_uniform_model_has_perplexity_V():
    # W_hy = 0 and b_y = 0: every score is 0, p = 1/V, the cross-entropy per char is ln V, exp(ln V) = V.
    params = random_model(7, 4, seed=22)
    params["W_hy"][:] = 0.0
    params["b_y"][:] = 0.0
    assert lm.perplexity(params, random_ids(7, 50, 1, 22)[:, 0]) == pytest.approx(7.0, rel=1e-12)


def test_drift_starts_at_zero_and_free_running_scores_worse():
    params = random_model(6, 8, scale=0.8, seed=23)
    ids = random_ids(6, 400, 1, 23)[:, 0]
    report = lm.teacher_forcing_drift(params, ids, prefix=5, horizon=12, windows=16, seed=0)
    assert report.teacher_loss.shape == report.free_loss.shape == report.state_distance.shape == (12,)
    # Both runs have read the same prefix before the first prediction: same state, same loss.
    assert report.state_distance[0] == 0.0
    assert report.free_loss[0] == pytest.approx(report.teacher_loss[0], rel=1e-12)
    assert report.state_distance[1:].min() > 0


# ---- training -----------------------------------------------------------------------------------


def test_training_is_deterministic_learns_and_records_the_norm_before_clipping():
    text = corpus.grammar_corpus(200, seed=0)
    vocab = corpus.Vocabulary.of(text)
    ids = vocab.encode(text)

    def run(clip):
        params = lm.init_params(len(vocab), 16, seed=0)
        return params, lm.train(params, ids, updates=200, steps=10, batch=8, clip=clip)

    params, log = run(clip=5.0)
    again, log_again = run(clip=5.0)
    assert log.losses == log_again.losses
    for name in NAMES:
        np.testing.assert_array_equal(params[name], again[name])
    # Weights of size 0.01 give nearly uniform predictions: the first loss is about ln V per character.
    assert log.losses[0] == pytest.approx(np.log(len(vocab)), rel=0.01)
    assert np.mean(log.losses[-10:]) < 0.5 * log.losses[0]
    _, clipped = run(clip=1e-6)
    assert clipped.grad_norms[0] == log.grad_norms[0] > 1e-6  # recorded before clipping


def test_ngram_sampling_is_deterministic_and_its_sentences_come_from_the_corpus_characters():
    text = corpus.grammar_corpus(100, seed=0)
    vocab = corpus.Vocabulary.of(text)
    model = corpus.NGramModel(vocab.encode(text), len(vocab), context=3, pad_id=vocab.ids["\n"])
    sentences = model.sample_sentences(vocab, 20, seed=1)
    assert len(sentences) == 20 and all("\n" not in s for s in sentences)
    assert model.sample_sentences(vocab, 20, seed=1) == sentences
    assert model.sample_sentences(vocab, 20, seed=2) != sentences


def test_rnn_sample_sentences_is_deterministic():
    text = corpus.grammar_corpus(50, seed=0)
    vocab = corpus.Vocabulary.of(text)
    params = lm.init_params(len(vocab), 8, seed=0, scale=0.5)
    sentences = lm.sample_sentences(params, vocab, 10, seed=0, stream_length=60)
    assert len(sentences) == 10 and all("\n" not in s for s in sentences)
    assert lm.sample_sentences(params, vocab, 10, seed=0, stream_length=60) == sentences


def test_training_with_the_state_reset_differs_and_is_deterministic():
    text = corpus.grammar_corpus(60, seed=0)
    vocab = corpus.Vocabulary.of(text)
    ids = vocab.encode(text)
    runs = {}
    for carry in (True, False, False):
        params = lm.init_params(len(vocab), 8, seed=0)
        log = lm.train(params, ids, updates=20, batch=4, carry_state=carry)
        runs.setdefault(carry, []).append(log.losses)
    assert runs[False][0] == runs[False][1]
    assert runs[True][0][0] == runs[False][0][0] and runs[True][0][1:] != runs[False][0][1:]


def test_agreement_probes_need_the_subjects_number():
    probes = corpus.agreement_probes()
    assert len(probes) == 1600 and len({p for p, _ in probes}) == 1600
    for prefix, number in probes[::97]:
        right, wrong = ("s.", ".") if number == corpus.SINGULAR else (".", "s.")
        assert corpus.accepts(prefix[1:] + right) and not corpus.accepts(prefix[1:] + wrong)


def test_ngram_seen_share_counts_contexts_from_training():
    model = corpus.NGramModel([0, 1, 0, 1], 3, context=2, pad_id=2)  # seen: (2,2), (2,0), (0,1), (1,0)
    # the contexts before ids[1:] are (2,1) and (1,1), never seen, and (1,0), seen
    assert model.seen_share([1, 1, 0, 1]) == pytest.approx(1 / 3)


# ---- found by a hostile tester: training loses nothing, sampling never hangs --------------------------


def _small_text():
    text = corpus.grammar_corpus(40, seed=0)
    vocab = corpus.Vocabulary.of(text)
    return vocab, vocab.encode(text), lm.init_params(len(vocab), 8, seed=0)


@pytest.mark.parametrize("frozen", ["W_hh", "b_y"])
def test_train_with_a_read_only_parameter_changes_nothing(frozen):
    _, ids, params = _small_text()
    params[frozen].setflags(write=False)
    before = {name: value.copy() for name, value in params.items()}
    with pytest.raises(ValueError, match=rf"{frozen} cannot be changed \(a read-only"):
        lm.train(params, ids, updates=3, steps=5, batch=4)
    for name in lm.PARAM_NAMES:
        np.testing.assert_array_equal(params[name], before[name])


@pytest.mark.parametrize("option", [{"callback": 5}, {"seconds": "5"}])
def test_train_checks_callback_and_seconds_before_any_update(option):
    _, ids, params = _small_text()
    before = {name: value.copy() for name, value in params.items()}
    with pytest.raises(TypeError, match=r"callback must be a function|seconds must be a positive number"):
        lm.train(params, ids, updates=3, steps=5, batch=4, **option)
    for name in lm.PARAM_NAMES:
        np.testing.assert_array_equal(params[name], before[name])


def test_an_update_that_would_overflow_stops_training_with_the_weights_before_it(monkeypatch):
    """Finite gradients so large that one step would make a weight inf: training stops, nothing changes."""
    _, ids, params = _small_text()
    before = {name: value.copy() for name, value in params.items()}

    def huge_gradients(params, inputs, targets, h0_rows=None):
        grads = {name: np.full(params[name].shape, 1e150) for name in lm.PARAM_NAMES}  # finite norm
        return 1.0, grads, np.zeros((inputs.shape[1], params["W_hh"].shape[0]))

    monkeypatch.setattr(lm, "_bptt", huge_gradients)
    log = lm.train(params, ids, updates=3, steps=5, batch=4, learning_rate=1e300, clip=None)
    assert "would have made W_xh overflow" in log.stopped and "before that update" in log.stopped
    for name in lm.PARAM_NAMES:
        np.testing.assert_array_equal(params[name], before[name])


def test_ngram_sentences_need_the_models_own_vocabulary_and_never_hang():
    vocab, ids, _ = _small_text()
    model = corpus.NGramModel(ids, len(vocab), context=3, pad_id=vocab.ids["\n"])
    without_newline = corpus.Vocabulary.of(vocab.chars.replace("\n", "") + "#")
    with pytest.raises(ValueError, match=r"needs the vocabulary the model was built from.*no newline"):
        model.sample_sentences(without_newline, 2)
    assert len(model.sample_sentences(vocab, 2)) == 2
