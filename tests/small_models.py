"""Small trained models that several test files need, built once per test run."""

import functools

from rnn_lab import corpus, lm


@functools.lru_cache(maxsize=1)
def language_model():
    """A character model briefly trained on the grammar corpus (seeded): (params, vocab). Callers must not
    change params (it is shared): the widgets only read it."""
    text = corpus.grammar_corpus(400, seed=0)
    vocab = corpus.Vocabulary.of(text)
    params = lm.init_params(len(vocab), 16, seed=0)
    lm.train(params, vocab.encode(text), updates=150, steps=25, batch=8, learning_rate=2.0)
    return params, vocab
