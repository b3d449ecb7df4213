"""Turn numbers in a clause into quantity claims: the hedge, what is counted, and a sub-group.

"killed more than 150 people" -> deaths, more than 150; "30 North American and European
countries" -> members, 30; "including 13 US service members" -> the previous count's property,
13, group "US service members". Binding to a subject happens in `claims.extract`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .lexicon import Lexicon
from .model import Comparator, Quantity, Span
from .numbers import NumberMatch
from .tokens import GARBLED, NUMBER, Token, phrase_ends_at, phrase_starts_at

_COMPARATOR_KEYS = {
    "more_than": Comparator.MORE_THAN, "at_least": Comparator.AT_LEAST, "nearly": Comparator.NEARLY,
    "about": Comparator.ABOUT, "up_to": Comparator.UP_TO, "fewer_than": Comparator.FEWER_THAN,
}
_SKIPPABLE_AFTER = frozenset("and et or ou to a".split()) | {NUMBER, GARBLED}
WINDOW_AFTER = 5
WINDOW_BEFORE = 4


@dataclass(frozen=True)
class QuantityCandidate:
    span: Span            # the whole claim text: verb/hedge + number + counted noun
    number_span: Span
    quantity: Quantity
    property: str
    unit_words: str       # the words after the number, for group matching
    subcount: bool


def _comparator_before(tokens: list[Token], index: int, lex: Lexicon) -> tuple[Comparator, int]:
    """The hedge that ends right before tokens[index]; returns it and the index where it starts."""
    best: tuple[Comparator, int] = (Comparator.EXACT, index)
    if index < 1:
        return best
    for comparator, phrase in _phrases_of(lex).comparators.get(tokens[index - 1].key, ()):
        if phrase_ends_at(tokens, index - 1, phrase):
            start = index - len(phrase)
            if start < best[1]:
                best = (comparator, start)
    return best


class _PhraseIndex:
    """A lexicon's phrases by the word a match must start (or end) with, each list in the order the
    lexicon lists them: only phrases that can match at a token are tried there, in the same order."""

    def __init__(self, lex: Lexicon):
        self.comparators: dict[str, list] = defaultdict(list)   # by last word
        for key, comparator in _COMPARATOR_KEYS.items():
            for phrase in lex.comparators.get(key, ()):
                self.comparators[phrase[-1]].append((comparator, phrase))
        self.not_after: dict[str, list] = defaultdict(list)     # by first word
        self.after: dict[str, list] = defaultdict(list)         # by first word: (name, weak, phrase, words)
        self.before: dict[str, list] = defaultdict(list)        # by last word: (name, phrase)
        for name, words in lex.properties.items():
            for phrase in words.not_after:
                self.not_after[phrase[0]].append(phrase)
            for phrase in words.after:
                self.after[phrase[0]].append((name, False, phrase, words))
            for phrase in words.weak_after:
                self.after[phrase[0]].append((name, True, phrase, words))
            for phrase in words.before:
                self.before[phrase[-1]].append((name, phrase))
        self.rates: dict[str, list] = defaultdict(list)         # by first word
        for rate, phrases in lex.rates.items():
            for phrase in phrases:
                self.rates[phrase[0]].append((rate, phrase))


_PHRASE_INDEXES: dict[int, tuple[Lexicon, _PhraseIndex]] = {}


def _phrases_of(lex: Lexicon) -> _PhraseIndex:
    entry = _PHRASE_INDEXES.get(id(lex))
    if entry is None or entry[0] is not lex:
        entry = _PHRASE_INDEXES[id(lex)] = (lex, _PhraseIndex(lex))
    return entry[1]


def _window_after(text: str, tokens: list[Token], index: int) -> list[int]:
    """Indices of the words that can say what tokens[index] counts.

    Skips the rest of a number cluster ("90,000 100,000 et XNUMX XNUMX tweets"), then takes up to
    WINDOW_AFTER words, stopping at punctuation or at the next number.
    """
    j = index + 1
    while j < len(tokens) and tokens[j].key in _SKIPPABLE_AFTER and j - index <= 5:
        j += 1
    if j < len(tokens) and tokens[j - 1].key not in (NUMBER, GARBLED) and j - 1 > index:
        j = index + 1  # the joiner was not followed by a number: start right after ours
    window = []
    previous_end = tokens[j - 1].end if j - 1 >= 0 else 0
    while j < len(tokens) and len(window) < WINDOW_AFTER:
        gap = text[previous_end:tokens[j].start]
        if tokens[j].key in (NUMBER, GARBLED) or any(c in gap for c in ",;:()[]!?.\n"):
            break
        window.append(j)
        previous_end = tokens[j].end
        j += 1
    return window


def _property_after(tokens: list[Token], window: list[int], first_index: int, lex: Lexicon) -> tuple[str | None, int]:
    """A property word starting in the window; (property, index of its last word).

    Weak words ("countries") count only when a cue ("an alliance of", "brings together") comes
    within a few words before the number.
    """
    phrases = _phrases_of(lex)
    blocked: set[int] = set()
    for j in window:
        key = tokens[j].key
        for phrase in phrases.not_after.get(key, ()):  # "service members" is not a membership
            if phrase_starts_at(tokens, j, phrase):
                blocked.update(range(j, j + len(phrase)))
        if j in blocked:
            continue
        for name, weak, phrase, words in phrases.after.get(key, ()):
            if not (phrase_starts_at(tokens, j, phrase) and j + len(phrase) - 1 <= window[-1] + 1):
                continue
            if weak:
                if _cue_before(tokens, first_index, words.cues):
                    return name, j + len(phrase) - 1
            elif not any(phrase_starts_at(tokens, k, ex) for ex in words.exclude_after for k in window if k < j):
                return name, j + len(phrase) - 1
    return None, -1


def _cue_before(tokens: list[Token], first_index: int, cues) -> bool:
    """A cue ending within five words before the number (words of a coordinated name between)."""
    for k in range(first_index - 1, max(-1, first_index - 6), -1):
        if any(phrase_ends_at(tokens, k, cue) for cue in cues):
            return True
    return False


def _property_before(tokens: list[Token], start: int, lex: Lexicon) -> tuple[str | None, int]:
    """A property verb ending a few words before the number ("killed more than 150").

    The look-back stops at another number ("killed 51 worshippers in two mosques": 'two' is not
    a toll), and "killed by 3 attackers" names the killers, not the dead.
    """
    phrases = _phrases_of(lex)
    for j in range(start - 1, max(-1, start - 1 - WINDOW_BEFORE), -1):
        if tokens[j].key in (NUMBER, GARBLED):
            break
        for name, phrase in phrases.before.get(tokens[j].key, ()):
            if phrase_ends_at(tokens, j, phrase):
                if j + 1 < len(tokens) and tokens[j + 1].key in ("by", "par"):
                    return None, start
                return name, j - len(phrase) + 1
    # "the death toll from the Crocus City Hall attack rose to 139"
    for verb in lex.toll_verbs:
        if phrase_ends_at(tokens, start - 1, verb):
            for j in range(start - len(verb) - 1, max(-1, start - 16), -1):
                for noun in lex.toll_nouns:
                    if phrase_ends_at(tokens, j, noun):
                        return "deaths", j - len(noun) + 1
    return None, start


def _rate_after(tokens: list[Token], index: int, lex: Lexicon) -> tuple[str | None, int]:
    rates = _phrases_of(lex).rates
    for j in range(index + 1, min(index + 1 + WINDOW_AFTER + 2, len(tokens))):
        for rate, phrase in rates.get(tokens[j].key, ()):
            if phrase_starts_at(tokens, j, phrase):
                return rate, j + len(phrase) - 1
    return None, index


def find_quantities(text: str, tokens: list[Token], numbers: list[NumberMatch], lex: Lexicon,
                    excluded: list[Span]) -> list[QuantityCandidate]:
    """Quantity claims among `numbers` (those of one clause); `excluded` spans are dates/names."""
    out: list[QuantityCandidate] = []
    by_start = {t.start: i for i, t in enumerate(tokens)}
    previous: QuantityCandidate | None = None
    consumed: set[int] = set()
    for number in numbers:
        if any(number.span.overlaps(x) for x in excluded) or number.span.start in consumed:
            continue
        index = by_start.get(number.span.start)
        if index is None:
            continue
        quantity, end_index, first_index = _read_quantity(text, tokens, index, number, numbers, lex, consumed)
        window = _window_after(text, tokens, end_index)
        first_word = tokens[window[0]].key if window else ""
        if first_word in lex.not_counts or _starts_with_not_count(tokens, window, lex):
            continue
        if number.kind == "digits" and _looks_like_year(number, first_word, lex):
            continue
        if _glued_to_word(text, number.span):
            continue
        subcount = previous is not None and any(
            phrase_ends_at(tokens, k, marker) for marker in lex.subcount_markers
            for k in range(max(0, first_index - 3), first_index))
        # "Thirty of those killed were British": a part of a total, never the total
        partitive = end_index + 2 < len(tokens) and tokens[end_index + 1].key in ("of", "d", "parmi") and \
            tokens[end_index + 2].key in ("those", "them", "the", "these", "whom", "eux", "elles", "entre", "ces")
        subcount = subcount or partitive
        last = end_index
        if number.percent:
            prop = "percent"
        elif subcount and previous is not None and previous.property not in ("count", "percent"):
            prop = previous.property
        else:
            prop, last = _property_after(tokens, window, first_index, lex)
            last = max(last, end_index)
            before, before_start = _property_before(tokens, first_index, lex)
            if prop is None or (before is not None and before != prop and _conjunction_before(tokens, window, last)):
                # "killed 32 people and wounded 300": the verb before wins over the one after "and"
                if before is not None:
                    prop, last = before, end_index
                    first_index = min(first_index, before_start)
        if prop in ("deaths", "injuries") and _counts_perpetrators(tokens, end_index, lex):
            prop = f"{prop}_including_perpetrators"
        rate, rate_last = _rate_after(tokens, end_index, lex)
        noun = next((tokens[j].key for j in window if tokens[j].key.isalpha()
                     and tokens[j].key not in lex.function_words), "")
        if prop in ("deaths", "injuries") and (noun in lex.not_victims or noun in lex.not_people):
            prop = "count"  # "police killed 3 suspects", "people from 34 countries were injured"
        if prop is None:
            if not noun:
                continue
            prop = "count"
        if rate:
            last = max(last, rate_last)
        if window and (prop == "count" or subcount):
            last = max(last, window[min(len(window), 4) - 1] if subcount else window[0])
        last = min(max(last, end_index), len(tokens) - 1)
        span = Span(tokens[first_index].start, tokens[last].end)
        unit_words = text[tokens[window[0]].start:tokens[window[-1]].end] if window else ""
        candidate = QuantityCandidate(span, number.span, Quantity(
            value=quantity.value, comparator=quantity.comparator, high=quantity.high,
            unit=noun, rate=rate, parsed=quantity.parsed), prop, unit_words, subcount)
        out.append(candidate)
        if prop not in ("count", "percent") or previous is None:
            previous = candidate
    return out


def _conjunction_before(tokens: list[Token], window: list[int], last: int) -> bool:
    return any(tokens[j].key in ("and", "et", "but", "mais", "while", "tandis") for j in window if j < last)


_COUNTING = frozenset("including incl counted counting count counts compris inclus compte compter comptant plus".split())


def _counts_perpetrators(tokens: list[Token], end_index: int, lex: Lexicon) -> bool:
    """'23 deaths including the bomber', 'if the bomber is counted', 'si l'on compte les trois
    kamikazes': registry tolls count victims only, so such a figure is not compared with them."""
    keys = [t.key for t in tokens if t.key not in (NUMBER, GARBLED)]
    counting = [i for i, k in enumerate(keys) if k in _COUNTING]
    attackers = [i for i, k in enumerate(keys) if k in lex.not_victims]
    return any(abs(i - j) <= 4 for i in counting for j in attackers)


