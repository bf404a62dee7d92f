"""Hostile: forward never returns (a busy loop that also ignores the CPU-limit signal)."""
import signal

import numpy as np

signal.signal(signal.SIGXCPU, signal.SIG_IGN)


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.W_xh = np.zeros((hidden_size, input_size))
        self.W_hh = np.zeros((hidden_size, hidden_size))
        self.W_hy = np.zeros((output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        while True:
            pass
