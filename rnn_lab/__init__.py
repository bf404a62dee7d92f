"""rnn_lab: the experiments the notebooks run beyond the chapter in rnn_core.

    tasks     sequence tasks (sine, echo, running sum) and the notebooks' example data
    train     gradient clipping, truncated BPTT and the SGD training loop
    dynamics  spectral tools, gradients against lag, PCA of hidden states, the memory sweep
    lm        a character-level RNN language model (notebook 09)
    gated     the LSTM (notebook 10)

Import the module you need: `from rnn_lab import tasks, train`.
"""
