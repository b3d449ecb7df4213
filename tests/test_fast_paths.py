"""Shortcuts taken for speed give exactly what the plain way gives: regexes built as tries, the
text every signature match must contain, phrase tests that look at one word first, the acronym
anagram index, the one search that lets extractors skip a sentence."""
from __future__ import annotations

import datetime as dt
import random
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from claims import numbers
from claims.alternation import alternation
from audit.provenance import ProvenanceChecker
from claims.model import Document, Span
from claims.tokens import Token, phrase_ends_at, phrase_starts_at
from references.index import STOPWORDS
from references.normalize import fold_key
from references.patterns import compile_signature, required_text, signature_regex, text_key
from property_strategies import prose

HERE = Path(__file__).parent
TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((HERE.parent / "examples").iterdir())]
TEXTS += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((HERE / "fixtures").rglob("*"))
          if p.is_file() and p.suffix in (".md", ".txt", ".html", ".jsonl")]


def _sorted_alternation(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@pytest.mark.parametrize("words", [numbers._WORDS_EN, numbers._WORDS_FR + ["un", "une"], list(numbers._VAGUE["en"]),
                                   list(numbers._VAGUE["fr"]), ["a", "ab", "abc", "abd", "b", "ba", "seven", "seventy"]])
def test_trie_alternation_matches_what_the_sorted_alternation_matches(words):
    trie = re.compile(rf"\b(?:{alternation(words)})(?:[ \-](?:{alternation(words)})){{0,3}}\b",
                      re.IGNORECASE)
    plain = re.compile(rf"\b(?:{_sorted_alternation(words)})(?:[ \-](?:{_sorted_alternation(words)})){{0,3}}\b",
                       re.IGNORECASE)
    rng = random.Random(5)
    samples = list(TEXTS)
    for _ in range(300):  # the words themselves, run together, cut short, in any case
        picked = rng.choices(words, k=rng.randint(1, 6))
        text = rng.choice([" ", "-", "", " and ", "x"]).join(picked)
        samples.append("".join(c.upper() if rng.random() < 0.3 else c for c in text)[:rng.randint(1, 60)])
    for text in samples:
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], text[:80]


def test_the_number_word_patterns_are_tries():
    assert "|" not in numbers._WORD_RUNS["en"].pattern.split("(?:")[1][:3]  # no flat list of words


def test_text_key_folds_what_the_regex_engine_equates_with_ascii_letters():
    for char in string.ascii_letters + string.digits:
        pattern = re.compile(re.escape(char), re.IGNORECASE)
        for code in (0x130, 0x131, 0x17F, 0x212A, 0xC9, 0xE9, 0x1E9E, 0xDF):
            other = chr(code)
            if pattern.fullmatch(other):
                assert text_key(other) == text_key(char), (char, other)


def test_signature_matches_always_contain_the_required_text(registry):
    rng = random.Random(11)
    for signature in registry.signatures:
        pattern = compile_signature(signature)
        source, required = signature_regex(signature)  # what the audit uses, from one parse
        assert (source, required) == (pattern.pattern, required_text(pattern)), signature.id
        samples = list(TEXTS)
        for example in (signature.pattern, signature.description or "", signature.evidence or ""):
            samples.append(example)
            samples.append(example.upper())
            samples.append("".join(c.swapcase() if rng.random() < 0.5 else c for c in example))
        for text in samples:
            for match in pattern.finditer(text):
                assert required is None or any(piece in text_key(match.group()) for piece in required), \
                    (signature.id, match.group())


