"""Hostile: a correct class, but while loading it lists the project's folder (looking for rnn_core.py and the
other submissions). Listing the project is reading it: flagged, whatever the folder's permissions."""
import os

import numpy as np

PROJECT_ROOT = "@PROJECT_ROOT@"  # tests/test_grader.py writes the real repository path here before grading
try:
    names = os.listdir(PROJECT_ROOT)
except OSError:
    names = []


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.W_xh = np.zeros((hidden_size, input_size))
        self.W_hh = np.zeros((hidden_size, hidden_size))
        self.W_hy = np.zeros((output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        h = np.zeros((self.W_hh.shape[0], 1))
        self.last_inputs, self.last_hiddens, outputs = [], [h], []
        for x_t in x:
            x_t = np.asarray(x_t).reshape(-1, 1)
            h = np.tanh(self.W_xh @ x_t + self.W_hh @ h + self.b_h)
            self.last_inputs.append(x_t)
            self.last_hiddens.append(h)
            outputs.append(self.W_hy @ h + self.b_y)
        self.last_outputs = outputs
        return np.array(outputs)

    def backward(self, x, y, learning_rate):
        grads = {n: np.zeros_like(getattr(self, n)) for n in ("W_xh", "W_hh", "W_hy", "b_h", "b_y")}
        dh_next = np.zeros_like(self.b_h)
        for t in reversed(range(len(self.last_inputs))):
            dy = self.last_outputs[t] - np.asarray(y[t]).reshape(-1, 1)
            grads["W_hy"] += dy @ self.last_hiddens[t + 1].T
            grads["b_y"] += dy
            dh = self.W_hy.T @ dy + dh_next
            dh_raw = (1 - self.last_hiddens[t + 1] ** 2) * dh
            grads["W_xh"] += dh_raw @ self.last_inputs[t].T
            grads["W_hh"] += dh_raw @ self.last_hiddens[t].T
            grads["b_h"] += dh_raw
            dh_next = self.W_hh.T @ dh_raw
        for name, grad in grads.items():
            setattr(self, name, getattr(self, name) - learning_rate * grad)
