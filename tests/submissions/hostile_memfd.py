"""Hostile: memory beyond the limit through os.memfd_create (a file with no path, not counted by
RLIMIT_AS), and many descriptors. memfd_create is refused and the descriptors are capped; the class is wrong
(it returns zeros) if either got through, so passing 8/8 means both held."""
import os

got_through = False
try:
    fd = os.memfd_create("hoard")
    os.ftruncate(fd, 1 << 30)
    got_through = True
except (OSError, AttributeError):
    pass
pipes = []
try:
    for _ in range(200):
        pipes += os.pipe()
except OSError:
    pass
for fd in pipes:
    os.close(fd)
if len(pipes) > 128:
    got_through = True

import numpy as np


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.hidden_size = hidden_size
        self.W_xh = np.random.randn(hidden_size, input_size) * 0.01
        self.W_hh = np.random.randn(hidden_size, hidden_size) * 0.01
        self.W_hy = np.random.randn(output_size, hidden_size) * 0.01
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        h = np.zeros((self.hidden_size, 1))
        self.last_inputs, self.last_hiddens, outputs = [], [h], []
        for t in range(len(x)):
            x_t = np.asarray(x[t], dtype=float).reshape(-1, 1)
            self.last_inputs.append(x_t)
            h = np.tanh(self.W_xh @ x_t + self.W_hh @ h + self.b_h)  # FORWARD_H
            self.last_hiddens.append(h)
            outputs.append(self.W_hy @ h + self.b_y)
        self.last_outputs = outputs
        return np.array(outputs)

    def backward(self, x, y, learning_rate):
        dW_xh, dW_hh, dW_hy = np.zeros_like(self.W_xh), np.zeros_like(self.W_hh), np.zeros_like(self.W_hy)
        db_h, db_y = np.zeros_like(self.b_h), np.zeros_like(self.b_y)
        dh_next = np.zeros((self.hidden_size, 1))
        for t in reversed(range(len(x))):
            dy = self.last_outputs[t] - np.asarray(y[t], dtype=float).reshape(-1, 1)
            dW_hy += dy @ self.last_hiddens[t + 1].T
            db_y += dy
            dh = self.W_hy.T @ dy + dh_next  # DH
            dh_raw = (1 - self.last_hiddens[t + 1] ** 2) * dh  # DH_RAW
            dW_xh += dh_raw @ self.last_inputs[t].T
            dW_hh += dh_raw @ self.last_hiddens[t].T  # DW_HH
            db_h += dh_raw
            dh_next = self.W_hh.T @ dh_raw
        # UPDATE
        self.W_xh -= learning_rate * dW_xh
        self.W_hh -= learning_rate * dW_hh
        self.W_hy -= learning_rate * dW_hy
        self.b_h -= learning_rate * db_h
        self.b_y -= learning_rate * db_y

if got_through:
    SimpleRNN.forward = lambda self, x: np.zeros((len(x), self.W_hy.shape[0], 1))
