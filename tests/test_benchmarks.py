"""The benchmark's bookkeeping: its FLOP count and its ceiling measure what bptt really does.

benchmarks/bench_core.py is run by `make bench`, not by the tests; these checks keep the numbers it
prints honest when rnn_core.bptt changes.
"""

import importlib.util
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

import rnn_core

BENCH_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_core.py"


@pytest.fixture(scope="module")
def bench_core():
    spec = importlib.util.spec_from_file_location("bench_core", BENCH_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SIZES = [(3, 4, 2, 5, 6), (1, 7, 1, 1, 2)]  # (input, hidden, output, T, B)
LSTM_SIZES = [*SIZES, (2, 3, 2, 12, 2)]  # and a T of several chunks of lstm_bptt's weight-gradient products


@pytest.mark.parametrize("sizes", SIZES)
def test_recorded_products_are_the_ones_bptt_flops_counts(bench_core, sizes):
    input_size, hidden_size, output_size, steps, batch = sizes
    params, X, Y = bench_core.make_data(sizes)
    products = bench_core.recorded_products(params, X, Y)
    # One input projection, one recurrent product per step forward and backward, one output
    # product, and four for the backward pass outside the loop (dW_hy, dy W_hy, dW_xh, dW_hh).
    assert len(products) == 2 * steps + 6
    flops = sum(2.0 * a.shape[0] * a.shape[1] * b.shape[1] for a, b, _ in products)
    # Derived by hand per step and sequence: 2(2HI + 3H^2 + 3OH).
    by_hand = (
        2
        * (2 * hidden_size * input_size + 3 * hidden_size**2 + 3 * output_size * hidden_size)
        * steps
        * batch
    )
    assert flops == by_hand == bench_core.bptt_flops(*sizes)


def test_recording_does_not_change_what_bptt_returns(bench_core):
    params, X, Y = bench_core.make_data(SIZES[0])
    loss, grads = rnn_core.bptt(params, X, Y)
    bench_core.recorded_products(params, X, Y)
    assert rnn_core.np is np, "the recording stand-in must be removed after the call"
    loss_again, grads_again = rnn_core.bptt(params, X, Y)
    assert loss_again == loss
    for name in rnn_core.PARAM_NAMES:
        np.testing.assert_array_equal(grads_again[name], grads[name])


def test_replay_redoes_every_product(bench_core):
    params, X, Y = bench_core.make_data(SIZES[0])
    products = bench_core.recorded_products(params, X, Y)
    for _, _, out in products:
        out[...] = np.nan
    bench_core.replay(products)()
    # Outputs are bptt's own buffers, and one step's output is the next step's input (dh_next is
    # rewritten at every step), so check that every output was written, and the last one exactly.
    assert all(np.isfinite(out).all() for _, _, out in products)
    a, b, out = products[-1]
    np.testing.assert_allclose(out, a @ b, rtol=1e-12, atol=1e-15)


LM_SIZES = [(5, 4, 3, 2), (7, 3, 1, 4)]  # (V, H, T, B)


@pytest.mark.parametrize("sizes", LM_SIZES)
def test_recorded_lm_products_are_the_ones_lm_flops_counts(bench_core, sizes):
    vocab_size, hidden_size, steps, batch = sizes
    params, inputs, targets = bench_core.make_lm_data(sizes)
    products = bench_core.recorded_products(params, inputs, targets, module=bench_core.lm)
    # One recurrent product per step forward and backward, the scores, and three for the backward
    # pass outside the loop (dW_hy, dy W_hy, dW_hh). The one-hot input makes none: lookup and scatter-add.
    assert len(products) == 2 * steps + 4
    flops = sum(2.0 * a.shape[0] * a.shape[1] * b.shape[1] for a, b, _ in products)
    # Derived by hand per step and sequence: 2(3H^2 + 3VH).
    by_hand = 2 * (3 * hidden_size**2 + 3 * vocab_size * hidden_size) * steps * batch
    assert flops == by_hand == bench_core.lm_flops(*sizes)


def test_recording_does_not_change_what_lm_bptt_returns(bench_core):
    lm = bench_core.lm
    params, inputs, targets = bench_core.make_lm_data(LM_SIZES[0])
    loss, grads, h_last = lm.bptt(params, inputs, targets)
    bench_core.recorded_products(params, inputs, targets, module=lm)
    assert lm.np is np, "the recording stand-in must be removed after the call"
    loss_again, grads_again, h_last_again = lm.bptt(params, inputs, targets)
    assert loss_again == loss
    np.testing.assert_array_equal(h_last_again, h_last)
    for name in rnn_core.PARAM_NAMES:
        np.testing.assert_array_equal(grads_again[name], grads[name])


def test_lm_floor_does_tanh_and_exp_at_the_calls_sizes_and_no_product(bench_core, monkeypatch):
    # The floor line bounds lm.bptt's work besides its products; so it must make no product (those are
    # the ceiling's) and must do the elementwise work lm.bptt cannot skip: T tanh calls on (B, H)
    # states and one exp over the (V, T*B) scores.
    vocab_size, hidden_size, steps, batch = LM_SIZES[1]
    run = bench_core.lm_elementwise_floor(LM_SIZES[1])
    calls = []

    class CountingNumpy:
        def __getattr__(self, name):
            function = getattr(np, name)
            if name not in ("tanh", "exp", "dot", "matmul"):
                return function

            def counted(array, *args, **kwargs):
                calls.append((name, np.shape(array)))
                return function(array, *args, **kwargs)

            return counted

    monkeypatch.setattr(bench_core, "np", CountingNumpy())
    run()
    assert [call for call in calls if call[0] in ("dot", "matmul")] == []
    assert calls.count(("tanh", (batch, hidden_size))) == steps
    assert calls.count(("exp", (vocab_size, steps * batch))) == 1


@pytest.mark.parametrize("sizes", LSTM_SIZES)
def test_recorded_lstm_products_are_the_ones_lstm_flops_counts(bench_core, sizes):
    input_size, hidden_size, output_size, steps, batch = sizes
    params, X, Y = bench_core.make_lstm_data(sizes)
    products = bench_core.recorded_products(params, X, Y, bench_core.gated, "lstm_bptt")
    # One product per step forward ([W_h W_x b] [h; x; 1], its h part skipped at the zero start state),
    # one per step backward but the first (da W_h); the read-out, dW_hy and dy W_hy; d[W_h W_x b] in one
    # product per chunk of steps, two for the chunk that starts at the zero start state.
    chunks = -(-steps // bench_core.gated._CHUNK_STEPS)
    assert len(products) == steps + (steps - 1) + 3 + chunks + 1
    flops = sum(2.0 * a.shape[0] * a.shape[1] * b.shape[1] for a, b, _ in products)
    # By hand per sequence, with the bias as the weight of a constant input (I + 1 inputs):
    # 2 * (2T * 4H(I + 1) + 3(T - 1) * 4H^2 + 3T * OH).
    gates = 4 * hidden_size
    by_hand = (
        2
        * (
            2 * steps * gates * (input_size + 1)
            + 3 * (steps - 1) * gates * hidden_size
            + 3 * steps * output_size * hidden_size
        )
        * batch
    )
    assert flops == by_hand == bench_core.lstm_flops(*sizes)
    assert bench_core.gated.np is np, "the recording stand-in must be removed after the call"


def test_lstm_floor_does_the_element_wise_work_it_states(bench_core):
    """The floor line's callable: per step tanh over 4H and H rows and the stated one-pass operations."""
    hidden_size, steps, batch = 3, 4, 2
    run = bench_core.lstm_elementwise_floor(hidden_size, steps, batch)
    done = {"tanh": 0, "multiply": 0}

    class CountingNumpy:
        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def tanh(a, out):
            done["tanh"] += a.size
            return np.tanh(a, out=out)

        @staticmethod
        def multiply(a, b, out):
            done["multiply"] += out.size
            return np.multiply(a, b, out=out)

    with mock.patch.object(bench_core, "np", CountingNumpy()):
        run()
    # By hand, per step, from the passes of gated's forward loop and _backward_step: tanh over the 4H
    # pre-activations and over c (H rows); on the 3H sigmoid rows "* 0.5", "+ 0.5" forward and "1 - s",
    # "* s" backward; on (H, B): f c, i g, +, o tanh(c) forward, and 5 (dc) + 2 + 2 + 2 (da_o, da_i, da_f)
    # + 4 (da_g) + 1 (dc * f) backward.
    assert (bench_core.LSTM_WIDE_PASSES, bench_core.LSTM_NARROW_PASSES) == (2 + 2, 4 + 16)
    assert done["tanh"] == steps * (4 + 1) * hidden_size * batch
    assert done["multiply"] == steps * batch * (4 * 3 * hidden_size + 20 * hidden_size)
