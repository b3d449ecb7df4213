"""Which language a document is written in (English or French), with lingua's offline models."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Iterator

SUPPORTED = ("en", "fr")
# What `detect_language` returns inside `deferred_detection()`: the caller detects it later, elsewhere.
DEFERRED = "(deferred)"

_deferred: ContextVar[bool] = ContextVar("deferred_language_detection", default=False)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


# Detection costs time with the length of the text judged: 1.8 ms for 2,000 characters, 0.4 ms for
# 600 (bench/README.md). The first SAMPLE characters, about 300 words, decided as well as 20,000
# did on every test article. WINDOWS stretches of WIDTH characters spread over those 2,000 decide
# as they do on all 2,127 corpus, seed, example, probe and fixture texts, at under a third of the
# cost; spread, not the first 600, so that a French article opening with an English quotation is
# still judged French.
SAMPLE = 2000
WINDOWS = 6
WIDTH = 100


def detect_language(text: str, default: str = "en") -> str:
    """'en' or 'fr' for the text; `default` when there is nothing to judge by."""
    if _deferred.get():
        return DEFERRED
    sample = text[:SAMPLE]
    if any(c.isalpha() for c in sample):
        sample = _spread(sample)
    else:
        sample = text[:20000]  # a long table or list of figures first: look further, all of it
        if not any(c.isalpha() for c in sample):
            return default
    language = _detector().detect_language_of(sample)
    if language is None:
        return default
    return {"ENGLISH": "en", "FRENCH": "fr"}.get(language.name, default)


def _spread(sample: str) -> str:
    """WINDOWS stretches of about WIDTH characters, evenly spaced over `sample` and cut at spaces
    (a word cut in two would be judged as a word), joined by spaces; a short sample whole."""
    if len(sample) <= WINDOWS * WIDTH:
        return sample
    step = len(sample) // WINDOWS
    pieces = []
    for i in range(WINDOWS):
        start = i * step
        if start:
            space = sample.find(" ", start, start + 30)
            start = space + 1 if space != -1 else start
        end = sample.rfind(" ", start + WIDTH - 30, start + WIDTH)
        pieces.append(sample[start:end if end != -1 else start + WIDTH])
    return " ".join(pieces)


@contextmanager
def deferred_detection() -> Iterator[None]:
    """Documents loaded in this block get the language DEFERRED instead of a detected one.

    Detection is the costly part of reading a plain-text document; a parallel audit reads the
    inputs in one process and lets the worker that audits a document detect its language (from
    the document's body, the text the loader would have judged), so it is spread over the workers.
    """
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
