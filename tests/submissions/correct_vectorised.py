"""Correct: whole-sequence arrays; the backward pass keeps dh_raw for every step and forms the
weight gradients with one einsum each, after the loop."""
import numpy as np


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        rng = np.random.default_rng(7)
        self.hidden_size = hidden_size
        self.W_xh = rng.normal(0, 0.01, (hidden_size, input_size))
        self.W_hh = rng.normal(0, 0.01, (hidden_size, hidden_size))
        self.W_hy = rng.normal(0, 0.01, (output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        X = np.asarray(x, dtype=float).reshape(len(x), -1, 1)  # (T, I, 1)
        H = np.zeros((len(X) + 1, self.hidden_size, 1))  # H[0] is the start state
        for t in range(len(X)):
            H[t + 1] = np.tanh(self.W_xh @ X[t] + self.W_hh @ H[t] + self.b_h)
        Y = np.einsum("oh,thk->tok", self.W_hy, H[1:]) + self.b_y  # (T, O, 1)
        self.last_inputs, self.last_hiddens, self.last_outputs = X, H, Y
        return Y.copy()

    def backward(self, x, y, learning_rate):
        X, H, Y = self.last_inputs, self.last_hiddens, self.last_outputs
        D = Y - np.asarray(y, dtype=float).reshape(Y.shape)  # (T, O, 1)
        R = np.zeros_like(H[1:])  # dh_raw for every t
        carry = np.zeros((self.hidden_size, 1))
        for t in range(len(X) - 1, -1, -1):
            R[t] = (1.0 - H[t + 1] ** 2) * (self.W_hy.T @ D[t] + carry)
            carry = self.W_hh.T @ R[t]
        grads = {
            "W_xh": np.einsum("thk,tik->hi", R, X),
            "W_hh": np.einsum("thk,tgk->hg", R, H[:-1]),
            "W_hy": np.einsum("tok,thk->oh", D, H[1:]),
            "b_h": R.sum(axis=0),
            "b_y": D.sum(axis=0),
        }
        for name, grad in grads.items():
            setattr(self, name, getattr(self, name) - learning_rate * grad)
