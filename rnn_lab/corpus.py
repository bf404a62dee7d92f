"""rnn_lab.corpus: the text a character-level language model reads (notebook 09), made here, not copied.

Vocabulary        characters <-> ids
a grammar         generate_sentence, grammar_corpus, accepts, acceptance_rate, agreement_probes;
                  zen_of_python
NGramModel        a count-based baseline of the same context length
checks            check_ids, check_temperature: readable errors before any arithmetic
"""

from __future__ import annotations

import codecs
import contextlib
import io
import numbers
from dataclasses import dataclass

import numpy as np

import rnn_core


@dataclass(frozen=True)
class Vocabulary:
    """The characters a model knows, in a fixed order: character chars[i] has id i.

    Build it from a text with Vocabulary.of(text); V = len(vocabulary).
    """

    chars: str

    @classmethod
    def of(cls, text: str) -> "Vocabulary":
        """The sorted set of characters of `text` (sorted, so the ids do not depend on the text's order)."""
        if not isinstance(text, str) or not text:
            raise ValueError(f"a vocabulary is built from a non-empty text (str), but it got {text!r:.40}.")
        return cls("".join(sorted(set(text))))

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def ids(self) -> dict:
        """character -> id"""
        return {char: index for index, char in enumerate(self.chars)}

    def encode(self, text: str) -> np.ndarray:
        """text -> ids, an int array (len(text),)."""
        lookup = self.ids
        unknown = sorted(set(text) - set(lookup))
        if unknown:
            raise ValueError(
                f"the text contains character(s) {''.join(unknown)!r} that are not in the vocabulary "
                f"{self.chars!r}: build the vocabulary from a text that contains them."
            )
        return np.array([lookup[char] for char in text], dtype=np.intp)

    def decode(self, ids) -> str:
        """ids (any shape, read in order) -> text."""
        return "".join(self.chars[int(i)] for i in np.ravel(ids))


# ---------------------------------------------------------------------------
# A corpus from a grammar
#
# The sentences are generated, not copied: a tiny English-like grammar with number agreement.
#
#   SENTENCE := NP(n) " " VP(n) "."
#   NP(n)    := DET(n) " " NOUN(n) [" that " NP(m) " " TVERB(m)]     (a relative clause, nests)
#   VP(n)    := IVERB(n) | TVERB(n) " " NP(m)
#
# n, m are "singular" or "plural" and chosen at random. The verb must agree with its subject's number,
# and a relative clause sits between them: in "the cat that the dogs chase runs." the model must still
# remember "cat" (singular, so "runs") after reading "the dogs chase". Nested clauses need a stack of
# numbers: "the cat that the dogs that a bird sees chase runs." A character n-gram sees a fixed number of
# characters back; the RNN's state can in principle carry the subject's number across the clause.
# ---------------------------------------------------------------------------

SINGULAR, PLURAL = 0, 1
DETERMINERS = ({"the", "a", "one"}, {"the", "some", "two"})  # by number; "the" fits both
NOUNS = ("cat", "dog", "bird", "girl", "boy")  # plural: + "s"
TRANSITIVE = ("see", "like", "chase", "hear")  # singular: + "s"
INTRANSITIVE = ("run", "sleep", "sing", "smile")


def _noun(word: str, number: int) -> str:
    return word + "s" if number == PLURAL else word


def _verb(word: str, number: int) -> str:
    return word + "s" if number == SINGULAR else word


