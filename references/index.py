"""A search index over a registry, built once and shared by every document of an audit.

Exact matching uses Aho-Corasick automata (daachorse's double arrays with the `fast` extra,
pyahocorasick otherwise): one pass over the text finds every alias of every entity and every
event term. Names match case-insensitively with accents and punctuation ignored; acronyms, and
the names of fabricated or misnamed bodies, match with their exact capitalisation. Near-miss
lookup blocks candidates by shared rare tokens, then scores them with rapidfuzz, so it never
compares a name against the whole registry.
"""
from __future__ import annotations

import copy
import math
import mmap
import pickle
import re
from array import array
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from zlib import crc32

from rapidfuzz import fuzz, process

from .model import Entity, Event, PackedStrings, Registry, as_array, as_bytes, out_of_band
from .normalize import case_key, fold, fold_key

try:  # the `fast` extra (docs/scale.md); its wheels do not cover every platform pyahocorasick's do
    from daachorse import CharwiseDoubleArrayAhoCorasick
except ImportError:  # pragma: no cover - depends on the installation
    CharwiseDoubleArrayAhoCorasick = None

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


def _padded_keys(keys: dict[str, list[tuple[str, str]]], key: str, value: tuple[str, str]) -> None:
    """Keys are looked for as ' key ' in text padded and squeezed the same way: the automaton
    itself then keeps to word boundaries."""
    values = keys.setdefault(f" {key} ", [])
    if value not in values:
        values.append(value)


# the packed values of a key: "owner<field>kind<value>owner<field>kind"; registry ids cannot hold either
_FIELD, _VALUE = "\x1f", "\x1e"
# The owner field of a value that stands for a case-sensitive key among the folded ones: this mark
# then the key's number; its kind field is the key itself (see RegistryIndex._fold_exact_keys).
_EXACT = "\x1d"


def _packed(values: list[tuple[str, str]]) -> str:
    for owner, kind in values:
        if _FIELD in owner or _VALUE in owner or _FIELD in kind or _VALUE in kind:
            raise ValueError(f"an id or kind holds a control character: {owner!r} {kind!r}")
    return _VALUE.join(owner + _FIELD + kind for owner, kind in values)


def _unpacked(packed: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(value.split(_FIELD)) for value in packed.split(_VALUE))


def automaton_backend() -> str:
    """The library the index's automata are built with: daachorse when installed, else pyahocorasick."""
    return "daachorse" if CharwiseDoubleArrayAhoCorasick is not None else "pyahocorasick"


def automaton_module(backend: str) -> str:
    """The file of the backend's compiled module (a cache built by another build is not reused)."""
    if backend == "daachorse":
        import daachorse
        return daachorse.daachorse.__file__
    import ahocorasick
    return ahocorasick.__file__


