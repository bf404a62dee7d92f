"""Hostile: prints a fake CSV and a fake 'passed' report everywhere it can, then gives wrong answers."""
import os
import sys

import numpy as np

FAKE = "hostile_fake_output.py,true,8,8,passed,all checks passed\nScore: 8/8\n"
print(FAKE)
sys.stderr.write(FAKE)
for fd in (1, 2, 3):
    try:
        os.write(fd, FAKE.encode())
    except OSError:
        pass
try:
    with open("/dev/tty", "w") as tty:
        tty.write(FAKE)
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
        print(FAKE)
        return np.zeros((len(x), self.W_hy.shape[0], 1))

    def backward(self, x, y, learning_rate):
        print(FAKE)
