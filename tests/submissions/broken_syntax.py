"""Broken: a syntax error (a missing colon)."""
import numpy as np


class SimpleRNN
    def __init__(self, input_size, hidden_size, output_size):
        self.hidden_size = hidden_size