class KeyAutomaton:
    """Padded keys found in one pass over a text, each with its (owner id, kind) values.

    With daachorse the automaton is a double array that serialises to one block of bytes;
    pyahocorasick's trie is pickled. Building either back costs in proportion to the registry
    (0.25 s for daachorse's at 1M names, about 1 s for pyahocorasick's), so a load keeps the bytes
    (mapped from the compiled-registry cache) and builds the automaton only when the texts searched
    have cost, looked up word sequence by word sequence in the key table (`KeyTable`), about what
    building it would: the audit of one article never builds it, a corpus builds it once, early.
    Either way the hits are the same. The values stay packed in one string until a hit asks for
    them (unpickling a tuple per key cost 0.57 s at 1M names), then are kept decoded for the next hit.
    """

    def __init__(self, keys: dict[str, list[tuple[str, str]]], backend: str | None = None):
        self.backend = backend or automaton_backend()
        if self.backend not in ("daachorse", "pyahocorasick"):
            raise ValueError(f"unknown automaton library {self.backend!r}")
        self._values = PackedStrings([_packed(values) for values in keys.values()])
        self._decoded: dict[int, tuple] = {}
        self._table = KeyTable([key[1:-1] for key in keys])
        self._serialized: bytes | memoryview | None = None  # the automaton's, until it is built from them
        self._probes_left = 0  # what the table may still be asked before building the automaton pays
        if not keys:
            self._automaton = None
        elif self.backend == "daachorse":
            self._automaton = _double_array()(list(keys))
        else:
            import ahocorasick

            self._automaton = ahocorasick.Automaton()
            for pattern, key in enumerate(keys):
                self._automaton.add_word(key, (pattern, len(key)))
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._values)

    def values(self, pattern: int) -> tuple[tuple[str, ...], ...]:
        """The key's values, decoded once per process for the keys met (common words are met often:
        the folded forms of acronyms such as 'IS' or 'LES' are hits that their case then rejects)."""
        values = self._decoded.get(pattern)
        if values is None:
            if len(self._decoded) >= DECODED_MAX:
                self._decoded.clear()
            values = self._decoded[pattern] = _unpacked(self._values[pattern])
        return values

    def find(self, padded: str):
        """(start, end, values) of every key in `padded` (padded with a space at each end and
        squeezed), overlaps included; start and end leave out the key's padding."""
        if not len(self._values):
            return
        if self._automaton is None:
            words = padded.split(" ")
            probes = (len(words) - 2) * self._table.longest
            if probes <= self._probes_left:
                self._probes_left -= probes
                for start, end, pattern in self._table.find(words):
                    yield start, end, self.values(pattern)
                return
            self.build()
        if self.backend == "daachorse":
            for start, end, pattern in self._automaton.find_overlapping(padded):
                yield start + 1, end - 1, self.values(pattern)
        else:
            for last, (pattern, length) in self._automaton.iter(padded):  # `last`: the closing space
                yield last - length + 2, last, self.values(pattern)

    def build(self) -> None:
        """Build the automaton from the bytes a load kept, if it has not been yet."""
        if self._automaton is None and self._serialized is not None:
            _unmap_pages(self._serialized)  # the key table's, read so far
            serialized = bytes(self._serialized)
            _unmap_pages(self._serialized)  # the automaton's, just copied
            if self.backend == "daachorse":
                self._automaton = _double_array().deserialize(serialized)
            else:
                self._automaton = pickle.loads(serialized)
            self._serialized = None

    def __reduce_ex__(self, protocol):
        serialized = self._serialized
        if serialized is None and self._automaton is not None:
            serialized = (self._automaton.serialize() if self.backend == "daachorse"
                          else pickle.dumps(self._automaton, protocol))
        if serialized is not None:
            serialized = out_of_band(serialized, protocol)
        return _key_automaton, (self.backend, serialized, self._values, self._table)