def generate_sentence(rng: np.random.Generator, max_depth: int = 1, clause_probability: float = 0.5) -> str:
    """One random sentence of the grammar, e.g. 'the cat that the dogs chase runs.' (no newline).

    max_depth: how deeply relative clauses may nest (1: a clause inside the subject, none inside it or in
    the object; 2 and more: clauses inside clauses); clause_probability: the chance that a noun phrase
    gets a relative clause (while the depth allows one). The default, depth 1, is what a small RNN learns
    in seconds; depth 2 needs a stack of numbers and much longer training.
    """

    def choose(options):
        options = sorted(options)  # sets have no fixed order; sorting makes the draw reproducible
        return options[rng.integers(len(options))]

    def noun_phrase(number, depth):
        words = [choose(DETERMINERS[number]), _noun(choose(NOUNS), number)]
        if depth < max_depth and rng.random() < clause_probability:
            inner = int(rng.integers(2))
            words += ["that", noun_phrase(inner, depth + 1), _verb(choose(TRANSITIVE), inner)]
        return " ".join(words)

    number = int(rng.integers(2))
    subject = noun_phrase(number, 0)
    if rng.random() < 0.5:
        predicate = _verb(choose(INTRANSITIVE), number)
    else:
        predicate = _verb(choose(TRANSITIVE), number) + " " + noun_phrase(int(rng.integers(2)), 1)
    return f"{subject} {predicate}."


def grammar_corpus(sentences: int, seed: int = 0, max_depth: int = 1) -> str:
    """`sentences` random sentences, each ending in a newline. Deterministic under `seed`."""
    sentences = rnn_core.check_size(sentences, "sentences")
    rng = np.random.default_rng(seed)
    return "".join(generate_sentence(rng, max_depth) + "\n" for _ in range(sentences))


def accepts(sentence: str) -> bool:
    """True if `sentence` (without the newline) is a sentence of the grammar above, with agreement.

    A recursive-descent parser: each grammar rule is one function that consumes words from the front.
    Words are separated by single spaces; the sentence ends with "." right after its last word.
    """
    if not isinstance(sentence, str) or not sentence.endswith(".") or sentence.endswith(" ."):
        return False
    words = sentence[:-1].split(" ")  # split(" ") keeps empty words, so double spaces fail below
    position = 0

    def take(options):
        nonlocal position
        if position < len(words) and words[position] in options:
            position += 1
            return words[position - 1]
        return None

    def noun_phrase():
        """-> the number of the phrase, or None if no noun phrase starts here."""
        determiner = take(DETERMINERS[SINGULAR] | DETERMINERS[PLURAL])
        if determiner is None:
            return None
        for number in (SINGULAR, PLURAL):
            if determiner in DETERMINERS[number] and take({_noun(n, number) for n in NOUNS}):
                break
        else:
            return None
        if take({"that"}):
            inner = noun_phrase()
            if inner is None or take({_verb(v, inner) for v in TRANSITIVE}) is None:
                return None
        return number

    number = noun_phrase()
    if number is None:
        return False
    if take({_verb(v, number) for v in TRANSITIVE}):
        if noun_phrase() is None:
            return False
    elif take({_verb(v, number) for v in INTRANSITIVE}) is None:
        return False
    return position == len(words)


def acceptance_rate(sentences) -> float:
    """The share of `sentences` (strings without newlines) that the grammar accepts."""
    sentences = list(sentences)
    return sum(accepts(s) for s in sentences) / len(sentences) if sentences else 0.0


def agreement_probes() -> list[tuple[str, int]]:
    """Sentence beginnings that test number agreement across a relative clause, with the subject's number.

    Each is "\\nthe NOUN that the NOUN2 VERB2 IVERB" (both determiners "the", which fits both numbers), e.g.
    "\\nthe cat that the dogs chase run": what comes next is "s" if the subject (cat) is singular and "."
    if it is plural. The noun nearest to the verb (dogs) and the clause's verb have the clause's number,
    which is chosen independently, so only a model that carries the subject's number across the clause
    can tell. Every combination once: 5 nouns x 2 numbers x 5 nouns x 2 numbers x 4 x 4 verbs = 1600.
    """
    probes = []
    for noun in NOUNS:
        for number in (SINGULAR, PLURAL):
            for inner_noun in NOUNS:
                for inner in (SINGULAR, PLURAL):
                    for verb in TRANSITIVE:
                        for main in INTRANSITIVE:
                            clause = f"the {_noun(inner_noun, inner)} {_verb(verb, inner)}"
                            probes.append((f"\nthe {_noun(noun, number)} that {clause} {main}", number))
    return probes


