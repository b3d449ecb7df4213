"""Regular expressions for long word lists, as character tries."""
from __future__ import annotations

import re


def alternation(words) -> str:
    """A regex that tries `words` as `(?:w1|w2|…)` sorted longest first does, as a character trie.

    Words matched at one position are prefixes of one another, and both forms try them longest
    first, so they match the same text; the trie tests each character once instead of once per
    word, which matters for long case-insensitive word lists scanned sentence after sentence.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a word ends here and longer ones go on: the longer ones first (greedy)
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body