def test_a_signature_is_compiled_only_for_a_document_holding_its_text(registry):
    checker = ProvenanceChecker(registry)
    compiled = {c.signature.id: c for c in checker.signatures}
    assert not any("pattern" in c.__dict__ for c in compiled.values())
    plain = Document(text="The council met on Tuesday to discuss the budget.", path="plain.txt", language="en")
    checker.flags(plain, ())
    needed = {i for i, c in compiled.items() if "pattern" in c.__dict__}
    assert needed == {i for i, c in compiled.items() if c.required is None}
    boilerplate = next(c for c in compiled.values() if c.required and not c.signature.regex)
    checker.flags(Document(text=f"News. {boilerplate.signature.pattern}", path="a.txt", language="en"), ())
    assert "pattern" in boilerplate.__dict__


def test_required_text_of_alternatives_and_groups():
    assert required_text(re.compile(r"\b(?:In\s+conclusion|To\s+sum\s+up)\s*,", re.I)) == ("conclusion", "sum")
    assert required_text(re.compile(r"\b(?:In\s+conclusion|To\s+up)\s*,", re.I)) is None  # "up": too short
    assert required_text(re.compile(r"\bthe\s+(?:complexities|intricacies)\b", re.I)) == ("complexities", "intricacies")
    assert required_text(re.compile(r"Denial of responsibility!", re.I)) == ("denial of responsibility!",)
    assert required_text(re.compile(r"Denial\s+of\s+responsibility!", re.I)) == ("responsibility!",)
    assert required_text(re.compile(r"(?:ab|cd)?xyz", re.I)) == ("xyz",)
    assert required_text(re.compile(r"[ée]t[ée]", re.I)) is None


def _slow_ends_at(tokens, index, phrase):
    first = index - len(phrase) + 1
    if first < 0:
        return False
    return all(tokens[first + i].key == word for i, word in enumerate(phrase))


def _slow_starts_at(tokens, index, phrase):
    if index < 0 or index + len(phrase) > len(tokens):
        return False
    return all(tokens[index + i].key == word for i, word in enumerate(phrase))


def test_phrase_tests_agree_with_the_plain_ones():
    rng = random.Random(3)
    vocabulary = ["more", "than", "at", "least", "killed", "people", "<num>"]
    for _ in range(3000):
        tokens = [Token(i, i + 1, rng.choice(vocabulary)) for i in range(rng.randint(0, 6))]
        phrase = tuple(rng.choice(vocabulary) for _ in range(rng.randint(0, 3)))
        index = rng.randint(-2, len(tokens) - 1) if tokens else rng.randint(-2, 0)
        for fast, slow in ((phrase_starts_at, _slow_starts_at), (phrase_ends_at, _slow_ends_at)):
            try:
                expected = slow(tokens, index, phrase)
            except IndexError:
                with pytest.raises(IndexError):
                    fast(tokens, index, phrase)
                continue
            assert fast(tokens, index, phrase) == expected


def test_acronym_anagrams_are_the_acronyms_with_the_same_letters(index):
    for written in ("EDF", "EFD", "OTNA", "SCEP", "PECS", "XYZ"):
        slow = tuple(a for a in index.acronyms if len(a) == len(written) and sorted(a) == sorted(written))
        assert index.acronyms_with_letters_of(written) == slow


# --------------------------------------------------------------- one search before the passes
# find_numbers, find_dates, find_relative_dates and find_org_names first look for what every
# result must contain (a digit or number word; a digit; 'last'/'this'/'dernier'/'cette'; a head
# word) and give up at once without it. The full passes must then have found nothing either.

TRICKY = ["ſix hundred", "\u212aILLED", "ZÉRO", "Zéro virgule", "un million", "une-et-un", "un un", "one one",
          "tenand four", "twenty-one", "One Hundred", "x-Centre", "a_Centre", "CENTRE", "İnitiative", "Réseau",
          "RÉSEAU Européen", "A Dozen", "une douzaine", "a douzaine", "XNUMX", "xnumx", "٣ dead", "𝟏𝟐 killed",
          "Last September", "LAST YEAR", "l’an dernier", "cette année", "septembre dernier", "Unité-Spéciale",
          "Counter-Terrorism Centre", "centres", "Programme", "seventy and two", "hundreds of thousands"]