def zen_of_python() -> str:
    """The Zen of Python, a text Python itself ships: `import this` holds it rot13-encoded in this.s.

    Importing `this` prints the poem; the print is swallowed here, and the text decoded with codecs.
    """
    with contextlib.redirect_stdout(io.StringIO()):
        import this
    return codecs.decode(this.s, "rot13")


# ---------------------------------------------------------------------------
# A count-based baseline: character n-grams
# ---------------------------------------------------------------------------


class NGramModel:
    """p(next char | the previous `context` chars) from counts, with add-k (Lidstone) smoothing:

        p(c | ctx) = (count(ctx, c) + k) / (count(ctx) + k V)

    An unseen context gets the uniform 1/V. Before the start of a text the context is filled with
    `pad_id` (the newline's id for the grammar corpus: as if a sentence had just ended).
    """

    def __init__(self, ids, vocab_size: int, context: int, pad_id: int = 0, k: float = 0.001):
        self.vocab_size, self.context, self.pad_id, self.k = (
            vocab_size,
            rnn_core.check_size(context, "context"),
            pad_id,
            k,
        )
        ids = check_ids(np.reshape(ids, (-1, 1)), vocab_size, "ids")[:, 0]
        self.start = ids[-self.context :]  # where `sample` starts: the end of the training text
        self.counts = {}  # context key -> (V,) counts of the next character
        keys = self._keys(ids)  # keys[n]: the context before ids[n]
        for key, char in zip(keys.tolist(), ids.tolist()):
            counts = self.counts.get(key)
            if counts is None:
                counts = self.counts[key] = np.zeros(vocab_size)
            counts[char] += 1

    def _keys(self, ids):
        """An integer per position: the `context` ids before it, read as a number in base V."""
        padded = np.concatenate([np.full(self.context, self.pad_id, dtype=np.int64), ids.astype(np.int64)])
        keys = np.zeros(len(ids), dtype=np.int64)
        for offset in range(self.context):
            keys = keys * self.vocab_size + padded[offset : offset + len(ids)]
        return keys

    def _key(self, context_ids) -> int:
        key = 0
        for char in context_ids:
            key = key * self.vocab_size + int(char)
        return key

    def probabilities(self, context_ids) -> np.ndarray:
        """p(next | the last `context` ids of context_ids) as a (V,) array."""
        counts = self.counts.get(self._key(context_ids), np.zeros(self.vocab_size))
        return (counts + self.k) / (counts.sum() + self.k * self.vocab_size)

    def perplexity(self, ids) -> float:
        """exp of the mean cross-entropy per char over ids[1:], each predicted from the chars before it
        (the same predictions `perplexity` scores for the RNN)."""
        ids = check_ids(np.reshape(ids, (-1, 1)), self.vocab_size, "ids")[:, 0]
        keys = self._keys(ids)
        total = 0.0
        for key, char in zip(keys[1:].tolist(), ids[1:].tolist()):
            counts = self.counts.get(key)
            seen = 0.0 if counts is None else counts[char]
            all_seen = 0.0 if counts is None else counts.sum()
            total -= np.log((seen + self.k) / (all_seen + self.k * self.vocab_size))
        return float(np.exp(total / (len(ids) - 1)))

    def seen_share(self, ids) -> float:
        """The share of the positions of ids[1:] whose context (the `context` ids before) occurred in the
        training text; the others get the uniform 1/V."""
        ids = check_ids(np.reshape(ids, (-1, 1)), self.vocab_size, "ids")[:, 0]
        return float(np.mean([key in self.counts for key in self._keys(ids)[1:].tolist()]))

    def sample(self, length: int, seed: int = 0, temperature: float = 1.0) -> np.ndarray:
        """`length` ids drawn one by one, each from p(. | the `context` ids before it); seeded.

        The first context is the end of the training text (for the grammar corpus: the end of a sentence),
        a context that was seen, rather than an all-padding one that occurred only once.
        """
        temperature = check_temperature(temperature)
        rng = np.random.default_rng(seed)
        history = [self.pad_id] * (self.context - len(self.start)) + self.start.tolist()
        for _ in range(rnn_core.check_size(length, "length")):
            p = self.probabilities(history[-self.context :]) ** (1.0 / temperature)
            history.append(int(rng.choice(self.vocab_size, p=p / p.sum())))
        return np.array(history[self.context :], dtype=np.intp)

    def sample_sentences(self, vocab: Vocabulary, count: int, seed: int = 0, temperature: float = 1.0):
        """`count` sentences (without newlines) the n-gram writes, like `sample_sentences` for the RNN.

        Its first context is already a real sentence end (see `sample`), so no sentence is dropped.
        """
        if "\n" not in vocab.chars or len(vocab.chars) != self.vocab_size:
            raise ValueError(
                f"sample_sentences needs the vocabulary the model was built from ({self.vocab_size} "
                "characters, with the newline that ends a sentence), but this one has "
                f"{len(vocab.chars)} characters" + ("" if "\n" in vocab.chars else " and no newline") + "."
            )
        count, sentences, length = rnn_core.check_size(count, "count"), [], 0
        while len(sentences) < count and length < 10**7:
            length = max(2 * length, 40 * count)
            sentences = vocab.decode(self.sample(length, seed, temperature)).split("\n")[:-1]
        return sentences[:count]