def _unmap_pages(view) -> None:
    """Unmap the pages of the cache file that this process has read (they are read again from the
    page cache when next used): once copied out, the automaton's 158 MB at 1M names would
    otherwise count twice in the process's memory while it builds, and once for good after."""
    owner = getattr(view, "obj", None)
    if isinstance(owner, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        owner.madvise(mmap.MADV_DONTNEED)


def _key_automaton(backend: str, serialized, values: PackedStrings, table: "KeyTable") -> KeyAutomaton:
    if backend == "daachorse" and serialized is not None:
        _double_array()  # where it is missing, say so at the load, not at the first long text
    automaton = KeyAutomaton.__new__(KeyAutomaton)
    automaton.backend, automaton._values, automaton._table = backend, values, table
    automaton._decoded = {}
    automaton._automaton = None
    automaton._serialized = None if serialized is None else as_bytes(serialized)
    automaton._probes_left = 0 if serialized is None else len(automaton._serialized) // BYTES_PER_PROBE
    return automaton


# One word sequence looked up in a KeyTable costs about what building an automaton from this
# many of its serialised bytes does (bench/README.md, "one-article start-up").
BYTES_PER_PROBE = 450


class KeyTable:
    """The keys of a KeyAutomaton in a hash table (CRC-32, open addressing), for texts too short
    to be worth building the automaton: each sequence of up to `longest` words is looked up.

    Three blocks of bytes (the slots, each key's CRC, the keys) that a warm load maps: nothing is
    built and a lookup reads only the pages it needs. A text of n words costs n * longest lookups,
    where the automaton costs one pass over its characters.
    """

    def __init__(self, keys: list[str]):
        self._keys = PackedStrings(keys)
        self._codes = array("I", (crc32(key.encode("utf-8", "surrogatepass")) for key in keys))
        size = 8
        while size < 2 * len(keys):  # at most half full: a missing sequence usually meets an empty slot
            size *= 2
        mask = size - 1
        slots = array("I", bytes(4 * size))  # pattern + 1; 0 is empty
        for pattern, code in enumerate(self._codes):
            slot = code & mask
            while slots[slot]:
                slot = (slot + 1) & mask
            slots[slot] = pattern + 1
        self._slots = slots
        self.longest = max((key.count(" ") + 1 for key in keys), default=0)

    def find(self, words: list[str]) -> list[tuple[int, int, int]]:
        """(start, end, pattern) of every key that is a sequence of `words` (a padded, squeezed text
        split at its spaces: empty first and last), by end then start, as the automata report them."""
        slots, codes, keys, longest = self._slots, self._codes, self._keys, self.longest
        mask = len(slots) - 1
        encoded = [word.encode("utf-8", "surrogatepass") for word in words]
        spaced = [b" " + word for word in encoded]
        starts = list(accumulate(map(_plus_one, map(len, words)), initial=0))
        last = len(words) - 2
        found = []
        for first in range(1, last + 1):
            code = 0
            for end_word in range(first, min(first + longest, last + 1)):
                code = crc32(spaced[end_word] if end_word > first else encoded[first], code)
                slot = code & mask
                pattern = slots[slot]
                while pattern:
                    if codes[pattern - 1] == code and keys[pattern - 1] == " ".join(words[first:end_word + 1]):
                        found.append((starts[end_word] + len(words[end_word]), starts[first], pattern - 1))
                        break
                    slot = (slot + 1) & mask
                    pattern = slots[slot]
        found.sort()
        return [(start, end, pattern) for end, start, pattern in found]

    def __reduce_ex__(self, protocol):
        return _key_table, (out_of_band(self._slots, protocol), out_of_band(self._codes, protocol),
                            self._keys, self.longest)


def _key_table(slots, codes, keys: PackedStrings, longest: int) -> KeyTable:
    table = KeyTable.__new__(KeyTable)
    table._slots, table._codes = as_array(slots, "I"), as_array(codes, "I")
    table._keys, table.longest = keys, longest
    size = len(table._slots)
    if size & (size - 1) or size < 2 * len(keys) or len(table._codes) != len(keys):
        raise ValueError("key table: slots, codes and keys do not agree")  # a lookup could loop
    return table


def _double_array():
    if CharwiseDoubleArrayAhoCorasick is None:
        raise ImportError("this index was built with daachorse, which is not installed here "
                          "(pip install 'source-audit[fast]')")
    return CharwiseDoubleArrayAhoCorasick


# Two spaces then any more, captured: split() returns the runs between the parts. Spelt with the
# two spaces as literals first, re skips ahead to them, three times faster than " {2,}".
_SPACE_RUNS = re.compile("(\x20\x20 *)")
_plus_one = (1).__add__
_minus_one = (-1).__add__

# Keys whose decoded values KeyAutomaton keeps at hand, at most.
DECODED_MAX = 100_000

# Tokens held by this many names keep their names' words at hand between lookups, up to a total of
# MEMO_MAX_NAMES (8 bytes each: 32 MB).
MEMO_MIN_NAMES = 256
MEMO_MAX_NAMES = 4_000_000


def _squeeze(prepared: str) -> tuple[str, list[int], list[int]]:
    """Collapse runs of spaces so 'State  –  Khorasan' matches 'state khorasan'.

    Returns the text padded with one space at each end and squeezed, and for every collapsed run
    where the text after it starts in the squeezed copy and how many spaces were dropped up to
    there: a hit maps back with a bisect over the runs, not a table with one entry per character.
    """
    recent, squeezed = _last_squeezed[0]
    if recent is prepared:
        return squeezed
    # the text alternates between runs and what lies between them: lengths summed in C, no loop
    parts = _SPACE_RUNS.split(f" {prepared} ")
    between = parts[0::2]
    squeezed_text = " ".join(between)
    del between[-1]
    run_ends = list(accumulate(map(_plus_one, map(len, between))))  # each kept part and its one space
    dropped = list(accumulate(map(_minus_one, map(len, parts[1::2]))))  # each run but its one space
    squeezed = (squeezed_text, run_ends, dropped)
    _last_squeezed[0] = (prepared, squeezed)
    return squeezed


# The last text squeezed: names, acronyms and event terms are all looked for in a document's folded text.
_last_squeezed: list[tuple[str | None, tuple[str, list[int], list[int]]]] = [(None, ("", [], []))]


def _iter_keys(automaton: KeyAutomaton, prepared: str):
    """(start, end, values) in `prepared` coordinates for every padded key found."""
    squeezed, run_ends, dropped = _squeeze(prepared)

    def original(index: int) -> int:  # squeezed offset of a word character -> offset in `prepared`
        run = bisect_right(run_ends, index) - 1
        return index - 1 + (dropped[run] if run >= 0 else 0)

    for start, end, values in automaton.find(squeezed):
        yield original(start), original(end - 1) + 1, values


def _written_as(span: str, key: str) -> bool:
    """Whether `span` of a text is the case-sensitive `key`, punctuation blanked and spaces squeezed."""
    if span == key:
        return True
    # letters and digits alone are their own key (the common miss: 'is' where the key is 'IS')
    return not span.isalnum() and case_key(span) == key


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

    def __init__(self, registry: Registry, backend: str | None = None):
        """`backend`: the automata's library ("daachorse" or "pyahocorasick"), by default `automaton_backend()`."""
        self.registry = registry
        # padded key -> its (owner id, kind) values, until the automata are built from them
        self._names: dict | KeyAutomaton = {}      # folded names of real entities (and the keys below, folded)
        self._exact: dict | PackedStrings = {}     # case-sensitive: acronyms, misnomers; then their packed values
        self._events: dict | KeyAutomaton = {}     # folded event terms
        # every name of every entity, for fuzzy lookup: three parallel lists, one entry per name
        self._choice_ids: list[str] | PackedStrings = []
        self._choice_names: list[str] | PackedStrings = []
        self._choice_words: list[str] | PackedStrings = []   # its folded words, sorted
        self._tokens: dict[str, array] = {}          # token -> indices of the names that have it
        self._words_by_token: dict[str, tuple[str, ...]] = {}  # lookup memo: token -> its names' sorted words
        self._words_memoised = 0
        self.acronyms: dict[str, tuple[str, ...]] = {}
        postings: dict[str, set[int]] = defaultdict(set)
        for entity in registry.entities:
            self._add_entity(entity, postings)
        # arrays take a fraction of the memory of sets of ints and unpickle as one block of bytes;
        # they keep the sets' iteration order, which decides ties between names of one entity
        self._tokens = {token: array("I", indices) for token, indices in postings.items()}
        for event in registry.events:
            self._add_event(event)
        self._fold_exact_keys()
        self._names, self._events = (KeyAutomaton(keys, backend) for keys in (self._names, self._events))
        self._choice_ids, self._choice_names, self._choice_words = map(
            PackedStrings, (self._choice_ids, self._choice_names, self._choice_words))
        self.acronyms = {k: tuple(v) for k, v in self.acronyms.items()}
        # acronyms by their letters sorted: the ones a transposed acronym could stand for
        anagrams: dict[str, list[str]] = defaultdict(list)
        for acronym in self.acronyms:
            anagrams["".join(sorted(acronym))].append(acronym)
        self._anagrams = {letters: tuple(found) for letters, found in anagrams.items()}

    # -- building
    def _add_entity(self, entity: Entity, postings: dict[str, set[int]]) -> None:
        strict = not entity.exists
        for name in entity.names():
            if strict:
                key = case_key(name)
                if key:
                    _padded_keys(self._exact, key, (entity.id, "name"))
            else:
                key = fold_key(name)
                if key:
                    _padded_keys(self._names, key, (entity.id, "name"))
            self._add_choice(entity.id, name, postings)
        for acronym in entity.acronyms:
            key = case_key(acronym)
            if key:
                _padded_keys(self._exact, key, (entity.id, "acronym"))
                existing = list(self.acronyms.get(acronym, ()))
                if entity.id not in existing:
                    existing.append(entity.id)
                self.acronyms[acronym] = existing

    def _add_choice(self, entity_id: str, name: str, postings: dict[str, set[int]]) -> None:
        key = fold_key(name)
        index = len(self._choice_ids)
        self._choice_ids.append(entity_id)
        self._choice_names.append(name)
        self._choice_words.append(_sorted_words(key))
        for token in key.split():
            if len(token) > 2 and token not in STOPWORDS:
                postings[token].add(index)

    def _fold_exact_keys(self) -> None:
        """Case-sensitive keys are looked for among the folded names, in the folded text: blanking
        a text's punctuation a second time with its case kept, squeezing and searching that copy
        cost as much as the rest of the search. Each key adds to its folded form a value that
        stands for it (see _EXACT); a hit keeps it where the text has the key's capitalisation.
        A character is blanked by the folding exactly when it is by blank_punctuation (a test
        checks every code point), so the folded text has the word boundaries of the case-kept one."""
        packed = []
        for key, values in self._exact.items():
            marker = (f"{_EXACT}{len(packed)}", key.strip())
            _padded_keys(self._names, fold_key(key), marker)
            packed.append(_packed(values))
        self._exact = PackedStrings(packed)

    def _add_event(self, event: Event) -> None:
        groups = [("alias", event.aliases.all() + (event.name,)), ("venue", event.venues.all()),
                  ("keyword", event.keywords.all()),
                  ("place", event.places), ("trigger", event.triggers.all())]
        for kind, terms in groups:
            for term in terms:
                key = fold_key(term)
                if key:
                    _padded_keys(self._events, key, (event.id, kind))

    # -- exact matching
    def find_names(self, text: str, folded: str | None = None) -> list[NameHit]:
        """Every registry name and acronym in `text`, leftmost-longest, never overlapping.

        `folded` is `fold(text)` when the caller has it already (it is a third of the cost)."""
        if not len(self._names):
            return []
        spans: list[tuple[int, int, object]] = []
        exact: list[tuple[int, int, object]] = []  # after the folded names, as ties are settled
        for start, end, values in _iter_keys(self._names, fold(text) if folded is None else folded):
            for value in values:
                owner, kind = value
                if not owner.startswith(_EXACT):
                    spans.append((start, end, value))
                elif _written_as(text[start:end], kind):
                    exact.extend((start, end, one) for one in _unpacked(self._exact[int(owner[1:])]))
        hits = []
        for start, end, (entity_id, kind) in _leftmost_longest(_dedupe_spans(spans + exact)):
            hits.append(NameHit(start, end, entity_id, kind, text[start:end]))
        return hits

    def find_event_terms(self, text: str, folded: str | None = None) -> list[TermHit]:
        """Every event alias, keyword, place and trigger in `text` (overlaps allowed); `folded` as above."""
        if not len(self._events):
            return []
        hits = []
        for start, end, values in _iter_keys(self._events, fold(text) if folded is None else folded):
            term = text[start:end]
            for event_id, kind in values:
                hits.append(TermHit(start, end, event_id, kind, term))
        hits.sort(key=lambda h: (h.start, h.end, h.event_id, h.kind))
        return hits

    def build_automata(self) -> None:
        """Build the automata a cache load left as bytes (see KeyAutomaton): before forking
        workers, so that they share one copy instead of each building its own."""
        self._names.build()
        self._events.build()

    def with_registry(self, registry: Registry) -> "RegistryIndex":
        """This index for an equal registry held differently (the cache stores the packed one)."""
        twin = copy.copy(self)
        twin.registry = registry
        return twin

    def entities_for_acronym(self, acronym: str) -> tuple[str, ...]:
        return self.acronyms.get(acronym, ())

    def acronyms_with_letters_of(self, written: str) -> tuple[str, ...]:
        """Registry acronyms with the same letters as `written` (itself included), in registry order."""
        return self._anagrams.get("".join(sorted(written)), ())

    # -- fuzzy lookup
    def lookup(self, name: str, limit: int = 5, min_score: float = 60.0) -> list[Match]:
        """Registry entities whose names are close to `name`, best first, with the reason."""
        key = fold_key(name)
        if not key:
            return []
        acronym_ids = self.acronyms.get(name.strip(), ())
        if acronym_ids:
            return [Match(entity_id, name.strip(), 100.0, "acronym") for entity_id in acronym_ids][:limit]
        query_tokens = {t for t in key.split() if len(t) > 2 and t not in STOPWORDS}
        # rarest tokens first: they say most about which names are candidates
        rarest = sorted(query_tokens, key=lambda t: (len(self._tokens.get(t, ())), t))[:4]
        # token_sort_ratio is the ratio of the sorted words; the names' are sorted once, at build
        # time, and rapidfuzz scores them in C, keeping scores >= min_score. The names holding each
        # token are scored in turn; each entity's best name is its best-scored one, the first met
        # (rarest token first, then in posting order) among equals. Names are ranked on their
        # score and that order first, and an entity id is decoded only while the ranking can still
        # take a new one: similar names can number over a thousand at 1M names.
        query = _sorted_words(key)
        scored: list[tuple[float, int, int, int]] = []  # (-score, token, position, name index), best first
        for rank, token in enumerate(rarest):
            postings = self._tokens.get(token, ())
            if postings:
                found = process.extract_iter(query, self._words_of(token, postings), scorer=fuzz.ratio,
                                             score_cutoff=min_score)
                scored.extend((-score, rank, position, postings[position]) for _, score, position in found)
        scored.sort()
        best: dict[str, tuple[float, int]] = {}  # entity id -> (score, index) of its best name
        lowest = math.inf  # the score of the last entity taken
        for negated, _, _, index in scored:
            if len(best) >= limit and -negated < lowest:
                break  # every entity still to come ranks below the `limit` taken
            entity_id = self._choice_ids[index]
            if entity_id not in best:
                best[entity_id] = (-negated, index)
                lowest = -negated
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [self._match(key, entity_id, score, index, rarest) for entity_id, (score, index) in ranked]

    def _words_of(self, token: str, postings: array) -> tuple[str, ...]:
        """The sorted words of the names holding `token`, fetched once per process for common tokens:
        at 1M names a common word is in tens of thousands, and fetching them cost as much as scoring."""
        words = self._words_by_token.get(token)
        if words is None:
            every = self._choice_words.unpacked()
            words = itemgetter(*postings)(every) if len(postings) > 1 else (every[postings[0]],)
            if len(postings) >= MEMO_MIN_NAMES:
                if self._words_memoised + len(words) > MEMO_MAX_NAMES:
                    self._words_by_token.clear()
                    self._words_memoised = 0
                self._words_by_token[token] = words
                self._words_memoised += len(words)
        return words

    # the lookup memo is rebuilt on demand in each process, never pickled (cache, workers)
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        del state["_words_by_token"], state["_words_memoised"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._words_by_token, self._words_memoised = {}, 0

    def _match(self, key: str, entity_id: str, score: float, index: int, looked_for: list[str]) -> Match:
        display = self._choice_names[index]
        words = set(self._choice_words[index].split())
        shared = sum(1 for token in looked_for if token in words)  # the looked-for words it was found by
        why = "exact name" if score == 100 and key == fold_key(display) else (
            f"{shared} shared word{'s' if shared > 1 else ''}, similarity {score:.0f}")
        return Match(entity_id, display, float(score), why)


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _dedupe_spans(spans):
    seen = set()
    out = []
    for span in spans:
        if span not in seen:
            seen.add(span)
            out.append(span)
    return out