def _spans(text: str, rng: random.Random):
    from claims.segment import sentences
    yield from sentences(text)
    for _ in range(20):  # and arbitrary cuts, also inside words
        a = rng.randint(0, len(text))
        yield Span(a, rng.randint(a, min(len(text), a + 300)))


def _assert_shortcuts_agree(text: str, span) -> None:
    from claims import dates, entities
    from claims.lexicon import lexicon
    from references.normalize import fold_letters
    letters = fold_letters(text)
    for language in ("en", "fr", "de"):
        assert numbers.find_numbers(text, span.start, span.end, language) == \
            numbers._find_numbers(text, span.start, span.end, language), (language, text[span.start:span.end])
        assert entities.find_org_names(text, span, language) == entities._find_org_names(text, span, language)
    for language in ("en", "fr"):
        lex = lexicon(language)
        assert dates.find_dates(letters, span, lex) == dates._find_dates(letters, span, lex)
        published = dt.date(2026, 3, 1)
        assert dates.find_relative_dates(letters, span, lex, published) == \
            dates._find_relative_dates(letters, span, lex, published)


def test_shortcut_searches_never_hide_a_result_in_the_articles():
    rng = random.Random(11)
    for text in TEXTS + TRICKY + [" ".join(TRICKY)]:
        for span in _spans(text, rng):
            _assert_shortcuts_agree(text, span)


@given(st.one_of(prose(), st.lists(st.sampled_from(TRICKY + list(numbers._WORDS_EN) + list(numbers._WORDS_FR)
                                                   + ["and", "et", "-", " ", "_", "x"])).map("".join)),
       st.data())
def test_shortcut_searches_never_hide_a_result(text, data):
    start = data.draw(st.integers(0, len(text)))
    _assert_shortcuts_agree(text, Span(start, data.draw(st.integers(start, len(text)))))


def _near_misses(names: list[str], rng: random.Random) -> list[str]:
    out = []
    for name in names:
        words = name.split()
        out.append(name)
        out.append(" ".join(words[:-1]) if len(words) > 1 else name + "s")
        position = rng.randrange(len(name))
        out.append(name[:position] + rng.choice(string.ascii_lowercase) + name[position + 1:])
        out.append(" ".join(reversed(words)) + " Office")
    return out


def test_asking_only_for_the_best_close_name_finds_the_best_of_the_longer_list(index):
    """The checker asks lookup for one name scoring 75 or more: the first of the top three that do."""
    rng = random.Random(8)
    names = sorted({n for e in index.registry.entities for n in e.names()})
    for query in _near_misses(names, rng):
        assert index.lookup(query, limit=1, min_score=75) == \
            [m for m in index.lookup(query, limit=3) if m.score >= 75][:1], query


def test_lookup_says_how_many_of_the_words_it_looked_for_the_name_shares(index):
    def eligible(name: str) -> set[str]:
        return {w for w in fold_key(name).split() if len(w) > 2 and w not in STOPWORDS}

    # three words of its own and one more: the four words looked for, three of them shared
    entity = next(e for e in index.registry.entities if len(eligible(e.name)) == 3 and e.exists)
    best = index.lookup(entity.name + " Zzyzx", limit=1)[0]
    assert best.entity_id == entity.id
    assert best.why.startswith("3 shared words"), best.why


def test_only_a_to_z_capitalise_the_first_letters_of_head_words():
    """The head-word search looks for A-Z first and the rest in any case: no other capital lower-cases
    to a head word's first letter, and the regex engine's case-blind match takes in every character
    whose lower case is one of the head words' letters (what find_org_names compares)."""
    from claims.entities import HEAD_WORDS_EN, HEAD_WORDS_FR
    words = HEAD_WORDS_EN | HEAD_WORDS_FR
    firsts, letters = {w[0] for w in words}, set("".join(words))
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        lower = char.lower()
        if lower in letters:
            assert re.fullmatch(f"(?i:{re.escape(lower)})", char), hex(code)
        if char.isupper() and lower in firsts:
            assert "A" <= char <= "Z", hex(code)


