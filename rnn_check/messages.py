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

A submission's own words (its exception's message, a name it chose) are never translated: passed to
say() as student(text), they are filled in as they are and, in Chinese, quoted 「like this」, so that
nothing a student writes can read as the grader's words in either language.

Two producers of text cannot call say(): the sandboxed child (rnn_check.child imports nothing of the
project, so it speaks English) and the sandbox parent's reasons for a failed run, which are judged by
their English words. reword() puts such a finished English text into the language by matching it against
the catalogue's templates and filling the Chinese template with the matched fields. It is given only
the grader's own texts (never a submission's words), and at most REWORD_LIMIT characters of them: the
matching backtracks, so its time grows steeply with the length of the text.

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
REWORD_LIMIT = 400  # longer texts are not the grader's (its reasons are cut to 300): left as they are
QUOTES = {"en": ("", ""), "zh": ("「", "」")}  # around a submission's own words
INNER_QUOTES = {"「": "『", "」": "』"}  # a quotation inside a quotation, so a student's 」 closes nothing


class StudentText(str):
    """A submission's own words (an exception's message, a type name it chose), to be shown as they are:
    say() never translates them and, in Chinese, quotes them."""


def student(text) -> StudentText:
    """`text` marked as the submission's own words (see StudentText)."""
    return StudentText(str(text))


def quoted(text: str, lang: str) -> str:
    """The submission's words as shown in `lang`: as they are in English, 「in quotes」 in Chinese (a 「 or 」
    of their own becomes 『 or 』, the marks of a quotation inside one)."""
    opening, closing = QUOTES[lang]
    if not opening:
        return text
    return opening + "".join(INNER_QUOTES.get(char, char) for char in text) + closing


def shorten(text: str, limit: int, lang: str = "en") -> str:
    """`text` in at most `limit` (>= 2) characters: if longer, cut and ended with …; in a language that quotes
    a submission's words (Chinese: 「…」), a quotation the cut left open is closed. Only the grader's marks
    count: a submission's own 「 」 inside a quotation are 『 』 (quoted())."""
    if limit < 2:
        raise ValueError(f"shorten needs a limit of at least 2 characters, not {limit}")
    if len(text) <= limit:
        return text
    cut = text[: limit - 2] + "…"
    opening, closing = QUOTES[language(lang)]
    if opening and cut.rfind(opening) > cut.rfind(closing):  # the last quotation opened is still open
        cut += closing
    return cut


def student_name(text) -> str | StudentText:
    """A name the submission chose (its exception's class): shown as code when it is a plain ASCII Python
    name like ValueError, else quoted like any of its words (type("全部检查通过", ...) is a class too)."""
    text = str(text)
    return text if text.isascii() and text.isidentifier() else student(text)


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
    """The English `template` in `lang`, with its fields filled in; a field given as student(text) is the
    submission's own words, filled in untranslated (quoted in Chinese). A template missing from the
    catalogue stays English (tests/test_check_zh.py finds every template the checker uses in it)."""
    lang = language(lang)
    shown = {
        name: quoted(value, lang) if isinstance(value, StudentText) else value
        for name, value in fields.items()
    }
    return fill(catalogue(lang).get(template, template), shown)


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
    the template it was made from, its fields reworded in turn; unchanged if no template made it, and
    unchanged if longer than REWORD_LIMIT (so its time is bounded whatever the text). Never give it a
    submission's own words: pass those to say() as student(text)."""
    lang = language(lang)
    if lang == "en" or depth <= 0 or len(text) > REWORD_LIMIT:
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
