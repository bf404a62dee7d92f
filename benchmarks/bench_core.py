"""How fast is one BPTT training step? Sequences per second, side by side, in one run.

Peers, each computing the loss 1/2 * sum ||y - target||^2 and all gradients of a tanh RNN with a
linear read-out, in float64 on ONE thread:
  (a) the source problem's standard code, one sequence at a time (forward + backward incl. SGD step)
  (b) rnn_core.SimpleRNN, the same loop with input checks (forward + backward)
  (c) rnn_core.bptt, the whole batch at once
  (d) PyTorch CPU (torch.nn.RNN + torch.nn.Linear, autograd), if torch is importable
and, for the character-level language model of notebook 09 (cross-entropy loss, one-hot inputs),
rnn_lab.lm.bptt against torch (nn.RNN + nn.Linear + nn.CrossEntropyLoss), with its own ceiling line and a
floor line: the elementwise work any numpy version must do besides the products, timed alone, which bounds
the fraction of the ceiling numpy can reach.

Also prints the machine's single-thread DGEMM rate and the fraction of it that bptt reaches on the
matrix products it must do, and a ceiling: the matrix products one bptt call makes, recorded from a
real call and replayed alone, with nothing else in between. Doing these products with numpy's BLAS,
bptt cannot beat that time, so it shows how much of bptt's time is its own work and how much is the
BLAS. With torch installed, the same products are also replayed through torch's BLAS (MKL on x86).
A last row times the LSTM, rnn_lab.gated.lstm_bptt, against torch.nn.LSTM + nn.Linear, with its own ceiling
and a floor: its element-wise arithmetic alone, which NumPy cannot do faster, so products + floor bound it.
Run:  make bench   (or .venv/bin/python benchmarks/bench_core.py; --rnn, --lm, --lstm: only those rows;
--cpu-time to time with the thread's CPU time: steadier than the wall clock on a machine shared with others)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))  # standard_code.py sits beside this script

import standard_code  # noqa: E402

import rnn_core  # noqa: E402
from rnn_lab import gated, lm  # noqa: E402

SIZES = [  # (input, hidden, output, T, B)
    (1, 32, 1, 50, 64),
    (65, 128, 65, 25, 64),
]


# --cpu-time: time with the thread's CPU time instead of the wall clock. Every peer runs on this one thread
# (numpy's BLAS and torch limited to one), so on a machine shared with other jobs the time the thread
# waits for a core is left out; cache and memory-bandwidth contention are not.
CLOCK = time.thread_time if "--cpu-time" in sys.argv[1:] else time.perf_counter


def calls_for(function, budget: float) -> int:
    """How many calls of `function` take about `budget` seconds (after one warm-up call)."""
    function()
    start, calls = CLOCK(), 0
    while CLOCK() - start < budget:
        function()
        calls += 1
    return calls


def seconds_per_call(functions: dict, rounds: int = 7, budget: float = 0.05) -> dict:
    """Median time of one call for each function, measured in interleaved rounds.

    Interleaving (a round times every peer once, then the next round starts) means that a change
    in machine load affects all peers alike, so the ratios stay meaningful on a busy machine.
    """
    calls = {label: calls_for(function, budget) for label, function in functions.items()}
    samples = {label: [] for label in functions}
    for _ in range(rounds):
        for label, function in functions.items():
            start = CLOCK()
            for _ in range(calls[label]):
                function()
            samples[label].append((CLOCK() - start) / calls[label])
    return {label: statistics.median(times) for label, times in samples.items()}


def bptt_flops(input_size, hidden_size, output_size, steps, batch) -> float:
    """Floating-point operations of the matrix products in one forward + backward pass.

    Per step and sequence, forward: W_xh x (2HI), W_hh h (2HH), W_hy h (2OH); backward: dW_hy (2OH),
    W_hy^T dy (2OH), W_hh^T dh_raw (2HH), dW_xh (2HI), dW_hh (2HH).
    """
    per_step = 2 * (2 * hidden_size * input_size + 3 * hidden_size**2 + 3 * output_size * hidden_size)
    return float(per_step * steps * batch)


def dgemm_call(n: int = 512):
    """A square n x n DGEMM and its flop count, to measure the machine's single-thread rate."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    out = np.empty((n, n))
    return (lambda: np.dot(a, b, out=out)), 2.0 * n**3


