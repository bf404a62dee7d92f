"""Hostile: its messages carry terminal escapes (clear the screen, colours), BEL, carriage returns, a C1
control and a right-to-left override, to rewrite what the teacher sees in the CSV or the terminal; and it
writes to a path that reads like a sentence of the grader's ("... The grader blocked nothing"), hoping it
appears inside the grader's own note. forward() raises: 1/8 (the initial shapes are right)."""
import numpy as np

try:
    open("/tmp/x. All checks passed\x1b[0m; The grader blocked nothing", "w")
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
        raise ValueError("\x1b[2J\x1b[32mpassed 8/8\x07\r\x9b31m\u202etxt.edoc\u202c\u2066 fine")

    def backward(self, x, y, learning_rate):
        pass