def _starts_with_not_count(tokens: list[Token], window: list[int], lex: Lexicon) -> bool:
    if len(window) >= 2:
        two = f"{tokens[window[0]].key} {tokens[window[1]].key}"
        return two in lex.not_counts
    return False


def _glued_to_word(text: str, span: Span) -> bool:
    """'G20', 'F-16', '1st', 'COVID-19': digits stuck to letters are names, not counts."""
    before = text[span.start - 2:span.start] if span.start >= 2 else text[:span.start]
    after = text[span.end:span.end + 1]
    if after.isalpha() and after.lower() not in ("m", "k"):
        return True
    if before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha()):
        return True
    return False


def _looks_like_year(number: NumberMatch, next_key: str, lex: Lexicon) -> bool:
    if number.value is None or number.percent or not float(number.value).is_integer():
        return False
    return 1800 <= number.value <= 2100 and len(str(int(number.value))) == 4 and next_key not in lex.generic_count_nouns


def _read_quantity(text, tokens, index, number: NumberMatch, numbers, lex, consumed):
    """(Quantity, index of its last number token, index of its first token incl. hedge)."""
    if number.kind == "garbled":
        return Quantity(value=0.0, parsed=False), index, index
    comparator, first = _comparator_before(tokens, index, lex)
    value, high = number.value, None
    end_index = index
    if number.kind == "vague":
        return Quantity(value=number.value, comparator=Comparator.VAGUE, high=number.high), index, first
    # "between X and Y", "X to Y", "entre X et Y"
    joiners = {w for p in lex.comparators.get("range_joiners", ()) for w in p}
    is_between = any(phrase_ends_at(tokens, index - 1, p) for p in lex.comparators.get("between", ()))
    if is_between and index + 2 < len(tokens) and tokens[index + 1].key in joiners and tokens[index + 2].key == GARBLED:
        consumed.add(tokens[index + 2].start)
        return Quantity(value=value, parsed=False), index + 2, index - 1  # "entre 3 000 et XNUMX"
    if index + 2 < len(tokens) and tokens[index + 1].key in joiners and tokens[index + 2].key == NUMBER:
        other = next((n for n in numbers if n.span.start == tokens[index + 2].start), None)
        if other is not None and other.value is not None and other.value > value and (is_between or tokens[index + 1].key in ("to", "a")):
            high = other.value
            end_index = index + 2
            consumed.add(other.span.start)
            comparator = Comparator.BETWEEN
            if is_between:
                first = index - 1
    elif is_between:
        comparator = Comparator.EXACT
        first = index
    if high is None and comparator is Comparator.EXACT:
        for key, comp in (("after_at_least", Comparator.AT_LEAST), ("after_about", Comparator.ABOUT)):
            for phrase in lex.comparators.get(key, ()):
                if phrase_starts_at(tokens, index + 1, phrase):
                    comparator = comp
    return Quantity(value=value, comparator=comparator, high=high), end_index, first