def recorded_products(params, X, Y, module=rnn_core, function: str = "bptt") -> list[tuple[np.ndarray, ...]]:
    """Every matrix product one call of module.function (rnn_core.bptt by default) makes, as (a, b, out)
    arrays, in call order.

    The module does its products with np.dot; for one call its `np` is swapped for a stand-in whose
    dot records its operands before doing the real product. The records are the call's own arrays
    (views into its buffers, transposed views of the weights), not copies, so a replay touches
    memory exactly as bptt does: the same sizes, layouts and reuse of cached data.
    """
    products = []

    class RecordingNumpy:
        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def dot(a, b, out=None):
            result = np.dot(a, b) if out is None else np.dot(a, b, out=out)
            if a.ndim == 2 and b.ndim == 2:
                # A product that made a new array writes into a fresh one of its size when replayed.
                products.append((a, b, out if out is not None else np.empty_like(result)))
            return result

    with mock.patch.object(module, "np", RecordingNumpy()):
        getattr(module, function)(params, X, Y)
    return products


def replay(products):
    """A function that redoes the recorded products with np.dot, and nothing else."""

    def run():
        for a, b, out in products:
            np.dot(a, b, out=out)

    return run


def torch_replay(products):
    """The same products, on the same memory, through torch.mm (float64, one thread); None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    tensors = [tuple(torch.from_numpy(array) for array in product) for product in products]

    def run():
        for a, b, out in tensors:
            torch.mm(a, b, out=out)

    return run


def make_data(sizes, seed: int = 0):
    input_size, hidden_size, output_size, steps, batch = sizes
    rng = np.random.default_rng(seed)
    params = rnn_core.random_params(input_size, hidden_size, output_size, scale=0.1, seed=seed)
    X = rng.standard_normal((steps, batch, input_size))
    Y = rng.standard_normal((steps, batch, output_size))
    return params, X, Y


def loop_peer(model_class, sizes, X, Y):
    """One forward + backward per sequence, sequence after sequence, as the exercise does it."""
    np.random.seed(0)
    model = model_class(*sizes[:3])
    sequences = [(X[:, b], Y[:, b]) for b in range(X.shape[1])]

    def one_batch():
        for x, y in sequences:
            model.forward(x)
            model.backward(x, y, 1e-12)  # tiny rate: the work is the same, the weights barely move

    return one_batch


def torch_squared_error_step(torch, recurrent, readout, X, Y):
    """One forward and backward pass of torch's recurrent module + nn.Linear with the source problem's loss,
    1/2 * sum ||y - target||^2 (the step the benchmark times)."""
    inputs, targets = torch.from_numpy(X), torch.from_numpy(Y)
    weights = list(recurrent.parameters()) + list(readout.parameters())

    def step():
        for weight in weights:
            weight.grad = None
        states, _ = recurrent(inputs)  # (T, B, H)
        loss = 0.5 * ((readout(states) - targets) ** 2).sum()
        loss.backward()
        return loss

    return step


def torch_peer(sizes, params, X, Y):
    """torch.nn.RNN + torch.nn.Linear with the same weights and loss, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    input_size, hidden_size, output_size, _, _ = sizes
    rnn = torch.nn.RNN(input_size, hidden_size, nonlinearity="tanh", dtype=torch.float64)
    readout = torch.nn.Linear(hidden_size, output_size, dtype=torch.float64)
    with torch.no_grad():  # torch has two hidden biases; b_h goes in one, the other stays zero
        rnn.weight_ih_l0.copy_(torch.from_numpy(params["W_xh"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(params["W_hh"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(params["b_h"][:, 0]))
        rnn.bias_hh_l0.zero_()
        readout.weight.copy_(torch.from_numpy(params["W_hy"]))
        readout.bias.copy_(torch.from_numpy(params["b_y"][:, 0]))
    step = torch_squared_error_step(torch, rnn, readout, X, Y)

    # Sanity: torch computes the same loss and gradients as rnn_core.bptt.
    loss, grads = rnn_core.bptt(params, X, Y)
    assert abs(step().item() - loss) <= 1e-9 * abs(loss)
    assert np.allclose(rnn.weight_hh_l0.grad.numpy(), grads["W_hh"], rtol=1e-8, atol=1e-10)
    return step, f"(d) torch {torch.__version__} RNN+Linear"


def print_row(name, sizes, batch, peers, main_label, products, flops, dgemm, dgemm_flops, torch_label):
    """Time the peers, `name`'s recorded products replayed alone (with numpy's BLAS and torch's) and a DGEMM,
    interleaved; print one line per peer, then the GFLOP/s rate, the ceiling and torch's BLAS line."""
    product_flops = sum(2.0 * a.shape[0] * a.shape[1] * b.shape[1] for a, b, _ in products)
    assert product_flops == flops, f"the FLOP count no longer matches the products {name} makes"
    extra = {"dgemm": dgemm, "products": replay(products)}
    torch_products = torch_replay(products)
    if torch_products is not None:
        extra["torch products"] = torch_products
    times = seconds_per_call({**peers, **extra})
    dgemm_rate = dgemm_flops / times.pop("dgemm") / 1e9
    products_time, torch_products_time = times.pop("products"), times.pop("torch products", None)
    for label, seconds in times.items():
        speedup = "" if label == main_label else f"{seconds / times[main_label]:>11.2f}x"
        print(f"{str(sizes):<24}{label:<36}{batch / seconds:>12.0f}{speedup}")
    rate = flops / times[main_label] / 1e9
    print(
        f"{'':<24}{name}: {rate:.1f} GFLOP/s in its matrix products; single-thread DGEMM "
        f"(512x512): {dgemm_rate:.1f} GFLOP/s; fraction {rate / dgemm_rate:.0%}"
    )
    versus_torch = f" = {times[torch_label] / products_time:.2f}x torch" if torch_label else ""
    print(
        f"{'':<24}ceiling: {name}'s {len(products)} matrix products alone take {products_time * 1e3:.2f} ms "
        f"with numpy's BLAS, so at most {batch / products_time:.0f} sequences/s{versus_torch}; "
        f"{name} reaches {products_time / times[main_label]:.0%} of this ceiling"
    )
    if torch_products_time is not None:
        print(
            f"{'':<24}torch's BLAS does the same products in {torch_products_time * 1e3:.2f} ms "
            f"({products_time / torch_products_time:.2f}x as fast as numpy's)"
        )
    print()


def print_header(columns: str, model: str) -> None:
    header = f"{columns:<24}{'peer':<36}{'sequences/s':>12}{model + ' is':>12}"
    print(header)
    print("-" * len(header))


def rnn_rows(dgemm, dgemm_flops) -> None:
    """The source problem's RNN: the standard code, SimpleRNN, rnn_core.bptt and torch."""
    print_header("size (I, H, O, T, B)", "bptt")
    for sizes in SIZES:
        params, X, Y = make_data(sizes)
        label = "(c) rnn_core.bptt, whole batch"
        peers = {
            "(a) standard code, 1 seq at a time": loop_peer(standard_code.SimpleRNN, sizes, X, Y),
            "(b) rnn_core.SimpleRNN, 1 at a time": loop_peer(rnn_core.SimpleRNN, sizes, X, Y),
            label: lambda: rnn_core.bptt(params, X, Y),
        }
        torch_result = torch_peer(sizes, params, X, Y)
        if torch_result is not None:
            peers[torch_result[1]] = torch_result[0]
        products = recorded_products(params, X, Y)
        torch_label = torch_result[1] if torch_result else None
        print_row(
            "bptt",
            sizes,
            sizes[4],
            peers,
            label,
            products,
            bptt_flops(*sizes),
            dgemm,
            dgemm_flops,
            torch_label,
        )
    return torch_result is not None


# ---- the character-level language model's BPTT (rnn_lab.lm, notebook 09) --------------------

LM_SIZES = [(65, 128, 25, 64)]  # (V, H, T, B): min-char-rnn's shape with a batch


def lm_flops(vocab_size, hidden_size, steps, batch) -> float:
    """Floating-point operations of the matrix products one lm.bptt call makes.

    Per step and sequence, forward: W_hh h (2HH), W_hy h (2VH); backward: dW_hy (2VH), W_hy^T dy (2VH),
    W_hh^T dh_raw (2HH), dW_hh (2HH). The one-hot input needs no product: W_xh onehot(c) is the column
    W_xh[:, c] (a lookup), and dW_xh is a scatter-add of dh_raw into the input characters' columns.
    """
    return float(2 * (3 * hidden_size**2 + 3 * vocab_size * hidden_size) * steps * batch)


def make_lm_data(sizes, seed: int = 0):
    """Random weights (scale 0.1) and random character ids, inputs and targets (T, B)."""
    vocab_size, hidden_size, steps, batch = sizes
    rng = np.random.default_rng(seed)
    params = rnn_core.random_params(vocab_size, hidden_size, vocab_size, scale=0.1, seed=seed)
    return params, rng.integers(0, vocab_size, (steps, batch)), rng.integers(0, vocab_size, (steps, batch))


def torch_lm_peer(params, inputs, targets):
    """torch.nn.RNN + nn.Linear + nn.CrossEntropyLoss(reduction="sum"), same weights, or None without torch.

    nn.RNN takes float vectors, so the inputs are one-hot (T, B, V) tensors, built once outside the timed
    step (torch is not charged for building them), and torch multiplies by them as by any input.
    """
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    hidden_size, vocab_size = params["W_xh"].shape
    rnn = torch.nn.RNN(vocab_size, hidden_size, nonlinearity="tanh", dtype=torch.float64)
    readout = torch.nn.Linear(hidden_size, vocab_size, dtype=torch.float64)
    cross_entropy = torch.nn.CrossEntropyLoss(reduction="sum")
    with torch.no_grad():  # torch has two hidden biases; b_h goes in one, the other stays zero
        rnn.weight_ih_l0.copy_(torch.from_numpy(params["W_xh"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(params["W_hh"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(params["b_h"][:, 0]))
        rnn.bias_hh_l0.zero_()
        readout.weight.copy_(torch.from_numpy(params["W_hy"]))
        readout.bias.copy_(torch.from_numpy(params["b_y"][:, 0]))
    one_hot = torch.nn.functional.one_hot(torch.from_numpy(inputs), vocab_size).to(torch.float64)  # T, B, V
    flat_targets = torch.from_numpy(targets.reshape(-1))  # (T*B,)
    weights = list(rnn.parameters()) + list(readout.parameters())

    def step():
        for weight in weights:
            weight.grad = None
        states, _ = rnn(one_hot)  # (T, B, H)
        loss = cross_entropy(readout(states).reshape(-1, vocab_size), flat_targets)
        loss.backward()
        return loss

    # Sanity: torch computes the same loss and gradients as lm.bptt.
    loss, grads, _ = lm.bptt(params, inputs, targets)
    assert abs(step().item() - loss) <= 1e-9 * abs(loss)
    assert np.allclose(rnn.weight_hh_l0.grad.numpy(), grads["W_hh"], rtol=1e-8, atol=1e-10)
    assert np.allclose(rnn.weight_ih_l0.grad.numpy(), grads["W_xh"], rtol=1e-8, atol=1e-10)
    return step, f"(d) torch {torch.__version__} RNN+Linear+CE"


def lm_elementwise_floor(sizes, seed: int = 0):
    """A function that does only the work besides the matrix products that any numpy lm.bptt has to do.

    On arrays of the call's sizes, each piece once, each the fastest numpy way measured, nothing else:
      forward, per step (h_t needs h_{t-1}, so T calls each): add the drive, tanh; before: the drive lookup
      output: add b_y, exp, the sum over V of every step, the division, the loss's log; the sum over the
              steps for b_y's gradient. With the steps as columns (V, N), where these sums are fastest,
              and without the steps' maxima (since |h| <= 1, a bound on the scores from W_hy and b_y alone
              could shift them instead); lm.bptt keeps both, because they fix its rounding (see lm.py)
      backward: the slope 1 - h^2 (two passes); per step: add dh_next, multiply by the slope
      dW_xh: sort the ids (radix), count them, gather the rows in sorted order, sum every run (reduceat)
    No input checks, no softmax maximum, no copies, no bookkeeping. Timed alone, with its arrays hot in the
    cache and no matrix products in between, it is an optimistic bound: lm.bptt cannot spend less than
    this besides its products, so products / (products + floor) bounds the fraction of the ceiling that
    any numpy lm.bptt can reach.
    """
    vocab_size, hidden_size, steps, batch = sizes
    count = steps * batch
    rng = np.random.default_rng(seed)
    params, inputs, _ = make_lm_data(sizes, seed)
    table, ids, b_y = params["W_xh"].T + params["b_h"].T, inputs.ravel(), params["b_y"]
    drive, grouped = np.empty((count, hidden_size)), np.empty((count, hidden_size))
    products = rng.standard_normal((steps, batch, hidden_size))  # stands for h_{t-1} W_hh^T, dy_t W_hy
    hiddens, dh, slope = (
        np.empty((steps, batch, hidden_size)),
        np.empty_like(products),
        np.empty_like(products),
    )
    logits, scores = -20 * rng.random((vocab_size, count)), np.empty((vocab_size, count))
    dh_next = 0.01 * rng.standard_normal((batch, hidden_size))

    def run():
        np.take(table, ids, axis=0, out=drive, mode="clip")
        for t, drive_t in enumerate(drive.reshape(steps, batch, hidden_size)):
            np.add(products[t], drive_t, out=hiddens[t])
            np.tanh(hiddens[t], out=hiddens[t])
        np.add(logits, b_y, out=scores)
        np.exp(scores, out=scores)
        totals = scores.sum(axis=0)
        np.log(totals).sum()
        np.multiply(scores, 1.0 / totals, out=scores)
        scores.sum(axis=1)
        np.multiply(hiddens, hiddens, out=slope)
        np.subtract(1.0, slope, out=slope)
        for t in reversed(range(steps)):
            np.add(products[t], dh_next, out=dh[t])
            dh[t] *= slope[t]
        order = np.argsort(ids.astype(np.uint8), kind="stable")
        counts = np.bincount(ids, minlength=vocab_size)
        np.take(dh.reshape(count, hidden_size), order, axis=0, out=grouped, mode="clip")
        np.add.reduceat(grouped, (np.cumsum(counts) - counts)[counts > 0], axis=0)

    return run


def print_lm_floor(sizes, products) -> None:
    """Time the floor and the products alone, interleaved; print what fraction of the ceiling numpy allows."""
    times = seconds_per_call({"products": replay(products), "floor": lm_elementwise_floor(sizes)})
    bound = times["products"] / (times["products"] + times["floor"])
    print(
        f"{'':<24}floor: the elementwise work any numpy lm.bptt must do besides its products (tanh, the "
        f"drive, exp and the softmax sums, the slope, the dW_xh scatter-add) takes "
        f"{times['floor'] * 1e3:.2f} ms alone; with the products' {times['products'] * 1e3:.2f} ms, "
        f"at most {bound:.0%} of the ceiling"
    )
    print()


def lm_rows(dgemm, dgemm_flops) -> None:
    """lm.bptt against PyTorch, interleaved, and its recorded-products ceiling."""
    print_header("size (V, H, T, B)", "lm.bptt")
    for sizes in LM_SIZES:
        params, inputs, targets = make_lm_data(sizes)
        label = "(c) rnn_lab.lm.bptt, whole batch"
        peers = {label: lambda: lm.bptt(params, inputs, targets)}
        torch_result = torch_lm_peer(params, inputs, targets)
        if torch_result is not None:
            peers[torch_result[1]] = torch_result[0]
        products = recorded_products(params, inputs, targets, module=lm)
        torch_label = torch_result[1] if torch_result else None
        print_row(
            "lm.bptt",
            sizes,
            sizes[3],
            peers,
            label,
            products,
            lm_flops(*sizes),
            dgemm,
            dgemm_flops,
            torch_label,
        )
        print_lm_floor(sizes, products)


# ---- the LSTM row: rnn_lab.gated.lstm_bptt against torch.nn.LSTM ---------------------------------

LSTM_SIZES = (65, 128, 65, 25, 64)  # (input, hidden, output, T, B): the character-model size above


def lstm_flops(input_size, hidden_size, output_size, steps, batch) -> float:
    """Floating-point operations of the matrix products in one lstm_bptt call (forward + backward).

    lstm_bptt does one product per step, [W_h  W_x  b] [h_{t-1}; x_t; 1]: the bias is the weight of a
    constant input 1, so every input part counts I + 1 inputs. Per sequence, forward: the input parts of all
    T steps (2 * 4H(I + 1) each), the recurrent parts (2 * 4H * H) only for steps 1 .. T-1, as h_{-1} = 0,
    and the read-out (2OH per step); backward: dW_hy and dy W_hy (2OH each per step), da W_h for steps
    T-1 .. 1 (2 * 4H * H), [dW_x db] (2 * 4H(I + 1)) over all steps and dW_h (2 * 4H * H) over steps 1 .. T-1.
    """
    gates = 4 * hidden_size
    per_sequence = 2 * (
        2 * steps * gates * (input_size + 1)
        + 3 * (steps - 1) * gates * hidden_size
        + 3 * steps * output_size * hidden_size
    )
    return float(per_sequence * batch)


def make_lstm_data(sizes, seed: int = 0):
    input_size, hidden_size, output_size, steps, batch = sizes
    rng = np.random.default_rng(seed)
    params = gated.random_lstm_params(input_size, hidden_size, output_size, scale=0.1, seed=seed)
    X = rng.standard_normal((steps, batch, input_size))
    return params, X, rng.standard_normal((steps, batch, output_size))


def lstm_torch_peer(sizes, params, X, Y):
    """torch.nn.LSTM + torch.nn.Linear with the same weights and loss, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    input_size, hidden_size, output_size, _, _ = sizes
    lstm = torch.nn.LSTM(input_size, hidden_size, dtype=torch.float64)
    readout = torch.nn.Linear(hidden_size, output_size, dtype=torch.float64)
    with torch.no_grad():  # the same gate order i, f, g, o; torch's second bias stays zero
        lstm.weight_ih_l0.copy_(torch.from_numpy(params["W_x"]))
        lstm.weight_hh_l0.copy_(torch.from_numpy(params["W_h"]))
        lstm.bias_ih_l0.copy_(torch.from_numpy(params["b"][:, 0]))
        lstm.bias_hh_l0.zero_()
        readout.weight.copy_(torch.from_numpy(params["W_hy"]))
        readout.bias.copy_(torch.from_numpy(params["b_y"][:, 0]))
    step = torch_squared_error_step(torch, lstm, readout, X, Y)
    loss, grads = gated.lstm_bptt(params, X, Y)  # sanity: the same loss and gradients
    assert abs(step().item() - loss) <= 1e-9 * abs(loss)
    assert np.allclose(lstm.weight_hh_l0.grad.numpy(), grads["W_h"], rtol=1e-8, atol=1e-10)
    return step, f"(f) torch {torch.__version__} LSTM+Linear"


# The element-wise work of one lstm_bptt step, in (H, B) blocks, as lstm_bptt does it (rnn_lab.gated):
# forward  tanh over the 4H pre-activations (sigmoid via tanh), "* 0.5 + 0.5" on the 3H sigmoid rows,
#          c = f c + i g (3 passes), tanh(c), h = o tanh(c) (1);
# backward s(1 - s) on the 3H sigmoid rows (2 passes), dc += dh o (1 - tanh(c)^2) (5),
#          da_o, da_i, da_f (2 each), da_g (4), dc *= f (1).
LSTM_TANH_ROWS = (4, 1)  # tanh over 4H rows, then over H rows
LSTM_WIDE_PASSES = 2 + 2  # one-pass operations on the 3H sigmoid rows: forward, backward
LSTM_NARROW_PASSES = 4 + 16  # one-pass operations on (H, B): forward, backward


def lstm_elementwise_floor(hidden_size: int, steps: int, batch: int):
    """The element-wise arithmetic of one lstm_bptt call alone, at its least cost: a callable.

    Per step the passes listed above, each one NumPy call on arrays that stay in the cache (the same few
    (H, B) blocks every step), with no matrix products, no strided or cold memory and no copies. Any NumPy
    implementation of these equations, one ufunc per operation, does at least this work besides its products,
    so products + floor bounds how close to its ceiling lstm_bptt can come.
    """
    rng = np.random.default_rng(0)
    wide = rng.uniform(-1.0, 1.0, (4 * hidden_size, batch))  # (4H, B) a step's pre-activations
    wide_out = np.empty_like(wide)  # (4H, B) the gates; its first 3H rows: the sigmoid rows
    narrow = [rng.uniform(-1.0, 1.0, (hidden_size, batch)) for _ in range(3)]
    three = 3 * hidden_size

    def run():
        x, y, out = narrow
        for _ in range(steps):
            np.tanh(wide, out=wide_out)
            np.tanh(x, out=out)
            for _ in range(LSTM_WIDE_PASSES):
                np.multiply(wide[:three], wide_out[:three], out=wide_out[:three])
            for _ in range(LSTM_NARROW_PASSES):
                np.multiply(x, y, out=out)

    return run


def lstm_row(dgemm, dgemm_flops) -> None:
    """lstm_bptt against torch.nn.LSTM, interleaved, and its recorded-products ceiling."""
    print_header("LSTM (I, H, O, T, B)", "lstm")
    sizes = LSTM_SIZES
    params, X, Y = make_lstm_data(sizes)
    label = "(e) rnn_lab.gated.lstm_bptt"
    peers = {label: lambda: gated.lstm_bptt(params, X, Y)}
    torch_result = lstm_torch_peer(sizes, params, X, Y)
    if torch_result is not None:
        peers[torch_result[1]] = torch_result[0]
    products = recorded_products(params, X, Y, gated, "lstm_bptt")
    torch_label = torch_result[1] if torch_result else None
    print_row(
        "lstm_bptt",
        sizes,
        sizes[4],
        peers,
        label,
        products,
        lstm_flops(*sizes),
        dgemm,
        dgemm_flops,
        torch_label,
    )
    print_lstm_floor(sizes, params, X, Y, products)


def print_lstm_floor(sizes, params, X, Y, products) -> None:
    """Why lstm_bptt stays below its ceiling: its element-wise floor, timed in rounds with the call and the
    products, and the fraction of the ceiling that products + floor leave reachable."""
    _, hidden_size, _, steps, batch = sizes
    times = seconds_per_call(
        {
            "call": lambda: gated.lstm_bptt(params, X, Y),
            "products": replay(products),
            "floor": lstm_elementwise_floor(hidden_size, steps, batch),
        }
    )
    call, product_time, floor = (times[name] * 1e3 for name in ("call", "products", "floor"))
    print(
        f"{'':<24}floor: lstm_bptt's element-wise arithmetic alone (tanh and {LSTM_WIDE_PASSES} + "
        f"{LSTM_NARROW_PASSES} one-pass operations per step, in the cache) takes {floor:.2f} ms; with the "
        f"products ({product_time:.2f} ms) that is {product_time + floor:.2f} ms, so at most "
        f"{product_time / (product_time + floor):.0%} of the ceiling is reachable with NumPy; the call "
        f"({call:.2f} ms) spends {call - product_time:.2f} ms outside its products, "
        f"{product_time / call:.0%} of the ceiling in these rounds"
    )
    print()


ROWS = {"--rnn": rnn_rows, "--lm": lm_rows, "--lstm": lstm_row}


def main(argv) -> None:
    """Every row, or only those named: --rnn (the source problem's RNN), --lm, --lstm."""
    chosen = [flag for flag in argv if flag in ROWS] or list(ROWS)
    with threadpool_limits(limits=1):
        from threadpoolctl import threadpool_info

        blas = ", ".join(f"{info['internal_api']} {info['version']}" for info in threadpool_info())
        print(f"numpy {np.__version__} ({blas}), one thread; Python {sys.version.split()[0]}")
        clock = "thread CPU time" if CLOCK is time.thread_time else "wall clock"
        print(f"times ({clock}): median of 7 interleaved rounds (all peers of a size take turns)\n")
        dgemm, dgemm_flops = dgemm_call()
        for flag in chosen:
            ROWS[flag](dgemm, dgemm_flops)
        try:
            import torch  # noqa: F401
        except ImportError:
            print(
                "torch is not installed: `pip install torch` in .venv adds the PyTorch peers "
                "(never a dependency)."
            )


if __name__ == "__main__":
    main(sys.argv[1:])
