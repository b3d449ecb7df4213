"""The extraction vocabulary (claims/lexicon/*.yaml), loaded once and folded for matching."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from references.normalize import fold_key

Phrase = tuple[str, ...]


def _phrases(items) -> tuple[Phrase, ...]:
    out = {tuple(fold_key(item).split()) for item in items or () if fold_key(item)}
    return tuple(sorted(out, key=lambda p: (-len(p), p)))


@dataclass(frozen=True)
class PropertyWords:
    before: tuple[Phrase, ...]
    after: tuple[Phrase, ...]
    exclude_after: tuple[Phrase, ...]
    weak_after: tuple[Phrase, ...] = ()   # count only with one of `cues` before the number
    cues: tuple[Phrase, ...] = ()
    not_after: tuple[Phrase, ...] = ()    # compounds that look like it but are not ("service members")


@dataclass(frozen=True)
class Lexicon:
    language: str
    properties: dict[str, PropertyWords]
    comparators: dict[str, tuple[Phrase, ...]]
    subcount_markers: tuple[Phrase, ...]
    rates: dict[str, tuple[Phrase, ...]]
    not_counts: frozenset[str]
    generic_count_nouns: frozenset[str]
    not_victims: frozenset[str]
    not_people: frozenset[str]
    toll_nouns: tuple[Phrase, ...]
    toll_verbs: tuple[Phrase, ...]
    function_words: frozenset[str]
    event_nouns: frozenset[str]
    reported_claim_cues: tuple[Phrase, ...]
    reported_claim_after: tuple[Phrase, ...]
    founding_verbs: tuple[Phrase, ...]
    founding_nouns: tuple[Phrase, ...]
    possessives: frozenset[str]
    passive_auxiliaries: tuple[Phrase, ...]
    months: dict[str, int]


@lru_cache(maxsize=1)
def _raw_lexicon() -> dict:
    """The lexicon file, parsed once for both languages (libyaml's safe loader when available: 10 ms, not 75)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((Path(__file__).parent / "lexicon" / "quantities.yaml").read_text("utf-8"), Loader=loader)


@lru_cache(maxsize=4)
def lexicon(language: str) -> Lexicon:
    raw = _raw_lexicon()
    lang = language if language in ("en", "fr") else "en"
    properties = {}
    for name, per_lang in raw["properties"].items():
        words = per_lang.get(lang, {})
        properties[name] = PropertyWords(_phrases(words.get("before")), _phrases(words.get("after")),
                                         _phrases(per_lang.get("exclude_after")), _phrases(words.get("weak_after")),
                                         _phrases(words.get("cues")), _phrases(words.get("not_after")))
    months = {fold_key(m): i + 1 for i, m in enumerate(raw["months"][lang])}
    months.update({fold_key(k): v for k, v in raw["month_abbreviations"][lang].items()})
    return Lexicon(
        language=lang,
        properties=properties,
        comparators={k: _phrases(v) for k, v in raw["comparators"][lang].items()},
        subcount_markers=_phrases(raw["subcount_markers"][lang]),
        rates={k: _phrases(v[lang]) for k, v in raw["rates"].items()},
        not_counts=frozenset(fold_key(w) for w in raw["not_counts"][lang]),
        generic_count_nouns=frozenset(fold_key(w) for w in raw["generic_count_nouns"][lang]),
        not_victims=frozenset(fold_key(w) for w in raw["not_victims"][lang]),
        not_people=frozenset(fold_key(w) for w in raw["not_people"][lang]),
        toll_nouns=_phrases(raw["tolls"][lang]["nouns"]),
        toll_verbs=_phrases(raw["tolls"][lang]["verbs"]),
        function_words=frozenset(fold_key(w) for w in raw["function_words"][lang]),
        event_nouns=frozenset(fold_key(w) for w in raw["event_nouns"][lang]),
        reported_claim_cues=_phrases(raw["reported_claim_cues"][lang]),
        reported_claim_after=_phrases(raw["reported_claim_after"][lang]),
        founding_verbs=_phrases(raw["founding_verbs"][lang]),
        founding_nouns=_phrases(raw["founding_nouns"][lang]),
        possessives=frozenset(fold_key(w) for w in raw["possessives"][lang]),
        passive_auxiliaries=_phrases(raw["passive_auxiliaries"][lang]),
        months=months,
    )
