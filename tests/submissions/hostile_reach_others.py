"""Hostile: tries to lower the grader's (its parent's) file-size limit with resource.prlimit, which without
root killed the whole run before the CSV was written, and to send a UDP datagram out of the sandbox. Both are
refused; the class itself is correct, so it passes, with what was blocked noted for the teacher."""
import os
import resource
import socket

import numpy as np

try:
    resource.prlimit(os.getppid(), resource.RLIMIT_FSIZE, (1, 1))
except (OSError, ValueError):
    pass
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"answers?", ("127.0.0.1", 9))
except OSError:
    pass


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
