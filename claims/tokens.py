"""Word tokens with offsets over folded text, with numbers collapsed to one token each."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .model import Span
from .numbers import NumberMatch

_TOKEN = re.compile(r"\S+")
NUMBER = "<num>"
GARBLED = "<garbled>"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    key: str  # folded form; NUMBER or GARBLED for numbers


def tokenize(folded: str, span: Span, numbers: Sequence[NumberMatch] = ()) -> list[Token]:
    """Tokens of folded[span]; each number in `numbers` becomes a single token."""
    tokens: list[Token] = []
    numbers = sorted(numbers, key=lambda n: n.span.start)
    n_index = 0
    position = span.start
    for match in _TOKEN.finditer(folded, span.start, span.end):
        if match.start() < position:
            continue
        while n_index < len(numbers) and numbers[n_index].span.end <= match.start():
            n_index += 1
        if n_index < len(numbers) and numbers[n_index].span.start <= match.start() < numbers[n_index].span.end:
            number = numbers[n_index]
            if not tokens or tokens[-1].start != number.span.start:
                key = GARBLED if number.kind == "garbled" else NUMBER
                tokens.append(Token(number.span.start, number.span.end, key))
            position = number.span.end
            continue
        tokens.append(Token(match.start(), match.end(), match.group()))
    return tokens


def phrase_ends_at(tokens: Sequence[Token], index: int, phrase: tuple[str, ...]) -> bool:
    """True when tokens[index - len(phrase) + 1 .. index] spell `phrase`."""
    first = index - len(phrase) + 1
    if first < 0 or (phrase and index < len(tokens) and tokens[index].key != phrase[-1]):
        return False  # most calls end here: the last word already differs
    return all(tokens[first + i].key == word for i, word in enumerate(phrase))


def phrase_starts_at(tokens: Sequence[Token], index: int, phrase: tuple[str, ...]) -> bool:
    if index < 0 or index + len(phrase) > len(tokens) or (phrase and tokens[index].key != phrase[0]):
        return False
    return all(tokens[index + i].key == word for i, word in enumerate(phrase))


def token_index_at(tokens: Sequence[Token], offset: int) -> int | None:
    for i, token in enumerate(tokens):
        if token.start <= offset < token.end:
            return i
    return None
