import numpy as np
import pytest

import rnn_core


@pytest.fixture
def params():
    """A small random model with non-zero biases: I=3, H=4, O=2."""
    return rnn_core.random_params(3, 4, 2, scale=0.5, seed=1)


@pytest.fixture
def sequence():
    """A sequence for the `params` model: x (T=6, 3), y (6, 2)."""
    rng = np.random.default_rng(2)
    return rng.standard_normal((6, 3)), rng.standard_normal((6, 2))


# tests/submissions holds homework files for the grader (some hostile): never collect or run them here.
collect_ignore = ["submissions"]
