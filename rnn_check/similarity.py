"""rnn_check.similarity: pairs of submissions whose code is unusually close, for the teacher to look at.

Never a verdict: two students may well write the same twenty lines of BPTT. The report only orders the
pairs so that a teacher reads the closest first.

How: each submission's code becomes a stream of tokens with every name, number, string and comment
normalised away (renaming variables or rewording comments changes nothing), and the set of its runs of
K consecutive tokens (its fingerprints). The handed-out template's runs are removed, since every student
starts from it. Two submissions' similarity is the Jaccard index of their sets, |A ∩ B| / |A ∪ B|: 1 for
the same code up to names and comments, near 0 for code written independently. A pair is reported when
its similarity is at least THRESHOLD and, in a class of at least MIN_CLASS submissions, far above the
class's usual (median + 4 median absolute deviations): a dictated algorithm makes honest solutions alike.
"""

from __future__ import annotations

import io
import keyword
import re
import statistics
import tokenize
from itertools import combinations

from rnn_check.spreadsheet import SafeWriter

K = 10  # tokens per fingerprint: long enough that a shared run means shared code, not shared syntax
THRESHOLD = 0.5
MIN_CLASS = 10  # below this many submissions the class's spread says too little: THRESHOLD alone

_FALLBACK = re.compile(r"[A-Za-z_]\w*|\d+\.?\d*(?:[eE][-+]?\d+)?|\S")  # for code that does not tokenize


def normalised_tokens(source: str) -> list:
    """The code's tokens, names -> 'N', numbers -> '0', strings -> 'S'; comments and blank lines dropped."""
    tokens, line = [], 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            kind, text, line = token.type, token.string, token.start[0]
            if kind == tokenize.NAME:
                tokens.append(text if keyword.iskeyword(text) else "N")
            elif kind == tokenize.NUMBER:
                tokens.append("0")
            elif kind == tokenize.STRING or getattr(tokenize, "FSTRING_START", None) == kind:
                tokens.append("S")
            elif kind in (tokenize.OP, tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE):
                tokens.append(text if kind == tokenize.OP else tokenize.tok_name[kind])
    except (tokenize.TokenError, IndentationError, SyntaxError):  # unfinished code: the rest, read crudely
        rest = "\n".join(text.split("#")[0] for text in source.splitlines()[line:])
        tokens += [
            "N" if t[0].isalpha() or t[0] == "_" else "0" if t[0].isdigit() else t
            for t in _FALLBACK.findall(rest)
        ]
    return tokens


def fingerprints(source: str, k: int = K) -> set:
    tokens = normalised_tokens(source)
    return {hash(tuple(tokens[i : i + k])) for i in range(len(tokens) - k + 1)}


def jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similar_pairs(sources: dict, template: str = "", threshold: float = THRESHOLD) -> list:
    """[(name_a, name_b, similarity, shared fingerprints)] of the unusually close pairs, closest first.

    sources: submission name -> code. template: the handed-out code, whose fingerprints are ignored.
    """
    common = fingerprints(template) if template else set()
    prints = {name: fingerprints(code) - common for name, code in sources.items() if code}
    scored = [
        (a, b, jaccard(prints[a], prints[b]), len(prints[a] & prints[b]))
        for a, b in combinations(sorted(prints), 2)
    ]
    if not scored:
        return []
    bar = threshold
    if len(prints) >= MIN_CLASS:
        values = [score for _, _, score, _ in scored]
        median = statistics.median(values)
        bar = max(threshold, median + 4 * statistics.median(abs(v - median) for v in values))
    return sorted((pair for pair in scored if pair[2] >= bar), key=lambda pair: (-pair[2], pair[0], pair[1]))


def write_report(path, pairs, count: int) -> None:
    """A CSV of the pairs, closest first, with a first line that says what it is and is not."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write(
            f"# {len(pairs)} of {count * (count - 1) // 2} pairs are unusually close (names, numbers, "
            "strings, comments and the handout ignored). For a teacher to read side by side; "
            "never a verdict.\n"
        )
        writer = SafeWriter(handle)  # a file name beginning with = is not a formula
        writer.writerow(["submission_a", "submission_b", "similarity", "shared_runs"])
        for a, b, score, shared in pairs:
            writer.writerow([a, b, f"{score:.3f}", shared])