def test_the_lookup_memo_changes_no_result_and_is_never_pickled(index, monkeypatch):
    import pickle

    from references import index as index_module
    rng = random.Random(9)
    names = sorted({n for e in index.registry.entities for n in e.names()})
    queries = _near_misses(names, rng)
    fresh = pickle.loads(pickle.dumps(index))
    assert fresh._words_by_token == {}
    cold = [fresh.lookup(q, limit=3) for q in queries]
    monkeypatch.setattr(index_module, "MEMO_MIN_NAMES", 1)   # every token's names kept...
    monkeypatch.setattr(index_module, "MEMO_MAX_NAMES", 50)  # ...and the memo emptied now and then
    assert [fresh.lookup(q, limit=3) for q in queries] == cold
    assert [fresh.lookup(q, limit=3) for q in queries] == cold
    assert fresh._words_by_token
    assert pickle.loads(pickle.dumps(fresh))._words_by_token == {}


def _plain_lookup(index, name: str, limit: int, min_score: float) -> list[tuple[str, str, float]]:
    """The lookup as first written: each candidate once, in the order first met, scored one by one."""
    from rapidfuzz import fuzz
    key = fold_key(name)
    tokens = {t for t in key.split() if len(t) > 2 and t not in STOPWORDS}
    rarest = sorted(tokens, key=lambda t: (len(index._tokens.get(t, ())), t))[:4]
    candidates = list(dict.fromkeys(i for t in rarest for i in index._tokens.get(t, ())))
    query = " ".join(sorted(key.split()))
    best: dict[str, tuple[float, int]] = {}
    for i in candidates:
        score = fuzz.ratio(query, index._choice_words[i])
        if score >= min_score and (index._choice_ids[i] not in best or score > best[index._choice_ids[i]][0]):
            best[index._choice_ids[i]] = (score, i)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    return [(entity_id, index._choice_names[i], score) for entity_id, (score, i) in ranked]


@pytest.mark.parametrize("limit, min_score", [(3, 60.0), (1, 75.0), (10, 50.0), (0, 60.0)])
def test_lookup_scores_token_by_token_what_the_plain_lookup_scores(index, limit, min_score):
    rng = random.Random(10)
    names = sorted({n for e in index.registry.entities for n in e.names()})
    for query in _near_misses(names, rng):
        if index.acronyms.get(query.strip()):
            continue  # acronyms are answered before any scoring
        found = [(m.entity_id, m.name, m.score) for m in index.lookup(query, limit=limit, min_score=min_score)]
        assert found == _plain_lookup(index, query, limit, min_score), query


def test_lookup_ties_go_to_the_first_name_met_and_the_smallest_entity_id():
    """Entities of equal score are ranked by id, also where the limit cuts through them; an
    entity's names of equal score are represented by the first met."""
    from references.index import RegistryIndex
    from references.model import Entity, Names, Registry, Source

    def entity(entity_id: str, name: str, *aliases: str) -> Entity:
        return Entity(id=entity_id, name=name, type="organisation", aliases=Names((("en", aliases),)),
                      sources=(Source(url=f"https://example.org/{entity_id}"),))

    index = RegistryIndex(Registry(entities=(
        entity("org.z", "Harbour Pilots Guild"), entity("org.a", "Harbour Pilots Guild"),
        entity("org.m", "Guild Harbour Pilots", "Harbour Pilot Guild", "Pilots Harbour Guild"),
        entity("org.b", "Harbour Pilots Guilds"), entity("org.c", "Harbour Guild"))))
    query = "Harbour Pilots Guild"
    for limit in range(6):
        for min_score in (50.0, 75.0, 100.0):
            found = [(m.entity_id, m.name, m.score) for m in index.lookup(query, limit=limit, min_score=min_score)]
            assert found == _plain_lookup(index, query, limit, min_score), (limit, min_score)
    assert [m.entity_id for m in index.lookup(query, limit=2)] == ["org.a", "org.m"]
    assert index.lookup(query, limit=3)[1].name == "Guild Harbour Pilots"  # same sorted words: the first met


