"""Every regular expression source-audit runs on article text, and the strings most likely to make
one backtrack: shared by tests/test_backtracking.py (correctness) and bench/bench_regex.py (growth).

Patterns are collected three ways, so a new one cannot hide: module globals of every module under
claims/, references/, audit/ and reports/ (alone or in dicts, lists and tuples); whatever the `re`
module compiled while the example articles, in English and French, were audited (patterns built by
functions, and literal patterns passed to `re.search` and friends); and every signature of the
bundled registry as `references.patterns.compile_signature` compiles it.
"""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
import sys
from pathlib import Path

PACKAGES = ("claims", "references", "audit", "reports")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _patterns_in(value, depth: int = 0):
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, (list, tuple)):
        for item in value:
            yield from _patterns_in(item, depth + 1)


def module_patterns() -> dict[str, re.Pattern]:
    """`module.NAME` (with `[i]` for items of containers) -> pattern, for every module-level pattern."""
    found: dict[str, re.Pattern] = {}
    for package in PACKAGES:
        root = importlib.import_module(package)
        names = [package] + [f"{package}.{m.name}" for m in pkgutil.walk_packages(root.__path__)
                             if m.name != "__main__"]
        for name in names:
            module = importlib.import_module(name)
            for attribute, value in vars(module).items():
                for i, pattern in enumerate(_patterns_in(value)):
                    label = f"{name}.{attribute}" + (f"[{i}]" if not isinstance(value, re.Pattern) else "")
                    found.setdefault(label, pattern)
    return found


def used_patterns() -> dict[str, re.Pattern]:
    """Patterns our modules compiled or used while the examples were audited (function-built and
    inline ones); patterns of libraries (trafilatura, jinja2...) are theirs, not ours, and left out."""
    from audit.engine import Auditor, Config, run

    found: dict[str, re.Pattern] = {}
    original = re._compile  # type: ignore[attr-defined]

    def recording(pattern, flags):
        compiled = original(pattern, flags)
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals.get("__name__") == "re":
            frame = frame.f_back
        module = frame.f_globals.get("__name__", "") if frame is not None else ""
        if module.split(".")[0] in PACKAGES and isinstance(compiled.pattern, str):
            found.setdefault(f"{module}:{compiled.pattern[:60]!r}", compiled)
        return compiled

    re._compile = recording  # type: ignore[attr-defined]
    try:
        config = Config(as_of=dt.date(2026, 11, 21), use_cache=False)
        run([EXAMPLES], config, Auditor.from_config(config))
    finally:
        re._compile = original  # type: ignore[attr-defined]
    return found


def signature_patterns() -> dict[str, re.Pattern]:
    from references.loader import load_registry
    from references.patterns import compile_signature

    return {f"signature:{s.id}": compile_signature(s) for s in load_registry([]).signatures}


def all_patterns() -> dict[str, re.Pattern]:
    """Every pattern once (the first label found for it wins), in a stable order."""
    seen: dict[tuple, str] = {}
    out: dict[str, re.Pattern] = {}
    for source in (module_patterns(), signature_patterns(), used_patterns()):
        for label, pattern in sorted(source.items()):
            key = (pattern.pattern, pattern.flags)
            if key not in seen:
                seen[key] = label
                out[label] = pattern
    return out


# Patterns the code only anchors at one position (`.match`) or runs on a bounded window: scanning
# every position of a long string with them measures a use that never happens (it is quadratic
# for `\s*X`-style patterns whatever their quality), so they are run the way the code runs them.
ANCHORED = frozenset({
    "audit.suppressions._CODE_AT",      # .match after each code of one comment
    "claims.extract._MEMBERS_OF",       # .match on the text between a number and a name
    "claims.extract._MEMBERS_OF_NAME",  # .match right after a number
    "claims.segment._LIST_START",       # .match at the start of a line
    "claims.segment._WORD_BEFORE",      # .search in the 20 characters before a full stop
    "claims.loading._FRONT_MATTER",     # .match at the start of a file
})


def run(label: str, pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """The spans `pattern` finds in `text`, used as the code uses it (see ANCHORED)."""
    if isinstance(pattern.pattern, bytes):
        text = text.encode("utf-8")  # type: ignore[assignment]
    if label in ANCHORED:
        match = pattern.match(text)
        return [match.span()] if match else []
    if label == "audit.suppressions._COMMENT":  # find_suppressions stops at the last "-->"
        return [m.span() for m in pattern.finditer(text, 0, text.rfind("-->") + 3)]
    return [m.span() for m in pattern.finditer(text)]


# Each family repeats a unit the patterns in this code base consume with nested or adjacent
# repeats (letters, digits with separators, spaces, capitalised words, number words, dates,
# comment openers), then ends in a character that makes the match fail at the last moment.
UNITS = {
    "letters": "a", "capitals": "A", "digits": "1", "dots": ".", "spaces": " ", "newlines": "\n",
    "hyphens": "-", "comma-thousands": "1,", "dot-thousands": "1.", "space-thousands": "1 ",
    "words": "word ", "capitalised": "Word ", "acronyms": "NATO ", "number-words": "twenty-one and ",
    "nombres": "vingt et un ", "months": "January ", "dates": "1 January ", "the": "the ",
    "killed": "killed ", "comments": "<!-- ", "tags": "<meta ", "xnum": "XNUM", "dashes": "--- \n",
    "quotes": "'", "mixed": "aA1 .,-'", "suppressions": "<!-- source-audit: ignore SA201 ",
    "members": "members of ",
}
ENDINGS = "!\x00"


def worst_case_strings(length: int) -> dict[str, str]:
    """Family -> a string of about `length` characters (the unit repeated, then a failing end)."""
    return {family: (unit * (length // len(unit) + 1))[:length] + ENDINGS for family, unit in UNITS.items()}
