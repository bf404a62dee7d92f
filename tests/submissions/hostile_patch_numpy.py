"""Hostile: monkeypatches numpy's comparisons and tries to patch rnn_core / rnn_check, then gives wrong answers."""
import sys
import types

import numpy as np

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
try:
    import rnn_check

    rnn_check.check = lambda *args, **kwargs: "passed"
    rnn_check.judge = lambda *args, **kwargs: "passed"
except Exception:
    pass
try:
    import rnn_core

    rnn_core.gradients = lambda *args, **kwargs: None
except Exception:
    pass
sys.modules["rnn_core"] = types.SimpleNamespace(SimpleRNN=None)


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.W_xh = np.zeros((hidden_size, input_size))
        self.W_hh = np.zeros((hidden_size, hidden_size))
        self.W_hy = np.zeros((output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        return np.zeros((len(x), self.W_hy.shape[0], 1))

    def backward(self, x, y, learning_rate):
        pass