def test_a_documents_folded_text_is_squeezed_once_for_names_acronyms_and_event_terms(index, monkeypatch):
    import references.index as index_module
    from references.normalize import fold

    class Recording:
        def __init__(self, pattern):
            self.pattern, self.texts = pattern, []

        def split(self, text):
            self.texts.append(text)
            return self.pattern.split(text)

    text = "The ISIS-K attack on Crocus City Hall, near Moscow, killed 145 people; NATO  condemned it."
    folded = fold(text)
    expected = (index.find_names(text), index.find_event_terms(text))  # their own folded copies
    recording = Recording(index_module._SPACE_RUNS)
    monkeypatch.setattr(index_module, "_SPACE_RUNS", recording)
    assert (index.find_names(text, folded), index.find_event_terms(text, folded)) == expected
    assert expected[0] and expected[1]
    assert any(h.kind == "acronym" for h in expected[0])
    assert [t.strip() for t in recording.texts] == [folded.strip()]


# ------------------------------------------------------------------------------ folding by rapidfuzz

def test_rapidfuzz_folds_every_character_of_its_blocks_as_python_does():
    from references.normalize import _RAPIDFUZZ_AGREES, fold_in_python, fold_with_rapidfuzz

    for low, high in _RAPIDFUZZ_AGREES:
        for code in range(low, high + 1):
            char = chr(code)
            for text in (char, f"a{char}", f"{char} b", f"x{char}y", f"{char}{char}"):
                folded = fold_with_rapidfuzz(text)
                assert folded is not None, hex(code)  # the fast way was taken
                assert folded == fold_in_python(text), hex(code)


@given(st.text(alphabet=st.sampled_from("Aa É é Ø ß İ ﬁ ½ ① Ⅻ _-–’\"'\t\n\x00Жжﬀ\ufeff\uffff9"), max_size=60) | prose())
def test_fold_is_the_python_fold_on_any_text(text):
    from references.normalize import fold, fold_in_python
    assert fold(text) == fold_in_python(text)


@pytest.mark.parametrize("text", ["ΣΑΣ ΟΔΟΣ", "Crocus 🎤 Hall", "Ⱟ", "\ud800NATO", "東京 NATO", "ܐ"])
def test_text_outside_rapidfuzzs_blocks_is_folded_the_python_way(text):
    from references.normalize import fold, fold_in_python, fold_with_rapidfuzz
    assert fold_with_rapidfuzz(text) is None
    assert fold(text) == fold_in_python(text)


def test_every_text_of_the_examples_and_fixtures_folds_as_python_does():
    from references.normalize import fold, fold_in_python, fold_with_rapidfuzz
    assert sum(fold_with_rapidfuzz(text) is not None for text in TEXTS) > len(TEXTS) // 2
    for text in TEXTS:
        assert fold(text) == fold_in_python(text)


@given(st.text(alphabet=st.characters(max_codepoint=0x24F), max_size=40))
def test_accents_are_stripped_as_the_regex_strips_them(text):
    from references.normalize import _strip_accents, _strip_accents_by_regex
    assert _strip_accents(text) == _strip_accents_by_regex(text)


# ------------------------------------------------------------------ case-sensitive keys, folded pass

