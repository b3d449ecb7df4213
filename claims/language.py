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


# Detection costs time in proportion to the text judged (about 0.15 ms per 1,000 characters):
# the first SAMPLE characters, about 300 words, decide as well as 20,000 did on every test article
# (bench/README.md), at a tenth of the cost on long ones.
SAMPLE = 2000


def detect_language(text: str, default: str = "en") -> str:
    """'en' or 'fr' for the text; `default` when there is nothing to judge by."""
    if _deferred.get():
        return DEFERRED
    sample = text[:SAMPLE]
    if not any(c.isalpha() for c in sample):
        sample = text[:20000]  # a long table or list of figures first: look further
    if not any(c.isalpha() for c in sample):
        return default
    language = _detector().detect_language_of(sample)
    if language is None:
        return default
    return {"ENGLISH": "en", "FRENCH": "fr"}.get(language.name, default)


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
