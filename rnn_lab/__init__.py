"""rnn_lab: the experiments the notebooks run beyond the chapter in rnn_core.

    tasks     sequence tasks (sine, echo, running sum) and the notebooks' example data
    train     gradient clipping, truncated BPTT and the SGD training loop
    dynamics  spectral tools, gradients against lag, PCA of hidden states, the memory sweep
    lm        a character-level RNN language model (notebook 09)
    corpus    the text it reads: a grammar written here, its acceptance check, an n-gram baseline
    gated     the LSTM cell, its backward pass and a fast lstm_bptt (notebook 10)
    memory    the LSTM against the vanilla RNN: gradients against lag, the memory sweep, the cost

Import the module you need: `from rnn_lab import tasks, train`.
"""
