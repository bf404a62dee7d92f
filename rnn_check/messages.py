"""rnn_check.messages: the one place where the checker's words are put into a language (English or Chinese).

Every sentence the checker shows is written once, in English, where the checking logic decides it, as a
template with {fields}:

    say("{name} has shape {shape}, expected {expected}", lang, name="W_hh", shape=(3, 3), expected=(4, 4))

say() looks the template up in the language's catalogue (rnn_check/messages_zh.py for Chinese: each English
template -> its Chinese template, with the same fields) and fills the fields in. So the checking logic is
never copied: verdicts, scores and the part that failed are the same in every language, only the words
differ.

lang is "en", "zh", or None: the series' current language (rnn_viz.language.current(): set_language(),
the RNN_LANGUAGE variable, or a notebook running in notebooks/zh/).

Two producers of text cannot call say(): the sandboxed child (rnn_check.child imports nothing of the
project, so it speaks English) and the sandbox parent's reasons for a failed run, which are judged by
their English words. reword() puts such a finished English text into the language by matching it against
the catalogue's templates and filling the Chinese template with the matched fields.

Fields are {name} or {name:spec} (spec as in format(): {clip:g}). Braces that are not a field of the call
stay as they are, so mathematics like h_{t-1} can be written in a template as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

LANGUAGES = ("en", "zh")
FIELD = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
REWORD_DEPTH = (
    3  # reworded fields may themselves be a template's text, e.g. a failure inside "the submission {..}"
)


def language(lang: str | None = None) -> str:
    """`lang` checked ("en" or "zh"); None: the series' current language."""
    if lang is None:
        try:
            from rnn_viz.language import current
        except ImportError:  # the Gradescope zip carries rnn_check alone: its command line always says which
            return "en"
        return current()
    if lang not in LANGUAGES:
        raise ValueError(
            'lang must be "en" (English), "zh" (Chinese) or None (the notebook\'s language), '
            f"but it is {lang!r}."
        )
    return lang


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict:
    """The language's templates, English -> translated ({} for English, which needs none)."""
    if language(lang) == "en":
        return {}
    from rnn_check.messages_zh import MESSAGES

    return MESSAGES


def fields_of(template: str) -> set:
    """The names of a template's {fields}."""
    return {match.group(1) for match in FIELD.finditer(template)}


def fill(template: str, fields: dict) -> str:
    """The template with each {field} of `fields` replaced by its value (formatted by its spec, if any)."""

    def value(match):
        name, spec = match.group(1), match.group(2)
        if name not in fields:
            return match.group(0)
        return format(fields[name], spec or "")

    return FIELD.sub(value, template)


def say(template: str, lang: str | None = None, **fields) -> str:
    """The English `template` in `lang`, with its fields filled in. A template missing from the catalogue
    stays English (tests/test_check_zh.py finds every template the checker uses in the catalogue)."""
    return fill(catalogue(language(lang)).get(template, template), fields)


@lru_cache(maxsize=None)
def _patterns(lang: str) -> list:
    """(regular expression matching a filled English template, the translated template) for every template
    with fields; the longest templates first, so that the most specific one wins."""
    found = []
    for english, translated in catalogue(lang).items():
        if not fields_of(english) or len(FIELD.sub("", english).strip()) < 4:
            continue  # no fields: found by look-up; almost nothing but fields: it would match anything
        pattern, start, seen = "", 0, set()
        for match in FIELD.finditer(english):
            name = match.group(1)  # a field said twice is the same text twice
            pattern += re.escape(english[start : match.start()]) + (
                f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            )
            start, seen = match.end(), seen | {name}
        pattern += re.escape(english[start:])
        found.append((len(english), re.compile(pattern, re.S), translated))
    return [(pattern, translated) for _, pattern, translated in sorted(found, key=lambda f: -f[0])]


def reword(text: str, lang: str | None = None, depth: int = REWORD_DEPTH) -> str:
    """A finished English text (from the child or the sandbox) in `lang`: the catalogue's translation of
    the template it was made from, its fields reworded in turn; unchanged if no template made it."""
    lang = language(lang)
    if lang == "en" or depth <= 0:
        return text
    table = catalogue(lang)
    if text in table:
        return table[text]
    for pattern, translated in _patterns(lang):
        match = pattern.fullmatch(text)
        if match:
            words = {name: reword(value, lang, depth - 1) for name, value in match.groupdict().items()}
            return FIELD.sub(lambda m: words.get(m.group(1), m.group(0)), translated)
    return text
