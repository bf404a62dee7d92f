"""The source problem's standard algorithm, restated independently of rnn_core.

Written differently on purpose (whole-sequence arrays, `@`, no shared helpers) so that the
tests compare rnn_core against a second implementation, not against itself. It follows the
standard code's semantics exactly: weights drawn W_xh, W_hh, W_hy with np.random.randn * 0.01,
zero biases, forward from h = 0, backward using the activations cached by the last forward and
the current weights, gradients summed over time, one SGD step at the end.
"""

import numpy as np


class ReferenceRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.hidden_size = hidden_size
        self.W_xh = np.random.randn(hidden_size, input_size) * 0.01
        self.W_hh = np.random.randn(hidden_size, hidden_size) * 0.01
        self.W_hy = np.random.randn(output_size, hidden_size) * 0.01
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        steps = len(x)
        inputs = np.stack([np.asarray(x[t], dtype=float).reshape(-1, 1) for t in range(steps)])
        states = np.zeros((steps + 1, self.hidden_size, 1))
        for t in range(steps):
            states[t + 1] = np.tanh(self.W_xh @ inputs[t] + self.W_hh @ states[t] + self.b_h)
        self.inputs, self.states = inputs, states
        self.outputs = np.stack([self.W_hy @ states[t + 1] + self.b_y for t in range(steps)])
        return self.outputs.copy()

    def gradients(self, y):
        steps = len(self.inputs)
        targets = np.stack([np.asarray(y[t], dtype=float).reshape(-1, 1) for t in range(steps)])
        errors = self.outputs - targets  # (T, O, 1)
        grad = {name: np.zeros_like(getattr(self, name)) for name in ("W_xh", "W_hh", "W_hy", "b_h", "b_y")}
        carry = np.zeros((self.hidden_size, 1))
        for t in range(steps - 1, -1, -1):
            grad["W_hy"] += errors[t] @ self.states[t + 1].T
            grad["b_y"] += errors[t]
            pre = (1.0 - self.states[t + 1] ** 2) * (self.W_hy.T @ errors[t] + carry)
            grad["W_xh"] += pre @ self.inputs[t].T
            grad["W_hh"] += pre @ self.states[t].T
            grad["b_h"] += pre
            carry = self.W_hh.T @ pre
        return grad

    def backward(self, x, y, learning_rate):
        for name, value in self.gradients(y).items():
            setattr(self, name, getattr(self, name) - learning_rate * value)