def test_a_character_is_blanked_by_folding_exactly_when_blank_punctuation_blanks_it():
    """What lets case-sensitive keys be looked for in the folded text: both copies of a text have
    their word boundaries in the same places. Every code point, both ways of folding."""
    from references.normalize import (_RAPIDFUZZ_AGREES, blank_punctuation, fold_in_python,
                                      fold_with_rapidfuzz)

    every = "".join(map(chr, range(0x110000)))
    blanked = [c == " " for c in blank_punctuation(every)]
    folded = fold_in_python(every)
    assert len(folded) == len(every)
    assert [c == " " for c in folded] == blanked
    for low, high in _RAPIDFUZZ_AGREES:
        block = fold_with_rapidfuzz(every[low:high + 1])
        assert block is not None and [c == " " for c in block] == blanked[low:high + 1]


def _padded_and_squeezed(text: str) -> tuple[str, list[int]]:
    """` text ` with runs of spaces collapsed, and for each of its characters where it was in `text`."""
    out, where = [" "], [-1]
    for position, char in enumerate(text):
        if char == " " and out[-1] == " ":
            continue
        out.append(char)
        where.append(position)
    if out[-1] != " ":
        out.append(" ")
        where.append(len(text))
    return "".join(out), where


def _two_pass_names(index, text: str):
    """find_names the plain way: folded names in the folded text, then acronyms and the names of
    fabricated bodies, case kept, in a second copy with only the punctuation blanked."""
    from references.index import NameHit, _dedupe_spans, _leftmost_longest
    from references.normalize import blank_punctuation, case_key, fold

    folded_keys: dict[str, list] = {}
    exact_keys: dict[str, list] = {}
    for entity in index.registry.entities:
        for name in entity.names():
            keys, key = (folded_keys, fold_key(name)) if entity.exists else (exact_keys, case_key(name))
            if key and (entity.id, "name") not in keys.setdefault(key, []):
                keys[key].append((entity.id, "name"))
        for acronym in entity.acronyms:
            key = case_key(acronym)
            if key and (entity.id, "acronym") not in exact_keys.setdefault(key, []):
                exact_keys[key].append((entity.id, "acronym"))
    passes = []
    for keys, prepared in ((folded_keys, fold(text)), (exact_keys, blank_punctuation(text))):
        squeezed, where = _padded_and_squeezed(prepared)
        spans = []
        for key, values in keys.items():
            at = squeezed.find(f" {key} ")
            while at >= 0:
                spans += [(where[at + 1], where[at + len(key)] + 1, value) for value in values]
                at = squeezed.find(f" {key} ", at + 1)
        passes.append(sorted(spans, key=lambda span: (span[1], span[0])))
    return [NameHit(start, end, entity_id, kind, text[start:end])
            for start, end, (entity_id, kind) in _leftmost_longest(_dedupe_spans(passes[0] + passes[1]))]


def _exact_words(index) -> list[str]:
    """The words of every acronym and fabricated body's name, as written and in other cases."""
    words = {w for e in index.registry.entities for n in (*e.acronyms, *([] if e.exists else e.names()))
             for w in n.split()}
    return sorted({variant for w in words for variant in (w, w.lower(), w.upper(), w.title())})


def test_acronyms_and_fabricated_names_are_found_as_in_a_second_pass_in_the_articles(index):
    assert any(h.kind == "acronym" for text in TEXTS for h in index.find_names(text))
    for text in TEXTS:
        assert index.find_names(text) == _two_pass_names(index, text)


@given(st.data())
def test_acronyms_and_fabricated_names_are_found_as_in_a_second_pass(index, data):
    words = st.sampled_from(_exact_words(index) + ["the", "is", "Is", "a", "İS", "ÉTA", "É", "_", "NATO_"])
    separators = st.sampled_from([" ", "  ", "-", "–", "'s ", ". ", ", ", "\n", "(", ")", "’", "_", "", "\u200b"])
    text = data.draw(st.lists(st.tuples(words, separators), max_size=30).map(
        lambda parts: "".join(w + s for w, s in parts)) | prose())
    assert index.find_names(text) == _two_pass_names(index, text)
