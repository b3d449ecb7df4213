"""Numbers in both languages' conventions, and sentence splitting around abbreviations."""
from __future__ import annotations

import pytest

from claims.numbers import find_numbers
from claims.segment import clauses, sentences


def numbers(text: str, language: str = "en"):
    return [(text[n.span.start:n.span.end], n.value, n.kind) for n in find_numbers(text, 0, len(text), language)]


@pytest.mark.parametrize("text,language,expected", [
    ("1,500 people", "en", 1500), ("2.3 million", "en", 2.3e6), ("seven countries", "en", 7),
    ("twenty-four people", "en", 24), ("two dozen", "en", 24), ("12%", "en", 12),
    ("1 500 personnes", "fr", 1500), ("5\u00a0000 blessés", "fr", 5000), ("5\u202f000", "fr", 5000),
    ("1,5 million", "fr", 1.5e6), ("1.500 morts", "fr", 1500), ("sept pays", "fr", 7),
    ("cent cinquante morts", "fr", 150), ("quatre-vingt-dix", "fr", 90), ("vingt et un pays", "fr", 21),
])
def test_number_values(text, language, expected):
    found = numbers(text, language)
    assert found and found[0][1] == expected, found


def test_articles_are_not_numbers():
    assert numbers("one of the groups", "en") == []
    assert numbers("une des organisations et un ancien diplomate", "fr") == []


def test_garbled_placeholders_are_reported_not_guessed():
    found = numbers("entre 90,000 100,000 et XNUMX XNUMX tweets", "fr")
    assert found == [("90,000", 90000, "digits"), ("100,000", 100000, "digits"), ("XNUMX XNUMX", None, "garbled")]


def test_vague_quantities_are_ranges():
    [(text, low, kind)] = numbers("dozens of people", "en")
    assert kind == "vague" and low == 24
    [(text, low, kind)] = numbers("des centaines de personnes", "fr")
    assert kind == "vague" and text == "centaines"


def test_sentences_keep_abbreviations_together():
    text = "The U.S. troops left. Dr. Smith said 5 people died in St. Louis on Jan. 5. M. Dupont est venu."
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == ["The U.S. troops left.", "Dr. Smith said 5 people died in St. Louis on Jan. 5.", "M. Dupont est venu."]


def test_headings_and_wrapped_lines():
    text = "Heading line\nA wrapped line that goes\non here. Next.\n\n- a list item\n- another"
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == ["Heading line", "A wrapped line that goes\non here.", "Next.", "- a list item", "- another"]


def test_clauses_split_at_semicolons():
    text = "The first attack killed 24 people; the second killed over 170 people."
    [sentence] = sentences(text)
    assert [text[c.start:c.end] for c in clauses(text, sentence)] == [
        "The first attack killed 24 people", "the second killed over 170 people."]
