"""A search index over a registry, built once and shared by every document of an audit.

Exact matching uses Aho-Corasick automata (pyahocorasick): one pass over the text finds every
alias of every entity and every event term. Names match case-insensitively with accents and
punctuation ignored; acronyms, and the names of fabricated or misnamed bodies, match with their
exact capitalisation. Near-miss lookup blocks candidates by shared rare tokens, then scores them
with rapidfuzz, so it never compares a name against the whole registry.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick
from rapidfuzz import fuzz

from .model import Entity, Event, Registry
from .normalize import blank_punctuation, case_key, fold, fold_key

STOPWORDS = frozenset(
    "the of for and on in against to a an de du des la le les l d pour et en au aux contre sur "
    "nato otan".split()
)


@dataclass(frozen=True)
class NameHit:
    """A registry name found in a text: [start, end) of the original text."""

    start: int
    end: int
    entity_id: str
    kind: str  # "name" or "acronym"
    surface: str


@dataclass(frozen=True)
class TermHit:
    """An event term found in a text."""

    start: int
    end: int
    event_id: str
    kind: str  # "alias", "venue", "keyword", "place", "trigger"
    term: str


@dataclass(frozen=True)
class Match:
    """A fuzzy lookup result: the entity, the name that matched, a 0-100 score and why."""

    entity_id: str
    name: str
    score: float
    why: str


def _padded_keys(automaton: ahocorasick.Automaton, key: str, value: tuple) -> None:
    padded = f" {key} "
    existing = automaton.get(padded, ())
    if value not in existing:
        automaton.add_word(padded, existing + (value,))


_WORDS = re.compile(r"[^ ]+")


def _squeeze(prepared: str) -> tuple[str, list[int]]:
    """Collapse runs of spaces so 'State  –  Khorasan' matches 'state khorasan'; keep a position map."""
    positions: list[int] = []
    words: list[str] = []
    for match in _WORDS.finditer(prepared):
        if positions:
            positions.append(match.start() - 1)  # one space stands for the run before this word
        positions.extend(range(match.start(), match.end()))
        words.append(match.group())
    return " ".join(words), positions


def _iter_keys(automaton: ahocorasick.Automaton, prepared: str):
    """(start, end, value) in `prepared` coordinates for every padded key found."""
    squeezed, positions = _squeeze(prepared)
    padded = f" {squeezed} "
    for end_index, values in automaton.iter(padded):
        for value in values:
            length = value[-1]
            start = end_index - length - 1          # in `squeezed`
            yield positions[start], positions[start + length - 1] + 1, value


def _leftmost_longest(spans: list[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, object]] = []
    last_end = -1
    for span in spans:
        if span[0] >= last_end:
            out.append(span)
            last_end = span[1]
    return out


class RegistryIndex:
    """Everything the extractors and the audit need to find registry things in text quickly."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._names = ahocorasick.Automaton()      # folded names of real entities
        self._exact = ahocorasick.Automaton()      # case-sensitive: acronyms, misnomers
        self._events = ahocorasick.Automaton()     # folded event terms
        self._tokens: dict[str, set[int]] = defaultdict(set)
        self._choices: list[tuple[str, str, str]] = []  # (entity_id, display name, folded key)
        self.acronyms: dict[str, tuple[str, ...]] = {}
        for entity in registry.entities:
            self._add_entity(entity)
        for event in registry.events:
            self._add_event(event)
        for automaton in (self._names, self._exact, self._events):
            if len(automaton):
                automaton.make_automaton()
        self.acronyms = {k: tuple(v) for k, v in self.acronyms.items()}

    # -- building
    def _add_entity(self, entity: Entity) -> None:
        strict = not entity.exists
        for name in entity.names():
            if strict:
                key = case_key(name)
                if key:
                    _padded_keys(self._exact, key, (entity.id, "name", len(key)))
            else:
                key = fold_key(name)
                if key:
                    _padded_keys(self._names, key, (entity.id, "name", len(key)))
            self._add_choice(entity.id, name)
        for acronym in entity.acronyms:
            key = case_key(acronym)
            if key:
                _padded_keys(self._exact, key, (entity.id, "acronym", len(key)))
                existing = list(self.acronyms.get(acronym, ()))
                if entity.id not in existing:
                    existing.append(entity.id)
                self.acronyms[acronym] = existing

    def _add_choice(self, entity_id: str, name: str) -> None:
        key = fold_key(name)
        index = len(self._choices)
        self._choices.append((entity_id, name, key))
        for token in key.split():
            if len(token) > 2 and token not in STOPWORDS:
                self._tokens[token].add(index)

    def _add_event(self, event: Event) -> None:
        groups = [("alias", event.aliases.all() + (event.name,)), ("venue", event.venues.all()),
                  ("keyword", event.keywords.all()),
                  ("place", event.places), ("trigger", event.triggers.all())]
        for kind, terms in groups:
            for term in terms:
                key = fold_key(term)
                if key:
                    _padded_keys(self._events, key, (event.id, kind, len(key)))

    # -- exact matching
    def find_names(self, text: str) -> list[NameHit]:
        """Every registry name and acronym in `text`, leftmost-longest, never overlapping."""
        spans: list[tuple[int, int, object]] = []
        for automaton, prepared in ((self._names, fold(text)), (self._exact, blank_punctuation(text))):
            if not len(automaton):
                continue
            for start, end, (entity_id, kind, _) in _iter_keys(automaton, prepared):
                spans.append((start, end, (entity_id, kind)))
        hits = []
        for start, end, (entity_id, kind) in _leftmost_longest(_dedupe_spans(spans)):
            hits.append(NameHit(start, end, entity_id, kind, text[start:end]))
        return hits

    def find_event_terms(self, text: str) -> list[TermHit]:
        """Every event alias, keyword, place and trigger in `text` (overlaps allowed)."""
        if not len(self._events):
            return []
        hits = []
        for start, end, (event_id, kind, _) in _iter_keys(self._events, fold(text)):
            hits.append(TermHit(start, end, event_id, kind, text[start:end]))
        hits.sort(key=lambda h: (h.start, h.end, h.event_id, h.kind))
        return hits

    def entities_for_acronym(self, acronym: str) -> tuple[str, ...]:
        return self.acronyms.get(acronym, ())

    # -- fuzzy lookup
    def lookup(self, name: str, limit: int = 5, min_score: float = 60.0) -> list[Match]:
        """Registry entities whose names are close to `name`, best first, with the reason."""
        key = fold_key(name)
        if not key:
            return []
        query_tokens = [t for t in key.split() if len(t) > 2 and t not in STOPWORDS]
        candidates: dict[int, int] = defaultdict(int)
        # rarest tokens first: they say most about which names are candidates
        for token in sorted(set(query_tokens), key=lambda t: len(self._tokens.get(t, ())))[:4]:
            for index in self._tokens.get(token, ()):
                candidates[index] += 1
        acronym_ids = self.acronyms.get(name.strip(), ())
        if acronym_ids:
            return [Match(entity_id, name.strip(), 100.0, "acronym") for entity_id in acronym_ids][:limit]
        best: dict[str, Match] = {}
        for index, shared in candidates.items():
            entity_id, display, choice_key = self._choices[index]
            score = fuzz.token_sort_ratio(key, choice_key)
            if score < min_score:
                continue
            why = "exact name" if key == choice_key else (
                f"{shared} shared word{'s' if shared > 1 else ''}, similarity {score:.0f}")
            current = best.get(entity_id)
            if current is None or score > current.score:
                best[entity_id] = Match(entity_id, display, float(score), why)
        return sorted(best.values(), key=lambda m: (-m.score, m.entity_id))[:limit]


def _dedupe_spans(spans):
    seen = set()
    out = []
    for span in spans:
        if span not in seen:
            seen.add(span)
            out.append(span)
    return out
