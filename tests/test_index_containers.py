"""The index's containers, before and after a pickle round trip (the registry cache and the workers
both pickle them): the automaton finds every padded key a plain substring search finds, with its
values, with either library; packed strings read back as the list they were made of."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from references import index as index_module
from references.index import KeyAutomaton, KeyTable, PackedStrings, RegistryIndex
from references.loader import load_registry
from references.model import Entity, Registry, Source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BACKENDS = [pytest.param("daachorse", marks=pytest.mark.skipif(
                index_module.CharwiseDoubleArrayAhoCorasick is None,
                reason="daachorse (the `fast` extra) is not installed: it has no wheel for some platforms")),
            "pyahocorasick"]

# a small alphabet, so keys overlap and repeat often; é and an astral character check that offsets
# count characters, not bytes
_ALPHABET = "ab é😀"
_keys = st.dictionaries(st.text(_ALPHABET, min_size=1, max_size=6).map(lambda k: f" {k} "),
                        st.lists(st.tuples(st.sampled_from(["e1", "e2", "e-3"]), st.sampled_from(["name", "acronym"])),
                                 min_size=1, max_size=3, unique=True),
                        max_size=12)


def _naive(keys: dict[str, list[tuple[str, str]]], text: str) -> list[tuple[int, int, tuple]]:
    found = []
    for key, values in keys.items():
        start = text.find(key)
        while start >= 0:
            found.append((start + 1, start + len(key) - 1, tuple(values)))
            start = text.find(key, start + 1)
    return sorted(found)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=300, deadline=None)
@given(keys=_keys, text=st.text(_ALPHABET, max_size=40))
def test_finds_what_a_substring_search_finds(backend, keys, text):
    automaton = KeyAutomaton(keys, backend)
    assert len(automaton) == len(keys) and automaton.backend == backend
    assert sorted(automaton.find(text)) == _naive(keys, text)
    for protocol in (2, 5):
        copy = pickle.loads(pickle.dumps(automaton, protocol=protocol))
        copy.build()  # the automaton itself after the round trip (its key table: the test below)
        assert sorted(copy.find(text)) == _naive(keys, text)


# Key tables take what the index gives them: keys and texts folded, padded and squeezed, made of
# words (no space in them) separated by one space.
_WORDS = st.sampled_from(["a", "b", "ab", "é", "😀", "a😀b"])
_word_keys = st.dictionaries(st.lists(_WORDS, min_size=1, max_size=4).map(lambda words: f" {' '.join(words)} "),
                             st.just([("e1", "name")]), max_size=12)
_squeezed = st.lists(_WORDS, max_size=16).map(lambda words: f" {' '.join(words)} " if words else " ")


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=300, deadline=None)
@given(keys=_word_keys, text=_squeezed)
def test_a_loaded_automaton_finds_with_its_key_table_what_it_finds_built(backend, keys, text):
    """A load keeps the automaton as bytes and answers short texts from the key table: the same
    hits, in the order the automaton gives them; past its allowance it builds the automaton."""
    automaton = KeyAutomaton(keys, backend)
    expected = list(automaton.find(text))
    if backend == "daachorse":  # pyahocorasick reports the keys ending at one place in its own order
        assert expected == sorted(expected, key=lambda hit: (hit[1], hit[0]))
    assert sorted(expected) == _naive(keys, text)
    table = KeyTable([key[1:-1] for key in keys])
    assert [(start, end) for start, end, _ in table.find(text.split(" "))] == [
        (start, end) for start, end, _ in sorted(expected, key=lambda hit: (hit[1], hit[0]))]
    for protocol in (2, 5):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(index_module, "BYTES_PER_PROBE", 1)  # an allowance of one lookup per byte
            loaded = pickle.loads(pickle.dumps(automaton, protocol=protocol))
        allowance, probes = loaded._probes_left, (len(text.split(" ")) - 2) * table.longest
        assert sorted(loaded.find(text)) == sorted(expected)
        if keys:  # the table answered exactly when the text was within the allowance
            assert (loaded._automaton is None) == (probes <= allowance)
        loaded._probes_left = 0
        assert sorted(loaded.find(text)) == sorted(expected)
        assert loaded._automaton is not None or not keys or text == " "


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_empty_automaton_finds_nothing_and_pickles(backend):
    automaton = pickle.loads(pickle.dumps(KeyAutomaton({}, backend)))
    assert len(automaton) == 0
    assert list(automaton.find(" a b ")) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_libraries_find_the_same_names_and_terms_in_the_examples(backend):
    registry = load_registry([])
    default, chosen = RegistryIndex(registry, "pyahocorasick"), RegistryIndex(registry, backend)
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.iterdir()) if path.is_file()]
    assert len(texts) >= 5
    found = 0
    for text in texts:
        assert chosen.find_names(text) == default.find_names(text)
        assert chosen.find_event_terms(text) == default.find_event_terms(text)
        found += len(default.find_names(text))
    assert found > 50  # the examples do name registry bodies


def test_an_index_built_with_daachorse_asks_for_it_where_it_is_missing(monkeypatch):
    monkeypatch.setattr(index_module, "CharwiseDoubleArrayAhoCorasick", None)
    with pytest.raises(ImportError, match=r"source-audit\[fast\]"):
        index_module._key_automaton("daachorse", b"serialised", PackedStrings([]), KeyTable([]))


def test_an_unknown_library_is_refused():
    with pytest.raises(ValueError, match="unknown automaton library"):
        KeyAutomaton({" a ": [("e1", "name")]}, "regex")


def test_an_id_holding_a_separator_is_refused():
    with pytest.raises(ValueError, match="control character"):
        KeyAutomaton({" a ": [("bad\x1fid", "name")]})


def test_lone_surrogates_in_a_text_are_blanked_before_matching():
    """daachorse takes UTF-8, which cannot hold a lone surrogate (JSON input can): the folded and
    blanked texts the automata read turn every such character into a space first."""
    source = Source(url="https://example.org/a")
    entity = Entity(id="ctic", name="Counter Terrorism Intelligence Centre", type="centre",
                    acronyms=("CTIC",), sources=(source,))
    index = RegistryIndex(Registry(entities=(entity,)))
    text = "The \ud800Counter Terrorism Intelligence Centre\udfff (CTIC) said"
    hits = index.find_names(text)
    assert [(h.surface, h.kind) for h in hits] == [("Counter Terrorism Intelligence Centre", "name"), ("CTIC", "acronym")]


@given(st.lists(st.text(max_size=8) | st.sampled_from(["\ud800", "é\udfff", "NATO", "", "\U0001f600"]),
                max_size=20))
def test_packed_strings_are_the_list_they_were_made_of(items):
    packed = PackedStrings(list(items))
    buffers: list[pickle.PickleBuffer] = []
    out_of_band = pickle.dumps(packed, protocol=5, buffer_callback=buffers.append)
    copies = [pickle.loads(pickle.dumps(packed, protocol=protocol)) for protocol in (2, 5)]
    copies.append(pickle.loads(out_of_band, buffers=buffers))
    for copy in (packed, *copies):
        assert len(copy) == len(items)
        assert [copy[i] for i in range(len(items))] == items
        assert [copy[-i] for i in range(1, len(items) + 1)] == [items[-i] for i in range(1, len(items) + 1)]
        assert copy.unpacked() == items
        for outside in (len(items), -len(items) - 1):
            with pytest.raises(IndexError):
                copy[outside]


def test_a_key_table_whose_parts_disagree_is_refused():
    """A table with no empty slot would make a lookup loop: a cache holding one is not used."""
    table = KeyTable(["a", "b c"])
    assert [hit[2] for hit in table.find(" a b c ".split(" "))] == [0, 1]
    slots, codes = table._slots, table._codes
    for bad_slots, bad_codes in ((slots[:3], codes), (slots[:2], codes), (slots, codes[:1])):
        with pytest.raises(ValueError, match="do not agree"):
            index_module._key_table(bad_slots, bad_codes, table._keys, table.longest)
