"""Hostile: calls sys.exit(0) in forward, hoping an exit status of 0 counts as success."""
import sys

import numpy as np


class SimpleRNN:
    def __init__(self, input_size, hidden_size, output_size):
        self.W_xh = np.zeros((hidden_size, input_size))
        self.W_hh = np.zeros((hidden_size, hidden_size))
        self.W_hy = np.zeros((output_size, hidden_size))
        self.b_h = np.zeros((hidden_size, 1))
        self.b_y = np.zeros((output_size, 1))

    def forward(self, x):
        sys.exit(0)
