"""Which language a document is written in (English or French), with lingua's offline models."""
from __future__ import annotations

from functools import lru_cache

SUPPORTED = ("en", "fr")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


def detect_language(text: str, default: str = "en") -> str:
    """'en' or 'fr' for the text; `default` when there is nothing to judge by."""
    sample = text[:20000]
    if not any(c.isalpha() for c in sample):
        return default
    language = _detector().detect_language_of(sample)
    if language is None:
        return default
    return {"ENGLISH": "en", "FRENCH": "fr"}.get(language.name, default)