def check_ids(ids, vocab_size: int, name: str) -> np.ndarray:
    """ids as a (T, B) integer array with every entry in [0, V), or a readable error."""
    if isinstance(ids, (str, bytes)):
        raise TypeError(
            f"{name} must be character ids (whole numbers), but it is the text {ids!r:.40}. "
            f"Turn a text into ids with Vocabulary.encode."
        )
    if ids is None:
        raise TypeError(f"{name} must be character ids (an integer array of shape (T, B)), but it is None.")
    try:
        array = np.asarray(ids)
    except ValueError:
        raise ValueError(
            f"{name} could not be read as a regular array: its rows have different lengths."
        ) from None
    if array.dtype.kind == "b":
        raise TypeError(f"{name} must be character ids (whole numbers), but it contains True/False values.")
    if array.dtype.kind == "f" and np.isnan(array).any():
        raise ValueError(
            f"{name} contains NaN (not a number), but character ids must be whole numbers 0 .. "
            f"{vocab_size - 1}."
        )
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must be character ids, an integer array, but it has data type {array.dtype}. "
            f"(Ids from Vocabulary.encode are integers; a float array can be turned into ids with "
            f".astype(int) only if it holds whole numbers.)"
        )
    if array.ndim != 2:
        hint = f" For one sequence, write {name}[:, None]." if array.ndim == 1 else ""
        raise ValueError(
            f"{name} has shape {array.shape}, but an array of shape (T, B) was expected: "
            f"T time steps of B sequences.{hint}"
        )
    if array.size == 0:
        raise ValueError(
            f"{name} has shape {array.shape}: it is empty, but a sequence needs at least one "
            f"time step and one sequence."
        )
    low, high = array.min(), array.max()
    if low < 0 or high >= vocab_size:
        bad = tuple(int(i) for i in np.argwhere((array < 0) | (array >= vocab_size))[0])
        raise ValueError(
            f"{name} contains the id {array[bad]} at index {bad}, but the vocabulary has "
            f"V = {vocab_size} characters, so ids must be 0 .. {vocab_size - 1}."
        )
    return array.astype(np.intp, copy=False)


def check_temperature(temperature) -> float:
    if (
        isinstance(temperature, bool)
        or not isinstance(temperature, numbers.Real)
        or not np.isfinite(temperature)
        or temperature <= 0
    ):
        raise ValueError(
            f"temperature must be a number greater than 0 (1 samples the model as it is, smaller "
            f"is greedier), but it is {temperature!r}."
        )
    return float(temperature)
